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
