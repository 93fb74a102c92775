// @vitest-environment node
/**
 * Issue 12 point 5, the report shapes still missing at stop 19: serum HER2 and ERBB2 variants are not tissue HER2
 * status; the CAP wordings of IHC 0; numbers with comparators; a conclusion covering ER, PR, Ki-67 and HER2; CAP eCC
 * codes; a recount stored as its own Observation; 2013-era "ISH equivocal". Expected values are the guideline's
 * (Wolff 2018 Figs. 1-6, Wolff 2023, CAP breast biomarker template), named per vendor shape.
 */
import type { DiagnosticReport, Observation, Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import type { Assessment } from "../../src/domain";
import { assessResources } from "./fixtures/assess";
import { BREAST_SPECIMEN_REF, EPIC_LAB, LOINC, loinc, observation } from "./fixtures/builders";

const DATE = "2024-03-02";
const assessed = (resources: Resource[]): Assessment => assessResources(resources);
const evidence = (a: Assessment, id: string) => a.evidence.find((e) => e.resource === `Observation/${id}`);

/** A final surgical-pathology DiagnosticReport (LOINC 22637-3) on the left-breast specimen with this conclusion. */
const report = (conclusion: string, id = "rep", code = "22637-3"): DiagnosticReport => ({
  resourceType: "DiagnosticReport",
  id,
  status: "final",
  code: loinc(code),
  subject: { reference: "Patient/p1" },
  effectiveDateTime: DATE,
  specimen: [BREAST_SPECIMEN_REF],
  conclusion,
});

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
    // Review (rules 2.0.0): a lower bound allows more than 10 %.
    "Incomplete, faint membrane staining in >5% of tumour cells",
    "Faint incomplete membrane staining in more than 5% of tumour cells",
  ])('"%s" is not IHC 0 (more than 10 % is 1+): unreadable, never ultralow', (text) => {
    const a = assessed([ihc("ihc", { valueString: text })]);
    expect(a.category).not.toBe("her2-ultralow");
    expect(a.category).not.toBe("her2-0");
  });

  it("a control's staining is not the tumour's score (review, rules 2.0.0)", () => {
    const a = assessed([
      ihc("ihc", { valueString: "See final report. Internal negative control: no staining observed" }),
    ]);
    expect(a.category).not.toBe("her2-0");
    expect(a.status).not.toBe("negative");
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

describe("3. numbers with units or comparators: read where the bound settles the threshold (Wolff 2018 Figs. 2-3)", () => {
  const ishObs = (id: string, code: string, rest: Partial<Observation>): Observation =>
    observation({ id, code: loinc(code), date: DATE, specimen: BREAST_SPECIMEN_REF }, rest);
  const panel = (ratio: Partial<Observation>, copies: Partial<Observation>): Observation[] => [
    observation(
      { id: "panel", code: loinc("74885-5"), date: DATE, specimen: BREAST_SPECIMEN_REF },
      { hasMember: [{ reference: "Observation/ratio" }, { reference: "Observation/copies" }] },
    ),
    ishObs("ratio", "49683-6", ratio),
    ishObs("copies", "74860-8", copies),
  ];
  const ishEvidence = (a: Assessment) => a.evidence.find((e) => e.method === "ish-dual");

  it('Cerner-style valueString "2.00" ratio and "≥6.0 signals/cell": group 1, positive', () => {
    const a = assessed(panel({ valueString: "2.00" }, { valueString: "≥6.0 signals/cell" }));
    expect(a.status).toBe("positive");
    expect(ishEvidence(a)?.value).toContain("HER2/cell ≥ 6 (settles HER2 signals per cell ≥ 6.0)");
  });

  it('valueQuantity comparator ">" 10 copies per cell with ratio 4.1: group 1, positive, shown as "> 10"', () => {
    const a = assessed(
      panel(
        { valueQuantity: { value: 4.1 } },
        { valueQuantity: { value: 10, comparator: ">", unit: "/cell" } },
      ),
    );
    expect(a.status).toBe("positive");
    expect(ishEvidence(a)?.value).toBe("ratio 4.1, HER2/cell > 10 (settles HER2 signals per cell ≥ 6.0)");
    expect(ishEvidence(a)?.value).not.toContain("10/cell");
  });

  it('ratio "<2.0" with 2.8 copies per cell: group 5, negative (the bound settles ratio < 2.0)', () => {
    const a = assessed(panel({ valueString: "<2.0" }, { valueQuantity: { value: 2.8, unit: "/cell" } }));
    expect(a.status).toBe("negative");
    expect(ishEvidence(a)?.value).toContain("ratio < 2 (settles ratio < 2.0)");
  });

  it('copies "<4.5" does not settle the 4.0-6.0 band: unreadable with the reason, never a group', () => {
    const a = assessed(panel({ valueQuantity: { value: 1.4 } }, { valueString: "<4.5" }));
    expect(a.status).not.toBe("negative");
    expect(a.unreadable.map((u) => u.reason).join(" ")).toMatch(/does not settle/);
  });

  it('ratio "> 1.8" does not settle the 2.0 threshold: unreadable', () => {
    const a = assessed(panel({ valueString: "> 1.8" }, { valueQuantity: { value: 5, unit: "/cell" } }));
    expect(a.unreadable.map((u) => u.reason).join(" ")).toMatch(/does not settle/);
  });

  it("a ratio written with a per-cell unit is not read as a ratio", () => {
    const a = assessed(
      panel({ valueString: "2.3 signals/cell" }, { valueQuantity: { value: 5, unit: "/cell" } }),
    );
    expect(a.unreadable.map((u) => u.reason).join(" ")).toMatch(/unit/);
  });

  it('conclusion text "HER2/CEP17 ratio < 2.0; HER2 signals per cell > 10 (FISH)": group 3', () => {
    const a = assessed([
      report("HER2 FISH: HER2/CEP17 ratio < 2.0; HER2 signals per cell > 10", "rep", "85318-4"),
    ]);
    expect(ishEvidence(a)?.interpretation).toMatch(/group 3/);
  });
});

describe("4. a conclusion covering ER, PR, Ki-67 and HER2 is split into its HER2 parts", () => {
  const byMethod = (a: Assessment, method: string) => a.evidence.filter((e) => e.method === method);

  it("Epic-style synoptic conclusion: ER 95 %, PR 40 %, Ki-67 20 %, HER2 IHC 2+, FISH not amplified -> HER2-low", () => {
    const a = assessed([
      report(
        "ER: Positive (95%, strong); PR: Positive (40%, moderate); Ki-67: 20%; HER2 IHC: 2+ (equivocal); " +
          "HER2 FISH: Not amplified, HER2/CEP17 ratio 1.4, average HER2 copy number 2.8 signals per cell",
      ),
    ]);
    expect(a.status).toBe("negative");
    expect(a.category).toBe("her2-low");
    expect(a.unreadable).toEqual([]);
    expect(byMethod(a, "ihc").map((e) => e.value)).toEqual(["2+"]);
    expect(byMethod(a, "ish-dual").map((e) => e.value)).toEqual(["ratio 1.4, HER2 2.8/cell"]);
    // The percentages of ER, PR and Ki-67 are not HER2 numbers.
    expect(JSON.stringify(a.evidence)).not.toMatch(/95|40 cells|20 cells/);
  });

  it("newline-separated Cerner-style text with oestrogen / progesterone receptor and MIB-1: HER2 IHC 3+ -> positive", () => {
    const a = assessed([
      report(
        "Oestrogen receptor: positive, Allred 8/8 (90%)\nProgesterone receptor: negative (0%)\n" +
          "Ki67 (MIB-1): 35%\nHER2 (immunohistochemistry): positive (3+)",
      ),
    ]);
    expect(a.status).toBe("positive");
    expect(byMethod(a, "ihc").map((e) => e.value)).toEqual(["3+"]);
    expect(a.unreadable).toEqual([]);
  });

  it("ER 1+ / PR 2+ intensities next to HER2 IHC 0 are not read as HER2 scores", () => {
    const a = assessed([
      report("ER: positive, 80%, intensity 3+. PR: positive, 10%, 2+. HER2 IHC: 0, no staining observed."),
    ]);
    expect(a.category).toBe("her2-0");
    expect(byMethod(a, "ihc").map((e) => e.value)).toEqual(["0"]);
  });

  it("a HER2 part naming no method among other markers is unreadable, with the part named", () => {
    const a = assessed([report("ER: positive (90%). PR: positive (50%). HER2: negative.")]);
    expect(a.status).not.toBe("negative");
    expect(a.unreadable.map((u) => u.reason).join(" ")).toMatch(/"HER2: negative" names no HER2 method/);
  });

  it("HER2 IHC and ISH in one text without other markers: each part read (IHC 2+, ISH group 1 -> positive)", () => {
    const a = assessed([
      report(
        "HER2 by IHC: 2+ (equivocal). HER2 by FISH: amplified; HER2/CEP17 ratio 2.6; HER2 signals per cell 6.3.",
      ),
    ]);
    expect(a.status).toBe("positive");
    expect(byMethod(a, "ihc").map((e) => e.value)).toEqual(["2+"]);
  });
});

describe("5. CAP eCC codes (HL7 cancer-reporting IG and mCODE biomarker examples)", () => {
  const eccIhc = (id: string, system: string, question: string, answer: { code: string; display: string }) =>
    observation(
      {
        id,
        code: { coding: [{ system, code: question, display: "HER2 (by immunohistochemistry)" }] },
        date: DATE,
        specimen: BREAST_SPECIMEN_REF,
      },
      { valueCodeableConcept: { coding: [{ system, ...answer }] } },
    );

  it("cancer-reporting IG shape: 52399.100004300 with answer 40505.100004300 Negative (Score 0) -> HER2-0, coded", () => {
    const a = assessed([
      eccIhc("ecc", "https://cap.org/eCC", "52399.100004300", {
        code: "40505.100004300",
        display: "Negative (Score 0)",
      }),
    ]);
    expect(a.status).toBe("negative");
    expect(a.category).toBe("her2-0");
    expect(evidence(a, "ecc")?.readAs).toMatch(/code: CAP eCC 52399\.100004300/);
    expect(evidence(a, "ecc")?.readAs).toMatch(/coded as CAP eCC 40505\.100004300/);
    expect(evidence(a, "ecc")?.readAs).not.toMatch(/display text only/);
  });

  it("mCODE biomarker shape (http://cap.org/eCC): 31012.100004300 with 31016.100004300 Negative (Score 1+) -> HER2-low", () => {
    const a = assessed([
      eccIhc("ecc", "http://cap.org/eCC", "31012.100004300", {
        code: "31016.100004300",
        display: "Negative (Score 1+)",
      }),
    ]);
    expect(a.category).toBe("her2-low");
    expect(evidence(a, "ecc")?.readAs).toMatch(/coded as CAP eCC 31016\.100004300/);
  });

  it("an eCC answer not in the table (2+) is read from its display text and reported as such", () => {
    const a = assessed([
      eccIhc("ecc", "http://cap.org/eCC", "52399.100004300", {
        code: "99999.100004300",
        display: "Equivocal (Score 2+)",
      }),
    ]);
    expect(evidence(a, "ecc")?.value).toBe("2+");
    expect(evidence(a, "ecc")?.readAs).toMatch(/display text of an unrecognised code/);
    expect(a.flags.map((f) => f.code)).toContain("reflex-ish-missing");
  });

  it("the eCC ER question 45138.100004300 (cancer-reporting IG) is not HER2", () => {
    const a = assessed([
      observation(
        {
          id: "er",
          code: {
            coding: [
              {
                system: "http://cap.org/eCC",
                code: "45138.100004300",
                display: "Estrogen Receptor (ER) Status",
              },
            ],
          },
        },
        { valueCodeableConcept: { text: "Positive" } },
      ),
    ]);
    expect(a.evidence).toEqual([]);
  });
});

describe("6. a recount stored as its own Observation is the recount of that count (Wolff 2018 Figs. 4-6)", () => {
  const fish = (id: string, date: string, ratio: number, copies: number, rest: Partial<Observation> = {}) =>
    observation(
      { id, code: loinc("85318-4"), date, specimen: BREAST_SPECIMEN_REF },
      {
        component: [
          { code: loinc("49683-6"), valueQuantity: { value: ratio } },
          { code: loinc("74860-8"), valueQuantity: { value: copies, unit: "/cell" } },
        ],
        ...rest,
      },
    );
  const ihc2 = ihc("ihc", { valueString: "2+" });
  const dual = (a: Assessment) => a.evidence.filter((e) => e.method === "ish-dual");

  it("Epic-style recount filed three days later, derivedFrom the count: group 4 + IHC 2+ + recount group 4 -> negative", () => {
    const a = assessed([
      ihc2,
      fish("fish", "2024-03-02", 1.6, 4.8),
      fish("recount", "2024-03-05", 1.7, 4.6, {
        code: { ...loinc("85318-4"), text: "HER2 FISH blinded recount" },
        derivedFrom: [{ reference: "Observation/fish" }],
      }),
    ]);
    expect(a.status).toBe("negative");
    expect(a.category).toBe("her2-low");
    expect(dual(a)).toHaveLength(1);
    expect(dual(a)[0]?.value).toBe("ratio 1.6, HER2 4.8/cell, recount ratio 1.7, HER2 4.6/cell");
    expect(a.flags.map((f) => f.code)).not.toContain("recount-needed");
    expect(a.flags.map((f) => f.code)).not.toContain("discordant-results");
  });

  it("recount named by Observation.method ('second observer'), no derivedFrom, same specimen: group 3 recount -> positive", () => {
    const a = assessed([
      ihc2,
      fish("fish", "2024-03-02", 1.8, 6.4),
      fish("recount", "2024-03-04", 1.9, 6.2, {
        method: { text: "Manual count, second observer (blinded)" },
      }),
    ]);
    expect(a.status).toBe("positive");
    expect(dual(a)).toHaveLength(1);
  });

  it("a recount alone (the first count not on record) is read as the count, as before", () => {
    const a = assessed([
      ihc2,
      fish("recount", "2024-03-04", 1.2, 2.4, { method: { text: "second observer" } }),
    ]);
    expect(a.status).toBe("negative");
  });
});
