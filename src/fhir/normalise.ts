/**
 * Normalisation entry point shared by the app and the CLI: FHIR resources of one patient -> the rules' PatientInput.
 * Placeholder until the FHIR layer lands (issue 4); the signature is the contract between the layers.
 */
import type { Resource } from "fhir/r4";
import type { DataGap, PatientInput, ResourceRef } from "../domain/types";

export interface BuildPatientInputArgs {
  /** `Patient/…` */
  patient: ResourceRef;
  /** Every resource loaded for the patient: Observation, DiagnosticReport, Specimen, Condition, Medication*, … */
  resources: readonly Resource[];
  /** "Today", `YYYY-MM-DD`. */
  asOf: string;
  /** Data that could not be loaded. */
  dataGaps?: DataGap[];
}

export function buildPatientInput(args: BuildPatientInputArgs): PatientInput {
  return {
    patient: args.patient,
    asOf: args.asOf,
    tests: [],
    events: [],
    therapies: [],
    dataGaps: args.dataGaps ?? [],
  };
}
