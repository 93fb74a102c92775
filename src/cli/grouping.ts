/**
 * The patient index built by the first pass: which lines of which NDJSON files, and which Bundle files, hold each
 * patient's resources.
 *
 * Why two passes with an offset index (and not an on-disk sort): Bulk Data files are one per resource type, so a
 * patient's resources are spread over every file and no single pass can finish a patient before the end of the
 * export. The first pass records, per resource line, only its patient, file, byte offset, length and line number
 * (25 bytes in typed arrays, no parsed JSON); the second pass visits patients in id order and reads each
 * patient's lines back with positioned reads, so at most one patient's resources are parsed at a time. The index is
 * about 25 MB per million resources plus the patient ids: small next to the export, and far simpler and faster than
 * writing the export out again sorted by patient (an on-disk sort would write and read every byte twice more).
 *
 * So that memory stays bounded whatever the export's size, an index past `memoryBytes` (estimated) moves to disk
 * (spill-files.ts): its entries go to bucket files by ranges of patient ids, cut at quantiles of the ids seen so far,
 * and every later entry goes straight to its range's file. Ranges need no merge: the second pass reads one bucket at
 * a time, in id order, into the same in-memory index, sorts it and yields its patients. A bucket that grew past
 * `memoryBytes` (ids seen late: an export written in id order, say) is split again by its own quantiles until every
 * bucket fits or holds a single patient.
 */
import { errorMessage, UsageError } from "./diagnostics";
import { cliText } from "./messages";
import { KeyTable, wellFormed } from "./key-table";
import { deleteBucket, readBucket, SpillFolder, type BucketWriter, type RecordVisitor } from "./spill-files";

const CHUNK_BITS = 15;
const CHUNK = 1 << CHUNK_BITS;

/** One block of the line table: struct of arrays, `CHUNK` lines. */
class LineChunk {
  readonly patient = new Uint32Array(CHUNK);
  readonly file = new Uint32Array(CHUNK);
  readonly line = new Uint32Array(CHUNK);
  readonly length = new Uint32Array(CHUNK);
  readonly offset = new Float64Array(CHUNK);
  /** 1: a line the second pass need not read (a Patient, an Observation that cannot matter; see first-pass.ts). */
  readonly deferred = new Uint8Array(CHUNK);
}

/**
 * Append-only table of NDJSON resource lines, in fixed-size blocks: growing never copies, so memory stays at about
 * 25 bytes per line (no doubling and no moment with the old and the new array both alive).
 */
class LineTable {
  size = 0;
  private readonly chunks: LineChunk[] = [];

  push(patient: number, file: number, offset: number, length: number, line: number, deferred: boolean): void {
    const at = this.size & (CHUNK - 1);
    const block = this.size >>> CHUNK_BITS;
    if (block === this.chunks.length) this.chunks.push(new LineChunk());
    const chunk = this.chunks[block] as LineChunk;
    chunk.patient[at] = patient;
    chunk.file[at] = file;
    chunk.offset[at] = offset;
    chunk.length[at] = length;
    chunk.line[at] = line;
    chunk.deferred[at] = deferred ? 1 : 0;
    this.size++;
  }

  patientOf(i: number): number {
    return this.chunks[i >>> CHUNK_BITS]?.patient[i & (CHUNK - 1)] ?? 0;
  }

  /** Empties the table and keeps its blocks for the next lines. */
  clear(): void {
    this.size = 0;
  }

  location(i: number): LineLocation {
    const chunk = this.chunks[i >>> CHUNK_BITS];
    const at = i & (CHUNK - 1);
    return {
      file: chunk?.file[at] ?? 0,
      offset: chunk?.offset[at] ?? 0,
      byteLength: chunk?.length[at] ?? 0,
      lineNo: chunk?.line[at] ?? 0,
      deferred: chunk?.deferred[at] === 1,
    };
  }
}

/** Where one NDJSON line of a patient is. */
export interface LineLocation {
  file: number;
  offset: number;
  byteLength: number;
  lineNo: number;
  /** A Patient, or an Observation that cannot matter to the rules: read only if the patient has a panel. */
  deferred: boolean;
}

