/** Recommendation text by status, category and setting (HER2-GUIDELINE.md), with the trials behind each statement. */
import { describe, expect, it } from "vitest";
import { allCitations, CITATIONS, RECOMMENDATION_TABLE } from "../../src/domain";
import { dual, event, ihc, run, specimen, therapy } from "./build";

const EARLY = { events: [event("primary", "2019-05-01")] };
const METASTATIC = { events: [event("metastasis", "2024-01-01")] };
const LATE = { date: "2024-03-02", specimen: { label: "S-24-9", collected: "2024-03-01" } };

describe("recommendation", () => {
  it("HER2-positive early: anti-HER2 therapy with chemotherapy, trastuzumab one year (B-31/N9831)", () => {
    const r = run([ihc("3+")], EARLY).recommendation;
    expect(r.text).toMatch(/trastuzumab/);
    expect(r.text).toMatch(/one year/);
    expect(r.citations).toContain(CITATIONS.romond2005.text);
    expect(r.citations).toContain(CITATIONS.wolff2018.text);
  });

  it("HER2-positive metastatic: trastuzumab + pertuzumab + taxane, T-DXd second line, until progression", () => {
    const r = run([ihc("3+", LATE)], METASTATIC).recommendation;
    expect(r.text).toMatch(/pertuzumab/);
    expect(r.text).toMatch(/until progression/);
    expect(r.citations).toEqual(
      expect.arrayContaining([CITATIONS.swain2015.text, CITATIONS.cortes2022.text]),
    );
  });

  // Issue 18.3: the evidence of her2-met-no-retest shows "IHC 0 detail (null)"; the recommendation said "not recorded".
  it("metastatic IHC 0: true whether null was reported or no detail was given, and asks for a review for ultralow", () => {
    for (const zeroDetail of ["null", undefined] as const) {
      const r = run(
        [ihc("0", { ...LATE, ...(zeroDetail ? { zeroDetail } : {}) })],
        METASTATIC,
      ).recommendation;
      // The table's text, before any note on the therapy on record.
      expect(r.text.split(" On record:")[0]).not.toMatch(/not recorded/);
      expect(r.text).toMatch(/no faint \(ultralow\) staining reported/);
      expect(r.text).toMatch(/review of the IHC slide for faint staining/);
      expect(r.citations).toContain(CITATIONS.bardia2024.text);
    }
  });

  it("HER2-positive without disease events covers both settings", () => {
    const r = run([ihc("3+")]).recommendation;
    expect(r.text).toMatch(/one year/);
    expect(r.text).toMatch(/until progression/);
  });

  it("HER2-low metastatic: trastuzumab deruxtecan may be an option (DESTINY-Breast04 / 06)", () => {
    const r = run([ihc("2+", LATE), dual(1.2, 2.5, LATE)], METASTATIC).recommendation;
    expect(r.text).toMatch(/trastuzumab deruxtecan may be an option/);
    expect(r.citations).toEqual(expect.arrayContaining([CITATIONS.modi2022.text, CITATIONS.bardia2024.text]));
    // After 2025: the FDA approvals (HER2-low 2022, HER2-ultralow 2025) are named and cited (rules 1.2.0).
    expect(r.text).toMatch(/FDA 2022/);
    expect(r.citations).toContain(CITATIONS.fdaTdxd.text);
  });

  it("HER2-ultralow metastatic: DESTINY-Breast06, not -04", () => {
    const r = run([ihc("0", { ...LATE, zeroDetail: "ultralow" })], METASTATIC).recommendation;
    expect(r.text).toMatch(/ultralow/);
    expect(r.citations).toContain(CITATIONS.bardia2024.text);
    expect(r.citations).not.toContain(CITATIONS.modi2022.text);
  });

  it("IHC 0 metastatic says the ultralow / null detail is missing", () => {
    expect(run([ihc("0", LATE)], METASTATIC).recommendation.text).toMatch(/not recorded/);
  });

  it("HER2-negative early: anti-HER2 therapy not indicated", () => {
    expect(run([ihc("1+")], EARLY).recommendation.text).toMatch(/not indicated/);
  });

  it("negative without an IHC score in metastatic disease says HER2-low cannot be told", () => {
    expect(run([dual(1.2, 2.5, LATE)], METASTATIC).recommendation.text).toMatch(/No IHC score/);
  });

  it("equivocal and indeterminate: complete testing first", () => {
    expect(run([ihc("2+")]).recommendation.text).toMatch(/complete HER2 testing/);
    expect(run([dual(undefined, 3)]).recommendation.text).toMatch(/complete HER2 testing/);
  });

  it("supports, never orders: no row tells the clinician to give a treatment", () => {
    for (const row of RECOMMENDATION_TABLE) {
      expect(row.text).not.toMatch(/\b(must|give|start|prescribe|administer)\b/i);
      expect(row.citations.length).toBeGreaterThan(0);
    }
  });

  it("every literature citation has a DOI link", () => {
    for (const c of allCitations().filter((x) => x.id !== "fhirObservationStatus" && x.id !== "fdaTdxd")) {
      expect(c.url).toMatch(/^https:\/\/doi\.org\/10\./);
    }
  });
});

