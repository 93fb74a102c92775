/** The specimen a HER2 result was obtained on: reference, accession label, body site and collection date. */
import type {
  Annotation,
  CodeableConcept,
  Coding,
  DiagnosticReport,
  Observation,
  Reference,
  Resource,
  Specimen,
  SpecimenProcessing,
} from "fhir/r4";
import type { SpecimenInfo } from "../domain/types";
import {
  allConceptText,
  codingsOf,
  normaliseReference,
  resolveNormalised,
  type ResourceIndex,
} from "./fhir-utils";
import { saysInSituOnly } from "./in-situ";
import { bodySiteText } from "./laterality";

const DECALCIFIED = /decalcif/i;

/**
 * Whether the Specimen says it was decalcified: in Specimen.processing (description or procedure), its type, its
 * collection method or a note. ASCO/CAP 2018 warns that decalcified bone may give false-negative HER2 results.
 */
function isDecalcified(specimen: Specimen): boolean {
  const texts: string[] = [...allConceptText(specimen.type), ...allConceptText(specimen.collection?.method)];
  // Malformed data may carry a non-array or holes here: read only objects in arrays, never throw.
  for (const n of objectsIn<Annotation>(specimen.note)) if (typeof n.text === "string") texts.push(n.text);
  for (const p of objectsIn<SpecimenProcessing>(specimen.processing)) {
    if (typeof p.description === "string") texts.push(p.description);
    texts.push(...allConceptText(p.procedure));
  }
  return texts.some((t) => DECALCIFIED.test(t));
}

function objectsIn<T extends object>(value: unknown): T[] {
  if (!Array.isArray(value)) return [];
  const items: unknown[] = value;
  return items.filter((v): v is T => typeof v === "object" && v !== null);
}

/**
 * Reads a specimen reference. Keeps the reference even when the Specimen itself was not loaded, so results on the
 * same specimen can still be matched.
 */
export function specimenInfo(
  reference: Reference | undefined,
  index: ResourceIndex,
  owner?: { contained?: Resource[] },
): SpecimenInfo | undefined {
  const ref = normaliseReference(reference);
  if (!ref) return undefined;
  const specimen = resolveNormalised<Specimen>(ref, "Specimen", index, owner);
  const info: SpecimenInfo = {};
  // A contained specimen has no server identity: use its label instead of "#id".
  if (!ref.startsWith("#")) info.reference = ref;
  const label =
    specimen?.accessionIdentifier?.value ?? specimen?.identifier?.[0]?.value ?? reference?.display;
  if (label) info.label = label;
  const bodySite = bodySiteText(specimen?.collection?.bodySite);
  if (bodySite) info.bodySite = bodySite;
  const collected = specimen?.collection?.collectedDateTime ?? specimen?.collection?.collectedPeriod?.start;
  if (collected) info.collected = collected;
  if (specimen && isDecalcified(specimen)) info.decalcified = true;
  // Only a contained specimen (no reference kept) can leave nothing to report.
  return info.reference !== undefined || Object.keys(info).length > 0 ? info : undefined;
}

/** Adds a body site from the result itself when the specimen does not give one. */
export function withBodySite(
  info: SpecimenInfo | undefined,
  bodySite: CodeableConcept | undefined,
): SpecimenInfo | undefined {
  const site = bodySiteText(bodySite);
  if (!site || info?.bodySite) return info;
  return Object.assign({}, info, { bodySite: site });
}

function noteTexts(notes: unknown): string[] {
  return objectsIn<Annotation>(notes).flatMap((n) => (typeof n.text === "string" ? [n.text] : []));
}

/**
 * Whether a result's tissue is carcinoma in situ only (DCIS, LCIS; in-situ.ts), read from everything that describes
 * it at once: the Specimen (type, note), the result's and its panel's notes, the report's conclusion and conclusion
 * codes. One mention of an invasive component anywhere makes it invasive tissue (rules 2.0.0).
 */
export function isInSituOnlyTissue(
  index: ResourceIndex,
  observation: Observation | undefined,
  panel: Observation | undefined,
  report: DiagnosticReport | undefined,
): boolean {
  const texts: string[] = [];
  const codings: Coding[] = [];
  // The first of the result's, its panel's and its report's specimen references that names one, with its owner.
  let owner: Observation | DiagnosticReport | undefined = observation;
  let ref = normaliseReference(observation?.specimen);
  if (ref === undefined) {
    owner = panel;
    ref = normaliseReference(panel?.specimen);
  }
  if (ref === undefined) {
    owner = report;
    ref = normaliseReference(report?.specimen?.[0]);
  }
  const specimen = ref ? resolveNormalised<Specimen>(ref, "Specimen", index, owner) : undefined;
  if (specimen) {
    texts.push(...allConceptText(specimen.type), ...noteTexts(specimen.note));
    codings.push(...codingsOf(specimen.type));
  }
  texts.push(...noteTexts(observation?.note), ...noteTexts(panel?.note));
  if (typeof report?.conclusion === "string") texts.push(report.conclusion);
  for (const c of objectsIn<CodeableConcept>(report?.conclusionCode)) {
    texts.push(...allConceptText(c));
    codings.push(...codingsOf(c));
  }
  return saysInSituOnly(texts, codings);
}

/** Marks the specimen as in-situ-only tissue (a copy; a specimen with no other data gets one of its own). */
export function withInSitu(info: SpecimenInfo | undefined, inSitu: boolean): SpecimenInfo | undefined {
  return inSitu ? Object.assign({}, info, { inSituOnly: true }) : info;
}
