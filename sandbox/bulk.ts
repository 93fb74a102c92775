/**
 * FHIR Bulk Data Access (STU2) on the sandbox: `$export` on `Group/her2-breast-cancer` and on `Patient`, the async
 * status endpoint (202 with `X-Progress` and `Retry-After`, then 200 and the manifest), `DELETE` of a job, and the
 * NDJSON files (behind the access token when `requiresAccessToken`). Faults can be injected for the client's tests.
 *
 * Spec: https://hl7.org/fhir/uv/bulkdata/STU2/export.html (kick-off request, status request, file request).
 */
import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { matchesSearchRequest, parseSearchRequest } from "@medplum/core";
import type { OperationOutcome, Reference, Resource } from "@medplum/fhirtypes";
import { type BackendGrant, systemScopeAllows } from "./backend-auth.ts";
import {
  BULK_FILE_PATH,
  BULK_GROUP_ID,
  BULK_STATUS_PATH,
  FHIR_BASE_PATH,
  SERVED_RESOURCE_TYPES,
} from "./config.ts";
import { inCompartment, operationOutcome } from "./fhir-api.ts";
import type { FhirStore } from "./fhir-store.ts";

/** One injected Bulk Data fault. */
export type BulkFault =
  /** The first `times` status polls answer 429, with `Retry-After: 1` or (bare) without it. */
  | { kind: "poll-429"; times: number; retryAfter: boolean }
  /** The first `times` status polls answer 500. */
  | { kind: "poll-500"; times: number }
  /** The job never completes: every poll answers 202. */
  | { kind: "never-complete" }
  /** The type is not exported: the manifest's error[] names it in an OperationOutcome file. */
  | { kind: "manifest-error"; resourceType: string }
  /** The type's files answer 404. */
  | { kind: "file-404"; resourceType: string }
  /** The first `times` downloads of the type's first file end cleanly in the middle of a line. */
  | { kind: "file-truncate"; resourceType: string; times: number }
  /** The token that downloads the `after`-th file expires just then: that download, and the token, get 401. */
  | { kind: "token-expire"; after: number };

/** Settings of the Bulk Data endpoints (tests change them; `npm start` uses the defaults). */
export interface BulkOptions {
  /** Polls that answer 202 before the manifest (default 2). */
  readonly pollsBeforeDone?: number;
  /** `Retry-After` seconds of an in-progress status (default 1). */
  readonly retryAfterS?: number;
  /** Resources per NDJSON file: a type with more is split over several files (default 1000). */
  readonly resourcesPerFile?: number;
  /** The manifest's `requiresAccessToken` (default true: files need the bearer token). */
  readonly requiresAccessToken?: boolean;
  readonly faults?: readonly BulkFault[];
  /**
   * Called once a kick-off has built its job's files, with how long that took (ms): the server's own work, which the
   * client waits for but does not control (the benchmark reports it apart, bench/export-server.ts).
   */
  readonly onJobBuilt?: (job: { ms: number; files: number; resources: number }) => void;
}

const RESOURCE_TYPE = /^[A-Z][A-Za-z]{1,63}$/;

/** Parses fault codes such as `poll-429:2`, `file-truncate:Observation:1`, `token-expire:1`, `never-complete`. */
export function parseBulkFaults(codes: readonly string[]): BulkFault[] | { error: string } {
  const faults: BulkFault[] = [];
  for (const code of codes
    .flatMap((c) => c.split(","))
    .map((c) => c.trim())
    .filter((c) => c !== "")) {
    const [name = "", a, b] = code.split(":");
    const count = (text: string | undefined, fallback: number): number | undefined => {
      const n = text === undefined ? fallback : Number(text);
      return Number.isInteger(n) && n >= 0 ? n : undefined;
    };
    const type = a !== undefined && RESOURCE_TYPE.test(a) ? a : undefined;
    let fault: BulkFault | undefined;
    if (name === "poll-429" || name === "poll-429-bare") {
      const times = count(a, 1);
      if (times !== undefined) fault = { kind: "poll-429", times, retryAfter: name === "poll-429" };
    } else if (name === "poll-500") {
      const times = count(a, 1);
      if (times !== undefined) fault = { kind: "poll-500", times };
    } else if (name === "never-complete" && a === undefined) fault = { kind: "never-complete" };
    else if (name === "manifest-error" && type) fault = { kind: "manifest-error", resourceType: type };
    else if (name === "file-404" && type) fault = { kind: "file-404", resourceType: type };
    else if (name === "file-truncate" && type) {
      const times = count(b, 1);
      if (times !== undefined) fault = { kind: "file-truncate", resourceType: type, times };
    } else if (name === "token-expire") {
      const after = count(a, 1);
      if (after !== undefined && after > 0) fault = { kind: "token-expire", after };
    }
    if (fault === undefined) return { error: `unknown or malformed Bulk Data fault "${code}"` };
    faults.push(fault);
  }
  return faults;
}

