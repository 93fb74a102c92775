/**
 * The small data-source interface the loader talks to. It only fetches and parses one URL: paging, retries, timeouts
 * and error mapping belong to the loader, so every source behaves the same (fhirclient in the app, fetch in tools and
 * tests).
 */

/** One HTTP answer, whatever its status. */
export interface FhirResponse {
  status: number;
  /** Response headers, names in lower case. */
  headers: Readonly<Record<string, string>>;
  /** The parsed JSON body; undefined when the body was empty or not JSON. */
  body?: unknown;
  /** Set when the body could not be parsed as JSON. */
  parseError?: string;
}

export interface FhirSource {
  /** The FHIR base URL, for reports. */
  readonly baseUrl: string;
  /**
   * GETs a URL relative to the base (`Observation?…`) or absolute (a `next` link). Resolves for every HTTP status;
   * rejects only when no answer arrived (network failure, abort).
   */
  get(url: string, init: { signal: AbortSignal }): Promise<FhirResponse>;
}

/** Copies fetch Headers into a plain object with lower-case names. */
export function headersToRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    out[key.toLowerCase()] = value;
  });
  return out;
}

/** Parses a response text as JSON, reporting (not throwing) a malformed body. */
export function parseBody(text: string): Pick<FhirResponse, "body" | "parseError"> {
  if (text.trim() === "") return {};
  try {
    return { body: JSON.parse(text) as unknown };
  } catch (error) {
    return { parseError: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * True when `url` (relative or absolute) resolves inside the FHIR base: same origin and the base's path as prefix.
 * A server's `next` link can name any host; the access token must only go to the server it was issued for.
 */
export function isWithinBase(url: string, baseUrl: string): boolean {
  const basePath = baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`;
  let base: URL;
  let target: URL;
  try {
    base = new URL(basePath);
    target = new URL(url, base);
  } catch {
    return false;
  }
  if (target.origin !== base.origin || target.username !== "" || target.password !== "") return false;
  // HAPI pages with `<base>?_getpages=…`: the base path itself (without its trailing slash) is inside.
  return target.pathname.startsWith(base.pathname) || `${target.pathname}/` === base.pathname;
}
