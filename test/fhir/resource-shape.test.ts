// @vitest-environment node
/**
 * The type guard's messages name the first misfit field by its path (src/fhir/resource-shape.ts): field names joined
 * by dots, list indexes in brackets, contained resources by their index; a resource that fits gives no message.
 */
import type { Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { malformedField } from "../../src/fhir/resource-shape";

const field = (resource: object): string | undefined => malformedField(resource as Resource);

describe("malformedField", () => {
  it("is undefined for a resource whose read fields all have their JSON types", () => {
    expect(
      field({
        resourceType: "Observation",
        id: "o1",
        code: { text: "HER2", coding: [{ system: "http://loinc.org", code: "85319-2" }] },
        valueQuantity: { value: 2.1, unit: "{ratio}" },
      }),
    ).toBeUndefined();
  });

  it("names a field by its path through objects and list indexes", () => {
    expect(
      field({
        resourceType: "Observation",
        code: { coding: [{ code: "85319-2" }, { system: "http://loinc.org", code: 85319 }] },
      }),
    ).toBe("code.coding[1].code is a number, not a string");
    expect(field({ resourceType: "Observation", code: { coding: "85319-2" } })).toBe(
      "code.coding is a string, not a list",
    );
    expect(field({ resourceType: "Observation", code: { coding: [null] } })).toBe(
      "code.coding[0] is null, not an object",
    );
  });

  it("names a field of a contained resource below its index", () => {
    expect(
      field({
        resourceType: "Observation",
        code: { text: "HER2" },
        contained: [
          { resourceType: "Specimen", id: "s1" },
          { resourceType: "Specimen", collection: { bodySite: { text: 5 } } },
        ],
      }),
    ).toBe("contained[1].collection.bodySite.text is a number, not a string");
  });
});
