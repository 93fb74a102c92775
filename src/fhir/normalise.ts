/**
 * Normalisation entry point shared by the app and the CLI: FHIR resources of one patient -> the rules' PatientInput.
 * The signature is the contract between the layers.
 */
import type { Reference, Resource } from "fhir/r4";
import type { DataGap, PatientInput, ResourceRef } from "../domain/types";
import { EMPTY_CODE_MAP, type CodeMap } from "./code-map";
import { buildDiseaseEvents } from "./conditions";
import { indexResources, normaliseReference, refOf } from "./fhir-utils";
import { buildHer2Records } from "./her2-records";
import { buildTherapies } from "./medications";

export interface BuildPatientInputArgs {
  /** `Patient/…` */
  patient: ResourceRef;
  /** Every resource loaded for the patient: Observation, DiagnosticReport, Specimen, Condition, Medication*, … */
  resources: readonly Resource[];
  /** "Today", `YYYY-MM-DD`. */
  asOf: string;
  /** Data that could not be loaded. */
  dataGaps?: DataGap[];
  /** The issuer's institution code map (local result, answer and medication codes). */
  codeMap?: CodeMap;
}

/**
 * Separates resources that name another patient as their subject (a server that ignored `patient=`, a mis-grouped
 * export): they must never reach this patient's assessment. Resources without a subject (Medication) are kept.
 */
function splitByPatient(
  resources: readonly Resource[],
  patient: ResourceRef,
): { own: Resource[]; foreign: Map<string, number> } {
  const own: Resource[] = [];
  const foreign = new Map<string, number>();
  for (const resource of resources) {
    const holder = resource as { subject?: Reference; patient?: Reference };
    const ref = normaliseReference(holder.subject ?? holder.patient);
    if (ref?.startsWith("Patient/") && ref !== patient) {
      foreign.set(resource.resourceType, (foreign.get(resource.resourceType) ?? 0) + 1);
      continue;
    }
    own.push(resource);
  }
  return { own, foreign };
}

/** Orders by source reference (then by the whole value), so the input does not depend on resource order. */
function bySource<T extends { source: string }>(a: T, b: T): number {
  return a.source.localeCompare(b.source) || JSON.stringify(a).localeCompare(JSON.stringify(b));
}

/**
 * Builds the rules' input for one patient: HER2 test records (unreadable ones included, with their reason), disease
 * events and anti-HER2 therapies. Pure and deterministic: the same resources give the same input, in any order.
 * A malformed resource that the reading code cannot handle (say, `null` inside an array) does not take the patient
 * down: it is found by reading each resource alone, left out, and named as an unreadable result (Observation,
 * DiagnosticReport) or as a data gap that may change the assessment (any other type).
 */
export function buildPatientInput(args: BuildPatientInputArgs): PatientInput {
  try {
    return buildFrom(args);
  } catch (error) {
    const malformed = new Map<Resource, string>();
    for (const resource of args.resources) {
      try {
        buildFrom({ ...args, resources: [resource], dataGaps: [] });
      } catch (alone) {
        malformed.set(resource, alone instanceof Error ? alone.message : String(alone));
      }
    }
    // Not one resource fails alone: the failure comes from how they combine, which is a bug to see, not to hide.
    if (malformed.size === 0) throw error;
    const input = buildFrom({ ...args, resources: args.resources.filter((r) => !malformed.has(r)) });
    for (const [resource, message] of malformed) {
      const ref = refOf(resource);
      const reason = `${ref} could not be read (malformed: ${message}); check it in the chart`;
      if (resource.resourceType === "Observation" || resource.resourceType === "DiagnosticReport") {
        input.tests.push({ source: ref, status: "unknown", method: "unreadable", reason });
      } else {
        (input.dataGaps ??= []).push({
          resourceType: resource.resourceType,
          kind: "error",
          reason,
          affectsAssessment: true,
        });
      }
    }
    input.tests.sort(bySource);
    return input;
  }
}

function buildFrom(args: BuildPatientInputArgs): PatientInput {
  const codeMap = args.codeMap ?? EMPTY_CODE_MAP;
  const { own, foreign } = splitByPatient(args.resources, args.patient);
  const index = indexResources(own);
  const gaps = [...(args.dataGaps ?? [])];
  for (const [resourceType, count] of foreign) {
    gaps.push({
      resourceType,
      kind: "error",
      reason: `${String(count)} ${resourceType} resource(s) belong to another patient and were ignored`,
      affectsAssessment: false,
    });
  }
  return {
    patient: args.patient,
    asOf: args.asOf,
    tests: buildHer2Records(own, index, codeMap),
    events: buildDiseaseEvents(own).sort(bySource),
    therapies: buildTherapies(own, index, codeMap).sort(bySource),
    dataGaps: gaps,
  };
}
