/** Plain-language descriptions of what went wrong with a FHIR request, for the data gaps and the developer panel. */
import type { OperationOutcome } from "fhir/r4";
import type { Text } from "../domain/text";
import type { DataGap } from "../domain/types";
import { en, fhirText, type FhirMessageId } from "./text";

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
  /** `reason` as a message descriptor of the FHIR layer's catalog (`reason` is its English). */
  reasonText: Text;
}

/** A failure of `kind` whose reason is the descriptor, with its English beside it. */
export function failure(kind: DataGap["kind"], reasonText: Text): Failure {
  return { kind, reason: en(reasonText), reasonText };
}

/**
 * Maps an HTTP error status (and its OperationOutcome, if any) to a data-gap kind and reason. The status line
 * ("403 Forbidden") and the server's words are values, shown as they are in every locale.
 */
export function describeHttpFailure(status: number, resourceType: string, body: unknown): Failure {
  const outcome = operationOutcomeText(body);
  const http = (kind: DataGap["kind"], id: FhirMessageId, line: string): Failure => {
    const reason = fhirText(id, { status: line, type: resourceType });
    return failure(kind, outcome ? fhirText("fhir.gap.server-says", { reason, outcome }) : reason);
  };
  if (status === 401) return http("denied", "fhir.gap.http.401", "401 Unauthorized");
  if (status === 403) return http("denied", "fhir.gap.http.403", "403 Forbidden");
  if (status === 404) return http("not-found", "fhir.gap.http.status", "404 Not Found");
  if (status === 429) return http("error", "fhir.gap.http.429", "429 Too Many Requests");
  if (status >= 500) return http("error", "fhir.gap.http.5xx", String(status));
  return http("error", "fhir.gap.http.status", `HTTP ${String(status)}`);
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
