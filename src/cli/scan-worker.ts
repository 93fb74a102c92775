/**
 * A scan worker (worker_threads): runs the first pass's line reading (line-scan.ts) over the byte ranges of NDJSON
 * files that the main thread gave it, and sends back, per range, what the main thread needs to add to its index and
 * to report: the patients' line locations (typed arrays, transferred), the shared Medications, the skipped types and
 * the warnings, each in line order. See parallel-scan.ts for why and how the work is split.
 */
import { parentPort } from "node:worker_threads";
import type { Resource } from "fhir/r4";
import type { CodeMap } from "../fhir/code-map";
import { errorMessage, MAX_WARNINGS_PER_FILE } from "./diagnostics";
import { KeyTable } from "./key-table";
import type { CliText } from "./messages";
import { scanLine, type LineSink } from "./line-scan";
import { readNdjsonLines, type ByteRange, type NdjsonLine } from "./ndjson-reader";

/** One part of a file that a scan worker reads. */
export interface ScanRange extends ByteRange {
  path: string;
}

export interface ScanSetup {
  ranges: ScanRange[];
  codeMap: CodeMap;
  /** Results the worker may have sent and the main thread not yet taken. */
  ahead: number;
  /** Tests only: the worker exits after sending this many ranges (to check that the main thread takes over). */
  exitAfterRanges?: number;
  /**
   * No ranges up front: the worker scans each range the main thread posts (a `ScanRequest`), as it comes, and answers
   * with its result (`her2 review --from` scanning the files as they download, export-prescan.ts).
   */
  serve?: boolean;
}

/** A range posted to a serving scan worker; its result comes back with `range` set to `id`. */
export interface ScanRequest extends ScanRange {
  id: number;
}

/** What the main thread finds in `workerData` of a scan worker. */
export interface ScanWorkerStart {
  role: typeof SCAN_WORKER_ROLE;
  setup: ScanSetup;
}

export const SCAN_WORKER_ROLE = "her2-scan-worker";

/** What a scan worker found in one range; line numbers count from 1 at the range's start. */
export interface RangeResult {
  range: number;
  /** The file could not be read (the range is then otherwise empty). */
  readError?: string;
  lines: number;
  bytes: number;
  nonBlank: number;
  fhirLines: number;
  /** The patients' keys (`Patient/<id>`, well-formed), each once; `patient` holds indexes into it. */
  keys: string[];
  /** Per patient line, in line order. */
  patient: Uint32Array<ArrayBuffer>;
  offset: Float64Array<ArrayBuffer>;
  byteLength: Uint32Array<ArrayBuffer>;
  lineNo: Uint32Array<ArrayBuffer>;
  deferred: Uint8Array<ArrayBuffer>;
  shared: [string, Resource][];
  /** Per skipped type, in order of first appearance: how many, and the first line. */
  skipped: { resourceType: string; count: number; firstLineNo: number }[];
  /** The first warnings of the range (no more than a file shows), in line order. */
  warnings: { lineNo: number; message: CliText }[];
  /** Warnings after those (never shown: past the per-file limit; only counted). */
  moreWarnings: number;
}

/** Collects a range's lines into growable typed arrays and its rare events into lists. */
class RangeCollector implements LineSink {
  fhirLines = 0;
  count = 0;
  readonly table = new KeyTable();
  patient = new Uint32Array(1 << 14);
  offset = new Float64Array(1 << 14);
  byteLength = new Uint32Array(1 << 14);
  lineNo = new Uint32Array(1 << 14);
  deferred = new Uint8Array(1 << 14);
  readonly shared: [string, Resource][] = [];
  readonly skipped = new Map<string, { resourceType: string; count: number; firstLineNo: number }>();
  readonly warnings: { lineNo: number; message: CliText }[] = [];
  moreWarnings = 0;

  fhirLine(): void {
    this.fhirLines++;
  }

  patientLine(key: string, line: NdjsonLine, deferred: boolean): void {
    if (this.count === this.patient.length) this.grow();
    const at = this.count++;
    this.patient[at] = this.table.numberOf(key);
    this.offset[at] = line.offset;
    this.byteLength[at] = line.byteLength;
    this.lineNo[at] = line.lineNo;
    this.deferred[at] = deferred ? 1 : 0;
  }

