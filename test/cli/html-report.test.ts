/**
 * `her2 review --format html` (issue 14, point 4): one self-contained, escaped, accessible quality report whose counts
 * are the NDJSON output's.
 */
import axe from "axe-core";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Assessment } from "../../src/domain";
import { FLAG_TITLES } from "../../src/domain/flag-titles";
import { FLAG_RULES } from "../../src/domain/flags";
import { loadCharts } from "../../src/cli/formats/charts";
import { escapeHtml, htmlFormat } from "../../src/cli/formats/html";
import { parseArgs } from "../../src/cli/args";
import { AS_OF, ihc, patient, runReview, Sink, specimen, tempDir, writeNdjson } from "./helpers";

const SANDBOX = join(import.meta.dirname, "../../sandbox/patients");
const HOSTILE = '<script>alert("x")</script>';
const FORMULA = '=HYPERLINK("http://evil.example","open")';

function parse(html: string): Document {
  return new DOMParser().parseFromString(html, "text/html");
}

/** The rows of a table as [header cell, ...cells] texts. */
function rows(doc: Document, id: string): string[][] {
  const table = doc.getElementById(id);
  if (!table) throw new Error(`no table #${id}`);
  return [...table.querySelectorAll("tbody tr")].map((tr) =>
    [...tr.querySelectorAll("th, td")].map((c) => c.textContent),
  );
}

/** Value -> patients, from a distribution table. */
function countsOf(doc: Document, id: string): Record<string, number> {
  return Object.fromEntries(rows(doc, id).map(([key, n]) => [key ?? "", Number(n)]));
}

