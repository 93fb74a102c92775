// @vitest-environment node
import type { FhirResource, Medication, MedicationRequest } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { EMPTY_CODE_MAP, parseCodeMap } from "../../src/fhir/code-map";
import { indexResources } from "../../src/fhir/fhir-utils";
import { antiHer2DrugsOf, buildTherapies } from "../../src/fhir/medications";
import { RXNORM } from "./fixtures/builders";

function therapies(resources: FhirResource[], codeMap = EMPTY_CODE_MAP) {
  return buildTherapies(resources, indexResources(resources), codeMap);
}

const request = (id: string, rest: Partial<MedicationRequest>): MedicationRequest => ({
  resourceType: "MedicationRequest",
  id,
  status: "active",
  intent: "order",
  subject: { reference: "Patient/p1" },
  ...rest,
});

describe("anti-HER2 drugs by name", () => {
  it.each([
    ["Herceptin 150 mg vial", ["trastuzumab"]],
    ["trastuzumab-anns (Kanjinti) 420 mg", ["trastuzumab"]],
    ["Ogivri", ["trastuzumab"]],
    ["Herceptin Hylecta 600 mg/10,000 units SC", ["trastuzumab and hyaluronidase"]],
    [
      "Phesgo (pertuzumab, trastuzumab, and hyaluronidase-zzxf)",
      ["pertuzumab, trastuzumab and hyaluronidase"],
    ],
    ["PERJETA 420 MG/14ML IV SOLN", ["pertuzumab"]],
    ["Kadcyla", ["ado-trastuzumab emtansine"]],
    ["fam-trastuzumab deruxtecan-nxki (Enhertu)", ["fam-trastuzumab deruxtecan"]],
    ["T-DXd", ["fam-trastuzumab deruxtecan"]],
    ["TUKYSA 150 MG TABLET", ["tucatinib"]],
    ["Nerlynx", ["neratinib"]],
    ["lapatinib 250 mg", ["lapatinib"]],
    ["Margenza", ["margetuximab"]],
    // Biosimilars by suffix (FDA Purple Book names) and brand.
    ["trastuzumab-dkst 150 mg", ["trastuzumab"]],
    ["trastuzumab-qyyp (Trazimera)", ["trastuzumab"]],
    ["trastuzumab-pkrb", ["trastuzumab"]],
    ["trastuzumab-dttb (Ontruzant)", ["trastuzumab"]],
    ["trastuzumab-strf (Hercessi)", ["trastuzumab"]],
    ["Herzuma 420 mg", ["trastuzumab"]],
    ["pertuzumab/trastuzumab/hyaluronidase-zzxf 1200 mg", ["pertuzumab, trastuzumab and hyaluronidase"]],
    ["ado-trastuzumab emtansine", ["ado-trastuzumab emtansine"]],
    ["letrozole 2.5 mg", []],
    ["bevacizumab", []],
  ])("%s -> %j", (text, drugs) => {
    expect(antiHer2DrugsOf([{ text }], EMPTY_CODE_MAP)).toEqual(drugs);
  });

  it("trastuzumab with pertuzumab as one regimen text gives both", () => {
    expect(
      antiHer2DrugsOf([{ text: "pertuzumab + trastuzumab + docetaxel" }], EMPTY_CODE_MAP).sort(),
    ).toEqual(["pertuzumab", "trastuzumab"]);
  });
});

const containedPertuzumab: Medication = {
  resourceType: "Medication",
  id: "m",
  code: { text: "Premixed bag 1" },
  ingredient: [{ itemCodeableConcept: { coding: [{ system: RXNORM, code: "1298944" }] } }],
};

