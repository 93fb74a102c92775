/**
 * Runs one query against a FhirSource: follows `next` links to the end, retries after 429 as the server asks, times
 * out per query, and turns every failure into a DataGap. A query that fails part-way keeps the pages that loaded and
 * reports a 'partial' gap.
 */
import type { Bundle, BundleEntry, Resource } from "fhir/r4";
import type { DataGap } from "../domain/types";
import { parseCapabilities, UNKNOWN_CAPABILITIES, type ServerCapabilities } from "./capabilities";
import type { TextValue } from "../domain/text";
import {
  describeHttpFailure,
  failure as failed,
  hasErrorIssue,
  isOperationOutcome,
  operationOutcomeText,
  retryAfterMs,
  type Failure,
} from "./errors";
import { isWithinBase, type FhirResponse, type FhirSource } from "./source";
import { en, fhirText, joinedText } from "./text";

/** What a Bundle said besides its resources: an error reported inside it (a gap), or a server's note. */
interface Warning {
  text: TextValue;
  error: boolean;
}

const NO_DETAILS = fhirText("fhir.gap.no-details");

/** An error a Bundle reports inside its results (an OperationOutcome entry, a count that does not add up). */
function errorInside(details: TextValue): Warning {
  return { text: fhirText("fhir.gap.error-inside", { details }), error: true };
}

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

export interface RunnerOptions {
  /** Time allowed for one query, all its pages included. Default 20 s. */
  timeoutMs?: number;
  /** Cancels every query (they then reject). */
  signal?: AbortSignal;
  /** Retries after a 429 per request. Default 2. */
  maxRetries?: number;
  /** Longest Retry-After honoured; a longer one fails the query at once. Default 10 s. */
  maxRetryWaitMs?: number;
}

const MAX_PAGES = 200;

class QueryTimeout extends Error {}

export interface QueryResult {
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

export class QueryRunner {
  requestCount = 0;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly maxRetryWaitMs: number;

  constructor(
    private readonly source: FhirSource,
    private readonly options: RunnerOptions,
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
  ):
    | { resources: Resource[]; next?: string; warnings?: Warning[]; total?: number; matches?: number }
    | Failure {
    if (response.status < 200 || response.status >= 300) {
      return describeHttpFailure(response.status, resourceType, response.body);
    }
    if (response.parseError !== undefined) {
      return failed(
        "error",
        fhirText("fhir.gap.invalid-json", { type: resourceType, error: response.parseError }),
      );
    }
    if (isOperationOutcome(response.body)) {
      const outcome = operationOutcomeText(response.body) ?? NO_DETAILS;
      return failed("error", fhirText("fhir.gap.operation-outcome", { type: resourceType, outcome }));
    }
    if (isBundle(response.body)) {
      const resources: Resource[] = [];
      const warnings: Warning[] = [];
      let matches = 0;
      let notResources = 0;
      // Read as JSON, not trusted to be FHIR: an entry list that is no list, or an entry that is no object, is counted.
      const entries: unknown = response.body.entry;
      const list: unknown[] = Array.isArray(entries) ? entries : entries === undefined ? [] : [entries];
      for (const item of list) {
        if (typeof item !== "object" || item === null) {
          notResources++;
          continue;
        }
        const entry = item as BundleEntry;
        const resource = entry.resource;
        if (!resource) continue;
        // A match that is not a resource (no resourceType) cannot be read: counted as a gap, never passed on.
        if (!isResource(resource)) {
          notResources++;
          continue;
        }
        if (isOperationOutcome(resource) || entry.search?.mode === "outcome") {
          const text = operationOutcomeText(resource);
          if (hasErrorIssue(resource)) warnings.push(errorInside(text ?? NO_DETAILS));
          else if (text) warnings.push({ text, error: false });
          continue;
        }
        resources.push(resource);
        if (entry.search?.mode !== "include") matches++;
      }
      if (notResources > 0) {
        warnings.push({
          text: fhirText("fhir.gap.entries-not-resources", { count: String(notResources) }),
          error: true,
        });
      }
      const next = response.body.link?.find((l) => l.relation === "next")?.url;
      return { resources, next, warnings, total: response.body.total, matches };
    }
    if (isResource(response.body)) return { resources: [response.body] };
    return failed("error", fhirText("fhir.gap.not-resource", { type: resourceType }));
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
    const warnings: Warning[] = [];
    try {
      for (const first of urls) {
        const seen = new Set<string>();
        let url: string | undefined = first;
        let matches = 0;
        let total: number | undefined;
        while (url !== undefined && failure === undefined) {
          if (seen.has(url) || seen.size >= MAX_PAGES) {
            failure = failed(
              "error",
              fhirText("fhir.gap.paging-loop", { type: resourceType, max: String(MAX_PAGES) }),
            );
            break;
          }
          if (!isWithinBase(url, this.source.baseUrl)) {
            // A server's link to another host or path must not receive the access token: stop paging here.
            failure = failed("error", fhirText("fhir.gap.paging-outside", { base: this.source.baseUrl }));
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
          if (page.warnings) warnings.push(...page.warnings);
          total ??= page.total;
          matches += page.matches ?? 0;
          url = page.next;
        }
        if (failure) break;
        if (total !== undefined && matches < total) {
          // The server said how many there are, and fewer arrived: a silent truncation must not look complete.
          warnings.push(
            errorInside(fhirText("fhir.gap.count-short", { total: String(total), sent: String(matches) })),
          );
        }
      }
    } catch (error) {
      if (outer?.aborted) throw error;
      failure =
        controller.signal.reason instanceof QueryTimeout
          ? failed(
              "timeout",
              fhirText("fhir.gap.timeout", { type: resourceType, seconds: String(this.timeoutMs / 1000) }),
            )
          : failed(
              "error",
              fhirText("fhir.gap.network", {
                type: resourceType,
                error: error instanceof Error ? error.message : String(error),
              }),
            );
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onOuterAbort);
    }
    report.count = resources.length;
    let gap: DataGap | undefined;
    const gapOf = ({ kind, reason, reasonText }: Failure): DataGap => ({
      resourceType,
      kind,
      reason,
      reasonText,
      affectsAssessment,
    });
    if (failure && report.pages > 0) {
      report.outcome = "partial";
      gap = gapOf(
        failed(
          "partial",
          fhirText("fhir.gap.partial", {
            pages: String(report.pages),
            type: resourceType,
            reason: failure.reasonText,
          }),
        ),
      );
    } else if (failure) {
      report.outcome = "failed";
      gap = gapOf(failure);
    } else if (warnings.some((w) => w.error)) {
      report.outcome = "partial";
      const said = joinedText(warnings.map((w) => w.text));
      gap = gapOf(failed("partial", fhirText("fhir.gap.warnings", { type: resourceType, warnings: said })));
    }
    const detail = [failure?.reason, ...warnings.map((w) => en(w.text))].filter(Boolean).join("; ");
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
