/**
 * The quality report (`--format html`, issue 14 point 4): one self-contained HTML file for a department meeting, that
 * opens from disk and prints. No script, no font, no network: a strict CSP (`default-src 'none'; style-src
 * 'unsafe-inline'; img-src data:`), inline CSS, and the charts as inline SVG made at report time (charts.ts, d3), each
 * with a title, a description and a table beside it with the same numbers (for screen readers and for copying).
 *
 * Sections: the run (as-of date, rules version, inputs, counts, skipped input); the quality measures (rate, numerator,
 * denominator, exclusions, definition, sources, a chart of the rate per year of test, and the patients in the
 * numerator-gap, each linked to their work-list row); the status, category and setting distribution; trends by year
 * of the governing test (status counts and rates, undated results in their own row); each flag code with its title,
 * severity, count and citations; the work list (patients with a raised action flag, with the next step); data quality
 * (unreadable results, excluded resources, other data gaps, checks that could not be made); the numbered sources.
 * Counts are of the patients the format is given, i.e. after `--flag` / `--status`; the run section says how many were
 * reviewed in all.
 *
 * Every text comes from the EHR's data or is joined with it, so every text is escaped (& < > " ') before it is written:
 * an id such as `<script>…` shows as text, never as markup. A formula-looking id (`=HYPERLINK(…)`) is shown as it is:
 * an HTML page runs no formulas, and a reviewer copying it into a spreadsheet is the CSV formats' job.
 *
 * What is counted is report-data.ts's (shared with `--format report-csv`), so both formats have the same numbers.
 */
import type { Assessment, Citation, FlagSeverity } from "../../domain";
import { CITATIONS } from "../../domain/citations";
import { FLAG_TITLES } from "../../domain/flag-titles";
import { FLAG_RULES } from "../../domain/flags";
import { RULES_VERSION } from "../../domain";
import { FLAG_CODES, STATUSES } from "../../domain/codes";
import {
  EXCLUSION_REASONS,
  EXCLUSION_TEXT,
  MEASURE_IDS,
  measureSource,
  QUALITY_MEASURES,
  type Rate,
} from "../../domain/quality-measures";
import { ReportTally, type Rows } from "../report-data";
import type { Charts } from "./charts";
import type { OutputFormat, RunFacts } from "./format";

export { MAX_ROWS } from "../report-data";

const SEVERITY_WORD: Record<FlagSeverity, string> = { action: "Action", warning: "Warning", info: "Note" };

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** The text as HTML text or attribute value: never markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

function percent(n: number, of: number): string {
  return of === 0 ? "–" : `${((100 * n) / of).toFixed(1)} %`;
}

/** "8 / 10 (80.0 %)", or "0 / 0 (no rate)". */
export function rateText(r: Rate): string {
  return `${count(r.numerator)} / ${count(r.denominator)} (${r.percent === undefined ? "no rate" : `${r.percent.toFixed(1)} %`})`;
}

function excludedTotal(r: Rate): number {
  return EXCLUSION_REASONS.reduce((n, reason) => n + r.excluded[reason], 0);
}

/** A table cell: escaped text, or markup made here (a link) when given as `{ html }`. */
type Cell = string | { html: string; text?: never };

function cellHtml(cell: Cell): string {
  return typeof cell === "string" ? escapeHtml(cell) : cell.html;
}

