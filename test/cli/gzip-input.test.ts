// @vitest-environment node
/**
 * Gzipped NDJSON (`Observation.ndjson.gz`, as Bulk Data servers may serve it), over real files: read like the plain
 * text it holds, in a folder or named on the command line; a damaged one is a skipped file; the decompressed copies
 * are removed.
 */
import type { Resource } from "fhir/r4";
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ReviewTuning } from "../../src/cli/review";
import {
  breastCancer,
  hemoglobin,
  ihc,
  patient,
  runReview,
  tempDir,
  writeNdjson,
  writeText,
} from "./helpers";

afterEach(() => {
  vi.unstubAllEnvs();
});

const FILES: Record<string, Resource[]> = {
  "Patient.ndjson": [patient("a"), patient("b"), patient("c")],
  "Observation.000.ndjson": [ihc("a-ihc", "Patient/a", "3+"), hemoglobin("c-hb", "Patient/c")],
  "Observation.001.ndjson": [ihc("b-ihc", "Patient/b", "0")],
  "Condition.ndjson": [breastCancer("a-c", "Patient/a"), breastCancer("b-c", "Patient/b")],
};

function ndjsonText(resources: readonly Resource[]): string {
  return resources.map((r) => JSON.stringify(r)).join("\n") + "\n";
}

/** The export as plain files, and the same export with the named files gzipped (`X.ndjson.gz`). */
function exportFolder(gzipped: readonly string[]): string {
  const dir = tempDir();
  for (const [name, resources] of Object.entries(FILES)) {
    if (gzipped.includes(name)) writeFileSync(join(dir, `${name}.gz`), gzipSync(ndjsonText(resources)));
    else writeNdjson(dir, name, resources);
  }
  return dir;
}

/** A fresh TMPDIR, so the test sees exactly the temporary folders the review made. */
function freshTmp(): string {
  const tmp = join(tempDir(), "tmp");
  mkdirSync(tmp);
  vi.stubEnv("TMPDIR", tmp);
  return tmp;
}

function her2Folders(tmp: string): string[] {
  // (Not the test's own input folders, her2-cli-*.)
  return readdirSync(tmp).filter((name) => /^her2-(gunzip|index)-/.test(name));
}

const IN_WORKERS: ReviewTuning = { workers: 1, parallelFrom: 0, parallelScanFromBytes: 0 };