function tally(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

/** Non-zero entries only (the report lists every status/category/setting, zeros included). */
function nonZero(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}

/** A patient whose specimen label and unreadable result are markup and a formula (EHR data is untrusted). */
function hostileExport(): string {
  const dir = tempDir();
  writeNdjson(dir, "Patient.ndjson", [patient("-hostile.1")]);
  writeNdjson(dir, "Specimen.ndjson", [
    { ...specimen("s1", "Patient/-hostile.1"), accessionIdentifier: { value: `${HOSTILE} ${FORMULA}` } },
  ]);
  writeNdjson(dir, "Observation.ndjson", [
    ihc("o1", "Patient/-hostile.1", "2+", { specimen: { reference: "Specimen/s1" } }),
    ihc("o2", "Patient/-hostile.1", `<img src=x onerror=alert(1)> ${FORMULA}`, {
      effectiveDateTime: "2026-03-03",
    }),
  ]);
  return dir;
}

describe("her2 review --format html", () => {
  it("is one self-contained page: lang, strict CSP, no script, no external resource, headers with scope", async () => {
    const run = await runReview([SANDBOX], { format: "html" });
    expect(run.result.exitCode).toBe(0);
    const doc = parse(run.stdout);
    expect(run.stdout.startsWith("<!doctype html>")).toBe(true);
    expect(doc.documentElement.getAttribute("lang")).toBe("en");
    const csp = doc.querySelector('meta[http-equiv="Content-Security-Policy"]');
    expect(csp?.getAttribute("content")).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    expect(doc.querySelectorAll("script, link, iframe, object, embed, img").length).toBe(0);
    // The only links are to rows of the same page (a numerator-gap patient to their work-list row).
    for (const el of doc.querySelectorAll("[src], [href]")) {
      const href = el.getAttribute("href") ?? "";
      expect(el.hasAttribute("src")).toBe(false);
      expect(href).toMatch(/^#wl-\d+$/);
      expect(doc.getElementById(href.slice(1))).not.toBeNull();
    }
    const headers = [...doc.querySelectorAll("th")];
    expect(headers.length).toBeGreaterThan(0);
    for (const th of headers) expect(["col", "row"]).toContain(th.getAttribute("scope"));
    for (const id of ["status-chart", "category-chart", "setting-chart"]) {
      const svg = doc.getElementById(id);
      expect(svg?.getAttribute("role")).toBe("img");
      expect(svg?.querySelector("title")?.textContent).not.toBe("");
    }
    const run2 = doc.getElementById("run")?.textContent ?? "";
    expect(run2).toContain(AS_OF);
    expect(run2).toContain(SANDBOX);
  });

  it("has the NDJSON output's counts for the sandbox patients: status, category, setting, flags, work list", async () => {
    const [html, json] = await Promise.all([
      runReview([SANDBOX], { format: "html" }),
      runReview([SANDBOX], { format: "ndjson" }),
    ]);
    const doc = parse(html.stdout);
    const all = json.assessments;
    expect(all.length).toBeGreaterThan(0);
    expect(nonZero(countsOf(doc, "status-table"))).toEqual(tally(all.map((a) => a.status)));
    expect(nonZero(countsOf(doc, "category-table"))).toEqual(tally(all.map((a) => a.category)));
    expect(nonZero(countsOf(doc, "setting-table"))).toEqual(tally(all.map((a) => a.setting)));
    const raised = (a: Assessment) => [
      ...new Set(a.flags.filter((f) => f.state !== "not-checked").map((f) => f.code)),
    ];
    const flagCounts: Record<string, number> = Object.fromEntries(
      rows(doc, "flags-table").map(([code, , , n]) => [code ?? "", Number(n)]),
    );
    expect(nonZero(flagCounts)).toEqual(tally(all.flatMap(raised)));
    // Each flag row: its title and severity from the rules, and at least one numbered source from the list.
    const sources = [...(doc.getElementById("sources")?.querySelectorAll("li") ?? [])].map(
      (li) => li.textContent,
    );
    for (const [code, title, severity, , , refs] of rows(doc, "flags-table")) {
      const rule = FLAG_RULES[code as keyof typeof FLAG_RULES];
      expect(title).toBe(FLAG_TITLES[code as keyof typeof FLAG_TITLES]);
      expect(severity?.toLowerCase()).toBe(
        { action: "action", warning: "warning", info: "note" }[rule.severity],
      );
      const numbers = [...(refs ?? "").matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
      expect(numbers.length).toBe(rule.references.length);
      for (const n of numbers) expect(sources[n - 1]).toBeTruthy();
    }
    const actionPatients = all
      .filter((a) => a.flags.some((f) => f.state !== "not-checked" && f.severity === "action"))
      .map((a) => a.patient);
    expect(rows(doc, "worklist-table").map(([p]) => p)).toEqual(actionPatients);
    for (const [p, status, category, setting, , next] of rows(doc, "worklist-table")) {
      const a = all.find((x) => x.patient === p);
      expect([status, category, setting]).toEqual([a?.status, a?.category, a?.setting]);
      expect(next).not.toBe("");
    }
    const unreadable = all.flatMap((a) => a.unreadable);
    expect(rows(doc, "unreadable-table").map(([, r]) => r)).toEqual(unreadable.map((u) => u.resource));
    const run = doc.getElementById("run")?.textContent ?? "";
    expect(run).toContain(`Patients reviewed${String(all.length)}`);
    expect(run).toContain(`HER2 results${String(all.reduce((n, a) => n + a.evidence.length, 0))}`);
  });

  it("counts the patients the filters keep, and says how many were reviewed in all", async () => {
    const run = await runReview([SANDBOX], { format: "html", statuses: ["equivocal"] });
    const json = await runReview([SANDBOX], { format: "ndjson" });
    const doc = parse(run.stdout);
    const equivocal = json.assessments.filter((a) => a.status === "equivocal").length;
    expect(nonZero(countsOf(doc, "status-table"))).toEqual({ equivocal });
    const facts = doc.getElementById("run")?.textContent ?? "";
    expect(facts).toContain(`Patients in this report${String(equivocal)}`);
    expect(facts).toContain(`Patients reviewed${String(json.assessments.length)}`);
    expect(facts).toContain("--status equivocal");
  });

  it("escapes EHR text: markup and formulas in a specimen label and a result show as text, never as markup", async () => {
    const run = await runReview([hostileExport()], { format: "html" });
    expect(run.result.exitCode).toBe(0);
    const doc = parse(run.stdout);
    expect(doc.querySelectorAll("script, img").length).toBe(0);
    expect(run.stdout).not.toContain("<script>alert");
    expect(run.stdout).not.toContain("<img src=x");
    const worklist = rows(doc, "worklist-table");
    expect(worklist.map(([p]) => p)).toEqual(["Patient/-hostile.1"]);
    const text = doc.body.textContent;
    // The label reaches the next step (reflex ISH on that specimen) as the text it was.
    expect(text).toContain(HOSTILE);
    expect(text).toContain(FORMULA);
    // ... also in the equivocal measure's gap list.
    const [gap] = rows(doc, "gap-equivocal-retested-table");
    expect(gap?.[0]).toBe("Patient/-hostile.1");
    expect(gap?.[2]).toContain(HOSTILE);
  });

  it("escapes every text it writes, also the patient reference and flag texts given to the format", async () => {
    const format = htmlFormat(
      { inputs: [`${HOSTILE}.ndjson`], asOf: AS_OF, filters: "" },
      await loadCharts(),
    );
    const assessment: Assessment = {
      patient: `Patient/${HOSTILE}`,
      asOf: AS_OF,
      guideline: "g",
      rulesVersion: "1.2.0",
      status: "equivocal",
      category: "unknown",
      setting: "early",
      statusReason: HOSTILE,
      flags: [
        {
          code: "reflex-ish-missing",
          severity: "action",
          message: HOSTILE,
          action: `${FORMULA} & "quoted" 'single'`,
          evidence: [],
        },
      ],
      recommendation: { text: "", citations: [] },
      evidence: [],
      unreadable: [{ resource: `Observation/${HOSTILE}`, reason: HOSTILE }],
      dataGaps: [{ resourceType: "Observation", kind: "excluded", reason: HOSTILE, affectsAssessment: true }],
    };
    const html = format.begin() + format.patient(assessment) + format.end();
    const doc = parse(html);
    expect(doc.querySelectorAll("script").length).toBe(0);
    expect(rows(doc, "worklist-table")[0]).toEqual([
      `Patient/${HOSTILE}`,
      "equivocal",
      "unknown",
      "early",
      "reflex-ish-missing",
      `${FORMULA} & "quoted" 'single'`,
    ]);
    expect(rows(doc, "excluded-table")[0]?.[3]).toBe(HOSTILE);
    expect(doc.getElementById("run")?.textContent).toContain(`${HOSTILE}.ndjson`);
    expect(escapeHtml(`<a href="x" title='y'>&`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;");
  });

  /**
   * The sandbox's 44 patients at AS_OF, counted by hand from the scenario table (sandbox/README.md):
   * - HER2 evaluated: not met her2-met-untested, her2-no-data (her2-test-missing); excluded her2-pending (pending) and
   *   her2-unreadable (unreadable); not eligible her2-dcis-only (in-situ only). 44 - 5 = 39 met: 39 / 41 = 95.1 %.
   * - Equivocal retested: a read IHC 2+ in her2-ihc2-ish-neg, -ihc2-ish-pos, -ihc2-no-ish, -ish-2013-equivocal,
   *   -ish-components, -ish-g2-ihc2, -ish-g3-ihc2-final, -local-code, -multi-marker-report, -paged, -text-shapes (11);
   *   no ISH for her2-ihc2-no-ish and her2-local-code: 9 / 11 = 81.8 %; 33 not eligible.
   * - Metastatic retested: metastatic setting her2-abdominal-node-met, -bone-decalcified, -met-breast-retest,
   *   -met-discordant, -met-ish-only, -met-no-retest, -met-untested (7); not retested -met-breast-retest,
   *   -met-no-retest, -met-untested: 4 / 7 = 57.1 %; her2-chest-wall-recurrence is flagged but early (not eligible).
   */
  it("shows the quality-measure rates of the sandbox, their gap patients linked to their work-list rows", async () => {
    const run = await runReview([SANDBOX], { format: "html" });
    const doc = parse(run.stdout);
    expect(rows(doc, "rates-table")).toEqual([
      ["HER2 evaluated", "39", "41", "95.1 %", "2", "1"],
      ["Equivocal IHC retested by ISH", "9", "11", "81.8 %", "0", "33"],
      ["Metastatic disease retested", "4", "7", "57.1 %", "0", "37"],
    ]);
    const gaps = (id: string) => rows(doc, `gap-${id}-table`).map(([p]) => p);
    expect(gaps("her2-evaluated").sort()).toEqual(["Patient/her2-met-untested", "Patient/her2-no-data"]);
    expect(gaps("equivocal-retested").sort()).toEqual([
      "Patient/her2-ihc2-no-ish",
      "Patient/her2-local-code",
    ]);
    expect(gaps("metastatic-retested").sort()).toEqual([
      "Patient/her2-met-breast-retest",
      "Patient/her2-met-no-retest",
      "Patient/her2-met-untested",
    ]);
    // Each gap patient links to their own row of the work list.
    for (const id of ["her2-evaluated", "equivocal-retested", "metastatic-retested"]) {
      for (const tr of doc.querySelectorAll(`#gap-${id}-table tbody tr`)) {
        const href = tr.querySelector("a")?.getAttribute("href") ?? "";
        const target = doc.getElementById(href.slice(1));
        expect(target?.closest("table")?.id).toBe("worklist-table");
        expect(target?.querySelector("th")?.textContent).toBe(tr.querySelector("th")?.textContent);
      }
    }
    // Definition, exclusions and numbered sources per measure.
    const equivocal = doc.getElementById("measure-equivocal-retested")?.textContent ?? "";
    expect(equivocal).toContain("Definition");
    expect(equivocal).toContain("reflex-ish-missing");
    const evaluated = doc.getElementById("measure-her2-evaluated")?.textContent ?? "";
    expect(evaluated).toContain("1: HER2 results on record could not be read");
    expect(evaluated).toContain("1: HER2 results on record are not final");
    const sources = doc.getElementById("sources")?.textContent ?? "";
    expect(sources).toContain("CAP 11");
    expect(sources).toContain("1878");
  });

  it("has trends by year of the governing test: undated and no-result patients in their own rows", async () => {
    const run = await runReview([SANDBOX], { format: "html" });
    const doc = parse(run.stdout);
    const status = rows(doc, "trend-status-table");
    const years = status.map(([y]) => y);
    const dated = years.filter((y) => /^\d{4}$/.test(y ?? ""));
    expect(dated).toEqual([...dated].sort());
    expect(years.slice(dated.length)).toEqual(["date not recorded", "no governing HER2 result"]);
    // The chart: a bar per row, labelled with the row's year.
    const labels = [...(doc.getElementById("trend-chart")?.querySelectorAll("text[text-anchor=end]") ?? [])];
    expect(labels.map((l) => l.textContent)).toEqual(years);
    // Every patient is in exactly one row; the last column is the row's total.
    expect(status.reduce((n, row) => n + Number(row.at(-1)), 0)).toBe(44);
    for (const row of status)
      expect(row.slice(1, -1).reduce((n, c) => n + Number(c), 0)).toBe(Number(row.at(-1)));
    // her2-mcode-18474 (negative, no test date) is the only undated governing result.
    expect(status.find(([y]) => y === "date not recorded")).toEqual([
      "date not recorded",
      "0",
      "1",
      "0",
      "0",
      "0",
      "1",
    ]);
    const rates: Record<string, string[]> = Object.fromEntries(
      rows(doc, "trend-rates-table").map(([y, ...r]) => [y ?? "", r]),
    );
    // 2025 equivocal: her2-local-code (no ISH), her2-ish-g2-ihc2, her2-multi-marker-report: 2 / 3.
    expect(rates["2025"]?.[1]).toBe("2 / 3 (66.7 %)");
    // 2026 equivocal: her2-ihc2-no-ish only: 0 / 1, a real 0 %.
    expect(rates["2026"]?.[1]).toBe("0 / 1 (0.0 %)");
    // 2018 metastatic: her2-met-no-retest (chest-wall recurrence is early): 0 / 1.
    expect(rates["2018"]?.[2]).toBe("0 / 1 (0.0 %)");
    expect(rates["2023"]?.[2]).toBe("0 / 0 (no rate)");
  });

  it("draws a chart per panel as inline SVG with a title and a description, and loads nothing", async () => {
    const run = await runReview([SANDBOX], { format: "html" });
    const doc = parse(run.stdout);
    const ids = [
      "status-chart",
      "category-chart",
      "setting-chart",
      "flags-chart",
      "trend-chart",
      "rate-her2-evaluated-chart",
      "rate-equivocal-retested-chart",
      "rate-metastatic-retested-chart",
    ];
    expect([...doc.querySelectorAll("svg")].map((svg) => svg.id)).toEqual(expect.arrayContaining(ids));
    for (const id of ids) {
      const svg = doc.getElementById(id);
      expect(svg?.getAttribute("role")).toBe("img");
      expect(svg?.getAttribute("aria-labelledby")).toBe(`${id}-title ${id}-desc`);
      expect(svg?.querySelector("title")?.textContent).not.toBe("");
      expect(svg?.querySelector("desc")?.textContent).not.toBe("");
    }
    // Bars: one per value with its number as text; the flag chart has a bar per raised flag.
    const flagBars = doc.getElementById("flags-chart")?.querySelectorAll("rect.bar").length;
    expect(flagBars).toBe(rows(doc, "flags-table").filter(([, , , n]) => Number(n) > 0).length);
    // The metastatic rate: a point per dated year with a denominator, labelled with its rate.
    const metastatic = doc.getElementById("rate-metastatic-retested-chart");
    const labels = [...(metastatic?.querySelectorAll("circle title") ?? [])].map((t) => t.textContent);
    expect(labels).toEqual(expect.arrayContaining(["2018: 0 of 1 (0.0 %)", "2025: 2 of 3 (66.7 %)"]));
    expect(doc.querySelectorAll("script, foreignObject, image, use").length).toBe(0);
    // No URL anywhere but as text: attributes hold none (the SVG namespace is a name, not a request), CSS no url().
    for (const el of doc.querySelectorAll("*"))
      for (const attr of el.attributes)
        if (attr.name !== "xmlns") expect(`${attr.name}=${attr.value}`).not.toMatch(/:\/\/|^javascript:/);
    expect(run.stdout).not.toMatch(/url\(|@import/);
  });

  it("an empty review is still a page: no rate (never 0 % or 100 %), and the rate charts say why", async () => {
    const format = htmlFormat({ inputs: ["empty/"], asOf: AS_OF, filters: "" }, await loadCharts());
    const doc = parse(format.begin() + format.end());
    expect(rows(doc, "rates-table").map(([, n, d, rate]) => [n, d, rate])).toEqual([
      ["0", "0", "no rate"],
      ["0", "0", "no rate"],
      ["0", "0", "no rate"],
    ]);
    expect(doc.getElementById("rate-her2-evaluated-chart")?.textContent).toContain("No dated patient");
    expect(doc.getElementById("status-chart")?.querySelectorAll("rect").length).toBe(5);
  });

  it("passes axe (WCAG 2.1 A/AA, colour contrast is checked in Chromium)", async () => {
    const run = await runReview([SANDBOX], { format: "html" });
    const doc = parse(run.stdout);
    document.documentElement.setAttribute("lang", "en");
    document.title = doc.title;
    document.body.innerHTML = doc.body.innerHTML;
    try {
      const result = await axe.run(document.body, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        rules: { "color-contrast": { enabled: false } },
        resultTypes: ["violations"],
      });
      expect(
        result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
      ).toEqual([]);
    } finally {
      document.body.innerHTML = "";
    }
    // axe in jsdom over the whole report (charts and gap lists included) takes seconds on a loaded machine.
  }, 30_000);

  it("--out writes the report to the file, not stdout; a path that cannot be written is exit 2 and no file", async () => {
    const dir = tempDir();
    const out = join(dir, "report.html");
    const run = await runReview([SANDBOX], { format: "html", outFile: out });
    expect(run.result.exitCode).toBe(0);
    expect(run.stdout).toBe("");
    expect(readFileSync(out, "utf8")).toBe((await runReview([SANDBOX], { format: "html" })).stdout);
    const bad = join(dir, "no-such-folder", "report.html");
    const failed = await runReview([SANDBOX], { format: "html", outFile: bad });
    expect(failed.result.exitCode).toBe(2);
    expect(failed.stderr).toContain("cannot write --out");
    expect(existsSync(bad)).toBe(false);
  });

  it("parses --format html and --out FILE (without --from) as the report file", () => {
    const io = { stdout: new Sink(), stderr: new Sink() };
    const parsed = parseArgs(["review", "x/", "--format", "html", "--out", "r.html"], io, AS_OF);
    expect(parsed.kind === "review" && parsed.options).toMatchObject({ format: "html", outFile: "r.html" });
    const exported = parseArgs(
      ["review", "--from", "http://h/fhir", "--format", "html", "--out", "dir"],
      io,
      AS_OF,
    );
    expect(exported.kind === "export" && exported.review).toMatchObject({ format: "html", inputs: ["dir"] });
    expect(exported.kind === "export" && exported.review?.outFile).toBeUndefined();
  });
});
