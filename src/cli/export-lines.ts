/**
 * Counts the NDJSON lines of a download on its way to disk, and tells a whole file from one cut short (src/cli/export.ts).
 * It works on the bytes: a newline byte (0x0A) never occurs inside a UTF-8 sequence, so lines are found without
 * decoding the file. A line that starts with `{` (every resource line) is not blank; only another line is decoded, to
 * tell a blank one (`trim()` empty) from the rest. Only the text after the last newline is kept, as bytes, and decoded
 * at the end, when the file does not end with a newline.
 */
import { Transform, type TransformCallback } from "node:stream";
import { type CliText, cliText } from "./messages";

const OPEN_BRACE = 0x7b;
const NEWLINE = 0x0a;

export class LineCounter extends Transform {
  /** Non-blank lines seen. */
  lines = 0;
  /** The bytes after the last newline so far (the start of a line that a later chunk ends). */
  private tail: Buffer[] = [];
  /** No newline yet: a byte order mark at the start is dropped, as a decoder of the whole file drops it. */
  private atStart = true;

  constructor(private readonly onBytes: (n: number) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.add(chunk);
    done(null, chunk);
  }

  /** Counts the lines of the next chunk of the download (the stream's `_transform`, or a caller's own loop). */
  add(bytes: Uint8Array): void {
    const chunk = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.onBytes(chunk.length);
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      if (this.tail.length === 0) {
        if (!this.blank(chunk.subarray(start, end))) this.lines++;
      } else {
        this.tail.push(chunk.subarray(start, end));
        if (!this.blank(Buffer.concat(this.tail))) this.lines++;
        this.tail = [];
      }
      this.atStart = false;
      start = end + 1;
    }
    if (start < chunk.length) this.tail.push(chunk.subarray(start));
  }

  private blank(line: Buffer): boolean {
    if (line.length === 0) return true;
    if (line[0] === OPEN_BRACE) return false;
    return this.text(line).trim() === "";
  }

  private text(bytes: Buffer): string {
    return new TextDecoder("utf-8", { ignoreBOM: !this.atStart }).decode(bytes);
  }

  /**
   * Why the file looks cut short: a last line without its newline that is not a whole JSON resource, or fewer lines
   * than the manifest's `count`, as a message (the counts as they are, `1 resources` in English too). Undefined for a
   * whole file; then `lines` includes such a whole last line.
   */
  truncation(expected: number | undefined): CliText | undefined {
    const last = this.text(Buffer.concat(this.tail));
    this.tail = [];
    if (last.trim() !== "") {
      try {
        JSON.parse(last);
        this.lines++;
      } catch {
        return cliText("export.cutShort", { lines: String(this.lines) });
      }
    }
    if (expected !== undefined && this.lines !== expected)
      return cliText("export.countDiffers", { lines: String(this.lines), expected: String(expected) });
    return undefined;
  }
}
