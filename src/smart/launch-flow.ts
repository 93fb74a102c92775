import FHIR from "fhirclient";
import {
  type AppConfig,
  type IssuerConfig,
  findIssuer,
  hostOf,
  isPlaceholderClientId,
  standaloneIssFor,
} from "./config";
import { type LaunchText, englishLaunchText } from "./launch-text";
import type { LaunchMessage } from "./message-page";
import { buildScopes, supportsV2Scopes } from "./scopes";
import { SMART_TIMEOUT_MS, SmartTimeoutError } from "./timeouts";

/** What the launch page decided: redirect to the EHR's authorize endpoint, or explain why not. */
export type LaunchDecision =
  | { kind: "authorize"; params: Parameters<typeof FHIR.oauth2.authorize>[0] }
  | { kind: "message"; message: LaunchMessage };

/** Decides v1 or v2 scopes; "auto" reads the server's SMART configuration (falls back to v1 if unreadable). */
async function resolveScopeVersion(
  issuer: IssuerConfig,
  iss: string,
  timeoutMs: number,
): Promise<"v1" | "v2"> {
  if (issuer.scopeVersion !== "auto") return issuer.scopeVersion;
  try {
    const response = await fetch(`${iss.replace(/\/+$/, "")}/.well-known/smart-configuration`, {
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(timeoutMs),
    });
    return response.ok && supportsV2Scopes(await response.json()) ? "v2" : "v1";
  } catch {
    return "v1";
  }
}

/**
 * Turns the launch URL's parameters into an authorize call or a message screen. Pure apart from the optional
 * SMART-configuration read for `scopeVersion: "auto"`.
 */
export async function decideLaunch(
  config: AppConfig,
  pageUrl: URL,
  timeoutMs = SMART_TIMEOUT_MS,
  t: LaunchText = englishLaunchText,
): Promise<LaunchDecision> {
  const iss = pageUrl.searchParams.get("iss") ?? pageUrl.searchParams.get("fhirServiceUrl");
  const launch = pageUrl.searchParams.get("launch");

  if (!iss) {
    const servers = config.issuers.flatMap((issuer) => {
      const standalone = standaloneIssFor(issuer, pageUrl.origin);
      return standalone && !isPlaceholderClientId(issuer.clientId)
        ? [{ href: `launch.html?${new URLSearchParams({ iss: standalone }).toString()}`, text: issuer.name }]
        : [];
    });
    return {
      kind: "message",
      message: {
        title: t("noIss.title"),
        paragraphs: [t("noIss.p1"), t("noIss.p2")],
        links: servers,
      },
    };
  }

  const issuer = findIssuer(config, iss);
  if (!issuer) {
    return {
      kind: "message",
      message: {
        title: t("unknownIss.title"),
        paragraphs: [t("unknownIss.p1", { host: hostOf(iss) }), t("unknownIss.p2")],
        detail: `iss=${iss}`,
      },
    };
  }
  if (isPlaceholderClientId(issuer.clientId)) {
    return {
      kind: "message",
      message: {
        title: t("placeholder.title"),
        paragraphs: [t("placeholder.p1", { name: issuer.name }), t("placeholder.p2")],
        detail: `issuer id: ${issuer.id}`,
      },
    };
  }

  const version = await resolveScopeVersion(issuer, iss, timeoutMs);
  const scope = buildScopes(launch ? "ehr" : "standalone", version, issuer.extraScopes);
  return {
    kind: "authorize",
    params: {
      iss,
      ...(launch ? { launch } : {}),
      clientId: issuer.clientId,
      scope,
      redirectUri: "index.html",
      pkceMode: issuer.pkceMode,
      // Embedded EHR browsers (Epic WebView2, Cerner, the SMART launcher's iframe): finish in the same frame.
      completeInTarget: true,
    },
  };
}

/**
 * FHIR.oauth2.authorize with a time limit on its discovery (`.well-known/smart-configuration`, then `metadata`):
 * both fetches share one abort signal, so a server that never answers fails within `timeoutMs` as a
 * SmartTimeoutError instead of leaving launch.html blank.
 */
export async function authorizeWithTimeout(
  params: Parameters<typeof FHIR.oauth2.authorize>[0],
  timeoutMs = SMART_TIMEOUT_MS,
  uiLocales?: string,
): ReturnType<typeof FHIR.oauth2.authorize> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const options = {
      ...params,
      wellKnownRequestOptions: { ...params.wellKnownRequestOptions, signal },
      conformanceRequestOptions: { ...params.conformanceRequestOptions, signal },
    };
    if (!uiLocales) return await FHIR.oauth2.authorize(options);
    // The user's languages for the EHR's sign-in page (OpenID Connect `ui_locales`): fhirclient has no option for
    // extra parameters, so it returns the authorize URL (its state and PKCE already stored) and the page goes there.
    const url = await FHIR.oauth2.authorize({ ...options, noRedirect: true });
    if (typeof url !== "string") return url;
    const target = new URL(url);
    target.searchParams.set("ui_locales", uiLocales);
    window.location.assign(target.toString());
    return target.toString();
  } catch (error) {
    if (signal.aborted)
      throw new SmartTimeoutError(
        "the EHR's SMART configuration (.well-known/smart-configuration, then metadata)",
        timeoutMs,
      );
    throw error;
  }
}
