import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type AppConfig, parseAppConfig } from "../../src/smart/config";
import type { ReadyOutcome } from "../../src/smart/ready";
import { server } from "../msw-server";
import { AUTHORIZE_URL, ISS, TOKEN_URL, base64UrlSha256, smartHandlers } from "./smart-server";
import { HttpResponse, http } from "msw";

const config: AppConfig = parseAppConfig({
  issuers: [
    {
      id: "test-ehr",
      name: "Test EHR",
      issPattern: "https://ehr\\.example\\.test/fhir",
      standaloneIss: "https://ehr.example.test/fhir",
      clientId: "her2-test",
      scopeVersion: "v2",
      pkceMode: "required",
    },
    {
      id: "auto-ehr",
      name: "Auto EHR",
      issPattern: "https://auto\\.example\\.test/fhir",
      clientId: "her2-auto",
      scopeVersion: "auto",
    },
    {
      id: "unregistered",
      name: "Unregistered EHR",
      issPattern: "https://new\\.example\\.test/fhir",
      clientId: "REPLACE-ME",
    },
  ],
});

function pageAt(path: string): URL {
  window.history.replaceState({}, "", path);
  return new URL(window.location.href);
}

/**
 * Each page (launch.html, index.html) is a fresh page load in a browser, with fresh module state: fhirclient caches
 * the page URL per load. Importing after `vi.resetModules()` mirrors that.
 */
async function freshModules() {
  vi.resetModules();
  const [
    { default: FHIR },
    { decideLaunch, authorizeWithTimeout },
    { completeLaunch },
    { SmartTimeoutError },
  ] = await Promise.all([
    import("fhirclient"),
    import("../../src/smart/launch-flow"),
    import("../../src/smart/ready"),
    import("../../src/smart/timeouts"),
  ]);
  return { FHIR, decideLaunch, authorizeWithTimeout, completeLaunch, SmartTimeoutError };
}

async function decideLaunch(appConfig: AppConfig, url: URL) {
  return (await freshModules()).decideLaunch(appConfig, url);
}

async function completeLaunch(appConfig: AppConfig, url: URL): Promise<ReadyOutcome> {
  return (await freshModules()).completeLaunch(appConfig, url);
}

/** Runs launch.html up to the redirect and returns the authorize URL fhirclient built. */
async function launchTo(path: string): Promise<URL> {
  const url = pageAt(path);
  const { FHIR, decideLaunch: decide } = await freshModules();
  const decision = await decide(config, url);
  if (decision.kind !== "authorize") throw new Error(`expected authorize, got ${JSON.stringify(decision)}`);
  const redirect = await FHIR.oauth2.authorize({ ...decision.params, noRedirect: true });
  if (typeof redirect !== "string") throw new Error("no redirect URL");
  return new URL(redirect);
}

