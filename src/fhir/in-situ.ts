/**
 * Carcinoma in situ only (DCIS, LCIS) in a Condition, a Specimen or a pathology report (issue 12, point 1). HER2 is
 * tested and scored on invasive breast cancer (ASCO/CAP 2018, reaffirming 2013 recommendation 1; IHC scores count
 * invasive tumour cells); HER2 testing of DCIS is not an ASCO/CAP indication. So in-situ-only tissue does not decide
 * invasive-cancer status and an in-situ-only Condition is not an invasive primary (rules 2.0.0). Any sign of an
 * invasive component (invasive, infiltrating, microinvasion, a C50 or invasive-carcinoma code) wins: the record is
 * then read as before.
 */
import type { CodeableConcept, Coding, Condition, Extension } from "fhir/r4";
import { allConceptText, codingsOf } from "./fhir-utils";
import {
  BREAST_CANCER_SNOMED,
  ICD10_BREAST_CANCER_PREFIX,
  ICD10_BREAST_IN_SITU_PREFIX,
  ICDO3_IN_SITU_MORPHOLOGY,
  IN_SITU_SNOMED,
  MCODE_HISTOLOGY_EXTENSION,
} from "./terminology/conditions";
import { ICD10CM, SNOMED } from "./terminology/systems";

/**
 * "Carcinoma in situ" (never "in situ hybridisation"), DCIS, LCIS, (non-infiltrating) intraductal carcinoma (the WHO
 * and ICD-O-3 8500/2 name of DCIS).
 */
const IN_SITU_TEXT =
  /\bcarcinoma in situ\b|\b[DL]CIS\b|\bnon-?infiltrating\b|\bnon-?invasive (?:ductal |lobular )?carcinoma\b|\bintraductal carcinoma\b/i;
/** Words that deny invasion: "without invasive component", "no evidence of invasive carcinoma", "non-invasive". */
const DENIED_INVASION =
  /\b(?:no|without|negative for|absence of|absent|free of|not)\s+(?:(?:evidence|sign|signs|residual|an?|any|of|definite)\s+)*(?:invasive|infiltrating|invasion|infiltration|microinvasion|microinvasive)\b|\bnon-?(?:invasive|infiltrating)\b/gi;
/**
 * Invasion denied after the words, as CAP synoptic reports write it (CAP DCIS protocol: "Invasive Carcinoma: Not
 * identified"; "Microinvasion: Not identified"): "invasive carcinoma not identified", "invasion is not seen",
 * "invasive carcinoma: absent". Not a denial at a margin ("invasive carcinoma not identified at margins" says
 * nothing about the tumour), nor "not excluded".
 */
const DENIED_INVASION_AFTER =
  /\b(?:(?:invasive|infiltrating|microinvasive)(?:\s+(?:ductal|lobular|mammary|breast))?\s+(?:carcinoma|component|tumou?r|disease|cancer)|(?:micro)?invasion)\s*(?::|-|is|was|are)?\s*(?:not\s+(?:identified|seen|present|detected|found|observed)|absent|none(?:\s+(?:identified|seen))?)\b(?!\s+(?:at|in|on)\s+(?:the\s+)?(?:\w+\s+)?margins?\b)/gi;
const INVASION = /\binvasi|\binfiltrat|\bmicroinvasi/i;
/** Words that deny carcinoma in situ: "no DCIS", "without associated carcinoma in situ". */
const DENIED_IN_SITU =
  /\b(?:no|without|negative for|absence of)\s+(?:(?:associated|residual|evidence of|any)\s+)*(?:(?:ductal|lobular)\s+)?(?:carcinoma in situ|[DL]CIS)\b/gi;
/** An ICD-O-3 morphology code with behaviour /3 (malignant, primary site), e.g. "8500/3". */
const ICDO3_INVASIVE_MORPHOLOGY = /^\d{4}\/3$/;

/*
 * The denials are taken out before the words are looked for (`no DCIS` is not in-situ tissue). Each denial begins and
 * ends on a word character at a word boundary, so its neighbours are not word characters, and the single space that replaces
 * it can neither make a word boundary nor be one of the spaces inside a phrase looked for: what the words do not say
 * before the denials are taken out, they do not say after. So the denials are taken out only from a text that says
 * the words (nearly every text says neither "in situ" nor "invasive").
 */
/** The patterns, for the test that checks the argument above against taking the denials out of every text. */
export const IN_SITU_PATTERNS = {
  IN_SITU_TEXT,
  DENIED_IN_SITU,
  INVASION,
  DENIED_INVASION,
  DENIED_INVASION_AFTER,
} as const;

function textSaysInSitu(text: string): boolean {
  return IN_SITU_TEXT.test(text) && IN_SITU_TEXT.test(text.replace(DENIED_IN_SITU, " "));
}

function textSaysInvasive(text: string): boolean {
  return (
    INVASION.test(text) &&
    INVASION.test(text.replace(DENIED_INVASION, " ").replace(DENIED_INVASION_AFTER, " "))
  );
}

function codesSay(codings: readonly Coding[]): { inSitu: boolean; invasive: boolean } {
  let inSitu = false;
  let invasive = false;
  for (const c of codings) {
    const code = (c.code ?? "").toUpperCase();
    if (c.system === ICD10CM && code.startsWith(ICD10_BREAST_IN_SITU_PREFIX)) inSitu = true;
    if (c.system === SNOMED && IN_SITU_SNOMED.some((e) => e.code === code)) inSitu = true;
    if (ICDO3_IN_SITU_MORPHOLOGY.test(code)) inSitu = true;
    if (c.system === ICD10CM && code.startsWith(ICD10_BREAST_CANCER_PREFIX)) invasive = true;
    if (c.system === SNOMED && BREAST_CANCER_SNOMED.some((e) => e.code === code)) invasive = true;
    if (ICDO3_INVASIVE_MORPHOLOGY.test(code)) invasive = true;
  }
  return { inSitu, invasive };
}

/** Whether texts and codes together say carcinoma in situ with no invasive component. */
export function saysInSituOnly(texts: readonly string[], codings: readonly Coding[] = []): boolean {
  const c = codesSay(codings);
  if (c.invasive) return false;
  const text = texts.join(" \n ");
  return (c.inSitu || textSaysInSitu(text)) && !textSaysInvasive(text);
}

/** The histology (morphology and behaviour) of the mCODE histology-morphology-behavior extension, when present. */
export function histologyOf(condition: Condition): CodeableConcept | undefined {
  // Malformed data may hold holes or a non-array here: read only objects, never throw.
  const extensions: unknown[] = Array.isArray(condition.extension) ? condition.extension : [];
  const found = extensions.find(
    (e): e is Extension =>
      typeof e === "object" &&
      e !== null &&
      typeof (e as Extension).url === "string" &&
      (e as Extension).url.includes(MCODE_HISTOLOGY_EXTENSION),
  );
  return found?.valueCodeableConcept;
}

/**
 * An in-situ-only Condition. The mCODE histology-morphology-behavior extension, when present, decides (mCODE codes
 * the primary as "Malignant neoplasm of breast" and puts the histology there); else the Condition's code.
 */
export function isInSituCondition(condition: Condition): boolean {
  const morphology = histologyOf(condition);
  if (morphology) return saysInSituOnly(allConceptText(morphology), codingsOf(morphology));
  return saysInSituOnly(allConceptText(condition.code), codingsOf(condition.code));
}
