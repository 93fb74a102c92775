import {
  evalFhirPath,
  getSearchParameter,
  getSearchParameters,
  getStatus,
  isOk,
  matchesSearchRequest,
  parseSearchRequest,
} from "@medplum/core";
import type {
  Bundle,
  BundleEntry,
  BundleLink,
  CapabilityStatement,
  CapabilityStatementRestResource,
  OperationOutcome,
  Reference,
  Resource,
} from "@medplum/fhirtypes";
import {
  AUTHORIZE_PATH,
  DEFAULT_PAGE_SIZE,
  FHIR_BASE_PATH,
  MAX_PAGE_SIZE,
  SERVED_RESOURCE_TYPES,
  SHARED_RESOURCE_TYPES,
  TOKEN_PATH,
} from "./config.ts";
import type { FhirStore } from "./fhir-store.ts";
import type { TokenGrant } from "./oauth.ts";
import { formatScopeLimit, type Interaction, missingScope, type ScopeLimit, scopeFilter } from "./scopes.ts";

type IssueType = NonNullable<OperationOutcome["issue"]>[number]["code"];

/** A FHIR response before it is written: status and JSON body. */
export interface FhirResult {
  readonly status: number;
  readonly body: Resource;
}

/** Builds an OperationOutcome with one error issue. */
export function operationOutcome(code: IssueType, text: string): OperationOutcome {
  return { resourceType: "OperationOutcome", issue: [{ severity: "error", code, details: { text } }] };
}

const fail = (status: number, code: IssueType, text: string): FhirResult => ({
  status,
  body: operationOutcome(code, text),
});

/** `/fhir/.well-known/smart-configuration` (SMART App Launch 2.x discovery). No id_token is issued: no `sso-openid-connect`. */
export function smartConfiguration(origin: string): Record<string, unknown> {
  return {
    authorization_endpoint: `${origin}${AUTHORIZE_PATH}`,
    token_endpoint: `${origin}${TOKEN_PATH}`,
    // "private_key_jwt" and client_credentials: SMART Backend Services, for the Bulk Data export (backend-auth.ts).
    token_endpoint_auth_methods_supported: ["none", "private_key_jwt"],
    token_endpoint_auth_signing_alg_values_supported: ["RS384", "ES384"],
    grant_types_supported: ["authorization_code", "client_credentials"],
    response_types_supported: ["code"],
    code_challenge_methods_supported: ["S256"],
    scopes_supported: [
      "launch",
      "launch/patient",
      "openid",
      "fhirUser",
      "online_access",
      "offline_access",
      ...SERVED_RESOURCE_TYPES.flatMap((t) => [`patient/${t}.rs`, `patient/${t}.read`]),
      "patient/*.rs",
      "patient/*.read",
      "system/*.rs",
      "system/*.read",
    ],
    capabilities: [
      "launch-ehr",
      "launch-standalone",
      "client-public",
      "client-confidential-asymmetric",
      "context-ehr-patient",
      "context-standalone-patient",
      "context-banner",
      "permission-patient",
      "permission-v1",
      "permission-v2",
      "permission-online",
      "permission-offline",
    ],
  };
}

/**
 * `/fhir/metadata`: what this server really supports, so a client can skip searches it would not honour.
 * The search parameters are Medplum's index for each type (the matcher evaluates exactly these).
 */
