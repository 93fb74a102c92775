/**
 * Failure injection: named faults attached to a launch so browser tests can reach the app's error states.
 * Written as short strings (`forbid:MedicationRequest`) so they fit in a query string and a README table.
 */

/** One injected fault. */
export type Failure =
  | { kind: "deny" }
  | { kind: "token-error" }
  | { kind: "no-patient" }
  | { kind: "fhir-401" }
  | { kind: "expire"; seconds: number }
  | { kind: "refresh-fail" }
  | { kind: "forbid"; resourceType: string }
  | { kind: "page2-500"; resourceType: string }
  | { kind: "slow"; resourceType: string; delayMs: number };

/** Default delay of `slow:<Type>`: long enough to see a loading state, short of any client timeout. */
export const DEFAULT_SLOW_MS = 3000;

/** What each fault does, for the sandbox page and the README. */
export const FAILURE_DESCRIPTIONS: readonly { code: string; effect: string }[] = [
  {
    code: "deny",
    effect: "the authorize endpoint answers as if the user denied access: redirect with error=access_denied",
  },
  {
    code: "token-error",
    effect: "the token exchange fails: HTTP 503 {error: server_error} (the code is still consumed)",
  },
  { code: "no-patient", effect: "the token response has no `patient` launch context" },
  {
    code: "fhir-401",
    effect: "every FHIR request with this launch's token gets 401 (as if the token had expired)",
  },
  {
    code: "expire:<s>",
    effect:
      "this launch's access tokens expire after <s> seconds (1 to 3600; expires_in says so), e.g. expire:2 with slow:Observation for a token that expires during the load",
  },
  {
    code: "refresh-fail",
    effect:
      "the token endpoint refuses this launch's refresh token (400 invalid_grant); refresh tokens are issued only when online_access or offline_access is granted",
  },
  {
    code: "forbid:<Type>",
    effect: "every read or search of <Type> gets 403 OperationOutcome, e.g. forbid:MedicationRequest",
  },
  {
    code: "page2-500:<Type>",
    effect: "pages after the first of a <Type> search get 500 OperationOutcome, e.g. page2-500:Observation",
  },
  {
    code: "slow:<Type>[:ms]",
    effect: `reads and searches of <Type> answer after a delay (default ${DEFAULT_SLOW_MS} ms), e.g. slow:Condition`,
  },
];

const RESOURCE_TYPE = /^[A-Z][A-Za-z]{1,63}$/;

/**
 * Parses one fault code.
 * @param code - for example `forbid:MedicationRequest` or `slow:Condition:5000`
 * @returns the fault, or an error message naming what is wrong
 */
export function parseFailure(code: string): Failure | { error: string } {
  const [name = "", type, extra] = code.trim().split(":");
  const needsType = (make: (resourceType: string) => Failure): Failure | { error: string } =>
    type !== undefined && RESOURCE_TYPE.test(type)
      ? make(type)
      : { error: `failure "${code}" needs a resource type, e.g. ${name}:Observation` };
  switch (name) {
    case "deny":
    case "token-error":
    case "no-patient":
    case "fhir-401":
    case "refresh-fail":
      return type === undefined ? { kind: name } : { error: `failure "${name}" takes no argument` };
    case "expire": {
      const seconds = Number(type);
      if (
        type === undefined ||
        extra !== undefined ||
        !Number.isInteger(seconds) ||
        seconds < 1 ||
        seconds > 3600
      ) {
        return {
          error: `failure "${code}": give the token lifetime in whole seconds from 1 to 3600, e.g. expire:2`,
        };
      }
      return { kind: "expire", seconds };
    }
    case "forbid":
      return needsType((resourceType) => ({ kind: "forbid", resourceType }));
    case "page2-500":
      return needsType((resourceType) => ({ kind: "page2-500", resourceType }));
    case "slow": {
      const delayMs = extra === undefined ? DEFAULT_SLOW_MS : Number(extra);
      if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > 60_000) {
        return { error: `failure "${code}": the delay must be a whole number of ms from 0 to 60000` };
      }
      return needsType((resourceType) => ({ kind: "slow", resourceType, delayMs }));
    }
    default:
      return { error: `unknown failure "${code}"` };
  }
}

/**
 * Parses a list of fault codes (comma-separated strings, repeated query parameters or both).
 * @returns the faults, or the first error
 */
export function parseFailures(codes: readonly string[]): { failures: Failure[] } | { error: string } {
  const failures: Failure[] = [];
  for (const code of codes.flatMap((c) => c.split(",")).filter((c) => c.trim() !== "")) {
    const parsed = parseFailure(code);
    if ("error" in parsed) return parsed;
    failures.push(parsed);
  }
  return { failures };
}

/** Writes a fault back as its code (for links and page text). */
export function formatFailure(failure: Failure): string {
  switch (failure.kind) {
    case "forbid":
    case "page2-500":
      return `${failure.kind}:${failure.resourceType}`;
    case "slow":
      return `slow:${failure.resourceType}:${failure.delayMs}`;
    case "expire":
      return `expire:${String(failure.seconds)}`;
    default:
      return failure.kind;
  }
}
