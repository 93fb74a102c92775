/**
 * The searches for one patient. Every URL is built with URLSearchParams: the SMART Health IT launcher's proxy collapses
 * `//` inside raw query values (`code=http://loinc.org|…` silently returns nothing), so values must be encoded.
 */
import type { Text } from "../domain/text";
import type { CodeMap } from "./code-map";
import { declaresParam, supportsInclude, supportsSearch, type ServerCapabilities } from "./capabilities";
import { HER2_OBSERVATION_CODES, STAGE_OBSERVATION_CODES } from "./terminology/her2-codes";
import { en, fhirText } from "./text";

export interface PlannedQuery {
  /** The resource type the query returns (Patient for the read). */
  resourceType: string;
  /** Relative URL, query values encoded. */
  url: string;
  /** True when missing this data could change the HER2 status or a flag. */
  affectsAssessment: boolean;
}

export interface SkippedQuery {
  resourceType: string;
  reason: string;
  /** `reason` as a message descriptor of the FHIR layer's catalog (`reason` is its English). */
  reasonText: Text;
  affectsAssessment: boolean;
}

/** Why a search was not sent: the server's CapabilityStatement does not list it. */
export function unsupportedSearch(resourceType: string): { reason: string; reasonText: Text } {
  const reasonText = fhirText("fhir.gap.unsupported", { type: resourceType });
  return { reason: en(reasonText), reasonText };
}

/** Page size asked for; servers may return fewer per page, and paging follows `next` to the end. */
export const PAGE_SIZE = 100;
/** Ids per batched read (`_id=a,b,…`), to keep URLs well under common limits. */
export const IDS_PER_BATCH = 40;

/** `system|code` tokens of every Observation code searched for: HER2 results, staging, and the code map's local codes. */
export function observationCodeTokens(codeMap: CodeMap): string[] {
  const tokens = [
    ...HER2_OBSERVATION_CODES.map((c) => `${c.system}|${c.code}`),
    ...STAGE_OBSERVATION_CODES.map((c) => `${c.system}|${c.code}`),
    ...codeMap.observations.map((c) => `${c.system}|${c.code}`),
  ];
  return [...new Set(tokens)];
}

function search(resourceType: string, params: [string, string][]): string {
  return `${resourceType}?${new URLSearchParams(params).toString()}`;
}

/** The first wave of requests, all sent in parallel after launch, and the searches skipped as unsupported. */
export function planInitialQueries(
  patientId: string,
  capabilities: ServerCapabilities,
  codeMap: CodeMap,
): { queries: PlannedQuery[]; skipped: SkippedQuery[] } {
  const queries: PlannedQuery[] = [
    { resourceType: "Patient", url: `Patient/${encodeURIComponent(patientId)}`, affectsAssessment: false },
  ];
  const skipped: SkippedQuery[] = [];
  const add = (
    resourceType: string,
    params: [string, string][],
    includes: string[],
    affectsAssessment: boolean,
  ): void => {
    if (!supportsSearch(capabilities, resourceType)) {
      skipped.push({ resourceType, ...unsupportedSearch(resourceType), affectsAssessment });
      return;
    }
    const all: [string, string][] = [["patient", patientId], ...params, ["_count", String(PAGE_SIZE)]];
    for (const include of includes) {
      if (supportsInclude(capabilities, resourceType, include)) all.push(["_include", include]);
    }
    queries.push({ resourceType, url: search(resourceType, all), affectsAssessment });
  };
  add(
    "Observation",
    [["code", observationCodeTokens(codeMap).join(",")]],
    ["Observation:specimen", "Observation:has-member"],
    true,
  );
  add("Condition", [], [], true);
  // Epic returns only active medication orders unless asked: ask for past ones too where the server declares `status`.
  const medicationStatus: [string, string][] = declaresParam(capabilities, "MedicationRequest", "status")
    ? [["status", "active,on-hold,completed,stopped,unknown"]]
    : [];
  add("MedicationRequest", medicationStatus, ["MedicationRequest:medication"], true);
  add("MedicationStatement", [], ["MedicationStatement:medication"], false);
  add("MedicationAdministration", [], ["MedicationAdministration:medication"], false);
  return { queries, skipped };
}

/**
 * The fallback when the code search finds no HER2 result: every laboratory Observation of the patient, to be filtered
 * locally (EHR-QUIRKS §3: Epic often files HER2 results under local codes only, which the code search cannot name
 * unless the site's code map lists them).
 */
export function laboratorySearch(patientId: string, capabilities: ServerCapabilities): string {
  const params: [string, string][] = [
    ["patient", patientId],
    ["category", "laboratory"],
    ["_count", String(PAGE_SIZE)],
  ];
  for (const include of ["Observation:specimen", "Observation:has-member"]) {
    if (supportsInclude(capabilities, "Observation", include)) params.push(["_include", include]);
  }
  return search("Observation", params);
}

/** Batched reads of resources by id (`Specimen?_id=a,b`), one URL per batch. */
export function batchedReads(resourceType: string, ids: readonly string[]): string[] {
  const urls: string[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_BATCH) {
    urls.push(search(resourceType, [["_id", ids.slice(i, i + IDS_PER_BATCH).join(",")]]));
  }
  return urls;
}

/** DiagnosticReports that group the given result Observations, one URL per batch. */
export function reportSearches(patientId: string, observationRefs: readonly string[]): string[] {
  const urls: string[] = [];
  for (let i = 0; i < observationRefs.length; i += IDS_PER_BATCH) {
    const refs = observationRefs.slice(i, i + IDS_PER_BATCH).join(",");
    urls.push(
      search("DiagnosticReport", [
        ["patient", patientId],
        ["result", refs],
        ["_count", String(PAGE_SIZE)],
      ]),
    );
  }
  return urls;
}
