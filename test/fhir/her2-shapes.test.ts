// @vitest-environment node
/**
 * Each HER2 Observation shape real EHRs produce, and the contract that matters: the rules receive the same test
 * record whichever shape carries a result.
 */
import type { DiagnosticReport, Observation, Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import type { Her2TestRecord } from "../../src/domain/types";
import { parseCodeMap } from "../../src/fhir/code-map";
import { buildPatientInput } from "../../src/fhir/normalise";
import { assessResources } from "./fixtures/assess";
import {
  BREAST_SPECIMEN,
  BREAST_SPECIMEN_REF,
  CERNER_EVENT_CODES,
  EPIC_ANSWER,
  EPIC_LAB,
  loinc,
  observation,
  quantityComponent,
  snomed,
} from "./fixtures/builders";

const SPECIMEN = BREAST_SPECIMEN;
const SPEC_REF = BREAST_SPECIMEN_REF;
const DATE = "2024-03-02T10:00:00Z";

const codeMap = parseCodeMap({
  observations: [{ system: EPIC_LAB, code: "768282-11", concept: "ihc", display: "HER2 IHC SCORE" }],
  answers: [{ system: EPIC_ANSWER, code: "3", meaning: "ihc-2+", display: "2+" }],
});

function tests(resources: Resource[]): Her2TestRecord[] {
  return buildPatientInput({
    patient: "Patient/p1",
    resources: [SPECIMEN, ...resources],
    asOf: "2026-11-25",
    codeMap,
  }).tests;
}

/** What the rules act on, without the provenance fields (source, readAs, rawValue) that name the shape. */
function essence(record: Her2TestRecord): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...record, date: record.date?.slice(0, 10) };
  delete rest.source;
  delete rest.readAs;
  delete rest.readAsText;
  delete rest.rawValue;
  return rest;
}

describe("IHC 2+ in every shape gives the same record", () => {
  const ihc = (id: string, rest: Partial<Observation>, code = loinc("85319-2")): Observation =>
    observation({ id, code, date: DATE, specimen: SPEC_REF }, rest);
  const shapes: Record<string, Observation[]> = {
    "valueInteger on LOINC 85319-2": [ihc("a", { valueInteger: 2 })],
    "valueQuantity without unit on 85319-2": [ihc("b", { valueQuantity: { value: 2 } })],
    "valueString '2+' on 18474-7": [ihc("c", { valueString: "2+" }, loinc("18474-7"))],
    "valueString 'Score 2+' (Synthea-like text)": [ihc("d", { valueString: "Score 2+" })],
    "Epic local code (code map) with local answer code": [
      ihc(
        "e",
        { valueCodeableConcept: { coding: [{ system: EPIC_ANSWER, code: "3", display: "2+" }] } },
        {
          coding: [{ system: EPIC_LAB, code: "768282-11", display: "HER2 IHC SCORE" }],
          text: "HER2 IHC SCORE",
        },
      ),
    ],
    "valueCodeableConcept with only text": [ihc("f", { valueCodeableConcept: { text: "2+" } })],
    "component of a HER2 breast panel": [
      observation(
        { id: "g", code: { text: "HER2 breast biomarker panel" }, date: DATE, specimen: SPEC_REF },
        { component: [{ code: loinc("85319-2"), valueString: "2+" }] },
      ),
    ],
  };
  const expected = {
    method: "ihc",
    score: "2+",
    status: "final",
    date: "2024-03-02",
    specimen: {
      reference: "Specimen/spec-1",
      label: "S24-1234",
      bodySite: "Left breast",
      collected: "2024-03-01",
    },
  };
  for (const [name, resources] of Object.entries(shapes)) {
    it(name, () => {
      const records = tests(resources);
      expect(records).toHaveLength(1);
      expect(essence(records[0] as Her2TestRecord)).toEqual(expected);
      expect(records[0]?.readAs).toBeTruthy();
    });
  }
});

