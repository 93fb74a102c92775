/**
 * Benchmark of `her2 review --from <base> --group <id>` (issue 14): a Bulk Data export of synthetic patients from the
 * sandbox over real HTTP on localhost, and its review, end to end, against the floor of downloading the same files with
 * plain `fetch`.
 *
 *  - The patients: bench/generate-export.ts's (about 10.7 resources each: Patient, Conditions, Specimens, HER2 IHC / ISH
 *    results among other labs, DiagnosticReports, MedicationRequests and shared Medications), written as Bundles into
 *    bench/out/sandbox-<N>/ (gitignored, not committed) and loaded into the sandbox, which runs in a process of its own
 *    (bench/export-server.ts). Its files hold `--per-file` resources each (default 10,000).
 *  - The polling delays: the sandbox answers one status request with 202 and `Retry-After: 0`, then the manifest
 *    (`npm start`: two polls of one second each). Set by bench/export-server.ts's arguments, `--polls` and
 *    `--retry-after` here.
 *  - (a) the floor: a kick-off and polling (not timed), then the manifest's files downloaded with plain `fetch`,
 *    `--parallel` at a time as the client does (default 4, the CLI's default), each body read to its end.
 *  - (b) `node bin/her2.js review --from … --group … --as-of …` into a fresh folder: token, kick-off, polling, download,
 *    review to NDJSON on stdout (read and discarded here) and the summary on stderr; process start to exit.
 *  - (c) b / a, target ≤ 1.5x; and the CLI's peak RSS (its own `her2-stats` line, HER2_REVIEW_STATS=1).
 *  - The server's job time: the sandbox builds an export's files during the kick-off request and reports how long
 *    that took (bench/export-server.ts's `job` lines). It is part of (b), as a real EHR's job is, but outside the
 *    client's control, so (b) is also shown without it, labelled apart from (c).
 * Rounds alternate floor and CLI (`--rounds`, default 3) and the medians are reported.
 *
 * Run alone: `npx tsx bench/export.ts [--patients N] [--rounds R] [--parallel P] [--per-file F]` (default 10,000
 * patients); `npm run bench` calls `main()` with the `--export-…` options (`--export-patients N`, …).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import type { JSONWebKeySet } from "jose";
import { BackendToken } from "../src/bulk/backend-token";
import { BulkClient } from "../src/bulk/export-client";
import { EXPORT_TYPES } from "../src/cli/export";
import { jsonParseFloor, median, runHer2 } from "./cli";
import { generatePatients } from "./generate-export";

export const EXPORT_RATIO_TARGET = 1.5;

const root = join(import.meta.dirname, "..");
const GROUP = "her2-breast-cancer";
const CLIENT_ID = "her2-bulk-sandbox";
const KEY_FILE = join(root, "sandbox/backend-client/private-jwks.json");
const AS_OF = "2026-11-25";
const PATIENTS_PER_BUNDLE = 500;

export interface ExportBenchSettings {
  readonly patients: number;
  readonly rounds: number;
  readonly parallel: number;
  readonly perFile: number;
  readonly polls: number;
  readonly retryAfterS: number;
}

interface CliStats {
  maxRssKb: number;
  cpuMs: number;
  ms: number;
  kickOffMs: number;
  pollMs: number;
  downloadMs: number;
  /** After the last download: the wait for the last files' scans (export-prescan.ts), and the first pass from them. */
  prescanWaitMs: number;
  firstPassMs: number;
  patients: number;
  resources: number;
  workers: number;
}

interface CliRun {
  wallMs: number;
  stats: CliStats;
  outputBytes: number;
  /** The sandbox's time building this run's export job (bench/export-server.ts's `job` line), inside the kick-off. */
  serverJobMs: number;
}

