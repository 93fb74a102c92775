// @vitest-environment node
import { readFileSync } from "node:fs";
import type { Bundle, Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { buildPatientInput } from "../../src/fhir/normalise";

/** The external mCODE test patients (not written by this team): HER2 as 18474-7, no dates, secondary cancers. */
function load(file: string): Resource[] {
  const path = `/work/shared/data/external/mcode-trial-matching/${file}`;
  const bundle = JSON.parse(readFileSync(path, "utf8")) as Bundle;
  return (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
}

describe("buildPatientInput on the external mCODE test patients", () => {
  const input = buildPatientInput({
    patient: "Patient/mCODETrialMatchingPatientExample01",
    resources: load("TrialMatching_Patient01.json"),
    asOf: "2026-11-25",
  });

  it("reads HER2 coded as 18474-7 with SNOMED Negative, without a date, as an IHC call without a score", () => {
    expect(input.tests).toHaveLength(1);
    const [test] = input.tests;
    expect(test).toMatchObject({
      source: "Observation/mCODETrialMatchingTumorMarker03PatientExample01",
      method: "ihc",
      reported: "negative",
      status: "final",
    });
    expect(test).not.toHaveProperty("score");
    expect(test).not.toHaveProperty("date");
  });

  it("ignores ER, PR and MSI tumour markers", () => {
    expect(input.tests.map((t) => t.source)).not.toContain(
      "Observation/mCODETrialMatchingTumorMarkerPatientExample01",
    );
  });

  it("records liver and bone metastases without onset, stage IV, and not the axillary node secondary", () => {
    const metastases = input.events.filter((e) => e.kind === "metastasis").map((e) => e.source);
    expect(metastases).toEqual(
      expect.arrayContaining([
        "Condition/mCODETrialMatchingSecondaryCancerCondition02PatientExample01",
        "Condition/mCODETrialMatchingSecondaryCancerCondition03PatientExample01",
        "Observation/mCODETrialMatchingTNMClinicalStageGroupExample01",
      ]),
    );
    expect(metastases).not.toContain("Condition/mCODETrialMatchingSecondaryCancerConditionPatientExample01");
    const liver = input.events.find((e) => e.source.endsWith("Condition02PatientExample01"));
    expect(liver?.date).toBeUndefined();
    expect(input.events.some((e) => e.kind === "primary")).toBe(true);
  });

  it("finds no anti-HER2 therapy among the endocrine and CDK4/6 MedicationStatements", () => {
    expect(input.therapies).toEqual([]);
  });
});
