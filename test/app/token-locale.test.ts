/**
 * The token response's language reaches the app (issue 15.3): fhirclient keeps the token response as
 * `client.state.tokenResponse`; a SMART `locale` / `ui_locales` in it comes out of completeLaunch as `launchLocale`,
 * which Boot hands to the provider (the tab's switcher choice still wins, see locale-source.test.ts).
 */
import { HttpResponse } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type AppConfig, parseAppConfig } from "../../src/smart/config";
import { server } from "../msw-server";
import { ISS, smartHandlers } from "../smart/smart-server";

const config: AppConfig = parseAppConfig({
  issuers: [
    {
      id: "test-ehr",
      name: "Test EHR",
      issPattern: "https://ehr\\.example\\.test/fhir",
      clientId: "her2-test",
      scopeVersion: "v2",
      pkceMode: "required",
    },
  ],
});

function pageAt(path: string): URL {
  window.history.replaceState({}, "", path);
  return new URL(window.location.href);
}

async function launchWithToken(token: Record<string, unknown>) {
  server.use(...smartHandlers({ tokenResponse: () => HttpResponse.json(token) }).handlers);
  vi.resetModules();
  const [{ default: FHIR }, { decideLaunch }] = await Promise.all([
    import("fhirclient"),
    import("../../src/smart/launch-flow"),
  ]);
  const decision = await decideLaunch(
    config,
    pageAt(`/launch.html?iss=${encodeURIComponent(ISS)}&launch=l1`),
  );
  if (decision.kind !== "authorize") throw new Error("expected an authorize decision");
  const redirect = await FHIR.oauth2.authorize({ ...decision.params, noRedirect: true });
  const state = new URL(String(redirect)).searchParams.get("state") ?? "";
  // index.html is a new page load: fresh modules, as the SMART launch tests do.
  vi.resetModules();
  const { completeLaunch } = await import("../../src/smart/ready");
  return completeLaunch(config, pageAt(`/index.html?code=c&state=${state}`));
}

afterEach(() => {
  window.history.replaceState({}, "", "/");
  sessionStorage.clear();
});

describe("the token response's language", () => {
  it("a SMART locale comes out of the launch", async () => {
    const outcome = await launchWithToken({ access_token: "t", patient: "p1", locale: "es-ES" });
    expect(outcome).toMatchObject({ kind: "ready", launchLocale: "es-ES" });
  });

  it("ui_locales (space separated) comes out as given", async () => {
    const outcome = await launchWithToken({ access_token: "t", patient: "p1", ui_locales: "zh-CN en" });
    expect(outcome).toMatchObject({ kind: "ready", launchLocale: "zh-CN en" });
  });

  it("no language in the token response: none is claimed", async () => {
    const outcome = await launchWithToken({ access_token: "t", patient: "p1" });
    expect(outcome.kind).toBe("ready");
    expect(outcome).not.toHaveProperty("launchLocale");
  });
});
