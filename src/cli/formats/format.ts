/** An output format: text before the first patient, one chunk per patient, text after the last. */
import type { Assessment } from "../../domain";

export interface OutputFormat {
  begin(): string;
  patient(assessment: Assessment): string;
  end(): string;
}

export type FormatName = "ndjson" | "csv" | "table";
export const FORMAT_NAMES: readonly FormatName[] = ["ndjson", "csv", "table"];
