/**
 * The first pass over two cores. Reading the export once (splitting lines, the raw scan, the prefilter) is a third of
 * a review's time, and the second core would otherwise wait for it. So the NDJSON bytes, in file order, are cut into
 * blocks (between two lines) that go in turn to the main thread and to a scan worker (scan-worker.ts). The main thread
 * reads its blocks into the index and, between them, adds the worker's results of the block before, in file order, as
 * if it had read them itself. Results depend only on line order, so the index and every message are those of one
 * thread.
 *
 * Memory stays bounded whatever the export size: the worker reads at most WORKER_AHEAD blocks that the main thread has
 * not added yet, so its results waiting for the main thread are a few blocks' worth of line locations.
 */
import { closeSync, openSync } from "node:fs";
import type { Worker } from "node:worker_threads";
import type { CodeMap } from "../fhir/code-map";
import { errorMessage } from "./diagnostics";
import { namedTypeNotRead, type InputFile } from "./inputs";
import { lineStartAfter } from "./ndjson-reader";
import { SCAN_WORKER_ROLE, type RangeResult, type ScanRange, type ScanWorkerStart } from "./scan-worker";
import { startCliWorker } from "./worker-start";

/**
 * The scan worker's young generation, in MB. V8's default let it grow to tens of MB of garbage line text, which set
 * the run's peak RSS when the export is large: at 500,000 patients 256-302 MB (4 runs) with the default, 233-238 MB
 * (3 runs) with 16 MB, in the same time. What a range keeps (typed arrays, the keys) is small.
 */
const SCAN_WORKER_YOUNG_GENERATION_MB = 16;
/** Below this many NDJSON bytes the first pass stays on one thread: a worker takes 0.15–0.3 s to start. */
export const PARALLEL_SCAN_FROM_BYTES = 64 * 1024 * 1024;
/**
 * The worker's share of the NDJSON bytes. A little over half: the main thread also adds the worker's lines to the
 * index and reads the Bundles. Profiled at 100,000 patients: with half, the worker waited 9% of its time for the main
 * thread; with 0.56, 5%.
 */
export const WORKER_SHARE = 0.56;
/** Bytes of one main-thread block and one worker block together. */
export const BLOCK_PAIR_BYTES = 32 * 1024 * 1024;
/** Blocks the worker may read ahead of what the main thread has added. */
export const WORKER_AHEAD = 2;

/** Whether and how the first pass uses a scan worker; the defaults suit the command line. */
export interface ParallelScanOptions {
  /** Scan workers: 0 (one thread) or 1. */
  workers: number;
  /** Fewer NDJSON bytes than this are read on one thread (default PARALLEL_SCAN_FROM_BYTES). */
  fromBytes?: number;
  /** The worker's share of the NDJSON bytes (default WORKER_SHARE). */
  share?: number;
  /** Bytes of a main-thread block and a worker block together (default BLOCK_PAIR_BYTES; tests make it small). */
  blockPairBytes?: number;
  /** Tests only: the worker exits after sending this many ranges. */
  exitAfterRanges?: number;
}

/** A part of a file: read by the main thread, or by the worker as its range number `range`. */
export interface FilePiece {
  start: number;
  end: number;
  range?: number;
}

export interface ScanPlan {
  /** The worker's ranges, in file order. */
  ranges: ScanRange[];
  /** By file number, the pieces of each file in order; files not listed are read whole by the main thread. */
  pieces: Map<number, FilePiece[]>;
}

/** True for a file the first pass reads line by line (NDJSON, not skipped by its name). */
export function isScanned(file: InputFile): boolean {
  return file.kind === "ndjson" && !namedTypeNotRead(file);
}

/** Bytes of the files the first pass reads line by line. */
export function scannedBytes(files: readonly InputFile[]): number {
  return files.reduce((sum, file) => sum + (isScanned(file) ? file.bytes : 0), 0);
}

/** The offset of the first line start at or after `near` in the file, or undefined (none, or unreadable). */
function cutNear(path: string, near: number, bytes: number): number | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    return lineStartAfter(fd, near, bytes);
  } catch {
    return undefined; // unreadable: the main thread reads it and reports why
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Cuts the NDJSON files, in order, into blocks of about `pairBytes * (1 - share)` bytes for the main thread and
 * `pairBytes * share` for the worker, in turn, each cut just after a line break (smaller blocks for an input of less
 * than four pairs).
 */
export function planScan(files: readonly InputFile[], share: number, pairBytes = BLOCK_PAIR_BYTES): ScanPlan {
  const total = scannedBytes(files);
  // At least four pairs, so that both threads have work however small the input (tests lower the size limit).
  const pair = Math.max(2, Math.min(pairBytes, Math.floor(total / 4)));
  const workerBlock = Math.max(1, Math.round(pair * share));
  const mainBlock = Math.max(1, pair - workerBlock);
  const ranges: ScanRange[] = [];
  const pieces = new Map<number, FilePiece[]>();
  let toWorker = false;
  let left = mainBlock;
  for (const [fileNumber, file] of files.entries()) {
    if (!isScanned(file) || file.bytes === 0) continue;
    const list: FilePiece[] = [];
    const add = (start: number, end: number): void => {
      if (!toWorker) list.push({ start, end });
      else {
        list.push({ start, end, range: ranges.length });
        ranges.push({ path: file.readFrom, start, end });
      }
    };
    for (let at = 0; at < file.bytes;) {
      const cut = file.bytes - at <= left ? file.bytes : cutNear(file.readFrom, at + left, file.bytes);
      const end = cut ?? file.bytes;
      add(at, end);
      left -= end - at;
      at = end;
      if (left <= 0 || cut === undefined) {
        toWorker = !toWorker;
        left = toWorker ? workerBlock : mainBlock;
      }
    }
    pieces.set(fileNumber, list);
  }
  return { ranges, pieces };
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
    const setup = {
      ranges,
      codeMap,
      ahead: WORKER_AHEAD,
      ...(exitAfterRanges === undefined ? {} : { exitAfterRanges }),
    };
    const workerData: ScanWorkerStart = { role: SCAN_WORKER_ROLE, setup };
    this.worker = startCliWorker(workerData, "./scan-worker.ts", "runScanWorker", {
      maxYoungGenerationSizeMb: SCAN_WORKER_YOUNG_GENERATION_MB,
    });
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
  async result(range: number): Promise<RangeResult | undefined> {
    let result = this.results.get(range);
    if (result !== undefined) this.results.delete(range);
    else if (this.lostReason === undefined) {
      result = await new Promise<RangeResult | undefined>((resolve) => this.waiting.set(range, resolve));
    }
    // Taken: the worker may read one block further.
    if (result !== undefined && this.lostReason === undefined) this.worker.postMessage(range);
    return result;
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
