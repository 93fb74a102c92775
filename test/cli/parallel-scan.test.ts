// @vitest-environment node
/**
 * The first pass over two threads (parallel-scan.ts, scan-worker.ts) against the first pass on one: the same inputs
 * must give the same index (every patient's line locations, in order), the same shared Medications and resource
 * count, and the same stderr, byte for byte, wherever the worker's part starts: in the middle of a file, at a file
 * boundary, or covering files with broken lines, blank lines, a byte order mark, CRLF line ends, more than 20
 * warnings, types the rules do not use, and a first line that is not FHIR.
 */
import type { Resource } from "fhir/r4";
import { readFileSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Diagnostics, UsageError } from "../../src/cli/diagnostics";
import { firstPass, type FirstPassState } from "../../src/cli/first-pass";
import { PatientIndex } from "../../src/cli/grouping";
import { discoverInputs } from "../../src/cli/inputs";
import type { ParallelScanOptions } from "../../src/cli/parallel-scan";
import { planScan } from "../../src/cli/parallel-scan";
import { EMPTY_CODE_MAP } from "../../src/fhir/code-map";
import {
  breastCancer,
  hemoglobin,
  ihc,
  medicationRequest,
  patient,
  Sink,
  tempDir,
  trastuzumab,
  writeNdjson,
  writeText,
} from "./helpers";

interface FirstPassRun {
  stderr: string;
  groups: string;
  shared: [string, Resource][];
  resources: number;
  error?: string;
}

async function runFirstPass(dir: string, parallelScan?: ParallelScanOptions): Promise<FirstPassRun> {
  const stderr = new Sink();
  const index = new PatientIndex();
  const shared = new Map<string, Resource>();
  const state: FirstPassState = {
    index,
    shared,
    diagnostics: new Diagnostics(stderr),
    codeMap: EMPTY_CODE_MAP,
    resources: 0,
    onBundleGrouped: () => undefined,
    onBytes: () => undefined,
    onLine: undefined,
    parallelScan,
  };
  let error: string | undefined;
  try {
    await firstPass(discoverInputs([dir]), state);
  } catch (thrown) {
    if (!(thrown instanceof UsageError)) throw thrown;
    error = thrown.message;
  }
  return {
    stderr: stderr.text,
    groups: error === undefined ? JSON.stringify([...index.groups()]) : "",
    shared: [...shared],
    resources: state.resources,
    ...(error === undefined ? {} : { error }),
  };
}

/**
 * An export with every kind of line the first pass treats differently, in files of different sizes. Patients' lines
 * are spread over all files, so a patient's lines come from both threads.
 */
function messyExport(): string {
  const dir = tempDir();
  const ids = Array.from({ length: 300 }, (_, i) => `p${(i * 37) % 300}`);
  // Sorted first: lines the scan cannot read without parsing (pretty spacing), a subject only in a contained resource.
  writeText(
    dir,
    "A.ndjson",
    ids
      .map((id, i) =>
        i % 10 === 0
          ? JSON.stringify(breastCancer(`${id}-c`, `Patient/${id}`), null, 0).replace(":", ": ")
          : JSON.stringify(breastCancer(`${id}-c`, `Patient/${id}`)),
      )
      .join("\n") + "\n",
  );
  // A byte order mark and CRLF line ends.
  writeText(dir, "B.ndjson", "\ufeff" + ids.map((id) => JSON.stringify(patient(id))).join("\r\n") + "\r\n");
  writeNdjson(dir, "Encounter.ndjson", [{ resourceType: "Encounter", id: "e" }]);
  writeText(dir, "C.ndjson", "");
  // Warnings before the first FHIR line (held back), 30 broken lines in the middle (past the 20 shown), blank
  // lines, skipped types by content, Medications, and canonical lines of several patients.
  const lines: string[] = ["not json", '{"no":"type"}', ""];
  ids.forEach((id, i) => {
    lines.push(JSON.stringify(ihc(`${id}-ihc`, `Patient/${id}`, ["0", "1+", "2+", "3+"][i % 4] ?? "0")));
    lines.push(JSON.stringify(hemoglobin(`${id}-hb`, `Patient/${id}`)));
    if (i % 50 === 7) lines.push(JSON.stringify({ resourceType: "Encounter", id: `e${i}` }));
    if (i % 60 === 3) lines.push(JSON.stringify(trastuzumab(`t${i}`)));
    if (i % 9 === 0) lines.push("");
    if (i >= 100 && i < 130) lines.push(`{"broken": ${i}`);
    if (i === 200) lines.push(JSON.stringify({ resourceType: "Observation", id: "no-subject" }));
  });
  writeText(dir, "D.ndjson", lines.join("\n") + "\n");
  writeNdjson(
    dir,
    "E.ndjson",
    ids
      .filter((_, i) => i % 3 === 0)
      .map((id) => medicationRequest(`${id}-mr`, `Patient/${id}`, "Medication/t3")),
  );
  // A file whose first lines are not FHIR, then FHIR: held back, then shown.
  writeText(dir, "F.ndjson", `oops\n${JSON.stringify(hemoglobin("last", "Patient/p1"))}`);
  return dir;
}

