/**
 * Normalisation entry point shared by the app and the CLI: FHIR resources of one patient -> the rules' PatientInput.
 * The signature is the contract between the layers.
 */
import type { Resource } from "fhir/r4";
import type { DataGap, Her2TestRecord, PatientInput, ResourceRef } from "../domain/types";
import { EMPTY_CODE_MAP, type CodeMap } from "./code-map";
import { buildDiseaseEvents } from "./conditions";
import { splitDuplicates } from "./duplicates";
import { indexResources, refOf, type ResourceIndex } from "./fhir-utils";
import { buildHer2Records } from "./her2-records";
import { buildTherapies, unidentifiedMedicationGap } from "./medications";
import { observationTextMayMatter } from "./observation-prefilter";
import { malformedField } from "./resource-shape";
import { membershipOf, PATIENT_RESOURCE_TYPES } from "./patient-membership";
import { joinTexts, type Text, type TextValue } from "../domain/text";
import { en, fhirText, joinedText } from "./text";

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
  /**
   * The FHIR base the resources came from: a reference `<base>/Patient/<id>` is the patient's only on this base.
   * Undefined when not known (files): then only relative `Patient/<id>` references are the patient's.
   */
  fhirBase?: string;
}

/** How many resources of one type were left out, why (counted by its English), and the first few by name. */
interface Exclusions {
  count: number;
  why: Map<string, { n: number; text: TextValue }>;
  examples: Text[];
}

const EXAMPLES_SHOWN = 3;

/**
 * Separates the resources that provably belong to the patient (patient-membership.ts) from those that do not: a
 * server that ignored `patient=`, a subject by display or identifier only, a contained or another server's Patient,
 * a mis-grouped export. Those must never reach this patient's assessment. Medications have no subject: they are
 * reached only through a reference from the patient's own resources. Types the normalisers never read are passed on.
 */
function splitByPatient(
  resources: readonly Resource[],
  patient: ResourceRef,
  fhirBase: string | undefined,
): { own: Resource[]; excluded: Map<string, Exclusions> } {
  const patientId = patient.slice("Patient/".length);
  const own: Resource[] = [];
  const excluded = new Map<string, Exclusions>();
  for (const resource of resources) {
    if (!PATIENT_RESOURCE_TYPES.has(resource.resourceType)) {
      own.push(resource);
      continue;
    }
    const membership = membershipOf(resource, patientId, fhirBase);
    if (membership.belongs) {
      own.push(resource);
      continue;
    }
    const entry: Exclusions = excluded.get(resource.resourceType) ?? {
      count: 0,
      why: new Map(),
      examples: [],
    };
    entry.count++;
    const why = entry.why.get(membership.why);
    if (why) why.n++;
    else entry.why.set(membership.why, { n: 1, text: membership.whyText ?? membership.why });
    if (entry.examples.length < EXAMPLES_SHOWN) {
      const detail = membership.detailText ?? membership.detail;
      entry.examples.push(fhirText("fhir.gap.excluded.example", { ref: refOf(resource), detail }));
    }
    excluded.set(resource.resourceType, entry);
  }
  return { own, excluded };
}

/**
 * The data gap for the resources of one type left out. It may change the assessment: the left-out resource may be
 * this patient's after all (a subject by display only), and then the status would rest on less than the record.
 */
function exclusionGap(resourceType: string, exclusions: Exclusions, patient: ResourceRef): DataGap {
  const why = joinTexts(
    [...exclusions.why]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, { n, text }]) => fhirText("fhir.gap.excluded.why", { n: String(n), why: text })),
    "join.comma",
  );
  const more = exclusions.count - exclusions.examples.length;
  const shown = joinedText(exclusions.examples);
  const examples = more > 0 ? fhirText("fhir.gap.and-more", { list: shown, more: String(more) }) : shown;
  const reasonText = fhirText("fhir.gap.excluded", {
    count: String(exclusions.count),
    type: resourceType,
    patient,
    why,
    examples,
  });
  return { resourceType, kind: "excluded", reason: en(reasonText), reasonText, affectsAssessment: true };
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
      const entry = unreadableEntry(resource, message);
      if ("method" in entry) input.tests.push(entry);
      else (input.dataGaps ??= []).push(entry);
    }
    input.tests.sort(bySource);
    return input;
  }
}

const RESULT_TYPES: ReadonlySet<string> = new Set(["Observation", "DiagnosticReport"]);

/**
 * Resources received under one `Type/id` with differing contents (duplicates.ts): none of the copies is used. A HER2
 * result becomes an unreadable record per HER2 reading of its copies, saying what each copy reads as, so the
 * clinician sees both; any other type a data gap. A non-HER2 Observation (another laboratory result) changes nothing.
 */