describe("IHC 2+ reported with its call gives the same record", () => {
  const expected = { method: "ihc", score: "2+", reported: "equivocal", status: "final", date: "2024-03-02" };
  const shapes: Record<string, Observation> = {
    "valueString 'Score 2+ (equivocal)'": observation(
      { id: "a", code: loinc("85319-2"), date: DATE },
      { valueString: "Score 2+ (equivocal)" },
    ),
    "valueInteger with interpretation EQV": observation(
      { id: "b", code: loinc("85319-2"), date: DATE },
      {
        valueInteger: 2,
        interpretation: [
          {
            coding: [
              { system: "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", code: "EQV" },
            ],
          },
        ],
      },
    ),
    "valueCodeableConcept equivocal with the score in its text": observation(
      { id: "c", code: loinc("85319-2"), date: DATE },
      {
        valueCodeableConcept: {
          coding: [{ system: "http://snomed.info/sct", code: "42425007", display: "Equivocal" }],
          text: "Equivocal (2+)",
        },
      },
    ),
  };
  for (const [name, resource] of Object.entries(shapes)) {
    it(name, () => {
      const records = tests([resource]);
      expect(records.map(essence)).toEqual([expected]);
    });
  }
});

describe("dual-probe ISH (ratio 2.3, HER2 4.6, CEP17 2.0) in every shape gives the same record", () => {
  const members = (prefix: string, withDates: boolean): Observation[] => [
    observation(
      {
        id: `${prefix}-ratio`,
        code: loinc("49683-6"),
        ...(withDates ? { date: DATE, specimen: SPEC_REF } : {}),
      },
      { valueQuantity: { value: 2.3, unit: "{ratio}" } },
    ),
    observation(
      {
        id: `${prefix}-her2`,
        code: loinc("74860-8"),
        ...(withDates ? { date: DATE, specimen: SPEC_REF } : {}),
      },
      { valueQuantity: { value: 4.6, unit: "{copies}/{cell}" } },
    ),
    observation(
      {
        id: `${prefix}-cep17`,
        code: loinc("74861-6"),
        ...(withDates ? { date: DATE, specimen: SPEC_REF } : {}),
      },
      { valueQuantity: { value: 2.0, unit: "{copies}/{cell}" } },
    ),
  ];
  const report = (id: string, results: Observation[]): DiagnosticReport => ({
    resourceType: "DiagnosticReport",
    id,
    status: "final",
    code: loinc("85318-4"),
    subject: { reference: "Patient/p1" },
    effectiveDateTime: DATE,
    specimen: [SPEC_REF],
    result: results.map((r) => ({ reference: `Observation/${r.id ?? ""}` })),
  });
  const shapes: Record<string, Resource[]> = {
    "components of one FISH Observation": [
      observation(
        { id: "fish", code: loinc("85318-4"), date: DATE, specimen: SPEC_REF },
        {
          component: [
            quantityComponent("49683-6", 2.3),
            quantityComponent("74860-8", 4.6),
            quantityComponent("74861-6", 2.0),
          ],
        },
      ),
    ],
    "panel 74885-5 with hasMember (members without dates)": [
      observation(
        { id: "panel", code: loinc("74885-5"), date: DATE, specimen: SPEC_REF },
        { hasMember: members("m", false).map((m) => ({ reference: `Observation/${m.id ?? ""}` })) },
      ),
      ...members("m", false),
    ],
    "separate Observations grouped by a DiagnosticReport (Cerner-like)": [
      report("dr-1", members("c", false)),
      ...members("c", false),
    ],
    "separate Observations on the same specimen and day": members("s", true),
    "valueString with labelled numbers": [
      observation(
        { id: "text", code: loinc("85318-4"), date: DATE, specimen: SPEC_REF },
        {
          valueString:
            "HER2/CEP17 ratio 2.3; average HER2 copies per cell 4.6; average CEP17 copies per cell 2.0",
        },
      ),
    ],
    "Cerner event codes with LOINC, units as words": members("w", true).map((m) => ({
      ...m,
      code: {
        coding: [{ system: CERNER_EVENT_CODES, code: "2553495" }, ...(m.code.coding ?? [])],
        text: "HER2 FISH",
      },
      valueQuantity: {
        value: m.valueQuantity?.value ?? 0,
        unit: m.id?.endsWith("ratio") ? "ratio" : "copies/cell",
      },
    })),
  };
  const expected = {
    method: "ish-dual",
    ratio: 2.3,
    her2PerCell: 4.6,
    cep17PerCell: 2.0,
    status: "final",
    date: "2024-03-02",
    specimen: {
      reference: "Specimen/spec-1",
      label: "S24-1234",
      bodySite: "Left breast",
      collected: "2024-03-01",
    },
  };
  for (const [name, resources] of Object.entries(shapes)) {
    it(name, () => {
      expect(tests(resources).map(essence)).toEqual([expected]);
    });
  }
});