interface ExportFile {
  readonly type: string;
  readonly name: string;
  readonly text: string;
  readonly count: number;
}

interface Job {
  readonly id: string;
  readonly clientId: string;
  readonly request: string;
  readonly transactionTime: string;
  readonly files: readonly ExportFile[];
  readonly errors: readonly ExportFile[];
  polls: number;
}

/** A response the server writes as JSON, with its headers. */
export interface BulkAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

const fail = (
  status: number,
  code: NonNullable<OperationOutcome["issue"]>[number]["code"],
  text: string,
): BulkAnswer => ({
  status,
  body: operationOutcome(code, text),
});

/** The export jobs of one sandbox, and the faults injected into them. */
export class BulkExports {
  private readonly jobs = new Map<string, Job>();
  private readonly faults: BulkFault[];
  private readonly truncated = new Map<string, number>();
  private downloads = 0;

  constructor(
    private readonly options: BulkOptions = {},
    private readonly expireToken: (token: string) => void = () => undefined,
  ) {
    this.faults = [...(options.faults ?? [])];
  }

  /** Whether a path below the FHIR base is a Bulk Data one. */
  static handles(sub: string): boolean {
    return (
      /^\/(Group\/[^/]+|Patient)\/\$export$/.test(sub) ||
      sub.startsWith(`${BULK_STATUS_PATH}/`) ||
      sub.startsWith(`${BULK_FILE_PATH}/`)
    );
  }

