/**
 * SMART scopes as the sandbox grants and enforces them: v1 (`patient/Observation.read`) and v2
 * (`patient/Observation.rs`) resource scopes, plus the launch and identity scopes it accepts.
 */

/** The FHIR interactions the sandbox serves. */
export type Interaction = "read" | "search";

interface ResourceScope {
  readonly context: "patient" | "user";
  readonly resourceType: string;
  /** True when the scope grants read, for each interaction. */
  readonly allows: Readonly<Record<Interaction, boolean>>;
}

/** Non-resource scopes that are granted as asked. `openid fhirUser` are granted but no id_token is issued. */
const CONTEXT_SCOPES: ReadonlySet<string> = new Set(["launch", "launch/patient", "openid", "fhirUser"]);

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
    };
  }
  const v2 = V2.exec(scope);
  if (v2) {
    const [, context, resourceType = "", access = ""] = v2;
    if (access === "") return undefined;
    return {
      context: context === "user" ? "user" : "patient",
      resourceType,
      allows: { read: access.includes("r"), search: access.includes("s") },
    };
  }
  return undefined;
}

/**
 * Keeps the requested scopes the sandbox can grant, in their order. Refresh scopes (`offline_access`,
 * `online_access`) are dropped because the sandbox issues no refresh tokens.
 * @returns the granted scopes; empty when no resource scope survives (the caller answers invalid_scope)
 */
export function grantScopes(requested: readonly string[]): string[] {
  const granted = requested.filter((s) => CONTEXT_SCOPES.has(s) || parseResourceScope(s) !== undefined);
  return granted.some((s) => parseResourceScope(s) !== undefined) ? [...new Set(granted)] : [];
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
  const allowed = granted.some((s) => {
    const parsed = parseResourceScope(s);
    return (
      parsed !== undefined &&
      (parsed.resourceType === resourceType || parsed.resourceType === "*") &&
      parsed.allows[interaction]
    );
  });
  return allowed
    ? undefined
    : `patient/${resourceType}.${interaction === "read" ? "r" : "s"} (v1: patient/${resourceType}.read)`;
}

/** Space-separated scopes as sent on the wire, split into a list. */
export function splitScope(scope: string | undefined): string[] {
  return (scope ?? "").split(" ").filter((s) => s !== "");
}
