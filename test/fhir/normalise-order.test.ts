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
