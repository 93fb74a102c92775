/**
 * `--format report-csv`: the quality report's tables (the HTML report's numbers, from the same tally, report-data.ts)
 * as one CSV file with a `table` column naming the table of each row, so one file (stdout or `--out FILE`) can be
 * filtered by table in a spreadsheet or read by a script. `--format csv` keeps its meaning (one row per patient).
 *
 * Tables, in this order: `run` (key, value), `status`, `category`, `setting`, `flag`, `flag-not-checked` (key,
 * patients), `status-by-year` (year, key = status, patients), `rate` and `rate-by-year` (key = measure id, numerator,
 * denominator, rate_percent, the excluded counts by reason, not_eligible), `measure-gap` (key = measure id, year,
 * patient, next_step), `worklist` (patient, status, category, setting, flags, next_step). Years are `YYYY`,
 * "date not recorded" or "no governing HER2 result". A rate with no denominator has an empty rate_percent, never 0.
 *
 * Codes stay untranslated. Patient ids and next steps come from the EHR's data: formula-looking cells get a leading '
 * (csv-stringify's `escape_formulas`), as in csv.ts.
 */
import { stringify } from "csv-stringify/sync";
import { CATEGORIES, FLAG_CODES, SETTINGS, STATUSES } from "../../domain/codes";
import { EXCLUSION_REASONS, MEASURE_IDS, type MeasureId, type Rate } from "../../domain/quality-measures";
import { ReportTally } from "../report-data";
import type { OutputFormat, RunFacts } from "./format";
import type { HtmlReportOptions } from "./html";

export const REPORT_CSV_COLUMNS = [
  "table",
  "year",
  "key",
  "value",
  "patients",
  "numerator",
  "denominator",
  "rate_percent",
  "excluded_not_loaded",
  "excluded_unreadable",
  "excluded_pending",
  "excluded_cannot_tell",
  "not_eligible",
  "patient",
  "status",
  "category",
  "setting",
  "flags",
  "next_step",
] as const;

type Column = (typeof REPORT_CSV_COLUMNS)[number];
type Row = Partial<Record<Column, string | number>>;

const CSV_OPTIONS = { escape_formulas: true } as const;

function line(row: Row): (string | number)[] {
  return REPORT_CSV_COLUMNS.map((c) => row[c] ?? "");
}

function rateRow(table: string, year: string, id: MeasureId, r: Rate): Row {
  const [notLoaded, unreadable, pending, cannotTell] = EXCLUSION_REASONS.map((reason) => r.excluded[reason]);
  return {
    table,
    year,
    key: id,
    numerator: r.numerator,
    denominator: r.denominator,
    rate_percent: r.percent === undefined ? "" : Number(r.percent.toFixed(1)),
    excluded_not_loaded: notLoaded,
    excluded_unreadable: unreadable,
    excluded_pending: pending,
    excluded_cannot_tell: cannotTell,
    not_eligible: r.notEligible,
  };
}

function counts(table: string, keys: readonly string[], map: ReadonlyMap<string, number>): Row[] {
  return keys.map((key) => ({ table, key, patients: map.get(key) ?? 0 }));
}

/** Every row of the report's tables. */
export function reportRows(t: ReportTally, options: HtmlReportOptions, run?: RunFacts): Row[] {
  const rows: Row[] = [
    { table: "run", key: "as_of", value: options.asOf },
    { table: "run", key: "rules_version", value: t.rulesVersion ?? "" },
    { table: "run", key: "inputs", value: options.inputs.join(" ") },
    { table: "run", key: "filters", value: options.filters },
    { table: "run", key: "patients_in_report", value: t.patients },
  ];
  if (run !== undefined)
    rows.push(
      { table: "run", key: "patients_reviewed", value: run.patients },
      { table: "run", key: "skipped", value: run.skipped },
      { table: "run", key: "failures", value: run.failures },
    );
  rows.push(
    { table: "run", key: "worklist_not_listed", value: t.worklist.more },
    ...counts("status", STATUSES, t.byStatus),
    ...counts("category", CATEGORIES, t.byCategory),
    ...counts("setting", SETTINGS, t.bySetting),
    ...counts("flag", FLAG_CODES, t.byFlag),
    ...counts("flag-not-checked", FLAG_CODES, t.notChecked),
  );
  for (const [year, byStatus] of t.statusesByYear())
    for (const status of STATUSES)
      rows.push({ table: "status-by-year", year, key: status, patients: byStatus.get(status) ?? 0 });
  const rates = t.measures.rates();
  for (const id of MEASURE_IDS) rows.push(rateRow("rate", "", id, rates[id]));
  for (const [year, byMeasure] of t.measures.ratesByYear())
    for (const id of MEASURE_IDS) rows.push(rateRow("rate-by-year", year, id, byMeasure[id]));
  for (const id of MEASURE_IDS)
    for (const g of t.gaps[id].rows)
      rows.push({ table: "measure-gap", key: id, year: g.year, patient: g.patient, next_step: g.next });
  for (const w of t.worklist.rows)
    rows.push({
      table: "worklist",
      patient: w.patient,
      status: w.status,
      category: w.category,
      setting: w.setting,
      flags: w.flags.join(" "),
      next_step: w.next,
    });
  return rows;
}

export function reportCsvFormat(options: HtmlReportOptions): OutputFormat {
  const t = new ReportTally();
  return {
    begin: () => "",
    patient: (a) => {
      t.add(a);
      return "";
    },
    end: (run) => stringify([[...REPORT_CSV_COLUMNS], ...reportRows(t, options, run).map(line)], CSV_OPTIONS),
  };
}
