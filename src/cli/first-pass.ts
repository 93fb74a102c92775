/**
 * First pass: reads every input once, builds the patient index (see grouping.ts), keeps the shared resources
 * (Medication), and reports bad lines and entries with their file and line. Stops with a UsageError (exit 2) for a
 * file that is not FHIR JSON / NDJSON at all, before anything is written to stdout.
 */
import { readFile } from "node:fs/promises";
import type { Resource } from "fhir/r4";
import type { DataGap } from "../domain";
import type { PrescannedFiles } from "./export-prescan";
import { readFhirJson, type LocatedResource } from "./bundle-reader";
import { Diagnostics, errorMessage, SkippedTypes, UsageError } from "./diagnostics";
import type { PatientIndex } from "./grouping";
import { namedTypeNotRead, type InputFile } from "./inputs";
import { scanLine, type LineSink } from "./line-scan";
import { type CliText, cliText } from "./messages";
import { readNdjsonLines, type ByteRange, type NdjsonLine } from "./ndjson-reader";
import {
  PARALLEL_SCAN_FROM_BYTES,
  planScan,
  scannedBytes,
  ScanWorker,
  WORKER_SHARE,
  type ParallelScanOptions,
  type FilePiece,
} from "./parallel-scan";
import { addShared, placeResource, type SharedResources } from "./references";
import type { RangeResult } from "./scan-worker";
import type { CodeMap } from "../fhir/code-map";

/** Resources of one Bundle file, grouped by patient (`Patient/<id>` -> resources in file order). */
export type BundleGroups = Map<string, Resource[]>;

/** A Bundle file as the second pass uses it: its patients' resources, and the data gaps of all its patients. */
export interface GroupedBundle {
  groups: BundleGroups;
  gaps: DataGap[];
}

export interface FirstPassState {
  readonly index: PatientIndex;
  /** `Medication/<id>` -> its distinct copies, shared by all patients. */
  readonly shared: SharedResources;
  readonly diagnostics: Diagnostics;
  /** The institution's local codes: an Observation under one of them is never deferred. */
  readonly codeMap: CodeMap;
  /** Bundle files already grouped in this pass, offered for reuse in the second pass. */
  readonly onBundleGrouped: (file: number, bundle: GroupedBundle, bytes: number) => void;
  /** Called with the bytes of each file once read, for progress. */
  readonly onBytes: (bytes: number) => void;
  /** Called for every NDJSON line, for progress (undefined: no progress shown). */
  readonly onLine: ((file: InputFile, lineNo: number) => void) | undefined;
  /** Whether a scan worker reads part of the NDJSON files (parallel-scan.ts); undefined: one thread. */
  readonly parallelScan?: ParallelScanOptions | undefined;
  /**
   * Files already scanned while an export downloaded them (export-prescan.ts): added from those results, in file
   * order, instead of being read again. With any, no scan worker is started.
   */
  readonly prescanned?: PrescannedFiles | undefined;
  /** Resources read (placed with a patient or shared). */
  resources: number;
  /** Set to 1 when a scan worker took part. */
  scanWorkers?: number;
}

/**
 * One NDJSON file as the first pass reads it, possibly in two parts (the main thread's and a scan worker's): adds
 * its lines to the index and reports its problems, with line numbers counted over the whole file.
 */
class NdjsonFileScan implements LineSink {
  /** Lines of the file before the part being read. */
  lineBase = 0;
  nonBlank = 0;
  private fhirLines = 0;
  // Warnings before the first FHIR line are held back: if no line is FHIR the file is rejected as a whole instead.
  private readonly heldBack: { where: string; message: CliText }[] = [];
  private heldBackUnshown = 0;
  private readonly skipped = new SkippedTypes();
  /** Set when reading failed (the file vanished or became unreadable): the rest of it is not read. */
  private failed = false;

  constructor(
    private readonly file: InputFile,
    private readonly fileNumber: number,
    private readonly state: FirstPassState,
  ) {}

  private where(lineNo: number): string {
    return `${this.file.path}:${this.lineBase + lineNo}`;
  }

  fhirLine(): void {
    if (this.fhirLines++ > 0) return;
    const { diagnostics } = this.state;
    for (const w of this.heldBack.splice(0)) diagnostics.skip(this.file.path, w.where, w.message);
    if (this.heldBackUnshown > 0) diagnostics.countUnshown(this.file.path, this.heldBackUnshown);
    this.heldBackUnshown = 0;
  }

  patientLine(key: string, line: NdjsonLine, deferred: boolean): void {
    this.state.resources++;
    const lineNo = this.lineBase + line.lineNo;
    this.state.index.addLine(key, this.fileNumber, line.offset, line.byteLength, lineNo, deferred);
  }

  sharedResource(reference: string, resource: Resource): void {
    this.state.resources++;
    addShared(this.state.shared, reference, resource);
  }

  skippedType(resourceType: string, lineNo: number): void {
    this.skipped.add(resourceType, this.where(lineNo));
  }

