/**
 * FHIR Bulk Data Access (STU2) client: the kick-off, the status polling and the job's deletion, over `fetch`.
 * Spec: https://hl7.org/fhir/uv/bulkdata/STU2/export.html. Downloading the files is the command's job (src/cli/export.ts).
 */
import type { BackendToken } from "./backend-token";
import { BulkError, type BulkErrorFacts } from "./errors";

/** What to export. */
export interface ExportRequest {
  /** The FHIR base URL. */
  readonly base: string;
  /** The Group to export; undefined: every patient (`Patient/$export`). */
  readonly group?: string | undefined;
  /** `_type`: the resource types to export. */
  readonly types: readonly string[];
  /** `_typeFilter` queries, `Type?params`. */
  readonly typeFilters: readonly string[];
  /** `_since`: only resources changed after this instant. */
  readonly since?: string | undefined;
}

/** One file of the manifest. */
export interface ManifestFile {
  readonly type: string;
  readonly url: string;
  readonly count?: number;
}

/** The completed export's manifest (STU2 "Response - Complete Status"). */
export interface ExportManifest {
  readonly transactionTime: string;
  readonly request: string;
  readonly requiresAccessToken: boolean;
  readonly output: readonly ManifestFile[];
  readonly error: readonly ManifestFile[];
}

/** Back-off of the retries on 429 and 5xx (and of polling when the server sends no Retry-After). */
export interface Backoff {
  /** First wait, ms (doubled after each failure). */
  readonly initialMs: number;
  /** Longest wait, ms. */
  readonly maxMs: number;
  /** Failures in a row before giving up. */
  readonly retries: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 1000, maxMs: 60_000, retries: 5 };

export interface ClientSettings {
  readonly token: BackendToken;
  readonly backoff?: Backoff;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly now?: () => number;
}

/** The kick-off URL: `[base]/Group/[id]/$export` or `[base]/Patient/$export` with the parameters. */
export function kickOffUrl(request: ExportRequest): string {
  const base = request.base.replace(/\/+$/, "");
  const path =
    request.group === undefined ? "Patient/$export" : `Group/${encodeURIComponent(request.group)}/$export`;
  const params = new URLSearchParams();
  if (request.types.length > 0) params.set("_type", request.types.join(","));
  for (const filter of request.typeFilters) params.append("_typeFilter", filter);
  if (request.since !== undefined) params.set("_since", request.since);
  const query = params.toString();
  return `${base}/${path}${query === "" ? "" : `?${query}`}`;
}

/** The text of an OperationOutcome's issues, one per line (`severity: text`). */
export function outcomeText(body: unknown): string[] {
  return outcomeIssues(body).map((issue) => `${issue.severity}: ${issue.text ?? "no details"}`);
}

/**
 * An OperationOutcome's issues as data: the severity code (`error` when absent) and the server's text (details.text,
 * diagnostics or the code; undefined when the issue has none).
 */
export function outcomeIssues(body: unknown): { severity: string; text: string | undefined }[] {
  const issues = (body as { resourceType?: unknown; issue?: unknown } | null)?.issue;
  if (!Array.isArray(issues)) return [];
  return issues.map((raw) => {
    const issue = raw as {
      severity?: unknown;
      code?: unknown;
      diagnostics?: unknown;
      details?: { text?: unknown };
    };
    const text = [issue.details?.text, issue.diagnostics, issue.code].find(
      (v): v is string => typeof v === "string",
    );
    return { severity: typeof issue.severity === "string" ? issue.severity : "error", text };
  });
}