interface FloorRun {
  ms: number;
  /** CPU time of this process during the download (user + system; the sandbox is another process). */
  cpuMs: number;
  /** The kick-off request (the sandbox builds the export's files while it waits), not part of `ms`. */
  kickOffMs: number;
  /** The sandbox's own time building the job's files, inside `kickOffMs`. */
  serverJobMs: number;
  bytes: number;
  files: number;
  /** The manifest's counts, added up. */
  resources: number;
}

export interface ExportBenchResult {
  readonly settings: ExportBenchSettings;
  /** Resources generated and loaded into the sandbox. */
  readonly generated: number;
  /** Resources in the export (the manifest's counts), all reviewed. */
  readonly resources: number;
  readonly files: number;
  readonly megabytes: number;
  /** Sandbox start-up (loading the patients), not part of any figure. */
  readonly serverLoadMs: number;
  readonly floorMs: number;
  /** JSON.parse of every line of the downloaded files (bench/cli.ts's floor), which no review can skip. */
  readonly parseMs: number;
  /** CPU time of (a) and of the JSON.parse floor: less disturbed than wall time on a shared machine. */
  readonly floorCpuMs: number;
  readonly parseCpuMs: number;
  /** The kick-off request of the floor's own exports: the sandbox building the files, untimed in (a). */
  readonly serverKickOffMs: number;
  /**
   * The sandbox's own time building the export job's files during (b)'s kick-off (it reports it, bench/export-server.ts):
   * a real EHR's job time, which the client waits for but does not control.
   */
  readonly serverJobMs: number;
  /** (b) without the server's job time, and its ratio to (a): labelled apart, not the ratio (c). */
  readonly cliWithoutJobMs: number;
  readonly ratioWithoutJob: number;
  readonly cliMs: number;
  readonly ratio: number;
  /** (b) without its kick-off request, against (a) + JSON.parse: the client's and review's share. */
  readonly clientRatio: number;
  /** Medians of the CLI's own breakdown. */
  readonly kickOffMs: number;
  readonly pollMs: number;
  readonly downloadMs: number;
  /** From the end of the download to the end of the review. */
  readonly reviewMs: number;
  /** Inside `reviewMs`: the wait for the last files' scans, the first pass from the scans, and the rest. */
  readonly prescanWaitMs: number;
  readonly firstPassMs: number;
  readonly secondPassMs: number;
  /** Process start to the command's start, and its end to the process's exit. */
  readonly startUpMs: number;
  readonly cpuMs: number;
  readonly peakRssMb: number;
  readonly rounds: readonly { cliMs: number; floorMs: number }[];
}

/** Writes the sandbox folder (Bundles of 500 patients and index.json) for `patients`, unless it is there already. */
export function ensureSandboxPatients(patients: number): { dir: string; resources: number } {
  const dir = join(root, "bench/out", `sandbox-${patients}`);
  const marker = join(dir, "generated.txt");
  if (existsSync(marker)) return { dir, resources: Number(readFileSync(marker, "utf8")) };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const rows: object[] = [];
  let entries: { resource: object }[] = [];
  let bundles = 0;
  let inBundle = 0;
  let resources = 0;
  const fileName = (): string => `bench-${String(bundles).padStart(3, "0")}.json`;
  const flush = (): void => {
    writeFileSync(
      join(dir, fileName()),
      JSON.stringify({ resourceType: "Bundle", type: "collection", entry: entries }),
    );
    entries = [];
    bundles++;
    inBundle = 0;
  };
  generatePatients(patients, {
    add(resource) {
      entries.push({ resource });
      resources++;
    },
    endPatient(id) {
      // index.json needs an expectation per patient; the benchmark does not check it (the rules' tests do that).
      rows.push({
        id,
        file: fileName(),
        name: `Bench patient ${String(rows.length)}`,
        birthDate: "1970-01-01",
        scenario: "synthetic benchmark patient (npm run bench); expectation not checked",
        expected: { status: "indeterminate", category: "unknown", setting: "unknown", flags: [] },
      });
      if (++inBundle === PATIENTS_PER_BUNDLE) flush();
    },
  });
  if (entries.length > 0) flush();
  writeFileSync(join(dir, "index.json"), JSON.stringify({ asOf: AS_OF, patients: rows }));
  writeFileSync(marker, String(resources));
  return { dir, resources };
}

