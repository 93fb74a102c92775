/** The one-line summary printed on stderr at the end of a review: the whole population, before filters. */
import type { Assessment, FlagCode, Her2Status } from "../domain";
import type { Locale } from "../i18n/locales";
import { FLAG_CODES, STATUSES } from "./filters";
import { cliMessage, cliNumber } from "./messages";

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
  /** @param locale The language of the line (`--locale`, LANG); status and flag codes stay codes. */
  constructor(private readonly locale: Locale = "en") {}

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
    const { locale } = this;
    const n = (value: number): string => cliNumber(locale, value);
    const statuses = [...this.byStatus].map(([s, count]) => `${s} ${n(count)}`).join(", ");
    const flagged = [...this.byFlag].filter(([, count]) => count > 0);
    const flags =
      flagged.length === 0
        ? cliMessage(locale, "summary.flagsNone")
        : cliMessage(locale, "summary.flags", {
            list: flagged.map(([f, count]) => `${f} ${n(count)}`).join(", "),
          });
    const patients = filtered
      ? cliMessage(locale, "summary.patientsShown", { count: this.patients, shown: this.shown })
      : cliMessage(locale, "summary.patients", { count: this.patients });
    // The prefix is the command's name, in every locale, so a script can find the line.
    return `her2 review: ${cliMessage(locale, "summary.line", {
      patients,
      resources: cliMessage(locale, "summary.resources", { count: resources }),
      results: cliMessage(locale, "summary.results", { count: this.results }),
      unreadable: cliMessage(locale, "summary.unreadable", { count: this.unreadable }),
      status: cliMessage(locale, "summary.status", { list: statuses }),
      flags,
      skipped: cliMessage(locale, "summary.skipped", { count: skipped }),
      warnings: cliMessage(locale, "summary.warnings", { count: warnings }),
    })}`;
  }
}
