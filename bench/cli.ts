/**
 * Benchmark of `her2 review` on a synthetic Bulk Data export (bench/generate-export.ts, into bench/out/, which is
 * gitignored). Compares the review's wall time with the floor of reading every line of the same files and running
 * plain JSON.parse on it, in the same run, and reports the review's peak memory (max RSS of the child process, as the
 * CLI reports it under HER2_REVIEW_STATS=1). Targets: within 2x of the JSON.parse floor; peak RSS under 300 MB.
 *
 * Run alone: `npx tsx bench/cli.ts [--patients N] [--rounds R]` (default 100,000 patients, about 1.07 million resources;
 * 3 rounds of floor and review, alternating, reported as medians).
 * The lead's bench/run.ts calls `main()`.
 */
import { spawn } from "node:child_process";
import {
  createReadStream,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { generateExport } from "./generate-export";

export const CLI_RATIO_TARGET = 2;
export const CLI_PEAK_RSS_TARGET_MB = 300;

const root = join(import.meta.dirname, "..");

export interface CliBenchResult {
  patients: number;
  resources: number;
  megabytes: number;
  /** Reading every line and JSON.parse, in this process. */
  floorMs: number;
  /** CPU time of the same (user + system): less disturbed than wall time on a shared machine. */
  floorCpuMs: number;
  /** CPU time of the review process (user + system, start-up included). */
  reviewCpuMs: number;
  /** Wall time of `node bin/her2.js review` (process start to exit, tsx loader included). */
  reviewMs: number;
  /** Time inside the review itself, as the CLI reports it (without process start-up). */
  reviewInternalMs: number;
  /** Time in the app's modules (buildPatientInput + assess), which the review runs but does not own. */
  assessMs: number;
  /** Wall time of the first pass. */
  firstPassMs: number;
  peakRssMb: number;
  resourcesPerSecond: number;
  /** Wall-time ratio review / floor. */
  ratio: number;
  /** CPU-time ratio review / floor. */
  cpuRatio: number;
  /** Worker threads the review used for its second pass, besides the main thread. */
  workers: number;
  /** 1 when a scan worker read part of the first pass with the main thread. */
  scanWorkers: number;
  /** Each round's wall times, for the report. */
  rounds: { reviewMs: number; floorMs: number }[];
}

/** The floor: every line of every NDJSON file read and given to JSON.parse, nothing else. */
export async function jsonParseFloor(dir: string): Promise<{ ms: number; cpuMs: number; lines: number }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  let lines = 0;
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".ndjson"))) {
    let rest = "";
    for await (const chunk of createReadStream(join(dir, name), {
      encoding: "utf8",
      highWaterMark: 1 << 20,
    })) {
      const parts = (rest + (chunk as string)).split("\n");
      rest = parts.pop() ?? "";
      for (const line of parts) {
        if (line !== "") {
          JSON.parse(line);
          lines++;
        }
      }
    }
    if (rest !== "") {
      JSON.parse(rest);
      lines++;
    }
  }
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, lines };
}

interface ReviewStats {
  maxRssKb: number;
  cpuMs: number;
  patients: number;
  resources: number;
  ms: number;
  assessMs: number;
  /** Wall time of the first pass (reading the inputs into the index). */
  firstPassMs: number;
  /** Worker threads of the second pass (0: in-process). */
  workers: number;
  /** 1 when a scan worker read part of the first pass. */
  scanWorkers: number;
}

/** Runs the real command on the folder, discarding its output, and returns its own statistics line. */
async function runReview(dir: string): Promise<{ wallMs: number; stats: ReviewStats; outputBytes: number }> {
  const run = await runHer2(["review", dir, "--as-of", "2026-11-25"]);
  return { ...run, stats: run.stats as ReviewStats };
}

/**
 * Runs `node bin/her2.js <args>` with HER2_REVIEW_STATS=1, counting and discarding its stdout: its wall time (process
 * start to exit) and its `her2-stats` line. Rejects on a non-zero exit, with the end of its stderr.
 */
export function runHer2(
  args: readonly string[],
): Promise<{ wallMs: number; stats: unknown; outputBytes: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [join(root, "bin/her2.js"), ...args], {
      cwd: root,
      env: { ...process.env, HER2_REVIEW_STATS: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let outputBytes = 0;
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      outputBytes += chunk.length;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = performance.now() - started;
      const line = stderr.split("\n").find((l) => l.startsWith("her2-stats "));
      if (code !== 0 || line === undefined) {
        reject(new Error(`her2 ${args[0] ?? ""} exited with ${String(code)}:\n${stderr.slice(-2000)}`));
        return;
      }
      resolve({ wallMs, stats: JSON.parse(line.slice("her2-stats ".length)) as unknown, outputBytes });
    });
  });
}

/** Generates the export for `patients` unless the same one is already in bench/out/. */
function ensureExport(patients: number): { dir: string; resources: number } {
  const dir = join(root, "bench/out", `export-${patients}`);
  const marker = join(dir, "generated.json");
  if (existsSync(marker)) {
    const saved = JSON.parse(readFileSync(marker, "utf8")) as { resources: number };
    return { dir, resources: saved.resources };
  }
  rmSync(dir, { recursive: true, force: true });
  const generated = generateExport(dir, patients);
  // Not .ndjson / .jsonl: the review skips this file in the folder with a note, and the floor ignores it.
  writeFileSync(marker, JSON.stringify(generated));
  return { dir, resources: generated.resources };
}

