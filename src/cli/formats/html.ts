/**
 * The quality report (`--format html`, issue 14 point 4): one self-contained HTML file for a department meeting, that
 * opens from disk and prints. No script, no font, no network: a strict CSP (`default-src 'none'; style-src
 * 'unsafe-inline'; img-src data:`), inline CSS, and the charts as inline SVG bars with their labels and numbers as text
 * (each chart also has a table with the same numbers, for screen readers and for copying).
 *
 * Sections: the run (as-of date, rules version, inputs, counts, skipped input), the status, category and setting
 * distribution, each flag code with its title, severity, count and citations, the work list (patients with a raised
 * action flag, with the next step), and data quality (unreadable results, excluded resources, other data gaps, checks
 * that could not be made). Counts are of the patients the format is given, i.e. after `--flag` / `--status`; the
 * run section says how many were reviewed in all.
 *
 * Every text comes from the EHR's data or is joined with it, so every text is escaped (& < > " ') before it is written:
 * an id such as `<script>…` shows as text, never as markup. A formula-looking id (`=HYPERLINK(…)`) is shown as it is:
 * an HTML page runs no formulas, and a reviewer copying it into a spreadsheet is the CSV format's job (csv.ts).
 *
 * Memory: counters, plus the rows of the work list and data-quality tables up to MAX_ROWS each (the rest are counted
 * and the report says how many were left out: the NDJSON output has them all).
 */
import type { Assessment, FlagCode, FlagSeverity, Her2Category, Her2Status, Setting } from "../../domain";
import { CITATIONS, type CitationId } from "../../domain/citations";
import { FLAG_TITLES } from "../../domain/flag-titles";
import { FLAG_RULES } from "../../domain/flags";
import { RULES_VERSION } from "../../domain";
import { CATEGORIES, FLAG_CODES, SETTINGS, STATUSES } from "../../domain/codes";
import type { OutputFormat, RunFacts } from "./format";

/** Rows kept per table of patients; a larger population's rest is counted, not listed. */
export const MAX_ROWS = 2000;

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

/** A list of rows capped at MAX_ROWS, counting the rest. */
class Rows {
  readonly rows: string[][] = [];
  more = 0;
  add(row: string[]): void {
    if (this.rows.length < MAX_ROWS) this.rows.push(row);
    else this.more++;
  }
  get total(): number {
    return this.rows.length + this.more;
  }
}

function counter<K extends string>(keys: readonly K[]): Map<K, number> {
  return new Map(keys.map((k) => [k, 0]));
}

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

function percent(n: number, of: number): string {
  return of === 0 ? "–" : `${((100 * n) / of).toFixed(1)} %`;
}

/** Inline SVG bars: one per key, the label and the number as text next to the bar. */
function bars(id: string, title: string, entries: readonly (readonly [string, number])[]): string {
  const max = Math.max(1, ...entries.map(([, n]) => n));
  const rowHeight = 26;
  const labelWidth = 170;
  const barWidth = 360;
  const height = entries.length * rowHeight + 8;
  const rows = entries
    .map(([label, n], i) => {
      const y = 4 + i * rowHeight;
      const width = n === 0 ? 0 : Math.max(2, Math.round((barWidth * n) / max));
      return (
        `<text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end">${escapeHtml(label)}</text>` +
        `<rect x="${labelWidth}" y="${y + 4}" width="${width}" height="18" class="bar"/>` +
        `<text x="${labelWidth + width + 6}" y="${y + 17}">${count(n)}</text>`
      );
    })
    .join("");
  return (
    `<svg id="${id}" role="img" aria-labelledby="${id}-title" width="${labelWidth + barWidth + 70}" height="${height}" ` +
    `viewBox="0 0 ${labelWidth + barWidth + 70} ${height}" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${id}-title">${escapeHtml(title)}</title>${rows}</svg>`
  );
}

