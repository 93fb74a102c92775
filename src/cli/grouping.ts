/**
 * The patient index built by the first pass: which lines of which NDJSON files, and which Bundle files, hold each
 * patient's resources.
 *
 * Why two passes with an offset index (and not an on-disk sort): Bulk Data files are one per resource type, so a
 * patient's resources are spread over every file and no single pass can finish a patient before the end of the
 * export. The first pass records, per resource line, only its patient, file, byte offset, length and line number
 * (about 24 bytes in typed arrays, no parsed JSON); the second pass visits patients in id order and reads each
 * patient's lines back with positioned reads, so at most one patient's resources are parsed at a time. The index is
 * about 24 MB per million resources plus the patient ids: small next to the export, and far simpler and faster than
 * writing the export out again sorted by patient (an on-disk sort would write and read every byte twice more).
 */

/** Growable struct-of-arrays table of NDJSON resource lines. */
class LineTable {
  size = 0;
  patient = new Uint32Array(1024);
  file = new Uint32Array(1024);
  line = new Uint32Array(1024);
  length = new Uint32Array(1024);
  offset = new Float64Array(1024);

  push(patient: number, file: number, offset: number, length: number, line: number): void {
    if (this.size === this.patient.length) this.grow();
    const at = this.size++;
    this.patient[at] = patient;
    this.file[at] = file;
    this.offset[at] = offset;
    this.length[at] = length;
    this.line[at] = line;
  }

  private grow(): void {
    const capacity = this.patient.length * 2;
    const widen = <T extends Uint32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.patient = widen(this.patient, (n) => new Uint32Array(n));
    this.file = widen(this.file, (n) => new Uint32Array(n));
    this.line = widen(this.line, (n) => new Uint32Array(n));
    this.length = widen(this.length, (n) => new Uint32Array(n));
    this.offset = widen(this.offset, (n) => new Float64Array(n));
  }
}

/** Where one NDJSON line of a patient is. */
export interface LineLocation {
  file: number;
  offset: number;
  byteLength: number;
  lineNo: number;
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

  private ordinal(key: string): number {
    let ordinal = this.ordinals.get(key);
    if (ordinal === undefined) {
      ordinal = this.keys.length;
      this.ordinals.set(key, ordinal);
      this.keys.push(key);
    }
    return ordinal;
  }

  /** Records an NDJSON line that belongs to the patient `key` (`Patient/<id>`). */
  addLine(key: string, location: LineLocation): void {
    this.lines.push(this.ordinal(key), location.file, location.offset, location.byteLength, location.lineNo);
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
      const slot = (table.patient[i] ?? 0) + 1;
      starts[slot] = (starts[slot] ?? 0) + 1;
    }
    for (let p = 0; p < patients; p++) starts[p + 1] = (starts[p + 1] ?? 0) + (starts[p] ?? 0);
    const fill = starts.slice(0, patients);
    const byPatient = new Uint32Array(table.size);
    for (let i = 0; i < table.size; i++) {
      const p = table.patient[i] ?? 0;
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
        const i = byPatient[k] ?? 0;
        lines.push({
          file: table.file[i] ?? 0,
          offset: table.offset[i] ?? 0,
          byteLength: table.length[i] ?? 0,
          lineNo: table.line[i] ?? 0,
        });
      }
      yield { key: keys[p] ?? "", lines, bundleFiles: this.bundles.get(p) ?? [] };
    }
  }
}
