/**
 * Loads everything the HER2 rules need for one patient: the CapabilityStatement once, then Patient, HER2 and staging
 * Observations, Conditions and anti-HER2 medication resources in parallel, each following `next` links to the end;
 * then the Specimens, panel members, DiagnosticReports and Medications those results reference, when the server did
 * not include them. Every failure is recorded as a DataGap; a query that failed part-way keeps the pages that loaded
 * and adds a 'partial' gap, so a partial load never looks complete.
 */
import type { Bundle, Observation, Patient, Resource } from "fhir/r4";
import type { DataGap } from "../domain/types";
import { EMPTY_CODE_MAP, type CodeMap } from "./code-map";
import {
  parseCapabilities,
  supportsParam,
  supportsSearch,
  UNKNOWN_CAPABILITIES,
  type ServerCapabilities,
} from "./capabilities";
import {
  describeHttpFailure,
  hasErrorIssue,
  isOperationOutcome,
  operationOutcomeText,
  retryAfterMs,
  type Failure,
} from "./errors";
import { normaliseReference, refOf } from "./fhir-utils";
import { classifyHer2Code } from "./her2-observation";
import { batchedReads, planInitialQueries, reportSearches, type PlannedQuery } from "./query-plan";
import type { FhirResponse, FhirSource } from "./source";

/** What one query asked, how many pages and resources came back, and how it ended. */
export interface QueryReport {
  resourceType: string;
  /** The first URL asked (relative, encoded). */
  url: string;
  pages: number;
  /** Resources received, matches and includes. */
  count: number;
  /** HTTP requests sent for this query (pages, batches and retries). */
  requests: number;
  outcome: "complete" | "partial" | "failed" | "skipped";
  detail?: string;
}

export interface LoadedPatientData {
  patient?: Patient;
  /** Every resource loaded, once each (by `Type/id`). */
  resources: Resource[];
  gaps: DataGap[];
  /** HTTP requests sent in total, including the CapabilityStatement and retries. */
  requestCount: number;
  queries: QueryReport[];
}

export interface LoadOptions {
  codeMap?: CodeMap;
  /** Time allowed for one query, all its pages included. Default 20 s. */
  timeoutMs?: number;
  /** Cancels the whole load (the promise then rejects). */
  signal?: AbortSignal;
  /** Retries after a 429 per request. Default 2. */
  maxRetries?: number;
  /** Longest Retry-After honoured; a longer one fails the query at once. Default 10 s. */
  maxRetryWaitMs?: number;
}

const MAX_PAGES = 200;

class QueryTimeout extends Error {}

interface QueryResult {
  resources: Resource[];
  report: QueryReport;
  gap?: DataGap;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    function onAbort(): void {
      clearTimeout(timer);
      reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
    }
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function isBundle(body: unknown): body is Bundle {
  return (
    typeof body === "object" &&
    body !== null &&
    (body as { resourceType?: unknown }).resourceType === "Bundle"
  );
}

function isResource(body: unknown): body is Resource {
  return (
    typeof body === "object" &&
    body !== null &&
    typeof (body as { resourceType?: unknown }).resourceType === "string"
  );
}

class Loader {
  requestCount = 0;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly maxRetryWaitMs: number;

  constructor(
    private readonly source: FhirSource,
    private readonly options: LoadOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.maxRetries = options.maxRetries ?? 2;
    this.maxRetryWaitMs = options.maxRetryWaitMs ?? 10_000;
  }

  /** One GET, retried after 429 as the server asks (within limits). */
  private async fetch(url: string, signal: AbortSignal, report: QueryReport): Promise<FhirResponse> {
    for (let attempt = 0; ; attempt++) {
      this.requestCount++;
      report.requests++;
      const response = await this.source.get(url, { signal });
      if (response.status !== 429 || attempt >= this.maxRetries) return response;
      const wait = retryAfterMs(response.headers["retry-after"], Date.now()) ?? 1000 * (attempt + 1);
      if (wait > this.maxRetryWaitMs) return response;
      await sleep(wait, signal);
    }
  }

  /** Reads a response: the resources of a Bundle page (or a single resource), its next link, or why it failed. */
  private readPage(
    response: FhirResponse,
    resourceType: string,
  ): { resources: Resource[]; next?: string; warning?: string } | Failure {
    if (response.status < 200 || response.status >= 300) {
      return describeHttpFailure(response.status, resourceType, response.body);
    }
    if (response.parseError !== undefined) {
      return {
        kind: "error",
        reason: `the answer for ${resourceType} is not valid JSON (${response.parseError})`,
      };
    }
    if (isOperationOutcome(response.body)) {
      return {
        kind: "error",
        reason: `the server answered ${resourceType} with an OperationOutcome: ${operationOutcomeText(response.body) ?? "no details"}`,
      };
    }
    if (isBundle(response.body)) {
      const resources: Resource[] = [];
      const warnings: string[] = [];
      for (const entry of response.body.entry ?? []) {
        const resource = entry.resource;
        if (!resource) continue;
        if (isOperationOutcome(resource) || entry.search?.mode === "outcome") {
          const text = operationOutcomeText(resource);
          if (hasErrorIssue(resource))
            warnings.push(`error reported inside the results: ${text ?? "no details"}`);
          else if (text) warnings.push(text);
          continue;
        }
        resources.push(resource);
      }
      const next = response.body.link?.find((l) => l.relation === "next")?.url;
      return { resources, next, warning: warnings.length > 0 ? warnings.join("; ") : undefined };
    }
    if (isResource(response.body)) return { resources: [response.body] };
    return { kind: "error", reason: `the answer for ${resourceType} is not a FHIR resource` };
  }