function table(
  id: string,
  caption: string,
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  className?: string,
): string {
  const head = headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join("");
  const body = rows
    .map(
      (row) =>
        `<tr>${row
          .map((cell, i) =>
            i === 0 ? `<th scope="row">${escapeHtml(cell)}</th>` : `<td>${escapeHtml(cell)}</td>`,
          )
          .join("")}</tr>`,
    )
    .join("\n");
  const cls = className === undefined ? "" : ` class="${className}"`;
  return `<table id="${id}"${cls}><caption>${escapeHtml(caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function distribution(
  id: string,
  heading: string,
  counts: ReadonlyMap<string, number>,
  total: number,
): string {
  const entries = [...counts];
  return (
    `<section aria-labelledby="${id}-h"><h2 id="${id}-h">${escapeHtml(heading)}</h2>` +
    bars(`${id}-chart`, `${heading}: patients per value`, entries) +
    table(
      `${id}-table`,
      `${heading} (${count(total)} patients)`,
      ["Value", "Patients", "Share"],
      entries.map(([key, n]) => [key, String(n), percent(n, total)]),
      "counts",
    ) +
    `</section>`
  );
}

function more(rows: Rows): string {
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

export function htmlFormat(options: HtmlReportOptions): OutputFormat {
  const byStatus = counter<Her2Status>(STATUSES);
  const byCategory = counter<Her2Category>(CATEGORIES);
  const bySetting = counter<Setting>(SETTINGS);
  const byFlag = counter<FlagCode>(FLAG_CODES);
  const notChecked = counter<FlagCode>(FLAG_CODES);
  const worklist = new Rows();
  const unreadable = new Rows();
  const excluded = new Rows();
  const gaps = new Rows();
  const unchecked = new Rows();
  let patients = 0;
  let results = 0;
  let rulesVersion: string | undefined;
  let guideline: string | undefined;

  const patient = (a: Assessment): string => {
    patients++;
    results += a.evidence.length;
    rulesVersion ??= a.rulesVersion;
    guideline ??= a.guideline;
    bump(byStatus, a.status);
    bump(byCategory, a.category);
    bump(bySetting, a.setting);
    const raised = a.flags.filter((f) => f.state !== "not-checked");
    for (const code of new Set(raised.map((f) => f.code))) bump(byFlag, code);
    for (const f of a.flags.filter((f) => f.state === "not-checked")) {
      bump(notChecked, f.code);
      unchecked.add([a.patient, f.code, f.message]);
    }
    const actions = raised.filter((f) => f.severity === "action");
    if (actions.length > 0)
      worklist.add([
        a.patient,
        a.status,
        a.category,
        a.setting,
        [...new Set(raised.map((f) => f.code))].join(", "),
        [...new Set(actions.map((f) => f.action ?? f.message))].join(" • "),
      ]);
    for (const u of a.unreadable) unreadable.add([a.patient, u.resource, u.reason]);
    for (const g of a.dataGaps)
      (g.kind === "excluded" ? excluded : gaps).add([a.patient, g.resourceType, g.kind, g.reason]);
    return "";
  };

  const end = (run?: RunFacts): string => {
    const version = rulesVersion ?? RULES_VERSION;
    const title = `HER2 status review: quality report, as of ${options.asOf}`;
    const facts: [string, string][] = [
      ["As of", options.asOf],
      ["Rules version", version],
      ["Guideline", guideline ?? "ASCO/CAP HER2 testing in breast cancer (2018, 2023 update)"],
      ["Input", options.inputs.join(", ")],
      ["Patients in this report", count(patients)],
    ];
    if (run !== undefined) {
      facts.push(["Patients reviewed", count(run.patients)]);
      if (options.filters !== "") facts.push(["Filters", options.filters]);
      facts.push(
        ["Resources read", count(run.resources)],
        ["HER2 results", count(results)],
        ["Unreadable HER2 results", count(unreadable.total)],
        ["Input skipped (may hold patient data)", count(run.skipped)],
        ["Warnings", count(run.warnings)],
      );
      if (run.failures > 0)
        facts.push(["Patients that could not be assessed (left out)", count(run.failures)]);
    }
    // Each flag's sources as numbers into the list at the end (one list, so a long citation is printed once).
    const sources: CitationId[] = [];
    const sourceNumber = (id: CitationId): number => {
      if (!sources.includes(id)) sources.push(id);
      return sources.indexOf(id) + 1;
    };
    const flagRows = FLAG_CODES.filter(
      (code) => (byFlag.get(code) ?? 0) > 0 || (notChecked.get(code) ?? 0) > 0,
    ).map((code) => {
      const rule = FLAG_RULES[code];
      return [
        code,
        FLAG_TITLES[code],
        SEVERITY_WORD[rule.severity],
        String(byFlag.get(code) ?? 0),
        String(notChecked.get(code) ?? 0),
        rule.references.map((id) => `[${String(sourceNumber(id))}]`).join(" "),
      ];
    });
    const flagSection =
      flagRows.length === 0
        ? "<p>No flag was raised.</p>"
        : table(
            "flags-table",
            "Flags: patients with each flag (a flag raised twice for a patient counts once)",
            ["Code", "Title", "Severity", "Patients", "Not checked", "Source"],
            flagRows,
          );
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
${distribution("status", "HER2 status", byStatus, patients)}
${distribution("category", "HER2 category", byCategory, patients)}
${distribution("setting", "Disease setting", bySetting, patients)}
<section aria-labelledby="flags-h"><h2 id="flags-h">Flags</h2>${flagSection}
${
  sources.length === 0
    ? ""
    : `<h3 id="sources-h">Sources</h3><ol id="sources">${sources
        .map((id) => `<li>${escapeHtml(CITATIONS[id].text)} (${escapeHtml(CITATIONS[id].url)})</li>`)
        .join("")}</ol>`
}</section>
<section aria-labelledby="worklist-h"><h2 id="worklist-h">Work list</h2>
<p>Patients with at least one raised action flag, with the next step.</p>
${
  worklist.total === 0
    ? "<p>No patient has an action flag.</p>"
    : table(
        "worklist-table",
        `Work list (${count(worklist.total)} patients)`,
        ["Patient", "Status", "Category", "Setting", "Flags", "Next step"],
        worklist.rows,
      ) + more(worklist)
}
</section>
<section aria-labelledby="quality-h"><h2 id="quality-h">Data quality</h2>
${rowsSection("unreadable", "Unreadable HER2 results", "Results the rules could not read; never guessed.", ["Patient", "Resource", "Reason"], unreadable)}
${rowsSection("excluded", "Excluded resources", "Resources loaded but not proven to be the patient's, left out of the assessment.", ["Patient", "Resource type", "Kind", "Reason"], excluded)}
${rowsSection("gaps", "Data gaps", "Data that could not be loaded: these assessments may be incomplete.", ["Patient", "Resource type", "Kind", "Reason"], gaps)}
${rowsSection("not-checked", "Checks not made", "Rules that could not be checked because data they need did not load; not counted as flags.", ["Patient", "Flag", "Why"], unchecked)}
</section>
</main>
</body>
</html>
`;
  };

  return { begin: () => "", patient, end };
}
