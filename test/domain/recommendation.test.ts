/** Recommendation text by status, category and setting (HER2-GUIDELINE.md), with the trials behind each statement. */
import { describe, expect, it } from "vitest";
import { allCitations, CITATIONS, RECOMMENDATION_TABLE } from "../../src/domain";
import { dual, event, ihc, run } from "./build";

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
