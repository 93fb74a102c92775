/**
 * Which patient a resource provably belongs to. One rule for the app and the CLI: a resource is a patient's only when
 * its `subject` (or, in older shapes, `patient`) is a literal reference to that Patient, written relative
 * (`Patient/X`, optionally `/_history/n`) or absolute on the same FHIR base (`<base>/Patient/X`; a trailing `/` on
 * the base does not make another base). Everything else cannot be proven to be the patient's and is excluded with
 * its reason: no subject, a display- or identifier-only reference, a contained `#ref`, a `urn:` reference left
 * unresolved, a conditional reference, another resource type (`Group/…`, `patient/…`), another server, another id.
 * A wrong-patient result is the worst error a clinical app can make (issue 16), so nothing is matched loosely.
 */
import type { Resource } from "fhir/r4";
import type { Text } from "../domain/text";
import { en, fhirText } from "./text";

/** Resource types that belong to one patient, each by `subject` (or `patient`): what the FHIR layer reads. */
export const PATIENT_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  "Patient",
  "Observation",
  "DiagnosticReport",
  "Specimen",
  "Condition",
  "MedicationRequest",
  "MedicationStatement",
  "MedicationAdministration",
  "MedicationDispense",
  "Procedure",
]);

/** What a resource's patient reference says. */
export type PatientReading =
  | { kind: "patient"; id: string }
  | {
      kind: "unproven";
      /** Short, stable words for counting (`no subject`, `another server`, …). */
      why: string;
      /** The same with the reference as written, for a message about this one resource. */
      detail: string;
      /** `why` and `detail` as message descriptors of the FHIR layer's catalog (they are their English). */
      whyText?: Text;
      detailText?: Text;
    };

// FHIR id: [A-Za-z0-9\-.]{1,64} (R4 §2.24.0.3).
const ID = "[A-Za-z0-9\\-.]{1,64}";
const RELATIVE_PATIENT = new RegExp(`^Patient/(${ID})(?:/_history/${ID})?$`);
const RELATIVE_ANY = new RegExp(`^([A-Za-z][A-Za-z0-9]*)/(${ID})(?:/_history/${ID})?$`);
const ABSOLUTE = new RegExp(`^(https?://.+?)/([A-Za-z][A-Za-z0-9]*)/(${ID})(?:/_history/${ID})?$`);

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The short reasons, counted by their English (`why`); descriptors without a variable part are shared constants. */
const WHY = {
  contained: fhirText("fhir.member.why.contained"),
  urn: fhirText("fhir.member.why.urn"),
  conditional: fhirText("fhir.member.why.conditional"),
  notPatient: fhirText("fhir.member.why.not-patient"),
  absolute: fhirText("fhir.member.why.absolute"),
  otherServer: fhirText("fhir.member.why.other-server"),
  malformed: fhirText("fhir.member.why.malformed"),
  identifier: fhirText("fhir.member.why.identifier"),
  display: fhirText("fhir.member.why.display"),
  noSubject: fhirText("fhir.member.why.no-subject"),
  patientNoId: fhirText("fhir.member.why.patient-no-id"),
  disagree: fhirText("fhir.member.why.disagree"),
  otherPatient: fhirText("fhir.member.why.other-patient"),
};

const NO_VALID_ID = fhirText("fhir.member.patient-no-id");
const NO_SUBJECT = fhirText("fhir.member.no-subject");
const DISAGREE = fhirText("fhir.member.disagree");

function unproven(whyText: Text, detailText: Text): PatientReading {
  return { kind: "unproven", why: en(whyText), detail: en(detailText), whyText, detailText };
}

/**
 * A FHIR base in one comparable form: scheme and host in lower case (URL does that), no trailing `/`, no query.
 * Undefined when it is not an http(s) URL.
 */
export function comparableBase(base: string): string | undefined {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") return undefined;
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/**
 * Whether `text` from `from` to its end is a FHIR id (`ID`), without a regular expression: the check of every
 * resource's reference.
 */
export function isPlainId(text: string, from: number): boolean {
  const length = text.length - from;
  if (length < 1 || length > 64) return false;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A-Z, a-z, 0-9, '-', '.'
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 46))
      return false;
  }
  return true;
}