  sharedResource(reference: string, resource: Resource): void {
    this.shared.push([reference, resource]);
  }

  skippedType(resourceType: string, lineNo: number): void {
    const seen = this.skipped.get(resourceType);
    if (seen) seen.count++;
    else this.skipped.set(resourceType, { resourceType, count: 1, firstLineNo: lineNo });
  }

  warning(lineNo: number, message: CliText): void {
    if (this.warnings.length < MAX_WARNINGS_PER_FILE) this.warnings.push({ lineNo, message });
    else this.moreWarnings++;
  }

  private grow(): void {
    const size = this.patient.length * 2;
    const grown = <T extends Uint32Array<ArrayBuffer> | Float64Array<ArrayBuffer> | Uint8Array<ArrayBuffer>>(
      old: T,
      make: (n: number) => T,
    ): T => {
      const next = make(size);
      next.set(old);
      return next;
    };
    this.patient = grown(this.patient, (n) => new Uint32Array(n));
    this.offset = grown(this.offset, (n) => new Float64Array(n));
    this.byteLength = grown(this.byteLength, (n) => new Uint32Array(n));
    this.lineNo = grown(this.lineNo, (n) => new Uint32Array(n));
    this.deferred = grown(this.deferred, (n) => new Uint8Array(n));
  }
}

/**
 * Reads one range as the first pass reads a whole file.
 * @returns Its result, with the typed arrays cut to the lines found.
 */
export async function scanRange(index: number, range: ScanRange, codeMap: CodeMap): Promise<RangeResult> {
  const collector = new RangeCollector();
  let nonBlank = 0;
  let lines = 0;
  let bytes = 0;
  let readError: string | undefined;
  try {
    ({ lines, bytes } = await readNdjsonLines(
      range.path,
      (line) => {
        if (scanLine(line, codeMap, collector)) nonBlank++;
      },
      range,
    ));
  } catch (error) {
    readError = errorMessage(error);
  }
  const n = collector.count;
  return {
    range: index,
    ...(readError === undefined ? {} : { readError }),
    lines,
    bytes,
    nonBlank,
    fhirLines: collector.fhirLines,
    keys: collector.table.keys,
    patient: collector.patient.slice(0, n),
    offset: collector.offset.slice(0, n),
    byteLength: collector.byteLength.slice(0, n),
    lineNo: collector.lineNo.slice(0, n),
    deferred: collector.deferred.slice(0, n),
    shared: collector.shared,
    skipped: [...collector.skipped.values()],
    warnings: collector.warnings,
    moreWarnings: collector.moreWarnings,
  };
}

/**
 * Reads the ranges in order and posts each one's result as soon as it is read, keeping at most `ahead` results that
 * the main thread has not taken yet (it posts a message for each one it takes).
 */
export async function runScanWorker(setup: ScanSetup): Promise<void> {
  const port = parentPort;
  if (port === null) return;
  if (setup.serve === true) {
    // One at a time, in the order posted.
    let queue = Promise.resolve();
    port.on("message", (request: ScanRequest) => {
      queue = queue.then(async () => {
        const result = await scanRange(request.id, request, setup.codeMap);
        port.postMessage(result, transferList(result));
      });
    });
    return;
  }
  let taken = 0;
  let wake: (() => void) | undefined;
  port.on("message", () => {
    taken++;
    wake?.();
  });
  for (const [index, range] of setup.ranges.entries()) {
    while (index - taken >= setup.ahead) await new Promise<void>((resolve) => (wake = resolve));
    if (setup.exitAfterRanges !== undefined && index >= setup.exitAfterRanges) process.exit(1);
    const result = await scanRange(index, range, setup.codeMap);
    port.postMessage(result, transferList(result));
  }
  // Stays until the main thread ends it: an exit now could overtake the last results.
}

/** The typed arrays of a result, transferred rather than copied. */
function transferList(result: RangeResult): ArrayBuffer[] {
  return [
    result.patient.buffer,
    result.offset.buffer,
    result.byteLength.buffer,
    result.lineNo.buffer,
    result.deferred.buffer,
  ];
}
