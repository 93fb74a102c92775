// @vitest-environment node
/**
 * en() keeps the English of descriptors without values by id (src/domain/text.ts): the same string as rendering it,
 * nested or not, and forgotten when a layer registers its messages, so a catalog change is never hidden.
 */
import { describe, expect, it } from "vitest";
import { addEnglishMessages, en, type Text } from "../../src/domain/text";

describe("en() of descriptors without values", () => {
  it("renders the catalog's text, alone and nested, and follows a catalog registered later", () => {
    const plain: Text = { id: "fhir.test.english-cache" };
    addEnglishMessages({ "fhir.test.english-cache": "first words" });
    expect(en(plain)).toBe("first words");
    expect(en({ id: "fhir.test.english-cache" })).toBe("first words");
    addEnglishMessages({ "fhir.test.english-cache": "second words" });
    expect(en(plain)).toBe("second words");
    expect(en({ id: "join.semicolon", values: { first: plain, rest: plain } })).toBe(
      "second words; second words",
    );
    expect(en({ id: "join.semicolon", values: { first: "a", rest: { id: "call.negative" } } })).toBe(
      `a; ${en({ id: "call.negative" })}`,
    );
  });
});
