/**
 * Ipsilateral new primaries (issue 12, points 1 and 3; rules 2.0.0). Expected values from the guideline: each
 * invasive tumour is tested and reported on its own (ASCO/CAP 2018), so a new primary in the same breast (named so,
 * or of another histology: SEER multiple primary rules) keeps its own status, is not discordant with the earlier
 * tumour and is not a recurrence. Without such a sign two primary Conditions stay one history and disagreement is
 * flagged.
 */
import { describe, expect, it } from "vitest";
import { codes, event, ihc, run, specimen, therapy } from "./build";
import { ipsilateralNewPrimaries } from "../../src/domain/tumour";
import type { DiseaseEvent, IhcScore, SpecimenInfo } from "../../src/domain";

const IDC = "http://snomed.info/sct|408643008";
const ILC = "http://snomed.info/sct|278054005";
const first = (extra: Partial<DiseaseEvent> = {}) =>
  event("primary", "2019-03-04", { bodySite: "Left breast", morphology: IDC, ...extra });
const second = (extra: Partial<DiseaseEvent> = {}) =>
  event("primary", "2025-02-10", { bodySite: "Left breast", ...extra });

describe("ipsilateralNewPrimaries: decision table", () => {
  it.each<[string, DiseaseEvent[], number]>([
    ["another histology, years later", [first(), second({ morphology: ILC })], 1],
    ["named a new primary", [first(), second({ newPrimary: true })], 1],
    ["same histology, not named new", [first(), second({ morphology: IDC })], 0],
    ["no histology, not named new (may be the same tumour recorded twice)", [first(), second()], 0],
    [
      "another histology within 90 days (synchronous: cannot split by date)",
      [first(), event("primary", "2019-04-20", { bodySite: "Left breast", morphology: ILC })],
      0,
    ],
    [
      "other breast (bilateral, not ipsilateral)",
      [first(), second({ bodySite: "Right breast", newPrimary: true })],
      0,
    ],
    [
      "side from the description",
      [
        first(),
        event("primary", "2025-02-10", {
          description: "Malignant neoplasm of left female breast",
          newPrimary: true,
        }),
      ],
      1,
    ],
    [
      "undated second primary",
      [first(), event("primary", undefined, { bodySite: "Left breast", newPrimary: true })],
      0,
    ],
  ])("%s", (_, events, n) => {
    expect(ipsilateralNewPrimaries(events)).toHaveLength(n);
  });
});

describe("ipsilateral new primary in the assessment", () => {
  const old = specimen("S-19-100", "2019-02-25", "Left breast, upper outer quadrant");
  const recent = specimen("S-25-200", "2025-02-03", "Left breast, lower inner quadrant");
  const tests = () => [
    ihc("3+", { specimen: old, date: "2019-02-27" }),
    ihc("1+", { specimen: recent, date: "2025-02-05" }),
  ];

  it("gives each tumour its own status, with no discordance between them", () => {
    const a = run(tests(), { events: [first(), second({ morphology: ILC })] });
    expect(a.tumours?.map((t) => [t.tumour, t.status, t.category])).toEqual([
      ["left breast, first primary", "positive", "her2-positive"],
      ["left breast, new primary of 2025-02-10", "negative", "her2-low"],
    ]);
    expect(codes(a)).not.toContain("discordant-results");
    // Not a recurrence: the setting stays early and no metastatic retest is asked for.
    expect(a.setting).toBe("early");
    expect(codes(a)).not.toContain("metastatic-retest-missing");
    expect(a.statusReason).toContain("new primary in the same breast is its own tumour");
    expect(a.evidence.every((e) => e.used)).toBe(true);
  });

  it("without a sign of a new primary, stays one history: the newest governs and the disagreement is flagged", () => {
    const a = run(tests(), { events: [first(), second()] });
    expect(a.tumours).toBeUndefined();
    expect(a.status).toBe("negative");
    expect(codes(a)).toContain("discordant-results");
  });

  it("the diagnostic biopsy shortly before the new primary's Condition belongs to the new primary", () => {
    // Biopsy 2024-12-01, Condition recorded 2025-02-10 (71 days later): within the 90-day window.
    const biopsy = specimen("S-24-900", "2024-12-01", "Left breast");
    const a = run(
      [ihc("3+", { specimen: old, date: "2019-02-27" }), ihc("0", { specimen: biopsy, date: "2024-12-02" })],
      { events: [first(), second({ newPrimary: true })] },
    );
    expect(a.tumours?.[1]?.tumour).toBe("left breast, new primary of 2025-02-10");
    expect(a.tumours?.[1]?.category).toBe("her2-0");
  });

  it("an undated left-breast specimen cannot be assigned and is said so", () => {
    const undated = { reference: "Specimen/u", label: "S-XX", bodySite: "Left breast" };
    const a = run([...tests(), ihc("2+", { specimen: undated, date: undefined })], {
      events: [first(), second({ morphology: ILC })],
    });
    const item = a.evidence.find((e) => e.specimen === "Specimen/u");
    expect(item?.used).toBe(false);
    expect(item?.notUsedReason).toContain("new primary in the same breast");
  });
});

