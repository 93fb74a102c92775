// @vitest-environment node
/**
 * normaliseReference (src/fhir/fhir-utils.ts): `Type/id`, `#id`, a base URL or a version dropped. A plain `Type/id`
 * is returned as it is without the general path; these cases sit on both sides of that shortcut's bounds.
 */
import { describe, expect, it } from "vitest";
import { normaliseReference } from "../../src/fhir/fhir-utils";

const id64 = "a".repeat(64);

describe("normaliseReference", () => {
  it.each([
    ["Patient/p1", "Patient/p1"],
    [" Observation/o-1.2 ", "Observation/o-1.2"],
    [`Specimen/${id64}`, `Specimen/${id64}`],
    // Too long for an id: the general path finds no `Type/id` at the end and keeps it as it is.
    [`Specimen/x${id64}`, `Specimen/x${id64}`],
    ["#s1", "#s1"],
    ["https://ehr.example.test/fhir/Specimen/s1", "Specimen/s1"],
    ["Specimen/s1/_history/2", "Specimen/s1"],
    ["Specimen/", "Specimen/"],
    ["/s1", "/s1"],
    ["Spec1men/s1", "men/s1"],
    ["Spec_imen/s1", "imen/s1"],
    ["Specimen/s_1", "Specimen/s_1"],
    ["Specimen/s1/", "Specimen/s1/"],
    ["[pecimen/s1", "pecimen/s1"],
    ["@Specimen/s1", "Specimen/s1"],
  ])("%j is %j", (reference, expected) => {
    expect(normaliseReference({ reference })).toBe(expected);
  });

  it("is undefined without a reference", () => {
    expect(normaliseReference(undefined)).toBeUndefined();
    expect(normaliseReference({ reference: " " })).toBeUndefined();
    expect(normaliseReference({ display: "x" })).toBeUndefined();
  });
});
