/** The one-line summary printed on stderr at the end of a review: the whole population, before filters. */
import type { Assessment, FlagCode, Her2Status } from "../domain";
import { FLAG_CODES, STATUSES } from "./filters";

/** What the summary counts of one patient's assessment. */
export interface SummaryRecord {
  shown: boolean;
  status: Her2Status;
  results: number;
  unreadable: number;
  /** Distinct flag codes. */
  flags: FlagCode[];
}

/** The summary's share of one assessment. */
export function summaryRecord(assessment: Assessment, shown: boolean): SummaryRecord {
  return {
    shown,
    status: assessment.status,
    results: assessment.evidence.length,
    unreadable: assessment.unreadable.length,
    // Raised flags only: a check that could not be made is not a finding (it shows in each patient's output).
    flags: [...new Set(assessment.flags.filter((f) => f.state !== "not-checked").map((f) => f.code))],
  };
}

export class Summary {
  patients = 0;
  shown = 0;
  results = 0;
  unreadable = 0;
  readonly byStatus = new Map<Her2Status, number>(STATUSES.map((s) => [s, 0]));
  readonly byFlag = new Map<FlagCode, number>(FLAG_CODES.map((f) => [f, 0]));

  /** Counts one assessed patient; a flag raised twice for a patient counts once. */
  add(assessment: Assessment, shown: boolean): void {
    this.count(summaryRecord(assessment, shown));
  }

  /** Counts one assessed patient from its record (what a review worker sends back instead of the assessment). */
  count(record: SummaryRecord): void {
    this.patients++;
    if (record.shown) this.shown++;
    this.results += record.results;
    this.unreadable += record.unreadable;
    this.byStatus.set(record.status, (this.byStatus.get(record.status) ?? 0) + 1);
    for (const code of record.flags) this.byFlag.set(code, (this.byFlag.get(code) ?? 0) + 1);
  }

  /**
   * E.g. `her2 review: 3 patients (1 shown), 812 resources read, 4 HER2 results, 1 unreadable;
   * status positive 1, negative 1, equivocal 0, indeterminate 0, no-result 1; flags reflex-ish-missing 1; 1 skipped;
   * 2 warnings` (skipped: lines, entries and files not read that may hold a patient's data)
   */
  line(resources: number, warnings: number, filtered: boolean, skipped = 0): string {
    const statuses = [...this.byStatus].map(([s, n]) => `${s} ${n}`).join(", ");
    const flagged = [...this.byFlag].filter(([, n]) => n > 0);
    const flags = flagged.length === 0 ? "none" : flagged.map(([f, n]) => `${f} ${n}`).join(", ");
    return [
      `her2 review: ${plural(this.patients, "patient")}${filtered ? ` (${this.shown} shown)` : ""}`,
      `${plural(resources, "resource")} read`,
      plural(this.results, "HER2 result"),
      `${this.unreadable} unreadable; status ${statuses}; flags ${flags}; ${skipped} skipped; ${plural(warnings, "warning")}`,
    ].join(", ");
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
