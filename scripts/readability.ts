/**
 * Reading level of the patient page's texts (issue 15.2), by text-readability 1.1.1 (a maintained port of Python's
 * textstat): Flesch-Kincaid grade (US school grade), Flesch reading ease, and the library's consensus grade over
 * its eight formulas. Placeholders are filled with typical values first, as the page shows them.
 */
import readability from "text-readability";
import { PATIENT_MESSAGES, type PatientMessageId } from "../src/domain/patient-texts";

export interface TextLevel {
  id: PatientMessageId | "all";
  text: string;
  fleschKincaid: number;
  readingEase: number;
  consensus: number;
}

const SAMPLE_VALUES: Record<string, string> = { name: "Maria Lopez", date: "2024-03-02", version: "2.0.0" };

/** The message as the page shows it, with sample values in its placeholders. */
export function sampleText(id: PatientMessageId): string {
  return PATIENT_MESSAGES[id].replace(/\{(\w+)\}/g, (whole, key: string) => SAMPLE_VALUES[key] ?? whole);
}

function level(id: TextLevel["id"], text: string): TextLevel {
  return {
    id,
    text,
    fleschKincaid: readability.fleschKincaidGrade(text),
    readingEase: readability.fleschReadingEase(text),
    consensus: readability.textStandard(text, true),
  };
}

/** Every text the page can show, one row each, then all of them together as one document ("all"). */
export function patientTextLevels(): TextLevel[] {
  const ids = Object.keys(PATIENT_MESSAGES) as PatientMessageId[];
  const rows = ids.map((id) => level(id, sampleText(id)));
  // Headings and button labels have no full stop; join them as sentences so the whole reads as prose.
  const all = rows.map((r) => (/[.?!]$/.test(r.text) ? r.text : `${r.text}.`)).join(" ");
  return [...rows, level("all", all)];
}
