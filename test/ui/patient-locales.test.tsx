// @vitest-environment node
/**
 * The patient page for every sandbox scenario in every locale (issue 15): the assessment the app would show (the
 * FHIR layer against the embedded sandbox, then the rules), rendered once per locale and read back as a jsdom DOM
 * (the sandbox server runs in the node environment, so the markup is rendered on the server and parsed). The expected texts are
 * chosen here from the scenario's expected result (sandbox/patients/index.json, written from the guideline), not
 * from explainForPatient, and read from that locale's catalog.
 */
import { JSDOM } from "jsdom";
import { readFileSync } from "node:fs";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSandbox, startSandbox } from "../../sandbox/server";
import type { Assessment } from "../../src/domain";
import en from "../../src/domain/patient-page/messages/en.json";
import es from "../../src/domain/patient-page/messages/es.json";
import zh from "../../src/domain/patient-page/messages/zh-CN.json";
import { FLAG_NEXT_STEP, type PatientMessageId } from "../../src/domain/patient-texts";
import type { FlagCode } from "../../src/domain/types";
import type { Locale } from "../../src/i18n/locales";
import { LocaleContext } from "../../src/ui/i18n/locale-context";
import { PatientExplanation } from "../../src/ui/patient/PatientExplanation";
import { loadPatientCatalog } from "../../src/ui/patient/catalogs";
import { allowLoopbackRequests } from "../sandbox/helpers";
import { sandboxAssessments } from "./sandbox-assessments";

interface Scenario {
  id: string;
  file: string;
  name: string;
  birthDate: string;
  scenario: string;
  expected: { status: string; category: string; setting: string; flags: FlagCode[] };
}
const index = JSON.parse(readFileSync("sandbox/patients/index.json", "utf8")) as {
  asOf: string;
  patients: Scenario[];
};

const CATALOGS: Readonly<Record<Locale, Readonly<Record<PatientMessageId, string>>>> = {
  en,
  es,
  "zh-CN": zh,
};
const LOCALES = Object.keys(CATALOGS) as Locale[];

/** What the result section must say first, by status and category (HER2-GUIDELINE.md; category refines negative). */
function expectedResult(e: Scenario["expected"]): PatientMessageId {
  if (e.status === "positive") return "result.positive";
  if (e.status === "negative") {
    if (e.category === "her2-low") return "result.low";
    if (e.category === "her2-ultralow") return "result.ultralow";
    if (e.category === "her2-0") return "result.zero";
    return "result.negative";
  }
  if (e.status === "equivocal") return "result.equivocal";
  if (e.status === "indeterminate") return "result.indeterminate";
  return "result.noResult";
}

/** The first treatment text (HER2-GUIDELINE.md "Treatment recommendation"): only a final status gets one. */
function expectedTreatment(e: Scenario["expected"]): PatientMessageId {
  if (e.status === "positive")
    return e.setting === "early"
      ? "treatment.positive.early"
      : e.setting === "metastatic"
        ? "treatment.positive.metastatic"
        : "treatment.positive.unknown";
  if (e.status === "negative" && e.setting === "metastatic") {
    if (e.category === "her2-low") return "treatment.low.metastatic";
    if (e.category === "her2-ultralow") return "treatment.ultralow.metastatic";
    if (e.category === "her2-0") return "treatment.zero.metastatic";
  }
  if (e.status === "negative") return "treatment.negative";
  return "treatment.waiting";
}

/** The next steps: one per flag, else "nothing more" for a final status and "your doctor will tell you" otherwise. */
function expectedNextSteps(e: Scenario["expected"]): PatientMessageId[] {
  const ids = [...new Set(e.flags.map((code) => FLAG_NEXT_STEP[code]))];
  if (ids.length > 0) return ids;
  return [e.status === "positive" || e.status === "negative" ? "next.none" : "next.askDoctor"];
}

/** Words and identifiers a patient page must never show. */
const FHIR_WORDS =
  /\b(?:Observation|Specimen|Condition|DiagnosticReport|MedicationRequest|MedicationStatement|Procedure|Patient)\b|LOINC|SNOMED|urn:uuid|value(?:CodeableConcept|Quantity|String)|\{copies\}/;

/** Every resource id and identifier value in a patient's bundle. */
function identifiersOf(file: string): string[] {
  const bundle = JSON.parse(readFileSync(`sandbox/patients/${file}`, "utf8")) as {
    entry: { resource: { id?: string; identifier?: { value?: string }[] } }[];
  };
  return bundle.entry.flatMap((e) => [
    ...(e.resource.id ? [e.resource.id] : []),
    ...(e.resource.identifier ?? []).flatMap((i) => (i.value ? [i.value] : [])),
  ]);
}
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** English words a Spanish page never needs (the drug, trial and test names are not among them). */
const ENGLISH_WORDS = /\b(?:the|your|you|and|with|doctor|test|tests|what|this|will|may|page|result|means)\b/i;
/** The Latin-script words a Chinese page keeps: test, gene, drug and trial names, as patients in China meet them. */
const KEPT_LATIN = /HER2|C-erbB-2|IHC|ISH|Herceptin|Enhertu|B-31|N9831|HERA|CLEOPATRA|DESTINY-Breast0\d/g;

