/**
 * Loads everything the HER2 rules need for one patient: the CapabilityStatement once, then Patient, HER2 and staging
 * Observations, Conditions and anti-HER2 medication resources in parallel, each following `next` links to the end;
 * then the Specimens, panel members, DiagnosticReports and Medications those results reference, when the server did
 * not include them. Every failure is recorded as a DataGap; a query that failed part-way keeps the pages that loaded
 * and adds a 'partial' gap, so a partial load never looks complete.
 */
import type { Observation, Patient, Resource } from "fhir/r4";
import type { DataGap } from "../domain/types";
import { supportsParam, supportsSearch } from "./capabilities";
import { EMPTY_CODE_MAP, type CodeMap } from "./code-map";
import { allConceptText, normaliseReference, refOf } from "./fhir-utils";
import { sameContent } from "./duplicates";
import { classifyHer2Code } from "./her2-code";
import { methodInText } from "./observation-shapes";
import {
  batchedReads,
  laboratorySearch,
  planInitialQueries,
  reportSearches,
  type PlannedQuery,
  unsupportedSearch,
} from "./query-plan";
import { QueryRunner, type QueryReport, type QueryResult, type RunnerOptions } from "./query-runner";
import type { FhirSource } from "./source";

export type { QueryReport };

export interface LoadedPatientData {
  patient?: Patient;
  /** Every resource loaded: once each by `Type/id`, then any further copies of one `Type/id` (duplicates.ts). */
  resources: Resource[];
  gaps: DataGap[];
  /** HTTP requests sent in total, including the CapabilityStatement and retries. */
  requestCount: number;
  queries: QueryReport[];
}

/** Runner options (timeout per query, cancel signal, 429 retries) plus the issuer's code map. */
export interface LoadOptions extends RunnerOptions {
  codeMap?: CodeMap;
  /**
   * Called while queries are still running, with what has arrived so far and the resource types still loading, so a
   * slow query does not hold back the rest (issue 18, point 4). Never called after the load has finished.
   */
  onProgress?: (partial: LoadedPatientData, pending: readonly string[]) => void;
}

/** No progress report before this: a load that is done within it shows no intermediate state. */
const PROGRESS_AFTER_MS = 1000;

function isHer2Result(observation: Observation, codeMap: CodeMap): boolean {
  const c = classifyHer2Code(observation.code, codeMap);
  return c !== undefined && !("excluded" in c);
}

/**
 * A HER2 result the laboratory fallback may keep: under a known code (LOINC table, code map), or named by its text
 * as a tissue test (IHC, ISH, or an ISH measure such as a HER2/CEP17 ratio). A bare "HER2" or "HER2 status" is not
 * kept: among all laboratory results it may be a serum test under another name, and a tissue status must not rest on
 * it.
 */
function isFallbackHer2Result(observation: Observation, codeMap: CodeMap): boolean {
  const c = classifyHer2Code(observation.code, codeMap);
  if (c === undefined || "excluded" in c) return false;
  if (!c.byText) return true;
  if (c.concept === "interpretation" || c.concept === "unspecified") return false;
  return c.concept !== "panel" || methodInText(allConceptText(observation.code).join(" ")) !== undefined;
}

/**
 * What the laboratory fallback keeps: HER2 results (`isFallbackHer2Result`), the members of HER2 panels among them,
 * and included Specimens. Every other laboratory result is dropped at once.
 */
function her2PartOfLaboratory(resources: readonly Resource[], codeMap: CodeMap): Resource[] {
  const observations = resources.filter((r): r is Observation => r.resourceType === "Observation");
  const her2 = observations.filter((o) => isFallbackHer2Result(o, codeMap));
  const members = new Set(
    her2.flatMap((o) => (o.hasMember ?? []).map((m) => normaliseReference(m))).filter((r) => r !== undefined),
  );
  return resources.filter(
    (r) => r.resourceType !== "Observation" || her2.includes(r as Observation) || members.has(refOf(r)),
  );
}

function idsOf(refs: Iterable<string>, resourceType: string): string[] {
  const prefix = `${resourceType}/`;
  return [
    ...new Set([...refs].filter((r) => r.startsWith(prefix)).map((r) => r.slice(prefix.length))),
  ].sort();
}

/**
 * Loads one patient's data through a FhirSource.
 * @param patientId the launch context's patient id
 * @returns the resources, the data gaps, the request count and a report per query
 */