/** Reads one literal reference (`Reference.reference`) as a Patient reference. */
function readReference(reference: string, fhirBase: string | undefined): PatientReading {
  // The usual `Patient/<id>`, as RELATIVE_PATIENT would read it.
  if (reference.startsWith("Patient/") && isPlainId(reference, 8))
    return { kind: "patient", id: reference.slice(8) };
  const quoted = { reference: JSON.stringify(reference) };
  if (reference.startsWith("#")) return unproven(WHY.contained, fhirText("fhir.member.contained", quoted));
  if (/^urn:/i.test(reference)) return unproven(WHY.urn, fhirText("fhir.member.urn", quoted));
  if (reference.includes("?")) return unproven(WHY.conditional, fhirText("fhir.member.conditional", quoted));
  const relative = RELATIVE_PATIENT.exec(reference);
  if (relative) return { kind: "patient", id: relative[1] ?? "" };
  const absolute = ABSOLUTE.exec(reference);
  if (absolute) {
    const [, base = "", type = "", id = ""] = absolute;
    if (type !== "Patient") {
      return unproven(WHY.notPatient, fhirText("fhir.member.names-type", { ...quoted, type }));
    }
    const own = fhirBase === undefined ? undefined : comparableBase(fhirBase);
    if (own === undefined) return unproven(WHY.absolute, fhirText("fhir.member.absolute", quoted));
    if (comparableBase(base) !== own) {
      return unproven(WHY.otherServer, fhirText("fhir.member.other-server", { ...quoted, base: own }));
    }
    return { kind: "patient", id };
  }
  const other = RELATIVE_ANY.exec(reference);
  if (other) {
    const type = other[1] ?? "";
    return type.toLowerCase() === "patient"
      ? unproven(WHY.notPatient, fhirText("fhir.member.case", quoted))
      : unproven(WHY.notPatient, fhirText("fhir.member.names-type", { ...quoted, type }));
  }
  return unproven(WHY.malformed, fhirText("fhir.member.not-reference", quoted));
}

/** Reads a `subject` / `patient` element (a Reference) as a Patient reference. */
function readReferenceElement(value: unknown, field: string, fhirBase: string | undefined): PatientReading {
  if (!isObject(value)) {
    const found = value === null ? "null" : typeof value;
    return unproven(WHY.malformed, fhirText("fhir.member.field-not-reference", { field, found }));
  }
  const reference = value["reference"];
  const type = value["type"];
  if (type !== undefined && type !== "Patient") {
    return unproven(
      WHY.notPatient,
      fhirText("fhir.member.field-type", { field, type: JSON.stringify(type) }),
    );
  }
  if (reference === undefined) {
    if (value["identifier"] !== undefined) {
      return unproven(WHY.identifier, fhirText("fhir.member.identifier", { field }));
    }
    if (value["display"] !== undefined)
      return unproven(WHY.display, fhirText("fhir.member.display", { field }));
    return unproven(WHY.noSubject, fhirText("fhir.member.no-reference", { field }));
  }
  if (typeof reference !== "string") {
    const found = typeof reference;
    return unproven(WHY.malformed, fhirText("fhir.member.reference-type", { field, found }));
  }
  return readReference(reference, fhirBase);
}

/**
 * The patient a resource provably names: a Patient's own id, else its `subject` or `patient` reference (both, when
 * both are there, must agree).
 * @param resource Any parsed resource (its fields are checked, not trusted).
 * @param fhirBase The FHIR base the data came from: absolute references are accepted only on it. Undefined when the
 *   base is not known (then only relative references are accepted).
 */
export function patientNamedBy(resource: Resource, fhirBase?: string): PatientReading {
  const fields = resource as unknown as JsonObject;
  if (resource.resourceType === "Patient") {
    const id = fields["id"];
    return typeof id === "string" && isPlainId(id, 0)
      ? { kind: "patient", id }
      : unproven(WHY.patientNoId, NO_VALID_ID);
  }
  const subject = fields["subject"];
  const patient = fields["patient"];
  if (subject === undefined) {
    return patient === undefined
      ? unproven(WHY.noSubject, NO_SUBJECT)
      : readReferenceElement(patient, "patient", fhirBase);
  }
  const bySubject = readReferenceElement(subject, "subject", fhirBase);
  if (patient === undefined || bySubject.kind === "unproven") return bySubject;
  const byPatient = readReferenceElement(patient, "patient", fhirBase);
  if (byPatient.kind === "unproven") return byPatient;
  return byPatient.id === bySubject.id ? bySubject : unproven(WHY.disagree, DISAGREE);
}

/** Whether a resource provably belongs to a patient, and if not, why. */
export type Membership =
  { belongs: true } | { belongs: false; why: string; detail: string; whyText?: Text; detailText?: Text };

/**
 * Decides whether a resource of a per-patient type provably belongs to patient `patientId` (see the module comment).
 * @param patientId The patient's id (not `Patient/…`).
 * @param fhirBase The FHIR base the resource came from, or undefined when not known.
 */
export function membershipOf(resource: Resource, patientId: string, fhirBase?: string): Membership {
  const reading = patientNamedBy(resource, fhirBase);
  if (reading.kind === "unproven") {
    const { why, detail, whyText, detailText } = reading;
    return {
      belongs: false,
      why,
      detail,
      ...(whyText ? { whyText } : {}),
      ...(detailText ? { detailText } : {}),
    };
  }
  if (reading.id !== patientId) {
    const patient = `Patient/${reading.id}`;
    const detailText = fhirText(
      resource.resourceType === "Patient" ? "fhir.member.is-other-patient" : "fhir.member.other-patient",
      { patient },
    );
    return {
      belongs: false,
      why: en(WHY.otherPatient),
      detail: en(detailText),
      whyText: WHY.otherPatient,
      detailText,
    };
  }
  return { belongs: true };
}
