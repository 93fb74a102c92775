import { blockedText } from "../smart/csp";
import type { LaunchFailure, SentRegistration } from "../smart/ready";
import type { SessionProblem } from "./session-guard";

export interface FailureText {
  title: string;
  what: string;
  todo: string;
  detail?: string;
}

/** What the integration engineer must compare with the EHR's registration of the app, per OAuth error. */
function configurationCheck(error: string): string {
  switch (error) {
    case "invalid_client":
    case "unauthorized_client":
      return "the client id: it must be the one the EHR registered for this app, and that registration must allow the authorization-code grant";
    case "invalid_redirect_uri":
    case "redirect_uri_mismatch":
      return "the redirect URL: it must be registered with the EHR exactly as sent (scheme, host, port and path)";
    case "invalid_scope":
      return "the scopes: each must be enabled in the EHR's registration of the app (scopeVersion and extraScopes in smart-config.json decide what is asked)";
    default:
      return "the client id, redirect URL and scopes registered for the app";
  }
}

function sentValues(sent: SentRegistration): string {
  return [
    `client_id: ${sent.clientId ?? "(unknown)"}`,
    `redirect_uri: ${sent.redirectUri ?? "(unknown)"}`,
    `scope: ${sent.scope ?? "(unknown)"}`,
    ...(sent.iss ? [`iss: ${sent.iss}`] : []),
  ].join("\n");
}

/** Plain-language explanation of each launch failure: what happened and what to do. */
export function describeLaunchFailure(failure: LaunchFailure): FailureText {
  switch (failure.kind) {
    case "denied":
      return failure.error === "access_denied"
        ? {
            title: "Access was not granted",
            what: "You or the EHR declined to give the app access to this patient's record, so nothing was loaded.",
            todo: "Launch the app again and allow access, or ask your EHR team which permissions the app has.",
            ...(failure.description ? { detail: failure.description } : {}),
          }
        : {
            title: "The EHR refused the sign-in",
            what: `The EHR's authorisation server returned the error "${failure.error}", so nothing was loaded.`,
            todo: "Launch the app again from the chart. If this keeps happening, give the detail below to your EHR integration team.",
            ...(failure.description ? { detail: failure.description } : {}),
          };
    case "configuration":
      return {
        title: "The app's registration with this EHR does not match",
        what: `The EHR's authorisation server refused the sign-in with "${failure.error}": a configuration problem, so launching again will fail the same way. Nothing was loaded.`,
        todo: `Give this screen to your EHR integration team. They must check ${configurationCheck(failure.error)}. The values the app sent are in the detail below (the client id comes from smart-config.json).`,
        detail: [
          sentValues(failure.sent),
          ...(failure.description ? [`server said: ${failure.description}`] : []),
        ].join("\n"),
      };
    case "sign-in-incomplete":
      return {
        title: "The sign-in did not complete",
        what: "This page holds a sign-in that was started but never finished (no access token), so nothing can be loaded.",
        todo: "Close this and launch the app again from the patient's chart.",
      };
    case "no-launch":
      return {
        title: "No launch in progress",
        what: "This page was opened directly or reloaded after the session ended, so there is no sign-in to complete.",
        todo: "Open the app from the patient's chart in the EHR (or use launch.html for a standalone launch).",
        detail: failure.detail,
      };
    case "token-failed":
      return {
        title: "Sign-in could not be completed",
        what: "The EHR did not exchange the authorisation code for an access token, so the app cannot read the record.",
        todo: "Launch the app again from the chart. If it fails again, give the detail below to your EHR integration team.",
        detail: failure.detail,
      };
    case "timeout":
      return {
        title: "The EHR did not answer the sign-in",
        what: `The app waited for ${failure.step}, which did not answer, so the app cannot read the record.`,
        todo: "Launch the app again from the patient's chart (the sign-in cannot be resumed). If it keeps happening, give the detail below to your EHR integration team.",
        detail: failure.detail,
      };
    case "no-patient":
      return {
        title: "No patient selected",
        what: "The EHR granted access but did not say which patient is open, so the app will not guess.",
        todo: "Open a patient's chart first and launch the app from there.",
      };
    case "unknown-issuer":
      return {
        title: "This EHR is not configured for the app",
        what: "The sign-in completed against a server that is not in the app's configuration, so the app stopped.",
        todo: "Ask your EHR integration team to add the server to smart-config.json.",
        detail: `iss=${failure.iss}`,
      };
    case "blocked":
      return {
        title: "The app's security policy blocked the EHR server",
        ...blockedText(failure.origin),
        detail: `step: ${failure.step}\nblocked origin: ${failure.origin}\n${failure.detail}`,
      };
    case "session-ended":
      return describeSessionProblem({
        kind: failure.problem,
        detail: failure.summary,
        summary: failure.summary,
      });
  }
}

/** The screen for a session that ended or was refused while loading: no assessment, no print (issue 17.1). */
export function describeSessionProblem(problem: SessionProblem): FailureText {
  return problem.kind === "expired"
    ? {
        title: "Session expired – relaunch from the chart",
        what: "The EHR no longer accepts the app's access (the sign-in expired or was revoked), so the record could not be read in full and no HER2 status is shown.",
        todo: "Open the app again from the patient's chart in the EHR.",
        detail: problem.detail,
      }
    : {
        title: "Access refused – relaunch from the chart",
        what: "The EHR refused every request for this patient's data, so no HER2 status is shown.",
        todo: "Open the app again from the patient's chart. If this keeps happening, ask your EHR team which permissions the app has.",
        detail: problem.detail,
      };
}