export async function loadPatientData(
  source: FhirSource,
  patientId: string,
  options: LoadOptions = {},
): Promise<LoadedPatientData> {
  const runner = new QueryRunner(source, options);
  const codeMap = options.codeMap ?? EMPTY_CODE_MAP;
  const { capabilities, report: metadataReport } = await runner.capabilities();
  const { queries: initial, skipped } = planInitialQueries(patientId, capabilities, codeMap);

  // Queries still running, by resource type, for the progress reports.
  const outstanding = new Map<string, number>();
  const started = Date.now();
  let finished = false;
  let progressTimer: ReturnType<typeof setTimeout> | undefined;
  const run = async (resourceType: string, urls: string[], affects: boolean): Promise<QueryResult> => {
    outstanding.set(resourceType, (outstanding.get(resourceType) ?? 0) + 1);
    try {
      return await runner.run(resourceType, urls, affects);
    } finally {
      const n = (outstanding.get(resourceType) ?? 1) - 1;
      if (n > 0) outstanding.set(resourceType, n);
      else outstanding.delete(resourceType);
    }
  };
  // Reported on a later task (at least PROGRESS_AFTER_MS into the load), so follow-up queries a result starts
  // (Specimens, panel members) count as pending, and a fast load shows no intermediate state.
  const reportProgress = (): void => {
    const onProgress = options.onProgress;
    if (!onProgress || progressTimer !== undefined) return;
    progressTimer = setTimeout(
      () => {
        progressTimer = undefined;
        if (finished || outstanding.size === 0) return;
        onProgress(snapshot(), [...outstanding.keys()].sort());
      },
      Math.max(0, started + PROGRESS_AFTER_MS - Date.now()),
    );
  };

  const loaded = new Map<string, Resource>();
  // A second copy of a `Type/id` (a repeated page, an _include of a result also matched) is never dropped: the
  // normaliser merges identical copies and refuses to choose between differing ones (duplicates.ts).
  const laterCopies: Resource[] = [];
  const results: QueryResult[] = [];
  const store = (result: QueryResult): QueryResult => {
    results.push(result);
    for (const resource of result.resources) {
      const ref = refOf(resource);
      const first = loaded.get(ref);
      if (first === undefined) loaded.set(ref, resource);
      else if (
        !sameContent(first, resource) &&
        !laterCopies.some((copy) => refOf(copy) === ref && sameContent(copy, resource))
      )
        laterCopies.push(resource);
    }
    reportProgress();
    return result;
  };
  const runPlanned = (q: PlannedQuery): Promise<QueryResult> =>
    run(q.resourceType, [q.url], q.affectsAssessment).then(store);
  const runFollowUp = async (resourceType: string, urls: string[]): Promise<void> => {
    if (urls.length === 0) return;
    if (!supportsSearch(capabilities, resourceType)) {
      results.push({
        resources: [],
        report: {
          resourceType,
          url: urls[0] ?? "",
          pages: 0,
          count: 0,
          requests: 0,
          outcome: "skipped",
          detail: "not supported by the server",
        },
        gap: {
          resourceType,
          kind: "unsupported",
          ...unsupportedSearch(resourceType),
          affectsAssessment: true,
        },
      });
      return;
    }
    store(await run(resourceType, urls, true));
  };
  const missing = (refs: Iterable<string>, resourceType: string): string[] =>
    idsOf(
      [...refs].filter((r) => !loaded.has(r)),
      resourceType,
    );

  const observationFollowUps = async (observations: Observation[]): Promise<void> => {
    const specimenRefs = observations
      .map((o) => normaliseReference(o.specimen))
      .filter((r): r is string => r !== undefined);
    const memberRefs = observations
      .flatMap((o) => (o.hasMember ?? []).map((m) => normaliseReference(m)))
      .filter((r): r is string => r !== undefined);
    const her2Refs = observations.filter((o) => isHer2Result(o, codeMap)).map(refOf);
    const canSearchReports =
      supportsSearch(capabilities, "DiagnosticReport") &&
      supportsParam(capabilities, "DiagnosticReport", "result");
    const reports = her2Refs.length > 0 && canSearchReports ? reportSearches(patientId, her2Refs) : [];
    if (her2Refs.length > 0 && !canSearchReports) {
      // Reports only add grouping and conclusions to results already loaded: skipped without a gap, but reported.
      results.push({
        resources: [],
        report: {
          resourceType: "DiagnosticReport",
          url: "",
          pages: 0,
          count: 0,
          requests: 0,
          outcome: "skipped",
          detail: "the server does not support searching DiagnosticReport by result",
        },
      });
    }
    await Promise.all([
      runFollowUp("Specimen", batchedReads("Specimen", missing(specimenRefs, "Specimen"))),
      runFollowUp("Observation", batchedReads("Observation", missing(memberRefs, "Observation"))),
      runFollowUp("DiagnosticReport", reports),
    ]);
  };
  const medicationFollowUps = async (): Promise<void> => {
    const refs = [...loaded.values()]
      .filter((r) => r.resourceType.startsWith("Medication") && r.resourceType !== "Medication")
      .map((r) =>
        normaliseReference((r as { medicationReference?: { reference?: string } }).medicationReference),
      )
      .filter((r): r is string => r !== undefined);
    await runFollowUp("Medication", batchedReads("Medication", missing(refs, "Medication")));
  };

  const observationsOf = (resources: readonly Resource[]): Observation[] =>
    resources.filter((r): r is Observation => r.resourceType === "Observation");
  /** The code search found no HER2 result: look among all laboratory results once, keeping only the HER2 ones. */
  const laboratoryFallback = async (): Promise<Observation[]> => {
    const url = laboratorySearch(patientId, capabilities);
    if (!supportsParam(capabilities, "Observation", "category")) {
      // A server that does not declare it may reject the search: skipped, reported, and not a gap (the code search
      // did complete).
      results.push({
        resources: [],
        report: {
          resourceType: "Observation",
          url,
          pages: 0,
          count: 0,
          requests: 0,
          outcome: "skipped",
          detail: "fallback not sent: the server does not list the Observation search parameter category",
        },
      });
      return [];
    }
    const result = await run("Observation", [url], true);
    const kept = her2PartOfLaboratory(result.resources, codeMap);
    const found = observationsOf(kept).length;
    store({
      ...result,
      resources: kept,
      report: {
        ...result.report,
        detail: `fallback: no HER2 result under the searched codes; kept ${String(found)} HER2 result(s) of ${String(
          observationsOf(result.resources).length,
        )} laboratory Observation(s)${result.report.detail ? `; ${result.report.detail}` : ""}`,
      },
    });
    return observationsOf(kept);
  };
  const afterObservationSearch = async (result: QueryResult): Promise<void> => {
    const observations = observationsOf(result.resources);
    const fallback =
      result.report.outcome === "complete" && !observations.some((o) => isHer2Result(o, codeMap))
        ? await laboratoryFallback()
        : [];
    await observationFollowUps([...observations, ...fallback]);
  };

  const isMedicationQuery = (q: PlannedQuery): boolean => q.resourceType.startsWith("Medication");
  try {
    await Promise.all([
      ...initial
        .filter((q) => !isMedicationQuery(q))
        .map((q) =>
          runPlanned(q).then((result) =>
            q.resourceType === "Observation" ? afterObservationSearch(result) : undefined,
          ),
        ),
      Promise.all(initial.filter(isMedicationQuery).map(runPlanned)).then(medicationFollowUps),
    ]);
  } finally {
    // No progress report after the end (or a failure): the caller has the whole answer, or the error.
    finished = true;
    if (progressTimer !== undefined) clearTimeout(progressTimer);
  }
  return snapshot();

  /** What has loaded so far: the resources, gaps and query reports (the whole load once every query is done). */
  function snapshot(): LoadedPatientData {
    const gaps: DataGap[] = [
      ...skipped.map((s): DataGap => ({
        resourceType: s.resourceType,
        kind: "unsupported",
        reason: s.reason,
        reasonText: s.reasonText,
        affectsAssessment: s.affectsAssessment,
      })),
      ...results.flatMap((r) => (r.gap ? [r.gap] : [])),
    ];
    const queries: QueryReport[] = [
      metadataReport,
      ...results.map((r) => r.report),
      ...skipped.map((s): QueryReport => ({
        resourceType: s.resourceType,
        url: "",
        pages: 0,
        count: 0,
        requests: 0,
        outcome: "skipped",
        detail: s.reason,
      })),
    ];
    const patient = [...loaded.values()].find(
      (r): r is Patient => r.resourceType === "Patient" && r.id === patientId,
    );
    const resources = [...loaded.values(), ...laterCopies].filter(
      (r) => r.resourceType !== "Patient" || r !== patient,
    );
    const data: LoadedPatientData = {
      resources: patient ? [patient, ...resources] : resources,
      gaps,
      requestCount: runner.requestCount,
      queries,
    };
    if (patient) data.patient = patient;
    return data;
  }
}
