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

  // The check of a resource that fits goes by the resource's own fields (the fast path); a misfit is still named
  // in the order of the shape, whatever the order of the resource's fields.
  it("names the first misfit in the shape's order, not in the resource's", () => {
    expect(
      field({
        resourceType: "Observation",
        code: { coding: [{ code: 1 }], text: 2 },
        valueString: 3,
      }),
    ).toBe("valueString is a number, not a string");
    expect(field({ resourceType: "Observation", code: { coding: [{ code: 1 }], text: 2 } })).toBe(
      "code.text is a number, not a string",
    );
    expect(field({ resourceType: "Specimen", collection: { bodySite: { text: 5 } }, id: 7 })).toBe(
      "id is a number, not a string",
    );
  });

  it("ignores fields it does not read, whatever their names", () => {
    expect(
      field({
        resourceType: "Observation",
        constructor: 1,
        toString: null,
        ["__proto__"]: 5,
        hasOwnProperty: [],
        code: { text: "HER2", valueOf: 1, coding: [{ code: "85319-2", constructor: {} }] },
      }),
    ).toBeUndefined();
    expect(
      field(
        JSON.parse(
          '{"resourceType":"Observation","__proto__":{"id":5},"code":{"coding":[{"__proto__":[]}]}}',
        ) as object,
      ),
    ).toBeUndefined();
  });
});
