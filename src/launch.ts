/**
 * launch.html: the SMART launch URL. Reads iss/launch, picks the issuer's configuration and hands over to fhirclient,
 * which runs the authorization-code flow with PKCE S256 and a `state` it checks on return. No React here: this page
 * must stay tiny.
 */
import { ConfigError, loadAppConfig } from "./smart/config";
import { handOverAppConfig } from "./smart/config-handoff";
import { blockedOrigin, blockedText, watchCspViolations } from "./smart/csp";
import { configureFhirClient } from "./smart/embedding";
import { forgetLaunchFailure } from "./smart/failure-memory";
import { browserLocales, handOverLaunchLocale, launchLocales, pickLocale } from "./smart/locale-choice";
import { type LaunchText, englishLaunchText, launchText } from "./smart/launch-text";
import { authorizeWithTimeout, decideLaunch } from "./smart/launch-flow";
import { renderMessage } from "./smart/message-page";
import { SmartTimeoutError } from "./smart/timeouts";

const root = document.getElementById("root") ?? document.body;
/** The EHR's FHIR base once known, to tell a policy-blocked discovery from a server that is down. */
let iss: string | undefined;
/** The page's texts: English until the launch's language is known (and its catalog fetched). */
let t: LaunchText = englishLaunchText;

function showBlocked(origin: string): void {
  const text = blockedText(origin, t);
  renderMessage(
    root,
    {
      title: t("blocked.title"),
      paragraphs: [text.what, text.todo],
      detail: `iss=${iss ?? ""}\nblocked origin: ${origin}`,
    },
    t,
  );
}

async function main(): Promise<void> {
  watchCspViolations();
  configureFhirClient();
  // A new launch: an earlier failure in this tab must not be shown for it.
  forgetLaunchFailure();
  // The EHR's language for this launch (or none), for index.html; never carried in a URL of ours.
  const pageUrl = new URL(window.location.href);
  handOverLaunchLocale(pageUrl);
  const text = await launchText(
    pickLocale({ launchUrl: launchLocales(pageUrl.searchParams), browser: browserLocales() }),
  );
  t = text.t;
  document.documentElement.lang = text.locale;
  const config = await loadAppConfig();
  const decision = await decideLaunch(config, pageUrl, undefined, t);
  if (decision.kind === "message") {
    renderMessage(root, decision.message, t);
    return;
  }
  iss = decision.params.iss;
  // A server the policy does not list would only give "Failed to fetch": say what blocked it, and do not try.
  const blocked = iss === undefined ? undefined : blockedOrigin(iss);
  if (blocked !== undefined) {
    showBlocked(blocked);
    return;
  }
  handOverAppConfig(config);
  // The launch's and the browser's languages, for the EHR's sign-in page (and its token response's `locale`).
  const uiLocales = [...(launchLocales(pageUrl.searchParams)?.split(/\s+/) ?? []), ...browserLocales()];
  await authorizeWithTimeout(decision.params, undefined, [...new Set(uiLocales)].slice(0, 10).join(" "));
}

main().catch((error: unknown) => {
  if (error instanceof SmartTimeoutError) {
    renderMessage(
      root,
      {
        title: t("timeout.title"),
        paragraphs: [
          t("timeout.p1", { step: error.step, seconds: String(error.timeoutMs / 1000) }),
          t("timeout.p2"),
        ],
        links: [{ href: window.location.href, text: t("timeout.retry") }],
        detail: error.message,
      },
      t,
    );
    return;
  }
  const blocked = error instanceof TypeError && iss !== undefined ? blockedOrigin(iss) : undefined;
  if (blocked !== undefined) {
    showBlocked(blocked);
    return;
  }
  const configProblem = error instanceof ConfigError;
  renderMessage(
    root,
    {
      title: t(configProblem ? "config.title" : "start.title"),
      paragraphs: configProblem ? [t("config.p1")] : [t("start.p1"), t("start.p2")],
      detail: error instanceof Error ? error.message : String(error),
    },
    t,
  );
});
