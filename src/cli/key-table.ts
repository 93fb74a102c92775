/**
 * Patient keys (`Patient/<id>`) numbered in the order they are first seen: the index (grouping.ts) and a scan worker
 * (scan-worker.ts) store a number per line instead of a string.
 */

/** `String.prototype.isWellFormed` / `toWellFormed` (Node 20; not yet in TypeScript's ES2023 library). */
interface WellFormedString {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/**
 * The id as it is written to and read back from the index's files, in UTF-8: a lone surrogate (written `\ud800` in
 * JSON) becomes U+FFFD. Taken for every entry, so that the in-memory index, the choice of a bucket and the buckets
 * read back all see one spelling, and one patient stays one patient.
 */
export function wellFormed(key: string): string {
  const text = key as unknown as WellFormedString;
  return text.isWellFormed() ? key : text.toWellFormed();
}

export class KeyTable {
  /** The keys, well-formed, by number. */
  readonly keys: string[] = [];
  /** Characters of all keys: for the index's memory estimate. */
  chars = 0;
  private readonly numbers = new Map<string, number>();
  private lastKey = "";
  private lastNumber = -1;

  /** The key's number; a key not seen before gets the next one. */
  numberOf(key: string): number {
    // A patient's lines usually follow each other (a Bulk Data file is often written patient by patient).
    if (key === this.lastKey) return this.lastNumber;
    const spelled = wellFormed(key);
    let number = this.numbers.get(spelled);
    if (number === undefined) {
      number = this.keys.length;
      // A copy: the key is often a slice of a whole NDJSON line (raw-scan.ts), and V8 keeps the line alive for it.
      const owned = Buffer.from(spelled, "utf8").toString("utf8");
      this.numbers.set(owned, number);
      this.keys.push(owned);
      this.chars += owned.length;
    }
    this.lastKey = key;
    this.lastNumber = number;
    return number;
  }

  /** Forgets every key. */
  clear(): void {
    this.numbers.clear();
    this.keys.length = 0;
    this.chars = 0;
    this.lastKey = "";
    this.lastNumber = -1;
  }
}
