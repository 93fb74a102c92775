// @vitest-environment node
/**
 * In-situ-only carcinoma read from FHIR (issue 12, point 1; rules 2.0.0): the Specimen (type, note), the result's
 * note and the report conclusion (text or code) mark DCIS-only tissue; a Condition coded D05 / SNOMED 109889007 /
 * ICD-O-3 behaviour /2 (also in the mCODE histology-morphology-behavior extension), or named "ductal carcinoma in
 * situ" with no invasive component, is not an invasive primary. ASCO/CAP 2018 determines HER2 on invasive cancer.
 * Also the Condition shapes of an ipsilateral new primary (mCODE histology, a "new primary" note; issue 12 point 3).
 */
import type { Condition, DiagnosticReport, Resource, Specimen } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { eventsOfCondition } from "../../src/fhir/conditions";
import { saysInSituOnly } from "../../src/fhir/in-situ";
import { assessResources } from "./fixtures/assess";
import { loinc, observation, SNOMED } from "./fixtures/builders";

const ICD = "http://hl7.org/fhir/sid/icd-10-cm";
const MCODE_HISTOLOGY =
  "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-histology-morphology-behavior";

describe("saysInSituOnly: decision table", () => {
  it.each<[string, boolean]>([
    ["Ductal carcinoma in situ, high grade, no invasive carcinoma identified", true],
    ["Ductal carcinoma in situ without invasive component", true],
    ["DCIS, solid type, negative for invasion", true],
    ["Intraductal carcinoma, noninfiltrating", true],
    ["Non-invasive ductal carcinoma", true],
    ["Lobular carcinoma in situ", true],
    ["Invasive ductal carcinoma with associated DCIS", false],
    ["DCIS with microinvasion", false],
    ["Infiltrating duct carcinoma", false],
    ["Invasive carcinoma, no DCIS", false],
    ["HER2 by fluorescence in situ hybridisation: amplified", false],
    ["No carcinoma in situ", false],
    ["Left breast core biopsy", false],
    // Review (rules 2.0.0): invasion denied after the words, as the CAP DCIS protocol writes it.
    ["Ductal carcinoma in situ. Invasive Carcinoma: Not identified", true],
    ["DCIS, high grade; invasive carcinoma not identified", true],
    ["DCIS. Microinvasion: Not identified", true],
    ["DCIS, invasion is not seen", true],
    ["Ductal carcinoma in situ; invasive carcinoma: absent", true],
    ["Intraductal carcinoma, solid type", true],
    ["DCIS; invasive carcinoma not identified at margins; invasive ductal carcinoma, grade 2", false],
    ["Invasive carcinoma not identified at margins. DCIS present", false],
    ["DCIS; invasive ductal carcinoma not excluded", false],
    ["DCIS. Lymphovascular invasion: not identified. Invasive carcinoma: present", false],
  ])("%s: %s", (text, expected) => {
    expect(saysInSituOnly([text])).toBe(expected);
  });

  it.each<[string, string, string, boolean]>([
    ["ICD-10-CM D05.11", ICD, "D05.11", true],
    ["SNOMED 109889007 DCIS of breast", SNOMED, "109889007", true],
    ["ICD-O-3 8500/2", "urn:oid:2.16.840.1.113883.6.43.1", "8500/2", true],
    ["ICD-O-3 8500/3 (invasive)", "urn:oid:2.16.840.1.113883.6.43.1", "8500/3", false],
    ["ICD-10-CM C50.412", ICD, "C50.412", false],
  ])("code %s: %s", (_, system, code, expected) => {
    expect(saysInSituOnly([], [{ system, code }])).toBe(expected);
  });

  it("an invasive code wins over an in-situ text", () => {
    expect(saysInSituOnly(["DCIS"], [{ system: ICD, code: "C50.911" }])).toBe(false);
  });
});

