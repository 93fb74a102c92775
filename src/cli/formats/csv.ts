/**
 * CSV for a spreadsheet: one row per patient, one column per flag code (1 when the patient has the flag, else 0, so
 * a column can be summed or filtered), and the fields a reviewer sorts by. Quoting is csv-stringify's (RFC 4180).
 *
 * Patient ids, specimen labels, dates and texts come from the EHR's data, so a spreadsheet must never run one as a
 * formula (OWASP "CSV Injection"): every string cell starting with = + - @, tab or CR (or the full-width = + - @) gets
 * a leading ' (csv-stringify's `escape_formulas`), the value otherwise intact. The number columns (result counts and
 * the 0/1 flag columns) are written as numbers, never negative, and are left as they are. The last column,
 * `not_checked`, names the flag codes that could not be checked because a query failed (issue 18, point 4).
 */
import { stringify } from "csv-stringify/sync";
import type { Assessment } from "../../domain";
import { FLAG_CODES } from "../filters";
import type { OutputFormat } from "./format";

export const CSV_COLUMNS = [
  "patient",
  "status",
  "category",
  "setting",
  "as_of",
  "basis_date",
  "basis_specimen",
  "results",
  "unreadable",
  "status_reason",
  "recommendation",
  ...FLAG_CODES,
  "not_checked",
] as const;

const CSV_OPTIONS = { escape_formulas: true } as const;

function row(a: Assessment): (string | number)[] {
  // A check a failed query kept from being made is not a raised flag: 0 in its column, named in not_checked.
  const codes = new Set(a.flags.filter((f) => f.state !== "not-checked").map((f) => f.code));
  const notChecked = [...new Set(a.flags.filter((f) => f.state === "not-checked").map((f) => f.code))];
  return [
    a.patient,
    a.status,
    a.category,
    a.setting,
    a.asOf,
    a.basis?.date ?? "",
    a.basis?.specimenLabel ?? a.basis?.specimen ?? "",
    a.evidence.length,
    a.unreadable.length,
    a.statusReason,
    a.recommendation.text,
    ...FLAG_CODES.map((code) => (codes.has(code) ? 1 : 0)),
    notChecked.join(" "),
  ];
}

export function csvFormat(): OutputFormat {
  return {
    begin: () => stringify([[...CSV_COLUMNS]], CSV_OPTIONS),
    patient: (assessment) => stringify([row(assessment)], CSV_OPTIONS),
    end: () => "",
  };
}
