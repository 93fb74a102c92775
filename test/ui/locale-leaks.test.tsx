// @vitest-environment node
/**
 * No English left on the panel in Spanish or Chinese (issue 15.3): the panel (Her2Panel inside react-intl's
 * IntlProvider and the LocaleContext, catalogs loaded, the rules' texts localized as PatientApp does) for every
 * sandbox patient, rendered on the server (the sandbox runs in the node environment) and read back with jsdom. It
 * fails when a sentence of src/ui/messages/en.json appears on an es / zh-CN panel.
 *
 * The rules' sentences and the FHIR layer's are checked too (src/domain/messages/en.json, src/fhir/messages/en.json):
 * a reason, value or reading written in English inside a localized text fails it. Left out of the check, on purpose:
 * the evidence texts without an `i18n` descriptor (a value, reading, `readAs` or not-used reason), removed from the
 * page's text by comparing against the assessment's own strings before the check. Also left out: the FHIR layer's
 * data-gap reasons, quoted and marked `lang="en"` on purpose (the server's words). Not covered: the timeline, a lazy
 * chunk that a server render leaves as its Suspense fallback; its summary has its own test (timeline-locale.test.ts)
 * and its item texts (marks and the hidden list) are still English. Only phrases of three words or more are checked.
 */
import { JSDOM } from "jsdom";
import { readFileSync } from "node:fs";
import { renderToStaticMarkup } from "react-dom/server";
import { IntlProvider } from "react-intl";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSandbox, startSandbox } from "../../sandbox/server";
import type { Assessment } from "../../src/domain";
import FHIR_EN from "../../src/fhir/messages/en.json";
import FHIR_ES from "../../src/fhir/messages/es.json";
import FHIR_ZH from "../../src/fhir/messages/zh-CN.json";
import { loadDomainCatalog, localizeAssessment } from "../../src/i18n/localize-assessment";
import type { Locale } from "../../src/i18n/locales";
import { Her2Panel } from "../../src/ui/Her2Panel";
import { LocaleContext } from "../../src/ui/i18n/locale-context";
import rulesEn from "../../src/domain/messages/en.json";
import rulesEs from "../../src/domain/messages/es.json";
import rulesZh from "../../src/domain/messages/zh-CN.json";
import deferredEn from "../../src/ui/deferred/messages/en.json";
import deferredEs from "../../src/ui/deferred/messages/es.json";
import deferredZh from "../../src/ui/deferred/messages/zh-CN.json";
import en from "../../src/ui/messages/en.json";
import es from "../../src/ui/messages/es.json";
import zh from "../../src/ui/messages/zh-CN.json";
import { allowLoopbackRequests } from "../sandbox/helpers";
import { sandboxAssessments } from "./sandbox-assessments";

interface Scenario {
  id: string;
  name: string;
  birthDate: string;
  scenario: string;
}
const index = JSON.parse(readFileSync("sandbox/patients/index.json", "utf8")) as {
  asOf: string;
  patients: Scenario[];
};

const CATALOGS: Readonly<Record<Exclude<Locale, "en">, Readonly<Record<string, string>>>> = {
  es,
  "zh-CN": zh,
};
const LOCALES = Object.keys(CATALOGS) as Exclude<Locale, "en">[];
/** The timeline's and the chart copy's catalogs (src/ui/deferred), checked on the page as well. */
const DEFERRED_CATALOGS: Readonly<Record<Exclude<Locale, "en">, Readonly<Record<string, string>>>> = {
  es: deferredEs,
  "zh-CN": deferredZh,
};
/** The FHIR layer's catalogs (its readings and unreadable reasons, issue 15), checked on the page as well. */
const FHIR_CATALOGS: Readonly<Record<Exclude<Locale, "en">, Readonly<Record<string, string>>>> = {
  es: FHIR_ES,
  "zh-CN": FHIR_ZH,
};
const RULES_CATALOGS: Readonly<Record<Exclude<Locale, "en">, Readonly<Record<string, string>>>> = {
  es: rulesEs,
  "zh-CN": rulesZh,
};