describe("calls, interpretations and other coded shapes", () => {
  it("reads 'POSITIVE (3+)' as score 3+ with the call positive", () => {
    const [record] = tests([
      observation({ id: "x", code: loinc("85319-2"), date: DATE }, { valueString: "POSITIVE (3+)" }),
    ]);
    expect(record).toMatchObject({ method: "ihc", score: "3+", reported: "positive" });
  });

  it("reads 'Amplified' on 31150-6 as a dual-probe ISH call without numbers", () => {
    const [record] = tests([
      observation({ id: "x", code: loinc("31150-6"), date: DATE }, { valueString: "Amplified" }),
    ]);
    expect(record).toMatchObject({ method: "ish-dual", reported: "positive" });
    expect(record).not.toHaveProperty("ratio");
  });

  it("reads 'Not amplified' as negative, not as amplified", () => {
    const [record] = tests([
      observation({ id: "x", code: loinc("85318-4"), date: DATE }, { valueString: "Not amplified" }),
    ]);
    expect(record).toMatchObject({ method: "ish-dual", reported: "negative" });
  });

  it("reads 48676-1 with LOINC answer LA6577-6 as the laboratory's interpretation", () => {
    const [record] = tests([
      observation(
        { id: "x", code: loinc("48676-1"), date: DATE },
        {
          valueCodeableConcept: {
            coding: [{ system: "http://loinc.org", code: "LA6577-6", display: "Negative" }],
          },
        },
      ),
    ]);
    expect(record).toMatchObject({ method: "interpretation", reported: "negative" });
  });

  it("reads Synthea's SNOMED Positive on 85319-2 as an IHC call without score", () => {
    const [record] = tests([
      observation(
        { id: "x", code: loinc("85319-2"), date: DATE },
        { valueCodeableConcept: snomed("10828004", "Positive (qualifier value)") },
      ),
    ]);
    expect(record).toMatchObject({ method: "ihc", reported: "positive" });
    expect(record).not.toHaveProperty("score");
  });

  it("reads an interpretation with ISH components as an interpretation and an ISH record", () => {
    const records = tests([
      observation(
        { id: "x", code: loinc("48676-1"), date: DATE },
        {
          valueCodeableConcept: snomed("10828004", "Positive"),
          component: [quantityComponent("49683-6", 2.5), quantityComponent("74860-8", 5.1)],
        },
      ),
    ]);
    expect(records.map((r) => r.method).sort()).toEqual(["interpretation", "ish-dual"]);
    expect(records.find((r) => r.method === "ish-dual")).toMatchObject({ ratio: 2.5, her2PerCell: 5.1 });
  });

  describe("a second observer's recount is attached to the count, in either shape", () => {
    const expected = {
      method: "ish-dual",
      ratio: 2.1,
      her2PerCell: 4.2,
      recount: { ratio: 1.9, her2PerCell: 3.8 },
    };
    it("as components of the FISH Observation", () => {
      const records = tests([
        observation(
          { id: "x", code: loinc("85318-4"), date: DATE, specimen: SPEC_REF },
          {
            component: [
              quantityComponent("49683-6", 2.1),
              quantityComponent("74860-8", 4.2),
              { code: { text: "HER2/CEP17 ratio, second observer recount" }, valueQuantity: { value: 1.9 } },
              { code: { text: "HER2 copies per cell, recount" }, valueQuantity: { value: 3.8 } },
            ],
          },
        ),
      ]);
      expect(records).toEqual([expect.objectContaining(expected)]);
    });
    it("as separate Observations on the same specimen and day", () => {
      const records = tests([
        observation(
          { id: "r1", code: loinc("49683-6"), date: DATE, specimen: SPEC_REF },
          { valueQuantity: { value: 2.1 } },
        ),
        observation(
          { id: "r2", code: loinc("74860-8"), date: DATE, specimen: SPEC_REF },
          { valueQuantity: { value: 4.2 } },
        ),
        observation(
          {
            id: "r3",
            code: {
              coding: [{ system: EPIC_LAB, code: "768282-51", display: "HER2/CEP17 RATIO BLINDED RECOUNT" }],
            },
            date: DATE,
            specimen: SPEC_REF,
          },
          { valueQuantity: { value: 1.9 } },
        ),
        observation(
          {
            id: "r4",
            code: {
              coding: [
                { system: EPIC_LAB, code: "768282-52", display: "HER2 COPIES PER CELL BLINDED RECOUNT" },
              ],
            },
            date: DATE,
            specimen: SPEC_REF,
          },
          { valueQuantity: { value: 3.8 } },
        ),
      ]);
      expect(records).toEqual([expect.objectContaining(expected)]);
    });
  });

  it("reads an IHC text that mentions cells as IHC only", () => {
    const records = tests([
      observation(
        { id: "x", code: loinc("85319-2"), date: DATE },
        { valueString: "3+ (complete membrane staining in 90% of cells; 200 cells counted)" },
      ),
    ]);
    expect(records).toEqual([expect.objectContaining({ method: "ihc", score: "3+" })]);
  });

  it("reads single-probe ISH when the method says so", () => {
    const [record] = tests([
      observation(
        { id: "x", code: loinc("74860-8"), date: DATE },
        {
          valueQuantity: { value: 4.8, unit: "{copies}/{cell}" },
          method: { text: "Single-probe ISH (HER2 only)" },
        },
      ),
    ]);
    expect(record).toMatchObject({ method: "ish-single", her2PerCell: 4.8 });
  });

  it("reads IHC 0 with ultralow staining detail", () => {
    const [record] = tests([
      observation(
        { id: "x", code: loinc("85319-2"), date: DATE },
        { valueString: "0 (ultralow: faint incomplete staining in <10% of cells)" },
      ),
    ]);
    expect(record).toMatchObject({ method: "ihc", score: "0", zeroDetail: "ultralow" });
  });

  describe("the staining detail of an IHC 0 comes from a component or a note", () => {
    const zero = (rest: Partial<Observation>) =>
      observation({ id: "x", code: loinc("85319-2"), date: DATE }, { valueString: "0", ...rest });
    const faint = (value: number) => ({
      code: { text: "Invasive tumour cells with faint, incomplete membrane staining" },
      valueQuantity: { value, unit: "%" },
    });
    it("5 % faint incomplete staining: ultralow", () => {
      expect(tests([zero({ component: [faint(5)] })])[0]).toMatchObject({
        score: "0",
        zeroDetail: "ultralow",
      });
    });
    it("0 %: null", () => {
      expect(tests([zero({ component: [faint(0)] })])[0]).toMatchObject({ score: "0", zeroDetail: "null" });
    });
    it("a note saying no membrane staining, on a coded Negative with the score as text: null", () => {
      const record = tests([
        observation(
          { id: "x", code: loinc("85319-2"), date: DATE },
          {
            valueCodeableConcept: { ...snomed("260385009", "Negative"), text: "0" },
            note: [{ text: "No membrane staining observed." }],
          },
        ),
      ])[0];
      expect(record).toMatchObject({ method: "ihc", score: "0", zeroDetail: "null", reported: "negative" });
    });
    it("more than 10 % faint staining contradicts a 0: unreadable", () => {
      expect(tests([zero({ component: [faint(30)] })])[0]).toMatchObject({ method: "unreadable" });
    });
    it("more than 10 % faint staining in the value text contradicts the 0: unreadable, with the reason", () => {
      const [record] = tests([zero({ valueString: "0, faint incomplete staining in 15% of cells" })]);
      expect(record).toMatchObject({ method: "unreadable" });
      expect((record as { reason: string }).reason).toMatch(/15% of cells; more than 10 % is 1\+, not 0/);
    });
    it("more than 10 % faint staining in the note contradicts the 0: unreadable, with the reason", () => {
      const [record] = tests([
        zero({ note: [{ text: "Faint, incomplete staining in 20% of tumour cells." }] }),
      ]);
      expect(record).toMatchObject({ method: "unreadable" });
      expect((record as { reason: string }).reason).toMatch(/more than 10 % is 1\+, not 0/);
    });
    it("10 % faint staining in the value text stays ultralow", () => {
      expect(tests([zero({ valueString: "0, faint incomplete staining in 10% of cells" })])[0]).toMatchObject(
        { method: "ihc", score: "0", zeroDetail: "ultralow" },
      );
    });
    it("no detail given: none invented", () => {
      expect(tests([zero({})])[0]).not.toHaveProperty("zeroDetail");
    });
  });

  describe("IHC 1+, 2+ and 3+ are defined by staining in more than 10 % of cells (Wolff 2018, Fig. 1)", () => {
    const scored = (valueString: string) =>
      tests([observation({ id: "x", code: loinc("85319-2"), date: DATE }, { valueString })])[0];
    it("1+ with faint staining in 5 % of cells contradicts the 1+ (that is 0): unreadable, with the reason", () => {
      const record = scored("1+ (faint incomplete staining in 5% of cells)");
      expect(record).toMatchObject({ method: "unreadable" });
      expect((record as { reason: string }).reason).toMatch(
        /IHC 1\+ but the text gives staining in 5% of cells; 1\+ needs more than 10 % of cells/,
      );
    });
    it("3+ in ≤10 % or <10 % of cells is not a 3+: unreadable", () => {
      for (const text of [
        "3+ in 5% of cells",
        "3+, complete intense staining in ≤10% of tumour cells",
        "2+ <10% cells",
      ])
        expect(scored(text), text).toMatchObject({ method: "unreadable" });
    });
    it("a share above 10 %, or a lower bound, is read as the score", () => {
      expect(scored("3+ (>10%)")).toMatchObject({ method: "ihc", score: "3+" });
      expect(scored("3+ (complete intense staining in 90% of cells)")).toMatchObject({ score: "3+" });
      expect(scored("1+ (faint staining in more than 10% of cells)")).toMatchObject({ score: "1+" });
      expect(scored("2+ (weak complete staining in 30%)")).toMatchObject({ score: "2+" });
    });
  });

  it("uses issued when there is no effective date, and the specimen's body site", () => {
    const [record] = tests([
      observation(
        { id: "x", code: loinc("85319-2"), specimen: SPEC_REF },
        { valueInteger: 1, issued: "2024-04-01T08:00:00Z" },
      ),
    ]);
    expect(record).toMatchObject({ date: "2024-04-01T08:00:00Z", specimen: { bodySite: "Left breast" } });
  });

  it("reads a DiagnosticReport conclusion when the report has no HER2 result Observations", () => {
    const report: DiagnosticReport = {
      resourceType: "DiagnosticReport",
      id: "path-1",
      status: "final",
      code: loinc("22637-3", "Pathology report final diagnosis Narrative"),
      subject: { reference: "Patient/p1" },
      effectiveDateTime: DATE,
      conclusion: "HER2 by IHC: score 3+",
    };
    const [record] = tests([report]);
    expect(record).toMatchObject({ source: "DiagnosticReport/path-1", method: "ihc", score: "3+" });
  });

  it("a report conclusion naming HER2 that cannot be read as one result is unreadable", () => {
    const report: DiagnosticReport = {
      resourceType: "DiagnosticReport",
      id: "path-2",
      status: "final",
      code: loinc("22637-3"),
      subject: { reference: "Patient/p1" },
      conclusion: "ER positive (90%), PR negative, HER2 equivocal by IHC; FISH to follow",
    };
    const [record] = tests([report]);
    expect(record).toMatchObject({ source: "DiagnosticReport/path-2", method: "unreadable" });
    expect((record as { reason: string }).reason).toMatch(/report conclusion/);
  });

  it("an ordered test without a result yet is a pending record of its method, not unreadable", () => {
    const records = tests([
      observation({ id: "a", code: loinc("85318-4"), status: "registered" }),
      observation({ id: "b", code: loinc("85319-2"), status: "preliminary" }),
    ]);
    expect(records).toEqual([
      expect.objectContaining({ source: "Observation/a", method: "ish-dual", status: "registered" }),
      expect.objectContaining({ source: "Observation/b", method: "ihc", status: "preliminary" }),
    ]);
    expect(records[0]).not.toHaveProperty("ratio");
  });

  it("keeps registered and cancelled statuses for the rules to judge", () => {
    const records = tests([
      observation({ id: "a", code: loinc("85319-2"), status: "preliminary" }, { valueString: "1+" }),
      observation({ id: "b", code: loinc("85319-2"), status: "entered-in-error" }, { valueString: "3+" }),
    ]);
    expect(records.map((r) => r.status)).toEqual(["preliminary", "entered-in-error"]);
  });

  it("lists serum HER2 (32996-1) as not a tissue HER2 status and ignores ER results", () => {
    const records = tests([
      observation({ id: "serum", code: loinc("32996-1") }, { valueQuantity: { value: 12, unit: "ng/mL" } }),
      observation(
        { id: "er", code: loinc("40556-3") },
        { valueCodeableConcept: snomed("10828004", "Positive") },
      ),
    ]);
    // Issue 12.5: excluded with a visible reason, no longer dropped silently.
    expect(records.map((r) => [r.source, r.notTissueHer2, r.rawValue])).toEqual([
      ["Observation/serum", "serum HER2 test (LOINC 32996-1), not a tissue HER2 status", "12 ng/mL"],
    ]);
  });

  it.each([
    "HER2/NEU EXTRACELLULAR DOMAIN",
    "HER2 ECD",
    "HER-2/neu oncoprotein, circulating",
    "HER2 shed antigen",
    "HER2/neu (serum)",
  ])("ignores a serum HER2 test named only by its text: %s", (display) => {
    const records = tests([
      observation(
        { id: "ecd", code: { coding: [{ system: EPIC_LAB, code: "4471", display }] }, date: DATE },
        { valueString: "Positive" },
      ),
      observation(
        { id: "ecd-n", code: { coding: [{ system: EPIC_LAB, code: "4472", display }] }, date: DATE },
        { valueQuantity: { value: 21.4, unit: "ng/mL" } },
      ),
    ]);
    expect(records.map((r) => r.notTissueHer2)).toEqual([
      "serum HER2 test (by its name), not a tissue HER2 status",
      "serum HER2 test (by its name), not a tissue HER2 status",
    ]);
  });

  it("reads a local code by its display text and says so", () => {
    const [record] = tests([
      observation(
        {
          id: "x",
          code: { coding: [{ system: EPIC_LAB, code: "99999", display: "HER2/NEU IHC" }] },
          date: DATE,
        },
        { valueString: "1+" },
      ),
    ]);
    expect(record).toMatchObject({ method: "ihc", score: "1+" });
    expect(record?.readAs).toContain("identified by display text only");
  });

  it("an unreadable result identified by display text only says so too", () => {
    const [record] = tests([
      observation(
        {
          id: "x",
          code: { coding: [{ system: EPIC_LAB, code: "99999", display: "HER2/NEU IHC" }] },
          date: DATE,
        },
        { valueString: "see report" },
      ),
    ]);
    expect(record).toMatchObject({ method: "unreadable" });
    expect(record?.readAs).toContain("identified by display text only");
  });

  it("an ISH record with a piece identified by display text only says so", () => {
    const records = tests([
      observation(
        { id: "r", code: { text: "HER2/CEP17 ratio (FISH)" }, date: DATE, specimen: SPEC_REF },
        { valueQuantity: { value: 2.3 } },
      ),
      observation(
        { id: "c", code: loinc("74860-8"), date: DATE, specimen: SPEC_REF },
        { valueQuantity: { value: 4.6, unit: "{copies}/{cell}" } },
      ),
    ]);
    expect(records).toEqual([expect.objectContaining({ method: "ish-dual", ratio: 2.3, her2PerCell: 4.6 })]);
    expect(records[0]?.readAs).toContain("identified by display text only");
  });
});