  warning(lineNo: number, message: CliText): void {
    const where = this.where(lineNo);
    if (this.fhirLines === 0) this.heldBack.push({ where, message });
    else this.state.diagnostics.skip(this.file.path, where, message);
  }

  /** Reads a part of the file (or all of it) on this thread. */
  async read(range?: ByteRange): Promise<void> {
    const { state, file } = this;
    if (this.failed) return;
    const onLine = state.onLine;
    let lines: number;
    let bytes: number;
    try {
      ({ lines, bytes } = await readNdjsonLines(
        file.readFrom,
        (line) => {
          onLine?.(file, this.lineBase + line.lineNo);
          if (scanLine(line, state.codeMap, this)) this.nonBlank++;
        },
        range,
      ));
    } catch (error) {
      // A failure to write the index is its own error (population.ts), not this file's.
      if (state.index.failure !== undefined) throw error;
      this.readFailed(errorMessage(error));
      return;
    }
    this.lineBase += lines;
    state.onBytes(bytes);
  }

  /** Adds what a scan worker read in the next part of the file, in line order, as if read here. */
  replay(result: RangeResult): void {
    const { state, file } = this;
    if (this.failed) return;
    if (result.readError !== undefined) {
      this.readFailed(result.readError);
      return;
    }
    // Its warnings first, then its FHIR lines: held-back warnings are released in line order either way.
    for (const w of result.warnings) this.warning(w.lineNo, w.message);
    if (result.moreWarnings > 0) {
      if (this.fhirLines === 0) this.heldBackUnshown += result.moreWarnings;
      else state.diagnostics.countUnshown(file.path, result.moreWarnings);
    }
    if (result.fhirLines > 0) {
      this.fhirLine();
      this.fhirLines += result.fhirLines - 1;
    }
    for (const s of result.skipped) this.skipped.add(s.resourceType, this.where(s.firstLineNo), s.count);
    state.index.addLines(result, this.fileNumber, this.lineBase);
    for (const [reference, resource] of result.shared) addShared(state.shared, reference, resource);
    state.resources += result.patient.length + result.shared.length;
    this.nonBlank += result.nonBlank;
    this.lineBase += result.lines;
    state.onBytes(result.bytes);
  }

  /**
   * One file that cannot be read (it vanished, or a disk error) never stops the run: a warning, counted as skipped
   * data; the lines already read are kept (the second pass reports them if they cannot be read again).
   */
  private readFailed(reason: string): void {
    this.failed = true;
    const path = this.file.path;
    const message =
      this.lineBase + this.nonBlank === 0
        ? cliText("file.unreadable", { error: reason })
        : cliText("file.unreadableAfter", { error: reason, line: String(this.lineBase) });
    this.state.diagnostics.skip(path, path, message);
  }

