/**
 * The CDS Hooks service's configuration (`her2 cds-service --config FILE`, README "CDS Hooks service"): who may call
 * (issuers and their keys), which FHIR servers the service may fetch from, the site's order codes, where feedback is
 * stored and where the SMART app is. Validated at load: an unknown or misspelt key fails loudly, naming its path.
 */
import type { JSONWebKeySet } from "jose";
import { EMPTY_CODE_MAP, parseCodeMap, type CodeMap } from "../fhir/code-map";

/** One trusted CDS client (an EHR): its JWT `iss` and how its signing keys are found. */
export interface TrustedIssuer {
  /** The JWT `iss`, compared exactly. */
  iss: string;
  /**
   * JWK Set URLs allowed as the JWT header's `jku` (an allow-list; the first is used when the header has none).
   * Keys are fetched only from these URLs.
   */
  jwksUrls?: string[];
  /** Keys configured in place (no fetch), used when the JWT names no `jku`. */
  jwks?: JSONWebKeySet;
}

/** A coded order for the ServiceRequest a suggestion creates. */
export interface OrderCode {
  system: string;
  code: string;
  display: string;
}

export interface CdsConfig {
  /** The public URL of the discovery endpoint, e.g. `https://cds.example.org/cds-services`: the base of every JWT `aud`. */
  serviceUrl: string;
  issuers: TrustedIssuer[];
  /** FHIR bases (`fhirServer`) the service may fetch from with `fhirAuthorization`; no other host is ever called. */
  fhirServers: string[];
  /** The site's orderable for HER2 ISH (reflex / dual-probe ISH suggestions); without it no suggestion is offered. */
  ishOrderCode?: OrderCode;
  /** The SMART app's launch URL, for the card's `smart` link. */
  appLaunchUrl?: string;
  /** Append-only NDJSON file of feedback; without it feedback is refused with 503. */
  feedbackFile?: string;
  /** The site's local HER2 codes (src/fhir/README.md, "Institution code maps"). */
  codeMap: CodeMap;
  /** Time allowed for one FHIR query when the service fetches; default 5 s (the hook has 500 ms to answer at best). */
  fhirTimeoutMs?: number;
  /**
   * Browser origins (`scheme://host[:port]`, compared exactly) allowed to call the service cross-origin (CORS), for
   * browser-based CDS clients; default none. The JWT is still required: CORS only lets the browser read the answer.
   */
  corsOrigins?: string[];
  /** Most unexpired JWT `jti`s remembered for replay detection (default 100,000); past it a call gets 401. */
  replayCacheSize?: number;
}

const KEYS = new Set([
  "serviceUrl",
  "issuers",
  "fhirServers",
  "ishOrderCode",
  "appLaunchUrl",
  "feedbackFile",
  "codeMap",
  "fhirTimeoutMs",
  "corsOrigins",
  "replayCacheSize",
]);

function fail(path: string, what: string): never {
  throw new Error(`Invalid CDS service config: ${path}: ${what}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown, path: string): string {
  if (typeof value !== "string" || value === "") fail(path, "expected a non-empty string");
  return value;
}

function httpUrl(value: unknown, path: string): string {
  const text = str(value, path);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    fail(path, `not a URL: ${text}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") fail(path, "expected an http(s) URL");
  return text.replace(/\/+$/, "");
}

/** A browser origin exactly as the `Origin` header sends it: scheme, host and port, no path or trailing slash. */
function origin(value: unknown, path: string): string {
  const text = httpUrl(value, path);
  if (new URL(text).origin !== text) fail(path, `not an origin (scheme://host[:port], no path): ${text}`);
  return text;
}

function strings(value: unknown, path: string, item: (v: unknown, p: string) => string): string[] {
  if (!Array.isArray(value)) fail(path, "expected a list");
  return value.map((v, i) => item(v, `${path}[${String(i)}]`));
}

function parseIssuer(value: unknown, path: string): TrustedIssuer {
  if (!isRecord(value)) fail(path, "expected an object");
  for (const key of Object.keys(value))
    if (!["iss", "jwksUrls", "jwks"].includes(key)) fail(`${path}.${key}`, "unknown field");
  const issuer: TrustedIssuer = { iss: str(value.iss, `${path}.iss`) };
  if (value.jwksUrls !== undefined) issuer.jwksUrls = strings(value.jwksUrls, `${path}.jwksUrls`, httpUrl);
  if (value.jwks !== undefined) {
    if (!isRecord(value.jwks) || !Array.isArray(value.jwks.keys))
      fail(`${path}.jwks`, "expected { keys: [...] }");
    issuer.jwks = value.jwks as unknown as JSONWebKeySet;
  }
  if (issuer.jwksUrls === undefined && issuer.jwks === undefined)
    fail(path, "give jwksUrls or jwks: an issuer without keys can never be verified");
  return issuer;
}

/** Validates a parsed config file. Throws an Error naming the offending path. */
export function parseCdsConfig(json: unknown): CdsConfig {
  if (!isRecord(json)) fail("(root)", "expected an object");
  for (const key of Object.keys(json)) if (!KEYS.has(key)) fail(key, "unknown field");
  if (!Array.isArray(json.issuers)) fail("issuers", "expected a list");
  const config: CdsConfig = {
    serviceUrl: httpUrl(json.serviceUrl, "serviceUrl"),
    issuers: json.issuers.map((v, i) => parseIssuer(v, `issuers[${String(i)}]`)),
    fhirServers: strings(json.fhirServers ?? [], "fhirServers", httpUrl),
    codeMap: json.codeMap === undefined ? EMPTY_CODE_MAP : parseCodeMap(json.codeMap),
  };
  if (json.ishOrderCode !== undefined) {
    const o = json.ishOrderCode;
    if (!isRecord(o)) fail("ishOrderCode", "expected { system, code, display }");
    config.ishOrderCode = {
      system: str(o.system, "ishOrderCode.system"),
      code: str(o.code, "ishOrderCode.code"),
      display: str(o.display, "ishOrderCode.display"),
    };
  }
  if (json.appLaunchUrl !== undefined) config.appLaunchUrl = httpUrl(json.appLaunchUrl, "appLaunchUrl");
  if (json.feedbackFile !== undefined) config.feedbackFile = str(json.feedbackFile, "feedbackFile");
  if (json.fhirTimeoutMs !== undefined) {
    if (typeof json.fhirTimeoutMs !== "number" || !(json.fhirTimeoutMs > 0))
      fail("fhirTimeoutMs", "expected a positive number");
    config.fhirTimeoutMs = json.fhirTimeoutMs;
  }
  if (json.corsOrigins !== undefined) config.corsOrigins = strings(json.corsOrigins, "corsOrigins", origin);
  if (json.replayCacheSize !== undefined) {
    if (!Number.isInteger(json.replayCacheSize) || !((json.replayCacheSize as number) > 0))
      fail("replayCacheSize", "expected a positive integer");
    config.replayCacheSize = json.replayCacheSize as number;
  }
  return config;
}

/** A FHIR base with no trailing slash, for comparing `fhirServer` with the allow-list. */
export function sameBase(a: string, b: string): boolean {
  return a.replace(/\/+$/, "") === b.replace(/\/+$/, "");
}
