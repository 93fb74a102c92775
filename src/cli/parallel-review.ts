/**
 * The second pass spread over threads. The main thread keeps the first pass and the index; it cuts the patients (in
 * id order) into batches and sends batches to worker threads (review-worker.ts) as line locations (file, offset,
 * length, line number: typed arrays, transferred, no parsed JSON). Each worker reads, parses, normalises and
 * assesses its batches and sends back their output text with what the summary and stderr need. Between messages the
 * main thread assesses batches too, so on a 2-core machine one worker keeps both cores busy and costs one worker's
 * memory, not two. Results are handed on strictly in batch order, so the output is byte for byte the in-process one.
 * Memory stays bounded: only a few batches per thread are cut and not yet written at any time, and each thread holds
 * one patient's resources at a time, like the in-process path.
 */
import type { Worker } from "node:worker_threads";
import type { Resource } from "fhir/r4";
import type { CodeMap } from "../fhir/code-map";
import { assessBatch, type BatchLoader, type BatchResult } from "./assess-batch";
import type { Filters } from "./filters";
import { outputFormat, type PerPatientFormatName } from "./formats";
import type { LineLocation, PatientGroup } from "./grouping";
import type { InputFile } from "./inputs";
import { PatientResources } from "./patient-resources";
import { startCliWorker } from "./worker-start";

/** Patients per batch: large enough that messages cost little, small enough to keep memory and the tail short. */
export const BATCH_PATIENTS = 200;
/** Batches cut and not yet written, per thread. */
const OUTSTANDING_PER_THREAD = 2;
/**
 * A worker's young generation, in MB: below V8's default (up to 3 x 16 MB semi-spaces), which would cost tens of MB
 * more RSS. Since a batch's output is encoded as it is made (utf8.ts), almost nothing a batch allocates outlives a
 * scavenge, so fewer of them (32 MB: about 140 at 100,000 patients, against 430 with 8 MB) save their fixed cost for
 * about 10 MB of RSS.
 */
const WORKER_YOUNG_GENERATION_MB = 32;

/** Everything a worker needs, sent once when it starts. */
export interface WorkerSetup {
  files: readonly InputFile[];
  /** The shared Medications, by `Medication/<id>`, each with its distinct copies. */
  shared: [string, readonly Resource[]][];
  asOf: string;
  codeMap: CodeMap;
  /** Tests only: the worker exits after serving this many batches (to check that the main thread takes over). */
  exitAfterBatches?: number;
  /** A format whose text for a patient does not depend on the other patients (not `table` or `html`). */
  format: PerPatientFormatName;
  filters: Filters;
}

export interface BatchRequest {
  id: number;
  /** `Patient/<id>` of each patient, in id order. */
  keys: string[];
  /** Number of lines of each patient. */
  counts: Uint32Array<ArrayBuffer>;
  /** Five numbers per line, patient after patient: file, offset, byte length, line number, deferred (1 or 0). */
  lines: Float64Array<ArrayBuffer>;
}

/** A loader for NDJSON lines whose warnings are collected for the main thread. */
export function batchLoader(
  files: readonly InputFile[],
  shared: ReadonlyMap<string, readonly Resource[]>,
): BatchLoader {
  const target: BatchLoader = {
    events: [],
    loader: new PatientResources(files, shared, {
      warn: (file, where, message) => {
        target.events.push({ kind: "warn", file, where, message });
      },
      skip: (file, where, message) => {
        target.events.push({ kind: "warn", file, where, message, skipped: true });
      },
    }),
  };
  return target;
}

function encode(id: number, groups: readonly PatientGroup[]): BatchRequest {
  const total = groups.reduce((sum, g) => sum + g.lines.length, 0);
  const counts = new Uint32Array(groups.length);
  const lines = new Float64Array(total * 5);
  let at = 0;
  groups.forEach((group, p) => {
    counts[p] = group.lines.length;
    for (const line of group.lines) {
      lines[at++] = line.file;
      lines[at++] = line.offset;
      lines[at++] = line.byteLength;
      lines[at++] = line.lineNo;
      lines[at++] = line.deferred ? 1 : 0;
    }
  });
  return { id, keys: groups.map((g) => g.key), counts, lines };
}

/** The patients of a request, as the index gave them. */
export function decode(request: BatchRequest): PatientGroup[] {
  let at = 0;
  return request.keys.map((key, p) => {
    const lines: LineLocation[] = [];
    for (let k = 0; k < (request.counts[p] ?? 0); k++, at += 5) {
      lines.push({
        file: request.lines[at] ?? 0,
        offset: request.lines[at + 1] ?? 0,
        byteLength: request.lines[at + 2] ?? 0,
        lineNo: request.lines[at + 3] ?? 0,
        deferred: request.lines[at + 4] === 1,
      });
    }
    return { key, lines, bundleFiles: [] };
  });
}

/** What main.ts finds in `workerData` when it starts as a review worker rather than as the command. */
export interface WorkerStart {
  role: typeof WORKER_ROLE;
  setup: WorkerSetup;
}

