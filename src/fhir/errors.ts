/** Plain-language descriptions of what went wrong with a FHIR request, for the data gaps and the developer panel. */
import type { OperationOutcome } from "fhir/r4";
import type { DataGap } from "../domain/types";

export function isOperationOutcome(body: unknown): body is OperationOutcome {
  return (
    typeof body === "object" &&
    body !== null &&
    (body as { resourceType?: unknown }).resourceType === "OperationOutcome"
  );
}

/** The words of an OperationOutcome's issues (diagnostics, details), most severe first; undefined when none. */
export function operationOutcomeText(
  body: unknown,
  severities: readonly string[] = ["fatal", "error", "warning", "information"],
): string | undefined {
  if (!isOperationOutcome(body)) return undefined;
  const texts = [...body.issue]
    .filter((i) => severities.includes(i.severity))
    .sort((a, b) => severities.indexOf(a.severity) - severities.indexOf(b.severity))
    .map((i) => i.diagnostics ?? i.details?.text ?? i.details?.coding?.[0]?.display ?? i.code)
    .filter((t) => t.trim() !== "");
  return texts.length > 0 ? texts.join("; ") : undefined;
}

/** True when an OperationOutcome reports an error or a fatal issue. */
export function hasErrorIssue(body: unknown): boolean {
  return isOperationOutcome(body) && body.issue.some((i) => i.severity === "error" || i.severity === "fatal");
}

export interface Failure {
  kind: DataGap["kind"];
  reason: string;
}

/** Maps an HTTP error status (and its OperationOutcome, if any) to a data-gap kind and reason. */
export function describeHttpFailure(status: number, resourceType: string, body: unknown): Failure {
  const outcome = operationOutcomeText(body);
  const suffix = outcome ? ` Server says: ${outcome}` : "";
  if (status === 401) {
    return {
      kind: "denied",
      reason: `401 Unauthorized loading ${resourceType}: the access token was rejected or has expired; relaunch the app from the EHR.${suffix}`,
    };
  }
  if (status === 403) {
    return {
      kind: "denied",
      reason: `403 Forbidden loading ${resourceType}: access was denied; the scope patient/${resourceType}.rs (or patient/${resourceType}.read) may not have been granted.${suffix}`,
    };
  }
  if (status === 404) return { kind: "not-found", reason: `404 Not Found loading ${resourceType}.${suffix}` };
  if (status === 429) {
    return {
      kind: "error",
      reason: `429 Too Many Requests loading ${resourceType}: the server kept asking to wait.${suffix}`,
    };
  }
  if (status >= 500)
    return { kind: "error", reason: `${String(status)} server error loading ${resourceType}.${suffix}` };
  return { kind: "error", reason: `HTTP ${String(status)} loading ${resourceType}.${suffix}` };
}

/**
 * Milliseconds to wait from a Retry-After header (seconds or an HTTP date); undefined when absent or unreadable.
 * @param now the current time in ms (an input, so tests do not depend on the clock)
 */
export function retryAfterMs(header: string | undefined, now: number): number | undefined {
  if (header === undefined || header.trim() === "") return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