describe("results that cannot be read confidently are unreadable, with the reason", () => {
  const cases: Record<string, [Observation, RegExp]> = {
    "a range of scores": [
      observation({ id: "x", code: loinc("85319-2") }, { valueString: "1+ to 2+" }),
      /range/,
    ],
    "two different calls": [
      observation({ id: "x", code: loinc("85319-2") }, { valueString: "positive / negative" }),
      /more than one call/,
    ],
    "a ratio given only as a bound (Synthea 'greater than 2.2')": [
      observation({ id: "x", code: loinc("85318-4") }, { valueString: "greater than 2.2" }),
      /bound/,
    ],
    // "> 2.2" settles ratio ≥ 2.0 since issue 12.5 (report-shapes.test.ts); "> 1.8" settles nothing.
    "a ratio quantity with a comparator that does not settle the threshold": [
      observation({ id: "x", code: loinc("49683-6") }, { valueQuantity: { value: 1.8, comparator: ">" } }),
      /bound/,
    ],
    "a ratio with a percent unit": [
      observation({ id: "x", code: loinc("49683-6") }, { valueQuantity: { value: 30, unit: "%" } }),
      /unit/,
    ],
    "an IHC code whose method says FISH": [
      observation({ id: "x", code: loinc("85319-2") }, { valueString: "2+", method: { text: "FISH" } }),
      /method says ISH/,
    ],
    "a data absent reason": [
      observation(
        { id: "x", code: loinc("85319-2") },
        { dataAbsentReason: { text: "Specimen unsatisfactory" } },
      ),
      /Specimen unsatisfactory/,
    ],
    "an unlabelled number on a FISH result": [
      observation({ id: "x", code: loinc("85318-4") }, { valueString: "2.3" }),
      /without a label/,
    ],
    "text with no result": [
      observation({ id: "x", code: loinc("85319-2") }, { valueString: "see report" }),
      /"see report" only points elsewhere, and no note, derived-from result or report conclusion/,
    ],
    "a panel member that was not loaded": [
      observation({ id: "x", code: loinc("74885-5") }, { hasMember: [{ reference: "Observation/missing" }] }),
      /Observation\/missing was not loaded/,
    ],
    "a HER2 LOINC code whose display names another marker (Ki-67 filed under 85319-2)": [
      observation(
        {
          id: "x",
          code: {
            coding: [
              { system: "http://loinc.org", code: "85319-2", display: "Ki-67 [Percentile] in Specimen" },
            ],
          },
        },
        { valueQuantity: { value: 30, unit: "%" } },
      ),
      /another marker/,
    ],
    "an unrecognised answer code without text": [
      observation(
        { id: "x", code: loinc("85319-2") },
        { valueCodeableConcept: { coding: [{ system: "urn:local", code: "Q7" }] } },
      ),
      /not recognised/,
    ],
    "a negated score in text ('No 3+ staining seen')": [
      observation({ id: "x", code: loinc("85319-2") }, { valueString: "No 3+ staining seen" }),
      /negation/,
    ],
    "a score denied after it ('3+ staining not seen')": [
      observation({ id: "x", code: loinc("18474-7") }, { valueString: "3+ staining not seen" }),
      /negation/,
    ],
    "a negated call in text ('not positive')": [
      observation({ id: "x", code: loinc("48676-1") }, { valueString: "HER2 not positive" }),
      /negation/,
    ],
    "a negated call in a report conclusion-style text ('negative for 3+ staining')": [
      observation({ id: "x", code: loinc("85319-2") }, { valueString: "Negative for 3+ staining" }),
      /negation/,
    ],
    "a value contradicting its interpretation": [
      observation(
        { id: "x", code: loinc("48676-1") },
        {
          valueString: "Negative",
          interpretation: [
            {
              coding: [
                { system: "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", code: "POS" },
              ],
            },
          ],
        },
      ),
      /contradicts/,
    ],
  };
  for (const [name, [resource, reason]] of Object.entries(cases)) {
    it(name, () => {
      const records = tests([resource]);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ method: "unreadable", source: "Observation/x" });
      expect((records[0] as { reason: string }).reason).toMatch(reason);
    });
  }
});

