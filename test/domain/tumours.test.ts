/**
 * Which result governs when a patient has several tumours or neoadjuvant therapy (issue 12, point 1). Expected values
 * come from the guideline: each invasive tumour is tested and reported on its own (ASCO/CAP 2018); after neoadjuvant
 * anti-HER2 therapy the pre-treatment biopsy governs and residual disease gets T-DM1 (KATHERINE).
 */
import { describe, expect, it } from "vitest";
import { codes, dual, event, ihc, run, specimen, therapy } from "./build";
import { siteKind, sideOf } from "../../src/domain/tumour";

const LEFT = specimen("S-23-100", "2023-05-02", "Left breast, upper outer quadrant");
const RIGHT = specimen("S-24-200", "2024-06-10", "Right breast");
const NO_SIDE = specimen("S-24-300", "2024-07-01");

describe("body site reading", () => {
  it.each([
    ["Left breast", "left", "breast"],
    ["Breast, right, core biopsy", "right", "breast"],
    ["Lt axillary lymph node", "left", "regional-node"],
    ["Structure of right supraclavicular lymph node", "right", "regional-node"],
    ["Liver", undefined, "distant"],
    ["Left and right breast", undefined, "breast"],
    [undefined, undefined, "unknown"],
  ])("%s reads as side %s, site %s", (site, side, kind) => {
    expect(sideOf(site)).toBe(side);
    expect(siteKind(site)).toBe(kind);
  });
});

describe("bilateral primaries", () => {
  it("gives each breast its own status, the newer tumour not overriding the older", () => {
    // Left 2023 IHC 3+ (positive); right 2024 IHC 1+ (HER2-low): a new contralateral primary.
    const a = run([
      ihc("3+", { specimen: LEFT, date: "2023-05-03" }),
      ihc("1+", { specimen: RIGHT, date: "2024-06-11" }),
    ]);
    expect(a.tumours?.map((t) => [t.tumour, t.status, t.category])).toEqual([
      ["left breast", "positive", "her2-positive"],
      ["right breast", "negative", "her2-low"],
    ]);
    // Top level: the HER2-positive tumour, which decides anti-HER2 therapy; not "the most recent specimen".
    expect(a.status).toBe("positive");
    expect(a.basis?.specimenLabel).toBe("S-23-100");
    expect(a.statusReason).toContain("right breast negative (HER2-low)");
    // A new primary is not discordant with the earlier one.
    expect(codes(a)).not.toContain("discordant-results");
    // Both tumours' results are used, each for its own status.
    expect(a.evidence.every((e) => e.used)).toBe(true);
  });

  it("is not split when only one side has results", () => {
    const a = run([
      ihc("3+", { specimen: LEFT, date: "2023-05-03" }),
      ihc("1+", { specimen: NO_SIDE, date: "2024-07-02" }),
    ]);
    expect(a.tumours).toBeUndefined();
    expect(a.status).toBe("negative");
    expect(codes(a)).toContain("discordant-results");
  });

  it("does not assign a specimen with no side to either tumour", () => {
    const a = run([
      ihc("3+", { specimen: LEFT, date: "2023-05-03" }),
      ihc("0", { specimen: RIGHT, date: "2024-06-11" }),
      ihc("1+", { specimen: NO_SIDE, date: "2024-07-02" }),
    ]);
    expect(a.tumours?.map((t) => t.category)).toEqual(["her2-positive", "her2-0"]);
    const unassigned = a.evidence.find((e) => e.specimenLabel === "S-24-300");
    expect(unassigned?.used).toBe(false);
    expect(unassigned?.notUsedReason).toContain("cannot be determined");
    expect(a.statusReason).toContain("1 specimen with no breast side recorded cannot be assigned");
  });

  it("keeps discordance within one tumour", () => {
    const leftLater = specimen("S-24-101", "2024-09-01", "Left breast");
    const a = run([
      ihc("3+", { specimen: LEFT, date: "2023-05-03" }),
      ihc("0", { specimen: leftLater, date: "2024-09-02" }),
      ihc("3+", { specimen: RIGHT, date: "2024-06-11" }),
    ]);
    expect(a.tumours?.map((t) => t.status)).toEqual(["negative", "positive"]);
    const discordant = a.flags.filter((f) => f.code === "discordant-results");
    expect(discordant).toHaveLength(1);
    expect(discordant[0]?.message).toContain("S-24-101");
    expect(discordant[0]?.message).not.toContain("S-24-200");
  });
});

