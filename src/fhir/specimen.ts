/** The specimen a HER2 result was obtained on: reference, accession label, body site and collection date. */
import type { CodeableConcept, Reference, Resource, Specimen } from "fhir/r4";
import type { SpecimenInfo } from "../domain/types";
import { conceptText, normaliseReference, resolveNormalised, type ResourceIndex } from "./fhir-utils";

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
  const bodySite = conceptText(specimen?.collection?.bodySite);
  if (bodySite) info.bodySite = bodySite;
  const collected = specimen?.collection?.collectedDateTime ?? specimen?.collection?.collectedPeriod?.start;
  if (collected) info.collected = collected;
  // Only a contained specimen (no reference kept) can leave nothing to report.
  return info.reference !== undefined || Object.keys(info).length > 0 ? info : undefined;
}

/** Adds a body site from the result itself when the specimen does not give one. */
export function withBodySite(
  info: SpecimenInfo | undefined,
  bodySite: CodeableConcept | undefined,
): SpecimenInfo | undefined {
  const site = conceptText(bodySite);
  if (!site || info?.bodySite) return info;
  return Object.assign({}, info, { bodySite: site });
}
