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

export type FormatName = "ndjson" | "csv" | "table" | "html";
export const FORMAT_NAMES: readonly FormatName[] = ["ndjson", "csv", "table", "html"];
/** Formats whose text for a patient does not depend on the other patients, so review workers can render them. */
export type PerPatientFormatName = Exclude<FormatName, "table" | "html">;
