/**
 * Reading level of the patient page's texts (issue 15.2). English: text-readability 1.1.1 (a maintained port of
 * Python's textstat): Flesch-Kincaid grade (US school grade), Flesch reading ease, and the library's consensus grade
 * over its eight formulas. Spanish and Simplified Chinese: no maintained JavaScript package offers a Spanish formula
 * (Fernández-Huerta, Szigriszt-Pazos: text-readability counts English syllables only) or a Chinese one, so the
 * measure there is sentence length: words per sentence (es) and characters per sentence (zh-CN, a Latin word or a
 * number counting as one). Placeholders are filled with typical values first, as the page shows them.
 */
import readability from "text-readability";
import esMessages from "../src/domain/patient-page/messages/es.json";
import zhMessages from "../src/domain/patient-page/messages/zh-CN.json";
import { PATIENT_MESSAGES, type PatientMessageId } from "../src/domain/patient-texts";
import type { Locale } from "../src/i18n/locales";
import { formatPatientDate } from "../src/ui/patient/patient-dates";

export interface TextLevel {
  id: PatientMessageId | "all";
  text: string;
  fleschKincaid: number;
  readingEase: number;
  consensus: number;
}

const CATALOGS: Readonly<Record<Locale, Readonly<Record<PatientMessageId, string>>>> = {
  en: PATIENT_MESSAGES,
  es: esMessages,
  "zh-CN": zhMessages,
};

const sampleValues = (locale: Locale): Record<string, string> => ({
  name: "Maria Lopez",
  date: formatPatientDate("2024-03-02", locale) ?? "",
  version: "2.0.0",
});

/** The message as the page shows it in `locale`, with sample values in its placeholders. */
export function sampleText(id: PatientMessageId, locale: Locale = "en"): string {
  const values = sampleValues(locale);
  return CATALOGS[locale][id].replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
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

const IDS = Object.keys(PATIENT_MESSAGES) as PatientMessageId[];

/** Every text the page can show, one row each, then all of them together as one document ("all"). */
export function patientTextLevels(): TextLevel[] {
  const rows = IDS.map((id) => level(id, sampleText(id)));
  // Headings and button labels have no full stop; join them as sentences so the whole reads as prose.
  const all = rows.map((r) => (/[.?!]$/.test(r.text) ? r.text : `${r.text}.`)).join(" ");
  return [...rows, level("all", all)];
}

export interface SentenceLengths {
  id: PatientMessageId;
  text: string;
  sentences: number;
  /** Words (es) or characters (zh-CN) in each sentence. */
  lengths: number[];
}

/** Words of a Spanish sentence: runs of letters or digits (so "56,5" and "DESTINY-Breast04" count once). */
const spanishWords = (sentence: string): number =>
  sentence.match(/[\p{L}\p{N}]+(?:[-,.][\p{L}\p{N}]+)*/gu)?.length ?? 0;

/** Characters of a Chinese sentence: each Han character, plus one per Latin word or number. */
const chineseChars = (sentence: string): number =>
  (sentence.match(/\p{Script=Han}/gu)?.length ?? 0) +
  (sentence.match(/[A-Za-z0-9]+(?:[-.][A-Za-z0-9]+)*/g)?.length ?? 0);

/** The length of each sentence of a Spanish (words) or Chinese (characters) text. */
export function measureSentences(text: string, locale: "es" | "zh-CN"): number[] {
  const sentences =
    locale === "es"
      ? text.split(/(?<=[.?!])\s+(?=[¿¡\p{Lu}0-9])/u)
      : text.split(/(?<=[。？！])/u).filter((s) => s.trim() !== "");
  return sentences.map(locale === "es" ? spanishWords : chineseChars);
}

/** Per text, the length of each sentence as the page shows it in Spanish or Simplified Chinese. */
export function sentenceLengths(locale: "es" | "zh-CN"): SentenceLengths[] {
  return IDS.map((id) => {
    const text = sampleText(id, locale);
    const lengths = measureSentences(text, locale);
    return { id, text, sentences: lengths.length, lengths };
  });
}

/** The median of some numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * The longest sentence a text may have: 20 Spanish words, 30 Chinese characters. Plain-language guides for patients
 * ask for sentences of about 15-20 words (and Chinese health-literacy guidance for short sentences of about 20-30
 * characters); the English limit is the grade-8 Flesch-Kincaid check.
 */
export const MAX_SENTENCE: Readonly<Record<"es" | "zh-CN", number>> = { es: 20, "zh-CN": 30 };
