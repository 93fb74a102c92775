// @vitest-environment node
/**
 * A disk that fills up while the patient index is spilled (writeSync failing with ENOSPC, as on a full TMPDIR): the
 * review ends with exit code 2 and one clear line naming TMPDIR, prints no output, and leaves no temporary files,
 * whether the write fails during the first pass or when the index is finished.
 */
import { readdirSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Locale } from "../../src/i18n/locales";
import { hemoglobin, ihc, patient, runReview, tempDir, writeNdjson } from "./helpers";

const disk = vi.hoisted(() => ({ full: false, writes: 0 }));

vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const writeSync = ((...args: Parameters<typeof fs.writeSync>) => {
    if (disk.full) {
      throw Object.assign(new Error("ENOSPC: no space left on device, write"), {
        code: "ENOSPC",
        errno: -28,
      });
    }
    disk.writes++;
    return (fs.writeSync as (...a: unknown[]) => number)(...args);
  }) as typeof fs.writeSync;
  return { ...fs, writeSync, default: { ...fs, writeSync } };
});

afterEach(() => {
  disk.full = false;
  vi.unstubAllEnvs();
});

async function reviewOnFullDisk(
  inputs: string[],
  locale: Locale = "en",
): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const tmp = tempDir();
  vi.stubEnv("TMPDIR", tmp);
  vi.stubEnv("HER2_INDEX_MEMORY_BYTES", "300");
  disk.full = true;
  const run = await runReview(inputs, { locale });
  disk.full = false;
  expect(readdirSync(tmp)).toEqual([]);
  return { stdout: run.stdout, stderr: run.stderr, exitCode: run.result.exitCode };
}

describe("no space left for the spilled index", () => {
  it("when it is finished (small buckets, written at the end): exit 2, one line, no output", async () => {
    const dir = tempDir();
    writeNdjson(
      dir,
      "Patient.ndjson",
      Array.from({ length: 40 }, (_, i) => patient(`p${i}`)),
    );
    const run = await reviewOnFullDisk([dir]);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      /^her2: cannot write the patient index to temporary files in \S+ \(ENOSPC: no space left on device, write\); set TMPDIR to a folder with more free space\n$/,
    );
  });

  it.each<[Locale, string]>([
    [
      "es",
      "her2: no se puede escribir el índice de pacientes en archivos temporales en § (ENOSPC: no space left on device, write); configure TMPDIR con una carpeta con más espacio libre\n",
    ],
    [
      "zh-CN",
      "her2：无法将患者索引写入 § 中的临时文件（ENOSPC: no space left on device, write）；请将 TMPDIR 设为可用空间更多的文件夹\n",
    ],
  ])(
    "%s: the same line in the locale, the folder and the system's words as they are",
    async (locale, line) => {
      const dir = tempDir();
      writeNdjson(
        dir,
        "Patient.ndjson",
        Array.from({ length: 40 }, (_, i) => patient(`p${i}`)),
      );
      const run = await reviewOnFullDisk([dir], locale);
      expect(run.exitCode).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr.replace(/ \/\S+/, " §")).toBe(line);
    },
  );

  it("during the first pass (a bucket's buffer fills): the same line, not an unreadable input file", async () => {
    const dir = tempDir();
    // One patient's 5,000 lines fill a 64 KB bucket buffer long before the end of the file.
    writeNdjson(dir, "Observation.ndjson", [
      ...Array.from({ length: 5000 }, (_, i) => hemoglobin(`h${i}`, "Patient/many")),
      ihc("o1", "Patient/other", "3+"),
    ]);
    disk.writes = 0;
    const run = await reviewOnFullDisk([dir]);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^her2: cannot write the patient index to temporary files in \S+ \(ENOSPC/);
    expect(run.stderr).not.toContain("cannot be read");
    expect(run.stderr.split("\n")).toHaveLength(2);
  });

  it("the same inputs with room on the disk are reviewed", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Observation.ndjson", [
      ...Array.from({ length: 5000 }, (_, i) => hemoglobin(`h${i}`, "Patient/many")),
      ihc("o1", "Patient/other", "3+"),
    ]);
    vi.stubEnv("TMPDIR", tempDir());
    vi.stubEnv("HER2_INDEX_MEMORY_BYTES", "300");
    disk.writes = 0;
    const run = await runReview([dir]);
    expect(run.result.exitCode).toBe(0);
    expect(run.assessments.map((a) => a.patient)).toEqual(["Patient/many", "Patient/other"]);
    // The index did go to disk, through the writeSync this file replaces.
    expect(disk.writes).toBeGreaterThan(1);
  });
});
