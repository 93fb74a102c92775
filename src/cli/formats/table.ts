/**
 * A plain-text table for reading in a terminal. Columns have fixed widths so rows can be printed as they are
 * assessed (streaming); longer values push the row out rather than being cut.
 */
import type { Assessment } from "../../domain";
import type { OutputFormat } from "./format";

const COLUMNS = [
  { title: "PATIENT", width: 24 },
  { title: "STATUS", width: 13 },
  { title: "CATEGORY", width: 13 },
  { title: "SETTING", width: 10 },
  { title: "FLAGS", width: 0 },
] as const;

function line(values: readonly string[]): string {
  return `${values
    .map((value, i) => value.padEnd(COLUMNS[i]?.width ?? 0))
    .join("  ")
    .trimEnd()}\n`;
}

export function tableFormat(): OutputFormat {
  return {
    begin: () => line(COLUMNS.map((c) => c.title)),
    patient: (a: Assessment) =>
      line([
        a.patient,
        a.status,
        a.category,
        a.setting,
        a.flags.length === 0 ? "-" : [...new Set(a.flags.map((f) => f.code))].join(", "),
      ]),
    end: () => "",
  };
}
