/**
 * The quality measures over hand-built populations: each expected numerator, denominator and rate is counted by hand
 * in the comments, not taken from the code.
 */
import { describe, expect, it } from "vitest";
import type { Assessment, EvidenceItem, Flag, FlagCode, Setting } from "../../src/domain";
import {
  DATE_NOT_RECORDED,
  MeasureTally,
  measureOutcomes,
  measureSource,
  NO_GOVERNING_RESULT,
  QUALITY_MEASURES,
  testYear,
} from "../../src/domain/quality-measures";

interface Spec {
  id: string;
  date?: string | null; // null: governing result without a date; undefined: no governing result
  setting?: Setting;
  evidence?: Partial<EvidenceItem>[];
  flags?: FlagCode[];
  notChecked?: FlagCode[];
  /** Raised as a warning instead of an action. */
  warnings?: FlagCode[];
  gap?: boolean;
  unreadable?: boolean;
}

function flag(code: FlagCode, notChecked = false, warning = false): Flag {
  return {
    code,
    severity: notChecked || warning ? "warning" : "action",
    message: `${code} message`,
    action: `do ${code}`,
    evidence: [],
    ...(notChecked ? { state: "not-checked" as const } : {}),
  };
}

function assessment(s: Spec): Assessment {
  const evidence: EvidenceItem[] = (s.evidence ?? []).map((e, i) => ({
    resource: `Observation/${s.id}-${String(i)}`,
    method: "ihc",
    value: "1+",
    status: "final",
    used: true,
    ...e,
  }));
  return {
    patient: `Patient/${s.id}`,
    asOf: "2026-06-01",
    guideline: "g",
    rulesVersion: "x",
    status: "negative",
    category: "her2-low",
    setting: s.setting ?? "early",
    ...(s.date === undefined
      ? {}
      : { basis: { evidence: [], ...(s.date === null ? {} : { date: s.date }) } }),
    statusReason: "",
    flags: [
      ...(s.flags ?? []).map((c) => flag(c)),
      ...(s.notChecked ?? []).map((c) => flag(c, true)),
      ...(s.warnings ?? []).map((c) => flag(c, false, true)),
    ],
    recommendation: { text: "", citations: [] },
    evidence,
    unreadable: s.unreadable ? [{ resource: `Observation/${s.id}-u`, reason: "unreadable" }] : [],
    dataGaps: s.gap
      ? [{ resourceType: "Observation", kind: "error", reason: "500", affectsAssessment: true }]
      : [],
  };
}

const IHC2 = { method: "ihc", value: "2+" } as const;
const ISH = { method: "ish-dual", value: "ratio 1.3" } as const;

/**
 * Twelve patients. By hand:
 * - HER2 evaluated: met a b c d e f g h (8, each has a used result); not met: n1, n2 (her2-test-missing);
 *   excluded: u (unreadable only), p (pending only), l (her2-test-missing not checked); not eligible: x (nothing).
 *   8 / 10 = 80 %.
 * - Equivocal retested: IHC 2+ used in b c d e (4); d is flagged reflex-ish-missing, e is flagged but its data did
 *   not load (excluded). 2 / 3 = 66.7 %.
 * - Metastatic retested: metastatic f g h n2; g flagged, n2 flagged; h not checked (excluded).
 *   f / (f g n2) = 1 / 3 = 33.3 %.
 */
const POPULATION: Spec[] = [
  { id: "a", date: "2023-02-01", evidence: [{}] },
  { id: "b", date: "2023-05-01", evidence: [IHC2, ISH] },
  { id: "c", date: "2024-01-10", evidence: [IHC2, ISH] },
  { id: "d", date: "2024-03-03", evidence: [IHC2], flags: ["reflex-ish-missing"] },
  { id: "e", date: "2024-04-04", evidence: [IHC2], flags: ["reflex-ish-missing"], gap: true },
  { id: "f", date: "2024-09-09", setting: "metastatic", evidence: [{ value: "0" }] },
  { id: "g", date: null, setting: "metastatic", evidence: [{}], flags: ["metastatic-retest-missing"] },
  {
    id: "h",
    date: "2025-01-01T10:00:00Z",
    setting: "metastatic",
    evidence: [{}],
    notChecked: ["metastatic-retest-missing"],
  },
  { id: "n1", flags: ["her2-test-missing"] },
  { id: "n2", setting: "metastatic", flags: ["her2-test-missing", "metastatic-retest-missing"] },
  {
    id: "u",
    evidence: [{ method: "unreadable", used: false, value: "see report" }],
    unreadable: true,
    flags: ["her2-test-missing"],
  },
  { id: "p", evidence: [{ status: "preliminary", used: false }], flags: ["her2-test-missing"] },
  { id: "l", notChecked: ["her2-test-missing"] },
  { id: "x", setting: "unknown" },
];

function tally(specs: Spec[]): MeasureTally {
  const t = new MeasureTally();
  for (const s of specs) t.add(assessment(s));
  return t;
}