describe("single-measure ISH Observations without specimen or grouping, filed the same day", () => {
  const cep17 = (id: string, value: number): Observation =>
    observation(
      { id, code: loinc("74861-6"), date: DATE },
      { valueQuantity: { value, unit: "{copies}/{cell}" } },
    );
  const ratio = (id: string, value: number, date = DATE): Observation =>
    observation({ id, code: loinc("49683-6"), date }, { valueQuantity: { value } });
  const copies = (id: string, value: number, date = DATE): Observation =>
    observation({ id, code: loinc("74860-8"), date }, { valueQuantity: { value, unit: "{copies}/{cell}" } });

  it("a ratio (49683-6) and HER2 copies (74860-8) on the same day are one ISH record, and readAs says why", () => {
    const records = tests([ratio("ratio-1", 2.3), copies("copies-1", 4.6, "2024-03-02T15:30:00Z")]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ method: "ish-dual", ratio: 2.3, her2PerCell: 4.6 });
    expect(records[0]?.readAs).toMatch(/combined from Observation\/copies-1, Observation\/ratio-1/);
    expect(records[0]?.readAs).toMatch(/share the effective date; no panel, report or specimen links them/);
  });

  it("ratio, HER2 and CEP17 copies of one day merge", () => {
    const records = tests([ratio("a", 2.3), copies("b", 4.6), cep17("c", 2.0)]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ method: "ish-dual", ratio: 2.3, her2PerCell: 4.6, cep17PerCell: 2.0 });
  });

  it("two ratios on the same day conflict: nothing is merged", () => {
    const records = tests([ratio("r1", 2.3), ratio("r2", 1.8), copies("c1", 4.6)]);
    expect(records).toHaveLength(3);
    expect(records.map((r) => r.readAs ?? "").join(" ")).not.toMatch(/combined|share the effective date/);
  });

  it("different days stay separate", () => {
    const records = tests([ratio("r1", 2.3), copies("c1", 4.6, "2024-05-10T10:00:00Z")]);
    expect(records).toHaveLength(2);
  });

  it("a piece with specimen data is not merged with one without", () => {
    const records = tests([
      observation(
        { id: "r1", code: loinc("49683-6"), date: DATE, specimen: SPEC_REF },
        { valueQuantity: { value: 2.3 } },
      ),
      copies("c1", 4.6),
    ]);
    expect(records).toHaveLength(2);
  });
});

