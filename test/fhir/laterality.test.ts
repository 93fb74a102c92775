// @vitest-environment node
/**
 * Laterality from codes (issue 12, point 1; rules 2.0.0): the mCODE laterality qualifier extension on a body site
 * (SNOMED 7771000 Left, 24028007 Right), a sided body-site code (80248007 Left breast structure, 73056007 Right
 * breast structure) with no words, and for a Condition the ICD-10-CM C50 6th character. Bilateral primaries are then
 * told apart (Wolff 2018: each tumour is tested and reported on its own) where only the codes say which breast.
 */
import type { CodeableConcept, Condition, Specimen } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { eventsOfCondition } from "../../src/fhir/conditions";
import { bodySiteText, icdBreastSite } from "../../src/fhir/laterality";
import { assessResources } from "./fixtures/assess";
import { loinc, observation, SNOMED } from "./fixtures/builders";

const ICD = "http://hl7.org/fhir/sid/icd-10-cm";
const LATERALITY = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-laterality-qualifier";
const lateral = (code: string, site: CodeableConcept): CodeableConcept => ({
  ...site,
  extension: [{ url: LATERALITY, valueCodeableConcept: { coding: [{ system: SNOMED, code }] } }],
});

describe("bodySiteText: decision table", () => {
  it.each<[string, CodeableConcept, string | undefined]>([
    ["sided code, no words", { coding: [{ system: SNOMED, code: "80248007" }] }, "Left breast structure"],
    [
      "sided code, no words (right)",
      { coding: [{ system: SNOMED, code: "73056007" }] },
      "Right breast structure",
    ],
    [
      "axillary node with left laterality extension",
      lateral("7771000", {
        coding: [{ system: SNOMED, code: "68171009", display: "Axillary lymph node structure" }],
      }),
      "Left axillary lymph node structure",
    ],
    [
      "breast code only, right laterality extension",
      lateral("24028007", { coding: [{ system: SNOMED, code: "76752008" }] }),
      "Right breast structure",
    ],
    [
      "words already say the side",
      lateral("7771000", { text: "Left breast, 2 o'clock" }),
      "Left breast, 2 o'clock",
    ],
    [
      "words and codes disagree: both kept",
      lateral("7771000", { text: "Right breast" }),
      "Right breast (coded laterality: left)",
    ],
    [
      "a side with no site is not a site",
      lateral("7771000", { coding: [{ system: "urn:local", code: "X" }] }),
      undefined,
    ],
    ["words only, no codes", { text: "Liver" }, "Liver"],
  ])("%s: %s", (_, concept, expected) => {
    expect(bodySiteText(concept)).toBe(expected);
  });

  it.each<[string, string | undefined]>([
    ["C50.412", "Left breast (ICD-10-CM C50.412)"],
    ["C50.911", "Right breast (ICD-10-CM C50.911)"],
    ["C50.919", undefined],
    ["C50.9", undefined],
  ])("ICD-10-CM %s: %s", (code, expected) => {
    expect(icdBreastSite({ coding: [{ system: ICD, code }] })).toBe(expected);
  });
});

const specimen = (id: string, date: string, bodySite: CodeableConcept): Specimen => ({
  resourceType: "Specimen",
  id,
  accessionIdentifier: { value: id.toUpperCase() },
  subject: { reference: "Patient/p1" },
  collection: { collectedDateTime: date, bodySite },
});
const ihcOn = (id: string, spec: string, value: string, date: string) =>
  observation(
    { id, code: loinc("85319-2"), date, specimen: { reference: `Specimen/${spec}` } },
    { valueString: value },
  );

describe("bilateral primaries told apart by codes only", () => {
  it("coded-only specimen sites: each breast keeps its own status", () => {
    const a = assessResources([
      specimen("sl", "2023-04-18", { coding: [{ system: SNOMED, code: "80248007" }] }),
      specimen("sr", "2025-05-12", lateral("24028007", { coding: [{ system: SNOMED, code: "76752008" }] })),
      ihcOn("ihc-l", "sl", "3+", "2023-04-19"),
      ihcOn("ihc-r", "sr", "1+", "2025-05-13"),
    ]);
    expect(a.tumours?.map((t) => [t.tumour, t.status])).toEqual([
      ["left breast", "positive"],
      ["right breast", "negative"],
    ]);
    expect(a.flags.map((f) => f.code)).not.toContain("discordant-results");
  });
});

describe("Condition laterality", () => {
  const condition = (rest: Partial<Condition>): Condition => ({
    resourceType: "Condition",
    id: "dx",
    subject: { reference: "Patient/p1" },
    onsetDateTime: "2025-02-10",
    code: { coding: [{ system: SNOMED, code: "254837009" }], text: "Breast cancer" },
    ...rest,
  });

  it.each<[string, Partial<Condition>, string | undefined]>([
    [
      "mCODE laterality extension on bodySite",
      { bodySite: [lateral("7771000", { coding: [{ system: SNOMED, code: "76752008" }] })] },
      "Left breast structure",
    ],
    [
      "sided bodySite code only",
      { bodySite: [{ coding: [{ system: SNOMED, code: "73056007" }] }] },
      "Right breast structure",
    ],
    [
      "no bodySite, ICD-10-CM C50.412",
      { code: { coding: [{ system: ICD, code: "C50.412" }], text: "Breast cancer" } },
      "Left breast (ICD-10-CM C50.412)",
    ],
    ["nothing says the side", {}, undefined],
  ])("%s", (_, rest, site) => {
    expect(eventsOfCondition(condition(rest))[0]?.bodySite).toBe(site);
  });
});