/** NDJSON lines of one file read elsewhere, for `PatientIndex.addLines`: per line, in line order. */
export interface LineBatch {
  /** The patients' keys (`Patient/<id>`), each once; `patient` holds indexes into it. */
  keys: readonly string[];
  patient: Uint32Array;
  offset: Float64Array;
  byteLength: Uint32Array;
  /** Line numbers from the batch's start. */
  lineNo: Uint32Array;
  /** 1: a line the second pass need not read. */
  deferred: Uint8Array;
}

/** One patient's share of the input: NDJSON lines in input order and the Bundle files that mention the patient. */
export interface PatientGroup {
  /** `Patient/<id>` */
  key: string;
  lines: LineLocation[];
  bundleFiles: readonly number[];
}

/** The index, or one bucket of it, in memory: ids in a Map, lines in the line table. */
class MemoryIndex implements RecordVisitor {
  private readonly table = new KeyTable();
  private readonly lines = new LineTable();
  private readonly bundles = new Map<number, number[]>();
  /** Lines and Bundle memberships recorded. */
  private entries = 0;

  /** The part of `bytes` that is patient ids: V8's heap, unlike the line table's typed arrays. */
  get keyBytes(): number {
    return this.table.chars + this.table.keys.length * KEY_BYTES;
  }

  /** Estimated memory held, in bytes (see `LINE_BYTES`, `KEY_BYTES`). */
  get bytes(): number {
    return this.entries * LINE_BYTES + this.keyBytes;
  }

  /** Empties the index for another bucket, keeping the line table's blocks (its large allocations) for it. */
  clear(): void {
    this.table.clear();
    this.lines.clear();
    this.bundles.clear();
    this.entries = 0;
  }

  line(
    key: string,
    file: number,
    offset: number,
    byteLength: number,
    lineNo: number,
    deferred: boolean,
  ): void {
    this.numberedLine(this.table.numberOf(key), file, offset, byteLength, lineNo, deferred);
  }

  /** The number of the patient `key` in this index (a new patient gets the next one). */
  numberOf(key: string): number {
    return this.table.numberOf(key);
  }

  /** Records a line of the patient numbered `patient` by `numberOf`. */
  numberedLine(
    patient: number,
    file: number,
    offset: number,
    byteLength: number,
    lineNo: number,
    deferred: boolean,
  ): void {
    this.lines.push(patient, file, offset, byteLength, lineNo, deferred);
    this.entries++;
  }

  bundleMember(key: string, file: number): void {
    const ordinal = this.table.numberOf(key);
    const files = this.bundles.get(ordinal);
    if (files === undefined) this.bundles.set(ordinal, [file]);
    else if (!files.includes(file)) files.push(file);
    this.entries++;
  }

  get patientCount(): number {
    return this.table.keys.length;
  }

  get lineCount(): number {
    return this.lines.size;
  }

  /** The keys of every `step`-th line, for the splitters of a spill. */
  sampleKeys(step: number): string[] {
    const sample: string[] = [];
    for (let i = 0; i < this.lines.size; i += step)
      sample.push(this.table.keys[this.lines.patientOf(i)] ?? "");
    return sample;
  }

  /** Hands every entry to `visitor`: the lines in input order, then the Bundle memberships in order. */
  visit(visitor: RecordVisitor): void {
    const keys = this.table.keys;
    for (let i = 0; i < this.lines.size; i++) {
      const at = this.lines.location(i);
      visitor.line(
        keys[this.lines.patientOf(i)] ?? "",
        at.file,
        at.offset,
        at.byteLength,
        at.lineNo,
        at.deferred,
      );
    }
    for (const [ordinal, files] of this.bundles) {
      for (const file of files) visitor.bundleMember(keys[ordinal] ?? "", file);
    }
  }