function table(
  id: string,
  caption: string,
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
  options: { className?: string; rowIds?: readonly string[] } = {},
): string {
  const head = headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("");
  const body = rows
    .map((row, r) => {
      const rowId = options.rowIds?.[r];
      return `<tr${rowId === undefined ? "" : ` id="${rowId}"`}>${row
        .map((cell, i) => (i === 0 ? `<th scope="row">${cellHtml(cell)}</th>` : `<td>${cellHtml(cell)}</td>`))
        .join("")}</tr>`;
    })
    .join("\n");
  const cls = options.className === undefined ? "" : ` class="${options.className}"`;
  return `<table id="${id}"${cls}><caption>${escapeHtml(caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function distribution(
  charts: Charts,
  id: string,
  heading: string,
  counts: ReadonlyMap<string, number>,
  total: number,
): string {
  const entries = [...counts];
  return (
    `<section aria-labelledby="${id}-h"><h2 id="${id}-h">${escapeHtml(heading)}</h2>` +
    charts.bars({
      id: `${id}-chart`,
      title: `${heading}: patients per value`,
      description: `Bar chart of ${count(total)} patients by ${heading.toLowerCase()}; the table below has the same numbers.`,
      entries,
    }) +
    table(
      `${id}-table`,
      `${heading} (${count(total)} patients)`,
      ["Value", "Patients", "Share"],
      entries.map(([key, n]) => [key, String(n), percent(n, total)]),
      { className: "counts" },
    ) +
    `</section>`
  );
}

function more(rows: Rows<unknown>): string {
  return rows.more > 0
    ? `<p class="more">${count(rows.more)} more not listed (the NDJSON output has every patient).</p>`
    : "";
}

function rowsSection(id: string, heading: string, intro: string, headers: string[], rows: Rows): string {
  const body =
    rows.total === 0
      ? `<p>None.</p>`
      : table(`${id}-table`, `${heading} (${count(rows.total)})`, headers, rows.rows) + more(rows);
  return `<section aria-labelledby="${id}-h"><h3 id="${id}-h">${escapeHtml(heading)}</h3><p>${escapeHtml(intro)}</p>${body}</section>`;
}

/** Numbers the sources in the order they are first cited: one list, so a long citation is printed once. */
class Sources {
  readonly list: Citation[] = [];
  ref(c: Citation): string {
    let i = this.list.findIndex((x) => x.id === c.id);
    if (i < 0) i = this.list.push(c) - 1;
    return `[${String(i + 1)}]`;
  }
  html(): string {
    return this.list.length === 0
      ? ""
      : `<section aria-labelledby="sources-h"><h2 id="sources-h">Sources</h2><ol id="sources">${this.list
          .map((c) => `<li>${escapeHtml(c.text)}${c.url === undefined ? "" : ` (${escapeHtml(c.url)})`}</li>`)
          .join("")}</ol></section>`;
  }
}

function measuresSection(t: ReportTally, charts: Charts, sources: Sources): string {
  const rates = t.measures.rates();
  const byYear = t.measures.ratesByYear();
  const summary = table(
    "rates-table",
    "Quality measures (patients in this report)",
    ["Measure", "Numerator", "Denominator", "Rate", "Excluded", "Not in the denominator"],
    MEASURE_IDS.map((id) => {
      const r = rates[id];
      return [
        QUALITY_MEASURES[id].title,
        String(r.numerator),
        String(r.denominator),
        r.percent === undefined ? "no rate" : `${r.percent.toFixed(1)} %`,
        String(excludedTotal(r)),
        String(r.notEligible),
      ];
    }),
    { className: "counts" },
  );
  const blocks = MEASURE_IDS.map((id) => {
    const m = QUALITY_MEASURES[id];
    const r = rates[id];
    const excluded = EXCLUSION_REASONS.filter((reason) => r.excluded[reason] > 0).map(
      (reason) => `${count(r.excluded[reason])}: ${EXCLUSION_TEXT[reason]}`,
    );
    const facts: [string, string][] = [
      ["Rate", rateText(r)],
      ["Definition", m.definition],
      ["Numerator", m.numerator],
      ["Denominator", m.denominator],
      ["Not in the denominator", `${count(r.notEligible)}. ${m.notEligible}`],
      ["Excluded (reported, not counted)", excluded.length === 0 ? "None." : excluded.join("; ")],
      ["Gap flag", m.gapFlag],
      ["Sources", m.sources.map((s) => sources.ref(measureSource(s))).join(" ")],
    ];
    const points = byYear.filter(([year]) => /^\d{4}$/.test(year)).map(([year, rs]) => ({ year, ...rs[id] }));
    const chart = charts.rateOverYears({
      id: `rate-${id}-chart`,
      title: `${m.title}: rate per year of test`,
      description: `Line chart of the rate ${m.title.toLowerCase()} per calendar year of the governing HER2 test (${points
        .map((p) => `${p.year}: ${rateText(p)}`)
        .join("; ")}). Undated patients are not plotted; the trends table has them.`,
      points,
    });
    const gaps = t.gaps[id];
    const gapList =
      gaps.total === 0
        ? `<p>No patient in the numerator-gap.</p>`
        : table(
            `gap-${id}-table`,
            `${m.title}: patients in the denominator but not the numerator (${count(gaps.total)})`,
            ["Patient", "Year of test", "Next step", "Work list"],
            gaps.rows.map((g) => [
              g.patient,
              g.year,
              g.next,
              g.worklistRow === undefined
                ? "not listed (no action flag)"
                : { html: `<a href="#wl-${String(g.worklistRow)}">row ${String(g.worklistRow + 1)}</a>` },
            ]),
          ) + more(gaps);
    return (
      `<section id="measure-${id}" aria-labelledby="measure-${id}-h"><h3 id="measure-${id}-h">${escapeHtml(m.title)}</h3>` +
      `<dl>${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl>` +
      chart +
      gapList +
      `</section>`
    );
  }).join("\n");
  return (
    `<section aria-labelledby="measures-h"><h2 id="measures-h">Quality measures</h2>` +
    `<p>Each rate rests on the rules' flags: a patient is in the numerator-gap when the measure's gap flag is raised. ` +
    `Patients whose data did not load, or whose HER2 results could not be read or are not final, are excluded and ` +
    `counted apart: never counted as met or as not met.</p>${summary}\n${blocks}</section>`
  );
}

function trendsSection(t: ReportTally, charts: Charts): string {
  const statuses = t.statusesByYear();
  const total = (counts: ReadonlyMap<string, number>): number =>
    [...counts.values()].reduce((a, b) => a + b, 0);
  const chart = charts.bars({
    id: "trend-chart",
    title: "Patients per year of the governing HER2 test",
    description: `Bar chart of the patients per year of the governing HER2 test, with the rows "date not recorded" and "no governing HER2 result"; the table below has the same numbers per status.`,
    entries: statuses.map(([year, counts]) => [year, total(counts)]),
  });
  const statusTable = table(
    "trend-status-table",
    "Patients per HER2 status and year of the governing test",
    ["Year of test", ...STATUSES, "Patients"],
    statuses.map(([year, counts]) => [
      year,
      ...STATUSES.map((s) => String(counts.get(s) ?? 0)),
      String(total(counts)),
    ]),
  );
  const rateTable = table(
    "trend-rates-table",
    "Quality-measure rates per year of the governing test (numerator / denominator)",
    ["Year of test", ...MEASURE_IDS.map((id) => QUALITY_MEASURES[id].title)],
    t.measures.ratesByYear().map(([year, rates]) => [year, ...MEASURE_IDS.map((id) => rateText(rates[id]))]),
  );
  return (
    `<section aria-labelledby="trends-h"><h2 id="trends-h">Trends by year of test</h2>` +
    `<p>The year is that of the governing HER2 result's date (the result the status rests on). A governing result ` +
    `without a date is in the row "date not recorded", never given a year; patients with no governing result are in ` +
    `their own row.</p>${chart}${statusTable}${rateTable}</section>`
  );
}

