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
import { handOverLaunchLocale } from "./smart/locale-choice";
import { authorizeWithTimeout, decideLaunch } from "./smart/launch-flow";
import { renderMessage } from "./smart/message-page";
import { SmartTimeoutError } from "./smart/timeouts";

const root = document.getElementById("root") ?? document.body;
/** The EHR's FHIR base once known, to tell a policy-blocked discovery from a server that is down. */
let iss: string | undefined;

function showBlocked(origin: string): void {
  const text = blockedText(origin);
  renderMessage(root, {
    title: "The app's security policy blocked the EHR server",
    paragraphs: [text.what, text.todo],
    detail: `iss=${iss ?? ""}\nblocked origin: ${origin}`,
  });
}

async function main(): Promise<void> {
  watchCspViolations();
  configureFhirClient();
  // A new launch: an earlier failure in this tab must not be shown for it.
  forgetLaunchFailure();
  // The EHR's language for this launch (or none), for index.html; never carried in a URL of ours.
  handOverLaunchLocale(new URL(window.location.href));
  const config = await loadAppConfig();
  const decision = await decideLaunch(config, new URL(window.location.href));
  if (decision.kind === "message") {
    renderMessage(root, decision.message);
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
  await authorizeWithTimeout(decision.params);
}

main().catch((error: unknown) => {
  if (error instanceof SmartTimeoutError) {
    renderMessage(root, {
      title: "The EHR did not answer",
      paragraphs: [
        `The app asked for ${error.step} and got no answer within ${String(error.timeoutMs / 1000)} s, so sign-in did not start.`,
        "Try again below, or launch the app again from the patient's chart. If it keeps happening, contact your EHR integration team.",
      ],
      links: [{ href: window.location.href, text: "Try again" }],
      detail: error.message,
    });
    return;
  }
  const blocked = error instanceof TypeError && iss !== undefined ? blockedOrigin(iss) : undefined;
  if (blocked !== undefined) {
    showBlocked(blocked);
    return;
  }
  const configProblem = error instanceof ConfigError;
  renderMessage(root, {
    title: configProblem ? "The app's configuration is invalid" : "Could not start the sign-in with the EHR",
    paragraphs: configProblem
      ? [
          "The launch configuration file (smart-config.json) has an error. Ask your EHR integration team to fix it.",
        ]
      : [
          "The app could not read the EHR server's SMART configuration, so sign-in did not start.",
          "Try launching again from the chart. If it keeps failing, contact your EHR integration team.",
        ],
    detail: error instanceof Error ? error.message : String(error),
  });
});