describe("quality measures", () => {
  it("computes each rate's numerator, denominator, percentage, exclusions and not-eligible count", () => {
    const rates = tally(POPULATION).rates();
    expect(rates["her2-evaluated"]).toEqual({
      numerator: 8,
      denominator: 10,
      percent: 80,
      excluded: { "not-loaded": 1, unreadable: 1, pending: 1, "cannot-tell": 0 },
      notEligible: 1,
    });
    expect(rates["equivocal-retested"]).toMatchObject({
      numerator: 2,
      denominator: 3,
      excluded: { "not-loaded": 1, unreadable: 0, pending: 0, "cannot-tell": 0 },
      notEligible: POPULATION.length - 4,
    });
    expect(rates["equivocal-retested"].percent).toBeCloseTo(66.667, 2);
    expect(rates["metastatic-retested"]).toMatchObject({
      numerator: 1,
      denominator: 3,
      excluded: { "not-loaded": 1, unreadable: 0, pending: 0, "cannot-tell": 0 },
      notEligible: POPULATION.length - 4,
    });
    expect(rates["metastatic-retested"].percent).toBeCloseTo(33.333, 2);
  });

  it("names the gap flag of each patient in a numerator-gap, so the gap list is the flag's work list", () => {
    const gaps: Record<string, string[]> = {};
    for (const s of POPULATION) {
      for (const [id, o] of Object.entries(measureOutcomes(assessment(s)))) {
        if (o.kind !== "not-met") continue;
        expect(o.flag.code).toBe(QUALITY_MEASURES[id as keyof typeof QUALITY_MEASURES].gapFlag);
        (gaps[id] ??= []).push(s.id);
      }
    }
    expect(gaps).toEqual({
      "her2-evaluated": ["n1", "n2"],
      "equivocal-retested": ["d"],
      "metastatic-retested": ["g", "n2"],
    });
  });

  it("splits the rates by the governing result's year; undated and no-result patients in their own rows", () => {
    const t = tally(POPULATION);
    const years = t.ratesByYear();
    expect(years.map(([y]) => y)).toEqual(["2023", "2024", "2025", DATE_NOT_RECORDED, NO_GOVERNING_RESULT]);
    const of = (y: string) => Object.fromEntries(years)[y];
    // 2024: c d e f. Equivocal: c met, d not met, e excluded: 1 / 2. Metastatic: f met: 1 / 1.
    expect(of("2024")?.["equivocal-retested"]).toMatchObject({ numerator: 1, denominator: 2, percent: 50 });
    expect(of("2024")?.["metastatic-retested"]).toMatchObject({ numerator: 1, denominator: 1, percent: 100 });
    // Undated: g (metastatic, flagged): 0 / 1, a real 0 %.
    expect(of(DATE_NOT_RECORDED)?.["metastatic-retested"]).toMatchObject({
      numerator: 0,
      denominator: 1,
      percent: 0,
    });
    // 2025: h only, excluded: no rate at all (never 0 % or 100 %).
    expect(of("2025")?.["metastatic-retested"]).toMatchObject({
      numerator: 0,
      denominator: 0,
      percent: undefined,
    });
    // No governing result: n1 n2 (not met) u p l (excluded) x (not eligible): 0 / 2.
    expect(of(NO_GOVERNING_RESULT)?.["her2-evaluated"]).toMatchObject({
      numerator: 0,
      denominator: 2,
      excluded: { "not-loaded": 1, unreadable: 1, pending: 1, "cannot-tell": 0 },
      notEligible: 1,
    });
  });

  it("reads the year from the date's calendar prefix and never guesses one", () => {
    expect(testYear(assessment({ id: "y", date: "2019-07" }))).toBe("2019");
    expect(testYear(assessment({ id: "y", date: "2019-07-01T23:30:00-05:00" }))).toBe("2019");
    expect(testYear(assessment({ id: "y", date: null }))).toBe(DATE_NOT_RECORDED);
    expect(testYear(assessment({ id: "y", date: "unknown" }))).toBe(DATE_NOT_RECORDED);
    expect(testYear(assessment({ id: "y" }))).toBe(NO_GOVERNING_RESULT);
  });

  it("counts a proven success even with a data gap, but never a would-be failure with one", () => {
    const ok = measureOutcomes(assessment({ id: "s", evidence: [IHC2, ISH], gap: true }));
    expect(ok["equivocal-retested"]).toEqual({ kind: "met" });
    expect(ok["her2-evaluated"]).toEqual({ kind: "met" });
    const unproven = measureOutcomes(assessment({ id: "t", flags: ["her2-test-missing"], gap: true }));
    expect(unproven["her2-evaluated"]).toEqual({ kind: "excluded", reason: "not-loaded" });
  });

  it("excludes what the record cannot tell, and does not take a set-aside serum HER2 for an unreadable result", () => {
    // An undated metastasis with a conclusive result of unknown tissue: the rule warns; neither met nor not met.
    const undated = measureOutcomes(
      assessment({
        id: "m",
        date: "2024-01-01",
        setting: "metastatic",
        evidence: [{}],
        warnings: ["metastatic-retest-missing"],
      }),
    );
    expect(undated["metastatic-retested"]).toEqual({ kind: "excluded", reason: "cannot-tell" });
    // A serum HER2 (read, set aside as not tissue HER2) is no tissue test: breast cancer without one is a gap.
    const serum = measureOutcomes(
      assessment({
        id: "s",
        evidence: [
          {
            method: "unreadable",
            used: false,
            value: "15.2 ng/mL",
            notUsedReason: "not a tissue HER2 status",
          },
        ],
        flags: ["her2-test-missing"],
      }),
    );
    expect(serum["her2-evaluated"]).toMatchObject({ kind: "not-met" });
  });

  it("gives no rate for an empty population", () => {
    const rates = new MeasureTally().rates();
    for (const r of Object.values(rates))
      expect(r).toMatchObject({ numerator: 0, denominator: 0, percent: undefined });
  });

  it("cites at least one source per measure, each with a text", () => {
    for (const m of Object.values(QUALITY_MEASURES)) {
      expect(m.sources.length).toBeGreaterThan(0);
      for (const id of m.sources) expect(measureSource(id).text).toMatch(/HER2/);
      expect(m.definition).not.toContain("\n");
    }
  });
});
