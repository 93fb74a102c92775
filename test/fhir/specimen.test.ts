// @vitest-environment node
/** Specimen reading: decalcification (ASCO/CAP 2018: decalcified bone may give false-negative HER2 results). */
import type { Specimen } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { indexResources } from "../../src/fhir/fhir-utils";
import { specimenInfo } from "../../src/fhir/specimen";

function read(specimen: Partial<Specimen>) {
  const resource = { resourceType: "Specimen", id: "bone-1", ...specimen } as Specimen;
  return specimenInfo({ reference: "Specimen/bone-1" }, indexResources([resource]));
}

describe("specimenInfo: decalcified", () => {
  it.each<[string, Partial<Specimen>]>([
    ["processing description", { processing: [{ description: "Decalcified in formic acid, 6 h" }] }],
    ["processing procedure", { processing: [{ procedure: { coding: [{ display: "Decalcification" }] } }] }],
    ["specimen type text", { type: { text: "Bone core biopsy, decalcified" } }],
    ["note", { note: [{ text: "Specimen decalcified before embedding." }] }],
  ])("is read from the %s", (_, specimen) => {
    expect(read(specimen)?.decalcified).toBe(true);
  });

  it("is absent when nothing says so, and malformed processing never throws", () => {
    expect(read({ processing: [{ description: "Formalin-fixed, paraffin-embedded" }] })?.decalcified).toBe(
      undefined,
    );
    const malformed = { processing: "decalcified", note: [null] } as unknown as Partial<Specimen>;
    expect(read(malformed)?.decalcified).toBe(undefined);
  });
});