  /** Reports the file once read: empty, not FHIR at all (throws), skipped types, warnings not shown. */
  finish(): void {
    const { diagnostics } = this.state;
    const path = this.file.path;
    if (this.failed) {
      this.skipped.report(diagnostics);
      diagnostics.endFile(path);
      return;
    }
    if (this.nonBlank === 0) diagnostics.warn(path, path, cliText("file.empty"));
    else if (this.fhirLines === 0) {
      const first = this.heldBack[0];
      throw new UsageError(
        first
          ? cliText("usage.notNdjsonLine1", { path, message: first.message })
          : cliText("usage.notNdjson", { path }),
      );
    }
    this.skipped.report(diagnostics);
    diagnostics.endFile(path);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The pieces of a file (some read by a scan worker), and the worker. */
interface WorkerShare {
  pieces: readonly FilePiece[];
  worker: ScanWorker;
}

/** Reads one NDJSON file into the index: all of it here, or piece by piece, some pieces from a scan worker. */
async function indexNdjson(
  file: InputFile,
  fileNumber: number,
  state: FirstPassState,
  share?: WorkerShare,
): Promise<void> {
  const scan = new NdjsonFileScan(file, fileNumber, state);
  const prescanned = share === undefined ? state.prescanned?.resultFor(file) : undefined;
  if (prescanned !== undefined) scan.replay(prescanned);
  else if (share === undefined) await scan.read();
  for (const piece of share?.pieces ?? []) {
    const result = piece.range === undefined ? undefined : await share?.worker.result(piece.range);
    if (result !== undefined) {
      scan.replay(result);
      continue;
    }
    if (piece.range !== undefined && share !== undefined && !share.worker.takeoverNoted) {
      share.worker.takeoverNoted = true;
      state.diagnostics.say(
        cliText("note.scanWorkerLost", {
          reason: share.worker.reason,
          file: file.path,
          line: String(scan.lineBase + 1),
        }),
      );
    }
    await scan.read(piece);
  }
  scan.finish();
}

/** Groups a Bundle's resources by patient, by the same rule as NDJSON lines; reports problems when given diagnostics. */
export function groupBundle(
  path: string,
  resources: readonly LocatedResource[],
  shared: SharedResources,
  diagnostics: Diagnostics | undefined,
): BundleGroups {
  const groups: BundleGroups = new Map();
  const skipped = new SkippedTypes();
  for (const { resource, where } of resources) {
    const placement = placeResource(resource);
    const at = `${path}: ${where}`;
    if (placement.kind === "skip") skipped.add(placement.resourceType, at);
    else if (placement.kind === "problem") diagnostics?.skip(path, at, placement.message);
    else if (placement.kind === "shared") addShared(shared, placement.reference, resource);
    else {
      const group = groups.get(placement.key);
      if (group) group.push(resource);
      else groups.set(placement.key, [resource]);
    }
  }
  if (diagnostics) skipped.report(diagnostics);
  return groups;
}

/**
 * Parses a JSON file as a FHIR document. `ndjson` means the whole file is not one JSON value but its first line is a
 * resource: NDJSON saved with a `.json` name.
 * @throws UsageError when it is not FHIR JSON at all.
 */
export async function parseJsonFile(
  file: InputFile,
): Promise<
  | { kind: "document"; value: unknown }
  | { kind: "ndjson" }
  | { kind: "empty" }
  | { kind: "unreadable"; reason: string }
> {
  let text: string;
  try {
    text = await readFile(file.readFrom, "utf8");
  } catch (error) {
    return { kind: "unreadable", reason: errorMessage(error) };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "") return { kind: "empty" };
  try {
    return { kind: "document", value: JSON.parse(text) };
  } catch (error) {
    const firstLine = text.trimStart().split("\n", 1)[0] ?? "";
    try {
      const first: unknown = JSON.parse(firstLine);
      if (isObject(first) && typeof first["resourceType"] === "string") return { kind: "ndjson" };
    } catch {
      // not NDJSON either: reported below
    }
    throw new UsageError(cliText("usage.notFhirJson", { path: file.path, error: errorMessage(error) }));
  }
}

async function indexJson(file: InputFile, fileNumber: number, state: FirstPassState): Promise<void> {
  const { diagnostics } = state;
  const parsed = await parseJsonFile(file);
  if (parsed.kind === "ndjson") {
    await indexNdjson(file, fileNumber, state);
    return;
  }
  state.onBytes(file.bytes);
  if (parsed.kind === "unreadable") {
    diagnostics.skip(file.path, file.path, cliText("file.unreadable", { error: parsed.reason }));
    return;
  }
  if (parsed.kind === "empty") {
    diagnostics.warn(file.path, file.path, cliText("file.empty"));
    return;
  }
  const document = readFhirJson(parsed.value);
  if (document.kind === "invalid") {
    // In a folder, other JSON files (a Bulk Data manifest, say) are expected; named on the command line, they are not.
    if (file.fromFolder) {
      diagnostics.note(file.path, cliText("note.skippedDocument", { reason: document.reason }));
      return;
    }
    throw new UsageError(cliText("diag.at", { where: file.path, message: document.reason }));
  }
  for (const problem of document.problems) {
    const where = `${file.path}: ${problem.where}`;
    if (problem.dataGap === true) diagnostics.warn(file.path, where, problem.message);
    else diagnostics.skip(file.path, where, problem.message);
  }
  const groups = groupBundle(file.path, document.resources, state.shared, diagnostics);
  for (const [key, resources] of groups) {
    state.index.addBundleMember(key, fileNumber);
    state.resources += resources.length;
  }
  state.resources += document.resources.filter((r) => placeResource(r.resource).kind === "shared").length;
  state.onBundleGrouped(fileNumber, { groups, gaps: document.gaps }, file.bytes);
  diagnostics.endFile(file.path);
}

/**
 * Reads all inputs once, in order, into `state`.
 * @throws UsageError for a file that cannot be read or is not FHIR JSON / NDJSON at all.
 */
export async function firstPass(files: readonly InputFile[], state: FirstPassState): Promise<void> {
  const ndjsonBytes = scannedBytes(files);
  const options = state.parallelScan;
  const plan =
    options !== undefined &&
    options.workers > 0 &&
    (state.prescanned?.size ?? 0) === 0 &&
    ndjsonBytes >= (options.fromBytes ?? PARALLEL_SCAN_FROM_BYTES)
      ? planScan(files, options.share ?? WORKER_SHARE, options.blockPairBytes)
      : undefined;
  const worker =
    plan !== undefined && plan.ranges.length > 0
      ? new ScanWorker(plan.ranges, state.codeMap, options?.exitAfterRanges)
      : undefined;
  state.scanWorkers = worker === undefined ? 0 : 1;
  try {
    for (const [fileNumber, file] of files.entries()) {
      if (namedTypeNotRead(file)) {
        state.onBytes(file.bytes);
        state.diagnostics.note(file.path, cliText("note.typeNotUsed", { type: file.typeFromName ?? "" }));
        continue;
      }
      const pieces = plan?.pieces.get(fileNumber);
      if (file.kind === "ndjson")
        await indexNdjson(file, fileNumber, state, pieces && worker ? { pieces, worker } : undefined);
      else await indexJson(file, fileNumber, state);
    }
  } finally {
    await worker?.close();
  }
}
