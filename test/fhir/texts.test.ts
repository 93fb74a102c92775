// @vitest-environment node
/**
 * The FHIR layer's texts a person reads (issue 15): each record's `readAs` and unreadable `reason` is the English
 * rendering of the descriptor it carries (`readAsText`, `reasonText`), and in Spanish and Chinese those descriptors
 * render with no English sentence of the FHIR catalog left, the record's own words (quoted text, codes, references,
 * FHIR element names) kept as they are. The records come from many shapes of HER2 results, readable or not.
 */
import type { DiagnosticReport, Observation, Resource } from "fhir/r4";
import { IntlMessageFormat } from "intl-messageformat";
import { beforeAll, describe, expect, it } from "vitest";
import { assess } from "../../src/domain";
import DOMAIN_ES from "../../src/domain/messages/es.json";
import DOMAIN_ZH from "../../src/domain/messages/zh-CN.json";
import { type Catalog, renderText, type Text } from "../../src/domain/text";
import type { Her2TestRecord } from "../../src/domain/types";
import EN from "../../src/fhir/messages/en.json";
import ES from "../../src/fhir/messages/es.json";
import ZH from "../../src/fhir/messages/zh-CN.json";
import { buildPatientInput } from "../../src/fhir/normalise";
import { en } from "../../src/fhir/text";
import { loadDomainCatalog, localizeAssessment } from "../../src/i18n/localize-assessment";
import { parseCodeMap } from "../../src/fhir/code-map";
import { englishRuns, idsOf, withoutValues } from "./text-checks";
import {
  BREAST_SPECIMEN,
  BREAST_SPECIMEN_REF,
  EPIC_ANSWER,
  EPIC_LAB,
  loinc,
  observation,
} from "./fixtures/builders";

const VALUES = [
  "2+",
  "Score 2+ (equivocal)",
  "Not amplified",
  "HER2/CEP17 ratio 2.3; HER2 copies per cell 4.5",
  "HER2 copies per cell 4.5 5.1",
  "HER2/CEP17 ratio 2.3, ratio 2.5",
  "ratio greater than 1.8",
  "greater than 2.2",
  "> 10",
  "2.3",
  "0-1+",
  "1+ (previously 3+)",
  "No 3+ staining seen",
  "Amplified: No",
  "low positive",
  "ER positive, HER2 negative",
  "0, faint incomplete staining in 15% of cells",
  "1+, faint incomplete staining in 5% of cells",
  "See comment",
  "blah",
  "4.5 signals/cell",
];
const CODES = [
  loinc("85319-2"),
  loinc("85318-4"),
  loinc("48676-1"),
  loinc("49683-6"),
  loinc("72382-1"),
  { text: "HER2 IHC" },
  { text: "HER2 FISH ratio" },
  { text: "HER2 status" },
  { text: "HER2 serum" },
  { text: "HER2" },
  { text: "HER2 CEP17 copies per cell" },
  loinc("85319-2", "Ki-67"),
  loinc("32996-1"),
  { text: "HER2 mutation" },
];

const codeMap = parseCodeMap({
  observations: [{ system: EPIC_LAB, code: "768282-11", concept: "ihc", display: "HER2 IHC SCORE" }],
  answers: [{ system: EPIC_ANSWER, code: "3", meaning: "ihc-2+", display: "2+" }],
});
const LOCAL_ANSWER = { valueCodeableConcept: { coding: [{ system: EPIC_ANSWER, code: "3" }] } };

