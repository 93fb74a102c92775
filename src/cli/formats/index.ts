import { csvFormat } from "./csv";
import type { Locale } from "../../i18n/locales";
import type { FormatName, OutputFormat } from "./format";
import { htmlFormat, type HtmlReportOptions } from "./html";
import { ndjsonFormat } from "./ndjson";
import { tableFormat } from "./table";

export type { FormatName, OutputFormat, PerPatientFormatName, RunFacts } from "./format";
export { FORMAT_NAMES } from "./format";
export type { HtmlReportOptions } from "./html";

const NO_REPORT: HtmlReportOptions = { inputs: [], asOf: "", filters: "" };

/**
 * The output format for `--format` (the HTML report names the run's inputs, date and filters). `locale` is the table's
 * language (its headers); NDJSON and CSV are data for machines and the same in every locale.
 */
export function outputFormat(
  name: FormatName,
  report: HtmlReportOptions = NO_REPORT,
  locale: Locale = "en",
): OutputFormat {
  switch (name) {
    case "ndjson":
      return ndjsonFormat();
    case "csv":
      return csvFormat();
    case "table":
      return tableFormat(locale);
    case "html":
      return htmlFormat(report);
  }
}
