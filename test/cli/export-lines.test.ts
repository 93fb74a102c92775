// @vitest-environment node
/**
 * The line counter of `her2 export`'s downloads (src/cli/export-lines.ts): it counts resources and tells a whole file
 * from a cut one on the bytes, wherever the network splits them.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { LineCounter } from "../../src/cli/export-lines";
import { type CliText, renderText } from "../../src/cli/messages";

interface Counted {
  lines: number;
  truncation: CliText | undefined;
  passed: Buffer;
  bytes: number;
}

/** Streams `bytes` through a counter in chunks of the given sizes (the rest in one last chunk). */
async function count(bytes: Buffer, cuts: readonly number[], expected?: number): Promise<Counted> {
  const chunks: Buffer[] = [];
  let at = 0;
  for (const cut of cuts) {
    chunks.push(bytes.subarray(at, Math.min(bytes.length, at + cut)));
    at = Math.min(bytes.length, at + cut);
  }
  if (at < bytes.length) chunks.push(bytes.subarray(at));
  let seen = 0;
  const counter = new LineCounter((n) => {
    seen += n;
  });
  const passed: Buffer[] = [];
  await pipeline(
    Readable.from(chunks, { objectMode: false }),
    counter,
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        passed.push(chunk);
        done();
      },
    }),
  );
  const truncation = counter.truncation(expected); // first: it counts a whole last line
  return {
    lines: counter.lines,
    truncation,
    passed: Buffer.concat(passed),
    bytes: seen,
  };
}

const resource = (id: string, text: string): string =>
  JSON.stringify({ resourceType: "Observation", id, code: { text } });

describe("LineCounter", () => {
  // Three resources with multi-byte text, between a blank line, a line of spaces, tab and CR, a line of Unicode spaces
  // (no-break space, ideographic space), and CRLF endings.
  const text =
    `${resource("a", "HER2 négatif")}\r\n` +
    "\n" +
    " \t\r\n" +
    "\u00a0\u3000\n" +
    `${resource("b", "HER2 阳性 🧬")}\n` +
    `${resource("c", "ISH")}\n`;
  const bytes = Buffer.from(text, "utf8");

  it("counts the same resources and passes the same bytes wherever the chunks are cut", async () => {
    for (let first = 1; first < bytes.length; first++) {
      for (const size of [1, 3, 7, 64]) {
        const result = await count(bytes, [first, ...Array.from({ length: bytes.length }, () => size)], 3);
        expect({ first, size, lines: result.lines, truncation: result.truncation }).toEqual({
          first,
          size,
          lines: 3,
          truncation: undefined,
        });
        expect(result.passed.equals(bytes)).toBe(true);
        expect(result.bytes).toBe(bytes.length);
      }
    }
  });

  it("counts a whole last line without its newline", async () => {
    const result = await count(Buffer.from(`${resource("a", "x")}\n${resource("b", "y")}`), [10], 2);
    expect(result.lines).toBe(2);
    expect(result.truncation).toBeUndefined();
  });

  it("reports a last line cut in the middle", async () => {
    const cut = `${resource("a", "x")}\n${resource("b", "y").slice(0, 20)}`;
    const result = await count(Buffer.from(cut), [5, 30]);
    const truncation = result.truncation ?? { id: "text.plain" };
    // English as it was before it became a message, byte for byte.
    expect(renderText("en", truncation)).toBe(
      "the download was cut short (its last line is incomplete after 1 resources)",
    );
    expect(renderText("es", truncation)).toBe(
      "la descarga quedó incompleta (su última línea está cortada después de 1 recursos)",
    );
    expect(renderText("zh-CN", truncation)).toBe("下载被截断（在 1 个资源之后，最后一行不完整）");
  });

  it("reports fewer resources than the manifest's count", async () => {
    const result = await count(Buffer.from(`${resource("a", "x")}\n`), [], 2);
    const truncation = result.truncation ?? { id: "text.plain" };
    expect(renderText("en", truncation)).toBe("the download holds 1 resources, the manifest says 2");
    expect(renderText("es", truncation)).toBe("la descarga contiene 1 recursos, el manifiesto indica 2");
    expect(renderText("zh-CN", truncation)).toBe("下载内容有 1 个资源，清单中为 2 个");
  });

  it("reads a byte order mark at the start of the file as a decoder of the file would", async () => {
    const withBom = Buffer.from(`\ufeff${resource("a", "x")}`, "utf8");
    const result = await count(withBom, [2], 1);
    expect(result.truncation).toBeUndefined();
    expect(result.lines).toBe(1);
    const onlyBom = await count(Buffer.from("\ufeff\n", "utf8"), [1]);
    expect(onlyBom.lines).toBe(0);
  });
});
