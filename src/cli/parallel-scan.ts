/**
 * The first pass over two cores. Reading the export once (splitting lines, the raw scan, the prefilter) is a third of
 * a review's time, and the second core would otherwise wait for it. So the main thread reads the first part of the
 * NDJSON bytes and a scan worker (scan-worker.ts) the last part, a large file being cut between two lines; the main
 * thread then adds the worker's results to the index and to stderr in file order, as if it had read them itself.
 * Results depend only on line order, so the index and every message are the same as from one thread.
 *
 * Why the worker takes the end: the main thread adds what it reads to the index at once, and the worker's part,
 * coming last in file order, is added after it; neither waits for the other until the very end.
 */
import { closeSync, openSync } from "node:fs";
import type { Worker } from "node:worker_threads";
import type { CodeMap } from "../fhir/code-map";
import { errorMessage } from "./diagnostics";
import type { InputFile } from "./inputs";
import { lineStartAfter } from "./ndjson-reader";
import { isReadType } from "./references";
import { SCAN_WORKER_ROLE, type RangeResult, type ScanRange, type ScanWorkerStart } from "./scan-worker";
import { startCliWorker } from "./worker-start";

/** Below this many NDJSON bytes the first pass stays on one thread: a worker takes about 0.1 s to start. */
export const PARALLEL_SCAN_FROM_BYTES = 64 * 1024 * 1024;
/**
 * The worker's share of the NDJSON bytes. Less than half: the main thread also adds the worker's lines to the index
 * (a Map lookup per line) and reads the Bundles, and the worker starts later.
 */
export const WORKER_SHARE = 0.45;

/** Whether and how the first pass uses a scan worker; the defaults suit the command line. */
export interface ParallelScanOptions {
  /** Scan workers: 0 (one thread) or 1. */
  workers: number;
  /** Fewer NDJSON bytes than this are read on one thread (default PARALLEL_SCAN_FROM_BYTES). */
  fromBytes?: number;
  /** The worker's share of the NDJSON bytes (default WORKER_SHARE). */
  share?: number;
  /** Tests only: the worker exits after sending this many ranges. */
  exitAfterRanges?: number;
}

/** Which part of a file the worker reads: from `start` to the end of the file, as range number `range`. */
export interface WorkerPart {
  range: number;
  start: number;
}

export interface ScanPlan {
  ranges: ScanRange[];
  /** By file number; files not listed are read by the main thread only. */
  parts: Map<number, WorkerPart>;
}

/** True for a file the first pass reads line by line (NDJSON, not skipped by its name). */
function isScanned(file: InputFile): boolean {
  return file.kind === "ndjson" && (file.typeFromName === undefined || isReadType(file.typeFromName));
}

/**
 * Gives the worker the last `share` of the NDJSON bytes: whole files from the end, then the end of the file where the
 * share runs out, cut just after a line break.
 */
export function planScan(files: readonly InputFile[], share: number): ScanPlan {
  const scanned = [...files.entries()].filter(([, file]) => isScanned(file));
  const total = scanned.reduce((sum, [, file]) => sum + file.bytes, 0);
  let remaining = Math.round(total * share);
  const taken: { fileNumber: number; path: string; start: number; end: number }[] = [];
  for (let i = scanned.length - 1; i >= 0 && remaining > 0; i--) {
    const [fileNumber, file] = scanned[i] as [number, InputFile];
    if (file.bytes <= remaining) {
      taken.push({ fileNumber, path: file.path, start: 0, end: file.bytes });
      remaining -= file.bytes;
      continue;
    }
    let cut: number | undefined;
    let fd: number | undefined;
    try {
      fd = openSync(file.path, "r");
      cut = lineStartAfter(fd, file.bytes - remaining, file.bytes);
    } catch {
      cut = undefined; // unreadable: the main thread reads it and reports why
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    if (cut !== undefined) taken.push({ fileNumber, path: file.path, start: cut, end: file.bytes });
    break;
  }
  taken.reverse();
  return {
    ranges: taken.map(({ path, start, end }) => ({ path, start, end })),
    parts: new Map(taken.map(({ fileNumber, start }, range) => [fileNumber, { range, start }])),
  };
}

/** A running scan worker and the results it has sent. */
export class ScanWorker {
  private readonly worker: Worker;
  private readonly results = new Map<number, RangeResult>();
  private readonly waiting = new Map<number, (result: RangeResult | undefined) => void>();
  /** Set once the main thread has said that it reads the worker's part itself. */
  takeoverNoted = false;
  /** Why the worker ended before sending every result; undefined while it runs or once it is done. */
  private lostReason: string | undefined;

  constructor(ranges: ScanRange[], codeMap: CodeMap, exitAfterRanges?: number) {
    const setup = { ranges, codeMap, ...(exitAfterRanges === undefined ? {} : { exitAfterRanges }) };
    const workerData: ScanWorkerStart = { role: SCAN_WORKER_ROLE, setup };
    this.worker = startCliWorker(workerData, "./scan-worker.ts", "runScanWorker");
    this.worker.on("message", (result: RangeResult) => {
      const waiter = this.waiting.get(result.range);
      if (waiter === undefined) this.results.set(result.range, result);
      else {
        this.waiting.delete(result.range);
        waiter(result);
      }
    });
    this.worker.on("error", (error) => {
      this.lose(errorMessage(error));
    });
    this.worker.on("exit", (code) => {
      this.lose(`it stopped (exit code ${String(code)})`);
    });
  }

  /** Why the worker was lost, once it was. */
  get reason(): string {
    return this.lostReason ?? "unknown";
  }

  /**
   * The result of range number `range`, once sent.
   * @returns undefined when the worker ended without sending it: the caller then reads the range itself.
   */
  result(range: number): Promise<RangeResult | undefined> {
    const result = this.results.get(range);
    if (result !== undefined) {
      this.results.delete(range);
      return Promise.resolve(result);
    }
    if (this.lostReason !== undefined) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiting.set(range, resolve));
  }

  private lose(reason: string): void {
    this.lostReason ??= reason;
    for (const resolve of this.waiting.values()) resolve(undefined);
    this.waiting.clear();
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
