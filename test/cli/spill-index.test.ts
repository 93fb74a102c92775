// @vitest-environment node
/**
 * The patient index past its memory limit (grouping.ts, spill-files.ts): moved to temporary files, it must give the
 * patients in the same order with the same line locations as in memory, keep every bucket it reads back under the
 * limit (unless the bucket is one patient), remove its files whatever happens, and fail with a clear UsageError when
 * it cannot write them.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { UsageError } from "../../src/cli/diagnostics";
import { PatientIndex, type PatientGroup } from "../../src/cli/grouping";
import { tempDir, writeText } from "./helpers";

afterEach(() => {
  vi.unstubAllEnvs();
});

type Entry =
  | {
      kind: "line";
      key: string;
      file: number;
      offset: number;
      byteLength: number;
      lineNo: number;
      deferred: boolean;
    }
  | { kind: "bundle"; key: string; file: number };

function line(key: string, n: number, deferred = n % 3 === 0): Entry {
  // Offsets past 2^32, as in a file of several GB.
  return {
    kind: "line",
    key,
    file: n % 7,
    offset: n * 1_000_003 + 0.5e10,
    byteLength: 100 + (n % 50),
    lineNo: n + 1,
    deferred,
  };
}

function add(index: PatientIndex, entries: readonly Entry[]): void {
  for (const e of entries) {
    if (e.kind === "line") index.addLine(e.key, e.file, e.offset, e.byteLength, e.lineNo, e.deferred);
    else index.addBundleMember(e.key, e.file);
  }
}

/** What the index must give, worked out here the obvious way: group in input order, sort ids by code unit. */
function expectedGroups(entries: readonly Entry[]): PatientGroup[] {
  const byKey = new Map<string, PatientGroup>();
  for (const e of entries) {
    let group = byKey.get(e.key);
    if (!group) {
      group = { key: e.key, lines: [], bundleFiles: [] };
      byKey.set(e.key, group);
    }
    if (e.kind === "line") {
      group.lines.push({
        file: e.file,
        offset: e.offset,
        byteLength: e.byteLength,
        lineNo: e.lineNo,
        deferred: e.deferred,
      });
    } else if (!group.bundleFiles.includes(e.file)) (group.bundleFiles as number[]).push(e.file);
  }
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** An index of the entries with a memory budget, finished, with its temporary folder under a fresh TMPDIR. */
function spilledIndex(entries: readonly Entry[], memoryBytes: number): { index: PatientIndex; tmp: string } {
  const tmp = tempDir();
  vi.stubEnv("TMPDIR", tmp);
  const index = new PatientIndex({ memoryBytes });
  add(index, entries);
  index.finish();
  return { index, tmp };
}

describe("a spilled index gives what the index in memory gives", () => {
  it("for any entries and any limit: the same patients, order, line locations and Bundle files", () => {
    // Ids whose code-unit order differs from their UTF-8 byte order (U+FFFF against an astral character), a prefix of
    // another, accents; a small set, so that patients have several entries spread over the input.
    const ids = [
      "a",
      "a0",
      "ab",
      "B",
      "\uffff",
      "\u{1f600}",
      "é",
      "e\u0301",
      "p10",
      "p2",
      "",
      "z".repeat(300),
    ];
    const entry = fc.oneof(
      {
        weight: 5,
        arbitrary: fc.record({ id: fc.constantFrom(...ids), n: fc.nat(100_000), deferred: fc.boolean() }),
      },
      { weight: 1, arbitrary: fc.record({ id: fc.constantFrom(...ids), file: fc.nat(5) }) },
    );
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 200 }),
        fc.integer({ min: 0, max: 2000 }),
        (drawn, memoryBytes) => {
          const entries: Entry[] = drawn.map((d) =>
            "n" in d
              ? line(`Patient/${d.id}`, d.n, d.deferred)
              : { kind: "bundle", key: `Patient/${d.id}`, file: d.file },
          );
          const expected = expectedGroups(entries);
          const memory = new PatientIndex();
          add(memory, entries);
          memory.finish();
          expect(memory.spilled).toBe(false);
          expect([...memory.groups()]).toEqual(expected);

          const { index, tmp } = spilledIndex(entries, memoryBytes);
          try {
            // At least 25 bytes an entry (documented estimate): past the budget, the index must be on disk.
            if (entries.length * 25 > memoryBytes) expect(index.spilled).toBe(true);
            if (entries.length === 0) expect(index.spilled).toBe(false);
            expect([...index.groups()]).toEqual(expected);
            expect(index.patientCount).toBe(expected.length);
            expect(index.lineCount).toBe(entries.filter((e) => e.kind === "line").length);
            expect(index.hasBundleMembers).toBe(entries.some((e) => e.kind === "bundle"));
            // Read again: the files stay until close().
            expect([...index.groups()].map((g) => g.key)).toEqual(expected.map((g) => g.key));
          } finally {
            index.close();
          }
          expect(readdirSync(tmp)).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("lines added in batches (a scan worker's ranges) index as if added one by one, in memory and spilled", () => {
    const ids = ["a", "b", "c", "d", "\ud800x", "z".repeat(100)];
    const batch = fc.array(
      fc.record({ id: fc.constantFrom(...ids), n: fc.nat(100_000), deferred: fc.boolean() }),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(
        fc.array(batch, { maxLength: 5 }),
        fc.integer({ min: 0, max: 3000 }),
        (batches, memoryBytes) => {
          const tmp = tempDir();
          vi.stubEnv("TMPDIR", tmp);
          const one = new PatientIndex({ memoryBytes });
          const batched = new PatientIndex({ memoryBytes });
          batches.forEach((lines, b) => {
            const file = b % 3;
            const lineBase = b * 1000;
            // The batch's own numbering of its keys, in order of first appearance, as a scan worker numbers them.
            const keys: string[] = [];
            const patient = new Uint32Array(lines.length);
            lines.forEach((l, i) => {
              const key = `Patient/${l.id}`;
              if (!keys.includes(key)) keys.push(key);
              patient[i] = keys.indexOf(key);
              one.addLine(
                key,
                file,
                l.n * 1_000_003 + 0.5e10,
                100 + (l.n % 50),
                lineBase + i + 1,
                l.deferred,
              );
            });
            batched.addLines(
              {
                keys,
                patient,
                offset: Float64Array.from(lines, (l) => l.n * 1_000_003 + 0.5e10),
                byteLength: Uint32Array.from(lines, (l) => 100 + (l.n % 50)),
                lineNo: Uint32Array.from(lines, (_, i) => i + 1),
                deferred: Uint8Array.from(lines, (l) => (l.deferred ? 1 : 0)),
              },
              file,
              lineBase,
            );
          });
          one.finish();
          batched.finish();
          try {
            expect(batched.spilled).toBe(one.spilled);
            expect(batched.lineCount).toBe(one.lineCount);
            expect(batched.patientCount).toBe(one.patientCount);
            expect([...batched.groups()]).toEqual([...one.groups()]);
          } finally {
            one.close();
            batched.close();
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("an export written in id order (the first entries see only low ids): buckets split again until each fits", () => {
    // Three files, each sorted by patient, as a server may write them; the limit is hit inside the first file.
    const ids = Array.from({ length: 2000 }, (_, i) => `Patient/p${String(i).padStart(5, "0")}`);
    const entries = [0, 1, 2].flatMap((file) => ids.map((id, i) => line(id, file * 10_000 + i)));
    const budget = 10_000;
    const { index } = spilledIndex(entries, budget);
    try {
      const sizes = index.bucketSizes;
      expect(sizes.reduce((sum, b) => sum + b.entries, 0)).toBe(entries.length);
      // The documented estimate: 25 bytes an entry, the id's length plus 32 a patient. Without the second split, the
      // last range (every id above those of the first ~140 lines) would hold ~5,800 entries.
      for (const bucket of sizes) {
        expect(bucket.entries * 25 + bucket.patients * (14 + 32)).toBeLessThanOrEqual(budget);
      }
      expect(index.patientCount).toBe(2000);
      expect([...index.groups()]).toEqual(expectedGroups(entries));
    } finally {
      index.close();
    }
  });

  it("an id with a lone surrogate (escaped in JSON) is one patient, spilled or not, before the spill and after", () => {
    // In memory an id is kept as it survives UTF-8 (U+FFFD for the lone surrogate); the buckets must agree.
    const odd = "Patient/k\ud800";
    const entries = Array.from({ length: 40 }, (_, i) => [
      line(`Patient/k${i}`, 3 * i),
      line(odd, 3 * i + 1),
      line(odd, 3 * i + 2),
    ]).flat();
    for (let i = 0; i < 200; i++) entries.push(line(odd, 1000 + i));
    const inMemory = new PatientIndex();
    add(inMemory, entries);
    inMemory.finish();
    const expected = [...inMemory.groups()];
    expect(expected.filter((g) => g.key === "Patient/k\ufffd")).toHaveLength(1);
    for (const budget of [1500, 2500, 3500]) {
      const { index } = spilledIndex(entries, budget);
      try {
        expect(index.spilled).toBe(true);
        expect(index.patientCount).toBe(41);
        expect([...index.groups()]).toEqual(expected);
      } finally {
        index.close();
      }
    }
  });

  it("one patient with more entries than the limit: a bucket of its own, read back whole; the others split around it", () => {
    const huge = "Patient/m-huge";
    // 70,000 records of one key make a bucket file larger than one read chunk (1 MB): records straddle chunks.
    const entries: Entry[] = [];
    for (let n = 0; n < 70_000; n++) {
      entries.push(line(huge, n));
      if (n % 500 === 0) entries.push(line(`Patient/${n % 1000 === 0 ? "a" : "z"}${n}`, n));
    }
    entries.push({ kind: "bundle", key: huge, file: 3 });
    const { index } = spilledIndex(entries, 2500);
    try {
      const sizes = index.bucketSizes;
      expect(sizes).toContainEqual({ entries: 70_001, patients: 1 });
      expect(sizes.filter((b) => b.entries * 25 > 2500)).toHaveLength(1);
      expect([...index.groups()]).toEqual(expectedGroups(entries));
    } finally {
      index.close();
    }
  });

  it("patient ids may take a quarter of the budget: many small patients spill before the lines fill it", () => {
    const id = (i: number): string => `Patient/p${String(i).padStart(5, "0")}`; // 14 characters: 46 bytes an id
    // 300 patients of one line: 21,300 bytes in all, under 40,000, but 13,800 of ids, over a quarter of it.
    const many = Array.from({ length: 300 }, (_, i) => line(id(i), i));
    // 100 patients of ten lines: 29,600 bytes, 4,600 of them ids.
    const few = Array.from({ length: 1000 }, (_, n) => line(id(n % 100), n));
    const spilled = spilledIndex(many, 40_000).index;
    const kept = spilledIndex(few, 40_000).index;
    try {
      expect(spilled.spilled).toBe(true);
      expect(kept.spilled).toBe(false);
      expect([...spilled.groups()]).toEqual(expectedGroups(many));
    } finally {
      spilled.close();
      kept.close();
    }
  });

  it("a patient id longer than the read chunk is read back", () => {
    const long = `Patient/${"x".repeat(1_500_000)}`;
    const entries = [line("Patient/a", 1), line(long, 2), line("Patient/b", 3), line(long, 4)];
    const { index } = spilledIndex(entries, 0);
    try {
      expect([...index.groups()]).toEqual(expectedGroups(entries));
    } finally {
      index.close();
    }
  });
});

describe("temporary files", () => {
  it("exist while the index is spilled and are removed by close()", () => {
    const { index, tmp } = spilledIndex(
      [line("Patient/a", 1), line("Patient/b", 2), line("Patient/c", 3)],
      0,
    );
    const folders = readdirSync(tmp);
    expect(folders).toHaveLength(1);
    expect(folders[0]).toMatch(/^her2-index-/);
    expect(readdirSync(join(tmp, folders[0] ?? "")).length).toBeGreaterThan(0);
    index.close();
    expect(readdirSync(tmp)).toEqual([]);
    index.close(); // twice: nothing left to do
  });

  it("an index that stays in memory writes nothing", () => {
    const { index, tmp } = spilledIndex([line("Patient/a", 1), line("Patient/b", 2)], 10_000);
    expect(index.spilled).toBe(false);
    expect(readdirSync(tmp)).toEqual([]);
    index.close();
  });

  it("a TMPDIR that cannot hold the folder: a UsageError naming it, kept as the index's failure", () => {
    const tmp = tempDir();
    const missing = join(tmp, "no-such-folder");
    vi.stubEnv("TMPDIR", missing);
    // One line and its id fit in 200 bytes (documented estimate: 25 + 9 + 32, ids a quarter at most), two do not.
    const index = new PatientIndex({ memoryBytes: 200 });
    index.addLine("Patient/a", 0, 0, 10, 1);
    let thrown: unknown;
    try {
      index.addLine("Patient/b", 0, 11, 10, 2);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as Error).message).toMatch(
      new RegExp(
        `^cannot create a temporary folder for the patient index in ${missing} \\(ENOENT: .*\\); set TMPDIR`,
      ),
    );
    expect(index.failure).toBe(thrown);
    // Whatever is called next fails the same way: nothing half-written is ever read.
    expect(() => {
      index.finish();
    }).toThrow(thrown);
    index.close();
    expect(readdirSync(tmp)).toEqual([]);
  });

  for (const ending of ["exit", "SIGTERM"] as const) {
    it(`are removed when the process ends without close() (${ending})`, () => {
      const tmp = tempDir();
      mkdirSync(join(tmp, "t"));
      const grouping = join(import.meta.dirname, "../../src/cli/grouping.ts");
      const script = writeText(
        tmp,
        "spill.ts",
        `import { readdirSync } from "node:fs";
         import { PatientIndex } from ${JSON.stringify(grouping)};
         const index = new PatientIndex({ memoryBytes: 0 });
         index.addLine("Patient/a", 0, 0, 1, 1);
         index.addLine("Patient/b", 0, 2, 1, 2);
         console.log(readdirSync(process.env.TMPDIR ?? "").filter((name) => name.startsWith("her2-")).join(","));
         ${ending === "exit" ? "process.exit(3);" : 'process.kill(process.pid, "SIGTERM"); setTimeout(() => {}, 5000);'}`,
      );
      const child = spawnSync(process.execPath, ["--import", "tsx", script], {
        env: { ...process.env, TMPDIR: join(tmp, "t") },
        encoding: "utf8",
      });
      expect(child.stdout).toMatch(/^her2-index-\w+\n$/);
      if (ending === "exit") expect(child.status).toBe(3);
      // Ended by the signal as it would have been without the handler (not by an exit code of ours).
      else expect(child.signal).toBe("SIGTERM");
      // (tsx keeps its own cache there.)
      expect(readdirSync(join(tmp, "t")).filter((name) => name.startsWith("her2-"))).toEqual([]);
    });
  }
});
