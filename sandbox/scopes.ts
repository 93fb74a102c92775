/**
 * SMART scopes as the sandbox grants and enforces them: v1 (`patient/Observation.read`) and v2
 * (`patient/Observation.rs`) resource scopes, v2 scopes limited by search parameters
 * (`patient/Observation.rs?category=laboratory`), plus the launch and identity scopes it accepts.
 * The sandbox is read-only: write permissions are never granted (SMART App Launch 2.x, scopes-and-launch-context:
 * the granted `scope` may differ from the requested one; RFC 6749 §3.3).
 */
import { getSearchParameter } from "@medplum/core";

/** The FHIR interactions the sandbox serves. */
export type Interaction = "read" | "search";

/** The `param=value` pairs of a granular scope, ANDed, as in a FHIR search. */
export type ScopeLimit = readonly (readonly [string, string])[];

interface ResourceScope {
  readonly context: "patient" | "user";
  readonly resourceType: string;
  /** True when the scope grants read, for each interaction. */
  readonly allows: Readonly<Record<Interaction, boolean>>;
  /** The search-parameter limit of a v2 granular scope; empty for a scope on the whole type. */
  readonly limit: ScopeLimit;
}

/** Non-resource scopes that are granted as asked. `openid fhirUser` are granted but no id_token is issued. */
const CONTEXT_SCOPES: ReadonlySet<string> = new Set(["launch", "launch/patient", "openid", "fhirUser"]);
/** SMART's refresh-token scopes: granted when asked, and then the token response carries a refresh token. */
export const REFRESH_SCOPES: ReadonlySet<string> = new Set(["offline_access", "online_access"]);

const V1 = /^(patient|user)\/(\*|[A-Z][A-Za-z]+)\.(read|write|\*)$/;
const V2 = /^(patient|user)\/(\*|[A-Z][A-Za-z]+)\.(c?r?u?d?s?)(\?.*)?$/;

/** Parses a resource scope; undefined for anything else (system scopes included: no backend services here). */
export function parseResourceScope(scope: string): ResourceScope | undefined {
  const v1 = V1.exec(scope);
  if (v1) {
    const [, context, resourceType = "", access] = v1;
    const reads = access === "read" || access === "*";
    return {
      context: context === "user" ? "user" : "patient",
      resourceType,
      allows: { read: reads, search: reads },
      limit: [],
    };
  }
  const v2 = V2.exec(scope);
  if (v2) {
    const [, context, resourceType = "", access = "", query] = v2;
    if (access === "") return undefined;
    return {
      context: context === "user" ? "user" : "patient",
      resourceType,
      allows: { read: access.includes("r"), search: access.includes("s") },
      limit: query === undefined ? [] : [...new URLSearchParams(query.slice(1))],
    };
  }
  return undefined;
}

/**
 * The scope as this read-only server grants it: v2 permissions cut down to `r`/`s`, v1 `.*` to `.read`;
 * undefined when nothing readable is left (`.cud`, `.write`) or the limit cannot be enforced.
 */
function readOnlyScope(scope: string): string | undefined {
  const parsed = parseResourceScope(scope);
  if (parsed === undefined || (!parsed.allows.read && !parsed.allows.search)) return undefined;
  if (parsed.limit.length > 0 && !isEnforceableLimit(parsed.resourceType, parsed.limit)) return undefined;
  const v1 = V1.exec(scope);
  if (v1) return scope.replace(/\.\*$/, ".read");
  const permissions = `${parsed.allows.read ? "r" : ""}${parsed.allows.search ? "s" : ""}`;
  return scope.replace(/\.c?r?u?d?s?(?=\?|$)/, `.${permissions}`);
}

/**
 * A limit the FHIR API can apply exactly: plain search parameters of that one type, with a value. Modifiers and
 * chains are "experimental" in SMART 2.x and a wildcard type has no single set of parameters, so such scopes
 * are refused rather than widened to the whole type.
 */