describe("neoadjuvant anti-HER2 therapy", () => {
  const core = specimen("S-24-010", "2024-01-10", "Left breast");
  const surgery = specimen("S-24-400", "2024-07-20", "Left breast, mastectomy");
  const neoadjuvant = therapy("trastuzumab", { start: "2024-02-01", status: "completed" });

  it("keeps the pre-treatment biopsy as the status; residual disease is information", () => {
    const a = run(
      [
        ihc("3+", { specimen: core, date: "2024-01-11" }),
        ihc("1+", { specimen: surgery, date: "2024-07-21" }),
        dual(1.3, 2.6, { specimen: surgery, date: "2024-07-22" }),
      ],
      { therapies: [neoadjuvant] },
    );
    expect(a.status).toBe("positive");
    expect(a.category).toBe("her2-positive");
    expect(a.basis?.specimenLabel).toBe("S-24-010");
    expect(codes(a)).toEqual(["residual-disease-result"]);
    const flag = a.flags[0];
    expect(flag?.severity).toBe("info");
    expect(flag?.message).toContain("not a reason to stop anti-HER2 therapy");
    expect(flag?.evidence).toContain(neoadjuvant.source);
    const residual = a.evidence.filter((e) => e.specimenLabel === "S-24-400");
    expect(residual.every((e) => !e.used && e.notUsedReason?.startsWith("residual disease"))).toBe(true);
  });

  it("reads a post-treatment specimen with no body site by the usual rule (it may be metastatic)", () => {
    const a = run(
      [
        ihc("3+", { specimen: core, date: "2024-01-11" }),
        ihc("0", { specimen: NO_SIDE, date: "2024-07-02" }),
      ],
      { therapies: [neoadjuvant] },
    );
    expect(a.status).toBe("negative");
    expect(codes(a)).toContain("discordant-results");
    expect(codes(a)).not.toContain("residual-disease-result");
  });

  it("a therapy record stopped before it started is no therapy: no residual disease is read", () => {
    const neverStarted = therapy("trastuzumab", {
      start: "2024-02-01",
      end: "2024-01-20",
      status: "stopped",
    });
    const a = run(
      [
        ihc("3+", { specimen: core, date: "2024-01-11" }),
        ihc("1+", { specimen: surgery, date: "2024-07-21" }),
      ],
      { therapies: [neverStarted] },
    );
    expect(codes(a)).not.toContain("residual-disease-result");
    expect(a.status).toBe("negative");
  });

  it("a planned therapy (draft order, intended statement) is not neoadjuvant therapy: the later result governs", () => {
    // FHIR R4: MedicationRequest "draft" is not yet actionable, MedicationStatement "intended" is to be taken in the
    // future; neither says the drug was given, so the surgical specimen is not residual disease after treatment.
    for (const status of ["draft", "intended"]) {
      const planned = therapy("trastuzumab", { start: "2024-02-01", status });
      const a = run(
        [
          ihc("3+", { specimen: core, date: "2024-01-11" }),
          ihc("1+", { specimen: surgery, date: "2024-07-21" }),
        ],
        { therapies: [planned] },
      );
      expect(a.status, status).toBe("negative");
      expect(a.basis?.specimenLabel, status).toBe("S-24-400");
      expect(codes(a), status).toEqual(["discordant-results"]);
    }
  });

  describe("residual disease is found at the surgery after neoadjuvant therapy, not years later", () => {
    const preTreatment = ihc("3+", { specimen: core, date: "2024-01-11" });
    const course = therapy("trastuzumab", { start: "2024-02-01", end: "2025-01-20", status: "completed" });

    it("a breast biopsy years after a course that ended is the usual most recent result (local recurrence)", () => {
      const later = specimen("S-29-100", "2029-05-01", "Left breast");
      const a = run([preTreatment, ihc("1+", { specimen: later, date: "2029-05-02" })], {
        therapies: [course],
        asOf: "2029-06-01",
      });
      expect(a.status).toBe("negative");
      expect(a.basis?.specimenLabel).toBe("S-29-100");
      expect(codes(a)).toEqual(["discordant-results"]);
    });

    it("a breast or node biopsy of a recorded recurrence is its retest, not residual disease (therapy still open)", () => {
      const open = therapy("trastuzumab", { start: "2024-02-01", status: "active" });
      const node = specimen("S-27-300", "2027-03-01", "Left axillary lymph node");
      const recurrence = event("recurrence", "2027-03-10", { extent: "locoregional" });
      const a = run([preTreatment, ihc("1+", { specimen: node, date: "2027-03-02" })], {
        therapies: [open],
        events: [event("primary", "2024-01-05"), recurrence],
        asOf: "2027-06-01",
      });
      expect(a.status).toBe("negative");
      expect(a.basis?.specimenLabel).toBe("S-27-300");
      expect(codes(a)).not.toContain("residual-disease-result");
      expect(codes(a)).not.toContain("metastatic-retest-missing");
    });

    it("the surgery stays residual disease when a metastasis is diagnosed weeks later (its retest is distant tissue)", () => {
      const surgery = specimen("S-24-410", "2024-07-20", "Left breast, mastectomy");
      const a = run([preTreatment, ihc("1+", { specimen: surgery, date: "2024-07-22" })], {
        therapies: [course],
        events: [event("primary", "2024-01-05"), event("metastasis", "2024-09-01", { bodySite: "Liver" })],
        asOf: "2024-10-01",
      });
      expect(a.status).toBe("positive");
      expect(a.basis?.specimenLabel).not.toBe("S-24-410");
      expect(codes(a)).toContain("residual-disease-result");
      expect(codes(a)).toContain("metastatic-retest-missing");
    });

    it("the surgery within the course (or soon after its end) is still residual disease", () => {
      for (const collected of ["2024-07-20", "2025-03-15"]) {
        const at = specimen("S-24-400", collected, "Left breast, mastectomy");
        const a = run([preTreatment, ihc("1+", { specimen: at, date: collected })], { therapies: [course] });
        expect(a.status, collected).toBe("positive");
        expect(codes(a), collected).toEqual(["residual-disease-result"]);
      }
    });
  });

  it("needs a conclusive pre-treatment specimen; therapy entered in error is no therapy", () => {
    const notGiven = therapy("trastuzumab", { start: "2024-02-01", status: "entered-in-error" });
    const a = run(
      [
        ihc("3+", { specimen: core, date: "2024-01-11" }),
        ihc("1+", { specimen: surgery, date: "2024-07-21" }),
      ],
      { therapies: [notGiven] },
    );
    expect(a.status).toBe("negative");
    expect(codes(a)).not.toContain("residual-disease-result");
  });
});

