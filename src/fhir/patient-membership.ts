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
    };

// FHIR id: [A-Za-z0-9\-.]{1,64} (R4 §2.24.0.3).
const ID = "[A-Za-z0-9\\-.]{1,64}";
const RELATIVE_PATIENT = new RegExp(`^Patient/(${ID})(?:/_history/${ID})?$`);
const RELATIVE_ANY = new RegExp(`^([A-Za-z][A-Za-z0-9]*)/(${ID})(?:/_history/${ID})?$`);
const PLAIN_ID = new RegExp(`^${ID}$`);
const ABSOLUTE = new RegExp(`^(https?://.+?)/([A-Za-z][A-Za-z0-9]*)/(${ID})(?:/_history/${ID})?$`);

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function unproven(why: string, detail: string): PatientReading {
  return { kind: "unproven", why, detail };
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

/** Reads one literal reference (`Reference.reference`) as a Patient reference. */
function readReference(reference: string, fhirBase: string | undefined): PatientReading {
  const quoted = JSON.stringify(reference);
  if (reference.startsWith("#")) {
    return unproven(
      "a contained reference",
      `its patient is a contained resource (${quoted}), not a reference to the patient`,
    );
  }
  if (/^urn:/i.test(reference)) {
    return unproven(
      "an unresolved urn: reference",
      `its patient reference ${quoted} names no resource of the record`,
    );
  }
  if (reference.includes("?")) {
    return unproven("a conditional reference", `its patient reference ${quoted} is a search, not a patient`);
  }
  const relative = RELATIVE_PATIENT.exec(reference);
  if (relative) return { kind: "patient", id: relative[1] ?? "" };
  const absolute = ABSOLUTE.exec(reference);
  if (absolute) {
    const [, base = "", type = "", id = ""] = absolute;
    if (type !== "Patient") {
      return unproven("not a Patient reference", `its subject ${quoted} names a ${type}, not a patient`);
    }
    const own = fhirBase === undefined ? undefined : comparableBase(fhirBase);
    if (own === undefined) {
      return unproven(
        "an absolute reference without a known FHIR base",
        `its patient reference ${quoted} is absolute and the data's FHIR base is not known, so it cannot be matched`,
      );
    }
    if (comparableBase(base) !== own) {
      return unproven(
        "a patient on another server",
        `its patient reference ${quoted} is not on this FHIR server (${own})`,
      );
    }
    return { kind: "patient", id };
  }
  const other = RELATIVE_ANY.exec(reference);
  if (other) {
    const type = other[1] ?? "";
    return type.toLowerCase() === "patient"
      ? unproven(
          "not a Patient reference",
          `its patient reference ${quoted} is not spelt Patient/… (FHIR types are case-sensitive)`,
        )
      : unproven("not a Patient reference", `its subject ${quoted} names a ${type}, not a patient`);
  }
  return unproven("a malformed reference", `its patient reference ${quoted} is not a FHIR reference`);
}

/** Reads a `subject` / `patient` element (a Reference) as a Patient reference. */
function readReferenceElement(value: unknown, field: string, fhirBase: string | undefined): PatientReading {
  if (!isObject(value)) {
    return unproven(
      "a malformed reference",
      `its ${field} is ${value === null ? "null" : typeof value}, not a Reference`,
    );
  }
  const reference = value["reference"];
  const type = value["type"];
  if (type !== undefined && type !== "Patient") {
    return unproven("not a Patient reference", `its ${field} has type ${JSON.stringify(type)}, not Patient`);
  }
  if (reference === undefined) {
    if (value["identifier"] !== undefined) {
      return unproven("an identifier-only reference", `its ${field} names the patient by identifier only`);
    }
    if (value["display"] !== undefined) {
      return unproven("a display-only reference", `its ${field} names the patient by display text only`);
    }
    return unproven("no subject", `its ${field} has no reference`);
  }
  if (typeof reference !== "string") {
    return unproven("a malformed reference", `its ${field}.reference is ${typeof reference}, not a string`);
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
    return typeof id === "string" && PLAIN_ID.test(id)
      ? { kind: "patient", id }
      : unproven("a Patient without a valid id", "it is a Patient without a valid id");
  }
  const present = (["subject", "patient"] as const).filter((field) => fields[field] !== undefined);
  if (present.length === 0) return unproven("no subject", "it has no subject or patient reference");
  const readings = present.map((field) => readReferenceElement(fields[field], field, fhirBase));
  const failed = readings.find((r) => r.kind === "unproven");
  if (failed) return failed;
  const ids = new Set(readings.map((r) => (r.kind === "patient" ? r.id : "")));
  if (ids.size > 1) {
    return unproven("subject and patient disagree", "its subject and patient name different patients");
  }
  return readings[0] ?? unproven("no subject", "it has no subject or patient reference");
}

/** Whether a resource provably belongs to a patient, and if not, why. */
export type Membership = { belongs: true } | { belongs: false; why: string; detail: string };

/**
 * Decides whether a resource of a per-patient type provably belongs to patient `patientId` (see the module comment).
 * @param patientId The patient's id (not `Patient/…`).
 * @param fhirBase The FHIR base the resource came from, or undefined when not known.
 */
export function membershipOf(resource: Resource, patientId: string, fhirBase?: string): Membership {
  const reading = patientNamedBy(resource, fhirBase);
  if (reading.kind === "unproven") return { belongs: false, why: reading.why, detail: reading.detail };
  if (reading.id !== patientId) {
    return {
      belongs: false,
      why: "another patient",
      detail:
        resource.resourceType === "Patient"
          ? `it is another patient (Patient/${reading.id})`
          : `it belongs to another patient (Patient/${reading.id})`,
    };
  }
  return { belongs: true };
}