/** Observations of many shapes: each code with each text value, and the other value types, notes and parts. */
function observations(): Observation[] {
  const list: Observation[] = [];
  let n = 0;
  const add = (code: Observation["code"], rest: Partial<Observation>, status?: Observation["status"]) =>
    list.push(
      observation(
        { id: `o${String(n++)}`, code, date: "2024-03-02", specimen: BREAST_SPECIMEN_REF, status },
        rest,
      ),
    );
  for (const code of CODES) {
    for (const valueString of VALUES) add(code, { valueString });
    add(code, { valueQuantity: { value: 2.3, comparator: ">", unit: "ratio" } });
    add(code, { valueQuantity: { value: 1.5, comparator: "<" } });
    add(code, { valueQuantity: { value: 4, unit: "mg" } });
    add(code, { valueInteger: 5 });
    add(code, { valueInteger: 2 });
    add(code, { valueBoolean: true });
    add(code, { dataAbsentReason: { text: "not performed" } });
    add(code, { dataAbsentReason: { coding: [{ code: "x" }] } });
    add(code, { valueCodeableConcept: { coding: [{ system: "urn:x", code: "zz" }] } });
    add(code, { valueCodeableConcept: { text: "Score 2+ (equivocal)" } });
    add(code, {
      valueCodeableConcept: { coding: [{ system: "http://snomed.info/sct", code: "10828004" }], text: "3+" },
    });
    add(code, { note: [{ text: "HER2 IHC 2+ (equivocal)" }] });
    add(code, { valueString: "Positive", interpretation: [{ text: "Negative" }] });
    add(code, { valueString: "2+", method: { text: "FISH" } });
    add(code, { valueString: "ISH in progress" }, "preliminary");
    add(code, {}, "registered");
    add(code, {});
    add(code, LOCAL_ANSWER);
    add(code, { valueString: "HER2/CEP17 ratio 2.3", method: { text: "single-probe ISH" } });
    add(code, { valueString: "Negative", component: [{ code: loinc("48676-1"), valueString: "Positive" }] });
    add(code, { valueString: "2+", component: [{ code: loinc("85319-2"), valueString: "3+" }] });
    add(code, {
      component: [{ code: loinc("85319-2"), valueString: "2+", interpretation: [{ text: "Positive" }] }],
    });
    add(code, { valueString: "0", note: [{ text: "faint incomplete staining in 20% of cells" }] });
    add(code, { valueString: "0", note: [{ text: "no staining" }] });
    add(code, {
      valueCodeableConcept: {
        coding: [{ system: "http://snomed.info/sct", code: "10828004" }],
        text: "0-1+",
      },
    });
    add(code, {
      valueString: "2+",
      interpretation: [
        {
          coding: [
            { system: "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", code: "POS" },
          ],
        },
      ],
    });
    add(code, { hasMember: [{ reference: "Observation/missing" }] });
    add(code, {
      valueString: "0",
      component: [
        {
          code: { text: "cells with faint, incomplete membrane staining" },
          valueQuantity: { value: 15, unit: "%" },
        },
      ],
    });
    add(code, {
      valueString: "0",
      component: [
        {
          code: { text: "cells with faint, incomplete membrane staining" },
          valueQuantity: { value: 5, unit: "%" },
        },
      ],
    });
    add(code, {
      component: [
        { code: { text: "HER2 recount ratio" }, valueQuantity: { value: 2.5, comparator: ">" } },
        { code: { text: "HER2 copies per cell" }, valueString: "6.1" },
      ],
      interpretation: [{ text: "not positive" }],
    });
  }
  // A local code; a variant; a ratio and a count of one day with no specimen (merged by day), one with a recount.
  list.push(
    observation({ id: "local", code: { coding: [{ system: EPIC_LAB, code: "768282-11" }] } }, LOCAL_ANSWER),
    observation(
      { id: "variant", code: loinc("69548-6") },
      { valueCodeableConcept: { text: "ERBB2 p.Leu755Ser" } },
    ),
    observation(
      { id: "day-ratio", code: loinc("49683-6"), date: "2023-01-05" },
      { valueQuantity: { value: 2.3 } },
    ),
    observation(
      { id: "day-copies", code: { text: "HER2 copies per cell" }, date: "2023-01-05" },
      {
        valueQuantity: { value: 4.6 },
        component: [{ code: { text: "HER2 copies per cell recount" }, valueQuantity: { value: 4.4 } }],
      },
    ),
    observation(
      { id: "panel", code: { text: "HER2 panel" } },
      { hasMember: [{ reference: "Observation/member" }] },
    ),
    observation({ id: "member", code: { text: "Score" } }, { valueString: "3+" }),
  );
  return list;
}

