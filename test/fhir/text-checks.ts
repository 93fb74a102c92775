/**
 * Checks shared by the FHIR layer's text tests (texts.test.ts, gap-texts.test.ts): which English runs of the FHIR
 * catalog a locale writes otherwise, and a rendered text with its raw values (the record's or the server's own words)
 * taken out, so that only the catalog's words are checked.
 */
import type { Text, TextValue } from "../../src/domain/text";
import EN from "../../src/fhir/messages/en.json";

/** The FHIR catalog's English runs between placeholders (three words or more) that the locale writes otherwise. */
export function englishRuns(other: Readonly<Record<string, string>>): string[] {
  const runs = new Set<string>();
  for (const [id, source] of Object.entries(EN as Record<string, string>)) {
    if (other[id] === source) continue;
    for (const run of source.split(/\{[^{}]*\}/)) {
      const phrase = run.trim().replace(/^[\s,.:;()"]+|[\s,.:;()"]+$/g, "");
      if (phrase.split(/\s+/).length >= 3) runs.add(phrase);
    }
  }
  return [...runs];
}

/** The raw strings inside a descriptor (the record's own words, codes, references), longest first. */
export function rawValues(value: TextValue, into: string[] = []): string[] {
  if (typeof value === "string") into.push(value);
  else if (typeof value === "object") for (const v of Object.values(value.values ?? {})) rawValues(v, into);
  return into.sort((a, b) => b.length - a.length);
}

export function withoutValues(rendered: string, descriptor: Text): string {
  let out = rendered;
  for (const v of rawValues(descriptor)) if (v) out = out.split(v).join(" ");
  return out;
}

/** Every message id in a descriptor, nested ones included. */
export function idsOf(value: TextValue, into: Set<string>): Set<string> {
  if (typeof value === "object") {
    into.add(value.id);
    for (const v of Object.values(value.values ?? {})) idsOf(v, into);
  }
  return into;
}