export function capabilityStatement(origin: string): CapabilityStatement {
  const resource = SERVED_RESOURCE_TYPES.map((type): CapabilityStatementRestResource => {
    // Some of Medplum's index entries (its own `_` parameters) carry no url despite the type.
    const params = Object.values(getSearchParameters(type) ?? {}).filter((sp) =>
      (sp.url as string | undefined)?.startsWith("http://hl7.org/fhir/SearchParameter/"),
    );
    return {
      type: type as CapabilityStatementRestResource["type"],
      interaction: [{ code: "read" }, { code: "search-type" }],
      searchInclude: params.filter((sp) => sp.type === "reference").map((sp) => `${type}:${sp.code}`),
      searchParam: params.map((sp) => ({
        name: sp.code,
        type: sp.type,
        definition: sp.url,
      })),
    };
  });
  return {
    resourceType: "CapabilityStatement",
    status: "active",
    date: "2026-11-25",
    kind: "instance",
    fhirVersion: "4.0.1",
    format: ["json"],
    software: { name: "HER2 SMART sandbox (Medplum fhir-router over an in-memory store)" },
    implementation: { description: "Offline SMART on FHIR sandbox", url: `${origin}${FHIR_BASE_PATH}` },
    rest: [
      {
        mode: "server",
        security: {
          service: [
            {
              coding: [
                {
                  system: "http://terminology.hl7.org/CodeSystem/restful-security-service",
                  code: "SMART-on-FHIR",
                },
              ],
            },
          ],
          extension: [
            {
              url: "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
              extension: [
                { url: "authorize", valueUri: `${origin}${AUTHORIZE_PATH}` },
                { url: "token", valueUri: `${origin}${TOKEN_PATH}` },
              ],
            },
          ],
        },
        resource,
        // FHIR Bulk Data Access STU2: Group and Patient level export (bulk.ts).
        operation: [
          { name: "export", definition: "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export" },
          {
            name: "export",
            definition: "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export",
          },
        ],
        searchParam: [
          { name: "_count", type: "number" },
          { name: "_offset", type: "number" },
          { name: "_sort", type: "string" },
        ],
      },
    ],
  };
}

/** Inputs of one authorised FHIR request. */
export interface FhirRequestContext {
  readonly origin: string;
  readonly store: FhirStore;
  readonly grant: TokenGrant;
}

/**
 * Serves a read (`Type/id`) or a search (`Type?…`, `POST Type/_search`) for a valid token: scopes, the
 * launch patient's compartment and injected faults are applied here, Medplum's router does the rest.
 * @param method - HTTP method
 * @param path - the path below the FHIR base, e.g. `/Observation/abc`
 * @param params - query parameters (and the form body of `_search`)
 */
export async function handleFhirRequest(
  method: string,
  path: string,
  params: URLSearchParams,
  ctx: FhirRequestContext,
): Promise<FhirResult> {
  const segments = path.split("/").filter((s) => s !== "");
  const [type = "", second, ...more] = segments;
  const isSearch =
    (method === "GET" && segments.length === 1) ||
    (method === "POST" && second === "_search" && more.length === 0);
  const isRead = method === "GET" && segments.length === 2 && second !== undefined && second !== "_search";
  if (!isSearch && !isRead) {
    return fail(
      405,
      "not-supported",
      `${method} ${FHIR_BASE_PATH}${path} is not supported: this sandbox serves reads and searches only`,
    );
  }
  if (!SERVED_RESOURCE_TYPES.includes(type))
    return fail(404, "not-supported", `Resource type ${type} is not served`);
  const interaction: Interaction = isSearch ? "search" : "read";
  const missing = missingScope(ctx.grant.scopes, type, interaction);
  if (missing !== undefined) return fail(403, "forbidden", `The access token lacks the scope ${missing}`);
  for (const failure of ctx.grant.failures) {
    if (failure.kind === "forbid" && failure.resourceType === type) {
      return fail(403, "forbidden", `Access to ${type} is denied (sandbox failure injection forbid:${type})`);
    }
    if (failure.kind === "slow" && failure.resourceType === type) await delay(failure.delayMs);
  }
  return isSearch ? search(type, params, ctx) : read(type, second ?? "", ctx);
}

/**
 * Whether the granted scopes let the token read this resource, granular limits included.
 * SMART App Launch 2.x (scopes-and-launch-context, "SMART's scopes are used to delegate access"): a search may
 * answer 200 with results omitted, and a request outside the scopes may be refused. So searches are narrowed to
 * the scopes' limits (never widened to the whole type) and a read outside them is 403.
 */
function isReadable(resource: Resource, grant: TokenGrant): boolean {
  if (missingScope(grant.scopes, resource.resourceType, "read") !== undefined) return false;
  const limit = scopeFilter(grant.scopes, resource.resourceType, "read");
  return limit === undefined || matchesLimit(resource, limit);
}

