/**
 * launch.html: the SMART launch URL. Reads iss/launch, picks the issuer's configuration and hands over to fhirclient,
 * which runs the authorization-code flow with PKCE S256 and a `state` it checks on return. No React here: this page
 * must stay tiny.
 */
import FHIR from "fhirclient";
import { ConfigError, loadAppConfig } from "./smart/config";
import { handOverAppConfig } from "./smart/config-handoff";
import { configureFhirClient } from "./smart/embedding";
import { decideLaunch } from "./smart/launch-flow";
import { renderMessage } from "./smart/message-page";

const root = document.getElementById("root") ?? document.body;

async function main(): Promise<void> {
  configureFhirClient();
  const config = await loadAppConfig();
  const decision = await decideLaunch(config, new URL(window.location.href));
  if (decision.kind === "message") {
    renderMessage(root, decision.message);
    return;
  }
  handOverAppConfig(config);
  await FHIR.oauth2.authorize(decision.params);
}

main().catch((error: unknown) => {
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