const dcisSpecimen = (rest: Partial<Specimen>): Specimen => ({
  resourceType: "Specimen",
  id: "spec-dcis",
  accessionIdentifier: { value: "S25-0410" },
  subject: { reference: "Patient/p1" },
  collection: { collectedDateTime: "2025-02-03", bodySite: { text: "Left breast" } },
  ...rest,
});
const report = (rest: Partial<DiagnosticReport>): DiagnosticReport => ({
  resourceType: "DiagnosticReport",
  id: "rep",
  status: "final",
  code: { text: "Surgical pathology" },
  subject: { reference: "Patient/p1" },
  result: [{ reference: "Observation/ihc-dcis" }],
  ...rest,
});
const ihcOn = (id: string, specimen: string, value: string, date = "2025-02-04") =>
  observation(
    { id, code: loinc("85319-2"), date, specimen: { reference: specimen } },
    { valueString: value },
  );

describe("in-situ-only tissue from Specimen and report", () => {
  it.each<[string, Resource[]]>([
    [
      "Specimen.type text",
      [dcisSpecimen({ type: { text: "Breast excision, ductal carcinoma in situ only" } })],
    ],
    ["Specimen.note", [dcisSpecimen({ note: [{ text: "DCIS, no invasive carcinoma identified." }] })]],
    [
      "CAP synoptic conclusion (Invasive Carcinoma: Not identified)",
      [
        dcisSpecimen({}),
        report({
          conclusion: "Ductal carcinoma in situ, high nuclear grade. Invasive Carcinoma: Not identified.",
        }),
      ],
    ],
    [
      "DiagnosticReport.conclusion",
      [
        dcisSpecimen({}),
        report({ conclusion: "Ductal carcinoma in situ, intermediate grade, without invasive component." }),
      ],
    ],
    [
      "DiagnosticReport.conclusionCode SNOMED 109889007",
      [dcisSpecimen({}), report({ conclusionCode: [{ coding: [{ system: SNOMED, code: "109889007" }] }] })],
    ],
  ])("%s marks the HER2 result as DCIS-only: status cannot be determined", (_, resources) => {
    const a = assessResources([...resources, ihcOn("ihc-dcis", "Specimen/spec-dcis", "3+")]);
    expect(a.status).toBe("indeterminate");
    expect(a.evidence.find((e) => e.resource === "Observation/ihc-dcis")?.used).toBe(false);
  });

  it("the invasive specimen governs beside a DCIS-only one", () => {
    const a = assessResources([
      dcisSpecimen({ note: [{ text: "Ductal carcinoma in situ only." }] }),
      ihcOn("ihc-dcis", "Specimen/spec-dcis", "3+"),
      ihcOn("ihc-inv", "Specimen/spec-1", "1+", "2024-03-02"),
    ]);
    expect(a.status).toBe("negative");
    expect(a.category).toBe("her2-low");
  });

  it("a specimen note naming an invasive component keeps the result", () => {
    const a = assessResources([
      dcisSpecimen({ note: [{ text: "Invasive ductal carcinoma with extensive DCIS." }] }),
      ihcOn("ihc-dcis", "Specimen/spec-dcis", "3+"),
    ]);
    expect(a.status).toBe("positive");
  });
});

const condition = (rest: Partial<Condition>): Condition => ({
  resourceType: "Condition",
  id: "dx",
  subject: { reference: "Patient/p1" },
  onsetDateTime: "2025-02-03",
  ...rest,
});

