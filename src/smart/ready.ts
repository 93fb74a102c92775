import FHIR from "fhirclient";
import type Client from "fhirclient/lib/Client";
import { type AppConfig, type IssuerConfig, findIssuer } from "./config";
import { SMART_TIMEOUT_MS, SmartTimeoutError, withTimeout } from "./timeouts";

/** Why the redirect page could not produce a usable client; each maps to a screen that says what to do. */
export type LaunchFailure =
  | { kind: "denied"; error: string; description?: string }
  | { kind: "no-launch"; detail: string }
  | { kind: "token-failed"; detail: string }
  | { kind: "timeout"; step: string; detail: string }
  | { kind: "no-patient" }
  | { kind: "unknown-issuer"; iss: string };

export type ReadyOutcome =
  | {
      kind: "ready";
      client: Client;
      patientId: string;
      issuer: IssuerConfig;
      /** False only when the EHR says it already shows the patient banner (`need_patient_banner: false`). */
      needPatientBanner: boolean;
    }
  | { kind: "failed"; failure: LaunchFailure };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Completes the SMART launch on the redirect page (index.html): an authorization error in the URL, a missing or
 * unknown `state`, a failed token exchange and a token without patient context each become a distinct failure.
 */
export async function completeLaunch(
  config: AppConfig,
  pageUrl: URL,
  timeoutMs = SMART_TIMEOUT_MS,
): Promise<ReadyOutcome> {
  const error = pageUrl.searchParams.get("error");
  if (error) {
    const description = pageUrl.searchParams.get("error_description") ?? undefined;
    // Drop the error parameters so a reload does not show a stale screen with them in the address bar.
    window.history.replaceState({}, "", pageUrl.pathname);
    return { kind: "failed", failure: { kind: "denied", error, ...(description ? { description } : {}) } };
  }

  let client: Client;
  try {
    client = await withTimeout(
      FHIR.oauth2.ready(),
      timeoutMs,
      "the token exchange with the EHR's authorisation server",
    );
  } catch (e) {
    const detail = messageOf(e);
    if (e instanceof SmartTimeoutError)
      return { kind: "failed", failure: { kind: "timeout", step: e.step, detail } };
    if (/No 'state' parameter|No state found/i.test(detail)) {
      return { kind: "failed", failure: { kind: "no-launch", detail } };
    }
    return { kind: "failed", failure: { kind: "token-failed", detail } };
  }

  const iss = client.state.serverUrl;
  const issuer = findIssuer(config, iss);
  if (!issuer) return { kind: "failed", failure: { kind: "unknown-issuer", iss } };

  const patientId = client.patient.id;
  if (!patientId) return { kind: "failed", failure: { kind: "no-patient" } };

  const needPatientBanner = client.state.tokenResponse?.need_patient_banner !== false;
  return { kind: "ready", client, patientId, issuer, needPatientBanner };
}
