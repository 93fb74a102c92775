/**
 * Which breast a body site is in, from codes as well as words (issue 12, point 1; rules 2.0.0): the SNOMED CT
 * laterality qualifier in an mCODE laterality extension on the body site, a sided body-site code ("Left breast
 * structure"), or for a Condition its ICD-10-CM C50 code (6th character 1 right, 2 left). The domain reads the side
 * from the body-site words (tumour.ts `sideOf`), so the side is written into them: "Left axillary lymph node
 * structure". Words and codes that disagree are both kept, so the side reads as not known rather than guessed.
 *
 * Sources: SNOMED CT 7771000 Left, 24028007 Right (laterality qualifier values), 80248007 Left breast structure,
 * 73056007 Right breast structure (as in the sandbox and mCODE examples); mCODE laterality qualifier extension
 * (`mcode-laterality-qualifier`, on Condition.bodySite and Specimen.collection.bodySite); ICD-10-CM C50 (TERMINOLOGY.md
 * chapters; C50.412 "upper-outer quadrant of left female breast").
 */
import type { CodeableConcept, Extension } from "fhir/r4";
import { codingsOf, conceptText } from "./fhir-utils";
import { ICD10CM, SNOMED } from "./terminology/systems";

type Side = "left" | "right";

const LATERALITY_SNOMED: Readonly<Record<string, Side>> = { "7771000": "left", "24028007": "right" };
/** Body-site codes that carry a side, with the words to show when the concept has none. */
const SIDED_SITE_SNOMED: Readonly<Record<string, { side: Side; display: string }>> = {
  "80248007": { side: "left", display: "Left breast structure" },
  "73056007": { side: "right", display: "Right breast structure" },
};
/** Unsided body-site codes, with the words to show when the concept has none. */
const SITE_DISPLAY_SNOMED: Readonly<Record<string, string>> = {
  "76752008": "Breast structure",
  "68171009": "Axillary lymph node structure",
};
const LATERALITY_EXTENSION = "laterality-qualifier";
const SIDE_WORD = /\b(?:left|right|lt|rt)\b|\bsinistr|\bdextr/i;
const LEFT_WORD = /\b(?:left|lt)\b|\bsinistr/i;

function extensionsOf(concept: CodeableConcept): Extension[] {
  const list: unknown[] = Array.isArray(concept.extension) ? concept.extension : [];
  return list.filter(
    (e): e is Extension => typeof e === "object" && e !== null && typeof (e as Extension).url === "string",
  );
}

function sideOfConcept(concept: CodeableConcept | undefined): Side | undefined {
  for (const c of codingsOf(concept)) {
    if (c.system === SNOMED && c.code && LATERALITY_SNOMED[c.code]) return LATERALITY_SNOMED[c.code];
  }
  const text = conceptText(concept);
  if (text && SIDE_WORD.test(text)) return LEFT_WORD.test(text) ? "left" : "right";
  return undefined;
}

/** The side a body site's codes give: the laterality extension, else a sided body-site code. */
export function codedSide(concept: CodeableConcept | undefined): Side | undefined {
  if (!concept) return undefined;
  for (const e of extensionsOf(concept)) {
    if (e.url.includes(LATERALITY_EXTENSION)) {
      const side = sideOfConcept(e.valueCodeableConcept);
      if (side) return side;
    }
  }
  for (const c of codingsOf(concept)) {
    const sided = c.system === SNOMED && c.code ? SIDED_SITE_SNOMED[c.code] : undefined;
    if (sided) return sided.side;
  }
  return undefined;
}

function knownDisplay(concept: CodeableConcept): string | undefined {
  for (const c of codingsOf(concept)) {
    if (c.system !== SNOMED || !c.code) continue;
    const words = SIDED_SITE_SNOMED[c.code]?.display ?? SITE_DISPLAY_SNOMED[c.code];
    if (words) return words;
  }
  return undefined;
}

/**
 * The body site in words, with the side its codes give written in: "Left axillary lymph node structure" for an
 * axillary node with a left laterality extension; "Left breast structure" for code 80248007 alone. Undefined when
 * neither words nor a known code say where it is (a side alone does not say breast or elsewhere).
 */
export function bodySiteText(concept: CodeableConcept | undefined): string | undefined {
  if (!concept) return undefined;
  const text = conceptText(concept) ?? knownDisplay(concept);
  if (!text) return undefined;
  const side = codedSide(concept);
  if (!side) return text;
  if (!SIDE_WORD.test(text))
    return `${side === "left" ? "Left" : "Right"} ${text.charAt(0).toLowerCase()}${text.slice(1)}`;
  const textSide = LEFT_WORD.test(text) ? "left" : "right";
  // Words and codes disagree: keep both, so the side reads as unknown.
  return textSide === side ? text : `${text} (coded laterality: ${side})`;
}

const ICD_C50_SIDE = /^C50\.\d[12]([12])$/;

/** "Left breast (ICD-10-CM C50.412)" when a C50 code names the side (6th character: 1 right, 2 left). */
export function icdBreastSite(code: CodeableConcept | undefined): string | undefined {
  for (const c of codingsOf(code)) {
    const m = c.system === ICD10CM ? ICD_C50_SIDE.exec((c.code ?? "").toUpperCase()) : null;
    if (m) return `${m[1] === "2" ? "Left" : "Right"} breast (ICD-10-CM ${c.code ?? ""})`;
  }
  return undefined;
}
