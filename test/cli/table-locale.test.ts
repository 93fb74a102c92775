// @vitest-environment node
/**
 * The CLI in es and zh-CN (issue 15, point 3): `--locale`, else LC_ALL / LC_MESSAGES / LANG; the table's headers and
 * the stderr summary translated, the table aligned in terminal columns with CJK text; NDJSON and CSV the same bytes in
 * every locale, codes never translated.
 */
import { describe, expect, it } from "vitest";
import { parseArgs } from "../../src/cli/args";
import { tableFormat } from "../../src/cli/formats/table";
import { localeFromEnvironment } from "../../src/cli/messages";
import { review } from "../../src/cli/review";
import { Summary } from "../../src/cli/summary";
import {
  AS_OF,
  breastCancer,
  expectedAssessment,
  hemoglobin,
  ihc,
  patient,
  Sink,
  tempDir,
  writeNdjson,
} from "./helpers";

/** Three patients (negative, positive, no result), written by hand. */
function population(): string {
  const dir = tempDir();
  writeNdjson(dir, "Patient.ndjson", [patient("neg"), patient("pos"), patient("none")]);
  writeNdjson(dir, "Observation.ndjson", [
    ihc("pos-ihc", "Patient/pos", "3+"),
    ihc("neg-ihc", "Patient/neg", "0"),
    hemoglobin("none-hb", "Patient/none"),
  ]);
  writeNdjson(dir, "Condition.ndjson", [
    breastCancer("pos-c", "Patient/pos"),
    breastCancer("neg-c", "Patient/neg"),
  ]);
  return dir;
}

function parse(argv: string[], env: Record<string, string> = {}) {
  const stdout = new Sink();
  const stderr = new Sink();
  const parsed = parseArgs(argv, { stdout, stderr }, AS_OF, env);
  return { parsed, stderr: stderr.text };
}

/** Parses like the command line, then reviews in-process. */
async function run(argv: string[], env: Record<string, string> = {}) {
  const { parsed } = parse(argv, env);
  if (parsed.kind !== "review") throw new Error(`not a review: ${JSON.stringify(parsed)}`);
  const stdout = new Sink();
  const stderr = new Sink();
  await review(parsed.options, { stdout, stderr }, { workers: 0 });
  return { options: parsed.options, stdout: stdout.text, stderr: stderr.text };
}

/** Terminal columns by a rule written here, apart from the code: CJK ideographs and fullwidth forms take two. */
function columns(text: string): number {
  return (text.match(/./gsu) ?? []).reduce(
    (n, c) => n + (/[\u3000-\u303f\u4e00-\u9fff\uff00-\uff60]/u.test(c) ? 2 : 1),
    0,
  );
}

/** The terminal column at which each cell of a table line starts (cells are separated by two or more spaces). */
function cellStarts(line: string): number[] {
  const starts: number[] = [];
  for (const match of line.matchAll(/(?:^|\s{2,})(\S(?:\S| (?! ))*)/g)) {
    const cell = match[1] ?? "";
    starts.push(columns(line.slice(0, match.index + match[0].length - cell.length)));
  }
  return starts;
}

describe("the CLI's locale", () => {
  it.each([
    [{ LANG: "es_ES.UTF-8" }, "es"],
    [{ LANG: "zh_CN.UTF-8" }, "zh-CN"],
    [{ LANG: "zh_SG" }, "zh-CN"],
    [{ LANG: "en_GB.UTF-8" }, "en"],
    // Traditional Chinese is not served Simplified text, with or without the codeset.
    [{ LANG: "zh_TW.UTF-8" }, "en"],
    [{ LANG: "zh_HK" }, "en"],
    [{ LANG: "fr_FR.UTF-8" }, "en"],
    [{ LANG: "C.UTF-8" }, "en"],
    [{}, "en"],
    // POSIX order: LC_ALL, then LC_MESSAGES, then LANG; the first one set decides, even when it is C.
    [{ LC_MESSAGES: "es_MX.UTF-8", LANG: "en_US.UTF-8" }, "es"],
    [{ LC_ALL: "zh_CN.UTF-8", LC_MESSAGES: "es_ES.UTF-8", LANG: "es_ES.UTF-8" }, "zh-CN"],
    [{ LC_ALL: "C", LANG: "es_ES.UTF-8" }, "en"],
    [{ LC_ALL: "", LANG: "es_ES.UTF-8@euro" }, "es"],
  ])("%j gives %s", (env, locale) => {
    expect(localeFromEnvironment(env)).toBe(locale);
  });

  it("--locale wins over LANG and takes any tag of a supported language", () => {
    const withOption = parse(["review", "x", "--locale", "es-MX"], { LANG: "zh_CN.UTF-8" }).parsed;
    expect(withOption.kind === "review" && withOption.options.locale).toBe("es");
    const fromLang = parse(["review", "x"], { LANG: "zh_CN.UTF-8" }).parsed;
    expect(fromLang.kind === "review" && fromLang.options.locale).toBe("zh-CN");
  });

  it("an unsupported --locale is a one-line usage error (exit 2) naming the locales", () => {
    const { parsed, stderr } = parse(["review", "x", "--locale", "fr"]);
    expect(parsed).toEqual({ kind: "exit", code: 2 });
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr).toContain("en, es, zh-CN");
  });
});

