/**
 * Which HER2 concept an Observation or component code names: the LOINC table, then the institution's code map, then
 * (as a last resort, and reported as such) the display text. Serum HER2 is excluded.
 */
import type { CodeableConcept, Coding, Observation } from "fhir/r4";
import type { Text, TextValue } from "../domain/text";
import type { CodeMap } from "./code-map";
import { allConceptText, codingsOf, conceptText } from "./fhir-utils";
import { methodInText } from "./observation-shapes";
import {
  GENOMIC_VARIANT_CODES,
  HER2_OBSERVATION_CODES,
  SERUM_HER2_CODES,
  type Her2Concept,
} from "./terminology/her2-codes";
import { LOINC } from "./terminology/systems";
import { fhirText } from "./text";

/** The code's concept, or "unspecified" for a HER2 code that does not say what it measures. */
export type ReadingConcept = Her2Concept | "unspecified";

export type CodeClass =
  | {
      concept: ReadingConcept;
      /** How the code was recognised: "LOINC 85319-2" (as it is in every locale) or a descriptor. */
      via: TextValue;
      conflict?: Text;
      /** Identified by display text only: neither the LOINC table nor the code map knows the code. */
      byText?: true;
    }
  | { excluded: Text };

const SERUM_BY_NAME = fhirText("fhir.not-tissue.serum-name");
const VARIANT_BY_NAME = fhirText("fhir.not-tissue.variant-name");

/**
 * Names of circulating HER2 tests (the shed extracellular domain measured in serum by ELISA, in ng/mL): never a tissue
 * HER2 status, whatever their value says.
 */
const SERUM_WORDS = /\bserum\b|\bplasma\b|\becd\b|extra-?cellular domain|\bcirculating\b|\bshed\b/i;

/**
 * Names of ERBB2 gene variant (mutation) results from sequencing: an activating ERBB2 mutation is not HER2
 * overexpression or amplification, so never a tissue HER2 status (Wolff 2018 defines HER2 status by IHC and ISH).
 */
const VARIANT_WORDS = /\bmutat\w*|\bvariants?\b|\bsequencing\b|\bngs\b|\bhgvs\b|\bsnv\b/i;

export const HER2_WORDS = /\bher-?2\b|\berbb-?2\b|\bher2\/neu\b|\bc-?erbb-?2\b/i;
/** Text naming another breast biomarker (Ki-67, ER, PR, PD-L1). */
function namesOtherMarker(text: string): boolean {
  return /\bki-?67\b|\bo?estrogen\b|\bprogesterone\b|\bpd-?l1\b/i.test(text) || /\b(?:ER|PR)\b/.test(text);
}

/** The entry with the coding's system and code: a loop rather than `find`, whose closure would be made per coding. */
function findCode<T extends { system: string; code: string }>(
  entries: readonly T[],
  coding: Coding,
): T | undefined {
  for (const entry of entries) {
    if (entry.system === coding.system && entry.code === coding.code) return entry;
  }
  return undefined;
}

/**
 * Which HER2 concept an Observation or component code names: LOINC table, then the institution's code map, then (as a
 * last resort, and reported as such) the display text. Serum HER2 is excluded.
 */