/** `2024-03-02` as the reader's locale writes a long date, computed for UTC midnight of that calendar day. */
const longDate = (iso: string, locale: Locale) =>
  new Intl.DateTimeFormat(locale, { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" }).format(
    new Date(`${iso.slice(0, 10)}T00:00:00Z`),
  );

allowLoopbackRequests();

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  // The page suspends until its catalog is in; load them first, so that each render is one synchronous pass.
  await Promise.all(LOCALES.map(loadPatientCatalog));
});
afterAll(() => sandbox.close());

/** The patient's assessment, loaded once and shared by the locales. */
const assessmentFor = sandboxAssessments(() => sandbox.url, index.asOf);
const assessmentOf = (patient: Scenario): Promise<Assessment> => assessmentFor(patient.id);

/** The text of a section, found by its heading in the page's locale. */
function section(root: Element, heading: string): Element {
  const found = [...root.querySelectorAll("section")].find(
    (s) => s.querySelector("h2")?.textContent === heading,
  );
  if (!found) throw new Error(`no section "${heading}"`);
  return found;
}

describe("patient page for every sandbox scenario, in every locale", () => {
  for (const patient of index.patients)
    it.each(LOCALES)(`%s: ${patient.id} (${patient.scenario})`, async (locale) => {
      const assessment = await assessmentOf(patient);
      // The scenario's expected result is what the rules give (so the texts below are the right ones).
      expect([assessment.status, assessment.category, assessment.setting]).toEqual([
        patient.expected.status,
        patient.expected.category,
        patient.expected.setting,
      ]);
      const catalog = CATALOGS[locale];
      const html = renderToStaticMarkup(
        <LocaleContext.Provider value={locale}>
          <PatientExplanation assessment={assessment} patientName={patient.name} onBack={() => undefined} />
        </LocaleContext.Provider>,
      );
      const page = new JSDOM(html).window.document.querySelector("main");
      if (!page) throw new Error("no page");
      expect(page.getAttribute("lang")).toBe(locale);
      expect(page.querySelector("h1")?.textContent).toBe(catalog["page.title"]);
      const paragraphs = [...page.querySelectorAll("p")].map((p) => p.textContent);
      expect(paragraphs).toContain(catalog["page.for"].replace("{name}", patient.name));

      // The test date, in the locale's words; never as an ISO string.
      const date = assessment.basis?.date;
      if (date && /^\d{4}-\d{2}-\d{2}/.test(date))
        expect(paragraphs).toContain(catalog["page.testDate"].replace("{date}", longDate(date, locale)));
      else if (!date) expect(paragraphs).toContain(catalog["page.noTestDate"]);

      const result = section(page, catalog["section.result"]);
      expect(result.querySelector("p")?.textContent).toBe(catalog[expectedResult(patient.expected)]);
      const next = [...section(page, catalog["section.next"]).querySelectorAll("li")].map(
        (li) => li.textContent,
      );
      expect(next.sort()).toEqual(
        expectedNextSteps(patient.expected)
          .map((id) => catalog[id])
          .sort(),
      );
      const treatment = section(page, catalog["section.treatment"]);
      expect(treatment.querySelector("p")?.textContent).toBe(catalog[expectedTreatment(patient.expected)]);
      expect(paragraphs).toContain(catalog["page.disclaimer"]);

      // Only the name and the test date identify the patient: no FHIR words, ids, identifiers or birth date.
      const text = page.textContent;
      expect(text).not.toMatch(FHIR_WORDS);
      expect(text).not.toContain(patient.birthDate);
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
      for (const id of identifiersOf(patient.file))
        expect(text, id).not.toMatch(new RegExp(`(^|[^\\w-])${escape(id)}($|[^\\w-])`));

      if (locale !== "en") {
        // No English in the page's own text: what is marked with another language (the sources, as published, and
        // the language menu's names) and the patient's name are left out.
        const own = page.cloneNode(true) as Element;
        for (const el of own.querySelectorAll("style, [lang]")) el.remove();
        const words = own.textContent.replace(patient.name, "");
        for (const english of Object.values(en).filter((s) => s.includes(" ")))
          expect(words, "an English text").not.toContain(english.replace(/\{\w+\}.*$/, ""));
        if (locale === "es") expect(words).not.toMatch(ENGLISH_WORDS);
        else expect(words.replace(KEPT_LATIN, "").replace(/\d+\.\d+\.\d+/g, "")).not.toMatch(/[A-Za-z]{2,}/);
      }
    });
});
