// @vitest-environment node
/**
 * A malformed resource (here: null entries inside arrays, which FHIR JSON does not allow but a server or an export
 * can still send) must not take the whole patient down: it becomes an unreadable result or a data gap that names it,
 * and every other resource is still read.
 */
import type { Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { assess } from "../../src/domain";
import { buildPatientInput } from "../../src/fhir/normalise";
import { loinc, observation } from "./fixtures/builders";

const AS_OF = "2026-11-25";
const good = observation({ id: "ihc", code: loinc("85319-2"), date: "2026-01-10" }, { valueString: "3+" });

function build(resources: unknown[]) {
  return buildPatientInput({ patient: "Patient/p1", resources: resources as Resource[], asOf: AS_OF });
}

describe("buildPatientInput with malformed resources", () => {
  it("an Observation with a null coding becomes an unreadable result; the good result is still read", () => {
    const broken = { ...observation({ id: "bad", code: loinc("85319-2") }), code: { coding: [null] } };
    const input = build([good, broken]);
    expect(input.tests).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: "Observation/ihc", method: "ihc", score: "3+" }),
        expect.objectContaining({
          source: "Observation/bad",
          method: "unreadable",
          reason: expect.stringMatching(/could not be read/) as unknown,
        }),
      ]),
    );
    const assessment = assess(input);
    expect(assessment.flags.map((f) => f.code)).toContain("result-unreadable");
  });

  it("a Condition with a null component is a data gap that may change the assessment, naming the resource", () => {
    const condition = {
      resourceType: "Condition",
      id: "c-bad",
      subject: { reference: "Patient/p1" },
      code: { coding: [null], text: "Secondary malignant neoplasm of liver" },
    };
    const input = build([good, condition]);
    expect(input.tests.map((t) => t.source)).toEqual(["Observation/ihc"]);
    expect(input.dataGaps).toEqual([
      expect.objectContaining({
        resourceType: "Condition",
        affectsAssessment: true,
        reason: expect.stringContaining("Condition/c-bad could not be read") as unknown,
      }),
    ]);
  });

  it("null notes and components are handled the same way", () => {
    const withNote = { ...good, id: "n", note: [null] };
    const withComponent = { ...good, id: "k", component: [null] };
    expect(() => build([withNote, withComponent])).not.toThrow();
  });
});