export function classifyHer2Code(code: CodeableConcept | undefined, codeMap: CodeMap): CodeClass | undefined {
  const codings = codingsOf(code);
  for (const coding of codings) {
    const serum = findCode(SERUM_HER2_CODES, coding);
    if (serum) return { excluded: fhirText("fhir.not-tissue.serum-code", { code: serum.code }) };
  }
  for (const coding of codings) {
    const known = findCode(HER2_OBSERVATION_CODES, coding);
    if (known) {
      const name = known.system === LOINC ? `LOINC ${known.code}` : `CAP eCC ${known.code}`;
      // Real exports carry wrong codes with the right display (e.g. Ki-67 filed under 85319-2): never trust the code
      // over a display that names another marker.
      const other = allConceptText(code).find((t) => namesOtherMarker(t) && !HER2_WORDS.test(t));
      if (other)
        return {
          concept: known.concept,
          via: name,
          conflict: fhirText("fhir.problem.other-marker", { code: name, text: other }),
        };
      return { concept: known.concept, via: name };
    }
  }
  for (const coding of codings) {
    const local = findCode(codeMap.observations, coding);
    if (local) return { concept: local.concept, via: fhirText("fhir.via.local", { code: local.code }) };
  }
  const text = allConceptText(code).join(" | ");
  if (!HER2_WORDS.test(text)) return undefined;
  if (SERUM_WORDS.test(text)) return { excluded: SERUM_BY_NAME };
  if (VARIANT_WORDS.test(text)) return { excluded: VARIANT_BY_NAME };
  const via = fhirText("fhir.via.text", { text: conceptText(code) ?? text });
  const lower = text.toLowerCase();
  if (/\bpanel\b/.test(lower)) return { concept: "panel", via, byText: true };
  if (/\bratio\b|her-?2\s*\/\s*cep\s*17/.test(lower)) return { concept: "ish-ratio", via, byText: true };
  if (/\b(?:cells?|nuclei)\b.*\b(?:counted|scored|evaluated)\b|\bnumber of (?:cells|nuclei)\b/.test(lower)) {
    return { concept: "ish-cells-counted", via, byText: true };
  }
  if (/cep\s*17|chromosome\s*17/.test(lower)) return { concept: "ish-cep17-per-cell", via, byText: true };
  if (/cop(?:y|ies)|signals/.test(lower) && /cell|nucle/.test(lower))
    return { concept: "ish-her2-per-cell", via, byText: true };
  const method = methodInText(text);
  if (method) return { concept: method, via, byText: true };
  if (/interpretation|status/.test(lower)) return { concept: "interpretation", via, byText: true };
  return { concept: "unspecified", via, byText: true };
}

/** HGNC:3430 is ERBB2 (HGNC); the gene is also written by name in the value's text or display. */
function namesErbb2(concept: CodeableConcept | undefined): boolean {
  if (codingsOf(concept).some((c) => c.code === "HGNC:3430" || c.code === "3430")) return true;
  return allConceptText(concept).some((t) => HER2_WORDS.test(t));
}

function genomicCode(code: CodeableConcept | undefined): (typeof GENOMIC_VARIANT_CODES)[number] | undefined {
  for (const coding of code?.coding ?? []) {
    if (coding.system !== LOINC) continue;
    const found = findCode(GENOMIC_VARIANT_CODES, coding);
    if (found) return found;
  }
  return undefined;
}

/**
 * Why an Observation that names HER2 is not a tissue HER2 status, when it is not: a serum HER2 test, or an ERBB2 gene
 * variant (Genomics Reporting codes with ERBB2 as the gene studied or in the variant's text). Issue 12 point 5.
 * @param cls the Observation code's class, as `classifyHer2Code` gave it
 */
export function notTissueHer2Reason(observation: Observation, cls: CodeClass | undefined): Text | undefined {
  if (cls && "excluded" in cls) return cls.excluded;
  if (cls && !cls.byText) return undefined; // a tissue HER2 code (LOINC table or code map)
  // Runs for every Observation of a patient (vital signs and all): plain loops, nothing made until a code matches.
  let genomic = genomicCode(observation.code);
  for (const component of observation.component ?? []) genomic ??= genomicCode(component.code);
  if (!genomic) return undefined;
  const values = [
    observation.valueCodeableConcept,
    ...(observation.component ?? []).map((c) => c.valueCodeableConcept),
  ];
  const strings = [observation.valueString, ...(observation.component ?? []).map((c) => c.valueString)];
  const erbb2 =
    values.some((v) => namesErbb2(v)) || strings.some((t) => t !== undefined && HER2_WORDS.test(t));
  if (!erbb2) return undefined;
  return fhirText("fhir.not-tissue.variant-code", { code: genomic.code, display: genomic.display });
}
