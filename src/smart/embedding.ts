import FHIR from "fhirclient";
import type { fhirclient } from "fhirclient/lib/types";

/**
 * Cerner PowerChart may share sessionStorage between embedded browser instances (a known patient-safety issue, per
 * Oracle Health's SMART documentation). There, fhirclient must key its state by the `state` URL parameter rather
 * than one well-known key. Detection as in cerner/fhir-client-cerner-additions.
 */
export function isPowerChart(): boolean {
  const external = (window as unknown as { external?: { DiscernObjectFactory?: unknown } }).external;
  return external?.DiscernObjectFactory !== undefined;
}

/** Applies fhirclient settings that must be identical on the launch and the redirect page. */
export function configureFhirClient(): void {
  // fhirclient's default export is typed with its Node shape; in the browser `settings` are the browser settings.
  const settings = FHIR.oauth2.settings as fhirclient.BrowserFHIRSettings;
  settings.fullSessionStorageSupport = !isPowerChart();
  settings.replaceBrowserHistory = true;
  // A public client names itself with client_id at the token endpoint (RFC 6749 §3.2.1); without it, servers such
  // as the sandbox refuse the refresh_token grant and the session ends at the first refresh.
  settings.refreshTokenWithClientId = true;
}
