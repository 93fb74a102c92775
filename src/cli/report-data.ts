/**
 * What the quality report counts (issue 14, point 4), patient by patient, for both of its formats (`--format html`,
 * `--format report-csv`): the distributions, the flags, the status per year of test, the quality measures with their
 * numerator-gap lists, the work list and data quality. One tally, so the HTML and the CSV always have the same numbers.
 *
 * Memory: counters, plus the rows of each patient list up to MAX_ROWS (the rest are counted and the report says how
 * many were left out: the NDJSON output has them all).
 */
import type { Assessment, FlagCode, Her2Category, Her2Status, Setting } from "../domain";
import { CATEGORIES, FLAG_CODES, SETTINGS, STATUSES } from "../domain/codes";
import { byYearOrder, MEASURE_IDS, MeasureTally, testYear, type MeasureId } from "../domain/quality-measures";

/** Rows kept per list of patients; a larger population's rest is counted, not listed. */
export const MAX_ROWS = 2000;

/** A list of rows capped at MAX_ROWS, counting the rest. */
export class Rows<T = string[]> {
  readonly rows: T[] = [];
  more = 0;
  /** Adds the row; returns its index, or undefined when it was only counted. */
  add(row: T): number | undefined {
    if (this.rows.length < MAX_ROWS) return this.rows.push(row) - 1;
    this.more++;
    return undefined;
  }
  get total(): number {
    return this.rows.length + this.more;
  }
}

function counter<K extends string>(keys: readonly K[]): Map<K, number> {
  return new Map(keys.map((k) => [k, 0]));
}

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** A work-list row: a patient with at least one raised action flag. */
export interface WorkRow {
  patient: string;
  status: Her2Status;
  category: Her2Category;
  setting: Setting;
  /** Distinct raised flag codes. */
  flags: FlagCode[];
  /** The action flags' next steps, joined. */
  next: string;
}

/** A patient in a measure's numerator-gap: the gap flag's next step. */
export interface GapRow {
  patient: string;
  year: string;
  next: string;
  /**
   * The patient's row in the work list, when it is listed (a gap flag may be a note, e.g. a reflex ISH missing on a
   * specimen a later result superseded, and then the patient has no action flag).
   */
  worklistRow: number | undefined;
}

export class ReportTally {
  patients = 0;
  results = 0;
  rulesVersion: string | undefined;
  guideline: string | undefined;
  readonly byStatus = counter<Her2Status>(STATUSES);
  readonly byCategory = counter<Her2Category>(CATEGORIES);
  readonly bySetting = counter<Setting>(SETTINGS);
  readonly byFlag = counter<FlagCode>(FLAG_CODES);
  readonly notChecked = counter<FlagCode>(FLAG_CODES);
  /** Year of test -> status -> patients. */
  readonly statusByYear = new Map<string, Map<Her2Status, number>>();
  readonly measures = new MeasureTally();
  readonly gaps: Record<MeasureId, Rows<GapRow>> = {
    "her2-evaluated": new Rows(),
    "equivocal-retested": new Rows(),
    "metastatic-retested": new Rows(),
  };
  readonly worklist = new Rows<WorkRow>();
  readonly unreadable = new Rows();
  readonly excluded = new Rows();
  readonly dataGaps = new Rows();
  readonly unchecked = new Rows();

  add(a: Assessment): void {
    this.patients++;
    this.results += a.evidence.length;
    this.rulesVersion ??= a.rulesVersion;
    this.guideline ??= a.guideline;
    bump(this.byStatus, a.status);
    bump(this.byCategory, a.category);
    bump(this.bySetting, a.setting);
    const year = testYear(a);
    let statuses = this.statusByYear.get(year);
    if (statuses === undefined) {
      statuses = counter<Her2Status>(STATUSES);
      this.statusByYear.set(year, statuses);
    }
    bump(statuses, a.status);
    const raised = a.flags.filter((f) => f.state !== "not-checked");
    for (const code of new Set(raised.map((f) => f.code))) bump(this.byFlag, code);
    for (const f of a.flags.filter((f) => f.state === "not-checked")) {
      bump(this.notChecked, f.code);
      this.unchecked.add([a.patient, f.code, f.message]);
    }
    const actions = raised.filter((f) => f.severity === "action");
    const worklistRow =
      actions.length === 0
        ? undefined
        : this.worklist.add({
            patient: a.patient,
            status: a.status,
            category: a.category,
            setting: a.setting,
            flags: [...new Set(raised.map((f) => f.code))],
            next: [...new Set(actions.map((f) => f.action ?? f.message))].join(" • "),
          });
    const outcomes = this.measures.add(a);
    for (const id of MEASURE_IDS) {
      const o = outcomes[id];
      if (o.kind === "not-met")
        this.gaps[id].add({
          patient: a.patient,
          year,
          next: o.flag.action ?? o.flag.message,
          worklistRow,
        });
    }
    for (const u of a.unreadable) this.unreadable.add([a.patient, u.resource, u.reason]);
    for (const g of a.dataGaps)
      (g.kind === "excluded" ? this.excluded : this.dataGaps).add([
        a.patient,
        g.resourceType,
        g.kind,
        g.reason,
      ]);
  }

  /** Years of test in report order, each with its patients per status. */
  statusesByYear(): [string, Map<Her2Status, number>][] {
    return [...this.statusByYear].sort(([a], [b]) => byYearOrder(a, b));
  }
}
