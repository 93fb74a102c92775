/**
 * The quality measures of the population report (issue 14, point 4): three rates over the per-patient assessments,
 * each with its numerator, denominator, exclusions and sources, one row per measure like the flag rules. Pure: no
 * I/O; the CLI's report formats (HTML, CSV) tally them patient by patient with `MeasureTally`.
 *
 * The rates rest on what the rules already decided (the flags), never on a second reading of the data: a patient is
 * in a measure's numerator-gap exactly when the rule named in `gapFlag` raised its flag, so the gap list and the work
 * list agree. A patient whose data did not load, or whose HER2 results are unreadable or not final, is neither a
 * success nor a failure: it is excluded, counted by reason, and the report shows the count beside the rate.
 *
 * A success is only counted when the data proves it (a result on record, no gap flag). A would-be failure on a
 * patient with a data gap (a query that failed, resources left out) is excluded: the missing test may be in what did
 * not load.
 *
 * Year of test: the calendar year of the governing result's date (`basis.date`), the date the status rests on. A
 * governing result without a date is "date not recorded", never guessed; a patient with no governing result (no
 * HER2 result the rules could use) is in its own row.
 */
import type { Assessment, Citation, Flag, FlagCode } from "./types";
import { CITATIONS } from "./citations";

export type MeasureId = "her2-evaluated" | "equivocal-retested" | "metastatic-retested";

export const MEASURE_IDS = [
  "her2-evaluated",
  "equivocal-retested",
  "metastatic-retested",
] as const satisfies readonly MeasureId[];

/** Why a patient is left out of a rate (never counted as met or not met). */
export type ExclusionReason = "not-loaded" | "unreadable" | "pending" | "cannot-tell";

export const EXCLUSION_REASONS = [
  "not-loaded",
  "unreadable",
  "pending",
  "cannot-tell",
] as const satisfies readonly ExclusionReason[];

export const EXCLUSION_TEXT: Readonly<Record<ExclusionReason, string>> = {
  "not-loaded":
    "data did not load (a query failed or resources were left out), so a missing test cannot be told",
  unreadable: "HER2 results on record could not be read",
  pending: "HER2 results on record are not final (registered or preliminary)",
  "cannot-tell":
    "the record cannot tell whether the test was done (a recurrence or metastasis without a date, and a HER2 result whose tissue is not known)",
};

export type MeasureOutcome =
  | { kind: "met" }
  /** In the denominator, not in the numerator: the gap flag the rules raised (its action is the next step). */
  | { kind: "not-met"; flag: Flag }
  | { kind: "excluded"; reason: ExclusionReason }
  | { kind: "not-eligible" };

/** Sources of the measures that are not the rules' own (CITATIONS holds those). */
export const MEASURE_SOURCES = {
  nqf1878: {
    id: "nqf1878",
    text: "ASCO. HER2 testing for overexpression or gene amplification in patients with breast cancer (NQF / CBE 1878): numerator HER2 testing performed, denominator adult women with breast cancer, no exclusions (endorsement removed 2020)",
    url: "https://p4qm.org/measures/1878",
  },
  cap11: {
    id: "cap11",
    text: "College of American Pathologists. QCDR measure CAP 11: Accurate HER2 tumor evaluation and repeat evaluation in patients with breast carcinoma, performance rate 2: breast carcinoma reports with an equivocal HER2 result that had a subsequent repeat HER2 test (specification of 21 January 2019)",
  },
  niceQs12: {
    id: "niceQs12",
    text: "NICE quality standard QS12, statement 4: people with newly diagnosed invasive breast cancer, and those with recurrent breast cancer if clinically appropriate, have the ER and HER2 status of the tumour assessed (2011, updated 2016)",
    url: "https://www.nice.org.uk/guidance/qs12/chapter/Quality-statement-4-ER-and-HER2-receptor-status",
  },
} as const satisfies Record<string, Citation>;

export type MeasureSourceId = keyof typeof MEASURE_SOURCES | "wolff2018";

/** A source of a measure, whichever list holds it. */
export function measureSource(id: MeasureSourceId): Citation {
  return id === "wolff2018" ? CITATIONS.wolff2018 : MEASURE_SOURCES[id];
}

export interface QualityMeasure {
  id: MeasureId;
  title: string;
  /** The definition in one line. */
  definition: string;
  numerator: string;
  denominator: string;
  /** Who is left out of the denominator (not eligible) besides the exclusions by reason. */
  notEligible: string;
  /** The flag whose raising puts a patient of the denominator in the numerator-gap. */
  gapFlag: FlagCode;
  sources: readonly MeasureSourceId[];
  classify(a: Assessment): MeasureOutcome;
}

