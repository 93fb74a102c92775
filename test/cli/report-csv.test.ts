/**
 * `her2 review --format report-csv` (issue 14, point 4): the quality report's tables as one CSV with a `table` column.
 * Parsed back, it has the HTML report's numbers (the same tally) and the hand-computed sandbox rates.
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import type { Assessment } from "../../src/domain";
import { parseArgs } from "../../src/cli/args";
import { FORMAT_NAMES, isPerPatient } from "../../src/cli/formats";
import { REPORT_CSV_COLUMNS, reportCsvFormat } from "../../src/cli/formats/report-csv";
import { AS_OF, parseCsv, runReview, Sink } from "./helpers";

const SANDBOX = join(import.meta.dirname, "../../sandbox/patients");

function parse(html: string): Document {
  return new DOMParser().parseFromString(html, "text/html");
}

function htmlRows(doc: Document, id: string): string[][] {
  return [...(doc.getElementById(id)?.querySelectorAll("tbody tr") ?? [])].map((tr) =>
    [...tr.querySelectorAll("th, td")].map((c) => c.textContent),
  );
}

describe("her2 review --format report-csv", () => {
  it("writes every table with a header, one table name per row, and parses back to the hand-computed rates", async () => {
    const run = await runReview([SANDBOX], { format: "report-csv" });
    expect(run.result.exitCode).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe(REPORT_CSV_COLUMNS.join(","));
    const rows = parseCsv(run.stdout);
    expect([...new Set(rows.map((r) => r.table))]).toEqual([
      "run",
      "status",
      "category",
      "setting",
      "flag",
      "flag-not-checked",
      "status-by-year",
      "rate",
      "rate-by-year",
      "measure-gap",
      "worklist",
    ]);
    const rate = (key: string) => {
      const r = rows.find((x) => x.table === "rate" && x.key === key);
      return [r?.numerator, r?.denominator, r?.rate_percent].map(Number);
    };
    // By hand in html-report.test.ts: 39 / 41, 9 / 11, 4 / 7.
    expect(rate("her2-evaluated")).toEqual([39, 41, 95.1]);
    expect(rate("equivocal-retested")).toEqual([9, 11, 81.8]);
    expect(rate("metastatic-retested")).toEqual([4, 7, 57.1]);
    const evaluated = rows.find((x) => x.table === "rate" && x.key === "her2-evaluated");
    expect([
      evaluated?.excluded_not_loaded,
      evaluated?.excluded_unreadable,
      evaluated?.excluded_pending,
    ]).toEqual(["0", "1", "1"]);
    // A year with no denominator has no rate: an empty cell, never 0.
    const empty = rows.find(
      (x) => x.table === "rate-by-year" && x.year === "2023" && x.key === "metastatic-retested",
    );
    expect([empty?.denominator, empty?.rate_percent]).toEqual(["0", ""]);
    const undated = rows.filter((x) => x.table === "status-by-year" && x.year === "date not recorded");
    expect(undated.find((x) => x.key === "negative")?.patients).toBe("1");
    expect(rows.filter((x) => x.table === "status-by-year").reduce((n, x) => n + Number(x.patients), 0)).toBe(
      44,
    );
  });

  it("has the HTML report's numbers: counts, rates, trends, gap lists and work list", async () => {
    const [csv, html] = await Promise.all([
      runReview([SANDBOX], { format: "report-csv" }),
      runReview([SANDBOX], { format: "html" }),
    ]);
    const rows = parseCsv(csv.stdout);
    const doc = parse(html.stdout);
    for (const table of ["status", "category", "setting"]) {
      const fromHtml = htmlRows(doc, `${table}-table`).map(([k, n]) => [k, n]);
      const fromCsv = rows.filter((r) => r.table === table).map((r) => [r.key, r.patients]);
      expect(fromCsv).toEqual(fromHtml);
    }
    const flagsHtml = htmlRows(doc, "flags-table").map(([code, , , n]) => [code, n]);
    const flagsCsv = rows
      .filter((r) => r.table === "flag" && r.patients !== "0")
      .map((r) => [r.key, r.patients]);
    expect(flagsCsv).toEqual(flagsHtml.filter(([, n]) => n !== "0"));
    const ratesHtml = htmlRows(doc, "rates-table").map(([, n, d]) => [n, d]);
    expect(rows.filter((r) => r.table === "rate").map((r) => [r.numerator, r.denominator])).toEqual(
      ratesHtml,
    );
    const trendHtml = htmlRows(doc, "trend-status-table").map(([year, ...counts]) => [
      year,
      ...counts.slice(0, -1),
    ]);
    const years = [...new Set(rows.filter((r) => r.table === "status-by-year").map((r) => r.year))];
    expect(
      years.map((y) => [
        y,
        ...rows.filter((r) => r.table === "status-by-year" && r.year === y).map((r) => r.patients),
      ]),
    ).toEqual(trendHtml);
    for (const id of ["her2-evaluated", "equivocal-retested", "metastatic-retested"]) {
      const gapsCsv = rows
        .filter((r) => r.table === "measure-gap" && r.key === id)
        .map((r) => [r.patient, r.year]);
      expect(gapsCsv).toEqual(htmlRows(doc, `gap-${id}-table`).map(([p, y]) => [p, y]));
    }
    const worklist = rows.filter((r) => r.table === "worklist");
    expect(worklist.map((r) => [r.patient, r.status, r.next_step])).toEqual(
      htmlRows(doc, "worklist-table").map(([p, s, , , , next]) => [p, s, next]),
    );
  });

  it("never lets a spreadsheet run an EHR text as a formula", () => {
    const format = reportCsvFormat({ inputs: ["x"], asOf: AS_OF, filters: "" });
    const assessment: Assessment = {
      patient: "Patient/p1",
      asOf: AS_OF,
      guideline: "g",
      rulesVersion: "2.0.0",
      status: "equivocal",
      category: "unknown",
      setting: "early",
      statusReason: "",
      flags: [
        {
          code: "reflex-ish-missing",
          severity: "action",
          message: "m",
          action: '=HYPERLINK("http://evil.example","open")',
          evidence: [],
        },
      ],
      recommendation: { text: "", citations: [] },
      evidence: [{ resource: "Observation/o1", method: "ihc", value: "2+", status: "final", used: true }],
      unreadable: [],
      dataGaps: [],
    };
    const rows = parseCsv(format.begin() + format.patient(assessment) + format.end());
    expect(rows.find((r) => r.table === "worklist")?.next_step).toBe(
      '\'=HYPERLINK("http://evil.example","open")',
    );
    expect(rows.find((r) => r.table === "measure-gap")?.next_step).toBe(
      '\'=HYPERLINK("http://evil.example","open")',
    );
  });

  it("is a format name of its own: --format csv keeps its one row per patient", async () => {
    const io = { stdout: new Sink(), stderr: new Sink() };
    const parsed = parseArgs(["review", "x/", "--format", "report-csv", "--out", "r.csv"], io, AS_OF);
    expect(parsed.kind === "review" && parsed.options).toMatchObject({
      format: "report-csv",
      outFile: "r.csv",
    });
    const csv = await runReview([SANDBOX], { format: "csv" });
    expect(parseCsv(csv.stdout).length).toBe(44);
    expect(csv.stdout.startsWith("patient,status,")).toBe(true);
    // The report counts every patient before it is written: never rendered by review workers.
    expect(FORMAT_NAMES.filter(isPerPatient)).toEqual(["ndjson", "csv"]);
  });
});