function matchesLimit(resource: Resource, limit: ScopeLimit): boolean {
  const query = new URLSearchParams(limit.map(([name, value]): [string, string] => [name, value]));
  return matchesSearchRequest(resource, parseSearchRequest(`${resource.resourceType}?${query.toString()}`));
}

async function read(type: string, id: string, ctx: FhirRequestContext): Promise<FhirResult> {
  const [outcome, resource] = await ctx.store.router.handleRequest(
    {
      method: "GET",
      url: `${type}/${encodeURIComponent(id)}`,
      pathname: "",
      body: undefined,
      params: {},
      query: {},
    },
    ctx.store.repo,
  );
  if (!isOk(outcome) || resource === undefined) return { status: getStatus(outcome), body: outcome };
  if (!inCompartment(resource, ctx.grant.patientId)) {
    return fail(403, "forbidden", `${type}/${id} is outside the launch patient's compartment`);
  }
  if (!isReadable(resource, ctx.grant)) {
    const limit = scopeFilter(ctx.grant.scopes, type, "read") ?? [];
    return fail(
      403,
      "forbidden",
      `${type}/${id} is outside the granted scopes, which limit ${type} to ${formatScopeLimit(limit)}`,
    );
  }
  return { status: 200, body: resource };
}

async function search(type: string, params: URLSearchParams, ctx: FhirRequestContext): Promise<FhirResult> {
  const patientRef = `Patient/${ctx.grant.patientId}`;
  const rest: [string, string][] = [];
  const includes: string[] = [];
  const maxPageSize =
    ctx.store.manifest.patients.find((p) => p.id === ctx.grant.patientId)?.maxPageSize ?? MAX_PAGE_SIZE;
  let count = Math.min(DEFAULT_PAGE_SIZE, maxPageSize);
  let offset = 0;
  for (const [name, value] of params) {
    const base = name.split(":")[0] ?? name;
    if (name === "_count" || name === "_offset") {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0)
        return fail(400, "invalid", `${name} must be a whole number, got "${value}"`);
      if (name === "_count") count = Math.min(n, maxPageSize);
      else offset = n;
    } else if (name === "_include") {
      includes.push(value);
    } else if (type === "Patient" && name === "_id") {
      if (value.split(",").some((v) => v !== ctx.grant.patientId)) {
        return fail(403, "forbidden", `Only the launch patient (${patientRef}) can be searched`);
      }
    } else if (type !== "Patient" && (base === "patient" || base === "subject")) {
      // A bare id means a Patient here (Medplum compares whole reference strings, so normalise it).
      if (value.split(",").some((v) => (v.includes("/") ? v : `Patient/${v}`) !== patientRef)) {
        return fail(403, "forbidden", `Searches are limited to the launch patient (${patientRef})`);
      }
    } else {
      rest.push([name, value]);
    }
  }
  if (ctx.grant.failures.some((f) => f.kind === "page2-500" && f.resourceType === type) && offset > 0) {
    return fail(
      500,
      "exception",
      `Internal error on a later page of ${type} (sandbox failure injection page2-500:${type})`,
    );
  }
  // The compartment filter goes first: Medplum ANDs filters in order and short-circuits (SANDBOX.md: 50x faster).
  const query = new URLSearchParams(compartmentFilter(type, ctx.grant.patientId));
  // A granular scope (patient/Observation.rs?category=laboratory) is ANDed with the client's own parameters.
  for (const [name, value] of scopeFilter(ctx.grant.scopes, type, "search") ?? []) query.append(name, value);
  for (const [name, value] of rest) query.append(name, value);
  query.set("_count", String(count));
  query.set("_offset", String(offset));
  const [outcome, result] = await ctx.store.router.handleRequest(
    {
      method: "GET",
      url: `${type}?${query.toString()}`,
      pathname: "",
      body: undefined,
      params: {},
      query: {},
    },
    ctx.store.repo,
  );
  if (!isOk(outcome) || result?.resourceType !== "Bundle")
    return { status: getStatus(outcome), body: outcome };
  const base = `${ctx.origin}${FHIR_BASE_PATH}`;
  const matches = (result.entry ?? [])
    .map((e) => e.resource)
    .filter((r): r is Resource => r !== undefined && inCompartment(r, ctx.grant.patientId));
  const entry: BundleEntry[] = matches.map((r) => ({
    fullUrl: `${base}/${r.resourceType}/${r.id ?? ""}`,
    resource: r,
    search: { mode: "match" },
  }));
  entry.push(
    ...(await included(type, includes, matches, ctx)).map((r) => ({
      fullUrl: `${base}/${r.resourceType}/${r.id ?? ""}`,
      resource: r,
      search: { mode: "include" as const },
    })),
  );
  const total = result.total ?? matches.length;
  const bundle: Bundle = {
    resourceType: "Bundle",
    type: "searchset",
    total,
    link: pageLinks(`${base}/${type}`, params, count, offset, total),
    entry,
  };
  return { status: 200, body: bundle };
}