/** The running sandbox of the benchmark. */
interface BenchServer {
  url: string;
  child: ChildProcess;
  loadMs: number;
  /** The time of each export job it built, in order (its `job` lines). */
  jobMs: number[];
}

/** Starts bench/export-server.ts and waits for its URL. */
async function startServer(dir: string, settings: ExportBenchSettings): Promise<BenchServer> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      join(root, "bench/export-server.ts"),
      dir,
      String(settings.perFile),
      String(settings.polls),
      String(settings.retryAfterS),
    ],
    { cwd: root, stdio: ["pipe", "pipe", "inherit"] },
  );
  const lines = createInterface({ input: child.stdout });
  const jobMs: number[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => {
      reject(new Error(`the benchmark's sandbox exited with ${String(code)}`));
    });
    lines.on("line", (line) => {
      const said = JSON.parse(line) as { url?: string; job?: { ms: number } };
      if (said.url !== undefined) resolve(said.url);
      if (said.job !== undefined) jobMs.push(said.job.ms);
    });
  });
  return { url, child, loadMs: performance.now() - started, jobMs };
}

/** The time of the job the sandbox built last (its line comes before its kick-off's answer). */
function lastJobMs(server: BenchServer): number {
  const ms = server.jobMs.at(-1);
  if (ms === undefined) throw new Error("the benchmark's sandbox reported no export job");
  return ms;
}

/** (a) A kick-off and polling (not timed), then the timed download of the manifest's files with plain fetch. */
async function fetchFloor(server: BenchServer, parallel: number): Promise<FloorRun> {
  const base = `${server.url}/fhir`;
  const jwks = JSON.parse(readFileSync(KEY_FILE, "utf8")) as JSONWebKeySet;
  const token = new BackendToken(base, { clientId: CLIENT_ID, jwks, scope: "system/*.rs" });
  const client = new BulkClient({ token });
  await token.get();
  const kickOffStarted = performance.now();
  const statusUrl = await client.kickOff({ base, group: GROUP, types: EXPORT_TYPES, typeFilters: [] });
  const kickOffMs = performance.now() - kickOffStarted;
  const serverJobMs = lastJobMs(server);
  const manifest = await client.poll(statusUrl, () => undefined, 600_000);
  const bearer = manifest.requiresAccessToken ? `Bearer ${await token.get()}` : undefined;
  const queue = [...manifest.output];
  let bytes = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const worker = async (): Promise<void> => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      const response = await fetch(file.url, {
        headers: { accept: "application/fhir+ndjson", ...(bearer ? { authorization: bearer } : {}) },
      });
      if (!response.ok || response.body === null)
        throw new Error(`${file.url}: HTTP ${String(response.status)}`);
      for await (const chunk of response.body) bytes += chunk.length;
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  await client.delete(statusUrl);
  const resources = manifest.output.reduce((n, f) => n + (f.count ?? 0), 0);
  return {
    ms,
    cpuMs: (used.user + used.system) / 1000,
    kickOffMs,
    serverJobMs,
    bytes,
    files: manifest.output.length,
    resources,
  };
}

/** (b) The real command, end to end, into a fresh folder; its NDJSON output is counted and discarded. */
async function runCli(server: BenchServer, out: string, parallel: number): Promise<CliRun> {
  const base = `${server.url}/fhir`;
  rmSync(out, { recursive: true, force: true });
  const run = await runHer2([
    "review",
    "--from",
    base,
    "--group",
    GROUP,
    "--out",
    out,
    "--parallel",
    String(parallel),
    "--as-of",
    AS_OF,
  ]);
  return { ...run, stats: run.stats as CliStats, serverJobMs: lastJobMs(server) };
}