  /**
   * Kick-off: `GET|POST [base]/Group/[id]/$export` or `[base]/Patient/$export`, with `Prefer: respond-async`.
   * Supports `_type`, `_since`, `_typeFilter` and `_outputFormat` (NDJSON only).
   */
  kickOff(
    sub: string,
    params: URLSearchParams,
    prefer: string | undefined,
    grant: BackendGrant,
    origin: string,
    store: FhirStore,
  ): BulkAnswer {
    if (!/\brespond-async\b/.test(prefer ?? "")) {
      return fail(400, "invalid", "The kick-off request needs the header Prefer: respond-async");
    }
    const group = /^\/Group\/([^/]+)\/\$export$/.exec(sub)?.[1];
    if (group !== undefined && decodeURIComponent(group) !== BULK_GROUP_ID) {
      return fail(
        404,
        "not-found",
        `Group/${decodeURIComponent(group)} is not known (this sandbox has Group/${BULK_GROUP_ID})`,
      );
    }
    const format = params.get("_outputFormat");
    if (format !== null && !["application/fhir+ndjson", "application/ndjson", "ndjson"].includes(format)) {
      return fail(
        400,
        "not-supported",
        `_outputFormat ${format} is not supported: only application/fhir+ndjson`,
      );
    }
    const requested = params
      .getAll("_type")
      .flatMap((t) => t.split(","))
      .filter((t) => t !== "");
    const types = (requested.length > 0 ? requested : SERVED_RESOURCE_TYPES).filter((t) =>
      SERVED_RESOURCE_TYPES.includes(t),
    );
    const denied = types.filter((t) => !systemScopeAllows(grant.scopes, t));
    if (denied.length > 0) {
      return fail(403, "forbidden", `The access token lacks a system scope to read ${denied.join(", ")}`);
    }
    const since = params.get("_since");
    if (since !== null && Number.isNaN(Date.parse(since))) {
      return fail(400, "invalid", `_since must be a FHIR instant, got "${since}"`);
    }
    const filters = new Map<string, string[]>();
    for (const filter of params.getAll("_typeFilter").flatMap((f) => f.split(","))) {
      const type = filter.split("?")[0] ?? "";
      if (!filter.includes("?") || !RESOURCE_TYPE.test(type)) {
        return fail(400, "invalid", `_typeFilter "${filter}" is not Type?search-parameters`);
      }
      filters.set(type, [...(filters.get(type) ?? []), filter]);
    }
    const building = performance.now();
    const patients = new Set(store.manifest.patients.map((p) => p.id));
    // A resource is in the group when it is in some patient's compartment. Only these ids can put it there: its own
    // (a Patient), those its subject / patient reference, or any one (a shared type such as Medication). Checking just
    // them, instead of every patient, keeps a 10,000-patient kick-off (npm run bench) from taking half a minute.
    const anyPatient = patients.values().next().value;
    const referenced = (reference: string | undefined): string | undefined =>
      reference?.startsWith("Patient/") ? reference.slice("Patient/".length) : undefined;
    const inGroup = (r: Resource): boolean => {
      const owner = r as { subject?: Reference; patient?: Reference };
      return [
        anyPatient,
        r.id,
        referenced(owner.subject?.reference),
        referenced(owner.patient?.reference),
      ].some((id) => id !== undefined && patients.has(id) && inCompartment(r, id));
    };
    const perFile = Math.max(1, this.options.resourcesPerFile ?? 1000);
    const files: ExportFile[] = [];
    const errors: ExportFile[] = [];
    for (const type of types) {
      if (this.faults.some((f) => f.kind === "manifest-error" && f.resourceType === type)) {
        const outcome = operationOutcome(
          "exception",
          `${type} could not be exported (sandbox fault manifest-error:${type})`,
        );
        errors.push({
          type: "OperationOutcome",
          name: `errors-${type}`,
          text: `${JSON.stringify(outcome)}\n`,
          count: 1,
        });
        continue;
      }
      // The loaded resources themselves, not a search: the repository's search deep-copies every match.
      const all = [...(store.byType.get(type)?.values() ?? [])];
      const typeFilters = (filters.get(type) ?? []).map((f) => parseSearchRequest(f));
      const selected = all.filter(
        (r) =>
          inGroup(r) &&
          (since === null || Date.parse(r.meta?.lastUpdated ?? "") > Date.parse(since)) &&
          (typeFilters.length === 0 || typeFilters.some((f) => matchesSearchRequest(r, f))),
      );
      selected.sort((a, b) => a.id.localeCompare(b.id));
      for (let i = 0; i < selected.length; i += perFile) {
        const chunk = selected.slice(i, i + perFile);
        files.push({
          type,
          name: `${type}.${String(i / perFile).padStart(3, "0")}`,
          text: chunk.map((r) => `${JSON.stringify(r)}\n`).join(""),
          count: chunk.length,
        });
      }
    }
    this.options.onJobBuilt?.({
      ms: performance.now() - building,
      files: files.length,
      resources: files.reduce((n, f) => n + f.count, 0),
    });
    const id = randomBytes(12).toString("hex");
    const request = `${origin}${FHIR_BASE_PATH}${sub}${params.size > 0 ? `?${params.toString()}` : ""}`;
    this.jobs.set(id, {
      id,
      clientId: grant.clientId,
      request,
      transactionTime: new Date().toISOString(),
      files,
      errors,
      polls: 0,
    });
    return {
      status: 202,
      headers: { "content-location": `${origin}${FHIR_BASE_PATH}${BULK_STATUS_PATH}/${id}` },
      body: {
        resourceType: "OperationOutcome",
        issue: [{ severity: "information", code: "informational", details: { text: "Export started" } }],
      },
    };
  }

  /** `GET` (progress or manifest) or `DELETE` (cancel) of `[base]/$export-status/[id]`. */
  status(method: string, sub: string, grant: BackendGrant, origin: string): BulkAnswer {
    const id = sub.slice(BULK_STATUS_PATH.length + 1);
    const job = this.jobs.get(id);
    if (job === undefined || job.clientId !== grant.clientId) {
      return fail(404, "not-found", `No export job ${id} (it was deleted, or never existed)`);
    }
    if (method === "DELETE") {
      this.jobs.delete(id);
      return { status: 202, body: operationOutcome("informational", `Export job ${id} deleted`) };
    }
    if (method !== "GET") return fail(405, "not-supported", `${method} is not supported on a status URL`);
    job.polls++;
    const poll429 = this.take("poll-429");
    if (poll429 !== undefined) {
      return {
        ...fail(429, "throttled", "Too many status requests (sandbox fault poll-429)"),
        headers: poll429.retryAfter ? { "retry-after": "1" } : {},
      };
    }
    if (this.take("poll-500") !== undefined)
      return fail(500, "exception", "Internal error (sandbox fault poll-500)");
    const needed = this.options.pollsBeforeDone ?? 2;
    const neverCompletes = this.faults.some((f) => f.kind === "never-complete");
    if (neverCompletes || job.polls <= needed) {
      const percent = neverCompletes ? 50 : Math.round((100 * (job.polls - 1)) / (needed + 1));
      return {
        status: 202,
        headers: {
          "x-progress": `${String(percent)}% done`,
          "retry-after": String(this.options.retryAfterS ?? 1),
        },
      };
    }
    const fileUrl = (name: string): string =>
      `${origin}${FHIR_BASE_PATH}${BULK_FILE_PATH}/${id}/${name}.ndjson`;
    return {
      status: 200,
      headers: { expires: new Date(Date.now() + 3_600_000).toUTCString() },
      body: {
        transactionTime: job.transactionTime,
        request: job.request,
        requiresAccessToken: this.options.requiresAccessToken ?? true,
        output: job.files.map((f) => ({ type: f.type, url: fileUrl(f.name), count: f.count })),
        error: job.errors.map((f) => ({ type: f.type, url: fileUrl(f.name) })),
      },
    };
  }