/**
 * Issue 18.6: wording reviewed against the guideline and current practice. Expected texts from the trials: CLEOPATRA
 * (taxane for at least 6 cycles, trastuzumab + pertuzumab until progression), DESTINY-Breast03 (T-DXd second line),
 * HERA (one year of trastuzumab in total), KATHERINE (T-DM1 for residual invasive disease after neoadjuvant therapy).
 */
describe("recommendation wording (issue 18.6)", () => {
  it("metastatic first line: the taxane for a limited number of cycles, not until progression", () => {
    const text = run([ihc("3+", LATE)], METASTATIC).recommendation.text;
    expect(text).toMatch(/First line: trastuzumab \+ pertuzumab with a taxane/);
    expect(text).toMatch(/the taxane for at least 6 cycles/);
    expect(text).toMatch(/then trastuzumab \+ pertuzumab continued until progression/);
    expect(text).not.toMatch(/taxane[^.]*second line[^.]*until progression/i);
    expect(text).toMatch(/Second line: trastuzumab deruxtecan \(T-DXd, DESTINY-Breast03\)/);
  });

  it("early: one year of trastuzumab in total; T-DM1 for residual invasive disease after neoadjuvant therapy", () => {
    const r = run([ihc("3+")], EARLY).recommendation;
    expect(r.text).toMatch(/to complete one year of trastuzumab in total \(HERA\)/);
    expect(r.text).toMatch(
      /residual invasive disease at surgery makes trastuzumab emtansine \(T-DM1, 14 cycles\)/,
    );
    expect(r.citations).toEqual(
      expect.arrayContaining([CITATIONS.goldhirsch2013.text, CITATIONS.vonMinckwitz2019.text]),
    );
  });

  it("metastatic on trastuzumab + pertuzumab since 2024: named, continued until progression, T-DXd next", () => {
    const on = [
      therapy("pertuzumab", { start: "2024-03-04", status: "active" }),
      therapy("trastuzumab", { start: "2024-03-04", status: "active" }),
    ];
    const r = run([ihc("3+", LATE)], { ...METASTATIC, therapies: on }).recommendation;
    expect(r.text).toMatch(/On record: trastuzumab \+ pertuzumab since 2024-03-04 \(current\)\./);
    expect(r.text).toMatch(/at progression, trastuzumab deruxtecan is the second-line option to discuss/);
  });

  it("metastatic on T-DXd: named as the second-line standard", () => {
    const on = [therapy("fam-trastuzumab deruxtecan", { start: "2025-06-01" })];
    const r = run([ihc("3+", LATE)], { ...METASTATIC, therapies: on }).recommendation;
    expect(r.text).toMatch(/On record: trastuzumab deruxtecan \(T-DXd\) since 2025-06-01/);
    expect(r.text).toMatch(/second-line standard/);
  });

  it("early, trastuzumab started this year: completes one year in total, with the date", () => {
    const on = [therapy("trastuzumab", { start: "2026-03-01" })];
    const text = run([ihc("3+")], { ...EARLY, therapies: on }).recommendation.text;
    expect(text).toMatch(
      /continues to complete one year in total \(from 2026-03-01: until about 2027-03-01\)/,
    );
  });

  it("early, trastuzumab still open after more than a year: the planned duration is to be checked", () => {
    const on = [therapy("trastuzumab", { start: "2024-03-01" })];
    const text = run([ihc("3+")], { ...EARLY, therapies: on }).recommendation.text;
    expect(text).toMatch(/started more than a year ago[^.]*: check the planned duration/);
    expect(text).not.toMatch(/continues to complete one year/);
  });

  it("residual disease after neoadjuvant therapy while on trastuzumab: T-DM1 in place of trastuzumab", () => {
    const core = specimen("S-26-010", "2026-01-10", "Left breast");
    const surgery = specimen("S-26-400", "2026-07-20", "Left breast, mastectomy");
    const r = run(
      [
        ihc("3+", { specimen: core, date: "2026-01-11" }),
        ihc("1+", { specimen: surgery, date: "2026-07-21" }),
      ],
      { ...EARLY, therapies: [therapy("trastuzumab", { start: "2026-02-01" })] },
    ).recommendation;
    expect(r.text).toMatch(
      /Residual invasive disease after neoadjuvant therapy is on record: trastuzumab emtansine/,
    );
    expect(r.citations).toContain(CITATIONS.vonMinckwitz2019.text);
  });

  it("anti-HER2 therapy on record with a HER2-negative status: asks which result it was started on", () => {
    const on = [therapy("trastuzumab", { start: "2026-01-01" })];
    expect(run([ihc("1+")], { ...EARLY, therapies: on }).recommendation.text).toMatch(
      /although the current status is HER2-negative/,
    );
  });

  it("a completed course is not current therapy: no note", () => {
    const done = [therapy("trastuzumab", { start: "2020-01-01", end: "2021-01-01", status: "completed" })];
    expect(run([ihc("3+")], { ...EARLY, therapies: done }).recommendation.text).not.toMatch(/On record:/);
  });

  it("the notes support, never order", () => {
    const on = [therapy("trastuzumab", { start: "2024-03-01" })];
    for (const more of [EARLY, METASTATIC]) {
      const text = run([ihc("3+", LATE)], { ...more, therapies: on }).recommendation.text;
      expect(text).not.toMatch(/\b(must|give|start|prescribe|administer)\b/i);
    }
  });
});
