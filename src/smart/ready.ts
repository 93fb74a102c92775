import FHIR from "fhirclient";
import type Client from "fhirclient/lib/Client";
import { type AppConfig, type IssuerConfig, findIssuer } from "./config";
import { blockedOrigin } from "./csp";
import { launchLocales } from "./locale-choice";
import { forgetLaunchFailure, rememberLaunchFailure, rememberedLaunchFailure } from "./failure-memory";
import { SMART_TIMEOUT_MS, SmartTimeoutError, withTimeout } from "./timeouts";

/** What the app sent to the authorisation server, for a configuration-error screen. */
export interface SentRegistration {
  clientId?: string;
  redirectUri?: string;
  scope?: string;
  iss?: string;
}

/** Why the redirect page could not produce a usable client; each maps to a screen that says what to do. */
export type LaunchFailure =
  | { kind: "denied"; error: string; description?: string }
  /** The server refused the app's registration (client id, redirect URL or scopes): an integration problem. */
  | { kind: "configuration"; error: string; description?: string; sent: SentRegistration }
  /** A stored launch without an access token: the sign-in was started but never completed. */
  | { kind: "sign-in-incomplete" }
  | { kind: "no-launch"; detail: string }
  | { kind: "token-failed"; detail: string }
  /** The app's own CSP (connect-src) refused the connection: a build / configuration problem (issue 17.2). */
  | { kind: "blocked"; origin: string; step: string; detail: string }
  | { kind: "timeout"; step: string; detail: string }
  | { kind: "no-patient" }
  | { kind: "unknown-issuer"; iss: string }
  /**
   * The session ended while the panel loaded (401, refused refresh, 403 on everything; src/app/session-guard.ts).
   * Remembered so that a reload, after fhirclient has wiped its stored launch, says so again instead of "No launch in
   * progress". `summary` holds no URL and no patient data.
   */
  | { kind: "session-ended"; problem: "expired" | "forbidden"; summary: string };

export type ReadyOutcome =
  | {
      kind: "ready";
      client: Client;
      patientId: string;
      issuer: IssuerConfig;
      /** False only when the EHR says it already shows the patient banner (`need_patient_banner: false`). */
      needPatientBanner: boolean;
      /** The token response's `locale` / `ui_locales`, when the EHR sends them (a language preference, not a rule). */
      launchLocale?: string;
    }
  /** `shownAgain`: the failure of an earlier load of this page in this tab, shown again after a reload. */
  | { kind: "failed"; failure: LaunchFailure; shownAgain?: boolean };

/**
 * OAuth error codes (RFC 6749 §4.1.2.1, §5.2; `invalid_redirect_uri` / `redirect_uri_mismatch` as some servers
 * spell it) that mean the app's registration or configuration is wrong, not that the user should simply retry.
 */
const CONFIGURATION_ERRORS: ReadonlySet<string> = new Set([
  "invalid_client",
  "unauthorized_client",
  "invalid_redirect_uri",
  "redirect_uri_mismatch",
  "invalid_scope",
]);

/** fhirclient's stored launch for the `state` parameter (client id, redirect URL, scopes, token URL). */
function storedLaunch(stateKey: string | null): Record<string, unknown> {
  if (!stateKey) return {};
  try {
    const state = JSON.parse(window.sessionStorage.getItem(stateKey) ?? "null") as unknown;
    return typeof state === "object" && state !== null ? (state as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The client id, redirect URL and scopes fhirclient stored for this launch (keyed by the `state` parameter). */
function sentRegistration(stateKey: string | null): SentRegistration {
  const state = storedLaunch(stateKey);
  const text = (key: string) => (typeof state[key] === "string" ? { [key]: state[key] } : {});
  const iss = typeof state.serverUrl === "string" ? { iss: state.serverUrl } : {};
  return { ...text("clientId"), ...text("redirectUri"), ...text("scope"), ...iss };
}

/** A failure that a reload must show again (see failure-memory.ts). */
function failed(failure: LaunchFailure): ReadyOutcome {
  rememberLaunchFailure(failure);
  return { kind: "failed", failure };
}

/** The OAuth error code in fhirclient's token-exchange error text (`400 Bad Request\nURL: …\ninvalid_client: …`). */
function tokenErrorCode(detail: string): string | undefined {
  return /^([a-z_]+)(?::|$)/m.exec(detail.split("\n").slice(1).join("\n"))?.[1];
}

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
  const stateKey = pageUrl.searchParams.get("state");
  const error = pageUrl.searchParams.get("error");
  if (error) {
    const description = pageUrl.searchParams.get("error_description") ?? undefined;
    const sent = sentRegistration(stateKey);
    // Drop the error parameters so a reload does not show a stale screen with them in the address bar.
    window.history.replaceState({}, "", pageUrl.pathname);
    const details = description ? { description } : {};
    return failed(
      CONFIGURATION_ERRORS.has(error)
        ? { kind: "configuration", error, ...details, sent }
        : { kind: "denied", error, ...details },
    );
  }

  // A reload (no code) after a failed sign-in shows that failure again, not whatever the stale state gives.
  if (pageUrl.searchParams.has("code")) forgetLaunchFailure();
  else {
    const remembered = rememberedLaunchFailure();
    if (remembered) return { kind: "failed", failure: remembered, shownAgain: true };
  }
  const sent = sentRegistration(stateKey);

  let client: Client;
  try {
    client = await withTimeout(
      FHIR.oauth2.ready(),
      timeoutMs,
      "the token exchange with the EHR's authorisation server",
    );
  } catch (e) {
    const detail = messageOf(e);
    if (e instanceof SmartTimeoutError) return failed({ kind: "timeout", step: e.step, detail });
    if (/No 'state' parameter|No state found/i.test(detail)) {
      return { kind: "failed", failure: { kind: "no-launch", detail } };
    }
    // "Failed to fetch" from a token endpoint the page's CSP does not list (discovery named another origin).
    const tokenUri = storedLaunch(stateKey).tokenUri;
    const blocked =
      e instanceof TypeError && typeof tokenUri === "string" ? blockedOrigin(tokenUri) : undefined;
    if (blocked !== undefined) {
      return failed({ kind: "blocked", origin: blocked, step: "the token exchange", detail });
    }
    const code = tokenErrorCode(detail);
    if (code !== undefined && CONFIGURATION_ERRORS.has(code)) {
      return failed({ kind: "configuration", error: code, description: detail, sent });
    }
    return failed({ kind: "token-failed", detail });
  }

  // fhirclient returns a client for a stored launch without a code, even one whose token exchange never happened.
  if (!client.state.tokenResponse?.access_token) return failed({ kind: "sign-in-incomplete" });

  const iss = client.state.serverUrl;
  const issuer = findIssuer(config, iss);
  if (!issuer) return { kind: "failed", failure: { kind: "unknown-issuer", iss } };

  const patientId = client.patient.id;
  if (!patientId) return { kind: "failed", failure: { kind: "no-patient" } };

  const tokenResponse = client.state.tokenResponse;
  const needPatientBanner = tokenResponse.need_patient_banner !== false;
  const launchLocale = launchLocales({ get: (name) => tokenResponse[name] as unknown });
  return {
    kind: "ready",
    client,
    patientId,
    issuer,
    needPatientBanner,
    ...(launchLocale === undefined ? {} : { launchLocale }),
  };
}