  *groups(): Generator<PatientGroup> {
    const table = this.lines;
    const patients = this.table.keys.length;
    // Counting sort of line numbers by patient: keeps each patient's lines in input order.
    const starts = new Uint32Array(patients + 1);
    for (let i = 0; i < table.size; i++) {
      const slot = table.patientOf(i) + 1;
      starts[slot] = (starts[slot] ?? 0) + 1;
    }
    for (let p = 0; p < patients; p++) starts[p + 1] = (starts[p + 1] ?? 0) + (starts[p] ?? 0);
    const fill = starts.slice(0, patients);
    const byPatient = new Uint32Array(table.size);
    for (let i = 0; i < table.size; i++) {
      const p = table.patientOf(i);
      byPatient[fill[p] ?? 0] = i;
      fill[p] = (fill[p] ?? 0) + 1;
    }

    const order = Array.from({ length: patients }, (_, p) => p);
    const keys = this.table.keys;
    order.sort((a, b) => compareKeys(keys[a] ?? "", keys[b] ?? ""));

    for (const p of order) {
      const lines: LineLocation[] = [];
      for (let k = starts[p] ?? 0; k < (starts[p + 1] ?? 0); k++) {
        lines.push(table.location(byPatient[k] ?? 0));
      }
      yield { key: keys[p] ?? "", lines, bundleFiles: this.bundles.get(p) ?? [] };
    }
  }
}

