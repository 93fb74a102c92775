// @vitest-environment node
/** The byte-level line splitter: lines across 1 MiB chunk boundaries, CRLF, BOM, and reading a line back by offset. */
import { closeSync, openSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lineStartAfter, readLineAt, readNdjsonLines, type NdjsonLine } from "../../src/cli/ndjson-reader";
import { tempDir } from "./helpers";

async function lines(path: string, range?: { start: number; end: number }): Promise<NdjsonLine[]> {
  const all: NdjsonLine[] = [];
  await readNdjsonLines(path, (line) => all.push(line), range);
  return all;
}

describe("readNdjsonLines", () => {
  it("splits a 3 MiB file of varied (multi-byte) lines exactly, and each offset reads the same line back", async () => {
    const path = join(tempDir(), "big.ndjson");
    const written: string[] = [];
    for (let i = 0, size = 0; size < 3 * 1024 * 1024; i++) {
      const line = JSON.stringify({ i, text: "é→😀".repeat(i % 997) });
      written.push(line);
      size += Buffer.byteLength(line) + 1;
    }
    writeFileSync(path, written.join("\n") + "\n");
    const read = await lines(path);
    expect(read.map((l) => l.text)).toEqual(written);
    expect(read.map((l) => l.lineNo)).toEqual(written.map((_, i) => i + 1));
    const fd = openSync(path, "r");
    try {
      for (const line of read) expect(readLineAt(fd, line.offset, line.byteLength)).toBe(line.text);
    } finally {
      closeSync(fd);
    }
  });

  it("handles one line longer than a chunk", async () => {
    const path = join(tempDir(), "long.ndjson");
    const long = JSON.stringify({ text: "x".repeat(2_500_000) });
    writeFileSync(path, `{"a":1}\n${long}\n{"b":2}`);
    const read = await lines(path);
    expect(read.map((l) => l.text)).toEqual(['{"a":1}', long, '{"b":2}']);
    const fd = openSync(path, "r");
    expect(readLineAt(fd, read[1]?.offset ?? 0, read[1]?.byteLength ?? 0)).toBe(long);
    closeSync(fd);
  });

  it("drops a UTF-8 byte order mark and CR of CRLF line ends, keeps blank lines for the caller, no final newline", async () => {
    const path = join(tempDir(), "crlf.ndjson");
    writeFileSync(
      path,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}\r\n\r\n{"b":"ü"}')]),
    );
    const read = await lines(path);
    expect(read.map((l) => [l.text, l.lineNo])).toEqual([
      ['{"a":1}', 1],
      ["", 2],
      ['{"b":"ü"}', 3],
    ]);
    const fd = openSync(path, "r");
    expect(readLineAt(fd, read[0]?.offset ?? 0, read[0]?.byteLength ?? 0)).toBe('{"a":1}');
    expect(readLineAt(fd, read[2]?.offset ?? 0, read[2]?.byteLength ?? 0)).toBe('{"b":"ü"}');
    closeSync(fd);
  });

  it("reports nothing for an empty file", async () => {
    const path = join(tempDir(), "empty.ndjson");
    writeFileSync(path, "");
    expect(await lines(path)).toEqual([]);
  });

  it("reads two ranges cut by lineStartAfter as the whole file: same lines and offsets, line numbers from each start", async () => {
    const path = join(tempDir(), "ranges.ndjson");
    const written = Array.from({ length: 5000 }, (_, i) =>
      JSON.stringify({ i, text: "é😀".repeat(i % 301) }),
    );
    writeFileSync(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(written.join("\r\n"))]));
    const whole = await lines(path);
    const size = statSync(path).size;
    const fd = openSync(path, "r");
    try {
      for (const near of [1, 12_345, Math.floor(size / 2), size - 3000]) {
        const cut = lineStartAfter(fd, near, size);
        if (cut === undefined) throw new Error(`no cut near ${near}`);
        const first = await lines(path, { start: 0, end: cut });
        const second = await lines(path, { start: cut, end: size });
        expect(first.length).toBeGreaterThan(0);
        expect(second.length).toBeGreaterThan(0);
        const joined = [...first, ...second.map((l) => ({ ...l, lineNo: l.lineNo + first.length }))];
        expect(joined).toEqual(whole);
      }
      // No line break after the last one: nothing to cut.
      expect(lineStartAfter(fd, size - 3, size)).toBeUndefined();
    } finally {
      closeSync(fd);
    }
  });
});