describe("--format table in each locale", () => {
  it("--locale es: Spanish headers, codes as they are", async () => {
    const { stdout } = await run(["review", population(), "--format", "table", "--locale", "es"]);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^PACIENTE\s+ESTADO\s+CATEGORÍA\s+CONTEXTO\s+ALERTAS$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 2))).toEqual([
      ["Patient/neg", "negative"],
      ["Patient/none", "no-result"],
      ["Patient/pos", "positive"],
    ]);
    // One column per header: every row's cells start where the header's do.
    const header = cellStarts(lines[0] ?? "");
    expect(header).toHaveLength(5);
    for (const line of lines.slice(1)) expect(cellStarts(line)).toEqual(header);
  });

  it("LANG=zh_CN.UTF-8: Chinese headers, aligned in terminal columns (a CJK character is two)", async () => {
    const { stdout } = await run(["review", population(), "--format", "table"], { LANG: "zh_CN.UTF-8" });
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^患者\s+状态\s+分类\s+疾病阶段\s+标记$/);
    const header = cellStarts(lines[0] ?? "");
    for (const line of lines.slice(1)) expect(cellStarts(line)).toEqual(header);
    // The patient column is as wide as its widest value ("Patient/none", 12) plus the two-space gap; 患者 is 4 wide.
    expect(header[1]).toBe("Patient/none".length + 2);
    // 疾病阶段 (8 columns) is wider than every setting code ("unknown", "early"...): the flags start 8 + 2 after it.
    expect((header[4] ?? 0) - (header[3] ?? 0)).toBe(10);
  });

  it("a patient id in Chinese keeps the columns aligned", () => {
    const a = expectedAssessment("Patient/neg", [
      patient("neg"),
      ihc("neg-ihc", "Patient/neg", "0"),
      breastCancer("neg-c", "Patient/neg"),
    ]);
    for (const locale of ["en", "zh-CN"] as const) {
      const format = tableFormat(locale);
      const text =
        format.patient({ ...a, patient: "Patient/王芳" }) +
        format.patient({ ...a, patient: "Patient/abcdefghij" }) +
        format.end();
      const lines = text.trimEnd().split("\n");
      expect(lines).toHaveLength(3);
      // "Patient/王芳" is 12 columns, "Patient/abcdefghij" 18: both rows' status starts at 18 + 2.
      for (const line of lines) expect(cellStarts(line)[1]).toBe(20);
    }
  });
});

describe("data for machines is the same in every locale", () => {
  it.each(["ndjson", "csv"] as const)("--format %s: the same bytes for en, es and zh-CN", async (format) => {
    const dir = population();
    const outputs = await Promise.all(
      ["en", "es", "zh-CN"].map(
        async (locale) => (await run(["review", dir, "--format", format, "--locale", locale])).stdout,
      ),
    );
    expect(outputs[0]).not.toBe("");
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[2]).toBe(outputs[0]);
    if (format === "ndjson") {
      const statuses = outputs[0]
        ?.trimEnd()
        .split("\n")
        .map((l) => (JSON.parse(l) as { status: string }).status);
      expect(statuses).toEqual(["negative", "no-result", "positive"]);
    }
  });
});

describe("the stderr summary in each locale", () => {
  it("es and zh-CN: translated words, status and flag codes untranslated, the her2 review: prefix kept", async () => {
    const dir = population();
    const line = async (locale: string): Promise<string> =>
      (await run(["review", dir, "--locale", locale])).stderr
        .split("\n")
        .find((l) => l.startsWith("her2 review:")) ?? "";
    const es = await line("es");
    expect(es).toMatch(
      /^her2 review: 3 pacientes, \d+ recursos leídos, 2 resultados HER2, 0 ilegibles; estado /,
    );
    expect(es).toContain("positive 1, negative 1");
    expect(es).toMatch(/; 0 omitidos; 0 advertencias$/);
    const zh = await line("zh-CN");
    expect(zh).toMatch(/^her2 review: 3 位患者，已读取 \d+ 个资源，2 项 HER2 结果，0 项无法读取；状态 /);
    expect(zh).toContain("positive 1, negative 1");
    expect(zh).toMatch(/；跳过 0 项；0 条警告$/);
  });

  it("numbers through Intl.NumberFormat in the locale; singular and plural", () => {
    const summary = (locale: "en" | "es" | "zh-CN") => new Summary(locale).line(12345, 1, false, 1);
    expect(summary("en")).toContain("0 patients, 12,345 resources read, 0 HER2 results, 0 unreadable;");
    expect(summary("en")).toMatch(/flags none; 1 skipped; 1 warning$/);
    // Spanish groups thousands with a point (CLDR: from five digits).
    expect(summary("es")).toContain("0 pacientes, 12.345 recursos leídos, 0 resultados HER2, 0 ilegibles;");
    expect(summary("es")).toMatch(/sin alertas; 1 omitido; 1 advertencia$/);
    expect(summary("zh-CN")).toContain("0 位患者，已读取 12,345 个资源，");
  });

  it("the summary in --locale es counts the same as in en (filters included)", async () => {
    const dir = population();
    const en = (await run(["review", dir, "--status", "positive", "--locale", "en"])).stderr;
    const es = (await run(["review", dir, "--status", "positive", "--locale", "es"])).stderr;
    expect(en).toContain("her2 review: 3 patients (1 shown), ");
    expect(es).toContain("her2 review: 3 pacientes (1 mostrado), ");
  });
});

describe("the progress line in each locale", () => {
  it(
    "--locale zh-CN on a terminal: the assessing line in Chinese (review workers running)",
    { timeout: 60_000 },
    async () => {
      const { parsed } = parse(["review", population(), "--locale", "zh-CN"]);
      if (parsed.kind !== "review") throw new Error("not a review");
      const stdout = new Sink();
      const stderr = new Sink();
      stderr.isTTY = true;
      const result = await review(parsed.options, { stdout, stderr }, { workers: 1, parallelFrom: 0 });
      expect(result.workers).toBe(1);
      expect(stderr.text).toMatch(/正在评估第 \d+ 位患者，共 3 位/);
      expect(stderr.text).not.toContain("assessing patient");
    },
  );
});
