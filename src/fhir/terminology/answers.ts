/**
 * Coded answers of HER2 results.
 *
 * Sources (checked 2026-11-25 with the project's code search):
 * - [Synthea] / [mCODE-data]: SNOMED 10828004 Positive, 260385009 Negative (Synthea module; /work/shared/data/external).
 * - [PHIN-VS]: the CDC PHIN "test result" value set tables (several repositories) list SNOMED 42425007 Equivocal and
 *   419984006 Inconclusive next to 10828004 / 260385009.
 * - [mCODE-IG]: LOINC answers LA6576-8 Positive and LA6577-6 Negative in mCODE / Genomics Reporting examples.
 * Not found in any source and therefore NOT coded here (the display text is read instead, and reported as such):
 * SNOMED 82334004 "Indeterminate", a LOINC answer code for "Equivocal", SNOMED codes for IHC scores 0/1+/2+/3+.
 */
import type { ReportedCall } from "../../domain/types";
import type { AnswerMeaning } from "../code-map";
import { CAP_ECC_SYSTEMS, LOINC, SNOMED, V3_INTERPRETATION } from "./systems";

export interface AnswerEntry {
  system: string;
  code: string;
  call: ReportedCall;
  display: string;
  source: string;
}

export const ANSWER_CODES: readonly AnswerEntry[] = [
  { system: SNOMED, code: "10828004", call: "positive", display: "Positive", source: "Synthea; mCODE-data" },
  { system: SNOMED, code: "260385009", call: "negative", display: "Negative", source: "Synthea; mCODE-data" },
  { system: SNOMED, code: "42425007", call: "equivocal", display: "Equivocal", source: "PHIN-VS" },
  { system: SNOMED, code: "419984006", call: "indeterminate", display: "Inconclusive", source: "PHIN-VS" },
  { system: LOINC, code: "LA6576-8", call: "positive", display: "Positive", source: "mCODE-IG" },
  { system: LOINC, code: "LA6577-6", call: "negative", display: "Negative", source: "mCODE-IG" },
];

/** Observation.interpretation codes (HL7 v3 ObservationInterpretation, FHIR R4 core terminology). */
export const INTERPRETATION_CODES: readonly AnswerEntry[] = [
  {
    system: V3_INTERPRETATION,
    code: "POS",
    call: "positive",
    display: "Positive",
    source: "FHIR R4 v3-ObservationInterpretation",
  },
  {
    system: V3_INTERPRETATION,
    code: "NEG",
    call: "negative",
    display: "Negative",
    source: "FHIR R4 v3-ObservationInterpretation",
  },
  {
    system: V3_INTERPRETATION,
    code: "IND",
    call: "indeterminate",
    display: "Indeterminate",
    source: "FHIR R4 v3-ObservationInterpretation",
  },
  {
    system: V3_INTERPRETATION,
    code: "EQV",
    call: "equivocal",
    display: "Equivocal",
    source: "FHIR R4 v3-ObservationInterpretation",
  },
];

/**
 * CAP eCC answer CKeys of the HER2 IHC question (issue 12.5), checked 2026-12-03 with the project's code search:
 * 40505.100004300 "Negative (Score 0)" (HL7 cancer-reporting IG example); 31016.100004300 "Negative (Score 1+)"
 * (mCODE biomarker example). Other eCC answers (2+, 3+, the ISH answers) were not found in a real example: their
 * display text is read ("Equivocal (Score 2+)") and reported as such.
 */
export const CAP_ECC_ANSWER_CODES: readonly {
  system: string;
  code: string;
  meaning: AnswerMeaning;
  display: string;
}[] = CAP_ECC_SYSTEMS.flatMap((system) => [
  { system, code: "40505.100004300", meaning: "ihc-0" as const, display: "Negative (Score 0)" },
  { system, code: "31016.100004300", meaning: "ihc-1+" as const, display: "Negative (Score 1+)" },
]);
