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

/** One of patient p1's resources, with the fields given. */
const own = (
  resourceType: string,
  id: string,
  fields: Record<string, unknown> = {},
): Record<string, unknown> => ({
  resourceType,
  id,
  subject: { reference: "Patient/p1" },
  ...fields,
});
const her2 = (fields: Record<string, unknown> = {}) =>
  own("Observation", "o", {
    status: "final",
    code: loinc("85319-2"),
    effectiveDateTime: "2026-01-12",
    specimen: { reference: "Specimen/s1" },
    valueString: "1+",
    ...fields,
  });
const report = own("DiagnosticReport", "d", { status: "final", code: loinc("85319-2") });
const drug = { medicationCodeableConcept: { text: "trastuzumab" } };

/** [resource, field path, wrong value]: each a wrong JSON type where the normalisers read the field. */
const MALFORMED: [Record<string, unknown>, string, unknown][] = [
  [her2(), "bodySite.text", 5],
  [her2(), "valueString", { text: "3+" }],
  [her2(), "code.coding", "85319-2"],
  [her2(), "code", "85319-2"],
  [her2(), "note", "see report"],
  [her2(), "effectiveDateTime", 20260112],
  [her2(), "specimen", "Specimen/s1"],
  [her2(), "component", { code: { text: "ratio" } }],
  [her2(), "interpretation", [null]],
  [her2({ valueString: undefined, valueQuantity: { value: 2.5 } }), "valueQuantity.value", "2.5"],
  [report, "conclusion", 3],
  [report, "result", "Observation/o"],
  [own("Specimen", "s1", { collection: { bodySite: { text: "breast" } } }), "collection.bodySite.text", 5],
  [own("Specimen", "s1"), "accessionIdentifier", "S-1"],
  [own("Condition", "c", { code: { text: "Secondary malignant neoplasm of liver" } }), "code.text", 5],
  [own("Condition", "c", { code: { text: "Breast cancer" } }), "bodySite", { text: "liver" }],
  [own("Condition", "c", { code: { text: "Breast cancer" } }), "onsetDateTime", {}],
  [own("MedicationRequest", "m", { status: "active", ...drug }), "medicationCodeableConcept.coding", "x"],
  [own("MedicationStatement", "m", { status: "active" }), "medicationCodeableConcept", "trastuzumab"],
  [own("MedicationAdministration", "m", { status: "completed", ...drug }), "effectiveDateTime", true],
  [own("MedicationDispense", "m", { status: "completed", ...drug }), "whenHandedOver", []],
  [{ resourceType: "Medication", id: "med", code: { text: "trastuzumab" } }, "code.coding", [null]],
  [own("Procedure", "pr", { status: "completed" }), "code", "biopsy"],
  [
    her2({ contained: [{ resourceType: "Specimen", id: "c1", collection: { bodySite: { text: 7 } } }] }),
    "contained[0].collection.bodySite.text",
    7,
  ],
];

function withField(resource: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(resource);
  const keys = path.split(".");
  let at: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    const index = /^(\w+)\[(\d+)\]$/.exec(key);
    at = (index ? (at[index[1] ?? ""] as unknown[])[Number(index[2])] : (at[key] ??= {})) as Record<
      string,
      unknown
    >;
  }
  at[keys.at(-1) ?? ""] = value;
  return copy;
}

describe("a field of the wrong type makes its resource unreadable, never the patient (issue 16, point 5)", () => {
  for (const [resource, path, value] of MALFORMED) {
    const ref = `${String(resource["resourceType"])}/${String(resource["id"])}`;
    it(`${ref} with ${path} = ${JSON.stringify(value)}`, () => {
      const broken = path.startsWith("contained") ? resource : withField(resource, path, value);
      const input = build([good, broken]);
      const named = [
        ...input.tests.flatMap((t) => (t.method === "unreadable" ? [t.reason] : [])),
        ...(input.dataGaps ?? []).map((g) => g.reason),
      ];
      expect(named).toEqual([expect.stringContaining(`${ref} could not be read`) as unknown]);
      expect(named[0]).toContain(path.replace(/^contained\[0\]\./, "contained[0]."));
      const assessment = assess(input);
      expect(assessment.status).toBe("positive");
      expect(assessment.evidence.filter((e) => e.used).map((e) => e.resource)).toEqual(["Observation/ihc"]);
    });
  }
});
