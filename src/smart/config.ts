/**
 * Per-issuer launch configuration, loaded at run time from `public/smart-config.json` so a hospital can edit it
 * without rebuilding. Validated here with messages that name the bad field. Kept dependency-free: the launch page
 * imports it and must stay tiny.
 */

export type ScopeVersion = "v2" | "v1" | "auto";
export type PkceMode = "ifSupported" | "required";

export interface IssuerConfig {
  /** Short id, e.g. "epic-prod". */
  id: string;
  /** Name shown to people, e.g. "Epic (production)". */
  name: string;
  /** Regular expression (anchored) that the launch's `iss` must match. */
  issPattern: string;
  /** FHIR base offered on the standalone-launch picker; `{origin}` is replaced with the app's origin. */
  standaloneIss?: string;
  /** Client id registered with this EHR. Values starting with "REPLACE" are placeholders. */
  clientId: string;
  /** SMART scope syntax: v2 (`.rs`), v1 (`.read`), or auto (v2 when the server advertises permission-v2). */
  scopeVersion: ScopeVersion;
  /** Scopes added to the computed ones, e.g. `online_access` for Cerner's short-lived tokens. */
  extraScopes: string[];
  pkceMode: PkceMode;
  /** https origins of the FHIR and authorisation servers, written into the Content-Security-Policy at build. */
  connectSrc: string[];
  /** Local result codes of this institution (format: src/fhir/README.md); validated by the FHIR layer. */
  codeMap?: unknown;
}

export interface AppConfig {
  issuers: IssuerConfig[];
}

/** The resource types the app reads; scopes are derived from this list only (least privilege). */
export const READ_RESOURCE_TYPES = [
  "Patient",
  "Observation",
  "Condition",
  "MedicationRequest",
  "MedicationStatement",
  "MedicationAdministration",
  // The drug of an order that names it by reference (Epic's MedicationRequest.medicationReference, _include=…:medication).
  "Medication",
  "Specimen",
  "DiagnosticReport",
] as const;

export class ConfigError extends Error {
  override name = "ConfigError";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function requireString(entry: Record<string, unknown>, key: string, where: string): string {
  const value = entry[key];
  if (typeof value !== "string" || value.trim() === "") {
    throw new ConfigError(`${where}.${key} must be a non-empty string`);
  }
  return value;
}

function parseIssuer(raw: unknown, where: string): IssuerConfig {
  if (!isRecord(raw)) throw new ConfigError(`${where} must be an object`);
  const issPattern = requireString(raw, "issPattern", where);
  try {
    new RegExp(issPattern);
  } catch {
    throw new ConfigError(`${where}.issPattern is not a valid regular expression`);
  }
  const scopeVersion = raw.scopeVersion ?? "auto";
  if (scopeVersion !== "v2" && scopeVersion !== "v1" && scopeVersion !== "auto") {
    throw new ConfigError(`${where}.scopeVersion must be "v2", "v1" or "auto"`);
  }
  const pkceMode = raw.pkceMode ?? "ifSupported";
  if (pkceMode !== "ifSupported" && pkceMode !== "required") {
    throw new ConfigError(`${where}.pkceMode must be "ifSupported" or "required" (PKCE is never disabled)`);
  }
  const extraScopes = raw.extraScopes ?? [];
  if (!Array.isArray(extraScopes) || !extraScopes.every((s): s is string => typeof s === "string")) {
    throw new ConfigError(`${where}.extraScopes must be a list of strings`);
  }
  const connectSrc = raw.connectSrc ?? [];
  if (!Array.isArray(connectSrc) || !connectSrc.every((s): s is string => typeof s === "string")) {
    throw new ConfigError(`${where}.connectSrc must be a list of https origins`);
  }
  const standaloneIss = raw.standaloneIss;
  if (standaloneIss !== undefined && typeof standaloneIss !== "string") {
    throw new ConfigError(`${where}.standaloneIss must be a string`);
  }
  return {
    id: requireString(raw, "id", where),
    name: requireString(raw, "name", where),
    issPattern,
    clientId: requireString(raw, "clientId", where),
    scopeVersion,
    extraScopes,
    pkceMode,
    connectSrc,
    ...(standaloneIss === undefined ? {} : { standaloneIss }),
    ...(raw.codeMap === undefined ? {} : { codeMap: raw.codeMap }),
  };
}

/** Validates the parsed JSON of smart-config.json; throws ConfigError naming the bad field. */
export function parseAppConfig(raw: unknown): AppConfig {
  if (!isRecord(raw) || !Array.isArray(raw.issuers)) {
    throw new ConfigError("smart-config.json must be an object with an 'issuers' list");
  }
  const issuers = raw.issuers.map((entry, i) => parseIssuer(entry, `issuers[${i}]`));
  const ids = new Set<string>();
  for (const issuer of issuers) {
    if (ids.has(issuer.id)) throw new ConfigError(`issuer id "${issuer.id}" appears twice`);
    ids.add(issuer.id);
  }
  return { issuers };
}

/** Development servers from SMART_DEV_ISSUERS, written in by the build (scripts/dev-issuers.ts); none in production. */
declare const __HER2_DEV_ISSUERS__: readonly unknown[] | undefined;

/**
 * The configuration file's JSON with the build's development issuers in front (they are matched first). The build
 * has checked them to be loopback servers and put their origins in the CSP; they are validated like any entry.
 */
export function withDevIssuers(
  raw: unknown,
  dev: readonly unknown[] = typeof __HER2_DEV_ISSUERS__ === "undefined" ? [] : __HER2_DEV_ISSUERS__,
): unknown {
  if (dev.length === 0 || !isRecord(raw) || !Array.isArray(raw.issuers)) return raw;
  return { ...raw, issuers: [...dev, ...(raw.issuers as unknown[])] };
}

/** Fetches and validates the configuration next to the page. */
export async function loadAppConfig(url = "smart-config.json"): Promise<AppConfig> {
  const response = await fetch(url, { cache: "no-store" });
  if (!response.ok) throw new ConfigError(`could not load ${url} (HTTP ${response.status})`);
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new ConfigError(`${url} is not valid JSON`);
  }
  return parseAppConfig(withDevIssuers(json));
}

/** The first issuer whose pattern matches `iss` (trailing slashes ignored), or undefined. */
export function findIssuer(config: AppConfig, iss: string): IssuerConfig | undefined {
  const normalised = iss.replace(/\/+$/, "");
  return config.issuers.find((issuer) => new RegExp(`^(?:${issuer.issPattern})$`).test(normalised));
}

export function isPlaceholderClientId(clientId: string): boolean {
  return /^REPLACE/i.test(clientId);
}

/** The standalone FHIR base of an issuer with `{origin}` filled in. */
export function standaloneIssFor(issuer: IssuerConfig, origin: string): string | undefined {
  return issuer.standaloneIss?.replace("{origin}", origin);
}

/** The host of a server URL, for messages that name the server ("fhir.example.org"); the text itself if unparsable. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
