/**
 * `her2 review --from`: the review's first pass over each exported file as soon as it is whole, while the other
 * files are still downloading, instead of over all of them once the export is done. On two cores the scanning then
 * runs while the client would otherwise wait for the network.
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
import type { CodeMap } from "../fhir/code-map";
import type { InputFile } from "./inputs";
import { scanRange, type RangeResult } from "./scan-worker";

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

/** Scans the files it is given, one at a time in the order given, while the export goes on. */
export class ExportPrescan {
  private readonly scanned = new Map<string, Scanned>();
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly codeMap: CodeMap) {}

  /** Queues a complete file (an NDJSON file of the export, renamed from `.part`). */
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
    if (result.readError !== undefined || result.bytes !== before.size) return;
    this.scanned.set(path, { bytes: before.size, mtimeMs: before.mtimeMs, result });
  }

  /** Waits for the files queued so far. */
  async done(): Promise<PrescannedFiles> {
    await this.chain;
    return new PrescannedFiles(this.scanned, this.codeMap);
  }
}