/** Plain code-unit order, so the result does not depend on the locale; the order of the output and of the buckets. */
function compareKeys(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Estimated bytes of index held in memory before it spills to disk, by default. A Bulk Data export of 100,000
 * patients (1.07 million resources) needs about 31 MiB and stays in memory, as before the index could spill; the
 * rest of the 300 MB target goes to the second pass and its worker (about 275 MB at 100,000 patients).
 */
export const MEMORY_BYTES = 36 * 1024 * 1024;
/** Estimated memory of a line (or a Bundle membership) in the index: the line table's 25 bytes. */
const LINE_BYTES = 25;
/** Estimated memory of a patient id besides its characters: the string's header and its Map and array slots. */
const KEY_BYTES = 32;
/**
 * The share of the budget that patient ids may take. They live in V8's heap, and the heap's size at its peak sets
 * how much garbage V8 lets build up before collecting for the rest of the run: measured at 500,000 patients with the
 * review worker, ids of 25 MB in memory when the index spilled gave a peak RSS of 290-318 MB, against 231-232 MB when
 * it spilled with ids of 3 to 10 MB. A quarter (9 MiB, about 170,000 ids) keeps an export of 100,000 patients (5.5 MB
 * of ids) in memory.
 */
const KEY_SHARE = 1 / 4;
/** Bucket files per spill: ranges of ids (more buckets: smaller ones to read back, more files open at once). */
const MAX_BUCKETS = 256;
/** Keys sampled to cut the ranges. */
const SAMPLE_KEYS = 4096;

/**
 * The splitters of the ranges for a sample of keys (one per so many entries, so a patient with many entries weighs
 * more): sorted, distinct, at most `MAX_BUCKETS - 1`. A range is `[splitters[i - 1], splitters[i])`. A key that fills
 * more than one range, or the only key in the sample, gets a range of its own (the key and its successor, `key +
 * "\0"`): every range is then smaller than what was split, so splitting again always ends.
 */
function splittersOf(sample: readonly string[]): string[] {
  const sorted = sample.slice().sort(compareKeys);
  const cuts = Math.min(MAX_BUCKETS / 2 - 1, sorted.length);
  // Picks at evenly spaced ranks, in increasing order, with how many ranks each one took.
  const picks = new Map<string, number>();
  for (let c = 1; c <= cuts; c++) {
    const key = sorted[Math.floor((c * sorted.length) / (cuts + 1))] ?? "";
    picks.set(key, (picks.get(key) ?? 0) + 1);
  }
  const splitters: string[] = [];
  const push = (key: string): void => {
    const last = splitters[splitters.length - 1];
    if (last === undefined || compareKeys(key, last) > 0) splitters.push(key);
  };
  for (const [key, ranks] of picks) {
    push(key);
    if (ranks > 1 || picks.size === 1) push(`${key}\0`);
  }
  return splitters;
}

/** The range of `splitters` that `key` falls in: how many splitters are not above it. */
function rangeOf(splitters: readonly string[], key: string): number {
  let low = 0;
  let high = splitters.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((splitters[middle] ?? "") <= key) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** A bucket file: its entries and, once counted (`finish`), its patients. */
interface Bucket {
  path: string;
  entries: number;
  patients: number;
}

/** The index once spilled: a writer per range of ids. */
interface Spill {
  folder: SpillFolder;
  splitters: string[];
  writers: BucketWriter[];
  /** Set by `finish()`: the bucket files in id order, each under the limit or holding one patient. */
  buckets?: Bucket[];
}

/**
 * Distinct keys in a bucket file, or undefined when they would take more than `bytes` (estimated) in memory: the
 * bucket is then too large to read back at once.
 */
function countPatients(path: string, bytes: number): number | undefined {
  const keys = new Set<string>();
  let used = 0;
  let last: string | undefined;
  const add = (key: string): void => {
    if (key === last || used > bytes) return;
    last = key;
    if (keys.has(key)) return;
    keys.add(key);
    used += key.length + KEY_BYTES;
    if (used > bytes) keys.clear();
  };
  readBucket(path, { line: add, bundleMember: add });
  return used > bytes ? undefined : keys.size;
}

export interface PatientIndexOptions {
  /**
   * Estimated bytes of index held in memory (25 per line, a patient id's length plus 32 per patient), of which a
   * quarter at most for patient ids; past this the index moves to temporary files, and no bucket read back holds
   * more unless it is one patient's. Default `MEMORY_BYTES`.
   */
  memoryBytes?: number | undefined;
}

export class PatientIndex {
  private readonly memoryBytes: number;
  private memory: MemoryIndex | undefined = new MemoryIndex();
  private spill: Spill | undefined;
  private lines = 0;
  private bundleMembers = false;
  private lastKey = "";
  private lastWriter: BucketWriter | undefined;
  /** What stopped the index from being written to disk; the error of the review, whatever reported it first. */
  failure: UsageError | undefined;

  constructor({ memoryBytes = MEMORY_BYTES }: PatientIndexOptions = {}) {
    this.memoryBytes = memoryBytes;
  }

  /** Keeps a failure to write (a UsageError) as `failure`, and throws it on. */
  private fail(error: unknown): never {
    if (error instanceof UsageError) this.failure = error;
    throw error;
  }

  /**
   * Records an NDJSON line that belongs to the patient `key` (`Patient/<id>`).
   * @param deferred The line need not be read unless the patient's other resources include a panel.
   * @throws UsageError when the index has spilled to disk and cannot be written.
   */
  addLine(
    key: string,
    file: number,
    offset: number,
    byteLength: number,
    lineNo: number,
    deferred = false,
  ): void {
    this.lines++;
    if (this.memory) {
      // Its KeyTable keeps the key well-formed, as the bucket files do below.
      this.memory.line(key, file, offset, byteLength, lineNo, deferred);
      this.added();
      return;
    }
    if (this.failure) throw this.failure;
    try {
      const spelled = wellFormed(key);
      this.writerFor(spelled).addLine(spelled, file, offset, byteLength, lineNo, deferred);
    } catch (error) {
      this.fail(error);
    }
  }

  /**
   * Records lines read elsewhere (a scan worker's range), as `addLine` would one by one: line `i` belongs to the
   * patient `keys[patient[i]]`, and its line number is `lineBase + lineNo[i]`. In memory, each key is looked up once
   * per batch rather than once per line.
   * @throws UsageError when the index has spilled to disk and cannot be written.
   */
  addLines(batch: LineBatch, file: number, lineBase: number): void {
    const { keys, patient, offset, byteLength, lineNo, deferred } = batch;
    // The index's number of each of the batch's keys, once looked up (-1: not yet).
    const numbers = new Int32Array(keys.length).fill(-1);
    for (let i = 0; i < patient.length; i++) {
      const local = patient[i] ?? 0;
      const at = offset[i] ?? 0;
      const length = byteLength[i] ?? 0;
      const line = lineBase + (lineNo[i] ?? 0);
      const isDeferred = deferred[i] === 1;
      const memory = this.memory;
      if (memory === undefined) {
        // Spilled (perhaps within this batch): lines go to their bucket by key.
        this.addLine(keys[local] ?? "", file, at, length, line, isDeferred);
        continue;
      }
      let number = numbers[local] ?? -1;
      if (number === -1) {
        number = memory.numberOf(keys[local] ?? "");
        numbers[local] = number;
      }
      this.lines++;
      memory.numberedLine(number, file, at, length, line, isDeferred);
      this.added();
    }
  }

  /** Records that Bundle file number `file` holds resources of the patient `key`. */
  addBundleMember(key: string, file: number): void {
    this.bundleMembers = true;
    if (this.memory) {
      this.memory.bundleMember(key, file);
      this.added();
      return;
    }
    if (this.failure) throw this.failure;
    try {
      const spelled = wellFormed(key);
      this.writerFor(spelled).addBundleMember(spelled, file);
    } catch (error) {
      this.fail(error);
    }
  }

  private added(): void {
    const memory = this.memory;
    if (!memory || (memory.bytes <= this.memoryBytes && memory.keyBytes <= this.memoryBytes * KEY_SHARE))
      return;
    if (this.failure) throw this.failure;
    try {
      this.spillToDisk();
    } catch (error) {
      this.fail(error);
    }
  }

  /** Moves the in-memory index to bucket files by ranges of ids, in input order. */
  private spillToDisk(): void {
    const memory = this.memory;
    if (!memory) return;
    const splitters = splittersOf(memory.sampleKeys(Math.max(1, Math.floor(memory.lineCount / SAMPLE_KEYS))));
    const folder = new SpillFolder();
    const writers: BucketWriter[] = [];
    this.spill = { folder, splitters, writers };
    for (let range = 0; range <= splitters.length; range++) writers.push(folder.newBucket());
    memory.visit({
      line: (key, file, offset, byteLength, lineNo, deferred) => {
        this.writerFor(key).addLine(key, file, offset, byteLength, lineNo, deferred);
      },
      bundleMember: (key, file) => {
        this.writerFor(key).addBundleMember(key, file);
      },
    });
    this.memory = undefined;
  }

  private writerFor(key: string): BucketWriter {
    if (key === this.lastKey && this.lastWriter) return this.lastWriter;
    const spill = this.spill as Spill;
    const writer = spill.writers[rangeOf(spill.splitters, key)] as BucketWriter;
    this.lastKey = key;
    this.lastWriter = writer;
    return writer;
  }

  /**
   * Call once the first pass is done: a spilled index closes its files, splits any bucket that outgrew the limit and
   * counts the patients. Does nothing for an index in memory.
   * @throws UsageError when the files cannot be written, or have not been (`failure`).
   */
  finish(): void {
    if (this.failure) throw this.failure;
    const spill = this.spill;
    if (!spill || spill.buckets) return;
    try {
      const written: Bucket[] = spill.writers.map((writer) => {
        writer.close();
        return { path: writer.path, entries: writer.records, patients: 0 };
      });
      spill.writers = [];
      this.lastWriter = undefined;
      spill.buckets = written.flatMap((bucket) => this.settle(spill.folder, bucket));
    } catch (error) {
      this.fail(
        isSystemError(error) && !(error instanceof UsageError)
          ? new UsageError(
              cliText("usage.indexReadBack", { folder: spill.folder.path, error: error.message }),
            )
          : error,
      );
    }
  }

  /** The bucket, counted, or the buckets it splits into, in id order. */
  private settle(folder: SpillFolder, bucket: Bucket): Bucket[] {
    if (bucket.entries === 0) {
      deleteBucket(bucket.path);
      return [];
    }
    const linesBytes = bucket.entries * LINE_BYTES;
    const keyBudget = Math.min(this.memoryBytes - linesBytes, this.memoryBytes * KEY_SHARE);
    const patients = keyBudget >= 0 ? countPatients(bucket.path, keyBudget) : undefined;
    if (patients !== undefined) return [{ ...bucket, patients }];
    const step = Math.max(1, Math.floor(bucket.entries / SAMPLE_KEYS));
    const sample: string[] = [];
    const seen = { entries: 0, first: undefined as string | undefined, several: false };
    const look = (key: string): void => {
      if (seen.entries++ % step === 0) sample.push(key);
      seen.first ??= key;
      if (key !== seen.first) seen.several = true;
    };
    readBucket(bucket.path, { line: look, bundleMember: look });
    // One patient's entries: read back whole, however many (memory bounded by the largest patient).
    if (!seen.several) return [{ ...bucket, patients: 1 }];

    const splitters = splittersOf(sample);
    const writers: BucketWriter[] = [];
    // Kept by the spill until closed, so that close() can let go of them after a failure.
    (this.spill as Spill).writers = writers;
    for (let range = 0; range <= splitters.length; range++) writers.push(folder.newBucket());
    let lastKey: string | undefined;
    let writer = writers[0] as BucketWriter;
    const into = (key: string): BucketWriter => {
      if (key !== lastKey) {
        lastKey = key;
        writer = writers[rangeOf(splitters, key)] as BucketWriter;
      }
      return writer;
    };
    readBucket(bucket.path, {
      line: (key, file, offset, byteLength, lineNo, deferred) => {
        into(key).addLine(key, file, offset, byteLength, lineNo, deferred);
      },
      bundleMember: (key, file) => {
        into(key).addBundleMember(key, file);
      },
    });
    const parts = writers.map((w) => {
      w.close();
      return { path: w.path, entries: w.records, patients: 0 };
    });
    (this.spill as Spill).writers = [];
    deleteBucket(bucket.path);
    return parts.flatMap((part) => this.settle(folder, part));
  }

  /** Patients in the index. For a spilled index, known once `finish()` has run. */
  get patientCount(): number {
    if (this.memory) return this.memory.patientCount;
    const buckets = this.spill?.buckets;
    if (!buckets)
      throw new Error("PatientIndex: call finish() before reading the patient count of a spilled index");
    return buckets.reduce((sum, bucket) => sum + bucket.patients, 0);
  }

  /** True when some patient has resources in a Bundle file (grouped in memory by the first pass). */
  get hasBundleMembers(): boolean {
    return this.bundleMembers;
  }

  get lineCount(): number {
    return this.lines;
  }

  /** True once the index has moved to temporary files. */
  get spilled(): boolean {
    return this.spill !== undefined;
  }

  /** Entries and patients of each bucket file, in id order, once `finish()` has run (for tests and benchmarks). */
  get bucketSizes(): readonly { entries: number; patients: number }[] {
    return (this.spill?.buckets ?? []).map(({ entries, patients }) => ({ entries, patients }));
  }

  /**
   * The patients sorted by id (plain code-unit order, so the result does not depend on the locale), each with the
   * locations of its resources. Yields one patient at a time; a spilled index reads one bucket at a time.
   */
  *groups(): Generator<PatientGroup> {
    if (this.failure) throw this.failure;
    if (this.memory) {
      yield* this.memory.groups();
      return;
    }
    this.finish();
    // One index for every bucket in turn: allocating a line table per bucket would leave GC work of MBs per bucket.
    const part = new MemoryIndex();
    for (const bucket of this.spill?.buckets ?? []) {
      part.clear();
      try {
        readBucket(bucket.path, part);
      } catch (error) {
        // Removed or damaged while the review ran (a cleaner of old files under /tmp, say): said in one line, exit 2.
        throw new UsageError(cliText("usage.indexFile", { path: bucket.path, error: errorMessage(error) }));
      }
      yield* part.groups();
    }
  }

  /** Removes the temporary files, if any. Call when done, also after an error. */
  close(): void {
    const spill = this.spill;
    if (!spill) return;
    for (const writer of spill.writers) writer.abandon();
    spill.writers = [];
    spill.folder.remove();
  }
}

function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string";
}
