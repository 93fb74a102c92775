/**
 * Clinical words for the first screen (issue 18.2). The rules write references and SNOMED displays into their texts
 * (the CLI and the audit trail need them); the panel shows a clinician the result each reference names ("IHC 2+,
 * 2024-03-02, specimen S-24-1234") and the site in plain words ("Liver", not "Liver structure"). The FHIR detail stays
 * one click away, behind "How it was read" and "Source JSON".
 */
import type { EvidenceItem } from "../domain/types";
import { describeEvidence } from "./evidence";
import { type Translate, englishT } from "./i18n/translate";

/** `Type/id` references the rules write into their texts. */
const REFERENCE =
  /\b(?:Observation|DiagnosticReport|Condition|MedicationRequest|MedicationStatement|MedicationAdministration|Procedure|Specimen|Patient)\/[A-Za-z0-9.-]+/g;

/** What a reference without an evidence item is, in words (message ids `ref.<type>`, `ref.other`). */
const KIND_WORDS = {
  Observation: "ref.Observation",
  DiagnosticReport: "ref.DiagnosticReport",
  Condition: "ref.Condition",
  Procedure: "ref.Procedure",
  Specimen: "ref.Specimen",
  Patient: "ref.Patient",
} as const;

/** "Breast structure" -> "Breast", "Structure of left breast" -> "Left breast" (SNOMED CT body-structure displays). */
export function siteLabel(site: string): string {
  const of = /^structure of (.+)$/i.exec(site);
  const plain = of?.[1] ?? site.replace(/ structure\b/gi, "");
  return plain.charAt(0).toUpperCase() + plain.slice(1);
}

/**
 * Labels an ISH value for a clinician (issue 18.2): "ratio 2.4, HER2 5.1/cell, CEP17 2.1/cell" reads
 * "HER2/CEP17 ratio 2.4, HER2 signals/cell 5.1, CEP17 signals/cell 2.1".
 */
export function labelIshValue(value: string): string {
  return value
    .replace(/(^|[\s(,])ratio (\d)/g, "$1HER2/CEP17 ratio $2")
    .replace(/\bHER2 (\d[\d.]*)\/cell/g, "HER2 signals/cell $1")
    .replace(/\bCEP17 (\d[\d.]*)\/cell/g, "CEP17 signals/cell $1");
}

/**
 * A rules text with references replaced by the results they name and SNOMED site displays in plain words, in the
 * page's language (`t`, `date`): the references and the SNOMED displays the rules write are the same in every
 * locale (data, not words), the words put in their place come from the panel's catalog. The last rewrite (the
 * laboratory's "call") only concerns the English catalog of the rules; the Spanish and Chinese ones already say it.
 */
export function clinicalText(
  text: string,
  evidence: readonly EvidenceItem[],
  t: Translate = englishT,
  date?: (iso: string | undefined) => string,
): string {
  const byRef = new Map(evidence.map((e) => [e.resource, e]));
  return text
    .replace(REFERENCE, (ref) => {
      const item = byRef.get(ref);
      if (item) return labelIshValue(describeEvidence(item, t, date));
      const type = ref.slice(0, ref.indexOf("/"));
      return t(type in KIND_WORDS ? KIND_WORDS[type as keyof typeof KIND_WORDS] : "ref.other");
    })
    .replace(
      /\b(?:(Left|Right) )?([Bb]reast|[Ll]iver|[Bb]one|[Ll]ung|[Bb]rain|[Ss]kin|[Ll]ymph node) structure\b/g,
      (m) => siteLabel(m),
    )
    .replace(/\bthe laboratory's call\b/g, "the laboratory's reported result")
    .replace(/\bThe laboratory's call\b/g, "The laboratory's reported result");
}
