import { blockedText } from "../smart/csp";
import type { LaunchFailure, SentRegistration } from "../smart/ready";
import { type Translate, englishT } from "../ui/i18n/translate";
import type { SessionProblem } from "./session-guard";

export interface FailureText {
  title: string;
  what: string;
  todo: string;
  detail?: string;
}

/** What the integration engineer must compare with the EHR's registration of the app, per OAuth error. */
function configurationCheck(error: string, t: Translate): string {
  switch (error) {
    case "invalid_client":
    case "unauthorized_client":
      return t("failure.check.client");
    case "invalid_redirect_uri":
    case "redirect_uri_mismatch":
      return t("failure.check.redirect");
    case "invalid_scope":
      return t("failure.check.scope");
    default:
      return t("failure.check.other");
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

/** The title, what happened and what to do of one catalog entry (`failure.<key>.title` / `.what` / `.todo`). */
function texts(
  t: Translate,
  key:
    | "accessDenied"
    | "refused"
    | "configuration"
    | "incomplete"
    | "noLaunch"
    | "tokenFailed"
    | "timeout"
    | "noPatient"
    | "unknownIssuer"
    | "expired"
    | "forbidden",
  values?: Readonly<Record<string, string>>,
): FailureText {
  return {
    title: t(`failure.${key}.title`),
    what: t(`failure.${key}.what`, values),
    todo: t(`failure.${key}.todo`, values),
  };
}

/** Plain-language explanation of each launch failure: what happened and what to do (in the page's language). */
export function describeLaunchFailure(failure: LaunchFailure, t: Translate = englishT): FailureText {
  switch (failure.kind) {
    case "denied": {
      const detail = failure.description ? { detail: failure.description } : {};
      return failure.error === "access_denied"
        ? { ...texts(t, "accessDenied"), ...detail }
        : { ...texts(t, "refused", { error: failure.error }), ...detail };
    }
    case "configuration":
      return {
        ...texts(t, "configuration", { error: failure.error, check: configurationCheck(failure.error, t) }),
        detail: [
          sentValues(failure.sent),
          ...(failure.description ? [`server said: ${failure.description}`] : []),
        ].join("\n"),
      };
    case "sign-in-incomplete":
      return texts(t, "incomplete");
    case "no-launch":
      return { ...texts(t, "noLaunch"), detail: failure.detail };
    case "token-failed":
      return { ...texts(t, "tokenFailed"), detail: failure.detail };
    case "timeout":
      return { ...texts(t, "timeout", { step: failure.step }), detail: failure.detail };
    case "no-patient":
      return texts(t, "noPatient");
    case "unknown-issuer":
      return { ...texts(t, "unknownIssuer"), detail: `iss=${failure.iss}` };
    case "blocked":
      return {
        title: t("failure.blocked.title"),
        ...blockedText(failure.origin, (id, values) => t(`failure.${id}`, values)),
        detail: `step: ${failure.step}\nblocked origin: ${failure.origin}\n${failure.detail}`,
      };
    case "session-ended":
      return describeSessionProblem(
        { kind: failure.problem, detail: failure.summary, summary: failure.summary },
        t,
      );
  }
}

/** The screen for a session that ended or was refused while loading: no assessment, no print (issue 17.1). */
export function describeSessionProblem(problem: SessionProblem, t: Translate = englishT): FailureText {
  return { ...texts(t, problem.kind === "expired" ? "expired" : "forbidden"), detail: problem.detail };
}