/**
 * The English sentences of the panel's catalog: each message's literal runs between ICU arguments (plural and
 * select branches included), kept when they read as a phrase (three words or more) and the message is not the same
 * in the other catalog (names such as "HER2" stay as written in every locale).
 */
function englishSentences(
  other: Readonly<Record<string, string>>,
  english: Readonly<Record<string, string>> = en,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, message] of Object.entries(english)) {
    if (other[id] === message) continue;
    // Strip argument names and keywords: `{count, plural, one {One request} other {# requests}}` leaves the branches.
    const literal = message
      .replace(/\{\s*\w+\s*,\s*(?:plural|select|selectordinal)\s*,/g, "{")
      .replace(/(?:=\d+|zero|one|two|few|many|other|\w+)\s*\{/g, "{")
      .replace(/\{\s*\w+\s*(?:,[^{}]*)?\}/g, "\u0000")
      .replace(/[{}#]/g, "\u0000");
    for (const run of literal.split("\u0000")) {
      const phrase = run
        .trim()
        .replace(/^[,.:;()]+|[,.:;()]+$/g, "")
        .trim();
      if (phrase.split(/\s+/).length >= 3) out.set(phrase, id);
    }
  }
  return out;
}

allowLoopbackRequests();

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  await Promise.all(LOCALES.map(loadDomainCatalog));
});
afterAll(() => sandbox.close());

/** The patient's assessment, loaded once and shared by the locales. */
const assessmentFor = sandboxAssessments(() => sandbox.url, index.asOf);
const assessmentOf = (patient: Scenario): Promise<Assessment> => assessmentFor(patient.id);

/**
 * The evidence texts without a descriptor (a value, reading, `readAs` or not-used reason the rules or the FHIR layer
 * do not hold as a message), longest first so that none is cut by a shorter one.
 */
function evidenceStrings(a: Assessment): string[] {
  return a.evidence
    .flatMap((e) => [
      e.i18n?.value ? undefined : e.value,
      e.i18n?.interpretation ? undefined : e.interpretation,
      e.i18n?.readAs ? undefined : e.readAs,
      e.i18n?.notUsedReason ? undefined : e.notUsedReason,
    ])
    .filter((s): s is string => typeof s === "string" && s.trim().length > 0)
    .sort((x, y) => y.length - x.length);
}

function renderPanel(assessment: Assessment, locale: Locale, patient: Scenario): Document {
  const html = renderToStaticMarkup(
    <IntlProvider locale={locale} messages={locale === "en" ? en : CATALOGS[locale]}>
      <LocaleContext.Provider value={locale}>
        <Her2Panel
          patient={{ reference: assessment.patient, name: patient.name, birthDate: patient.birthDate }}
          showPatientBanner
          state={{ kind: "ready", assessment: localizeAssessment(assessment, locale) }}
          sourceLabel="ehr.example.org"
        />
      </LocaleContext.Provider>
    </IntlProvider>,
  );
  return new JSDOM(html).window.document;
}

/** The page's text without what this check leaves out (see the file comment). */
function checkedText(doc: Document, assessment: Assessment): string {
  for (const el of doc.querySelectorAll('style, [lang="en"]')) el.remove();
  let text = doc.body.textContent;
  for (const s of evidenceStrings(assessment)) text = text.split(s).join(" ");
  return text;
}

describe("no English sentence of the panel's catalog on an es / zh-CN panel", () => {
  for (const patient of index.patients)
    it.each(LOCALES)(`%s: ${patient.id} (${patient.scenario})`, async (locale) => {
      const assessment = await assessmentOf(patient);
      const doc = renderPanel(assessment, locale, patient);
      // The panel was rendered (not an error screen) and is in the locale's words.
      expect(doc.querySelector('[data-testid="status-header"]')).not.toBeNull();
      const text = checkedText(doc, assessment);
      const leaks = [
        ...englishSentences(CATALOGS[locale]),
        ...englishSentences(FHIR_CATALOGS[locale], FHIR_EN),
        ...englishSentences(DEFERRED_CATALOGS[locale], deferredEn),
        ...englishSentences(RULES_CATALOGS[locale], rulesEn),
      ]
        .filter(([phrase]) => text.includes(phrase))
        .map(([phrase, id]) => `${id}: "${phrase}"`);
      expect(leaks).toEqual([]);
    });
});

describe("the leak check itself", () => {
  it("finds the rules' English sentences on an English panel (ISH group reason, ISH value)", async () => {
    const patient = index.patients.find((p) => p.id === "her2-ish-g2-no-ihc");
    if (!patient) throw new Error("no her2-ish-g2-no-ihc");
    const assessment = await assessmentOf(patient);
    const text = checkedText(renderPanel(assessment, "en", patient), assessment);
    const found = [...englishSentences(rulesEs, rulesEn)]
      .filter(([phrase]) => text.includes(phrase))
      .map(([, id]) => id);
    expect(found).toEqual(expect.arrayContaining(["reason.group.needs-ihc"]));
  });

  it("finds the English sentences on the same panel in English (it is not vacuous)", async () => {
    const patient = index.patients.find((p) => p.id === "her2-ihc2-ish-neg");
    if (!patient) throw new Error("no her2-ihc2-ish-neg");
    const assessment = await assessmentOf(patient);
    const text = checkedText(renderPanel(assessment, "en", patient), assessment);
    const found = [...englishSentences(es)].filter(([phrase]) => text.includes(phrase)).map(([, id]) => id);
    expect(found).toEqual(
      expect.arrayContaining([
        "header.whyOnRecent",
        "completeness.allLoadedFrom",
        "panel.footerFrom",
        "flags.none",
      ]),
    );
  });

  it("finds the FHIR layer's English reason of an unreadable result on the English panel", async () => {
    const patient = index.patients.find((p) => p.id === "her2-unreadable");
    if (!patient) throw new Error("no her2-unreadable");
    const assessment = await assessmentOf(patient);
    const text = checkedText(renderPanel(assessment, "en", patient), assessment);
    const found = [...englishSentences(FHIR_ES, FHIR_EN)].filter(([phrase]) => text.includes(phrase));
    expect(found.length).toBeGreaterThan(0);
  });
});

/**
 * The "Why" line drops the specimen the "Based on" line names (issue 18.1) in every locale: it used to match only
 * the rules' English, so in es / zh-CN the whole sentence, specimen and all, was repeated. The words are written
 * here from the rules' catalogs' opening ("Según la muestra concluyente más reciente", "依据最近的明确标本").
 */
describe.each([
  {
    locale: "es" as const,
    opening: "Según la muestra concluyente más reciente",
    closing: /, en la muestra concluyente más reciente\./,
    // The combined reason is the rules' message in the locale too (IHQ: Spanish pathology reports' IHC).
    result: /IHQ 3\+/,
  },
  {
    locale: "zh-CN" as const,
    opening: "依据最近的明确标本",
    closing: /（依据最近的明确标本）。/,
    result: /免疫组化 \(IHC\) 3\+/,
  },
])("the reason for a status based on a specimen in $locale", ({ locale, opening, closing, result }) => {
  it("names the result without restating the specimen", async () => {
    const patient = index.patients.find((p) => p.id === "her2-ihc3");
    if (!patient) throw new Error("no her2-ihc3");
    const assessment = await assessmentOf(patient);
    const localized = localizeAssessment(assessment, locale);
    // The rules' reason opens with the specimen (else this test would check nothing).
    expect(localized.statusReason.startsWith(opening)).toBe(true);
    const header = renderPanel(assessment, locale, patient).querySelector('[data-testid="status-header"]');
    const why = [...(header?.querySelectorAll("dt") ?? [])].find(
      (dt) => dt.textContent === CATALOGS[locale]["header.why"],
    );
    const reason = why?.parentElement?.querySelector("dd")?.textContent ?? "";
    expect(reason).toMatch(result);
    expect(reason).toMatch(closing);
    expect(reason).not.toContain(opening + "，");
    expect(reason.startsWith(opening)).toBe(false);
  });
});
