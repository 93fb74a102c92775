/**
 * Normalisation entry point shared by the app and the CLI: FHIR resources of one patient -> the rules' PatientInput.
 * The signature is the contract between the layers.
 */
import type { Resource } from "fhir/r4";
import type { DataGap, PatientInput, ResourceRef } from "../domain/types";
import { EMPTY_CODE_MAP, type CodeMap } from "./code-map";
import { buildDiseaseEvents } from "./conditions";
import { indexResources } from "./fhir-utils";
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

/** Orders by source reference (then by the whole value), so the input does not depend on resource order. */
function bySource<T extends { source: string }>(a: T, b: T): number {
  return a.source.localeCompare(b.source) || JSON.stringify(a).localeCompare(JSON.stringify(b));
}

/**
 * Builds the rules' input for one patient: HER2 test records (unreadable ones included, with their reason), disease
 * events and anti-HER2 therapies. Pure and deterministic: the same resources give the same input, in any order.
 */
export function buildPatientInput(args: BuildPatientInputArgs): PatientInput {
  const codeMap = args.codeMap ?? EMPTY_CODE_MAP;
  const index = indexResources(args.resources);
  return {
    patient: args.patient,
    asOf: args.asOf,
    tests: buildHer2Records(args.resources, index, codeMap),
    events: buildDiseaseEvents(args.resources).sort(bySource),
    therapies: buildTherapies(args.resources, index, codeMap).sort(bySource),
    dataGaps: args.dataGaps ?? [],
  };
}