  /**
   * Runs one query: one or more first URLs (batches), each followed through its `next` links, under one timeout.
   */
  async run(resourceType: string, urls: readonly string[], affectsAssessment: boolean): Promise<QueryResult> {
    const report: QueryReport = {
      resourceType,
      url: urls[0] ?? "",
      pages: 0,
      count: 0,
      requests: 0,
      outcome: "complete",
    };
    const resources: Resource[] = [];
    const controller = new AbortController();
    const outer = this.options.signal;
    const onOuterAbort = (): void => {
      controller.abort(outer?.reason);
    };
    outer?.addEventListener("abort", onOuterAbort, { once: true });
    const timer = setTimeout(() => {
      controller.abort(new QueryTimeout(`no complete answer within ${String(this.timeoutMs / 1000)} s`));
    }, this.timeoutMs);
    let failure: Failure | undefined;
    const warnings: string[] = [];
    try {
      for (const first of urls) {
        const seen = new Set<string>();
        let url: string | undefined = first;
        while (url !== undefined && failure === undefined) {
          if (seen.has(url) || seen.size >= MAX_PAGES) {
            failure = {
              kind: "error",
              reason: `paging of ${resourceType} stopped: the server's next links loop or exceed ${String(MAX_PAGES)} pages`,
            };
            break;
          }
          seen.add(url);
          const response = await this.fetch(url, controller.signal, report);
          const page = this.readPage(response, resourceType);
          if ("kind" in page) {
            failure = page;
            break;
          }
          report.pages++;
          resources.push(...page.resources);
          if (page.warning) warnings.push(page.warning);
          url = page.next;
        }
        if (failure) break;
      }
    } catch (error) {
      if (outer?.aborted) throw error;
      failure =
        controller.signal.reason instanceof QueryTimeout
          ? {
              kind: "timeout",
              reason: `${resourceType}: no complete answer within ${String(this.timeoutMs / 1000)} s`,
            }
          : {
              kind: "error",
              reason: `network error loading ${resourceType}: ${error instanceof Error ? error.message : String(error)}`,
            };
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onOuterAbort);
    }
    report.count = resources.length;
    let gap: DataGap | undefined;
    if (failure && report.pages > 0) {
      report.outcome = "partial";
      gap = {
        resourceType,
        kind: "partial",
        reason: `only ${String(report.pages)} page(s) of ${resourceType} loaded, the rest failed: ${failure.reason}`,
        affectsAssessment,
      };
    } else if (failure) {
      report.outcome = "failed";
      gap = { resourceType, kind: failure.kind, reason: failure.reason, affectsAssessment };
    } else if (warnings.some((w) => w.startsWith("error reported"))) {
      report.outcome = "partial";
      gap = {
        resourceType,
        kind: "partial",
        reason: `${resourceType}: ${warnings.join("; ")}`,
        affectsAssessment,
      };
    }
    const detail = [failure?.reason, ...warnings].filter(Boolean).join("; ");
    if (detail) report.detail = detail;
    return { resources, report, gap };
  }

  async capabilities(): Promise<{ capabilities: ServerCapabilities; report: QueryReport }> {
    const result = await this.run("CapabilityStatement", ["metadata"], false);
    const statement = result.resources.find((r) => r.resourceType === "CapabilityStatement");
    if (!statement) {
      result.report.detail = `${result.report.detail ?? "no CapabilityStatement"}; every search is attempted, without _include`;
      return { capabilities: UNKNOWN_CAPABILITIES, report: result.report };
    }
    return { capabilities: parseCapabilities(statement), report: result.report };
  }
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
  const loader = new Loader(source, options);
  const codeMap = options.codeMap ?? EMPTY_CODE_MAP;
  const { capabilities, report: metadataReport } = await loader.capabilities();
  const { queries: initial, skipped } = planInitialQueries(patientId, capabilities, codeMap);

  const loaded = new Map<string, Resource>();
  const results: QueryResult[] = [];
  const store = (result: QueryResult): QueryResult => {
    results.push(result);
    for (const resource of result.resources) loaded.set(refOf(resource), resource);
    return result;
  };
  const runPlanned = (q: PlannedQuery): Promise<QueryResult> =>
    loader.run(q.resourceType, [q.url], q.affectsAssessment).then(store);
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
          reason: `the server does not support searching ${resourceType}`,
          affectsAssessment: true,
        },
      });
      return;
    }
    store(await loader.run(resourceType, urls, true));
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
    const her2Refs = observations
      .filter((o) => {
        const c = classifyHer2Code(o.code, codeMap);
        return c !== undefined && !("excluded" in c);
      })
      .map(refOf);
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

  const isMedicationQuery = (q: PlannedQuery): boolean => q.resourceType.startsWith("Medication");
  await Promise.all([
    ...initial
      .filter((q) => !isMedicationQuery(q))
      .map((q) =>
        runPlanned(q).then((result) =>
          q.resourceType === "Observation"
            ? observationFollowUps(
                result.resources.filter((r): r is Observation => r.resourceType === "Observation"),
              )
            : undefined,
        ),
      ),
    Promise.all(initial.filter(isMedicationQuery).map(runPlanned)).then(medicationFollowUps),
  ]);

  const gaps: DataGap[] = [
    ...skipped.map((s): DataGap => ({
      resourceType: s.resourceType,
      kind: "unsupported",
      reason: s.reason,
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
  const resources = [...loaded.values()].filter((r) => r.resourceType !== "Patient" || r !== patient);
  const data: LoadedPatientData = {
    resources: patient ? [patient, ...resources] : resources,
    gaps,
    requestCount: loader.requestCount,
    queries,
  };
  if (patient) data.patient = patient;
  return data;
}