/** Retry-After as ms: delay-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new BulkError("cancelled", "cancelled"));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new BulkError("cancelled", "cancelled"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** Talks to one Bulk Data server with one backend-services token. */
export class BulkClient {
  readonly backoff: Backoff;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly fetchFn: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly settings: ClientSettings) {
    this.backoff = settings.backoff ?? DEFAULT_BACKOFF;
    this.fetchFn = settings.fetch ?? fetch;
    this.sleep = settings.sleep ?? defaultSleep;
    this.now = settings.now ?? Date.now;
  }

  /**
   * A request with the bearer token (`withToken`), renewed once when the server answers 401. Network errors become
   * BulkError "network"; the caller handles the HTTP status.
   */
  async send(url: string, init: RequestInit, withToken: boolean, signal?: AbortSignal): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const token = withToken ? await this.settings.token.get() : undefined;
      const headers = new Headers(init.headers);
      if (token !== undefined) headers.set("authorization", `Bearer ${token}`);
      let response: Response;
      try {
        response = await this.fetchFn(url, { ...init, headers, ...(signal ? { signal } : {}) });
      } catch (error) {
        if (signal?.aborted) throw new BulkError("cancelled", "cancelled");
        const reason = error instanceof Error ? error.message : String(error);
        throw new BulkError("network", `cannot reach ${url} (${reason})`, undefined, {
          what: "unreachable",
          url,
          error: reason,
        });
      }
      if (response.status === 401 && token !== undefined && attempt === 0) {
        // Expired or revoked before its time: one new token, one more try.
        await drain(response);
        this.settings.token.invalidate(token);
        continue;
      }
      return response;
    }
  }

  /** The wait before retry `failures` (1, 2, …): Retry-After when the server sent one, else exponential back-off. */
  waitMs(failures: number, response?: Response): number {
    const fromServer =
      response === undefined ? undefined : retryAfterMs(response.headers.get("retry-after"), this.now());
    // The server's Retry-After is obeyed as sent (STU2: clients SHOULD follow it); only our own back-off is capped.
    return fromServer ?? Math.min(this.backoff.initialMs * 2 ** (failures - 1), this.backoff.maxMs);
  }

  /**
   * Kick-off (STU2 "Bulk Data Kick-off Request"), retried on 429 and 5xx.
   * @returns the status URL (Content-Location)
   */
  async kickOff(request: ExportRequest, signal?: AbortSignal): Promise<string> {
    const url = kickOffUrl(request);
    for (let failures = 1; ; failures++) {
      const response = await this.send(
        url,
        { headers: { accept: "application/fhir+json", prefer: "respond-async" } },
        true,
        signal,
      );
      const location = response.headers.get("content-location");
      if (response.status === 202 && location !== null) {
        await drain(response);
        return new URL(location, url).href;
      }
      const body: unknown = await response.json().catch(() => undefined);
      if (retriable(response.status) && failures <= this.backoff.retries) {
        await this.sleep(this.waitMs(failures, response), signal);
        continue;
      }
      throw httpError(response.status, { request: "kick-off", url }, body, request.group);
    }
  }

  /**
   * Polls the status URL until the manifest comes (STU2 "Bulk Data Status Request"): waits as Retry-After says, with
   * exponential back-off on 429 and 5xx.
   * @param onProgress - X-Progress text of each in-progress answer; `own` says when the text is the client's own
   *   words instead (no X-Progress, or a retry after an HTTP error), for a caller that words them in another language
   * @param maxWaitMs - gives up (BulkError "timeout") after this long; the job stays on the server
   */
  async poll(
    statusUrl: string,
    onProgress: (text: string, own?: { inProgress: true } | { retrying: number }) => void,
    maxWaitMs: number,
    signal?: AbortSignal,
  ): Promise<ExportManifest> {
    const started = this.now();
    let failures = 0;
    let waiting = 0;
    for (;;) {
      const response = await this.send(statusUrl, { headers: { accept: "application/json" } }, true, signal);
      let wait: number;
      if (response.status === 200) {
        const body: unknown = await response.json().catch(() => undefined);
        return parseManifest(body, statusUrl);
      }
      if (response.status === 202) {
        await drain(response);
        failures = 0;
        waiting++;
        const progress = response.headers.get("x-progress");
        if (progress === null) onProgress("in progress", { inProgress: true });
        else onProgress(progress);
        wait = this.waitMs(waiting, response);
      } else {
        const body: unknown = await response.json().catch(() => undefined);
        failures++;
        if (!retriable(response.status) || failures > this.backoff.retries)
          throw httpError(response.status, { request: "status", url: statusUrl }, body, undefined);
        onProgress(`HTTP ${String(response.status)}, retrying`, { retrying: response.status });
        wait = this.waitMs(failures, response);
      }
      if (this.now() + wait - started > maxWaitMs) {
        const duration = formatDuration(this.now() - started);
        throw new BulkError(
          "timeout",
          `the server has not completed the export after ${duration}`,
          undefined,
          { what: "timeout", duration },
        );
      }
      await this.sleep(wait, signal);
    }
  }

  /** Deletes the job (STU2 "Bulk Data Delete Request"); a job already gone is fine. */
  async delete(statusUrl: string): Promise<boolean> {
    try {
      const response = await this.send(statusUrl, { method: "DELETE" }, true);
      await drain(response);
      return response.ok || response.status === 404;
    } catch {
      return false;
    }
  }
}

