import { csvFormat } from "./csv";
import type { FormatName, OutputFormat } from "./format";
import { ndjsonFormat } from "./ndjson";
import { tableFormat } from "./table";

export type { FormatName, OutputFormat } from "./format";
export { FORMAT_NAMES } from "./format";

/** The output format for `--format`. */
export function outputFormat(name: FormatName): OutputFormat {
  switch (name) {
    case "ndjson":
      return ndjsonFormat();
    case "csv":
      return csvFormat();
    case "table":
      return tableFormat();
  }
}