describe("gzipped NDJSON inputs", () => {
  for (const [label, tuning] of [
    ["in-process", { workers: 0 }],
    ["with a scan worker and a review worker", IN_WORKERS],
  ] as const) {
    it(`a folder of gzipped and plain files gives the output of the all-plain folder (${label})`, async () => {
      const plain = await runReview([exportFolder([])], {}, tuning);
      const mixed = await runReview(
        [exportFolder(["Patient.ndjson", "Observation.000.ndjson", "Condition.ndjson"])],
        {},
        tuning,
      );
      expect(plain.assessments.map((a) => a.patient)).toEqual(["Patient/a", "Patient/b", "Patient/c"]);
      expect(plain.assessments.map((a) => a.status)).toEqual(["positive", "negative", "no-result"]);
      expect(mixed.stdout).toBe(plain.stdout);
      expect(mixed.result.exitCode).toBe(0);
      expect(mixed.result.resources).toBe(plain.result.resources);
      expect(mixed.stderr).toBe(plain.stderr);
      if (tuning === IN_WORKERS) expect(mixed.result.workers).toBe(1);
    });
  }

  it("reads a .ndjson.gz named on the command line", async () => {
    const dir = exportFolder(["Observation.000.ndjson"]);
    const plain = await runReview([exportFolder([])], { format: "csv" });
    const named = await runReview(
      [
        join(dir, "Patient.ndjson"),
        join(dir, "Observation.000.ndjson.gz"),
        join(dir, "Observation.001.ndjson"),
        join(dir, "Condition.ndjson"),
      ],
      { format: "csv" },
    );
    expect(named.stdout).toBe(plain.stdout);
    expect(named.result.exitCode).toBe(0);
  });

  it("names the .gz path in warnings, with the line number of the decompressed text", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("a")]);
    const text = `${JSON.stringify(ihc("a-ihc", "Patient/a", "3+"))}\n{not json\n`;
    writeFileSync(join(dir, "Observation.ndjson.gz"), gzipSync(text));
    const run = await runReview([dir]);
    expect(run.stderr).toContain(`${join(dir, "Observation.ndjson.gz")}:2: warning:`);
    expect(run.stderr).not.toMatch(/her2-gunzip-/);
    expect(run.result.exitCode).toBe(3);
  });

  it("a truncated .gz is a skipped file named in a warning; the other files are still reviewed", async () => {
    const dir = exportFolder([]);
    const whole = gzipSync(ndjsonText(FILES["Observation.001.ndjson"] ?? []));
    const broken = join(dir, "Observation.002.ndjson.gz");
    writeFileSync(broken, whole.subarray(0, whole.length - 12));
    const run = await runReview([dir]);
    expect(run.stderr).toContain(
      `${broken}: warning: is not a complete gzip file (unexpected end of file); not read:`,
    );
    expect(run.stderr).toContain("since the file is incomplete");
    expect(run.stderr).toMatch(/; 1 skipped; 1 warning/);
    expect(run.result.exitCode).toBe(3);
    // Everyone is still reviewed from the other files, and nothing of the broken one was used.
    expect(run.assessments.map((a) => a.status)).toEqual(["positive", "negative", "no-result"]);
    expect(run.result.resources).toBe(Object.values(FILES).flat().length);
  });

  it("a file that is not gzip at all under a .gz name is a skipped file too", async () => {
    const dir = exportFolder([]);
    const fake = join(dir, "Observation.002.ndjson.gz");
    writeFileSync(fake, ndjsonText([ihc("x", "Patient/a", "0")]));
    const run = await runReview([dir]);
    expect(run.stderr).toContain(`${fake}: warning: is not a complete gzip file (`);
    expect(run.result.exitCode).toBe(3);
    expect(run.assessments.map((a) => a.status)).toEqual(["positive", "negative", "no-result"]);
  });

  it("removes the decompressed copies after the review, in-process and with workers", async () => {
    const tmp = freshTmp();
    const dir = exportFolder(["Observation.000.ndjson", "Observation.001.ndjson"]);
    for (const tuning of [{ workers: 0 }, IN_WORKERS]) {
      const run = await runReview([dir], {}, tuning);
      expect(run.assessments).toHaveLength(3);
      expect(her2Folders(tmp)).toEqual([]);
    }
  });

  it("removes the decompressed copies when the review stops on a usage error", async () => {
    const tmp = freshTmp();
    const dir = exportFolder(["Observation.000.ndjson"]);
    // A .json file that is not FHIR JSON at all stops the review (exit 2) after the .gz was decompressed.
    writeFileSync(join(dir, "zz.json"), "not json");
    const run = await runReview([dir]);
    expect(run.result.exitCode).toBe(2);
    expect(run.stderr).toMatch(/zz\.json: not FHIR JSON or NDJSON/);
    expect(her2Folders(tmp)).toEqual([]);
  });

  it("a TMPDIR that cannot hold the copies is a usage error naming it", async () => {
    const dir = exportFolder(["Observation.000.ndjson"]);
    const missing = join(tempDir(), "missing");
    vi.stubEnv("TMPDIR", missing);
    const run = await runReview([dir]);
    expect(run.result.exitCode).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(
        `^her2: cannot create a temporary folder for the decompressed .gz inputs in ${missing} \\(ENOENT`,
      ),
    );
    expect(run.stdout).toBe("");
  });

  it("removes the decompressed copies when the process ends on a signal before the review closes", () => {
    const dir = exportFolder(["Observation.000.ndjson"]);
    const tmp = join(tempDir(), "t");
    mkdirSync(tmp);
    const population = join(import.meta.dirname, "../../src/cli/population.ts");
    const diagnostics = join(import.meta.dirname, "../../src/cli/diagnostics.ts");
    const script = writeText(
      tempDir(),
      "gunzip.ts",
      `import { readdirSync } from "node:fs";
       import { readPopulation } from ${JSON.stringify(population)};
       import { Diagnostics } from ${JSON.stringify(diagnostics)};
       void readPopulation([${JSON.stringify(dir)}], new Diagnostics(process.stderr)).then(() => {
         console.log(readdirSync(process.env.TMPDIR ?? "").filter((name) => name.startsWith("her2-")).join(","));
         process.kill(process.pid, "SIGTERM");
         setTimeout(() => {}, 5000);
       });`,
    );
    const child = spawnSync(process.execPath, ["--import", "tsx", script], {
      env: { ...process.env, TMPDIR: tmp },
      encoding: "utf8",
    });
    expect(child.stderr).toBe("");
    expect(child.stdout).toMatch(/^her2-gunzip-\w+\n$/);
    expect(child.signal).toBe("SIGTERM");
    expect(her2Folders(tmp)).toEqual([]);
  });
});