/**
 * Which tumour the top level shows (rules 2.0.0; review of issue 12). Expected values from the guideline: each
 * invasive tumour is tested on its own (Wolff 2018) and the most recent tumour's result governs the current status
 * (HER2-GUIDELINE.md, patient-level rules). So for metachronous tumours, with the earlier one treated (no anti-HER2
 * therapy current) and no metastatic disease, the current primary governs; synchronous tumours, a course still running
 * and metastatic disease (whose origin the record does not settle) keep the treatment priority (HER2-positive shown).
 */
describe("metachronous tumours: the current primary governs the top level", () => {
  const leftOld = specimen("S-19-100", "2019-02-25", "Left breast");
  const leftNew = specimen("S-25-200", "2025-02-03", "Left breast");
  const right = specimen("S-25-300", "2025-02-03", "Right breast");
  const rightSoon = specimen("S-19-300", "2019-04-10", "Right breast");
  const done = [therapy("trastuzumab", { status: "completed", start: "2019-04-01", end: "2020-03-20" })];
  const running = [therapy("trastuzumab", { status: "active", start: "2024-11-01" })];
  const metastatic = event("metastasis", "2025-06-01", { bodySite: "Liver" });
  const leftPrimaries = [first(), second({ morphology: ILC })];
  const pair = (earlier: IhcScore, later: IhcScore, at: SpecimenInfo = right) => [
    ihc(earlier, { specimen: leftOld, date: "2019-02-27" }),
    ihc(later, { specimen: at, date: at.collected }),
  ];

  it.each<[string, Parameters<typeof run>[0], Parameters<typeof run>[1], string, string]>([
    [
      "ipsilateral new primary HER2-low, earlier tumour HER2-positive and treated",
      pair("3+", "1+", leftNew),
      { events: leftPrimaries, therapies: done },
      "negative",
      "her2-low",
    ],
    [
      "contralateral new primary HER2-low, earlier tumour HER2-positive and treated",
      pair("3+", "1+"),
      { therapies: done },
      "negative",
      "her2-low",
    ],
    [
      "contralateral new primary with no therapy on record at all",
      pair("3+", "0"),
      { therapies: [] },
      "negative",
      "her2-0",
    ],
    [
      "current primary IHC 2+ without ISH: its work-up is pending, the earlier positive does not stand in",
      pair("3+", "2+"),
      { therapies: done },
      "equivocal",
      "unknown",
    ],
    [
      "earlier tumour HER2-low, current primary HER2-positive",
      pair("1+", "3+"),
      { therapies: [] },
      "positive",
      "her2-positive",
    ],
    [
      "synchronous bilateral tumours (44 days apart): the HER2-positive one decides treatment",
      pair("3+", "1+", rightSoon),
      { therapies: done },
      "positive",
      "her2-positive",
    ],
    [
      "anti-HER2 therapy still current: the HER2-positive tumour stays shown",
      pair("3+", "1+"),
      { therapies: running },
      "positive",
      "her2-positive",
    ],
    [
      "metastatic disease: which tumour it came from is not settled, the HER2-positive tumour stays shown",
      pair("3+", "1+"),
      { therapies: done, events: [metastatic] },
      "positive",
      "her2-positive",
    ],
    [
      "the earlier tumour has a specimen near the new one (still active): the HER2-positive tumour stays shown",
      [
        ihc("3+", { specimen: leftOld, date: "2019-02-27" }),
        ihc("3+", { specimen: specimen("S-25-150", "2025-01-10", "Left breast"), date: "2025-01-12" }),
        ihc("1+", { specimen: right, date: "2025-02-05" }),
      ],
      { therapies: done },
      "positive",
      "her2-positive",
    ],
    [
      "conditions did not load: a metastasis may be hidden, the HER2-positive tumour stays shown",
      pair("3+", "1+"),
      {
        therapies: done,
        dataGaps: [
          {
            resourceType: "Condition",
            kind: "timeout",
            reason: "timeout after 20 s",
            affectsAssessment: true,
          },
        ],
      },
      "positive",
      "her2-positive",
    ],
  ])("%s", (_, tests, more, status, category) => {
    const a = run(tests, more);
    expect(a.tumours).toHaveLength(2);
    expect([a.status, a.category]).toEqual([status, category]);
  });

  it("says which tumour governs and keeps the earlier tumour's own status", () => {
    const a = run(
      [
        ihc("3+", { specimen: leftOld, date: "2019-02-27" }),
        ihc("1+", { specimen: leftNew, date: "2025-02-05" }),
      ],
      { events: leftPrimaries, therapies: done },
    );
    expect(a.tumours?.map((t) => [t.tumour, t.status, t.category])).toEqual([
      ["left breast, first primary", "positive", "her2-positive"],
      ["left breast, new primary of 2025-02-10", "negative", "her2-low"],
    ]);
    expect(a.statusReason).toContain("the current primary");
    expect(a.statusReason).toContain("governs the current treatment decision");
    expect(a.basis?.specimen).toBe("Specimen/S-25-200");
    expect(a.recommendation.text).not.toMatch(/anti-HER2 therapy \(trastuzumab/i);
    expect(codes(a)).not.toContain("discordant-results");
  });
});