const SHARES = [0.02, 0.1, 0.3, 0.5, 0.7, 0.9, 1];

describe("first pass on two threads", () => {
  it("gives the one-thread index, Medications, counts and stderr wherever the worker's part starts", async () => {
    const dir = messyExport();
    const single = await runFirstPass(dir);
    // The corpus exercises what it claims to.
    expect(single.stderr).toContain("D.ndjson:1: warning: not valid JSON");
    expect(single.stderr).toContain("more warnings like these were not shown");
    expect(single.stderr).toContain("C.ndjson: warning: empty file");
    expect(single.stderr).toContain("F.ndjson:1: warning");
    expect(single.shared.length).toBeGreaterThan(0);
    for (const share of SHARES) {
      const parallel = await runFirstPass(dir, { workers: 1, fromBytes: 0, share });
      expect({ share, ...parallel }).toEqual({ share, ...single });
    }
  });

  it("cuts the file where the share runs out just after a line break, and gives the worker the files after it", () => {
    const dir = messyExport();
    const files = discoverInputs([dir]);
    const plan = planScan(files, 0.5);
    const paths = plan.ranges.map((r) => r.path);
    expect(paths[paths.length - 1]).toMatch(/F\.ndjson$/);
    const first = plan.ranges[0];
    if (first === undefined) throw new Error("no range");
    expect(first.start).toBeGreaterThan(0);
    const text = readFileSync(first.path);
    expect(text[first.start - 1]).toBe(10);
    const workerBytes = plan.ranges.reduce((sum, r) => sum + r.end - r.start, 0);
    const ndjsonBytes = files
      .filter((f) => !f.path.endsWith("Encounter.ndjson"))
      .reduce((sum, f) => sum + statSync(f.path).size, 0);
    expect(workerBytes / ndjsonBytes).toBeGreaterThan(0.45);
    expect(workerBytes / ndjsonBytes).toBeLessThan(0.55);
    // Skipped by its name: never given to the worker.
    expect(paths.some((p) => p.endsWith("Encounter.ndjson"))).toBe(false);
  });

  it("rejects a file that holds no FHIR line with the same message, wherever the cut is", async () => {
    const dir = tempDir();
    writeNdjson(dir, "A.ndjson", [patient("a")]);
    writeText(dir, "B.ndjson", Array.from({ length: 200 }, (_, i) => `junk line ${i}`).join("\n"));
    const single = await runFirstPass(dir);
    expect(single.error).toMatch(/B\.ndjson: not FHIR NDJSON: no line is a FHIR resource/);
    for (const share of [0.3, 0.9]) {
      expect(await runFirstPass(dir, { workers: 1, fromBytes: 0, share })).toEqual(single);
    }
  });

  it("reads the worker's part on the main thread when the worker stops, with a note and the same index", async () => {
    const dir = messyExport();
    const single = await runFirstPass(dir);
    const parallel = await runFirstPass(dir, { workers: 1, fromBytes: 0, share: 0.5, exitAfterRanges: 1 });
    expect(parallel.groups).toBe(single.groups);
    expect(parallel.shared).toEqual(single.shared);
    expect(parallel.resources).toBe(single.resources);
    expect(parallel.stderr).toMatch(
      /her2: note: a scan worker failed \(.*\); the main thread reads the rest, from .*\.ndjson line \d+\n/,
    );
    expect(parallel.stderr.replace(/her2: note: a scan worker failed.*\n/, "")).toBe(single.stderr);
  });

  it("stays on one thread below the size limit", async () => {
    const dir = messyExport();
    const single = await runFirstPass(dir);
    expect(await runFirstPass(dir, { workers: 1, share: 0.5, exitAfterRanges: 0 })).toEqual(single);
  });
});
