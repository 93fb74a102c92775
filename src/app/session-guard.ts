/**
 * Watches every FHIR answer of one load for signs that the launch's authorisation is gone: a 401 (the token was
 * rejected or has expired), a refused token refresh, or 403 on everything. Such a load must never become an
 * assessment: the missing data would read as "no conclusive result" (issue 17.1).
 */
import { isWithinBase, type FhirSource } from "../fhir/source";

/**
 * `detail` names the requests (they carry the patient id); `summary` says the same without any URL, so it can be
 * kept in sessionStorage for a reload (failure-memory.ts keeps no patient data).
 */
export type SessionProblem = { kind: "expired" | "forbidden"; detail: string; summary: string };

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
  let refreshRefused: { text: string; summary: string } | undefined;
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
        if (isRefusedRefresh(error, source.baseUrl)) {
          const summary = `the token refresh was refused (HTTP ${String(error.status)})`;
          refreshRefused = { text: `${summary}: ${error.message}`, summary };
        }
        throw error;
      }
    },
  };
  return {
    source: guarded,
    problem() {
      // Any 401 or refused refresh: the token is gone, and fhirclient has cleared the session, so whatever part of
      // the record loaded before cannot be completed without a new launch.
      if (refreshRefused !== undefined)
        return { kind: "expired", detail: refreshRefused.text, summary: refreshRefused.summary };
      if (rejected.length > 0) {
        const summary = `401 Unauthorized on ${String(rejected.length)} request(s)`;
        return { kind: "expired", detail: `${summary}, e.g. ${rejected[0] ?? ""}`, summary };
      }
      if (forbidden.length > 0 && dataAnswers === 0) {
        const summary = `403 Forbidden on every data request (${String(forbidden.length)})`;
        return { kind: "forbidden", detail: `${summary}, e.g. ${forbidden[0] ?? ""}`, summary };
      }
      return undefined;
    },
  };
}