describe("metastatic retest (issue 12, point 3)", () => {
  const liverBiopsy = (collected: string) => specimen("S-25-500", collected, "Liver");
  const metastasis = event("metastasis", "2025-06-01", {
    description: "Secondary malignant neoplasm of liver",
  });

  it.each([
    ["the day of the Condition", "2025-06-01", []],
    ["60 days before the Condition (the diagnostic biopsy)", "2025-04-02", []],
    ["90 days before", "2025-03-03", []],
    ["91 days before", "2025-03-02", ["metastatic-retest-missing"]],
  ])("counts a liver biopsy collected %s", (_, collected, flags) => {
    // IHC 1+, not 0: metastatic IHC 0 also raises ihc-zero-review (rules 1.2.0), which is not what this tests.
    const a = run([ihc("1+", { specimen: liverBiopsy(collected), date: collected })], {
      events: [metastasis],
    });
    expect(codes(a)).toEqual(flags);
  });

  it("does not count a new breast specimen as the retest", () => {
    const breast = specimen("S-25-600", "2025-07-01", "Right breast");
    const a = run([ihc("1+", { specimen: breast, date: "2025-07-02" })], { events: [metastasis] });
    expect(codes(a)).toEqual(["metastatic-retest-missing"]);
    const flag = a.flags[0];
    expect(flag?.message).toContain("on or after 2025-03-03 (90 days before)");
    expect(flag?.message).toContain("A breast specimen in that time does not count");
  });

  it("counts an axillary node recurrence specimen", () => {
    const node = specimen("S-25-700", "2025-06-10", "Left axillary lymph node");
    const a = run([ihc("3+", { specimen: node, date: "2025-06-11" })], {
      events: [event("recurrence", "2025-06-20")],
    });
    expect(codes(a)).toEqual([]);
  });
});

