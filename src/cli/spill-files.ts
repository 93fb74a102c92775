/**
 * The on-disk side of a spilled patient index (grouping.ts): a temporary folder that is removed whatever happens,
 * and bucket files of binary records, written through a buffer and read back in chunks.
 *
 * A record is one index entry: a tag byte (a line or a Bundle member; deferred; same key as the record before it in
 * the file), the key as UTF-8 with its byte length unless it repeats, then the line's file, offset, length and line
 * number (or the Bundle's file). Any failure to write is a `UsageError` naming the folder: the review stops with one
 * clear line and exit code 2, before any output. A failure to read a file back in the second pass is a `UsageError`
 * too (grouping.ts); output has begun by then, so its line says the output is incomplete.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { errorMessage, UsageError } from "./diagnostics";
import { type CliText, cliText } from "./messages";

const LINE = 0;
const BUNDLE = 1;
const DEFERRED = 2;
const SAME_KEY = 4;

/** Bytes after the key: file, offset, length, line number (a line) or file (a Bundle member). */
const LINE_TAIL = 4 + 8 + 4 + 4;
const BUNDLE_TAIL = 4;
const WRITE_BUFFER = 64 * 1024;
const READ_CHUNK = 1 << 20;

function viewOf(buffer: Buffer): DataView {
  return new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Folders not yet removed, removed when the process ends without closing them (an error, a signal). */
const live = new Set<string>();
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

function removeLive(): void {
  for (const path of live) rmSync(path, { recursive: true, force: true });
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  removeLive();
  unwatch();
  // Without other listeners, the signal raised again ends the process as it would have without us.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function watch(): void {
  process.on("exit", removeLive);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function unwatch(): void {
  process.off("exit", removeLive);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/** The error that ends the review when the index cannot be written. */
function writeError(parent: string, error: unknown): UsageError {
  return new UsageError(cliText("usage.indexWrite", { folder: parent, error: errorMessage(error) }));
}

/** A temporary folder under `os.tmpdir()` (TMPDIR), removed by `remove()` or, failing that, when the process ends. */
export class SpillFolder {
  readonly path: string;
  /** The folder it is in (TMPDIR), named by errors: the place the user can change. */
  readonly parent = tmpdir();
  private files = 0;

  /**
   * @param purpose What the folder holds (named by the error) and its name's prefix; the decompressed `.gz` inputs
   *   (gunzip.ts) use one too.
   * @throws UsageError when the folder cannot be created.
   */
  constructor(
    purpose: { what: CliText; prefix: string } = {
      what: cliText("usage.purposeIndex"),
      prefix: "her2-index-",
    },
  ) {
    const parent = this.parent;
    try {
      this.path = mkdtempSync(join(parent, purpose.prefix));
    } catch (error) {
      throw new UsageError(
        cliText("usage.tempFolder", { what: purpose.what, folder: parent, error: errorMessage(error) }),
      );
    }
    if (live.size === 0) watch();
    live.add(this.path);
  }

  /** A new bucket file in the folder. */
  newBucket(): BucketWriter {
    return new BucketWriter(this.parent, join(this.path, `${String(this.files++)}.bin`));
  }

  remove(): void {
    if (!live.delete(this.path)) return;
    rmSync(this.path, { recursive: true, force: true });
    if (live.size === 0) unwatch();
  }
}

/** Appends records to one bucket file. */
export class BucketWriter {
  /** Records written (lines and Bundle members). */
  records = 0;
  private fd: number | undefined;
  private buffer = Buffer.allocUnsafe(0);
  /** The buffer's numbers are written through a DataView: much faster than Buffer's writeUInt32LE and kin. */
  private view = viewOf(this.buffer);
  private used = 0;
  private lastKey: string | undefined;

  /** @param parent Named by the error when the file cannot be written. */
  constructor(
    private readonly parent: string,
    readonly path: string,
  ) {
    try {
      this.fd = openSync(path, "w");
    } catch (error) {
      throw writeError(parent, error);
    }
  }

  /** Room for `bytes` more in the buffer (allocated on first use, so an unused bucket costs no memory). */
  private reserve(bytes: number): void {
    if (this.used + bytes <= this.buffer.length) return;
    this.flush();
    if (bytes > this.buffer.length) {
      this.buffer = Buffer.allocUnsafe(Math.max(WRITE_BUFFER, bytes));
      this.view = viewOf(this.buffer);
    }
  }

  /** Writes the tag and, unless it repeats the last record's, the key. */
  private head(tag: number, key: string, tail: number): void {
    const same = key === this.lastKey;
    this.reserve(1 + (same ? 0 : 4 + 3 * key.length) + tail);
    const buffer = this.buffer;
    buffer[this.used++] = same ? tag | SAME_KEY : tag;
    if (!same) {
      const bytes = buffer.write(key, this.used + 4, "utf8");
      this.view.setUint32(this.used, bytes, true);
      this.used += 4 + bytes;
      this.lastKey = key;
    }
    this.records++;
  }

  addLine(
    key: string,
    file: number,
    offset: number,
    byteLength: number,
    lineNo: number,
    deferred: boolean,
  ): void {
    this.head(deferred ? LINE | DEFERRED : LINE, key, LINE_TAIL);
    const view = this.view;
    const at = this.used;
    view.setUint32(at, file, true);
    view.setFloat64(at + 4, offset, true);
    view.setUint32(at + 12, byteLength, true);
    view.setUint32(at + 16, lineNo, true);
    this.used = at + LINE_TAIL;
  }

  addBundleMember(key: string, file: number): void {
    this.head(BUNDLE, key, BUNDLE_TAIL);
    this.view.setUint32(this.used, file, true);
    this.used += BUNDLE_TAIL;
  }

  /** Writes what is buffered. */
  flush(): void {
    if (this.fd === undefined) return;
    try {
      for (let at = 0; at < this.used;) at += writeSync(this.fd, this.buffer, at, this.used - at);
    } catch (error) {
      throw writeError(this.parent, error);
    }
    this.used = 0;
  }

  /** Flushes, closes the file and frees the buffer. */
  close(): void {
    if (this.fd === undefined) return;
    this.flush();
    const fd = this.fd;
    this.fd = undefined;
    this.buffer = Buffer.allocUnsafe(0);
    this.view = viewOf(this.buffer);
    try {
      closeSync(fd);
    } catch (error) {
      throw writeError(this.parent, error);
    }
  }

  /** Closes the file without writing what is buffered (after a failure; the folder is about to be removed). */
  abandon(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    this.buffer = Buffer.allocUnsafe(0);
    this.view = viewOf(this.buffer);
    try {
      closeSync(fd);
    } catch {
      // Nothing to save: the folder is removed next.
    }
  }
}

/** Receives the records of a bucket file, in the order they were written. */
export interface RecordVisitor {
  line(
    key: string,
    file: number,
    offset: number,
    byteLength: number,
    lineNo: number,
    deferred: boolean,
  ): void;
  bundleMember(key: string, file: number): void;
}

/** The buffer of `readBucket`, kept from one bucket to the next: one per bucket would be MBs of garbage each. */
let readBuffer: Buffer | undefined;

/** Reads a bucket file (closed) back, one chunk in memory at a time. */
export function readBucket(path: string, visitor: RecordVisitor): void {
  const fd = openSync(path, "r");
  try {
    readBuffer ??= Buffer.allocUnsafe(READ_CHUNK);
    let buffer = readBuffer;
    let view = viewOf(buffer);
    let filled = 0;
    let key = "";
    for (;;) {
      const n = readSync(fd, buffer, filled, buffer.length - filled, null);
      filled += n;
      let at = 0;
      // Whole records only; a record cut by the chunk's end is moved to the front and completed by the next read.
      for (;;) {
        if (at >= filled) break;
        const tag = buffer[at] ?? 0;
        let size = 1 + ((tag & BUNDLE) === BUNDLE ? BUNDLE_TAIL : LINE_TAIL);
        let keyBytes = 0;
        if ((tag & SAME_KEY) === 0) {
          if (at + 5 > filled) break;
          keyBytes = view.getUint32(at + 1, true);
          size += 4 + keyBytes;
        }
        if (at + size > filled) break;
        let tail = at + 1;
        if ((tag & SAME_KEY) === 0) {
          key = buffer.toString("utf8", at + 5, at + 5 + keyBytes);
          tail = at + 5 + keyBytes;
        }
        if ((tag & BUNDLE) === BUNDLE) visitor.bundleMember(key, view.getUint32(tail, true));
        else
          visitor.line(
            key,
            view.getUint32(tail, true),
            view.getFloat64(tail + 4, true),
            view.getUint32(tail + 12, true),
            view.getUint32(tail + 16, true),
            (tag & DEFERRED) === DEFERRED,
          );
        at += size;
      }
      if (n === 0) {
        if (at < filled) throw new Error(`${path}: the patient index file ends in the middle of a record`);
        return;
      }
      buffer.copy(buffer, 0, at, filled);
      filled -= at;
      // A record longer than the buffer (a very long key): a bigger buffer.
      if (filled === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, filled);
        buffer = bigger;
        readBuffer = bigger;
        view = viewOf(buffer);
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** Deletes a bucket file once it has been split into smaller ones. */
export function deleteBucket(path: string): void {
  unlinkSync(path);
}
