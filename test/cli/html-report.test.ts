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
    for (const el of doc.querySelectorAll("[src], [href]"))
      expect(el.outerHTML).toBe("no external reference");
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
  });

  it("escapes every text it writes, also the patient reference and flag texts given to the format", () => {
    const format = htmlFormat({ inputs: [`${HOSTILE}.ndjson`], asOf: AS_OF, filters: "" });
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
  });

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
