// @vitest-environment node
/**
 * One `Type/id` received more than once (issue 16, point 2): identical copies are one resource; differing copies are
 * both shown and neither is used, never "the last one wins".
 */
import type { Condition, Observation, Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { assess } from "../../src/domain";
import { splitDuplicates } from "../../src/fhir/duplicates";
import { buildPatientInput } from "../../src/fhir/normalise";
import { loinc, observation } from "./fixtures/builders";

const AS_OF = "2026-11-25";
const ihc3 = observation({ id: "ihc", code: loinc("85319-2"), date: "2026-01-10" }, { valueString: "3+" });
const ihc1 = { ...ihc3, valueString: "1+" };

function build(resources: Resource[]) {
  return buildPatientInput({ patient: "Patient/p1", resources, asOf: AS_OF });
}

describe("duplicate resource ids", () => {
  it("merges identical copies, whatever their key order", () => {
    const reordered = Object.fromEntries(Object.entries(ihc3).reverse()) as unknown as Resource;
    const input = build([ihc3, reordered, structuredClone(ihc3)]);
    expect(input.tests).toEqual(build([ihc3]).tests);
    expect(assess(input).status).toBe("positive");
  });

  it("differing copies of a HER2 result: both are shown as unreadable, neither is used, in either order", () => {
    for (const resources of [
      [ihc3, ihc1],
      [ihc1, ihc3],
    ]) {
      const assessment = assess(build(resources));
      expect(assessment.status).toBe("indeterminate");
      expect(assessment.category).toBe("unknown");
      expect(assessment.unreadable).toHaveLength(2);
      const reasons = assessment.unreadable.map((u) => u.reason).join(" | ");
      expect(reasons).toContain("Observation/ihc was received 2 times with different contents");
      expect(reasons).toContain('"score":"3+"');
      expect(reasons).toContain('"score":"1+"');
      expect(assessment.flags.map((f) => f.code)).toContain("result-unreadable");
    }
  });

  it("differing copies of one result make their specimen not conclusive, even when another result on it is", () => {
    const specimen = { reference: "Specimen/s1" };
    const ihcA = { ...ihc3, specimen };
    const ihcB = { ...ihc1, specimen };
    // Dual-probe ISH group 1 (ratio 2.5, 5.5 copies) on the same specimen: positive on its own.
    const ish = observation(
      { id: "ish", code: loinc("48676-1"), date: "2026-01-10" },
      { valueString: "Positive (ratio 2.5)" },
    );
    const onSpecimen = { ...ish, specimen };
    const alone = assess(build([onSpecimen]));
    expect(alone.status).toBe("positive");
    const assessment = assess(build([ihcA, ihcB, onSpecimen]));
    expect(assessment.status).toBe("indeterminate");
    expect(assessment.statusReason).toContain("Observation/ihc came in copies with different contents");
  });

  it("differing copies of a Condition are a data gap that may change the assessment", () => {
    const condition: Condition = {
      resourceType: "Condition",
      id: "c1",
      subject: { reference: "Patient/p1" },
      code: { text: "Secondary malignant neoplasm of liver" },
      onsetDateTime: "2025-01-01",
    };
    const input = build([ihc3, condition, { ...condition, onsetDateTime: "2020-01-01" }]);
    expect(input.events).toEqual([]);
    expect(input.dataGaps).toEqual([
      expect.objectContaining({
        resourceType: "Condition",
        affectsAssessment: true,
        reason: expect.stringContaining(
          "Condition/c1 was received 2 times with different contents",
        ) as unknown,
      }),
    ]);
  });

  it("a malformed copy (found by the fuzz test, which crashed here) is named unreadable with the other copy", () => {
    const malformed = { ...ihc3, valueString: 3 } as unknown as Resource;
    const assessment = assess(build([ihc1, malformed]));
    expect(assessment.status).toBe("indeterminate");
    expect(assessment.unreadable.map((u) => u.reason).join(" | ")).toContain("valueString is a number");
  });

  it("a differing copy of another laboratory result changes nothing", () => {
    const hb = observation({ id: "hb", code: loinc("718-7"), date: "2026-01-10" }, { valueString: "12" });
    const input = build([ihc3, hb, { ...hb, valueString: "13" }]);
    expect(input).toEqual(build([ihc3]));
  });
});

describe("splitDuplicates", () => {
  it("keeps every resource in order, in a list of its own, when no Type/id comes twice", () => {
    const resources: Resource[] = [
      { resourceType: "Observation", id: "a" },
      { resourceType: "Observation" },
      { resourceType: "Condition", id: "a" },
      { resourceType: "Observation" },
    ];
    const split = splitDuplicates(resources);
    expect(split.unique).toEqual(resources);
    expect(split.unique).not.toBe(resources);
    expect(split.conflicting.size).toBe(0);
  });

  it("keeps the first of identical copies and lists differing ones in the order their Type/id first came", () => {
    const resources: Partial<Observation>[] = [
      { resourceType: "Observation", id: "b", status: "final" },
      { resourceType: "Observation", id: "a", status: "final" },
      { resourceType: "Observation", id: "c" },
      { resourceType: "Observation", id: "a", status: "amended" },
      { resourceType: "Observation", id: "c" },
      { resourceType: "Observation", id: "b", status: "amended" },
    ];
    const split = splitDuplicates(resources as Resource[]);
    expect(split.unique).toEqual([{ resourceType: "Observation", id: "c" }]);
    expect([...split.conflicting.keys()]).toEqual(["Observation/b", "Observation/a"]);
  });
});
