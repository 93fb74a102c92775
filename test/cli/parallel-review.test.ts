// @vitest-environment node
/**
 * The second pass in worker threads (parallel-review.ts) against the in-process one: the same inputs must give the
 * same stdout and stderr, byte for byte, in every format that workers serve, with filters, and with lines that fail
 * only when they are read again. Patients are spread over several files and batches, so the order of the output is
 * what the main thread restores, not an accident of one worker.
 */
import { readdirSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { UsageError } from "../../src/cli/diagnostics";
import type { PatientGroup } from "../../src/cli/grouping";
import { BATCH_PATIENTS, reviewInWorkers } from "../../src/cli/parallel-review";
import { EMPTY_CODE_MAP } from "../../src/fhir/code-map";
import { review, type ReviewOptions, type ReviewTuning } from "../../src/cli/review";
import {
  AS_OF,
  breastCancer,
  bundle,
  hemoglobin,
  ihc,
  medicationRequest,
  patient,
  runReview,
  Sink,
  tempDir,
  trastuzumab,
  writeJson,
  writeNdjson,
  writeText,
} from "./helpers";

/** The helpers' in-process review, tuning first: every test here is about how the second pass runs. */
const run = (inputs: string[], tuning: ReviewTuning, options: Partial<ReviewOptions> = {}) =>
  runReview(inputs, options, tuning);

const SCORES = ["0", "1+", "2+", "3+"];

/**
 * A Bulk Data folder with more patients than two batches: ids in an order that differs from the files' order,
 * several resource types per patient, shared Medications, and three lines that only the second pass rejects.
 */
function bulkExport(patients = 2 * BATCH_PATIENTS + 37): string {
  const dir = tempDir();
  const ids = Array.from({ length: patients }, (_, i) => `p${(i * 7919) % patients}`);
  writeNdjson(
    dir,
    "Patient.ndjson",
    ids.map((id) => patient(id)),
  );
  const observations = ids.flatMap((id, i) => [
    JSON.stringify(ihc(`${id}-ihc`, `Patient/${id}`, SCORES[i % 4] ?? "0")),
    JSON.stringify(hemoglobin(`${id}-hb`, `Patient/${id}`)),
  ]);
  // Canonical-looking lines that the first pass files under a patient without parsing them (raw-scan.ts):
  // truncated JSON, and a subject nested in a component. Both are reported when they are read again.
  observations.splice(11, 0, JSON.stringify(ihc("cut", "Patient/p3", "3+")).slice(0, -20));
  observations.splice(
    400,
    0,
    '{"resourceType":"Observation","id":"n","code":{"text":"HER2 IHC"},"component":[{"subject":{"reference":"Patient/p5"}}]}',
  );
  // A patient whose only line is truncated: left out, not reported as "no-result".
  observations.push(JSON.stringify(ihc("gone", "Patient/zz-gone", "1+")).slice(0, -10));
  writeText(dir, "Observation.ndjson", `${observations.join("\n")}\n`);
  writeNdjson(
    dir,
    "Condition.ndjson",
    ids.filter((_, i) => i % 3 !== 0).map((id) => breastCancer(`${id}-c`, `Patient/${id}`)),
  );
  writeNdjson(dir, "Medication.ndjson", [trastuzumab("t")]);
  writeNdjson(
    dir,
    "MedicationRequest.ndjson",
    ids
      .filter((_, i) => i % 5 === 0)
      .map((id) => medicationRequest(`${id}-mr`, `Patient/${id}`, "Medication/t")),
  );
  return dir;
}

const IN_PROCESS: ReviewTuning = { workers: 0 };
afterEach(() => {
  vi.unstubAllEnvs();
});
const WORKERS: ReviewTuning = { workers: 2, parallelFrom: 0 };

describe("her2 review in worker threads", () => {
  it("prints the same NDJSON and stderr, byte for byte, as the in-process review", async () => {
    const dir = bulkExport();
    const alone = await run([dir], IN_PROCESS);
    const parallel = await run([dir], WORKERS);
    expect(alone.result.workers).toBe(0);
    expect(parallel.result.workers).toBe(2);
    expect(parallel.stdout).toBe(alone.stdout);
    expect(parallel.stderr).toBe(alone.stderr);
    expect(parallel.result).toEqual({
      ...alone.result,
      workers: 2,
      assessMs: parallel.result.assessMs,
      firstPassMs: parallel.result.firstPassMs,
    });

    // The comparison is only worth something if the run covered what it is meant to.
    const lines = alone.stdout.trimEnd().split("\n");
    const ids = lines.map((l) => (JSON.parse(l) as { patient: string }).patient);
    expect(ids).toHaveLength(2 * BATCH_PATIENTS + 37);
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(ids).not.toContain("Patient/zz-gone");
    expect(alone.stderr).toMatch(/Observation\.ndjson:12: warning: not valid JSON/);
    expect(alone.stderr).toContain(
      "Observation.ndjson:401: warning: Observation cannot be proven to belong to a patient (it has no subject or patient reference); skipped",
    );
    expect(alone.result.warnings).toBe(3);
  });

  it("prints the same NDJSON and stderr when a scan worker reads part of the first pass", async () => {
    const dir = bulkExport();
    const alone = await run([dir], IN_PROCESS);
    const scanned = await run([dir], { ...WORKERS, parallelScanFromBytes: 0 });
    expect(alone.result.scanWorkers).toBe(0);
    expect(scanned.result.scanWorkers).toBe(1);
    expect(scanned.stdout).toBe(alone.stdout);
    expect(scanned.stderr).toBe(alone.stderr);
    // Above the default size only: this small export is read by the main thread alone.
    expect((await run([dir], WORKERS)).result.scanWorkers).toBe(0);
  });

  it("prints the same output with the scan worker, the review worker and the index spilled to disk together", async () => {
    const dir = bulkExport();
    const alone = await run([dir], IN_PROCESS);
    vi.stubEnv("TMPDIR", tempDir());
    vi.stubEnv("HER2_INDEX_MEMORY_BYTES", "4000");
    const all = await run([dir], { ...WORKERS, parallelScanFromBytes: 0 });
    expect(all.result.scanWorkers).toBe(1);
    expect(all.result.workers).toBe(2);
    expect(all.stdout).toBe(alone.stdout);
    expect(all.stderr).toBe(alone.stderr);
  });

  it("the index's temporary files removed during the review: exit 2, one line saying the output is incomplete", async () => {
    const dir = bulkExport();
    const tmp = tempDir();
    vi.stubEnv("TMPDIR", tmp);
    vi.stubEnv("HER2_INDEX_MEMORY_BYTES", "4000");
    let removed = false;
    const stdout = new Writable({
      write(_chunk: Buffer, _encoding, callback) {
        if (!removed) {
          removed = true;
          for (const name of readdirSync(tmp)) rmSync(join(tmp, name), { recursive: true, force: true });
        }
        callback();
      },
    });
    const stderr = new Sink();
    const result = await review(
      { inputs: [dir], format: "ndjson", asOf: AS_OF, flags: [], statuses: [] },
      { stdout, stderr },
      IN_PROCESS,
    );
    expect(removed).toBe(true);
    expect(result.exitCode).toBe(2);
    expect(stderr.text).toMatch(
      /her2: cannot read the patient index's temporary file .*; the output is incomplete\n$/,
    );
    expect(stderr.text).not.toContain("her2 review:");
  });

  it("an index that fails while batches are being cut for a worker: the review fails, the process does not", async () => {
    // Past the batches cut when the review starts, so the failure comes from a worker's message handler.
    function* groups(): Generator<PatientGroup> {
      for (let p = 0; p < 10 * BATCH_PATIENTS; p++) {
        if (p === 8 * BATCH_PATIENTS) throw new UsageError("cannot read the patient index");
        yield { key: `Patient/p${String(p).padStart(5, "0")}`, lines: [], bundleFiles: [] };
      }
    }
    const setup = {
      files: [],
      shared: [],
      asOf: AS_OF,
      codeMap: EMPTY_CODE_MAP,
      format: "ndjson" as const,
      filters: { flags: [], statuses: [] },
    };
    let batches = 0;
    await expect(
      reviewInWorkers(groups(), setup, 1, () => {
        batches++;
        return Promise.resolve();
      }),
    ).rejects.toThrow("cannot read the patient index");
    expect(batches).toBeLessThanOrEqual(8);
  });

  it("prints the same CSV, with filters, as the in-process review", async () => {
    const dir = bulkExport();
    const options: Partial<ReviewOptions> = { format: "csv", statuses: ["positive", "equivocal"] };
    const alone = await run([dir], IN_PROCESS, options);
    const parallel = await run([dir], WORKERS, options);
    expect(parallel.result.workers).toBe(2);
    expect(parallel.stdout).toBe(alone.stdout);
    expect(parallel.stderr).toBe(alone.stderr);
    expect(parallel.stderr).toMatch(/\(\d+ shown\)/);
    expect(alone.stdout.split("\n").length).toBeGreaterThan(100);
  });

  it("a worker that fails: the main thread assesses its batches, the output is unchanged and a note says so", async () => {
    const dir = bulkExport();
    const alone = await run([dir], IN_PROCESS);
    const failing = await run([dir], { workers: 1, parallelFrom: 0, workerExitAfterBatches: 1 });
    expect(failing.stdout).toBe(alone.stdout);
    expect(failing.result.exitCode).toBe(alone.result.exitCode);
    const notes = failing.stderr
      .split("\n")
      .filter((l) => l.startsWith("her2: note: a review worker failed"));
    expect(notes).toHaveLength(1);
    expect(failing.stderr.replace(`${notes[0] ?? ""}\n`, "")).toBe(alone.stderr);
  });

  it.each([
    ["in-process", IN_PROCESS],
    ["with a worker", WORKERS],
  ])(
    "an output stream closed part-way ends the review with an error (%s), never a hang",
    async (_label, tuning) => {
      const dir = bulkExport();
      let bytes = 0;
      const closing = new Writable({
        highWaterMark: 1024,
        write(chunk: Buffer, _encoding, callback) {
          bytes += chunk.length;
          if (bytes > 100_000) this.destroy();
          else setTimeout(callback, 1);
        },
      });
      await expect(
        review(
          { inputs: [dir], format: "ndjson", asOf: AS_OF, flags: [], statuses: [] },
          { stdout: closing, stderr: new Sink() },
          tuning,
        ),
      ).rejects.toThrow(/closed before the review ended/);
    },
  );

  it("gives the same output with one worker as with two", async () => {
    const dir = bulkExport(BATCH_PATIENTS + 1);
    const one = await run([dir], { workers: 1, parallelFrom: 0 });
    const two = await run([dir], WORKERS);
    expect(one.result.workers).toBe(1);
    expect(two.stdout).toBe(one.stdout);
  });

  it("uses one worker by default on a machine with two cores or more; HER2_REVIEW_WORKERS=0 turns it off", async () => {
    const dir = bulkExport(20);
    vi.stubEnv("HER2_REVIEW_WORKERS", "");
    const byDefault = await run([dir], { parallelFrom: 0 });
    expect(byDefault.result.workers).toBe(availableParallelism() >= 2 ? 1 : 0);
    vi.stubEnv("HER2_REVIEW_WORKERS", "0");
    expect((await run([dir], { parallelFrom: 0 })).result.workers).toBe(0);
    vi.stubEnv("HER2_REVIEW_WORKERS", "off");
    const typo = await run([dir], { parallelFrom: 0 });
    expect(typo.result.workers).toBe(0);
    expect(typo.stderr).toContain(
      "her2: note: HER2_REVIEW_WORKERS=off is not a whole number; no worker threads",
    );
    vi.stubEnv("HER2_REVIEW_WORKERS", "1");
    const parallel = await run([dir], { parallelFrom: 0 });
    expect(parallel.result.workers).toBe(1);
    expect(parallel.stdout).toBe((await run([dir], IN_PROCESS)).stdout);
  });

  it("HER2_REVIEW_WORKERS=off is noted only where workers would run: a usage error still prints one line", async () => {
    vi.stubEnv("HER2_REVIEW_WORKERS", "off");
    const missing = await run([`${tempDir()}/missing.ndjson`], {});
    expect(missing.result.exitCode).toBe(2);
    expect(missing.stderr.trimEnd().split("\n")).toEqual([
      expect.stringMatching(/^her2: no such file or folder/),
    ]);
    const small = await run([bulkExport(20)], {}, { format: "table" });
    expect(small.stderr).not.toContain("HER2_REVIEW_WORKERS");
  });

  it("stays in-process for small inputs, very large ones (memory), tables and Bundles", async () => {
    const dir = bulkExport(20);
    expect((await run([dir], { workers: 2 })).result.workers).toBe(0);
    expect((await run([dir], { ...WORKERS, parallelUpTo: 10 })).result.workers).toBe(0);
    expect((await run([dir], { ...WORKERS, parallelUpTo: 1000 })).result.workers).toBe(2);
    expect((await run([dir], WORKERS, { format: "table" })).result.workers).toBe(0);
    const withBundle = tempDir();
    writeJson(withBundle, "b.json", bundle("collection", [{ resource: patient("b") }]));
    writeNdjson(withBundle, "Observation.ndjson", [ihc("o", "Patient/b", "3+")]);
    const bundled = await run([withBundle], WORKERS);
    expect(bundled.result.workers).toBe(0);
    expect(bundled.result.patients).toBe(1);
  });
});
