import { csvFormat } from "./csv";
import type { FormatName, OutputFormat } from "./format";
import { htmlFormat, type HtmlReportOptions } from "./html";
import { ndjsonFormat } from "./ndjson";
import { tableFormat } from "./table";

export type { FormatName, OutputFormat, PerPatientFormatName, RunFacts } from "./format";
export { FORMAT_NAMES } from "./format";
export type { HtmlReportOptions } from "./html";

const NO_REPORT: HtmlReportOptions = { inputs: [], asOf: "", filters: "" };

/** The output format for `--format` (the HTML report names the run's inputs, date and filters). */
export function outputFormat(name: FormatName, report: HtmlReportOptions = NO_REPORT): OutputFormat {
  switch (name) {
    case "ndjson":
      return ndjsonFormat();
    case "csv":
      return csvFormat();
    case "table":
      return tableFormat();
    case "html":
      return htmlFormat(report);
  }
}
