/**
 * A plain-text table for reading in a terminal. Column widths are fitted to the first 1,000 patients, which are held
 * back until then; later rows stream with those widths (a longer value pushes its row out rather than being cut).
 */
import type { Assessment } from "../../domain";
import type { OutputFormat } from "./format";

const TITLES = ["PATIENT", "STATUS", "CATEGORY", "SETTING", "FLAGS"] as const;
const FIT_ROWS = 1000;

function cells(a: Assessment): string[] {
  const flags = [...new Set(a.flags.map((f) => f.code))];
  return [a.patient, a.status, a.category, a.setting, flags.length === 0 ? "-" : flags.join(", ")];
}

function line(values: readonly string[], widths: readonly number[]): string {
  return `${values
    .map((value, i) => value.padEnd(widths[i] ?? 0))
    .join("  ")
    .trimEnd()}\n`;
}

export function tableFormat(): OutputFormat {
  let pending: string[][] | undefined = [];
  let widths: number[] = [];

  const release = (): string => {
    if (pending === undefined) return "";
    const rows = [[...TITLES], ...pending];
    widths = TITLES.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
    pending = undefined;
    return rows.map((r) => line(r, widths)).join("");
  };

  return {
    begin: () => "",
    patient: (a: Assessment) => {
      if (pending === undefined) return line(cells(a), widths);
      pending.push(cells(a));
      return pending.length >= FIT_ROWS ? release() : "";
    },
    end: release,
  };
}