function conflictingCopies(
  conflicting: ReadonlyMap<string, Resource[]>,
  index: ResourceIndex,
  codeMap: CodeMap,
): { tests: Her2TestRecord[]; gaps: DataGap[] } {
  const tests: Her2TestRecord[] = [];
  const gaps: DataGap[] = [];
  for (const [ref, copies] of conflicting) {
    const what = fhirText("fhir.copies.what", { ref, count: String(copies.length) });
    const type = copies[0]?.resourceType ?? "";
    if (!RESULT_TYPES.has(type)) {
      const reasonText = fhirText("fhir.copies.gap", { what });
      gaps.push({
        resourceType: type,
        kind: "error",
        reason: en(reasonText),
        reasonText,
        affectsAssessment: true,
      });
      continue;
    }
    const readings = copies.map((copy) => readCopy(copy, index, codeMap));
    if (readings.every((r) => r.length === 0)) continue;
    readings.forEach((records, n) => {
      for (const record of records) {
        const reading =
          record.method === "unreadable"
            ? fhirText("fhir.copies.unreadable", { reason: record.reasonText ?? record.reason })
            : JSON.stringify(recordSummary(record));
        const { source, status, date, specimen } = record;
        const reason = fhirText("fhir.copies.record", { what, n: String(n + 1), reading });
        tests.push({
          source,
          status,
          method: "unreadable",
          conflictingCopy: true,
          reason: en(reason),
          reasonText: reason,
          ...(date ? { date } : {}),
          ...(specimen ? { specimen } : {}),
        });
      }
    });
  }
  return { tests, gaps };
}

/** One copy's HER2 records; a malformed copy (resource-shape.ts) or one that cannot be read is one unreadable record. */
function readCopy(copy: Resource, index: ResourceIndex, codeMap: CodeMap): Her2TestRecord[] {
  const { unreadable, wellFormed } = splitMalformed([copy], codeMap);
  if (wellFormed.length === 0) return unreadable.filter((e): e is Her2TestRecord => "method" in e);
  try {
    return buildHer2Records(wellFormed, index, codeMap);
  } catch (error) {
    const entry = unreadableEntry(copy, error instanceof Error ? error.message : String(error));
    return "method" in entry ? [entry] : [];
  }
}

/** The result fields of a record, for naming what a copy says. */
const NOT_THE_RESULT: ReadonlySet<string> = new Set(["source", "status", "specimen", "readAs", "readAsText"]);

function recordSummary(record: Her2TestRecord): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !NOT_THE_RESULT.has(key)));
}

/**
 * A resource that cannot be read, named: an unreadable result for an Observation or DiagnosticReport, else a data
 * gap that may change the assessment.
 */
function unreadableEntry(resource: Resource, message: string): Her2TestRecord | DataGap {
  const ref = refOf(resource);
  const reasonText = fhirText("fhir.malformed", { ref, message });
  const reason = en(reasonText);
  return RESULT_TYPES.has(resource.resourceType)
    ? { source: ref, status: "unknown", method: "unreadable", reason, reasonText }
    : { resourceType: resource.resourceType, kind: "error", reason, reasonText, affectsAssessment: true };
}

/**
 * Separates resources with a field of the wrong JSON type (resource-shape.ts). An Observation that names no HER2 or
 * staging code or word (another laboratory result) is dropped without a word: it never mattered.
 */
function splitMalformed(
  resources: readonly Resource[],
  codeMap: CodeMap,
): { wellFormed: Resource[]; unreadable: (Her2TestRecord | DataGap)[] } {
  const wellFormed: Resource[] = [];
  const unreadable: (Her2TestRecord | DataGap)[] = [];
  for (const resource of resources) {
    const problem = malformedField(resource);
    if (problem === undefined) wellFormed.push(resource);
    // With its code malformed, what an Observation is cannot be told: it may be a HER2 result.
    else if (
      resource.resourceType !== "Observation" ||
      /^code[.[ ]/.test(problem) ||
      observationTextMayMatter(JSON.stringify(resource), codeMap)
    )
      unreadable.push(unreadableEntry(resource, problem));
  }
  return { wellFormed, unreadable };
}

function buildFrom(args: BuildPatientInputArgs): PatientInput {
  const codeMap = args.codeMap ?? EMPTY_CODE_MAP;
  const split = splitByPatient(args.resources, args.patient, args.fhirBase);
  const { unique, conflicting } = splitDuplicates(split.own);
  const { wellFormed: own, unreadable } = splitMalformed(unique, codeMap);
  const index = indexResources(own);
  const gaps = [...(args.dataGaps ?? [])];
  for (const [resourceType, exclusions] of [...split.excluded].sort(([a], [b]) => a.localeCompare(b))) {
    gaps.push(exclusionGap(resourceType, exclusions, args.patient));
  }
  const copies = conflictingCopies(conflicting, index, codeMap);
  gaps.push(...copies.gaps);
  for (const entry of unreadable) {
    if ("method" in entry) copies.tests.push(entry);
    else gaps.push(entry);
  }
  const unidentified = unidentifiedMedicationGap(own, index, codeMap);
  if (unidentified) gaps.push(unidentified);
  return {
    patient: args.patient,
    asOf: args.asOf,
    tests:
      copies.tests.length > 0
        ? [...buildHer2Records(own, index, codeMap), ...copies.tests].sort(bySource)
        : buildHer2Records(own, index, codeMap),
    events: buildDiseaseEvents(own).sort(bySource),
    therapies: buildTherapies(own, index, codeMap).sort(bySource),
    dataGaps: gaps,
  };
}
