import type { CSSProperties, ReactNode } from "react";
import {
  explainForPatient,
  formatPatientMessage,
  type PatientMessage,
  type PatientMessageId,
} from "../../domain/patient-texts";
import type { Assessment } from "../../domain/types";

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
[data-patient-page] .pe-buttons{display:flex;justify-content:space-between;gap:8px;margin-bottom:12px}
[data-patient-page] button{font:inherit;font-size:1rem;padding:6px 16px;min-height:44px;border-radius:4px;cursor:pointer;border:1px solid #1f5f99;background:#fff;color:#1f5f99}
[data-patient-page] button.pe-primary{background:#1f5f99;color:#fff}
[data-patient-page] button:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}
@media print{
  [data-print="hide"]{display:none !important}
  body{background:#fff !important}
  [data-patient-page]{max-width:none;padding:0;font-size:11pt}
  @page{margin:15mm}
}`;

const small: CSSProperties = { fontSize: "0.875rem" };

/** The calendar date as recorded (YYYY, YYYY-MM or YYYY-MM-DD), never shifted by a time zone. */
const calendar = (iso: string | undefined): string | undefined =>
  /^\d{4}(?:-\d{2}){0,2}/.exec(iso ?? "")?.[0];

const focusOnMount = (el: HTMLElement | null): void => {
  el?.focus();
};

const t = (id: PatientMessageId, values?: Record<string, string>): string =>
  formatPatientMessage({ id, values });

function Section({ id, children }: { id: PatientMessageId; children: ReactNode }) {
  return (
    <section>
      <h2>{t(id)}</h2>
      {children}
    </section>
  );
}

const paragraphs = (messages: readonly PatientMessage[]) =>
  messages.map((msg) => <p key={msg.id}>{formatPatientMessage(msg)}</p>);

const bullets = (messages: readonly PatientMessage[]) => (
  <ul>
    {messages.map((msg) => (
      <li key={msg.id}>{formatPatientMessage(msg)}</li>
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
 */
export function PatientExplanation({ assessment, patientName, onBack }: PatientExplanationProps) {
  const page = explainForPatient(assessment);
  const testDate = calendar(page.testDate);
  return (
    <main data-patient-page="" data-testid="patient-explanation">
      <style>{CSS}</style>
      <div className="pe-buttons" data-print="hide">
        <button type="button" onClick={onBack}>
          {t("page.back")}
        </button>
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
      <Section id="section.what">{paragraphs(page.what)}</Section>
      <Section id="section.result">{paragraphs(page.result)}</Section>
      <Section id="section.next">{bullets(page.nextSteps)}</Section>
      <Section id="section.treatment">{paragraphs(page.treatment)}</Section>
      <Section id="section.questions">{bullets(page.questions)}</Section>
      {page.sources.length > 0 ? (
        <Section id="section.sources">
          <ol style={small}>
            {page.sources.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ol>
        </Section>
      ) : null}
      <p style={{ marginTop: 24, fontWeight: 600 }}>{t("page.disclaimer")}</p>
      <p style={{ ...small, color: "#555" }}>
        {t("page.madeOn", { date: calendar(page.asOf) ?? page.asOf, version: page.rulesVersion })}
      </p>
    </main>
  );
}