function reports(): DiagnosticReport[] {
  const conclusions = [
    "ER positive 90%; PR 10%; HER2 3+",
    "HER2 IHC 2+; HER2 FISH ratio 2.5, amplified",
    "HER2: see below",
    "HER2 positive and negative",
    "HER2 IHC 3+",
  ];
  const list: DiagnosticReport[] = conclusions.map((conclusion, i) => ({
    resourceType: "DiagnosticReport",
    id: `r${String(i)}`,
    status: "final",
    code: { text: "HER2 report" },
    subject: { reference: "Patient/p1" },
    effectiveDateTime: "2024-03-02",
    conclusion,
  }));
  const empty: DiagnosticReport = {
    resourceType: "DiagnosticReport",
    id: "r-empty",
    status: "final",
    code: { text: "HER2 report" },
    subject: { reference: "Patient/p1" },
  };
  // A withdrawn report: its result is listed with the reason (fhir.note.withdrawn).
  const withdrawn: DiagnosticReport = {
    ...empty,
    id: "r-withdrawn",
    status: "entered-in-error",
    result: [{ reference: "Observation/o0" }],
  };
  list.push(empty, withdrawn);
  return list;
}

function records(): Her2TestRecord[] {
  const resources: Resource[] = [BREAST_SPECIMEN, ...observations(), ...reports()];
  // Two copies of one result with different contents, and a malformed result.
  const copy = observation({ id: "dup", code: loinc("85319-2") }, { valueString: "3+" });
  const other: Observation = { ...copy, valueString: "blah" };
  resources.push(copy, other);
  resources.push({
    ...observation({ id: "bad", code: loinc("85319-2") }),
    valueString: 3,
  } as unknown as Resource);
  return buildPatientInput({ patient: "Patient/p1", resources, asOf: "2026-11-25", codeMap }).tests;
}

const LOCALES = [
  { locale: "es" as const, catalog: { ...DOMAIN_ES, ...ES } as Catalog, fhir: ES as Record<string, string> },
  {
    locale: "zh-CN" as const,
    catalog: { ...DOMAIN_ZH, ...ZH } as Catalog,
    fhir: ZH as Record<string, string>,
  },
];

const all = records();
const texts: { record: Her2TestRecord; english: string; text: Text }[] = all.flatMap((record) => [
  ...(record.readAsText ? [{ record, english: record.readAs ?? "", text: record.readAsText }] : []),
  ...(record.method === "unreadable" && record.reasonText
    ? [{ record, english: record.reason, text: record.reasonText }]
    : []),
]);

describe("the FHIR catalogs", () => {
  it("render as intl-messageformat renders them (the ICU the domain's renderer reads: plain placeholders)", () => {
    for (const [locale, catalog] of [
      ["en", EN],
      ["es", ES],
      ["zh-CN", ZH],
    ] as const) {
      for (const [id, source] of Object.entries(catalog)) {
        const names = [...source.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? "");
        const values = Object.fromEntries(names.map((n) => [n, `«${n}»`]));
        const expected = new IntlMessageFormat(source, locale, undefined, { ignoreTag: true }).format(values);
        expect(
          renderText({ id: id as `fhir.${string}`, values }, locale, catalog as unknown as Catalog),
          id,
        ).toBe(expected);
      }
    }
  });
});