describe("negative on decalcified bone (issue 12, point 3)", () => {
  const bone = { ...specimen("S-25-800", "2025-06-10", "Bone, iliac crest"), decalcified: true };

  it("warns that the negative may be false", () => {
    const a = run([ihc("0", { specimen: bone, date: "2025-06-12" })], {
      events: [event("metastasis", "2025-06-20")],
    });
    expect(a.status).toBe("negative");
    // Metastatic IHC 0 not recorded as ultralow also gets the (info) re-review note, after the warning.
    expect(codes(a)).toEqual(["decalcified-negative", "ihc-zero-review"]);
    expect(a.flags[0]?.severity).toBe("warning");
    expect(a.flags[0]?.message).toContain("false-negative");
  });

  it("does not warn on a positive or on tissue that was not decalcified", () => {
    const events = [event("metastasis", "2025-06-20")];
    expect(codes(run([ihc("3+", { specimen: bone, date: "2025-06-12" })], { events }))).toEqual([]);
    const plain = { ...bone, decalcified: undefined };
    expect(codes(run([ihc("0", { specimen: plain, date: "2025-06-12" })], { events }))).toEqual([
      "ihc-zero-review",
    ]);
  });
});

/**
 * Review of issue 12 (rules 2.0.0): metastatic tissue beside bilateral primaries. Expected from the guideline: HER2 is
 * retested on the metastatic tumour and "the result on that tissue governs treatment" (HER2-GUIDELINE.md; Wolff
 * 2018). Before, a liver biopsy was set aside as "no breast side recorded" and the top level kept a 2019 breast result.
 */
describe("bilateral primaries with metastatic tissue", () => {
  const left = specimen("S-19-100", "2019-02-25", "Left breast");
  const right = specimen("S-19-300", "2019-03-10", "Right breast");
  const liver = specimen("S-25-500", "2025-05-01", "Liver");
  const metastasis = event("metastasis", "2025-05-10", { bodySite: "Liver" });
  const done = [therapy("trastuzumab", { status: "completed", start: "2019-04-01", end: "2020-03-01" })];

  it("the metastatic tissue's result governs and the breast tumours keep their own status", () => {
    const a = run(
      [
        ihc("3+", { specimen: left, date: "2019-02-27" }),
        ihc("1+", { specimen: right, date: "2019-03-12" }),
        ihc("0", { specimen: liver, date: "2025-05-02" }),
      ],
      { events: [metastasis], therapies: done },
    );
    expect([a.status, a.category, a.setting]).toEqual(["negative", "her2-0", "metastatic"]);
    expect(a.basis?.specimen).toBe("Specimen/S-25-500");
    expect(a.tumours?.map((t) => [t.tumour, t.status])).toEqual([
      ["left breast", "positive"],
      ["right breast", "negative"],
      ["tissue outside the breast (recurrence or metastasis)", "negative"],
    ]);
    expect(a.evidence.every((e) => e.used)).toBe(true);
    expect(a.statusReason).toContain("governs treatment of recurrent or metastatic disease");
    expect(a.statusReason).not.toContain("no breast side recorded");
    // The metastasis disagrees with the HER2-positive primary: flagged; the two primaries are not discordant.
    const discordant = a.flags.find((f) => f.code === "discordant-results");
    expect(discordant?.message).toContain("Liver");
    expect(a.recommendation.text).not.toMatch(/anti-HER2 therapy is the standard option/);
  });

  it("a HER2-positive metastasis governs beside HER2-low primaries", () => {
    const a = run(
      [
        ihc("1+", { specimen: left, date: "2019-02-27" }),
        ihc("2+", { specimen: right, date: "2019-03-12" }),
        dual(1.3, 2.5, { specimen: right, date: "2019-03-14" }),
        ihc("3+", { specimen: liver, date: "2025-05-02" }),
      ],
      { events: [metastasis], therapies: [] },
    );
    expect([a.status, a.category, a.setting]).toEqual(["positive", "her2-positive", "metastatic"]);
    expect(a.basis?.specimen).toBe("Specimen/S-25-500");
  });

  it("a specimen with no site recorded still cannot be assigned", () => {
    const a = run(
      [
        ihc("3+", { specimen: left, date: "2019-02-27" }),
        ihc("1+", { specimen: right, date: "2019-03-12" }),
        ihc("0", { specimen: specimen("S-25-600", "2025-05-01"), date: "2025-05-02" }),
      ],
      { events: [metastasis], therapies: done },
    );
    expect(a.status).toBe("positive");
    expect(a.evidence.find((e) => e.specimen === "Specimen/S-25-600")?.used).toBe(false);
  });
});
