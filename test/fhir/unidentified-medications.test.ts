// @vitest-environment node
/**
 * A medication order whose drug cannot be told (its medicationReference points to a Medication that did not load and
 * has no display, as in a Bulk Data export without Medication files) must not count as "no anti-HER2 therapy": the
 * therapy check is reported as not made, with the order named, instead of a flag saying trastuzumab is missing.
 */
import type { Medication, MedicationRequest, Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { assess } from "../../src/domain";
import { buildPatientInput } from "../../src/fhir/normalise";
import { loinc, observation } from "./fixtures/builders";

const AS_OF = "2026-11-25";
const ihc3 = observation({ id: "ihc", code: loinc("85319-2"), date: "2026-01-10" }, { valueString: "3+" });
const order = (id: string, rest: Partial<MedicationRequest>): MedicationRequest => ({
  resourceType: "MedicationRequest",
  id,
  status: "active",
  intent: "order",
  subject: { reference: "Patient/p1" },
  authoredOn: "2026-02-01",
  ...rest,
});
const toMissing = order("mr1", { medicationReference: { reference: "Medication/med-9" } });

function therapyFlag(resources: Resource[]) {
  const assessment = assess(buildPatientInput({ patient: "Patient/p1", resources, asOf: AS_OF }));
  expect(assessment.status).toBe("positive");
  return { assessment, flag: assessment.flags.find((f) => f.code === "anti-her2-therapy-not-found") };
}

describe("medication orders whose drug cannot be identified", () => {
  it("HER2-positive with only an order for a Medication that did not load: the therapy check is not made", () => {
    const { assessment, flag } = therapyFlag([ihc3, toMissing]);
    expect(flag?.state).toBe("not-checked");
    const gap = assessment.dataGaps.find((g) => g.resourceType === "Medication");
    expect(gap?.affectsAssessment).toBe(true);
    expect(gap?.reason).toContain("Medication/med-9");
    expect(gap?.reason).toContain("MedicationRequest/mr1");
  });

  it("the same order with the Medication loaded is read (here: letrozole, so the flag is raised)", () => {
    const letrozole: Medication = {
      resourceType: "Medication",
      id: "med-9",
      code: { text: "letrozole 2.5 mg" },
    };
    const { assessment, flag } = therapyFlag([ihc3, toMissing, letrozole]);
    expect(flag).toBeDefined();
    expect(flag?.state).toBeUndefined();
    expect(assessment.dataGaps.filter((g) => g.resourceType === "Medication")).toEqual([]);
  });

  it("an unresolved reference with a display naming the drug is identified by its display", () => {
    const named = order("mr2", {
      medicationReference: { reference: "Medication/med-7", display: "Herceptin 440 mg" },
    });
    const { assessment, flag } = therapyFlag([ihc3, named]);
    expect(flag).toBeUndefined();
    expect(assessment.dataGaps.filter((g) => g.resourceType === "Medication")).toEqual([]);
  });

  it("an order entered in error or not to be given does not make the check uncertain", () => {
    const voided = order("mr3", {
      status: "entered-in-error",
      medicationReference: { reference: "Medication/x" },
    });
    const refused = order("mr4", { doNotPerform: true, medicationReference: { reference: "Medication/y" } });
    const { flag } = therapyFlag([ihc3, voided, refused]);
    expect(flag).toBeDefined();
    expect(flag?.state).toBeUndefined();
  });

  it("trastuzumab found beside an unidentified order: no flag, and the gap is still listed", () => {
    const herceptin = order("mr5", { medicationCodeableConcept: { text: "trastuzumab 440 mg" } });
    const { assessment, flag } = therapyFlag([ihc3, toMissing, herceptin]);
    expect(flag).toBeUndefined();
    expect(assessment.dataGaps.some((g) => g.resourceType === "Medication")).toBe(true);
  });
});
