/**
 * A plain-text table for reading in a terminal. Column widths are fitted to the first 1,000 patients, which are held
 * back until then; later rows stream with those widths (a longer value pushes its row out rather than being cut).
 *
 * Ids come from the EHR's data, so control characters (C0 with tab and newline, DEL, C1) and bidi overrides and
 * isolates are stripped from every cell: an ESC sequence must not recolour or clear the terminal, a newline must
 * not forge a row, a right-to-left override must not show an id reversed. NDJSON keeps the value as it was.
 */
import type { Assessment } from "../../domain";
import type { OutputFormat } from "./format";

const TITLES = ["PATIENT", "STATUS", "CATEGORY", "SETTING", "FLAGS"] as const;
const FIT_ROWS = 1000;

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function printable(text: string): string {
  return text.replace(UNPRINTABLE, "");
}

function cells(a: Assessment): string[] {
  // A check a failed query kept from being made shows as such, never as a raised flag (issue 18, point 4).
  const flags = [
    ...new Set(a.flags.map((f) => (f.state === "not-checked" ? `${f.code} (not checked)` : f.code))),
  ];
  return [a.patient, a.status, a.category, a.setting, flags.length === 0 ? "-" : flags.join(", ")].map(
    printable,
  );
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
