// @vitest-environment node
/**
 * The raw-text prefilter may only skip Observations that the FHIR layer would not read: normalising with the skipped
 * Observations left out must give exactly the same PatientInput, on every corpus we have and on generated ones.
 */
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import type { Bundle, Observation, Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { parseCodeMap } from "../../src/fhir/code-map";
import { buildPatientInput } from "../../src/fhir/normalise";
import { hasPanelMembers, observationTextMayMatter } from "../../src/fhir/observation-prefilter";
import { HER2_OBSERVATION_CODES, STAGE_OBSERVATION_CODES } from "../../src/fhir/terminology/her2-codes";
import { LOINC, loinc, observation } from "./fixtures/builders";
import { CERNER_PATIENT_ID, CERNER_RESOURCES } from "./fixtures/cerner-patient";
import { EPIC_PATIENT_RESOURCES, PATIENT_ID } from "./fixtures/epic-patient";
import { SYNTHEA_PATIENT_ID, SYNTHEA_RESOURCES } from "./fixtures/synthea-patient";

const AS_OF = "2026-11-25";

function resourcesOf(path: string): Resource[] {
  const bundle = JSON.parse(readFileSync(path, "utf8")) as Bundle;
  return (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
}

/** What a skipping reader (the CLI) keeps: Observations whose text may matter, all of them when there are panels. */
function prefiltered(resources: readonly Resource[]): Resource[] {
  const kept = resources.filter(
    (r) => r.resourceType !== "Observation" || observationTextMayMatter(JSON.stringify(r)),
  );
  return hasPanelMembers(kept) ? [...resources] : kept;
}

interface Corpus {
  name: string;
  patient: string;
  resources: Resource[];
}

const corpora: Corpus[] = [
  { name: "Epic-shaped patient", patient: `Patient/${PATIENT_ID}`, resources: EPIC_PATIENT_RESOURCES },
  { name: "Cerner-shaped patient", patient: `Patient/${CERNER_PATIENT_ID}`, resources: CERNER_RESOURCES },
  { name: "Synthea patient", patient: `Patient/${SYNTHEA_PATIENT_ID}`, resources: SYNTHEA_RESOURCES },
  ...["TrialMatching_Patient01.json", "TrialMatching_Patient02.json"].map((file) => {
    const resources = resourcesOf(`/work/shared/data/external/mcode-trial-matching/${file}`);
    const patient = resources.find((r) => r.resourceType === "Patient");
    return { name: `external mCODE ${file}`, patient: `Patient/${patient?.id ?? ""}`, resources };
  }),
  ...readdirSync("sandbox/patients")
    .filter((f) => f.endsWith(".json") && f !== "index.json")
    .map((file) => ({
      name: `sandbox ${file}`,
      patient: `Patient/${file.replace(/\.json$/, "")}`,
      resources: resourcesOf(`sandbox/patients/${file}`),
    })),
];

describe("observationTextMayMatter: skipping never changes the FHIR layer's output", () => {
  for (const corpus of corpora) {
    it(corpus.name, () => {
      const build = (resources: readonly Resource[]) =>
        buildPatientInput({ patient: corpus.patient, resources, asOf: AS_OF });
      expect(build(prefiltered(corpus.resources))).toEqual(build(corpus.resources));
    });
  }

  it("skips something in the realistic corpora (vital signs, other markers), so the comparison above can fail", () => {
    const skipped = corpora.flatMap((c) =>
      c.resources.filter((r) => r.resourceType === "Observation" && !prefiltered(c.resources).includes(r)),
    );
    expect(skipped.length).toBeGreaterThan(5);
  });
});

describe("observationTextMayMatter on raw text", () => {
  const ki67 = observation({ id: "k", code: loinc("85330-9", "Ki-67 [Presence] in Breast cancer specimen") });

  it("keeps every HER2 and staging code, wherever it sits", () => {
    for (const { code } of [...HER2_OBSERVATION_CODES, ...STAGE_OBSERVATION_CODES]) {
      expect(observationTextMayMatter(JSON.stringify({ ...ki67, code: loinc(code) })), code).toBe(true);
    }
  });

  it("keeps text naming HER2 in any spelling the classifier reads", () => {
    for (const text of ["HER2 IHC", "her-2/neu", "c-erbB-2 FISH", "ERBB2 amplification", "Her2 ratio"]) {
      expect(observationTextMayMatter(JSON.stringify({ ...ki67, code: { text } })), text).toBe(true);
    }
  });

  it("keeps text with a JSON \\u escape, which could spell HER2 without the letters", () => {
    const escaped = JSON.stringify({ ...ki67, code: { text: "XER2" } }).replace("XER2", "\\u0048ER2");
    expect((JSON.parse(escaped) as Observation).code.text).toBe("HER2");
    expect(observationTextMayMatter(escaped)).toBe(true);
  });

  it("keeps text where a code map code with a slash is written with JSON's escape, IHC\\/LAB11", () => {
    const codeMap = parseCodeMap({
      observations: [{ system: "urn:oid:1.2.3", code: "IHC/LAB11", concept: "ihc" }],
    });
    const escaped = JSON.stringify(
      observation({ id: "s", code: { coding: [{ system: "urn:oid:1.2.3", code: "IHC/LAB11" }] } }),
    ).replace("IHC/LAB11", "IHC\\/LAB11");
    expect((JSON.parse(escaped) as Observation).code.coding?.[0]?.code).toBe("IHC/LAB11");
    expect(observationTextMayMatter(escaped, codeMap)).toBe(true);
  });

  it("skips other markers and vital signs", () => {
    expect(observationTextMayMatter(JSON.stringify(ki67))).toBe(false);
    const weight = observation({ id: "w", code: loinc("29463-7", "Body weight") }, { valueString: "70 kg" });
    expect(observationTextMayMatter(JSON.stringify(weight))).toBe(false);
  });

  it("keeps the institution's local HER2 codes", () => {
    const codeMap = parseCodeMap({
      observations: [{ system: "urn:oid:1.2.3", code: "LAB-4471", concept: "ihc" }],
    });
    const local = observation({ id: "l", code: { coding: [{ system: "urn:oid:1.2.3", code: "LAB-4471" }] } });
    expect(observationTextMayMatter(JSON.stringify(local))).toBe(false);
    expect(observationTextMayMatter(JSON.stringify(local), codeMap)).toBe(true);
  });
});

describe("panel members are read whatever their code", () => {
  const member = observation(
    { id: "m1", code: { coding: [{ system: LOINC, code: "99999-9" }], text: "Ratio" } },
    { valueQuantity: { value: 2.6 } },
  );
  const panel = observation(
    { id: "panel", code: { text: "HER2 FISH panel" }, date: "2026-01-10" },
    { hasMember: [{ reference: "Observation/m1" }] },
  );

  it("the member alone would be skipped, so hasPanelMembers makes the reader load everything", () => {
    expect(observationTextMayMatter(JSON.stringify(member))).toBe(false);
    expect(hasPanelMembers([panel])).toBe(true);
    const all = [panel, member];
    const build = (resources: Resource[]) =>
      buildPatientInput({ patient: "Patient/p1", resources, asOf: AS_OF });
    expect(build(all).tests.map((t) => t.source)).toContain("Observation/m1");
    expect(build(prefiltered(all))).toEqual(build(all));
  });
});

describe("generated Observations", () => {
  const words = [
    "HER2",
    "her-2",
    "ERBB2",
    "Ki-67",
    "Estrogen receptor",
    "ratio",
    "CEP17",
    "copies per cell",
    "IHC",
  ];
  const codes = [
    ...HER2_OBSERVATION_CODES.map((c) => c.code),
    ...STAGE_OBSERVATION_CODES.map((c) => c.code),
    "85337-4",
    "718-7",
    "29463-7",
  ];
  const arbitraryObservation = fc.record({
    code: fc.constantFrom(...codes),
    text: fc.array(fc.constantFrom(...words), { maxLength: 3 }).map((w) => w.join(" ")),
    value: fc.constantFrom("2+", "Positive", "amplified", "M1", "IV", "ratio 2.4", "HER2 3+"),
    coded: fc.boolean(),
  });

  it("an Observation the FHIR layer reads on its own is never skipped", () => {
    fc.assert(
      fc.property(arbitraryObservation, ({ code, text, value, coded }) => {
        const o = observation(
          {
            id: "g",
            code: { coding: [{ system: LOINC, code }], ...(text ? { text } : {}) },
            date: "2026-01-02",
          },
          coded ? { valueCodeableConcept: { text: value } } : { valueString: value },
        );
        const input = buildPatientInput({ patient: "Patient/p1", resources: [o], asOf: AS_OF });
        if (input.tests.length > 0 || input.events.length > 0) {
          expect(observationTextMayMatter(JSON.stringify(o))).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