export const WORKER_ROLE = "her2-review-worker";

function startWorker(setup: WorkerSetup): Worker {
  const workerData: WorkerStart = { role: WORKER_ROLE, setup };
  return startCliWorker(workerData, "./review-worker.ts", "runReviewWorker", {
    maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB,
  });
}

/**
 * Runs the second pass in `workerCount` workers and the main thread.
 * @param groups The patients in id order (from the index).
 * @param onBatch Called with each batch's result, in patient-id order, one at a time (awaited, for backpressure).
 * @param onWorkerLost Called once per worker that fails or exits early: the main thread then assesses that worker's
 *   outstanding batches itself and goes on without it, so a worker never fails a run that in-process would complete.
 */
export async function reviewInWorkers(
  groups: Iterator<PatientGroup>,
  setup: WorkerSetup,
  workerCount: number,
  onBatch: (result: BatchResult, patients: number) => Promise<void>,
  onWorkerLost: (reason: string) => void = () => undefined,
): Promise<void> {
  const workers = Array.from({ length: workerCount }, () => startWorker(setup));
  const local = batchLoader(setup.files, new Map(setup.shared));
  const format = outputFormat(setup.format);
  const busy = workers.map(() => 0);
  const lost = new Set<number>();
  /**
   * Batches a worker holds and has not answered yet, kept (encoded: typed arrays, not line objects that would outlive
   * young-generation collections) to be assessed here if the worker is lost.
   */
  const assigned = new Map<number, { worker: number; request: BatchRequest }>();
  /** Batches the main thread is to assess, in order. */
  const localQueue: { id: number; batch: PatientGroup[] }[] = [];
  let localBusy = false;
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
        while (!exhausted && batch.length < BATCH_PATIENTS) {
          let next: IteratorResult<PatientGroup>;
          try {
            next = groups.next();
          } catch (error) {
            // The index could not be read (grouping.ts): ends the review, not the process from an event handler.
            exhausted = true;
            fail(error);
            return [];
          }
          if (next.done === true) exhausted = true;
          else batch.push(next.value);
        }
        if (batch.length > 0) sizes.set(sent, batch.length);
        return batch;
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

      const runLocal = (): void => {
        if (localBusy || finished) return;
        const job = localQueue.shift();
        if (job === undefined) return;
        localBusy = true;
        // On a later turn of the event loop: the workers' messages and the output are served in between.
        setImmediate(() => {
          if (finished) return;
          try {
            results.set(job.id, assessBatch(job.id, job.batch, local, setup, format));
          } catch (error) {
            fail(error);
            return;
          }
          localBusy = false;
          drain().catch(fail);
          runLocal();
          dispatch();
        });
      };

      const loseWorker = (w: number, reason: string): void => {
        if (finished || lost.has(w)) return;
        lost.add(w);
        busy[w] = Number.POSITIVE_INFINITY;
        const orphans = [...assigned].filter(([, a]) => a.worker === w).sort(([x], [y]) => x - y);
        for (const [id, { request }] of orphans) {
          assigned.delete(id);
          localQueue.push({ id, batch: decode(request) });
        }
        onWorkerLost(reason);
        runLocal();
        dispatch();
      };

      function dispatch(): void {
        const alive = workerCount - lost.size;
        const limit = OUTSTANDING_PER_THREAD * (alive + 1);
        while (!exhausted && !finished && sent - written < limit) {
          // The least busy worker takes the batch, unless it has its fill; then the main thread takes it if idle.
          const w = busy.indexOf(Math.min(...busy));
          const toWorker = w !== -1 && !lost.has(w) && (busy[w] ?? 0) < OUTSTANDING_PER_THREAD;
          if (!toWorker && (localBusy || localQueue.length > 0)) break;
          const batch = nextBatch();
          if (batch.length === 0) break;
          const id = sent++;
          if (toWorker) {
            const request = encode(id, batch);
            busy[w] = (busy[w] ?? 0) + 1;
            // A copy stays here; the worker gets the buffers themselves.
            assigned.set(id, {
              worker: w,
              request: { ...request, counts: request.counts.slice(), lines: request.lines.slice() },
            });
            workers[w]?.postMessage(request, [request.counts.buffer, request.lines.buffer]);
          } else {
            localQueue.push({ id, batch });
            runLocal();
          }
        }
        if (exhausted && written === sent && !finished) {
          finished = true;
          resolve();
        }
      }

      workers.forEach((worker, w) => {
        worker.on("message", (result: BatchResult) => {
          // A lost worker's batches are assessed here instead: a late answer is not used twice.
          if (lost.has(w) || !assigned.has(result.id)) return;
          assigned.delete(result.id);
          busy[w] = (busy[w] ?? 1) - 1;
          results.set(result.id, result);
          drain().catch(fail);
          dispatch();
        });
        worker.on("error", (error) => {
          loseWorker(w, error.message);
        });
        worker.on("exit", (code) => {
          loseWorker(w, `it stopped early (exit code ${String(code)})`);
        });
      });
      dispatch();
    });
  } finally {
    local.loader.close();
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