export async function measure(settings: ExportBenchSettings): Promise<ExportBenchResult> {
  const { dir, resources: generated } = ensureSandboxPatients(settings.patients);
  const server = await startServer(dir, settings);
  const out = join(root, "bench/out", `export-run-${settings.patients}`);
  try {
    // Warm-up: the server's first export, the connections, the JIT. The sandbox exports what it serves (no
    // Medication, sandbox/config.ts), so the review must read what the manifest counts, not all that was generated.
    const { resources } = await fetchFloor(server, settings.parallel);
    const floors: FloorRun[] = [];
    const runs: CliRun[] = [];
    const parses: { ms: number; cpuMs: number }[] = [];
    for (let round = 0; round < settings.rounds; round++) {
      floors.push(await fetchFloor(server, settings.parallel));
      const run = await runCli(server, out, settings.parallel);
      if (run.stats.resources !== resources || run.stats.patients !== settings.patients) {
        throw new Error(
          `expected ${String(settings.patients)} patients and ${String(resources)} resources reviewed, got ${String(run.stats.patients)} and ${String(run.stats.resources)}`,
        );
      }
      runs.push(run);
      parses.push(await jsonParseFloor(out));
    }
    const floorMs = median(floors.map((f) => f.ms));
    const cliMs = median(runs.map((r) => r.wallMs));
    const cliWithoutJobMs = median(runs.map((r) => r.wallMs - r.serverJobMs));
    const parseMs = median(parses.map((p) => p.ms));
    const phase = (pick: (s: CliStats) => number): number => median(runs.map((r) => pick(r.stats)));
    return {
      settings,
      generated,
      resources,
      files: floors[0]?.files ?? 0,
      megabytes: (floors[0]?.bytes ?? 0) / 1048576,
      serverLoadMs: server.loadMs,
      floorMs,
      parseMs,
      floorCpuMs: median(floors.map((f) => f.cpuMs)),
      parseCpuMs: median(parses.map((p) => p.cpuMs)),
      serverKickOffMs: median(floors.map((f) => f.kickOffMs)),
      serverJobMs: median(runs.map((r) => r.serverJobMs)),
      cliWithoutJobMs,
      ratioWithoutJob: cliWithoutJobMs / floorMs,
      cliMs,
      ratio: cliMs / floorMs,
      clientRatio: median(runs.map((r) => r.wallMs - r.stats.kickOffMs)) / (floorMs + parseMs),
      kickOffMs: phase((s) => s.kickOffMs),
      pollMs: phase((s) => s.pollMs),
      downloadMs: phase((s) => s.downloadMs),
      reviewMs: median(runs.map((r) => r.stats.ms - r.stats.kickOffMs - r.stats.pollMs - r.stats.downloadMs)),
      prescanWaitMs: phase((s) => s.prescanWaitMs),
      firstPassMs: phase((s) => s.firstPassMs),
      secondPassMs: median(
        runs.map(
          (r) =>
            r.stats.ms -
            r.stats.kickOffMs -
            r.stats.pollMs -
            r.stats.downloadMs -
            r.stats.prescanWaitMs -
            r.stats.firstPassMs,
        ),
      ),
      startUpMs: median(runs.map((r) => r.wallMs - r.stats.ms)),
      cpuMs: phase((s) => s.cpuMs),
      peakRssMb: Math.max(...runs.map((r) => r.stats.maxRssKb)) / 1024,
      rounds: runs.map((r, i) => ({ cliMs: r.wallMs, floorMs: floors[i]?.ms ?? Number.NaN })),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
    server.child.stdin?.end();
  }
}

/** Reads `--patients N` style options (`prefix` `--export-` when run from bench/run.ts). */
export function exportSettings(argv: readonly string[], prefix = "--"): ExportBenchSettings {
  const option = (name: string, fallback: number, min = 1): number => {
    const at = argv.indexOf(`${prefix}${name}`);
    const value = at === -1 ? fallback : Number(argv[at + 1]);
    if (!Number.isInteger(value) || value < min)
      throw new Error(`${prefix}${name} expects a whole number of at least ${String(min)}`);
    return value;
  };
  return {
    patients: option("patients", 10_000),
    rounds: option("rounds", 3),
    parallel: option("parallel", 4),
    perFile: option("per-file", 10_000),
    polls: option("polls", 1, 0),
    retryAfterS: option("retry-after", 0, 0),
  };
}

/** Runs the benchmark and returns its report line. */
export async function main(argv: readonly string[] = process.argv.slice(2), prefix = "--"): Promise<string> {
  const r = await measure(exportSettings(argv, prefix));
  const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  const within = r.ratio <= EXPORT_RATIO_TARGET ? "within" : "OVER";
  const x = (ratio: number): string => `${ratio.toFixed(2)}x`;
  const withoutKickOff = r.cliMs - r.kickOffMs;
  return [
    `export: her2 review --from, a Bulk Data export of ${r.settings.patients.toLocaleString("en-US")} patients / ` +
      `${r.resources.toLocaleString("en-US")} resources (${String(r.files)} files, ${r.megabytes.toFixed(0)} MB NDJSON) ` +
      `from the sandbox over HTTP on localhost (${String(r.settings.polls)} poll(s) with Retry-After ` +
      `${String(r.settings.retryAfterS)} s, ${String(r.settings.parallel)} parallel downloads); median of ` +
      `${String(r.rounds.length)} rounds:`,
    `  (a) plain fetch of the manifest's files (the floor): ${s(r.floorMs)}`,
    `  (b) export + review, end to end: ${s(r.cliMs)}; (c) b / a = ${x(r.ratio)} ` +
      `(target ${String(EXPORT_RATIO_TARGET)}x, ${within}); rounds (b / a): ` +
      r.rounds.map((round) => `${s(round.cliMs)} / ${s(round.floorMs)}`).join(", "),
    `      in (b): kick-off ${s(r.kickOffMs)} (of which the sandbox building the export's files ${s(r.serverJobMs)}: ` +
      `a real EHR's job time, outside the client's control; its kick-offs for (a) took ${s(r.serverKickOffMs)}), ` +
      `polling ${s(r.pollMs)}, download ${s(r.downloadMs)} (${x(r.downloadMs / r.floorMs)} of (a), the files ` +
      `scanned as they arrive), review after the download ${s(r.reviewMs)} (waiting for the last files' scans ` +
      `${s(r.prescanWaitMs)}, first pass from the scans ${s(r.firstPassMs)}, second pass: read, parse, assess and ` +
      `write every patient ${s(r.secondPassMs)}), process start-up and exit ${s(r.startUpMs)}; CPU ${s(r.cpuMs)}; peak RSS ${r.peakRssMb.toFixed(0)} MB`,
    `  (b) without the server's job time (not the issue's ratio): ${s(r.cliWithoutJobMs)} = ` +
      `${x(r.ratioWithoutJob)} of (a)`,
    `  (b) without its kick-off ${s(withoutKickOff)} vs (a) + JSON.parse of the same files (${s(r.parseMs)}) ` +
      `${s(r.floorMs + r.parseMs)} = ${x(r.clientRatio)}`,
    `  CPU (the client's work, not the sandbox's): (b) ${s(r.cpuMs)} vs (a) ${s(r.floorCpuMs)} = ` +
      `${x(r.cpuMs / r.floorCpuMs)}, vs (a) + JSON.parse ${s(r.floorCpuMs + r.parseCpuMs)} = ` +
      `${x(r.cpuMs / (r.floorCpuMs + r.parseCpuMs))}; sandbox start-up ${s(r.serverLoadMs)}, not counted`,
  ].join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await main());
}
