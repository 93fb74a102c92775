/**
 * `her2 review --from`: the review's first pass over each exported file as soon as it is whole, while the other
 * files are still downloading, instead of over all of them once the export is done. On two cores the scanning then
 * runs while the client would otherwise wait for the network.
 *
 * The scanning runs in a scan worker (scan-worker.ts, serving requests) when the machine has a second core, since the
 * main thread is busy receiving the downloads; else on the main thread between the downloads' chunks.
 *
 * Only files that are complete (renamed from `.part` after their line count was checked, export.ts) are scanned, and
 * the results are used only by the review that export-command.ts starts once every file is complete: nothing
 * half-downloaded is read as if complete, and no patient is assessed before the whole export is there. Each file is
 * scanned by the same code as a scan worker's range (scan-worker.ts), and the first pass adds the results in file
 * order as it adds a scan worker's (first-pass.ts), so the index, the messages and the output are those of a review
 * of the folder.
 */
import { statSync } from "node:fs";
import { resolve } from "node:path";
import type { Worker } from "node:worker_threads";
import type { CodeMap } from "../fhir/code-map";
import type { InputFile } from "./inputs";
import {
  SCAN_WORKER_ROLE,
  scanRange,
  type RangeResult,
  type ScanRequest,
  type ScanWorkerStart,
} from "./scan-worker";
import { startCliWorker } from "./worker-start";

/** What was scanned of one file, with the size and modification time it had then. */
interface Scanned {
  readonly bytes: number;
  readonly mtimeMs: number;
  readonly result: RangeResult;
}

/** The first pass's results of the files scanned during the download, for `firstPass` (first-pass.ts). */
export class PrescannedFiles {
  constructor(
    private readonly scanned: ReadonlyMap<string, Scanned>,
    /** The code map the files were scanned with (which Observations may be left unread depends on it). */
    readonly codeMap: CodeMap,
  ) {}

  /** How many files were scanned. */
  get size(): number {
    return this.scanned.size;
  }

  /**
   * The result for `file`, when it was scanned whole and has not changed since (same size and modification time).
   * @returns undefined otherwise: the first pass then reads the file itself.
   */
  resultFor(file: InputFile): RangeResult | undefined {
    const key = resolve(file.readFrom);
    const scanned = this.scanned.get(key);
    if (scanned === undefined || scanned.bytes !== file.bytes || scanned.result.bytes !== file.bytes)
      return undefined;
    try {
      return statSync(key).mtimeMs === scanned.mtimeMs ? scanned.result : undefined;
    } catch {
      return undefined;
    }
  }
}

/** What export-command.ts needs of a prescan: files to queue, then the results once the export is done. */
export interface FilePrescan {
  /** Queues a complete file (an NDJSON file of the export, renamed from `.part`). */
  readonly add: (path: string) => void;
  /** Waits for the files queued so far (and ends the scan worker, if any). */
  done(): Promise<PrescannedFiles>;
}

/** The scan worker's young generation, in MB, as parallel-scan.ts gives it. */
const SCAN_WORKER_YOUNG_GENERATION_MB = 16;

/**
 * Starts scanning exported files as they arrive: in a scan worker when `worker` (two cores or more: the main thread
 * is busy receiving the downloads), else on the main thread between the downloads' chunks. Started before the
 * kick-off, so the worker's start-up passes while the server prepares the export. main.ts passes this to
 * export-command.ts: the worker must start from the module main.ts is in (worker-start.ts).
 */
export function startExportPrescan(codeMap: CodeMap, worker: boolean): FilePrescan {
  return worker ? new WorkerPrescan(codeMap) : new ExportPrescan(codeMap);
}

/** Whether a scan of `path`, whose size was `size` when it was queued, can stand for the file. */
function usable(result: RangeResult, size: number): boolean {
  return result.readError === undefined && result.bytes === size;
}

/** Scans the files it is given on this thread, one at a time in the order given, while the export goes on. */
export class ExportPrescan implements FilePrescan {
  private readonly scanned = new Map<string, Scanned>();
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly codeMap: CodeMap) {}

  readonly add = (path: string): void => {
    this.chain = this.chain.then(() => this.scan(resolve(path)));
  };

  private async scan(path: string): Promise<void> {
    let before;
    try {
      before = statSync(path);
    } catch {
      return; // gone: the first pass reports it
    }
    const result = await scanRange(0, { path, start: 0, end: before.size }, this.codeMap);
    // A file that could not be read, or changed while it was read, is left to the first pass.
    if (usable(result, before.size))
      this.scanned.set(path, { bytes: before.size, mtimeMs: before.mtimeMs, result });
  }

  async done(): Promise<PrescannedFiles> {
    await this.chain;
    return new PrescannedFiles(this.scanned, this.codeMap);
  }
}

/**
 * Scans the files in a scan worker (scan-worker.ts, serving), one at a time in the order given. A worker that fails
 * loses only its scans: the first pass reads the files it did not scan.
 */
class WorkerPrescan implements FilePrescan {
  private readonly scanned = new Map<string, Scanned>();
  private readonly pending = new Map<number, { path: string; bytes: number; mtimeMs: number }>();
  private readonly worker: Worker;
  private lost = false;
  private settle: (() => void) | undefined;
  private next = 0;

  constructor(private readonly codeMap: CodeMap) {
    const workerData: ScanWorkerStart = {
      role: SCAN_WORKER_ROLE,
      setup: { ranges: [], codeMap, ahead: 0, serve: true },
    };
    this.worker = startCliWorker(workerData, "./scan-worker.ts", "runScanWorker", {
      maxYoungGenerationSizeMb: SCAN_WORKER_YOUNG_GENERATION_MB,
    });
    this.worker.on("message", (result: RangeResult) => {
      const queued = this.pending.get(result.range);
      this.pending.delete(result.range);
      if (queued !== undefined && usable(result, queued.bytes))
        this.scanned.set(queued.path, { bytes: queued.bytes, mtimeMs: queued.mtimeMs, result });
      if (this.pending.size === 0) this.settle?.();
    });
    const lose = (): void => {
      this.lost = true;
      this.pending.clear();
      this.settle?.();
    };
    this.worker.on("error", lose);
    this.worker.on("exit", lose);
  }

  readonly add = (file: string): void => {
    if (this.lost) return;
    const path = resolve(file);
    let before;
    try {
      before = statSync(path);
    } catch {
      return; // gone: the first pass reports it
    }
    const id = this.next++;
    this.pending.set(id, { path, bytes: before.size, mtimeMs: before.mtimeMs });
    const request: ScanRequest = { id, path, start: 0, end: before.size };
    this.worker.postMessage(request);
  };

  async done(): Promise<PrescannedFiles> {
    if (this.pending.size > 0 && !this.lost) await new Promise<void>((resolve) => (this.settle = resolve));
    await this.worker.terminate();
    return new PrescannedFiles(this.scanned, this.codeMap);
  }
}