  /** Whether file downloads need a token (the manifest's `requiresAccessToken`). */
  get requiresAccessToken(): boolean {
    return this.options.requiresAccessToken ?? true;
  }

  /** `GET [base]/$export-file/[job]/[name].ndjson`: the NDJSON, or a fault. */
  file(
    sub: string,
    grant: BackendGrant | undefined,
    res: ServerResponse,
    cors: Record<string, string>,
  ): void {
    const [jobId = "", fileName = ""] = sub.slice(BULK_FILE_PATH.length + 1).split("/");
    const job = this.jobs.get(jobId);
    const name = fileName.replace(/\.ndjson$/, "");
    const file = job?.files.find((f) => f.name === name) ?? job?.errors.find((f) => f.name === name);
    const send = (answer: BulkAnswer): void => {
      res.writeHead(answer.status, {
        "content-type": "application/fhir+json; charset=utf-8",
        ...cors,
        ...answer.headers,
      });
      res.end(JSON.stringify(answer.body));
    };
    if (job === undefined || file === undefined || (grant !== undefined && grant.clientId !== job.clientId)) {
      send(fail(404, "not-found", `No export file ${sub}`));
      return;
    }
    if (grant !== undefined) {
      this.downloads++;
      const expire = this.faults.find((f) => f.kind === "token-expire" && f.after === this.downloads);
      if (expire !== undefined) {
        this.expireToken(grant.token);
        send({
          ...fail(401, "login", "Access token expired (sandbox fault token-expire)"),
          headers: { "www-authenticate": `Bearer realm="her2-sandbox", error="invalid_token"` },
        });
        return;
      }
    }
    if (this.faults.some((f) => f.kind === "file-404" && f.resourceType === file.type)) {
      send(
        fail(404, "not-found", `The file ${file.name}.ndjson is gone (sandbox fault file-404:${file.type})`),
      );
      return;
    }
    res.writeHead(200, { "content-type": "application/fhir+ndjson", "cache-control": "no-store", ...cors });
    const truncate = this.faults.find(
      (f): f is Extract<BulkFault, { kind: "file-truncate" }> =>
        f.kind === "file-truncate" && f.resourceType === file.type && file.name.endsWith(".000"),
    );
    const cut = this.truncated.get(file.name) ?? 0;
    if (truncate !== undefined && cut < truncate.times) {
      this.truncated.set(file.name, cut + 1);
      // Ends cleanly (no Content-Length, chunked), half-way through a line: only the content shows the cut.
      const firstLineEnd = file.text.indexOf("\n");
      const at =
        firstLineEnd >= 0 && file.text.length > firstLineEnd + 10
          ? firstLineEnd + 10
          : Math.floor(file.text.length / 2);
      res.end(file.text.slice(0, at));
      return;
    }
    res.end(file.text);
  }

  /** Uses up one of a counted fault. */
  private take<K extends "poll-429" | "poll-500">(kind: K): Extract<BulkFault, { kind: K }> | undefined {
    const index = this.faults.findIndex((f) => f.kind === kind && "times" in f && f.times > 0);
    if (index < 0) return undefined;
    const fault = this.faults[index] as Extract<BulkFault, { kind: "poll-429" | "poll-500" }>;
    this.faults[index] = { ...fault, times: fault.times - 1 };
    return fault as Extract<BulkFault, { kind: K }>;
  }
}
