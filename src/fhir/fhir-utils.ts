/** Small readers of FHIR datatypes shared by the normalisers. */
import type { CodeableConcept, Coding, Reference, Resource } from "fhir/r4";
import type { ResourceRef } from "../domain/types";
import { isPlainId, patientNamedBy } from "./patient-membership";

/** Every coding of a CodeableConcept (none when absent). */
export function codingsOf(concept: CodeableConcept | undefined): Coding[] {
  return concept?.coding ?? [];
}

/** True when any coding has this system and code. */
export function hasCoding(concept: CodeableConcept | undefined, system: string, code: string): boolean {
  return codingsOf(concept).some((c) => c.system === system && c.code === code);
}

/** The words a person would read for a concept: its text, else the first display. */
export function conceptText(concept: CodeableConcept | undefined): string | undefined {
  if (!concept) return undefined;
  if (concept.text?.trim()) return concept.text.trim();
  return codingsOf(concept)
    .map((c) => c.display?.trim())
    .find((d): d is string => Boolean(d));
}

/** Every piece of text a concept carries (text and all displays), for text matching. */
export function allConceptText(concept: CodeableConcept | undefined): string[] {
  if (!concept) return [];
  const texts = [concept.text, ...codingsOf(concept).map((c) => c.display)];
  return texts.filter((t): t is string => typeof t === "string" && t.trim() !== "").map((t) => t.trim());
}

/** Narrows a resource by its type (fhir/r4's `Resource` is the base type, not the union). */
export function isResourceType<T extends Resource & { resourceType: string }>(
  resource: Resource,
  resourceType: T["resourceType"],
): resource is T {
  return resource.resourceType === resourceType;
}

/** `Type/id` of a resource. */
export function refOf(resource: Resource): ResourceRef {
  return `${resource.resourceType}/${resource.id ?? "(no id)"}`;
}

/** `Type/id` as /^[A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/ reads it, without a regular expression. */
function isPlainReference(raw: string): boolean {
  const slash = raw.indexOf("/");
  if (slash < 1) return false;
  for (let i = 0; i < slash; i++) {
    const c = raw.charCodeAt(i) | 32; // a letter in lower case
    if (c < 97 || c > 122) return false;
  }
  return isPlainId(raw, slash + 1);
}

/**
 * Normalises a reference to `Type/id` (drops a base URL and a version), or `#id` for a contained resource.
 * Returns undefined for logical references without `reference`.
 */
export function normaliseReference(reference: Reference | undefined): string | undefined {
  const raw = reference?.reference?.trim();
  if (!raw) return undefined;
  if (raw.startsWith("#")) return raw;
  // Already `Type/id` (the usual case): the general path below would return it unchanged, at several times the cost.
  if (isPlainReference(raw)) return raw;
  const withoutHistory = raw.replace(/\/_history\/[^/]+$/, "");
  const match = /([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(withoutHistory);
  return match ? `${match[1] ?? ""}/${match[2] ?? ""}` : withoutHistory;
}

/** Index of resources by `Type/id`, for resolving references. */
export type ResourceIndex = ReadonlyMap<string, Resource>;

export function indexResources(resources: readonly Resource[]): Map<string, Resource> {
  const index = new Map<string, Resource>();
  for (const resource of resources) {
    if (resource.id) index.set(refOf(resource), resource);
  }
  return index;
}

/** Resolves a reference against contained resources of `owner`, then the index. */
export function resolveReference<T extends Resource>(
  reference: Reference | undefined,
  resourceType: T["resourceType"],
  index: ResourceIndex,
  owner?: { contained?: Resource[] },
): T | undefined {
  const ref = normaliseReference(reference);
  return ref ? resolveNormalised<T>(ref, resourceType, index, owner) : undefined;
}

/** resolveReference for a reference already normalised (by normaliseReference, never empty). */
export function resolveNormalised<T extends Resource>(
  ref: string,
  resourceType: T["resourceType"],
  index: ResourceIndex,
  owner?: { contained?: Resource[] },
): T | undefined {
  if (ref.startsWith("#")) {
    const found = owner?.contained?.find((r) => r.id === ref.slice(1));
    return found?.resourceType === resourceType && sameSubjectAsOwner(found, owner)
      ? (found as T)
      : undefined;
  }
  const found = index.get(ref);
  return found?.resourceType === resourceType ? (found as T) : undefined;
}

/**
 * Whether a contained resource is its owner's patient's: it names no subject (it shares its owner's, as FHIR intends),
 * or the same reference, or the same patient. A contained Specimen whose subject is another patient must not lend
 * that patient's specimen (its side, its decalcification) to this patient's result.
 */
function sameSubjectAsOwner(contained: Resource, owner: object | undefined): boolean {
  const fields = contained as unknown as Record<string, unknown>;
  if (fields["subject"] === undefined && fields["patient"] === undefined) return true;
  if (owner === undefined) return false;
  const own = owner as Record<string, unknown>;
  if (
    JSON.stringify([fields["subject"], fields["patient"]]) ===
    JSON.stringify([own["subject"], own["patient"]])
  )
    return true;
  const inner = patientNamedBy(contained);
  const outer = patientNamedBy(owner as Resource);
  return inner.kind === "patient" && outer.kind === "patient" && inner.id === outer.id;
}

/** The later of two ISO dates (by their text, which sorts correctly for same-precision FHIR dates). */
export function laterDate(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.slice(0, 10) >= b.slice(0, 10) ? a : b;
}
