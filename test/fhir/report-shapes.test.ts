// @vitest-environment node
/**
 * Issue 12 point 5, the report shapes still missing at stop 19: serum HER2 and ERBB2 variants are not tissue HER2
 * status; the CAP wordings of IHC 0; numbers with comparators; a conclusion covering ER, PR, Ki-67 and HER2; CAP eCC
 * codes; a recount stored as its own Observation; 2013-era "ISH equivocal". Expected values are the guideline's
 * (Wolff 2018 Figs. 1-6, Wolff 2023, CAP breast biomarker template), named per vendor shape.
 */
import type { Observation, Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import type { Assessment } from "../../src/domain";
import { assessResources } from "./fixtures/assess";
import { BREAST_SPECIMEN_REF, EPIC_LAB, LOINC, loinc, observation } from "./fixtures/builders";

const DATE = "2024-03-02";
const assessed = (resources: Resource[]): Assessment => assessResources(resources);
const evidence = (a: Assessment, id: string) => a.evidence.find((e) => e.resource === `Observation/${id}`);

const ihc = (id: string, rest: Partial<Observation>): Observation =>
  observation({ id, code: loinc("85319-2"), date: DATE, specimen: BREAST_SPECIMEN_REF }, rest);

describe("1. serum HER2 and ERBB2 variants are not tissue HER2 status (listed, never used)", () => {
  it("Quest-style serum HER2/neu ECD 32996-1 (15.2 ng/mL) next to IHC 1+: listed with its reason, status from IHC", () => {
    const a = assessed([
      observation(
        { id: "serum", code: loinc("32996-1", "HER2 [Mass/volume] in Serum"), date: "2025-01-10" },
        { valueQuantity: { value: 15.2, unit: "ng/mL" } },
      ),
      ihc("ihc", { valueString: "1+" }),
    ]);
    expect(a.status).toBe("negative");
    expect(a.category).toBe("her2-low");
    const serum = evidence(a, "serum");
    expect(serum?.used).toBe(false);
    expect(serum?.notUsedReason).toBe(
      "not a tissue HER2 status: serum HER2 test (LOINC 32996-1), not a tissue HER2 status",
    );
    expect(a.unreadable).toEqual([]);
    expect(a.flags.map((f) => f.code)).not.toContain("result-unreadable");
  });

  it("serum HER2 alone: no tissue result on record (no-result), the serum test listed", () => {
    const a = assessed([
      observation(
        { id: "serum", code: { coding: [{ system: EPIC_LAB, code: "5001", display: "HER2/NEU, SERUM" }] } },
        { valueQuantity: { value: 21, unit: "ng/mL" } },
      ),
    ]);
    expect(a.status).toBe("no-result");
    expect(evidence(a, "serum")?.notUsedReason).toMatch(/not a tissue HER2 status: serum HER2 test/);
  });

  it("Genomics Reporting IG variant (69548-6, gene studied 48018-6 HGNC:3430 ERBB2, p.Leu755Ser): not HER2 status", () => {
    const variant = observation(
      {
        id: "variant",
        code: loinc("69548-6", "Genetic variant assessment"),
        date: "2025-02-01",
        specimen: BREAST_SPECIMEN_REF,
      },
      {
        valueCodeableConcept: { coding: [{ system: LOINC, code: "LA9633-4", display: "Present" }] },
        component: [
          {
            code: loinc("48018-6", "Gene studied [ID]"),
            valueCodeableConcept: {
              coding: [{ system: "http://www.genenames.org/geneId", code: "HGNC:3430", display: "ERBB2" }],
            },
          },
          { code: loinc("48005-3", "Amino acid change (pHGVS)"), valueString: "p.Leu755Ser" },
        ],
      },
    );
    const a = assessed([variant, ihc("ihc", { valueString: "Score 0, no staining" })]);
    expect(a.category).toBe("her2-0");
    expect(evidence(a, "variant")?.notUsedReason).toBe(
      "not a tissue HER2 status: ERBB2 gene variant result (LOINC 69548-6 Genetic variant assessment), not a tissue HER2 status",
    );
  });

  it("a genomic variant of another gene (PIK3CA) is not listed at all", () => {
    const a = assessed([
      observation(
        { id: "pik3ca", code: loinc("69548-6") },
        {
          component: [
            {
              code: loinc("48018-6"),
              valueCodeableConcept: {
                coding: [{ system: "http://www.genenames.org/geneId", code: "HGNC:8975" }],
              },
            },
          ],
        },
      ),
    ]);
    expect(a.evidence).toEqual([]);
  });

  it.each(["ERBB2 mutation analysis", "HER2 (ERBB2) NGS variant", "ERBB2 gene sequencing"])(
    "a local code named only by its text, %s: not HER2 status",
    (display) => {
      const a = assessed([
        observation(
          { id: "mut", code: { coding: [{ system: EPIC_LAB, code: "7001", display }] }, date: DATE },
          { valueString: "Positive: p.Val777Leu detected" },
        ),
      ]);
      expect(a.status).toBe("no-result");
      expect(evidence(a, "mut")?.notUsedReason).toMatch(/not a tissue HER2 status: ERBB2 gene variant/);
    },
  );
});

describe("2. the CAP wordings of IHC 0 decide HER2-0 (null) vs HER2-ultralow (Wolff 2023; CAP template 2023)", () => {
  it.each([
    ["No staining observed", "her2-0"],
    ["Negative (Score 0): No staining observed", "her2-0"],
    [
      "Membrane staining that is incomplete and is faint/barely perceptible and in ≤10% of tumor cells",
      "her2-ultralow",
    ],
    ["Incomplete, faint/barely perceptible membrane staining in <=10% of tumour cells", "her2-ultralow"],
    [
      "Faint, barely perceptible, incomplete membrane staining in 10% or less of invasive tumour cells",
      "her2-ultralow",
    ],
    ["Score 0: incomplete membrane staining that is faint in ≤ 10 % of tumor cells", "her2-ultralow"],
    [
      "Negative (Score 0). Membrane staining that is incomplete and is faint/barely perceptible and in ≤10% of tumor cells",
      "her2-ultralow",
    ],
  ])('Epic-style valueString "%s" -> %s', (text, category) => {
    const a = assessed([ihc("ihc", { valueString: text })]);
    expect(a.status).toBe("negative");
    expect(a.category).toBe(category);
    expect(a.unreadable).toEqual([]);
  });

  it("score 0 with the CAP ultralow wording in Observation.note (incomplete before faint): ultralow", () => {
    const a = assessed([
      ihc("ihc", {
        valueInteger: 0,
        note: [
          {
            text: "Membrane staining that is incomplete and is faint/barely perceptible and in ≤10% of tumor cells.",
          },
        ],
      }),
    ]);
    expect(a.category).toBe("her2-ultralow");
  });

  it.each([
    "Incomplete membrane staining that is faint/barely perceptible in >10% of tumour cells",
    "Incomplete, faint membrane staining in 15% of tumour cells",
  ])('"%s" is not IHC 0 (more than 10 % is 1+): unreadable, never ultralow', (text) => {
    const a = assessed([ihc("ihc", { valueString: text })]);
    expect(a.category).not.toBe("her2-ultralow");
    expect(a.category).not.toBe("her2-0");
  });

  it("a text giving both CAP wordings is not read as either", () => {
    const a = assessed([
      ihc("ihc", {
        valueString: "No staining observed; incomplete, faint membrane staining in ≤10% of tumour cells",
      }),
    ]);
    expect(a.category).not.toBe("her2-ultralow");
    expect(a.category).not.toBe("her2-0");
  });
});