/** The filter that keeps a search inside the launch patient's compartment. */
function compartmentFilter(type: string, patientId: string): [string, string][] {
  if (type === "Patient") return [["_id", patientId]];
  if (SHARED_RESOURCE_TYPES.has(type)) return [];
  return [[getSearchParameter(type, "subject") ? "subject" : "patient", `Patient/${patientId}`]];
}

/** Absolute, offset-based self / first / previous / next links that repeat the client's own parameters. */
function pageLinks(
  url: string,
  params: URLSearchParams,
  count: number,
  offset: number,
  total: number,
): BundleLink[] {
  const at = (o: number): string => {
    const q = new URLSearchParams([...params].filter(([n]) => n !== "_offset" && n !== "_count"));
    q.set("_count", String(count));
    q.set("_offset", String(o));
    return `${url}?${q.toString()}`;
  };
  const links: BundleLink[] = [
    { relation: "self", url: at(offset) },
    { relation: "first", url: at(0) },
  ];
  if (offset > 0) links.push({ relation: "previous", url: at(Math.max(0, offset - count)) });
  if (count > 0 && offset + count < total) links.push({ relation: "next", url: at(offset + count) });
  return links;
}

/** Resolves `_include=Source:param` for the matches (unknown or other-type includes are ignored). */
async function included(
  type: string,
  includes: readonly string[],
  matches: readonly Resource[],
  ctx: FhirRequestContext,
): Promise<Resource[]> {
  const seen = new Set(matches.map((r) => `${r.resourceType}/${r.id ?? ""}`));
  const found: Resource[] = [];
  for (const include of includes) {
    const [source, code, target] = include.split(":");
    if (source !== type || code === undefined) continue;
    const expression = getSearchParameter(type, code)?.expression;
    if (expression === undefined) continue;
    for (const match of matches) {
      for (const value of evalFhirPath(expression, match)) {
        const reference = (value as Reference | undefined)?.reference;
        if (typeof reference !== "string" || seen.has(reference)) continue;
        if (target !== undefined && !reference.startsWith(`${target}/`)) continue;
        seen.add(reference);
        const resource = await ctx.store.repo.readReference({ reference }).catch(() => undefined);
        // An included resource is read by reference: it needs a read scope that covers it, as a read would.
        if (
          resource !== undefined &&
          inCompartment(resource, ctx.grant.patientId) &&
          isReadable(resource, ctx.grant)
        )
          found.push(resource);
      }
    }
  }
  return found;
}

/** Whether a resource belongs to the patient's compartment (or is a shared type such as Practitioner). */
export function inCompartment(resource: Resource, patientId: string): boolean {
  if (resource.resourceType === "Patient") return resource.id === patientId;
  if (SHARED_RESOURCE_TYPES.has(resource.resourceType)) return true;
  const owner = resource as { subject?: Reference; patient?: Reference };
  const ref = `Patient/${patientId}`;
  return owner.subject?.reference === ref || owner.patient?.reference === ref;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
