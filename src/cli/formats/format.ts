/** An output format: text before the first patient, one chunk per patient, text after the last. */
import type { Assessment } from "../../domain";

/** What the review knows of the whole run at its end (the HTML report shows it; the other formats ignore it). */
export interface RunFacts {
  /** Patients assessed, before the filters. */
  patients: number;
  resources: number;
  warnings: number;
  /** Lines, entries and files skipped that may hold a patient's data. */
  skipped: number;
  /** Patients that could not be assessed (a bug), left out. */
  failures: number;
}

export interface OutputFormat {
  begin(): string;
  patient(assessment: Assessment): string;
  end(run?: RunFacts): string;
}

/**
 * `csv` is one row per patient (a spreadsheet work list); `report-csv` is the quality report's tables (html's counts,
 * rates, trends and work list) as CSV: a distinct name, so `csv` keeps its meaning.
 */
export type FormatName = "ndjson" | "csv" | "table" | "html" | "report-csv";
export const FORMAT_NAMES: readonly FormatName[] = ["ndjson", "csv", "table", "html", "report-csv"];
/** Formats whose text for a patient does not depend on the other patients, so review workers can render them. */
export type PerPatientFormatName = Exclude<FormatName, "table" | "html" | "report-csv">;

const WHOLE_RUN: ReadonlySet<FormatName> = new Set(["table", "html", "report-csv"]);

/** Whether each patient's text can be made apart from the others' (by a review worker). */
export function isPerPatient(name: FormatName): name is PerPatientFormatName {
  return !WHOLE_RUN.has(name);
}