describe("in-situ Conditions are not invasive primaries", () => {
  it.each<[string, Condition]>([
    [
      "ICD-10-CM D05.12 with its display",
      condition({
        code: {
          coding: [{ system: ICD, code: "D05.12", display: "Intraductal carcinoma in situ of left breast" }],
        },
      }),
    ],
    [
      "SNOMED 109889007",
      condition({
        code: {
          coding: [
            {
              system: SNOMED,
              code: "109889007",
              display: "Intraductal carcinoma in situ of breast (disorder)",
            },
          ],
        },
      }),
    ],
    ["text only", condition({ code: { text: "Ductal carcinoma in situ of left breast" } })],
    [
      "mCODE: Malignant neoplasm of breast with histology 8500/2",
      condition({
        code: { coding: [{ system: SNOMED, code: "254837009" }], text: "Breast cancer" },
        extension: [
          {
            url: MCODE_HISTOLOGY,
            valueCodeableConcept: {
              coding: [
                { system: SNOMED, code: "86616005", display: "Intraductal carcinoma, noninfiltrating" },
              ],
            },
          },
        ],
      }),
    ],
  ])("%s: no event", (_, c) => {
    expect(eventsOfCondition(c)).toEqual([]);
  });

  it.each<[string, Condition]>([
    ["C50.412", condition({ code: { coding: [{ system: ICD, code: "C50.412" }], text: "Breast cancer" } })],
    [
      "invasive text with DCIS",
      condition({ code: { text: "Invasive ductal carcinoma of breast with DCIS" } }),
    ],
    [
      "mCODE histology 8500/3",
      condition({
        code: { coding: [{ system: SNOMED, code: "254837009" }] },
        extension: [
          {
            url: MCODE_HISTOLOGY,
            valueCodeableConcept: {
              coding: [
                { system: SNOMED, code: "408643008", display: "Infiltrating duct carcinoma of breast" },
              ],
            },
          },
        ],
      }),
    ],
  ])("%s: still a primary", (_, c) => {
    expect(eventsOfCondition(c).map((e) => e.kind)).toEqual(["primary"]);
  });
});

describe("ipsilateral new primary from Conditions (rules 2.0.0)", () => {
  const histology = (code: string, display: string) => [
    { url: MCODE_HISTOLOGY, valueCodeableConcept: { coding: [{ system: SNOMED, code, display }] } },
  ];
  const primary = (id: string, onset: string, rest: Partial<Condition>): Condition =>
    condition({
      id,
      onsetDateTime: onset,
      code: { coding: [{ system: ICD, code: "C50.412" }], text: "Breast cancer" },
      bodySite: [{ coding: [{ system: SNOMED, code: "80248007" }], text: "Left breast structure" }],
      ...rest,
    });
  const specimenOn = (id: string, date: string): Specimen => ({
    resourceType: "Specimen",
    id,
    subject: { reference: "Patient/p1" },
    collection: { collectedDateTime: date, bodySite: { text: "Left breast" } },
  });

  it("reads the mCODE histology and a 'new primary' note into the primary event", () => {
    const [e] = eventsOfCondition(
      primary("dx2", "2025-02-10", {
        extension: histology("278054005", "Infiltrating lobular carcinoma of breast"),
        note: [{ text: "New ipsilateral primary, lower inner quadrant" }],
      }),
    );
    expect(e?.morphology).toBe(`${SNOMED}|278054005`);
    expect(e?.newPrimary).toBe(true);
  });

  it.each<[string, Partial<Condition>, number]>([
    ["another mCODE histology", { extension: histology("278054005", "Infiltrating lobular carcinoma") }, 2],
    ["a note naming a second primary", { note: [{ text: "Second primary, left breast" }] }, 2],
    ["neither (same tumour recorded again)", {}, 0],
  ])("a later left-breast Condition with %s", (_, rest, tumours) => {
    const a = assessResources([
      primary("dx1", "2019-03-04", {
        extension: histology("408643008", "Infiltrating duct carcinoma of breast"),
      }),
      primary("dx2", "2025-02-10", rest),
      specimenOn("s-2019", "2019-02-25"),
      specimenOn("s-2025", "2025-02-03"),
      ihcOn("ihc-2019", "Specimen/s-2019", "3+", "2019-02-27"),
      ihcOn("ihc-2025", "Specimen/s-2025", "1+", "2025-02-05"),
    ]);
    expect(a.tumours?.length ?? 0).toBe(tumours);
    expect(a.flags.some((f) => f.code === "discordant-results")).toBe(tumours === 0);
  });
});
