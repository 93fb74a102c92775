import type Client from "fhirclient/lib/Client";
import type { FhirSource } from "../fhir/source";

/**
 * Watches one load's FHIR traffic for a dead session. A 401 means the access token was rejected or has expired; a
 * refused refresh means no new one will come; 401/403 on every query means the launch's authorisation gives the app
 * nothing. In each case the data that did arrive must not become an assessment (an expired token once produced
 * "HER2 indeterminate, no flags" with Print enabled), so the app shows a "session expired" screen instead.
 */
export interface SessionWatch {
  source: FhirSource;
  /** Why the session cannot be used, once known; undefined while it looks sound. */
  lostReason(): string | undefined;
}

/** fhirclient refreshes this long before `expiresAt`; the same margin here. */
const REFRESH_MARGIN_S = 10;

function pathOf(url: string): string {
  return url.split("?")[0] ?? url;
}

/**
 * Wraps a FhirSource over `client`.
 * @param onLost called once, at the first sign of a dead session, so the caller can stop the load at once
 * @param now the clock in ms, for tests
 */
export function watchSession(
  client: Client,
  inner: FhirSource,
  onLost: (reason: string) => void,
  now: () => number = Date.now,
): SessionWatch {
  let lost: string | undefined;
  let answered = 0;
  let refused = 0;
  let refreshing: Promise<void> | undefined;

  const lose = (reason: string): void => {
    if (lost !== undefined) return;
    lost = reason;
    onLost(reason);
  };

  /** Renews an expired token first (once, shared by parallel requests); a refusal ends the session. */
  const ensureFreshToken = async (signal: AbortSignal): Promise<void> => {
    const expiresAt = client.state.expiresAt;
    if (!client.state.tokenResponse?.refresh_token || typeof expiresAt !== "number") return;
    if (expiresAt - REFRESH_MARGIN_S > now() / 1000) return;
    refreshing ??= client
      .refresh({ signal })
      .then(
        () => undefined,
        (error: unknown) => {
          lose(
            `The access token has expired and the EHR did not renew it (${error instanceof Error ? error.message.split("\n")[0] : String(error)}).`,
          );
        },
      )
      .finally(() => {
        refreshing = undefined;
      });
    await refreshing;
  };

  const source: FhirSource = {
    baseUrl: inner.baseUrl,
    async get(url, init) {
      await ensureFreshToken(init.signal);
      if (lost !== undefined) throw new Error(`not sent: ${lost}`);
      const response = await inner.get(url, init);
      // The CapabilityStatement is public on most servers: it says nothing about the token.
      if (pathOf(url) === "metadata") return response;
      answered++;
      if (response.status === 401) {
        lose(
          `The FHIR server answered 401 Unauthorized for ${pathOf(url)}: the access token was rejected or has expired.`,
        );
      } else if (response.status === 403) refused++;
      return response;
    },
  };
  return {
    source,
    lostReason: () =>
      lost ??
      (answered > 0 && refused === answered
        ? `The FHIR server refused every request (403 Forbidden on all ${String(answered)}): the launch's authorisation gives the app no access.`
        : undefined),
  };
}
