/**
 * Streams an NDJSON file line by line with the byte offset of each line, so the second pass can read a line again
 * with one positioned read instead of keeping it in memory. Splits on bytes (not node:readline) because readline
 * does not report offsets; memory holds one chunk plus the longest line.
 */
import { createReadStream, readSync } from "node:fs";

/** One line of an NDJSON file. `offset` and `byteLength` locate it in the file (without the line break). */
export interface NdjsonLine {
  text: string;
  /** 1-based, for messages such as `Observation.ndjson:12`. */
  lineNo: number;
  offset: number;
  byteLength: number;
}

const CHUNK = 1 << 20;
const LF = 10;
const CR = 13;

function hasBom(buffer: Buffer): boolean {
  return buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
}

/** A part of a file, in bytes: from `start` (the first byte of a line) up to `end` (exclusive). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Calls `onLine` for every line of the file, in order, including blank lines (the caller decides what they mean).
 * A UTF-8 byte order mark and CRLF line ends are tolerated.
 * @param range Only this part of the file (a first pass split between threads); its line numbers then count from 1
 *   at `range.start`, and a byte order mark is looked for only at offset 0.
 * @returns The number of lines and bytes read.
 */
export async function readNdjsonLines(
  path: string,
  onLine: (line: NdjsonLine) => void,
  range?: ByteRange,
): Promise<{ lines: number; bytes: number }> {
  let pending: Buffer[] = [];
  const start = range?.start ?? 0;
  let pendingStart = 0; // file offset of the first pending byte
  let fileOffset = start; // file offset of the current chunk
  let lineNo = 0;
  let first = start === 0;
  if (range !== undefined && range.end <= range.start) return { lines: 0, bytes: 0 };

  const emit = (buffer: Buffer, start: number, end: number, offset: number): void => {
    let stop = end;
    if (stop > start && buffer[stop - 1] === CR) stop--;
    lineNo++;
    onLine({ text: buffer.toString("utf8", start, stop), lineNo, offset, byteLength: stop - start });
  };

  // createReadStream's `end` is inclusive.
  const stream = createReadStream(path, {
    highWaterMark: CHUNK,
    ...(range === undefined ? {} : { start, end: range.end - 1 }),
  });
  for await (const data of stream) {
    const chunk = data as Buffer;
    let skip = 0;
    if (first) {
      first = false;
      if (hasBom(chunk)) skip = 3;
    }
    let position = skip;
    for (let newline = chunk.indexOf(LF, position); newline !== -1; newline = chunk.indexOf(LF, position)) {
      if (pending.length > 0) {
        const joined = Buffer.concat([...pending, chunk.subarray(position, newline)]);
        emit(joined, 0, joined.length, pendingStart);
        pending = [];
      } else {
        emit(chunk, position, newline, fileOffset + position);
      }
      position = newline + 1;
    }
    if (position < chunk.length) {
      if (pending.length === 0) pendingStart = fileOffset + position;
      // Copy: the stream may reuse its buffer.
      pending.push(Buffer.from(chunk.subarray(position)));
    }
    fileOffset += chunk.length;
  }
  if (pending.length > 0) {
    const joined = Buffer.concat(pending);
    emit(joined, 0, joined.length, pendingStart);
  }
  return { lines: lineNo, bytes: fileOffset - start };
}

/**
 * Where to cut a file in two between lines: the offset just after the first line break at or after `near`, or
 * undefined when there is none before the end of the file (the last line is too long to cut before it).
 */
export function lineStartAfter(fd: number, near: number, fileBytes: number): number | undefined {
  const probe = Buffer.alloc(64 * 1024);
  for (let at = near; at < fileBytes;) {
    const n = readSync(fd, probe, 0, Math.min(probe.length, fileBytes - at), at);
    if (n === 0) return undefined;
    const newline = probe.subarray(0, n).indexOf(LF);
    if (newline !== -1) return at + newline + 1 < fileBytes ? at + newline + 1 : undefined;
    at += n;
  }
  return undefined;
}

let scratch = Buffer.alloc(64 * 1024);

/**
 * Reads a byte range of a file again (second pass). The buffer is reused by the next call: decode it before then.
 * @param fd An open file descriptor of the NDJSON file.
 */
export function readRange(fd: number, offset: number, byteLength: number): Buffer {
  if (scratch.length < byteLength) scratch = Buffer.alloc(Math.max(byteLength, scratch.length * 2));
  let read = 0;
  while (read < byteLength) {
    const n = readSync(fd, scratch, read, byteLength - read, offset + read);
    if (n === 0)
      throw new Error(`file changed while reading: expected ${byteLength} bytes at offset ${offset}`);
    read += n;
  }
  return scratch;
}

/** Reads one line again by its offset (second pass). */
export function readLineAt(fd: number, offset: number, byteLength: number): string {
  return readRange(fd, offset, byteLength).toString("utf8", 0, byteLength);
}