function folderMegabytes(dir: string): number {
  const bytes = readdirSync(dir)
    .filter((n) => n.endsWith(".ndjson"))
    .reduce((sum, n) => sum + statSync(join(dir, n)).size, 0);
  return bytes / 1024 / 1024;
}

/**
 * Runs the benchmark and returns a one-line report.
 * @param argv `--patients N` (default 100000).
 */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<string> {
  const option = (name: string, fallback: number): number => {
    const at = argv.indexOf(name);
    const value = at === -1 ? fallback : Number(argv[at + 1]);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} expects a positive integer`);
    return value;
  };
  const result = await measure(option("--patients", 100_000), option("--rounds", 3));
  // The median wall-time ratio decides (what a user waits for; the review may use a second core for garbage
  // collection, which CPU time would count against it). The CPU ratio is printed beside it.
  const within = result.ratio <= CLI_RATIO_TARGET ? "within" : "OVER";
  const memory = result.peakRssMb < CLI_PEAK_RSS_TARGET_MB ? "within" : "OVER";
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  return (
    `cli: her2 review of ${result.patients.toLocaleString("en-US")} patients / ` +
    `${result.resources.toLocaleString("en-US")} resources (${result.megabytes.toFixed(0)} MB NDJSON): ` +
    `median of ${result.rounds.length} rounds: wall ${seconds(result.reviewMs)} vs JSON.parse floor ` +
    `${seconds(result.floorMs)} = ${result.ratio.toFixed(2)}x (target ${CLI_RATIO_TARGET}x, ${within}); ` +
    `CPU ${seconds(result.reviewCpuMs)} vs ${seconds(result.floorCpuMs)} = ${result.cpuRatio.toFixed(2)}x; ` +
    `rounds (review / floor): ${result.rounds.map((r) => `${seconds(r.reviewMs)} / ${seconds(r.floorMs)}`).join(", ")}; ` +
    `${Math.round(result.resourcesPerSecond).toLocaleString("en-US")} resources/s; ` +
    `of the ${seconds(result.reviewInternalMs)} in the review, ${seconds(result.firstPassMs)} in the first pass ` +
    `(main thread and ${result.scanWorkers} scan worker(s)), ${seconds(result.assessMs)} CPU ` +
    `(${Math.round((100 * result.assessMs) / result.reviewInternalMs)}%) in buildPatientInput + assess; ` +
    `second pass on the main thread and ${result.workers} worker thread(s); ` +
    `peak RSS ${result.peakRssMb.toFixed(0)} MB (target < ${CLI_PEAK_RSS_TARGET_MB} MB, ${memory})`
  );
}

export const median = (values: readonly number[]): number =>
  [...values].sort((x, y) => x - y)[values.length >> 1] ?? Number.NaN;

/**
 * Generates (or reuses) the export, then measures the floor and the review alternately, `rounds` times each, and
 * keeps the medians: on a shared machine a single pair can be off by half either way.
 */
export async function measure(patients: number, rounds = 3): Promise<CliBenchResult> {
  const { dir, resources } = ensureExport(patients);
  await jsonParseFloor(dir); // warm the page cache, so neither measurement pays for the disk
  const floors: Awaited<ReturnType<typeof jsonParseFloor>>[] = [];
  const reviews: Awaited<ReturnType<typeof runReview>>[] = [];
  for (let round = 0; round < rounds; round++) {
    floors.push(await jsonParseFloor(dir));
    const review = await runReview(dir);
    if (review.stats.patients !== patients) {
      throw new Error(`expected ${patients} patients in the review, got ${review.stats.patients}`);
    }
    reviews.push(review);
  }
  const floorMs = median(floors.map((f) => f.ms));
  const floorCpuMs = median(floors.map((f) => f.cpuMs));
  const reviewMs = median(reviews.map((r) => r.wallMs));
  const reviewCpuMs = median(reviews.map((r) => r.stats.cpuMs));
  return {
    patients,
    resources,
    megabytes: folderMegabytes(dir),
    floorMs,
    floorCpuMs,
    reviewCpuMs,
    reviewMs,
    reviewInternalMs: median(reviews.map((r) => r.stats.ms)),
    assessMs: median(reviews.map((r) => r.stats.assessMs)),
    firstPassMs: median(reviews.map((r) => r.stats.firstPassMs)),
    peakRssMb: Math.max(...reviews.map((r) => r.stats.maxRssKb)) / 1024,
    resourcesPerSecond: resources / (reviewMs / 1000),
    ratio: reviewMs / floorMs,
    cpuRatio: reviewCpuMs / floorCpuMs,
    workers: reviews[0]?.stats.workers ?? 0,
    scanWorkers: reviews[0]?.stats.scanWorkers ?? 0,
    rounds: reviews.map((r, i) => ({ reviewMs: r.wallMs, floorMs: floors[i]?.ms ?? Number.NaN })),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await main());
}