function raised(a: Assessment, code: FlagCode): Flag | undefined {
  return a.flags.find((f) => f.code === code && f.state !== "not-checked");
}

function notChecked(a: Assessment, code: FlagCode): boolean {
  return a.flags.some((f) => f.code === code && f.state === "not-checked");
}

/** A query failed or resources were left out that could change the status or a flag. */
function incomplete(a: Assessment): boolean {
  return a.dataGaps.some((g) => g.affectsAssessment && g.kind !== "loading");
}

/** A HER2 result the rules used (read and final). */
function anyUsedResult(a: Assessment): boolean {
  return a.evidence.some((e) => e.used && e.method !== "unreadable");
}

/** Results the FHIR layer could not read (not those read and set aside, e.g. a serum HER2 that is not tissue HER2). */
function anyUnreadable(a: Assessment): boolean {
  return a.unreadable.length > 0;
}

function anyPending(a: Assessment): boolean {
  return a.evidence.some((e) => e.status === "registered" || e.status === "preliminary");
}

/** The outcome of a patient the rules flagged with the measure's gap flag (or not). */
function gapOutcome(a: Assessment, code: FlagCode): MeasureOutcome {
  const flag = raised(a, code);
  if (flag === undefined) return { kind: "met" };
  if (incomplete(a)) return { kind: "excluded", reason: "not-loaded" };
  return { kind: "not-met", flag };
}

const evaluated: QualityMeasure = {
  id: "her2-evaluated",
  title: "HER2 evaluated",
  definition:
    "Share of patients with breast cancer on record who have a HER2 result (IHC or ISH) the rules could use.",
  numerator:
    "Patients with at least one read, final HER2 result (IHC, ISH or the laboratory's interpretation).",
  denominator:
    "The numerator plus the patients flagged her2-test-missing (breast cancer recorded, no HER2 result).",
  notEligible:
    "Patients with no HER2 result and no breast cancer on record (e.g. in-situ carcinoma only): not in the denominator.",
  gapFlag: "her2-test-missing",
  sources: ["nqf1878", "wolff2018"],
  classify(a) {
    if (anyUsedResult(a)) return { kind: "met" };
    if (notChecked(a, "her2-test-missing") || (incomplete(a) && raised(a, "her2-test-missing")))
      return { kind: "excluded", reason: "not-loaded" };
    if (anyUnreadable(a)) return { kind: "excluded", reason: "unreadable" };
    if (anyPending(a)) return { kind: "excluded", reason: "pending" };
    const flag = raised(a, "her2-test-missing");
    return flag === undefined ? { kind: "not-eligible" } : { kind: "not-met", flag };
  },
};

/** A used IHC 2+ (equivocal) result. */
function ihcEquivocal(a: Assessment): boolean {
  return a.evidence.some((e) => e.used && e.method === "ihc" && e.value === "2+");
}

const equivocalRetested: QualityMeasure = {
  id: "equivocal-retested",
  title: "Equivocal IHC retested by ISH",
  definition: "Share of patients with an equivocal IHC 2+ result whose specimen has an ISH result on record.",
  numerator:
    "Denominator patients not flagged reflex-ish-missing (an ISH is on record for the IHC 2+ specimen).",
  denominator: "Patients with a read, final IHC 2+ result.",
  notEligible: "Patients without a read, final IHC 2+ result.",
  gapFlag: "reflex-ish-missing",
  sources: ["cap11", "wolff2018"],
  classify(a) {
    if (!ihcEquivocal(a)) return { kind: "not-eligible" };
    return gapOutcome(a, "reflex-ish-missing");
  },
};

const metastaticRetested: QualityMeasure = {
  id: "metastatic-retested",
  title: "Metastatic disease retested",
  definition:
    "Share of patients with metastatic disease who have a conclusive HER2 result on recurrent or metastatic tissue.",
  numerator: "Denominator patients not flagged metastatic-retest-missing.",
  denominator: "Patients in the metastatic setting.",
  notEligible:
    "Patients in the early or an unknown setting (a locoregional recurrence without a retest is flagged, but is not in this rate).",
  gapFlag: "metastatic-retest-missing",
  sources: ["wolff2018", "niceQs12"],
  classify(a) {
    if (a.setting !== "metastatic") return { kind: "not-eligible" };
    if (notChecked(a, "metastatic-retest-missing")) return { kind: "excluded", reason: "not-loaded" };
    // The rule raises it as a warning, not an action, when the events are undated and a conclusive result exists that
    // may have been on metastatic tissue (setting.ts): neither met nor not met.
    const flag = raised(a, "metastatic-retest-missing");
    if (flag?.severity === "warning") return { kind: "excluded", reason: "cannot-tell" };
    return gapOutcome(a, "metastatic-retest-missing");
  },
};