function retriable(status: number): boolean {
  return status === 429 || status >= 500;
}

function httpError(
  status: number,
  request: { request: "kick-off" | "status"; url: string },
  body: unknown,
  group: string | undefined,
): BulkError {
  const details = outcomeText(body);
  const facts: BulkErrorFacts = { what: "http", ...request, group, said: details.join("; ") };
  const what =
    request.request === "kick-off" ? `the kick-off ${request.url}` : `the status request ${request.url}`;
  const said = details.length > 0 ? `: ${details.join("; ")}` : "";
  if (status === 401)
    return new BulkError(
      "auth",
      `${what} was refused: the access token was not accepted (HTTP 401)${said}`,
      status,
      facts,
    );
  if (status === 403)
    return new BulkError(
      "forbidden",
      `${what} was refused (HTTP 403): the client's scopes do not cover it${said}`,
      status,
      facts,
    );
  if (status === 404)
    return new BulkError(
      "not-found",
      `${what} found nothing (HTTP 404)${group === undefined ? "" : `: is Group/${group} right?`}${said}`,
      status,
      facts,
    );
  return new BulkError("server", `${what} failed (HTTP ${String(status)})${said}`, status, facts);
}

function parseManifest(body: unknown, statusUrl: string): ExportManifest {
  const m = body as Partial<Record<keyof ExportManifest, unknown>> | undefined;
  const files = (value: unknown): ManifestFile[] =>
    Array.isArray(value)
      ? value.flatMap((raw) => {
          const f = raw as { type?: unknown; url?: unknown; count?: unknown };
          if (typeof f.type !== "string" || typeof f.url !== "string") return [];
          return [
            {
              type: f.type,
              url: new URL(f.url, statusUrl).href,
              ...(typeof f.count === "number" ? { count: f.count } : {}),
            },
          ];
        })
      : [];
  if (m === undefined || !Array.isArray(m.output) || typeof m.transactionTime !== "string") {
    throw new BulkError(
      "server",
      `the status URL ${statusUrl} answered 200 without a Bulk Data manifest`,
      undefined,
      { what: "no-manifest", url: statusUrl },
    );
  }
  return {
    transactionTime: m.transactionTime,
    request: typeof m.request === "string" ? m.request : "",
    requiresAccessToken: m.requiresAccessToken === true,
    output: files(m.output),
    error: files(m.error),
  };
}

/** `1 h 5 min`, `3 min`, `12 s`. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${String(s)} s`;
  const min = Math.round(s / 60);
  return min < 60 ? `${String(min)} min` : `${String(Math.floor(min / 60))} h ${String(min % 60)} min`;
}

/** Reads a small body to its end, so the connection can be reused (cancelling it can stall under interceptors). */
async function drain(response: Response): Promise<void> {
  await response.arrayBuffer().catch(() => undefined);
}
