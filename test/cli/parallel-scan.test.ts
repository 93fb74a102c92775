// @vitest-environment node
/**
 * The first pass over two threads (parallel-scan.ts, scan-worker.ts) against the first pass on one: the same inputs
 * must give the same index (every patient's line locations, in order), the same shared Medications and resource
 * count, and the same stderr, byte for byte, wherever the blocks of the two threads are cut: in the middle of a file,
 * at a file boundary, through files with broken lines, blank lines, a byte order mark, CRLF line ends, more than 20
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

/** Whether a scan worker took part in the last runFirstPass. */
let lastScanWorkers = 0;

interface FirstPassRun {
  stderr: string;
  groups: string;
  shared: [string, Resource[]][];
  resources: number;
  /** Not compared: whether the worker took part. */
  scanWorkers?: number;
  error?: string;
}

async function runFirstPass(dir: string, parallelScan?: ParallelScanOptions): Promise<FirstPassRun> {
  const stderr = new Sink();
  const index = new PatientIndex();
  const shared = new Map<string, Resource[]>();
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
  lastScanWorkers = state.scanWorkers ?? 0;
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

/** Worker shares and block sizes: cuts inside files and at their ends, one block or many per file. */
const SPLITS = [
  { share: 0.5, blockPairBytes: 1 << 30 },
  { share: 0.5, blockPairBytes: 4096 },
  { share: 0.3, blockPairBytes: 20_000 },
  { share: 0.7, blockPairBytes: 7_777 },
  { share: 0.02, blockPairBytes: 100_000 },
  { share: 0.98, blockPairBytes: 100_000 },
];

describe("first pass on two threads", () => {
  it("gives the one-thread index, Medications, counts and stderr wherever the blocks are cut", async () => {
    const dir = messyExport();
    const single = await runFirstPass(dir);
    // The corpus exercises what it claims to.
    expect(single.stderr).toContain("D.ndjson:1: warning: not valid JSON");
    expect(single.stderr).toContain("more warnings like these were not shown");
    expect(single.stderr).toContain("C.ndjson: warning: empty file");
    expect(single.stderr).toContain("F.ndjson:1: warning");
    expect(single.shared.length).toBeGreaterThan(0);
    for (const split of SPLITS) {
      const parallel = await runFirstPass(dir, { workers: 1, fromBytes: 0, ...split });
      expect(lastScanWorkers).toBe(1);
      expect({ split, ...parallel }).toEqual({ split, ...single });
    }
  });

  it("cuts the files into pieces that cover them, end just after a line break, and alternate between threads", () => {
    const dir = messyExport();
    const files = discoverInputs([dir]);
    const pairBytes = 10_000;
    const plan = planScan(files, 0.4, pairBytes);
    let workerBytes = 0;
    let total = 0;
    const owners: string[] = [];
    for (const [fileNumber, file] of files.entries()) {
      const pieces = plan.pieces.get(fileNumber);
      if (file.path.endsWith("Encounter.ndjson") || file.bytes === 0) {
        expect(pieces).toBeUndefined();
        continue;
      }
      if (pieces === undefined) throw new Error(`no pieces for ${file.path}`);
      const text = readFileSync(file.path);
      expect(pieces[0]?.start).toBe(0);
      expect(pieces[pieces.length - 1]?.end).toBe(file.bytes);
      pieces.forEach((piece, i) => {
        if (i > 0) expect(piece.start).toBe(pieces[i - 1]?.end);
        if (piece.end < file.bytes) expect(text[piece.end - 1]).toBe(10);
        if (piece.range !== undefined) {
          expect(plan.ranges[piece.range]).toEqual({ path: file.path, start: piece.start, end: piece.end });
          workerBytes += piece.end - piece.start;
        }
        owners.push(piece.range === undefined ? "main" : "worker");
      });
      total += file.bytes;
    }
    expect(total).toBe(
      files
        .filter((f) => !f.path.endsWith("Encounter.ndjson"))
        .reduce((n, f) => n + statSync(f.path).size, 0),
    );
    // Many blocks, in turn (a piece may end with its file, so the same thread can go on in the next file).
    expect(owners.filter((o, i) => o !== owners[i - 1]).length).toBeGreaterThan(10);
    expect(plan.ranges.map((r) => r.start)).not.toEqual(plan.ranges.map(() => 0));
    expect(workerBytes / total).toBeGreaterThan(0.35);
    expect(workerBytes / total).toBeLessThan(0.45);
  });

  it("rejects a file that holds no FHIR line with the same message, wherever the cut is", async () => {
    const dir = tempDir();
    writeNdjson(dir, "A.ndjson", [patient("a")]);
    writeText(dir, "B.ndjson", Array.from({ length: 200 }, (_, i) => `junk line ${i}`).join("\n"));
    const single = await runFirstPass(dir);
    expect(single.error).toMatch(/B\.ndjson: not FHIR NDJSON: no line is a FHIR resource/);
    for (const split of SPLITS) {
      expect(await runFirstPass(dir, { workers: 1, fromBytes: 0, ...split })).toEqual(single);
    }
  });

  it("reads the worker's part on the main thread when the worker stops, with a note and the same index", async () => {
    const dir = messyExport();
    const single = await runFirstPass(dir);
    const parallel = await runFirstPass(dir, {
      workers: 1,
      fromBytes: 0,
      share: 0.5,
      blockPairBytes: 10_000,
      exitAfterRanges: 3,
    });
    expect(parallel.groups).toBe(single.groups);
    expect(parallel.shared).toEqual(single.shared);
    expect(parallel.resources).toBe(single.resources);
    expect(parallel.stderr).toMatch(
      /her2: note: a scan worker failed \(.*\); the main thread reads the rest, from .*\.ndjson line \d+\n/,
    );
    expect(parallel.stderr.replace(/her2: note: a scan worker failed.*\n/, "")).toBe(single.stderr);
  });

  it("counts toward the size limit only the files it reads line by line, not those skipped by their name", async () => {
    const dir = tempDir();
    writeText(
      dir,
      "Claim.ndjson",
      Array.from({ length: 2000 }, (_, i) => JSON.stringify({ resourceType: "Claim", id: `c${i}` })).join(
        "\n",
      ),
    );
    writeNdjson(
      dir,
      "Observation.ndjson",
      Array.from({ length: 10 }, (_, i) => hemoglobin(`h${i}`, `Patient/p${i}`)),
    );
    const claimBytes = statSync(`${dir}/Claim.ndjson`).size;
    await runFirstPass(dir, { workers: 1, fromBytes: claimBytes });
    expect(lastScanWorkers).toBe(0);
  });

  it("stays on one thread below the size limit", async () => {
    const dir = messyExport();
    const single = await runFirstPass(dir);
    expect(
      await runFirstPass(dir, { workers: 1, share: 0.5, blockPairBytes: 10_000, exitAfterRanges: 0 }),
    ).toEqual(single);
  });
});
