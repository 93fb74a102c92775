/**
 * clinicalText and paperText in Spanish and Chinese (issue 15.3). The rules' texts in es / zh-CN keep the FHIR
 * references and SNOMED displays they write (data), so the rewrites still find them; the words put in their place
 * used to be English ("a pathology report", "specimen S-…", "the result on record") on a Spanish or Chinese panel.
 * The expected words are written here, not read from the catalogs.
 */
import { createIntl } from "react-intl";
import { describe, expect, it } from "vitest";
import type { Locale } from "../../src/i18n/locales";
import { clinicalText } from "../../src/ui/clinical-text";
import type { Translate } from "../../src/ui/i18n/translate";
import { formatRecordedDate } from "../../src/ui/i18n/translate";
import deferredEs from "../../src/ui/deferred/messages/es.json";
import deferredZh from "../../src/ui/deferred/messages/zh-CN.json";
import panelEs from "../../src/ui/messages/es.json";
import panelZh from "../../src/ui/messages/zh-CN.json";

// The page's messages inside the lazy sections: the panel's catalog and the deferred one (DeferredMessages).
const es = { ...panelEs, ...deferredEs };
const zh = { ...panelZh, ...deferredZh };
import { paperText } from "../../src/ui/PrintSummary";
import { IHC_2PLUS } from "./fixtures";

function translator(locale: Locale, messages: Readonly<Record<string, string>>): Translate {
  const intl = createIntl({ locale, messages });
  return (id, values) => intl.formatMessage({ id }, values);
}

const CASES = [
  {
    locale: "es" as const,
    t: translator("es", es),
    // A Spanish rules text as the rules' es catalog writes it, with the references they put in.
    text: "Repita la prueba en DiagnosticReport/dr-1 (Observation/ihc-1) de Liver structure.",
    clinical:
      /^Repita la prueba en un informe de anatomía patológica \(IHQ 2\+, 2 mar 2024, muestra S-24-1234\) de Liver\.$/,
    paper: "Repita la prueba en el resultado registrado (el resultado registrado) de Liver structure.",
    specimenPaper: "la muestra registrada",
  },
  {
    locale: "zh-CN" as const,
    t: translator("zh-CN", zh),
    text: "请在 DiagnosticReport/dr-1（Observation/ihc-1）上复查，部位 Liver structure。",
    clinical: /^请在 一份病理报告（IHC 2\+，2024年3月2日，标本 S-24-1234）上复查，部位 Liver。$/,
    paper: "请在 记录中的结果（记录中的结果）上复查，部位 Liver structure。",
    specimenPaper: "记录中的标本",
  },
];

describe.each(CASES)("in $locale", ({ locale, t, text, clinical, paper, specimenPaper }) => {
  it("clinicalText puts the result a reference names, in the page's words, and the site in plain words", () => {
    const date = (iso: string | undefined) => formatRecordedDate(iso, locale) ?? "";
    expect(clinicalText(text, [IHC_2PLUS], t, date)).toMatch(clinical);
  });

  it("paperText turns references into the page's words", () => {
    expect(paperText(text, t)).toBe(paper);
    expect(paperText("Specimen/s-9", t)).toBe(specimenPaper);
    expect(paperText("MedicationRequest/m-1 Foo/bar", t)).not.toMatch(/medication record|a record/);
  });
});
