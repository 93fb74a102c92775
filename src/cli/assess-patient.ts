/**
 * One patient's step of the second pass: the app's `buildPatientInput` + `assess`, the filters, and the output text.
 * Shared by the in-process review and the review workers (review-worker.ts), so both paths print the same bytes.
 */
import { assess } from "../domain";
import type { CodeMap } from "../fhir/code-map";
import { buildPatientInput } from "../fhir/normalise";
import { errorMessage } from "./diagnostics";
import type { Locale } from "../i18n/locales";
import { matchesFilters, type Filters } from "./filters";
import type { OutputFormat } from "./formats";
import { cliMessage } from "./messages";
import type { PatientResourceSet } from "./population";
import { summaryRecord, type SummaryRecord } from "./summary";

export type PatientOutcome =
  | {
      kind: "assessed";
      /** The format's text for the patient; "" when the filters leave the patient out. */
      text: string;
      record: SummaryRecord;
      /** Time in `buildPatientInput` + `assess`, in ms. */
      ms: number;
    }
  /** The rules or the FHIR layer threw (a bug): the patient is left out and the run fails. */
  | { kind: "failed"; message: string };

/** Assesses one patient and renders it; never throws for an error of the app's modules. */
export function assessPatient(
  set: PatientResourceSet,
  asOf: string,
  codeMap: CodeMap,
  filters: Filters,
  format: OutputFormat,
): PatientOutcome {
  const started = performance.now();
  let assessment;
  try {
    assessment = assess(
      buildPatientInput({
        patient: set.patient,
        resources: set.resources,
        asOf,
        dataGaps: set.dataGaps ?? [],
        codeMap,
      }),
    );
  } catch (error) {
    return { kind: "failed", message: errorMessage(error) };
  }
  const ms = performance.now() - started;
  const shown = matchesFilters(assessment, filters);
  return {
    kind: "assessed",
    text: shown ? format.patient(assessment) : "",
    record: summaryRecord(assessment, shown),
    ms,
  };
}

/** The stderr line for a patient that could not be assessed; `message` is the error's own, as it is. */
export function failureLine(patient: string, message: string, locale: Locale = "en"): string {
  return `${cliMessage(locale, "error.notAssessed", { patient, message })}\n`;
}
