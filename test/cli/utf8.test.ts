// @vitest-environment node
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CHUNK_BYTES, Utf8Builder, Utf8Chunks } from "../../src/cli/utf8";

/** Texts like the review's output: mostly ASCII, some accents and symbols, astral characters, lone surrogates. */
const texts = fc.array(
  fc.oneof(
    fc.string({ unit: "binary", maxLength: 300 }),
    fc.string({ unit: "grapheme-ascii", minLength: 1_000, maxLength: 60_000 }),
    fc.constantFrom("é", "≤ 2.0", "😀", "\ud800", "x".repeat(CHUNK_BYTES - 1), "é".repeat(CHUNK_BYTES)),
  ),
  { maxLength: 40 },
);

describe("Utf8Builder", () => {
  it("gives the UTF-8 of the texts joined, in a buffer of its own, and starts again empty", () => {
    fc.assert(
      fc.property(texts, texts, (first, second) => {
        const builder = new Utf8Builder();
        for (const part of first) builder.add(part);
        const bytes = builder.take();
        expect(bytes.equals(Buffer.from(first.join(""), "utf8"))).toBe(true);
        expect(bytes.byteOffset).toBe(0);
        expect(bytes.buffer.byteLength).toBe(bytes.length);
        for (const part of second) builder.add(part);
        expect(builder.take().equals(Buffer.from(second.join(""), "utf8"))).toBe(true);
        // What was taken is not written to again.
        expect(bytes.equals(Buffer.from(first.join(""), "utf8"))).toBe(true);
      }),
    );
  });
});

describe("Utf8Chunks", () => {
  it("gives the UTF-8 of every text, in order, each chunk ending where a text ends", () => {
    fc.assert(
      fc.property(texts, (parts) => {
        const chunks = new Utf8Chunks();
        const written: Buffer[] = [];
        // Byte offsets where a text ends: the only places a chunk may end.
        const ends = new Set<number>([0]);
        let total = 0;
        for (const part of parts) {
          written.push(...chunks.add(part));
          total += Buffer.byteLength(part, "utf8");
          ends.add(total);
        }
        const last = chunks.take();
        if (last) written.push(last);
        expect(Buffer.concat(written).equals(Buffer.from(parts.join(""), "utf8"))).toBe(true);
        let at = 0;
        for (const chunk of written) {
          expect(chunk.length).toBeGreaterThan(0);
          at += chunk.length;
          expect(ends.has(at)).toBe(true);
        }
      }),
    );
  });

  it("hands on a chunk once it holds CHUNK_BYTES, and keeps smaller amounts until taken", () => {
    const chunks = new Utf8Chunks();
    expect(chunks.add("a".repeat(40_000))).toEqual([]);
    expect(chunks.add("a".repeat(CHUNK_BYTES - 40_001))).toEqual([]);
    const [full, ...rest] = chunks.add("é");
    expect(rest).toEqual([]);
    expect(full?.length).toBe(CHUNK_BYTES + 1);
    expect(chunks.take()).toBeUndefined();
    expect(chunks.add("b")).toEqual([]);
    expect(chunks.take()?.toString()).toBe("b");
  });

  it("a chunk handed on is never written to again", () => {
    const chunks = new Utf8Chunks();
    chunks.add("a".repeat(40_000));
    const [full] = chunks.add("a".repeat(CHUNK_BYTES - 40_000));
    const copy = Buffer.from(full ?? Buffer.alloc(0));
    chunks.add("z".repeat(1000));
    chunks.take();
    expect(full?.equals(copy)).toBe(true);
  });
});
