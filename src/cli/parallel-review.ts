/**
 * The second pass spread over worker threads (review-worker.ts). The main thread keeps the first pass and the index;
 * it sends batches of patients as line locations (file, offset, length, line number: typed arrays, transferred, no
 * parsed JSON), and each worker reads, parses, normalises and assesses them and sends back the output text of the
 * batch with what the summary and stderr need. The main thread hands the results on strictly in batch order, so the
 * output is byte for byte the in-process one. Memory stays bounded: at most a few batches per worker are sent and not
 * yet written at any time, and a worker holds one patient's resources at a time, like the in-process path.
 */
import { Worker } from "node:worker_threads";
import type { Resource } from "fhir/r4";
import type { Filters } from "./filters";
import type { FormatName } from "./formats";
import type { PatientGroup } from "./grouping";
import type { InputFile } from "./inputs";
import type { SummaryRecord } from "./summary";

/** Patients per batch: large enough that messages cost little, small enough to keep memory and the tail short. */
export const BATCH_PATIENTS = 500;
/** Batches sent and not yet written, per worker. */
const OUTSTANDING_PER_WORKER = 3;

/**
 * A worker's young generation, in MB. V8's default (up to 3 x 16 MB semi-spaces per thread) costs each worker tens of
 * MB of RSS for little speed: the batches' garbage is short-lived and small.
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/** Everything a worker needs, sent once when it starts. */
export interface WorkerSetup {
  files: readonly InputFile[];
  /** The shared Medications, by `Medication/<id>`. */
  shared: [string, Resource][];
  asOf: string;
  /** A format whose text for a patient does not depend on the other patients (not `table`). */
  format: Exclude<FormatName, "table">;
  filters: Filters;
}

export interface BatchRequest {
  id: number;
  /** `Patient/<id>` of each patient, in id order. */
  keys: string[];
  /** Number of lines of each patient. */
  counts: Uint32Array<ArrayBuffer>;
  /** Four numbers per line, patient after patient: file, offset, byte length, line number. */
  lines: Float64Array<ArrayBuffer>;
}

/** Something the main thread must write on stderr, in the order the in-process review would. */
export type StderrEvent =
  | { kind: "warn"; file: string; where: string; message: string }
  | { kind: "failed"; patient: string; message: string };

export interface BatchResult {
  id: number;
  /** The output of the batch's shown patients, concatenated. */
  text: string;
  /** One per assessed patient, in id order. */
  records: SummaryRecord[];
  events: StderrEvent[];
  /** Time in `buildPatientInput` + `assess`, in ms. */
  assessMs: number;
}

function encode(id: number, groups: readonly PatientGroup[]): BatchRequest {
  const total = groups.reduce((sum, g) => sum + g.lines.length, 0);
  const counts = new Uint32Array(groups.length);
  const lines = new Float64Array(total * 4);
  let at = 0;
  groups.forEach((group, p) => {
    counts[p] = group.lines.length;
    for (const line of group.lines) {
      lines[at++] = line.file;
      lines[at++] = line.offset;
      lines[at++] = line.byteLength;
      lines[at++] = line.lineNo;
    }
  });
  return { id, keys: groups.map((g) => g.key), counts, lines };
}

/**
 * Starts a worker that runs review-worker.ts. The worker is not under the main thread's tsx (or vitest) loader, so
 * a small bootstrap registers tsx in it first, as bin/her2.js does for the main thread.
 */
function startWorker(setup: WorkerSetup): Worker {
  const tsx = import.meta.resolve("tsx/esm/api");
  const entry = new URL("./review-worker.ts", import.meta.url).href;
  const bootstrap =
    `import(${JSON.stringify(tsx)})` +
    `.then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, {
    eval: true,
    workerData: setup,
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
}

/**
 * Runs the second pass in `workerCount` workers.
 * @param groups The patients in id order (from the index).
 * @param onBatch Called with each batch's result, in patient-id order, one at a time (awaited, for backpressure).
 */
export async function reviewInWorkers(
  groups: Iterator<PatientGroup>,
  setup: WorkerSetup,
  workerCount: number,
  onBatch: (result: BatchResult, patients: number) => Promise<void>,
): Promise<void> {
  const workers = Array.from({ length: workerCount }, () => startWorker(setup));
  const busy = workers.map(() => 0);
  const sizes = new Map<number, number>();
  const results = new Map<number, BatchResult>();
  let sent = 0;
  let written = 0;
  let exhausted = false;
  let draining = false;
  let finished = false;

  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (error: unknown): void => {
        finished = true;
        reject(error instanceof Error ? error : new Error(String(error)));
      };

      const nextBatch = (): PatientGroup[] => {
        const batch: PatientGroup[] = [];
        while (batch.length < BATCH_PATIENTS) {
          const next = groups.next();
          if (next.done === true) {
            exhausted = true;
            break;
          }
          batch.push(next.value);
        }
        return batch;
      };

      const dispatch = (): void => {
        while (!exhausted && !finished && sent - written < OUTSTANDING_PER_WORKER * workerCount) {
          const batch = nextBatch();
          if (batch.length === 0) break;
          // The least busy worker takes it.
          const w = busy.indexOf(Math.min(...busy));
          const request = encode(sent, batch);
          sizes.set(sent, batch.length);
          sent++;
          busy[w] = (busy[w] ?? 0) + 1;
          workers[w]?.postMessage(request, [request.counts.buffer, request.lines.buffer]);
        }
        if (exhausted && written === sent && !finished) {
          finished = true;
          resolve();
        }
      };

      const drain = async (): Promise<void> => {
        if (draining) return;
        draining = true;
        try {
          for (let result = results.get(written); result !== undefined; result = results.get(written)) {
            results.delete(written);
            const patients = sizes.get(written) ?? 0;
            sizes.delete(written);
            await onBatch(result, patients);
            written++;
            dispatch();
          }
        } finally {
          draining = false;
        }
      };

      workers.forEach((worker, w) => {
        worker.on("message", (result: BatchResult) => {
          busy[w] = (busy[w] ?? 1) - 1;
          results.set(result.id, result);
          drain().catch(fail);
          dispatch();
        });
        worker.on("error", fail);
        worker.on("exit", (code) => {
          if (!finished) fail(new Error(`review worker stopped early (exit code ${code})`));
        });
      });
      dispatch();
    });
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