describe("buildTherapies", () => {
  it("reads an RxNorm ingredient code with dates from the dosage bounds (Synthea-like)", () => {
    const result = therapies([
      request("mr1", {
        medicationCodeableConcept: { coding: [{ system: RXNORM, code: "224905" }] },
        authoredOn: "2024-04-01",
        dosageInstruction: [
          { timing: { repeat: { boundsPeriod: { start: "2024-04-02", end: "2025-04-01" } } } },
        ],
      }),
    ]);
    expect(result).toEqual([
      {
        drug: "trastuzumab",
        source: "MedicationRequest/mr1",
        status: "active",
        start: "2024-04-02",
        end: "2025-04-01",
      },
    ]);
  });

  it("resolves a contained Medication with an ingredient (Cerner-like)", () => {
    const result = therapies([
      request("mr2", {
        contained: [containedPertuzumab],
        medicationReference: { reference: "#m" },
      }),
    ]);
    expect(result.map((t) => t.drug)).toEqual(["pertuzumab"]);
  });

  it("resolves a Medication loaded separately, and uses the code map for a local formulary code", () => {
    const codeMap = parseCodeMap({
      medications: [{ system: "urn:oid:1.2.3.698288", code: "88123", drug: "tucatinib" }],
    });
    const result = therapies(
      [
        {
          resourceType: "Medication",
          id: "local",
          code: { coding: [{ system: "urn:oid:1.2.3.698288", code: "88123" }] },
        },
        request("mr3", { medicationReference: { reference: "Medication/local" } }),
      ],
      codeMap,
    );
    expect(result.map((t) => t.drug)).toEqual(["tucatinib"]);
  });

  it("reads MedicationStatement and MedicationAdministration, and skips entered-in-error", () => {
    const result = therapies([
      {
        resourceType: "MedicationStatement",
        id: "s",
        status: "completed",
        subject: { reference: "Patient/p1" },
        medicationCodeableConcept: { text: "Kadcyla" },
        effectiveDateTime: "2025-01-01",
      },
      {
        resourceType: "MedicationAdministration",
        id: "a",
        status: "completed",
        subject: { reference: "Patient/p1" },
        medicationCodeableConcept: { text: "Enhertu" },
        effectivePeriod: { start: "2025-05-01T09:00:00Z", end: "2025-05-01T10:00:00Z" },
      },
      {
        resourceType: "MedicationStatement",
        id: "e",
        status: "entered-in-error",
        subject: { reference: "Patient/p1" },
        medicationCodeableConcept: { text: "Herceptin" },
      },
    ]);
    expect(result.map((t) => `${t.source} ${t.drug} ${t.start ?? ""}`)).toEqual([
      "MedicationStatement/s ado-trastuzumab emtansine 2025-01-01",
      "MedicationAdministration/a fam-trastuzumab deruxtecan 2025-05-01T09:00:00Z",
    ]);
  });

  it("an unresolved reference without display finds nothing (and does not guess)", () => {
    expect(
      therapies([request("mr4", { medicationReference: { reference: "Medication/not-loaded" } })]),
    ).toEqual([]);
  });
});

describe("requests that are not therapy", () => {
  it("a do-not-perform request for trastuzumab is not therapy", () => {
    const r = request("dnp", { doNotPerform: true, medicationCodeableConcept: { text: "Herceptin" } });
    expect(therapies([r])).toEqual([]);
  });
});

describe("how long an order without an end is documented (recordedUntil, rules 2.0.0)", () => {
  const trastuzumab = { text: "trastuzumab 420 mg" };
  it("an open order without a duration is documented on its issue date only", () => {
    const [t] = therapies([
      request("mr1", { medicationCodeableConcept: trastuzumab, authoredOn: "2025-03-01" }),
    ]);
    expect(t?.start).toBe("2025-03-01");
    expect(t?.end).toBeUndefined();
    expect(t?.recordedUntil).toBeUndefined();
  });

  it("a count of doses at a period, a bounds duration or the expected supply sets how far it runs", () => {
    const byCount = request("mr2", {
      medicationCodeableConcept: trastuzumab,
      authoredOn: "2025-03-01",
      dosageInstruction: [{ timing: { repeat: { count: 18, period: 3, periodUnit: "wk" } } }],
    });
    const byBounds = request("mr3", {
      medicationCodeableConcept: trastuzumab,
      authoredOn: "2025-03-01",
      dosageInstruction: [{ timing: { repeat: { boundsDuration: { value: 1, code: "a" } } } }],
    });
    const bySupply = request("mr4", {
      medicationCodeableConcept: trastuzumab,
      authoredOn: "2025-03-01",
      dispenseRequest: { expectedSupplyDuration: { value: 21, unit: "days" } },
    });
    expect(therapies([byCount, byBounds, bySupply]).map((t) => t.recordedUntil)).toEqual([
      "2026-02-21", // 17 intervals of 21 days: 357 days
      "2026-03-01",
      "2025-03-22",
    ]);
  });

  it("a statement without an end is documented up to the date it was asserted", () => {
    const [t] = therapies([
      {
        resourceType: "MedicationStatement",
        id: "ms1",
        status: "active",
        subject: { reference: "Patient/p1" },
        medicationCodeableConcept: trastuzumab,
        effectivePeriod: { start: "2024-04-01" },
        dateAsserted: "2024-10-02",
      },
    ]);
    expect(t?.recordedUntil).toBe("2024-10-02");
  });
});
