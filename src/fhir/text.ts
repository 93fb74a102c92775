/**
 * The FHIR layer's texts a person reads (issue 15): how a HER2 record was read (`readAs`) and why one could not be
 * (`reason`), as message descriptors of `messages/en.json` (ids "fhir.…"; es.json and zh-CN.json translate them, and
 * src/i18n/localize-assessment.ts renders them with the rules' texts). The record's string fields are the English
 * rendering of the descriptors it carries beside them (`readAsText`, `reasonText`).
 *
 * Values are the record's own words (quoted text, codes, units, references, FHIR element names such as
 * valueString), kept as raw strings in every locale, or nested descriptors. Descriptors without a variable part are
 * shared constants: the chart review builds these for every HER2 resource of every patient.
 */
import { addEnglishMessages, en, joinTexts, type Text, type TextValue } from "../domain/text";
import EN from "./messages/en.json";

/** An id of the FHIR layer's English catalog: a descriptor with any other id does not type-check. */
export type FhirMessageId = keyof typeof EN;

// Registered once, when the first module that makes a descriptor is loaded: en() then renders them.
addEnglishMessages(EN);

/** A descriptor of the FHIR layer's catalog. */
export function fhirText(id: FhirMessageId, values?: Readonly<Record<string, TextValue>>): Text {
  return values === undefined ? { id } : { id, values };
}

/** Texts joined by "; " (the rules' separator message, which each locale writes its own way). */
export function joinedText(items: readonly TextValue[]): TextValue {
  return items.length === 1 ? (items[0] as TextValue) : joinTexts(items, "join.semicolon");
}

/** The English of texts joined by "; ", as the records' string fields hold it. */
export function joinedEnglish(items: readonly TextValue[]): string {
  let out = "";
  for (let i = 0; i < items.length; i++) out += (i === 0 ? "" : "; ") + en(items[i] as TextValue);
  return out;
}

export { en };
