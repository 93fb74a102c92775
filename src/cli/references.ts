/**
 * Which patient a resource belongs to, and how references are compared. One rule for every input kind, so a Bundle
 * and a Bulk Data export of the same data group the same way.
 */
import type { Resource } from "fhir/r4";
import { sameContent } from "../fhir/duplicates";
import { patientNamedBy, PATIENT_RESOURCE_TYPES, type PatientReading } from "../fhir/patient-membership";
import { type CliMessageId, type CliText, cliText } from "./messages";

/** Resource types the CLI hands to the FHIR layer, each belonging to one patient (by `subject` or `patient`). */
export { PATIENT_RESOURCE_TYPES };

/** Resource types shared between patients: kept once and given to each patient whose resources reference them. */
export const SHARED_RESOURCE_TYPES: ReadonlySet<string> = new Set(["Medication"]);

/**
 * The shared resources by `Type/id`, each with its distinct copies in input order. Two files (two patients' Bundles,
 * two sources) may hold different resources under one `Medication/<id>`: no copy replaces another, each patient that
 * references the id gets every copy, and the FHIR layer uses none of them when they differ (duplicates.ts).
 */
export type SharedResources = Map<string, Resource[]>;

/** Keeps a shared resource: a copy identical to one already kept (key order aside) is not kept twice. */
export function addShared(shared: SharedResources, reference: string, resource: Resource): void {
  const copies = shared.get(reference);
  if (copies === undefined) shared.set(reference, [resource]);
  else if (!copies.some((copy) => sameContent(copy, resource))) copies.push(resource);
}

/** True when the type is read at all; every other type is skipped (and counted in a notice). */
export function isReadType(type: string): boolean {
  return PATIENT_RESOURCE_TYPES.has(type) || SHARED_RESOURCE_TYPES.has(type);
}

// FHIR id: [A-Za-z0-9\-.]{1,64}. The optional `/_history/…` suffix is dropped: grouping is by resource, not version.
const PLAIN_RELATIVE = /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/;
const RELATIVE_TAIL = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

/**
 * Reduces a literal reference to its relative `Type/id` form, so `https://ehr/fhir/Patient/1`, `Patient/1` and
 * `Patient/1/_history/2` compare equal. Other forms (`urn:uuid:…`, `#contained`) are returned unchanged.
 * @param reference Reference.reference as written.
 * @returns `Type/id`, or the input when it is not a RESTful reference.
 */
export function relativeReference(reference: string): string {
  // Already `Type/id` (nearly every reference in a Bulk Data export): the general path would give it back unchanged,
  // at several times the cost (a match array and a new string, for every line read back).
  if (PLAIN_RELATIVE.test(reference)) return reference;
  if (reference.startsWith("urn:") || reference.startsWith("#")) return reference;
  const match = RELATIVE_TAIL.exec(reference);
  return match ? `${match[1] ?? ""}/${match[2] ?? ""}` : reference;
}

/**
 * What patient a resource names, by the FHIR layer's rule (patient-membership.ts) with no FHIR base: an export holds
 * no base of its own (Bulk Data NDJSON lines carry no fullUrl), so only a relative `Patient/<id>` names a patient.
 * Inside a Bundle, references to an entry's fullUrl (`urn:uuid:…`, absolute) are already relative (bundle-reader.ts);
 * an absolute reference to anything else may be another server's patient of the same id and is not matched.
 */
export function patientReadingOf(resource: Resource): PatientReading {
  return patientNamedBy(resource);
}

/**
 * The patient a resource belongs to: its own `Patient/id` for a Patient, else its `subject` or `patient` reference
 * when that provably names a Patient (see patientReadingOf).
 * @returns `Patient/<id>`, or undefined when the resource names no patient provably (e.g. a Group subject).
 */
export function patientKeyOf(resource: Resource): string | undefined {
  const reading = patientReadingOf(resource);
  return reading.kind === "patient" ? `Patient/${reading.id}` : undefined;
}

/** The id part of `Patient/<id>`, which is what the output is sorted by. */
export function patientId(key: string): string {
  return key.slice("Patient/".length);
}

/** `Medication/id` references of a MedicationRequest / Statement / Administration / Dispense, for shared lookups. */
export function medicationReferencesOf(resource: Resource): string[] {
  const value: unknown = (resource as unknown as Record<string, unknown>)["medicationReference"];
  if (typeof value !== "object" || value === null) return [];
  const reference: unknown = (value as Record<string, unknown>)["reference"];
  return typeof reference === "string" ? [relativeReference(reference)] : [];
}

/** What the grouping does with one parsed resource. */
export type Placement =
  | { kind: "patient"; key: string }
  | { kind: "shared"; reference: string }
  | { kind: "skip"; resourceType: string }
  | { kind: "problem"; message: CliText };

/** The message for each of the FHIR layer's short reasons (`PatientReading.why`). */
const MEMBERSHIP_WHY: Readonly<Record<string, CliMessageId>> = {
  "a contained reference": "membership.contained",
  "an unresolved urn: reference": "membership.unresolvedUrn",
  "a conditional reference": "membership.conditional",
  "not a Patient reference": "membership.notPatient",
  "an absolute reference without a known FHIR base": "membership.absolute",
  "a patient on another server": "membership.otherServer",
  "a malformed reference": "membership.malformed",
  "an identifier-only reference": "membership.identifierOnly",
  "a display-only reference": "membership.displayOnly",
  "no subject": "membership.noSubject",
  "a Patient without a valid id": "membership.patientNoId",
  "subject and patient disagree": "membership.disagree",
};

/**
 * Why a resource names no patient, as a message: in English the FHIR layer's own detail (one English source); in
 * another locale its short reason in that language, with the reference as written when there is one.
 */
export function membershipDetail(
  reading: Extract<PatientReading, { kind: "unproven" }>,
  resource: Resource,
): CliText {
  const why = cliText(MEMBERSHIP_WHY[reading.why] ?? "membership.other");
  const fields = resource as unknown as Record<string, unknown>;
  const written = [fields["subject"], fields["patient"]]
    .map((v) =>
      typeof v === "object" && v !== null ? (v as Record<string, unknown>)["reference"] : undefined,
    )
    .find((r): r is string => typeof r === "string");
  const text =
    written === undefined
      ? why
      : cliText("membership.withReference", { why, reference: JSON.stringify(written) });
  return { ...text, english: reading.detail };
}

/** Decides where a parsed resource goes: to a patient, to the shared resources, or nowhere (with the reason). */
export function placeResource(resource: Resource): Placement {
  const type = resource.resourceType;
  const label: CliText | string =
    typeof resource.id === "string" ? `${type}/${resource.id}` : cliText("resource.noId", { type });
  if (!isReadType(type)) return { kind: "skip", resourceType: type };
  if (SHARED_RESOURCE_TYPES.has(type)) {
    return typeof resource.id === "string" && resource.id !== ""
      ? { kind: "shared", reference: `${type}/${resource.id}` }
      : { kind: "problem", message: cliText("resource.sharedNoId", { label }) };
  }
  const reading = patientReadingOf(resource);
  if (reading.kind === "patient") return { kind: "patient", key: `Patient/${reading.id}` };
  return {
    kind: "problem",
    message:
      type === "Patient"
        ? cliText("resource.patientNoId", { label })
        : cliText("resource.unproven", { label, detail: membershipDetail(reading, resource) }),
  };
}