function flagsSection(t: ReportTally, charts: Charts, sources: Sources): string {
  const shown = FLAG_CODES.filter(
    (code) => (t.byFlag.get(code) ?? 0) > 0 || (t.notChecked.get(code) ?? 0) > 0,
  );
  if (shown.length === 0)
    return `<section aria-labelledby="flags-h"><h2 id="flags-h">Flags</h2><p>No flag was raised.</p></section>`;
  const rows = shown.map((code) => {
    const rule = FLAG_RULES[code];
    return [
      code,
      FLAG_TITLES[code],
      SEVERITY_WORD[rule.severity],
      String(t.byFlag.get(code) ?? 0),
      String(t.notChecked.get(code) ?? 0),
      rule.references.map((id) => sources.ref(CITATIONS[id])).join(" "),
    ];
  });
  const raised = shown.filter((code) => (t.byFlag.get(code) ?? 0) > 0);
  const chart =
    raised.length === 0
      ? ""
      : charts.bars({
          id: "flags-chart",
          title: "Flags: patients with each raised flag",
          description: `Bar chart of the patients with each raised flag code (${count(raised.length)} codes); the table below has the same numbers.`,
          entries: raised.map((code) => [code, t.byFlag.get(code) ?? 0]),
        });
  return (
    `<section aria-labelledby="flags-h"><h2 id="flags-h">Flags</h2>${chart}` +
    table(
      "flags-table",
      "Flags: patients with each flag (a flag raised twice for a patient counts once)",
      ["Code", "Title", "Severity", "Patients", "Not checked", "Source"],
      rows,
    ) +
    `</section>`
  );
}

function worklistSection(t: ReportTally): string {
  const body =
    t.worklist.total === 0
      ? "<p>No patient has an action flag.</p>"
      : table(
          "worklist-table",
          `Work list (${count(t.worklist.total)} patients)`,
          ["Patient", "Status", "Category", "Setting", "Flags", "Next step"],
          t.worklist.rows.map((w) => [
            w.patient,
            w.status,
            w.category,
            w.setting,
            w.flags.join(", "),
            w.next,
          ]),
          { rowIds: t.worklist.rows.map((_, i) => `wl-${String(i)}`) },
        ) + more(t.worklist);
  return `<section aria-labelledby="worklist-h"><h2 id="worklist-h">Work list</h2>
<p>Patients with at least one raised action flag, with the next step.</p>
${body}
</section>`;
}

