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
  it("leaves out resources whose subject is another patient, as a gap that may change the assessment", () => {
    const input = buildPatientInput({
      patient: `Patient/${PATIENT_ID}`,
      resources: EPIC_PATIENT_RESOURCES,
      asOf: "2026-11-25",
    });
    expect(input.tests.map((t) => t.source)).not.toContain("Observation/other-patient-ihc");
    expect(input.dataGaps).toEqual([
      {
        resourceType: "Observation",
        kind: "excluded",
        reason: `1 Observation resource(s) left out of the assessment because they cannot be proven to be Patient/${PATIENT_ID}'s (1 another patient): Observation/other-patient-ihc: it belongs to another patient (Patient/someone-else)`,
        reasonText: expect.objectContaining({ id: "fhir.gap.excluded" }) as unknown,
        affectsAssessment: true,
      },
    ]);
  });

  const withAbsoluteSubject = (base: string) =>
    EPIC_PATIENT_RESOURCES.map((r) =>
      r.resourceType === "Observation" && r.id === "ihc-1"
        ? { ...r, subject: { reference: `${base}/Patient/${PATIENT_ID}` } }
        : r,
    );

  it("matches the patient through an absolute reference on the data's own FHIR base", () => {
    const input = buildPatientInput({
      patient: `Patient/${PATIENT_ID}`,
      resources: withAbsoluteSubject("https://ehr.example.test/fhir/r4"),
      asOf: "2026-11-25",
      fhirBase: "https://ehr.example.test/fhir/r4/",
    });
    expect(input.tests.map((t) => t.source)).toContain("Observation/ihc-1");
  });

  it("leaves out an absolute reference to the same id on another server, or when the base is not known", () => {
    for (const fhirBase of ["https://ehr.example.test/fhir/r4", undefined]) {
      const input = buildPatientInput({
        patient: `Patient/${PATIENT_ID}`,
        resources: withAbsoluteSubject("https://elsewhere.example.test/fhir/r4"),
        asOf: "2026-11-25",
        ...(fhirBase ? { fhirBase } : {}),
      });
      expect(input.tests.map((t) => t.source)).not.toContain("Observation/ihc-1");
      expect(input.dataGaps).toContainEqual(
        expect.objectContaining({ resourceType: "Observation", kind: "excluded", affectsAssessment: true }),
      );
    }
  });
});
