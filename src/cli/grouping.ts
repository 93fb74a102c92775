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
 */

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
    if (at === 0) this.chunks.push(new LineChunk());
    const chunk = this.chunks[this.chunks.length - 1] as LineChunk;
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

/** One patient's share of the input: NDJSON lines in input order and the Bundle files that mention the patient. */
export interface PatientGroup {
  /** `Patient/<id>` */
  key: string;
  lines: LineLocation[];
  bundleFiles: readonly number[];
}

export class PatientIndex {
  private readonly ordinals = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly lines = new LineTable();
  private readonly bundles = new Map<number, number[]>();

  private lastKey = "";
  private lastOrdinal = -1;

  private ordinal(key: string): number {
    // A patient's lines usually follow each other (a Bulk Data file is often written patient by patient).
    if (key === this.lastKey) return this.lastOrdinal;
    let ordinal = this.ordinals.get(key);
    if (ordinal === undefined) {
      ordinal = this.keys.length;
      // A copy: the key is often a slice of a whole NDJSON line (raw-scan.ts), and V8 keeps the line alive for it.
      const owned = Buffer.from(key, "utf8").toString("utf8");
      this.ordinals.set(owned, ordinal);
      this.keys.push(owned);
    }
    this.lastKey = key;
    this.lastOrdinal = ordinal;
    return ordinal;
  }

  /**
   * Records an NDJSON line that belongs to the patient `key` (`Patient/<id>`).
   * @param deferred The line need not be read unless the patient's other resources include a panel.
   */
  addLine(
    key: string,
    file: number,
    offset: number,
    byteLength: number,
    lineNo: number,
    deferred = false,
  ): void {
    this.lines.push(this.ordinal(key), file, offset, byteLength, lineNo, deferred);
  }

  /** Records that Bundle file number `file` holds resources of the patient `key`. */
  addBundleMember(key: string, file: number): void {
    const ordinal = this.ordinal(key);
    const files = this.bundles.get(ordinal);
    if (files === undefined) this.bundles.set(ordinal, [file]);
    else if (!files.includes(file)) files.push(file);
  }

  get patientCount(): number {
    return this.keys.length;
  }

  /** True when some patient has resources in a Bundle file (grouped in memory by the first pass). */
  get hasBundleMembers(): boolean {
    return this.bundles.size > 0;
  }

  get lineCount(): number {
    return this.lines.size;
  }

  /**
   * The patients sorted by id (plain code-unit order, so the result does not depend on the locale), each with the
   * locations of its resources. Yields one patient at a time.
   */
  *groups(): Generator<PatientGroup> {
    const table = this.lines;
    const patients = this.keys.length;
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
    const keys = this.keys;
    order.sort((a, b) => {
      const x = keys[a] ?? "";
      const y = keys[b] ?? "";
      return x < y ? -1 : x > y ? 1 : 0;
    });

    for (const p of order) {
      const lines: LineLocation[] = [];
      for (let k = starts[p] ?? 0; k < (starts[p + 1] ?? 0); k++) {
        lines.push(table.location(byPatient[k] ?? 0));
      }
      yield { key: keys[p] ?? "", lines, bundleFiles: this.bundles.get(p) ?? [] };
    }
  }
}
