/**
 * Watches every FHIR answer of one load for signs that the launch's authorisation is gone: a 401 (the token was
 * rejected or has expired), a refused token refresh, or 403 on everything. Such a load must never become an
 * assessment: the missing data would read as "no conclusive result" (issue 17.1).
 */
import { isWithinBase, type FhirSource } from "../fhir/source";

export type SessionProblem = { kind: "expired"; detail: string } | { kind: "forbidden"; detail: string };

interface HttpErrorLike {
  status: number;
  response?: { url?: string };
}

/** fhirclient's refresh request failed: an HttpError answered by the token endpoint, not by the FHIR server. */
function isRefusedRefresh(error: unknown, baseUrl: string): error is HttpErrorLike & Error {
  if (!(error instanceof Error)) return false;
  const { status, response } = error as Partial<HttpErrorLike>;
  const url = response?.url;
  return typeof status === "number" && typeof url === "string" && url !== "" && !isWithinBase(url, baseUrl);
}

/** Wraps a source; `problem()` after the load says whether the session failed. */
export function guardSession(source: FhirSource): {
  source: FhirSource;
  problem: () => SessionProblem | undefined;
} {
  const rejected: string[] = [];
  const forbidden: string[] = [];
  let dataAnswers = 0;
  let refreshRefused: string | undefined;
  const guarded: FhirSource = {
    baseUrl: source.baseUrl,
    async get(url, init) {
      try {
        const response = await source.get(url, init);
        if (response.status === 401) rejected.push(url);
        else if (response.status === 403) forbidden.push(url);
        else if (response.status >= 200 && response.status < 300 && !url.startsWith("metadata"))
          dataAnswers++;
        return response;
      } catch (error) {
        if (isRefusedRefresh(error, source.baseUrl))
          refreshRefused = `the token refresh was refused (HTTP ${String(error.status)}): ${error.message}`;
        throw error;
      }
    },
  };
  return {
    source: guarded,
    problem() {
      // Any 401 or refused refresh: the token is gone, and fhirclient has cleared the session, so whatever part of
      // the record loaded before cannot be completed without a new launch.
      if (refreshRefused !== undefined) return { kind: "expired", detail: refreshRefused };
      if (rejected.length > 0)
        return {
          kind: "expired",
          detail: `401 Unauthorized on ${String(rejected.length)} request(s), e.g. ${rejected[0] ?? ""}`,
        };
      if (forbidden.length > 0 && dataAnswers === 0)
        return {
          kind: "forbidden",
          detail: `403 Forbidden on every data request (${String(forbidden.length)}), e.g. ${forbidden[0] ?? ""}`,
        };
      return undefined;
    },
  };
}