export const QUALITY_MEASURES: Readonly<Record<MeasureId, QualityMeasure>> = {
  "her2-evaluated": evaluated,
  "equivocal-retested": equivocalRetested,
  "metastatic-retested": metastaticRetested,
};

/** Each measure's outcome for one patient. */
export function measureOutcomes(a: Assessment): Record<MeasureId, MeasureOutcome> {
  return {
    "her2-evaluated": evaluated.classify(a),
    "equivocal-retested": equivocalRetested.classify(a),
    "metastatic-retested": metastaticRetested.classify(a),
  };
}

/** The year-of-test row of a patient: `YYYY`, or one of these two. */
export const DATE_NOT_RECORDED = "date not recorded";
export const NO_GOVERNING_RESULT = "no governing HER2 result";

/** The calendar year of the governing result's date; never guessed. */
export function testYear(a: Assessment): string {
  if (a.basis === undefined) return NO_GOVERNING_RESULT;
  const match = /^(\d{4})/.exec(a.basis.date ?? "");
  return match?.[1] ?? DATE_NOT_RECORDED;
}

/** The years in report order: calendar years ascending, then the undated row, then the no-result row. */
export function byYearOrder(a: string, b: string): number {
  const rank = (y: string): number => (y === DATE_NOT_RECORDED ? 1 : y === NO_GOVERNING_RESULT ? 2 : 0);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

export interface Rate {
  numerator: number;
  denominator: number;
  /** numerator / denominator × 100; undefined when the denominator is 0 (no rate, never 0 % or 100 %). */
  percent: number | undefined;
  excluded: Record<ExclusionReason, number>;
  notEligible: number;
}

export class RateCounter {
  met = 0;
  notMet = 0;
  notEligible = 0;
  readonly excluded: Record<ExclusionReason, number> = {
    "not-loaded": 0,
    unreadable: 0,
    pending: 0,
    "cannot-tell": 0,
  };

  add(outcome: MeasureOutcome): void {
    switch (outcome.kind) {
      case "met":
        this.met++;
        break;
      case "not-met":
        this.notMet++;
        break;
      case "excluded":
        this.excluded[outcome.reason]++;
        break;
      case "not-eligible":
        this.notEligible++;
        break;
    }
  }

  rate(): Rate {
    const denominator = this.met + this.notMet;
    return {
      numerator: this.met,
      denominator,
      percent: denominator === 0 ? undefined : (100 * this.met) / denominator,
      excluded: { ...this.excluded },
      notEligible: this.notEligible,
    };
  }
}

function rateCounters(): Record<MeasureId, RateCounter> {
  return {
    "her2-evaluated": new RateCounter(),
    "equivocal-retested": new RateCounter(),
    "metastatic-retested": new RateCounter(),
  };
}

function ratesOf(c: Record<MeasureId, RateCounter>): Record<MeasureId, Rate> {
  return {
    "her2-evaluated": c["her2-evaluated"].rate(),
    "equivocal-retested": c["equivocal-retested"].rate(),
    "metastatic-retested": c["metastatic-retested"].rate(),
  };
}

/** The measures over a population, overall and per year of test, added one patient at a time. */
export class MeasureTally {
  readonly overall = rateCounters();
  readonly byYear = new Map<string, Record<MeasureId, RateCounter>>();

  /** Adds one patient; returns its outcomes (the caller lists the not-met ones). */
  add(a: Assessment): Record<MeasureId, MeasureOutcome> {
    const outcomes = measureOutcomes(a);
    const year = testYear(a);
    let counters = this.byYear.get(year);
    if (counters === undefined) {
      counters = rateCounters();
      this.byYear.set(year, counters);
    }
    for (const id of MEASURE_IDS) {
      this.overall[id].add(outcomes[id]);
      counters[id].add(outcomes[id]);
    }
    return outcomes;
  }

  rates(): Record<MeasureId, Rate> {
    return ratesOf(this.overall);
  }

  /** Years in report order, each with every measure's rate. */
  ratesByYear(): [string, Record<MeasureId, Rate>][] {
    return [...this.byYear]
      .sort(([a], [b]) => byYearOrder(a, b))
      .map(([year, counters]) => [year, ratesOf(counters)]);
  }
}
