import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import GlobalStyles from "@mui/material/GlobalStyles";
import Typography from "@mui/material/Typography";
import { useEffect, useRef } from "react";
import {
  explainForPatient,
  formatPatientMessage,
  type PatientMessage,
  type PatientMessageId,
} from "../../domain/patient-texts";
import type { Assessment } from "../../domain/types";
import { printHide } from "../a11y";
import { calendarDate } from "../dates";

/** On paper: only the explanation, in black on white, without the buttons. */
const printStyles = {
  "@media print": {
    '[data-print="hide"]': { display: "none !important" },
    body: { background: "#fff !important" },
    "[data-patient-page]": { maxWidth: "none !important", padding: "0 !important", fontSize: "11pt" },
    "@page": { margin: "15mm" },
  },
} as const;

const t = (id: PatientMessageId, values?: Record<string, string>): string =>
  formatPatientMessage({ id, values });

function Texts({ messages }: { messages: readonly PatientMessage[] }) {
  return messages.map((msg) => (
    <Typography key={msg.id} sx={{ mb: 1, fontSize: "1.0625rem", lineHeight: 1.6 }}>
      {formatPatientMessage(msg)}
    </Typography>
  ));
}

function Bullets({ messages }: { messages: readonly PatientMessage[] }) {
  return (
    <Box component="ul" sx={{ pl: 3, m: 0 }}>
      {messages.map((msg) => (
        <Typography component="li" key={msg.id} sx={{ mb: 0.75, fontSize: "1.0625rem", lineHeight: 1.6 }}>
          {formatPatientMessage(msg)}
        </Typography>
      ))}
    </Box>
  );
}

function Section({ id, children }: { id: PatientMessageId; children: React.ReactNode }) {
  return (
    <Box component="section" sx={{ mt: 2.5, breakInside: "avoid" }}>
      <Typography variant="h2" sx={{ fontSize: "1.25rem", fontWeight: 600, mb: 1 }}>
        {t(id)}
      </Typography>
      {children}
    </Box>
  );
}

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
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  const testDate = calendarDate(page.testDate);
  return (
    <Box
      component="main"
      data-patient-page=""
      data-testid="patient-explanation"
      sx={{ px: { xs: 1.5, sm: 3 }, py: 2, maxWidth: 760, mx: "auto" }}
    >
      <GlobalStyles styles={printStyles} />
      <Box sx={{ display: "flex", gap: 1, mb: 1.5 }} {...printHide}>
        <Button variant="outlined" onClick={onBack}>
          {t("page.back")}
        </Button>
        <Button
          variant="contained"
          onClick={() => {
            window.print();
          }}
          sx={{ ml: "auto" }}
        >
          {t("page.print")}
        </Button>
      </Box>
      <Typography variant="h1" ref={heading} tabIndex={-1} sx={{ fontSize: "1.75rem", outline: "none" }}>
        {t("page.title")}
      </Typography>
      {patientName ? <Typography sx={{ mt: 0.5 }}>{t("page.for", { name: patientName })}</Typography> : null}
      <Typography>{testDate ? t("page.testDate", { date: testDate }) : t("page.noTestDate")}</Typography>
      <Section id="section.what">
        <Texts messages={page.what} />
      </Section>
      <Section id="section.result">
        <Texts messages={page.result} />
      </Section>
      <Section id="section.next">
        <Bullets messages={page.nextSteps} />
      </Section>
      <Section id="section.treatment">
        <Texts messages={page.treatment} />
      </Section>
      <Section id="section.questions">
        <Bullets messages={page.questions} />
      </Section>
      {page.sources.length > 0 ? (
        <Section id="section.sources">
          <Box component="ol" sx={{ pl: 3, m: 0, fontSize: "0.875rem" }}>
            {page.sources.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </Box>
        </Section>
      ) : null}
      <Typography sx={{ mt: 3, fontWeight: 600 }}>{t("page.disclaimer")}</Typography>
      <Typography sx={{ mt: 1, fontSize: "0.8125rem", color: "text.secondary" }}>
        {t("page.madeOn", { date: calendarDate(page.asOf) ?? page.asOf, version: page.rulesVersion })}
      </Typography>
    </Box>
  );
}
