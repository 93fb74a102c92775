import { type CSSProperties, type ReactNode, useState, useTransition } from "react";
import { explainForPatient, type PatientMessage, type PatientMessageId } from "../../domain/patient-texts";
import type { Assessment } from "../../domain/types";
import { formatMessage } from "../../i18n/format";
import { LOCALE_NAMES, SUPPORTED_LOCALES, type Locale, isLocale } from "../../i18n/locales";
import { useLocale } from "../i18n/locale-context";
import { usePatientCatalog } from "./catalogs";
import { formatPatientDate } from "./patient-dates";

/*
 * Plain elements and one style sheet, no MUI components and no other UI module: the chunk then shares nothing new
 * with the index bundle, which the bundler would otherwise split into extra chunks (about 1.3 kB gzip on index.html).
 */
const CSS = `
[data-patient-page]{max-width:760px;margin:0 auto;padding:16px 20px;font-size:1.0625rem;line-height:1.6;color:#1a1a1a}
[data-patient-page] h1{font-size:1.75rem;line-height:1.25;margin:0 0 4px;outline:none}
[data-patient-page] h2{font-size:1.25rem;margin:20px 0 6px}
[data-patient-page] p{margin:0 0 8px}
[data-patient-page] ul,[data-patient-page] ol{margin:0;padding-left:24px}
[data-patient-page] li{margin-bottom:6px}
[data-patient-page] section{break-inside:avoid}
[data-patient-page] .pe-buttons{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:8px;margin-bottom:12px}
[data-patient-page] select{font:inherit;font-size:1rem;min-height:44px;margin-left:6px;padding:4px 8px;border:1px solid #1f5f99;border-radius:4px;background:#fff;color:#1a1a1a}
[data-patient-page] button{font:inherit;font-size:1rem;padding:6px 16px;min-height:44px;border-radius:4px;cursor:pointer;border:1px solid #1f5f99;background:#fff;color:#1f5f99}
[data-patient-page] button.pe-primary{background:#1f5f99;color:#fff}
[data-patient-page] button:focus-visible,[data-patient-page] select:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}
@media print{
  [data-print="hide"]{display:none !important}
  body{background:#fff !important}
  [data-patient-page]{max-width:none;padding:0;font-size:11pt}
  @page{margin:15mm}
}`;

const small: CSSProperties = { fontSize: "0.875rem" };

const focusOnMount = (el: HTMLElement | null): void => {
  el?.focus();
};

type Format = (msg: PatientMessage) => string;

function Section({ heading, children }: { heading: string; children: ReactNode }) {
  return (
    <section>
      <h2>{heading}</h2>
      {children}
    </section>
  );
}

const paragraphs = (messages: readonly PatientMessage[], f: Format) =>
  messages.map((msg) => <p key={msg.id}>{f(msg)}</p>);

const bullets = (messages: readonly PatientMessage[], f: Format) => (
  <ul>
    {messages.map((msg) => (
      <li key={msg.id}>{f(msg)}</li>
    ))}
  </ul>
);

export interface PatientExplanationProps {
  assessment: Assessment;
  /** The patient's name as the launch context gives it; no other identifier is shown. */
  patientName?: string;
  onBack: () => void;
}

/**
 * The page the clinician shows or prints for the patient (issue 15.1): what HER2 is, what this result means, what
 * happens next (one text per flag), what treatment may follow with its trial figures and sources, questions to ask,
 * and that it does not replace the doctor's advice. Only the name and the test date identify the patient.
 *
 * It speaks the panel's locale (useLocale(), English without a provider), and its own language menu lets the
 * clinician print it in the patient's language when that is not the panel's. Dates are formatted in that locale;
 * the sources stay as published (English references, marked `lang="en"`).
 */
export function PatientExplanation({ assessment, patientName, onBack }: PatientExplanationProps) {
  const panelLocale = useLocale();
  const [chosen, setChosen] = useState<Locale>();
  // A switch keeps the current page on screen while the other catalog's chunk loads (no skeleton flash).
  const [, startTransition] = useTransition();
  const locale = chosen ?? panelLocale;
  const catalog = usePatientCatalog(locale);
  const t = (id: PatientMessageId, values?: Readonly<Record<string, string>>): string =>
    formatMessage(locale, catalog, id, values);
  const f: Format = (msg) => t(msg.id, msg.values);
  const page = explainForPatient(assessment);
  const testDate = formatPatientDate(page.testDate, locale);
  return (
    <main data-patient-page="" data-testid="patient-explanation" lang={locale}>
      <style>{CSS}</style>
      <div className="pe-buttons" data-print="hide">
        <button type="button" onClick={onBack}>
          {t("page.back")}
        </button>
        <label>
          {t("page.language")}
          <select
            value={locale}
            onChange={(event) => {
              const next = event.target.value;
              if (isLocale(next))
                startTransition(() => {
                  setChosen(next);
                });
            }}
          >
            {SUPPORTED_LOCALES.map((l) => (
              <option key={l} value={l} lang={l}>
                {LOCALE_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="pe-primary"
          onClick={() => {
            window.print();
          }}
        >
          {t("page.print")}
        </button>
      </div>
      {/* Focus moves to the page's heading when it opens (a callback ref runs once, on mount). */}
      <h1 ref={focusOnMount} tabIndex={-1}>
        {t("page.title")}
      </h1>
      {patientName ? <p>{t("page.for", { name: patientName })}</p> : null}
      <p>{testDate ? t("page.testDate", { date: testDate }) : t("page.noTestDate")}</p>
      <Section heading={t("section.what")}>{paragraphs(page.what, f)}</Section>
      <Section heading={t("section.result")}>{paragraphs(page.result, f)}</Section>
      <Section heading={t("section.next")}>{bullets(page.nextSteps, f)}</Section>
      <Section heading={t("section.treatment")}>{paragraphs(page.treatment, f)}</Section>
      <Section heading={t("section.questions")}>{bullets(page.questions, f)}</Section>
      {page.sources.length > 0 ? (
        <Section heading={t("section.sources")}>
          <ol style={small} lang="en">
            {page.sources.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ol>
        </Section>
      ) : null}
      <p style={{ marginTop: 24, fontWeight: 600 }}>{t("page.disclaimer")}</p>
      <p style={{ ...small, color: "#555" }}>
        {t("page.madeOn", {
          date: formatPatientDate(page.asOf, locale) ?? page.asOf,
          version: page.rulesVersion,
        })}
      </p>
    </main>
  );
}
