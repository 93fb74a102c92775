/** What the server says it supports (CapabilityStatement), read once per launch to skip searches it cannot answer. */
import type { CapabilityStatement } from "fhir/r4";

export interface ServerCapabilities {
  /** False when the CapabilityStatement could not be read: every search is then attempted, without `_include`. */
  known: boolean;
  /** Resource types with search-type, their search parameters and `_include` values. */
  types: ReadonlyMap<
    string,
    { searchParams: ReadonlySet<string>; includes: ReadonlySet<string>; search: boolean }
  >;
}

export const UNKNOWN_CAPABILITIES: ServerCapabilities = { known: false, types: new Map() };

function isCapabilityStatement(body: unknown): body is CapabilityStatement {
  return (
    typeof body === "object" &&
    body !== null &&
    (body as { resourceType?: unknown }).resourceType === "CapabilityStatement"
  );
}

/** Reads the server part of a CapabilityStatement; anything else gives "unknown" capabilities. */
export function parseCapabilities(body: unknown): ServerCapabilities {
  if (!isCapabilityStatement(body)) return UNKNOWN_CAPABILITIES;
  const rest = body.rest?.find((r) => r.mode === "server") ?? body.rest?.[0];
  if (!rest) return UNKNOWN_CAPABILITIES;
  const types = new Map<string, { searchParams: Set<string>; includes: Set<string>; search: boolean }>();
  for (const resource of rest.resource ?? []) {
    const interactions = (resource.interaction ?? []).map((i) => i.code);
    types.set(resource.type, {
      searchParams: new Set((resource.searchParam ?? []).map((p) => p.name)),
      includes: new Set(resource.searchInclude ?? []),
      // A type listed without interactions is taken as searchable: many servers list types only.
      search: interactions.length === 0 || interactions.includes("search-type"),
    });
  }
  return { known: true, types };
}

/** True unless the server's CapabilityStatement says it cannot search this type. */
export function supportsSearch(capabilities: ServerCapabilities, resourceType: string): boolean {
  if (!capabilities.known) return true;
  return capabilities.types.get(resourceType)?.search ?? false;
}

/** True only when the server declares the `_include` (or `*`). */
export function supportsInclude(
  capabilities: ServerCapabilities,
  resourceType: string,
  include: string,
): boolean {
  const includes = capabilities.types.get(resourceType)?.includes;
  return includes !== undefined && (includes.has(include) || includes.has("*"));
}

/** True unless the server lists search parameters for the type and this one is not among them. */
export function supportsParam(
  capabilities: ServerCapabilities,
  resourceType: string,
  param: string,
): boolean {
  const params = capabilities.types.get(resourceType)?.searchParams;
  if (!capabilities.known || !params || params.size === 0) return true;
  return params.has(param);
}

/** True only when the server lists this search parameter for the type (for optional refinements). */
export function declaresParam(
  capabilities: ServerCapabilities,
  resourceType: string,
  param: string,
): boolean {
  return capabilities.types.get(resourceType)?.searchParams.has(param) ?? false;
}
