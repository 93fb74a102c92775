// @vitest-environment node
/**
 * `her2 review` with the patient index spilled to temporary files (HER2_INDEX_MEMORY_BYTES set tiny) against the review
 * with the index in memory: the same stdout and stderr, byte for byte, in every format, in-process and with a review
 * worker, over the sandbox's patients (as Bundles and as NDJSON), a generated Bulk Data export, and the same export
 * with every file in patient-id order (the skew that makes buckets split again). The temporary folder is gone after
 * each run.
 */
import type { Bundle, Resource } from "fhir/r4";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { FormatName } from "../../src/cli/formats";
import type { ReviewTuning } from "../../src/cli/review";
import { generateExport } from "../../bench/generate-export";
import { runReview, tempDir, writeNdjson, writeText, type ReviewRun } from "./helpers";

afterEach(() => {
  vi.unstubAllEnvs();
});

const sandbox = join(import.meta.dirname, "../../sandbox/patients");

/** The sandbox's patient Bundles as a Bulk Data folder: one NDJSON file per resource type, references as `Type/id`. */
function sandboxAsNdjson(): string {
  const dir = tempDir();
  const byType = new Map<string, Resource[]>();
  for (const name of readdirSync(sandbox).filter((n) => n !== "index.json" && n.endsWith(".json"))) {
    let text = readFileSync(join(sandbox, name), "utf8");
    const bundle = JSON.parse(text) as Bundle;
    for (const entry of bundle.entry ?? []) {
      if (entry.fullUrl && entry.resource?.id) {
        text = text.replaceAll(`"${entry.fullUrl}"`, `"${entry.resource.resourceType}/${entry.resource.id}"`);
      }
    }
    for (const entry of (JSON.parse(text) as Bundle).entry ?? []) {
      if (!entry.resource) continue;
      const list = byType.get(entry.resource.resourceType) ?? [];
      list.push(entry.resource);
      byType.set(entry.resource.resourceType, list);
    }
  }
  for (const [type, resources] of byType) writeNdjson(dir, `${type}.ndjson`, resources);
  return dir;
}

/** The patient a generated line belongs to, for sorting: the Patient's id or the subject's reference. */
function patientOf(line: string): string {
  const resource = JSON.parse(line) as {
    resourceType: string;
    id?: string;
    subject?: { reference?: string };
  };
  return resource.resourceType === "Patient"
    ? `Patient/${resource.id ?? ""}`
    : (resource.subject?.reference ?? "");
}

/** A generated export (more than two batches of patients), and a copy whose every file is in patient-id order. */
function generated(): { shuffled: string; sorted: string } {
  const shuffled = tempDir();
  generateExport(shuffled, 450);
  const sorted = tempDir();
  for (const name of readdirSync(shuffled)) {
    const text = readFileSync(join(shuffled, name), "utf8");
    if (!name.endsWith(".ndjson")) continue;
    const lines = text.split("\n").filter((l) => l !== "");
    const keyed = lines.map((l) => ({ l, key: patientOf(l) }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    writeText(sorted, name, `${keyed.map((k) => k.l).join("\n")}\n`);
  }
  return { shuffled, sorted };
}

const IN_PROCESS: ReviewTuning = { workers: 0 };
const WORKER: ReviewTuning = { workers: 1, parallelFrom: 0 };

/** The review with the index spilled past `memoryBytes`, its temporary files under a TMPDIR of its own. */
async function spilledReview(
  inputs: string[],
  memoryBytes: number,
  format: FormatName,
  tuning: ReviewTuning,
): Promise<ReviewRun & { leftInTmp: string[] }> {
  const tmp = tempDir();
  vi.stubEnv("TMPDIR", tmp);
  vi.stubEnv("HER2_INDEX_MEMORY_BYTES", String(memoryBytes));
  try {
    const run = await runReview(inputs, { format }, tuning);
    // (A worker started from the TypeScript source leaves tsx's cache there.)
    return { ...run, leftInTmp: readdirSync(tmp).filter((name) => name.startsWith("her2-")) };
  } finally {
    vi.unstubAllEnvs();
  }
}

const corpora: { name: string; inputs: () => string[]; memoryBytes: number; workers: boolean }[] = [
  // Bundles: the index holds Bundle memberships; only the main thread can review them.
  { name: "sandbox patients (Bundles)", inputs: () => [sandbox], memoryBytes: 200, workers: false },
  { name: "sandbox patients as NDJSON", inputs: () => [sandboxAsNdjson()], memoryBytes: 300, workers: false },
  { name: "generated export", inputs: () => [generated().shuffled], memoryBytes: 10_000, workers: true },
  {
    name: "generated export, files in id order",
    inputs: () => [generated().sorted],
    memoryBytes: 2000,
    workers: true,
  },
];

// Each test makes its corpus: the helpers remove temporary folders after every test.
describe.each(corpora)(
  "$name: spilled index against the index in memory",
  ({ inputs, memoryBytes, workers }) => {
    it("the setting does spill: with no usable TMPDIR it fails with exit code 2, one line on stderr, no output", async () => {
      const folder = inputs();
      const missing = join(tempDir(), "missing");
      vi.stubEnv("TMPDIR", missing);
      vi.stubEnv("HER2_INDEX_MEMORY_BYTES", String(memoryBytes));
      const run = await runReview(folder);
      expect(run.result.exitCode).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr.split("\n").filter((l) => l.startsWith("her2: "))).toEqual([
        expect.stringMatching(
          new RegExp(`^her2: cannot create a temporary folder for the patient index in ${missing} \\(ENOENT`),
        ),
      ]);
    });

    for (const format of ["ndjson", "csv", "table"] as const) {
      it(`${format}, in-process${workers && format !== "table" ? " and with a review worker" : ""}: byte for byte`, async () => {
        const folder = inputs();
        const memory = await runReview(folder, { format }, IN_PROCESS);
        expect(memory.result.exitCode).toBe(0);
        expect(memory.stdout.length).toBeGreaterThan(1000);
        const runs = [await spilledReview(folder, memoryBytes, format, IN_PROCESS)];
        if (workers && format !== "table")
          runs.push(await spilledReview(folder, memoryBytes, format, WORKER));
        for (const spilled of runs) {
          expect(spilled.stdout).toBe(memory.stdout);
          expect(spilled.stderr).toBe(memory.stderr);
          expect(spilled.result.exitCode).toBe(memory.result.exitCode);
          expect(spilled.leftInTmp).toEqual([]);
        }
        if (runs.length > 1) expect(runs[1]?.result.workers).toBe(1);
      });
    }
  },
);