function isEnforceableLimit(resourceType: string, limit: ScopeLimit): boolean {
  return (
    resourceType !== "*" &&
    limit.every(
      ([name, value]) =>
        value !== "" &&
        /^[a-z_][a-z0-9-]*$/i.test(name) &&
        getSearchParameter(resourceType, name) !== undefined,
    )
  );
}

/**
 * Whether limited scopes of one type can be combined into one search: a single limit, or limits that each name the
 * same one parameter (their union is that parameter's comma list, FHIR's OR).
 */
function isCombinable(limits: readonly ScopeLimit[]): boolean {
  if (limits.length <= 1) return true;
  const name = limits[0]?.[0]?.[0];
  return limits.every((limit) => limit.length === 1 && limit[0]?.[0] === name);
}

/**
 * Keeps the requested scopes the sandbox can grant, in their order, write permissions removed. Refresh scopes
 * (`offline_access`, `online_access`) are kept, and the token response then carries a refresh token; a limited
 * scope that cannot be enforced together with the ones before it is dropped.
 * @returns the granted scopes; empty when no resource scope survives (the caller answers invalid_scope)
 */
export function grantScopes(requested: readonly string[]): string[] {
  const granted: string[] = [];
  const limitsByType = new Map<string, ScopeLimit[]>();
  for (const scope of requested) {
    if (CONTEXT_SCOPES.has(scope) || REFRESH_SCOPES.has(scope)) {
      granted.push(scope);
      continue;
    }
    const readOnly = readOnlyScope(scope);
    const parsed = readOnly === undefined ? undefined : parseResourceScope(readOnly);
    if (readOnly === undefined || parsed === undefined) continue;
    if (parsed.limit.length > 0) {
      const limits = [...(limitsByType.get(parsed.resourceType) ?? []), parsed.limit];
      if (!isCombinable(limits)) continue;
      limitsByType.set(parsed.resourceType, limits);
    }
    granted.push(readOnly);
  }
  return granted.some((s) => parseResourceScope(s) !== undefined) ? [...new Set(granted)] : [];
}

/** The granted scopes that allow an interaction on a resource type (directly or through `*`). */
function scopesFor(
  granted: readonly string[],
  resourceType: string,
  interaction: Interaction,
): ResourceScope[] {
  return granted.flatMap((s) => {
    const parsed = parseResourceScope(s);
    return parsed !== undefined &&
      (parsed.resourceType === resourceType || parsed.resourceType === "*") &&
      parsed.allows[interaction]
      ? [parsed]
      : [];
  });
}

/**
 * Whether the granted scopes allow an interaction on a resource type.
 * @returns undefined when allowed, else the scope (v2 form, v1 in brackets) that would have been needed
 */
export function missingScope(
  granted: readonly string[],
  resourceType: string,
  interaction: Interaction,
): string | undefined {
  return scopesFor(granted, resourceType, interaction).length > 0
    ? undefined
    : `patient/${resourceType}.${interaction === "read" ? "r" : "s"} (v1: patient/${resourceType}.read)`;
}

/**
 * The search-parameter filter the granted scopes put on an allowed interaction with a type (the union of their
 * limits, which grantScopes keeps expressible as one search), or undefined when no scope limits it.
 */
export function scopeFilter(
  granted: readonly string[],
  resourceType: string,
  interaction: Interaction,
): ScopeLimit | undefined {
  const scopes = scopesFor(granted, resourceType, interaction);
  if (scopes.length === 0 || scopes.some((s) => s.limit.length === 0)) return undefined;
  const [first, ...others] = scopes.map((s) => s.limit);
  if (others.length === 0 || first === undefined) return first;
  const name = first[0]?.[0] ?? "";
  return [[name, [first, ...others].map((limit) => limit[0]?.[1] ?? "").join(",")]];
}

/** Writes a filter back as it appears in a scope (`category=laboratory&code=…`), for error messages. */
export function formatScopeLimit(limit: ScopeLimit): string {
  return limit.map(([name, value]) => `${name}=${value}`).join("&");
}

/** Space-separated scopes as sent on the wire, split into a list. */
export function splitScope(scope: string | undefined): string[] {
  return (scope ?? "").split(" ").filter((s) => s !== "");
}