const STYLE = `
:root { color: #1a1a1a; background: #fff; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
body { margin: 0 auto; padding: 1.5rem 2rem; max-width: 72rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 1.75rem 0 .5rem; border-bottom: 2px solid #1f4e79; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .4rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; width: 100%; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid #8a8a8a; padding: .3rem .5rem; text-align: left; vertical-align: top; overflow-wrap: break-word; }
table.counts { width: auto; min-width: 24rem; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
thead th { background: #e8eef5; }
tbody th { font-weight: 600; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .5rem 0; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: break-word; }
svg { display: block; max-width: 100%; height: auto; font-size: 13px; }
svg text { fill: #1a1a1a; }
svg .bar { fill: #1f5f99; }
svg .grid { stroke: #d0d0d0; stroke-width: 1; }
svg .line { fill: none; stroke: #1f5f99; stroke-width: 2; }
svg .dot { fill: #1f5f99; }
svg .small { fill: #444; font-size: 11px; }
a { color: #1f4e79; }
.sev-action { color: #8b1a1a; font-weight: 600; }
.more, .note { color: #444; }
@media print {
  :root { font-size: 11pt; }
  body { padding: 0; max-width: none; }
  section { break-inside: avoid-page; }
  tr { break-inside: avoid; }
  thead { display: table-header-group; }
}
`;

/** Run facts the review knows only at the end (what `end` is given). */
export interface HtmlReportOptions {
  inputs: readonly string[];
  asOf: string;
  /** E.g. `--flag reflex-ish-missing --status equivocal`, or "" without filters. */
  filters: string;
}

/** The report facts of the run section. */
export function runFacts(t: ReportTally, options: HtmlReportOptions, run?: RunFacts): [string, string][] {
  const facts: [string, string][] = [
    ["As of", options.asOf],
    ["Rules version", t.rulesVersion ?? RULES_VERSION],
    ["Guideline", t.guideline ?? "ASCO/CAP HER2 testing in breast cancer (2018, 2023 update)"],
    ["Input", options.inputs.join(", ")],
    ["Patients in this report", count(t.patients)],
  ];
  if (run !== undefined) {
    facts.push(["Patients reviewed", count(run.patients)]);
    if (options.filters !== "") facts.push(["Filters", options.filters]);
    facts.push(
      ["Resources read", count(run.resources)],
      ["HER2 results", count(t.results)],
      ["Unreadable HER2 results", count(t.unreadable.total)],
      ["Input skipped (may hold patient data)", count(run.skipped)],
      ["Warnings", count(run.warnings)],
    );
    if (run.failures > 0) facts.push(["Patients that could not be assessed (left out)", count(run.failures)]);
  }
  return facts;
}

/** The HTML report; `charts` from `loadCharts()` (charts.ts), which the caller loads only for this format. */
export function htmlFormat(options: HtmlReportOptions, charts: Charts): OutputFormat {
  const t = new ReportTally();

  const patient = (a: Assessment): string => {
    t.add(a);
    return "";
  };

  const end = (run?: RunFacts): string => {
    const version = t.rulesVersion ?? RULES_VERSION;
    const title = `HER2 status review: quality report, as of ${options.asOf}`;
    const facts = runFacts(t, options, run);
    const sources = new Sources();
    const measures = measuresSection(t, charts, sources);
    const flags = flagsSection(t, charts, sources);
    const skippedNote =
      run !== undefined && run.skipped > 0
        ? `<p class="note">${count(run.skipped)} lines, entries or files were skipped and may hold patient data: the review's stderr names them (file:line). The counts below do not include them.</p>`
        : "";
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="her2 review ${escapeHtml(version)}">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p class="note">Made by <code>her2 review</code> from the EHR's FHIR data with the panel's own rules. Every status and flag names its source resources in the NDJSON output (<code>--format ndjson</code>).</p>
<section aria-labelledby="run-h"><h2 id="run-h">Run</h2>
<dl id="run">${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl>${skippedNote}</section>
${measures}
${distribution(charts, "status", "HER2 status", t.byStatus, t.patients)}
${distribution(charts, "category", "HER2 category", t.byCategory, t.patients)}
${distribution(charts, "setting", "Disease setting", t.bySetting, t.patients)}
${trendsSection(t, charts)}
${flags}
${worklistSection(t)}
<section aria-labelledby="quality-h"><h2 id="quality-h">Data quality</h2>
${rowsSection("unreadable", "Unreadable HER2 results", "Results the rules could not read; never guessed.", ["Patient", "Resource", "Reason"], t.unreadable)}
${rowsSection("excluded", "Excluded resources", "Resources loaded but not proven to be the patient's, left out of the assessment.", ["Patient", "Resource type", "Kind", "Reason"], t.excluded)}
${rowsSection("gaps", "Data gaps", "Data that could not be loaded: these assessments may be incomplete.", ["Patient", "Resource type", "Kind", "Reason"], t.dataGaps)}
${rowsSection("not-checked", "Checks not made", "Rules that could not be checked because data they need did not load; not counted as flags.", ["Patient", "Flag", "Why"], t.unchecked)}
</section>
${sources.html()}
</main>
</body>
</html>
`;
  };

  return { begin: () => "", patient, end };
}
