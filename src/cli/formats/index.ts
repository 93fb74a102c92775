import { csvFormat } from "./csv";
import type { Locale } from "../../i18n/locales";
import type { FormatName, OutputFormat, PerPatientFormatName } from "./format";
import { htmlFormat, type HtmlReportOptions } from "./html";
import { ndjsonFormat } from "./ndjson";
import { reportCsvFormat } from "./report-csv";
import { tableFormat } from "./table";

export type { FormatName, OutputFormat, PerPatientFormatName, RunFacts } from "./format";
export { FORMAT_NAMES, isPerPatient } from "./format";
export type { HtmlReportOptions } from "./html";

const NO_REPORT: HtmlReportOptions = { inputs: [], asOf: "", filters: "" };

/**
 * The output format for `--format`, but the HTML report (which needs `loadOutputFormat`: it loads its charts).
 * `locale` is the table's language (its headers); NDJSON and CSV are data for machines and the same in every locale.
 */
export function outputFormat(
  name: PerPatientFormatName | "table" | "report-csv",
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
    case "report-csv":
      return reportCsvFormat(report);
  }
}

/**
 * The output format for `--format`, any of them. The HTML report's chart library (d3) is imported here, only for
 * `--format html`, so the other formats do not pay its start-up.
 */
export async function loadOutputFormat(
  name: FormatName,
  report: HtmlReportOptions = NO_REPORT,
  locale: Locale = "en",
): Promise<OutputFormat> {
  if (name !== "html") return outputFormat(name, report, locale);
  const { loadCharts } = await import("./charts");
  return htmlFormat(report, await loadCharts());
}
