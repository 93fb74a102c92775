// @vitest-environment node
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildPatientInput } from "../../src/fhir/normalise";
import { EPIC_PATIENT_RESOURCES, PATIENT_ID } from "./fixtures/epic-patient";

describe("buildPatientInput is deterministic", () => {
  it("gives the same input whatever the order of the resources", () => {
    const build = (resources: typeof EPIC_PATIENT_RESOURCES) =>
      buildPatientInput({ patient: `Patient/${PATIENT_ID}`, resources, asOf: "2026-11-25" });
    const reference = build(EPIC_PATIENT_RESOURCES);
    expect(reference.tests.length).toBeGreaterThan(1);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(EPIC_PATIENT_RESOURCES, { minLength: EPIC_PATIENT_RESOURCES.length }),
        (shuffled) => {
          expect(build(shuffled)).toEqual(reference);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe("buildPatientInput keeps other patients out", () => {
  it("ignores resources whose subject is another patient, and records that it did", () => {
    const input = buildPatientInput({
      patient: `Patient/${PATIENT_ID}`,
      resources: EPIC_PATIENT_RESOURCES,
      asOf: "2026-11-25",
    });
    expect(input.tests.map((t) => t.source)).not.toContain("Observation/other-patient-ihc");
    expect(input.dataGaps).toEqual([
      {
        resourceType: "Observation",
        kind: "error",
        reason: "1 Observation resource(s) belong to another patient and were ignored",
        affectsAssessment: false,
      },
    ]);
  });

  it("matches the patient through an absolute reference", () => {
    const resources = EPIC_PATIENT_RESOURCES.map((r) =>
      r.resourceType === "Observation" && r.id === "ihc-1"
        ? { ...r, subject: { reference: `https://ehr.example.test/fhir/r4/Patient/${PATIENT_ID}` } }
        : r,
    );
    const input = buildPatientInput({ patient: `Patient/${PATIENT_ID}`, resources, asOf: "2026-11-25" });
    expect(input.tests.map((t) => t.source)).toContain("Observation/ihc-1");
  });
});