describe("SMART EHR launch through fhirclient", () => {
  let smart: ReturnType<typeof smartHandlers>;
  beforeEach(() => {
    smart = smartHandlers();
    server.use(...smart.handlers);
  });
  afterEach(() => {
    window.history.replaceState({}, "", "/");
    sessionStorage.clear();
  });

  it("authorizes with PKCE S256, state, aud and the least v2 scopes, then exchanges the code and reads FHIR", async () => {
    const authorize = await launchTo(`/launch.html?iss=${encodeURIComponent(ISS)}&launch=abc123`);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(AUTHORIZE_URL);
    const q = authorize.searchParams;
    expect(q.get("response_type")).toBe("code");
    expect(q.get("client_id")).toBe("her2-test");
    expect(q.get("aud")).toBe(ISS);
    expect(q.get("launch")).toBe("abc123");
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("redirect_uri")).toBe(`${window.location.origin}/index.html`);
    const scopes = (q.get("scope") ?? "").split(" ");
    expect(scopes).toContain("launch");
    expect(scopes).toContain("patient/Observation.rs");
    expect(scopes).toContain("patient/Condition.rs");
    expect(scopes.some((s) => s.includes("*"))).toBe(false);
    expect(scopes.some((s) => /^(user|system)\//.test(s))).toBe(false);
    const state = q.get("state");
    const challenge = q.get("code_challenge");
    expect(state).toBeTruthy();

    // The authorisation server redirects back to index.html with the code and the same state.
    const outcome = await completeLaunch(
      config,
      pageAt(`/index.html?code=the-code&state=${encodeURIComponent(state ?? "")}`),
    );
    expect(outcome.kind).toBe("ready");
    if (outcome.kind !== "ready") return;
    expect(outcome.patientId).toBe("p1");
    expect(outcome.needPatientBanner).toBe(true);

    const tokenBody = smart.tokenRequests[0]?.body;
    expect(tokenBody?.get("grant_type")).toBe("authorization_code");
    expect(tokenBody?.get("code")).toBe("the-code");
    const verifier = tokenBody?.get("code_verifier") ?? "";
    expect(base64UrlSha256(verifier)).toBe(challenge);

    // The code and state are removed from the address bar; the token is not in the URL or localStorage.
    expect(window.location.search).toBe("");
    const stored = Object.keys(localStorage).map((key) => localStorage.getItem(key) ?? "");
    expect(stored.join(" ")).not.toContain("secret-token");

    const patient = await outcome.client.request<{ id: string }>("Patient/p1");
    expect(patient.id).toBe("p1");
    expect(smart.fhirRequests[0]?.headers.get("authorization")).toBe("Bearer secret-token");
  });

  it("asks for launch/patient on a standalone launch", async () => {
    const authorize = await launchTo(`/launch.html?iss=${encodeURIComponent(ISS)}`);
    const scopes = (authorize.searchParams.get("scope") ?? "").split(" ");
    expect(scopes).toContain("launch/patient");
    expect(scopes).not.toContain("launch");
    expect(authorize.searchParams.get("launch")).toBeNull();
  });

  it("rejects a redirect whose state the app never issued", async () => {
    await launchTo(`/launch.html?iss=${encodeURIComponent(ISS)}&launch=abc`);
    sessionStorage.removeItem("SMART_KEY");
    const outcome = await completeLaunch(config, pageAt("/index.html?code=x&state=forged"));
    expect(outcome).toMatchObject({ kind: "failed", failure: { kind: "no-launch" } });
    expect(smart.tokenRequests).toHaveLength(0);
  });

  it("reports a failed token exchange", async () => {
    server.use(
      ...smartHandlers({
        tokenResponse: () => HttpResponse.json({ error: "invalid_grant" }, { status: 400 }),
      }).handlers,
    );
    const authorize = await launchTo(`/launch.html?iss=${encodeURIComponent(ISS)}&launch=abc`);
    const state = authorize.searchParams.get("state") ?? "";
    const outcome = await completeLaunch(config, pageAt(`/index.html?code=c&state=${state}`));
    expect(outcome).toMatchObject({ kind: "failed", failure: { kind: "token-failed" } });
  });

  it("says the app's CSP blocked the token endpoint, instead of 'Failed to fetch' (17.2)", async () => {
    server.use(...smartHandlers({ tokenResponse: () => HttpResponse.error() }).handlers);
    const authorize = await launchTo(`/launch.html?iss=${encodeURIComponent(ISS)}&launch=abc`);
    const state = authorize.searchParams.get("state") ?? "";
    // The built page's policy, without the EHR's origin (jsdom does not enforce it; the fetch fails as a blocked one).
    const meta = document.createElement("meta");
    meta.setAttribute("http-equiv", "Content-Security-Policy");
    meta.setAttribute("content", "default-src 'none'; connect-src 'self'");
    document.head.append(meta);
    try {
      const outcome = await completeLaunch(config, pageAt(`/index.html?code=c&state=${state}`));
      expect(outcome).toMatchObject({
        kind: "failed",
        failure: { kind: "blocked", origin: new URL(TOKEN_URL).origin, step: "the token exchange" },
      });
      // A reload shows it again.
      expect(await completeLaunch(config, pageAt("/index.html"))).toMatchObject({
        failure: { kind: "blocked" },
        shownAgain: true,
      });
    } finally {
      meta.remove();
    }
  });

  it("keeps a network failure to a listed server a token failure", async () => {
    server.use(...smartHandlers({ tokenResponse: () => HttpResponse.error() }).handlers);
    const authorize = await launchTo(`/launch.html?iss=${encodeURIComponent(ISS)}&launch=abc`);
    const state = authorize.searchParams.get("state") ?? "";
    const outcome = await completeLaunch(config, pageAt(`/index.html?code=c&state=${state}`));
    expect(outcome).toMatchObject({ kind: "failed", failure: { kind: "token-failed" } });
  });

  it("refuses a token without patient context", async () => {
    server.use(
      ...smartHandlers({
        tokenResponse: () =>
          HttpResponse.json({ access_token: "secret-token", token_type: "Bearer", scope: "x" }),
      }).handlers,
    );
    const authorize = await launchTo(`/launch.html?iss=${encodeURIComponent(ISS)}&launch=abc`);
    const state = authorize.searchParams.get("state") ?? "";
    const outcome = await completeLaunch(config, pageAt(`/index.html?code=c&state=${state}`));
    expect(outcome).toEqual({ kind: "failed", failure: { kind: "no-patient" } });
  });

  it("hides the app's patient banner only when the EHR says need_patient_banner: false", async () => {
    server.use(
      ...smartHandlers({
        tokenResponse: () =>
          HttpResponse.json({ access_token: "secret-token", patient: "p1", need_patient_banner: false }),
      }).handlers,
    );
    const authorize = await launchTo(`/launch.html?iss=${encodeURIComponent(ISS)}&launch=abc`);
    const state = authorize.searchParams.get("state") ?? "";
    const outcome = await completeLaunch(config, pageAt(`/index.html?code=c&state=${state}`));
    expect(outcome).toMatchObject({ kind: "ready", needPatientBanner: false });
  });

  it("shows the denial when the user or EHR refuses authorisation", async () => {
    const outcome = await completeLaunch(
      config,
      pageAt("/index.html?error=access_denied&error_description=User%20denied&state=s"),
    );
    expect(outcome).toEqual({
      kind: "failed",
      failure: { kind: "denied", error: "access_denied", description: "User denied" },
    });
    expect(window.location.search).toBe("");
  });

  it("shows a refused sign-in again on reload, not 'No patient selected'", async () => {
    const authorize = await launchTo(`/launch.html?iss=${encodeURIComponent(ISS)}&launch=abc`);
    const state = authorize.searchParams.get("state") ?? "";
    const first = await completeLaunch(config, pageAt(`/index.html?error=access_denied&state=${state}`));
    expect(first).toMatchObject({ kind: "failed", failure: { kind: "denied" } });
    const reload = await completeLaunch(config, pageAt("/index.html"));
    expect(reload).toEqual({ ...first, shownAgain: true });
  });

  it("shows 'Session expired' on reload after the session ended, although fhirclient wiped its stored launch", async () => {
    const authorize = await launchTo(`/launch.html?iss=${encodeURIComponent(ISS)}&launch=abc`);
    const state = authorize.searchParams.get("state") ?? "";
    const ready = await completeLaunch(config, pageAt(`/index.html?code=c&state=${state}`));
    if (ready.kind !== "ready") throw new Error("expected a ready client");
    server.use(
      http.get(`${ISS}/Patient/:id`, () =>
        HttpResponse.json({ resourceType: "OperationOutcome" }, { status: 401 }),
      ),
    );
    await expect(ready.client.request("Patient/p1")).rejects.toThrow(/401/);
    // What PatientApp does when its session guard sees the 401 (test/app/session-expired.test.tsx).
    const { rememberLaunchFailure } = await import("../../src/smart/failure-memory");
    rememberLaunchFailure({
      kind: "session-ended",
      problem: "expired",
      summary: "401 Unauthorized on 1 request(s)",
    });
    const reload = await completeLaunch(config, pageAt("/index.html"));
    expect(reload).toEqual({
      kind: "failed",
      failure: { kind: "session-ended", problem: "expired", summary: "401 Unauthorized on 1 request(s)" },
      shownAgain: true,
    });
    // Without the remembered failure the reload would only say "No launch in progress" (fhirclient cleared it all).
    sessionStorage.removeItem("her2-launch-failure");
    expect(await completeLaunch(config, pageAt("/index.html"))).toMatchObject({
      failure: { kind: "no-launch" },
    });
  });

  it("says the sign-in did not complete for a stored launch without an access token", async () => {
    await launchTo(`/launch.html?iss=${encodeURIComponent(ISS)}&launch=abc`);
    sessionStorage.removeItem("her2-launch-failure");
    const outcome = await completeLaunch(config, pageAt("/index.html"));
    expect(outcome).toEqual({ kind: "failed", failure: { kind: "sign-in-incomplete" } });
  });

  it("treats invalid_scope as a configuration problem and names the values the app sent", async () => {
    const authorize = await launchTo(`/launch.html?iss=${encodeURIComponent(ISS)}&launch=abc`);
    const state = authorize.searchParams.get("state") ?? "";
    const outcome = await completeLaunch(config, pageAt(`/index.html?error=invalid_scope&state=${state}`));
    expect(outcome).toMatchObject({
      kind: "failed",
      failure: {
        kind: "configuration",
        error: "invalid_scope",
        sent: { clientId: "her2-test", redirectUri: `${window.location.origin}/index.html`, iss: ISS },
      },
    });
  });

  it("explains a page opened without any launch", async () => {
    const outcome = await completeLaunch(config, pageAt("/index.html"));
    expect(outcome).toMatchObject({ kind: "failed", failure: { kind: "no-launch" } });
  });
});

describe("launch page decisions without a redirect", () => {
  it("offers the standalone servers when launched without iss", async () => {
    const decision = await decideLaunch(config, pageAt("/launch.html"));
    expect(decision.kind).toBe("message");
    if (decision.kind !== "message") return;
    expect(decision.message.title).toMatch(/patient's chart/);
    // Only registered issuers with a standalone address are offered, with the iss encoded.
    expect(decision.message.links).toEqual([
      { href: `launch.html?iss=${encodeURIComponent(ISS)}`, text: "Test EHR" },
    ]);
  });

  it("does not contact an issuer that is not configured", async () => {
    const decision = await decideLaunch(
      config,
      pageAt("/launch.html?iss=https://evil.example.test/fhir&launch=1"),
    );
    expect(decision.kind === "message" && decision.message.title).toMatch(/not configured/);
  });

  it("stops at a placeholder client id", async () => {
    const decision = await decideLaunch(
      config,
      pageAt("/launch.html?iss=https://new.example.test/fhir&launch=1"),
    );
    expect(decision.kind === "message" && decision.message.title).toMatch(/not registered/);
  });

  it.each([
    [["permission-v2", "permission-v1"], "patient/Observation.rs"],
    [["permission-v1"], "patient/Observation.read"],
  ])("scopeVersion auto reads the server's capabilities %j", async (capabilities, expected) => {
    const auto = "https://auto.example.test/fhir";
    const { http } = await import("msw");
    server.use(
      http.get(`${auto}/.well-known/smart-configuration`, () =>
        HttpResponse.json({ authorization_endpoint: AUTHORIZE_URL, token_endpoint: "x", capabilities }),
      ),
    );
    const decision = await decideLaunch(
      config,
      pageAt(`/launch.html?iss=${encodeURIComponent(auto)}&launch=1`),
    );
    expect(decision.kind === "authorize" && decision.params.scope?.split(" ")).toContain(expected);
  });
});

describe("SMART discovery and token exchange that never answer (time limits)", () => {
  const SHORT_MS = 200;
  /** An msw handler that never answers: only the request's abort (or the test's end) releases it. */
  const never = () => new Promise<never>(() => undefined);
  afterEach(() => {
    window.history.replaceState({}, "", "/");
  });

  async function authorizeDecision(path: string) {
    const modules = await freshModules();
    const decision = await modules.decideLaunch(config, pageAt(path), SHORT_MS);
    if (decision.kind !== "authorize") throw new Error("expected authorize");
    return { modules, params: { ...decision.params, noRedirect: true } };
  }

  it("fails the launch page's discovery when neither .well-known nor metadata answers", async () => {
    const { http } = await import("msw");
    server.use(http.get(`${ISS}/.well-known/smart-configuration`, never), http.get(`${ISS}/metadata`, never));
    const { modules, params } = await authorizeDecision(
      `/launch.html?iss=${encodeURIComponent(ISS)}&launch=abc`,
    );
    const started = Date.now();
    const error: unknown = await modules.authorizeWithTimeout(params, SHORT_MS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(modules.SmartTimeoutError);
    expect(String(error)).toMatch(/SMART configuration.*no answer within 0.2 s/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("fails the discovery when .well-known is missing and metadata never answers", async () => {
    const { http } = await import("msw");
    server.use(
      http.get(`${ISS}/.well-known/smart-configuration`, () => new HttpResponse(null, { status: 404 })),
      http.get(`${ISS}/metadata`, never),
    );
    const { modules, params } = await authorizeDecision(
      `/launch.html?iss=${encodeURIComponent(ISS)}&launch=abc`,
    );
    await expect(modules.authorizeWithTimeout(params, SHORT_MS)).rejects.toBeInstanceOf(
      modules.SmartTimeoutError,
    );
  });

  it("still authorizes within the limit when discovery answers", async () => {
    server.use(...smartHandlers().handlers);
    const { modules, params } = await authorizeDecision(
      `/launch.html?iss=${encodeURIComponent(ISS)}&launch=abc`,
    );
    const redirect = await modules.authorizeWithTimeout(params, 5_000);
    expect(String(redirect)).toContain(AUTHORIZE_URL);
  });

  it("reports a timeout, naming the token exchange, when the token endpoint never answers", async () => {
    const { http } = await import("msw");
    server.use(...smartHandlers().handlers);
    const authorize = await launchTo(`/launch.html?iss=${encodeURIComponent(ISS)}&launch=abc`);
    server.use(http.post(TOKEN_URL, never));
    const state = authorize.searchParams.get("state") ?? "";
    const { completeLaunch: complete } = await freshModules();
    const outcome = await complete(config, pageAt(`/index.html?code=c&state=${state}`), SHORT_MS);
    expect(outcome).toMatchObject({
      kind: "failed",
      failure: { kind: "timeout", step: expect.stringMatching(/token exchange/) as unknown },
    });
  });
});