describe("implausible ISH numbers in FHIR shapes are unreadable, never a group (issue 16 point 4)", () => {
  const panel = (id: string, ratio: number, her2: number): Observation =>
    observation(
      { id, code: loinc("85318-4"), date: DATE, specimen: SPEC_REF },
      {
        valueString: "Amplified",
        component: [
          quantityComponent("49683-6", ratio, "{ratio}"),
          quantityComponent("74860-8", her2, "{copies}/{cell}"),
        ],
      },
    );
  const assessed = (resources: Resource[]) => assessResources(resources, codeMap);

  it.each<[string, number, number, RegExp]>([
    ["ratio 1e308 in a component", 1e308, 8, /HER2\/CEP17 ratio 1e\+308 is not plausible/],
    ["ratio 0 in a component", 0, 8, /HER2\/CEP17 ratio 0 is not plausible/],
    ["HER2 copies 5000 per cell", 2.5, 5000, /average HER2 copies per cell 5000 is not plausible/],
  ])("%s: unreadable with the reason, the 'Amplified' beside it not used", (_name, ratio, her2, reason) => {
    const a = assessed([panel("ish", ratio, her2)]);
    expect(a.status).toBe("indeterminate");
    expect(a.unreadable.map((u) => u.resource)).toEqual(["Observation/ish"]);
    expect(a.unreadable[0]?.reason).toMatch(reason);
  });

  it("a ratio 1e308 filed as its own Observation (49683-6 valueQuantity) is unreadable", () => {
    const ratio = observation(
      { id: "ratio", code: loinc("49683-6"), date: DATE, specimen: SPEC_REF },
      { valueQuantity: { value: 1e308, unit: "{ratio}" } },
    );
    const a = assessed([ratio]);
    expect(a.status).toBe("indeterminate");
    expect(a.unreadable[0]?.reason).toMatch(/ratio 1e\+308 is not plausible/);
  });
});