describe("the FHIR layer's readings and reasons as messages", () => {
  it("the shapes read here give many readings and reasons, each string with its descriptor", () => {
    expect(all.length).toBeGreaterThan(200);
    expect(all.filter((r) => r.method === "unreadable").length).toBeGreaterThan(100);
    for (const record of all) {
      if (record.readAs) expect(record.readAsText, record.source).toBeDefined();
      if (record.method === "unreadable") expect(record.reasonText, record.source).toBeDefined();
    }
  });

  it("most of the catalog is used by these shapes (the checks below are not vacuous)", () => {
    const used = new Set<string>();
    for (const t of texts) idsOf(t.text, used);
    // Rare shapes left out here: a bound with no number, a conclusion with no HER2 part, and a score in a coded
    // value's text that contradicts the code. Data gaps' reasons (no record) are checked in gap-texts.test.ts.
    const rare = new Set([
      "fhir.problem.text-bound-only",
      "fhir.unreadable.conclusion-no-part",
      "fhir.where.text",
    ]);
    const gapIds = /^fhir\.(gap|member)\.|^fhir\.copies\.gap$/;
    const unused = Object.keys(EN).filter((id) => !used.has(id) && !rare.has(id) && !gapIds.test(id));
    expect(unused, "ids no shape here uses").toEqual([]);
  });

  it("the record's English strings are the English rendering of its descriptors", () => {
    for (const t of texts) expect(en(t.text), t.record.source).toBe(t.english);
  });

  describe.each(LOCALES)("in $locale", ({ locale, catalog, fhir }) => {
    const runs = englishRuns(fhir);

    it("no English sentence of the FHIR catalog is left, and the text is not the English one", () => {
      expect(runs.length).toBeGreaterThan(50);
      for (const t of texts) {
        const rendered = renderText(t.text, locale, catalog);
        const words = withoutValues(rendered, t.text);
        for (const run of runs)
          expect(words, `${t.record.source}: "${run}" in "${rendered}"`).not.toContain(run);
        expect(rendered, t.record.source).not.toBe(t.english);
      }
    });

    it("the record's own words are kept as they are", () => {
      const record = all.find(
        (r) => r.method === "unreadable" && r.reason.includes('"ER positive, HER2 negative"'),
      );
      if (record?.method !== "unreadable" || !record.reasonText) throw new Error("no such record");
      expect(renderText(record.reasonText, locale, catalog)).toContain("ER positive, HER2 negative");
    });
  });
});

describe("the panel's copy of the assessment (localizeAssessment)", () => {
  beforeAll(async () => {
    await Promise.all(LOCALES.map(({ locale }) => loadDomainCatalog(locale)));
  });
  const assessment = assess({
    patient: "Patient/p1",
    asOf: "2026-11-25",
    tests: all,
    events: [],
    therapies: [],
    dataGaps: [],
  });

  it.each(LOCALES)(
    "$locale: the evidence list's readings and the unreadable list are in the locale",
    ({ locale, catalog, fhir }) => {
      const localized = localizeAssessment(assessment, locale);
      const runs = englishRuns(fhir);
      let readings = 0;
      assessment.evidence.forEach((item, i) => {
        const readAs = item.i18n?.readAs;
        if (!readAs) return;
        readings++;
        const shown = localized.evidence[i]?.readAs ?? "";
        expect(shown).toBe(renderText(readAs, locale, catalog));
        for (const run of runs) expect(withoutValues(shown, readAs)).not.toContain(run);
      });
      expect(readings).toBeGreaterThan(100);
      expect(assessment.unreadable.length).toBeGreaterThan(100);
      let reasons = 0;
      assessment.unreadable.forEach((u, i) => {
        // The rules' own reasons (an implausible ISH number) are the rules' catalog's, checked elsewhere.
        const descriptor = assessment.i18n?.unreadable?.[i];
        if (typeof descriptor !== "object" || !descriptor.id.startsWith("fhir.")) return;
        reasons++;
        const shown = localized.unreadable[i]?.reason ?? "";
        expect(shown, u.resource).not.toBe(u.reason);
        for (const run of runs) expect(withoutValues(shown, descriptor), u.resource).not.toContain(run);
      });
      expect(reasons).toBeGreaterThan(100);
      // The unreadable flag's message lists reasons in the locale's words too.
      const flag = localized.flags.find((f) => f.code === "result-unreadable");
      expect(flag?.message).toBeDefined();
      for (const run of runs) expect(flag?.message).not.toContain(run);
      // A serum HER2 test or an ERBB2 variant is listed as not a tissue status, with the FHIR layer's reason.
      const notTissue = assessment.evidence
        .map((item, i) => ({ item, shown: localized.evidence[i] }))
        .filter(({ item }) => item.notUsedReason?.includes("not a tissue HER2 status"));
      expect(notTissue.length).toBeGreaterThan(3);
      for (const { item, shown } of notTissue) {
        expect(shown?.notUsedReason, item.resource).not.toBe(item.notUsedReason);
        for (const run of runs) expect(shown?.notUsedReason, item.resource).not.toContain(run);
      }
    },
  );
});
