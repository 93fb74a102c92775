// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSandbox, startSandbox } from "../../sandbox/server";
import {
  allowLoopbackRequests,
  APP_SCOPES,
  authorizeParams,
  ehrLaunchToken,
  exchangeCode,
  get,
  launchId,
  locationParams,
  pkcePair,
  postForm,
  type TokenBody,
} from "./helpers";

allowLoopbackRequests();

let sandbox: RunningSandbox;
let base: string;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  base = sandbox.url;
});
afterAll(() => sandbox.close());

const authorizeUrl = (params: Record<string, string>): string =>
  `${base}/auth/authorize?${new URLSearchParams(params).toString()}`;

async function codeFor(patient: string, overrides: Record<string, string> = {}) {
  const launch = await launchId(base, patient);
  const { params, verifier } = authorizeParams(base, { launch, ...overrides });
  const res = await get(authorizeUrl(params));
  const query = locationParams(res);
  return { code: query.get("code") ?? "", state: query.get("state"), params, verifier, res };
}

describe("discovery", () => {
  it("advertises the SMART endpoints, PKCE S256 and the launch capabilities", async () => {
    const res = await get(`${base}/fhir/.well-known/smart-configuration`);
    expect(res.status).toBe(200);
    const config = (await res.json()) as Record<string, unknown>;
    expect(config.authorization_endpoint).toBe(`${base}/auth/authorize`);
    expect(config.token_endpoint).toBe(`${base}/auth/token`);
    expect(config.code_challenge_methods_supported).toEqual(["S256"]);
    expect(config.capabilities).toEqual(
      expect.arrayContaining([
        "launch-ehr",
        "launch-standalone",
        "context-ehr-patient",
        "context-standalone-patient",
        "client-public",
        "permission-v2",
        "permission-v1",
      ]),
    );
    expect(config.scopes_supported).toEqual(
      expect.arrayContaining(["launch", "launch/patient", "patient/Observation.rs"]),
    );
  });

  it("puts the oauth-uris extension in the CapabilityStatement, with search parameters per resource", async () => {
    const res = await get(`${base}/fhir/metadata`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/fhir+json");
    const cap = (await res.json()) as {
      resourceType: string;
      rest: {
        security: { extension: { url: string; extension: { url: string; valueUri: string }[] }[] };
        resource: { type: string; searchParam: { name: string }[]; searchInclude?: string[] }[];
      }[];
    };
    expect(cap.resourceType).toBe("CapabilityStatement");
    const [rest] = cap.rest;
    const uris = rest?.security.extension.find(
      (e) => e.url === "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
    );
    expect(uris?.extension).toEqual([
      { url: "authorize", valueUri: `${base}/auth/authorize` },
      { url: "token", valueUri: `${base}/auth/token` },
    ]);
    const observation = rest?.resource.find((r) => r.type === "Observation");
    expect(observation?.searchParam.map((p) => p.name)).toEqual(
      expect.arrayContaining(["patient", "subject", "code", "date"]),
    );
    expect(observation?.searchInclude).toContain("Observation:specimen");
  });
});

describe("authorization code flow with PKCE (EHR launch)", () => {
  it("issues a code with the state, and a token with the launch patient for the right verifier", async () => {
    const { code, state, params, verifier } = await codeFor("her2-ihc3");
    expect(code).not.toBe("");
    expect(state).toBe(params.state);
    const res = await exchangeCode(base, code, verifier);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as TokenBody;
    expect(body).toMatchObject({
      token_type: "Bearer",
      patient: "her2-ihc3",
      need_patient_banner: true,
      scope: APP_SCOPES,
    });
    // The library computes expires_in from the token's expiry time, so a second boundary can give 3599.
    expect(body.expires_in).toBeGreaterThanOrEqual(3590);
    expect(body.expires_in).toBeLessThanOrEqual(3600);
    expect(body.access_token).toMatch(/^\S{20,}$/);
    // Whitelisted attributes only: no authorization code, no refresh token, no id_token. `locale` is the sandbox
    // page's language the launch was made in (English here: no ?lang=, no Accept-Language).
    expect(body.locale).toBe("en");
    expect(Object.keys(body).sort()).toEqual(
      [
        "access_token",
        "expires_in",
        "locale",
        "need_patient_banner",
        "patient",
        "scope",
        "token_type",
      ].sort(),
    );
  });

  it("refuses a wrong code_verifier with invalid_grant, and the code is spent afterwards", async () => {
    const { code, verifier } = await codeFor("her2-ihc3");
    const wrong = await exchangeCode(base, code, pkcePair().verifier);
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as TokenBody).error).toBe("invalid_grant");
    const retry = await exchangeCode(base, code, verifier);
    expect(((await retry.json()) as TokenBody).error).toBe("invalid_grant");
  });

  it("accepts a code only once", async () => {
    const { code, verifier } = await codeFor("her2-ihc1-low");
    expect((await exchangeCode(base, code, verifier)).status).toBe(200);
    const again = await exchangeCode(base, code, verifier);
    expect(again.status).toBe(400);
    expect(((await again.json()) as TokenBody).error).toBe("invalid_grant");
  });

  it("refuses a token request whose redirect_uri differs from the authorize request", async () => {
    const { code, verifier } = await codeFor("her2-ihc3");
    const res = await exchangeCode(base, code, verifier, `${base}/other.html`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as TokenBody).error).toBe("invalid_request");
  });

  it("refuses an unknown code and a missing verifier", async () => {
    const unknown = await exchangeCode(base, "not-a-code", pkcePair().verifier);
    expect(((await unknown.json()) as TokenBody).error).toBe("invalid_grant");
    const { code } = await codeFor("her2-ihc3");
    const res = await postForm(`${base}/auth/token`, {
      grant_type: "authorization_code",
      code,
      redirect_uri: `${base}/index.html`,
      client_id: "her2-smart-sandbox",
    });
    expect(res.status).toBe(400);
  });

  it("shows an error page, and does not redirect, for a redirect_uri off this machine", async () => {
    const launch = await launchId(base, "her2-ihc3");
    const { params } = authorizeParams(base, { launch, redirect_uri: "https://evil.example/callback" });
    const res = await get(authorizeUrl(params));
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(await res.text()).toContain("evil.example");
  });

  it("shows an error page for an unregistered client", async () => {
    const { params } = authorizeParams(base, { client_id: "someone-else" });
    const res = await get(authorizeUrl(params));
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
  });

  it("accepts the second registered client id", async () => {
    const launch = await launchId(base, "her2-ihc3");
    const { params, verifier } = authorizeParams(base, { launch, client_id: "her2-smart-test" });
    const code = locationParams(await get(authorizeUrl(params))).get("code") ?? "";
    const res = await postForm(`${base}/auth/token`, {
      grant_type: "authorization_code",
      code,
      redirect_uri: params.redirect_uri ?? "",
      client_id: "her2-smart-test",
      code_verifier: verifier,
    });
    expect(res.status).toBe(200);
  });

  it("redirects invalid_request for an aud that is not this FHIR base", async () => {
    const launch = await launchId(base, "her2-ihc3");
    const { params } = authorizeParams(base, { launch, aud: "https://fhir.example.org/r4" });
    const query = locationParams(await get(authorizeUrl(params)));
    expect(query.get("error")).toBe("invalid_request");
    expect(query.get("error_description")).toContain("aud");
    expect(query.get("state")).toBe(params.state);
    expect(query.get("code")).toBeNull();
  });

  it("requires PKCE with S256", async () => {
    const launch = await launchId(base, "her2-ihc3");
    const { params } = authorizeParams(base, { launch });
    const withoutPkce = Object.fromEntries(
      Object.entries(params).filter(([name]) => !name.startsWith("code_challenge")),
    );
    expect(locationParams(await get(authorizeUrl(withoutPkce))).get("error")).toBe("invalid_request");
    const plain = { ...params, code_challenge_method: "plain" };
    expect(locationParams(await get(authorizeUrl(plain))).get("error")).toBe("invalid_request");
  });

  it("redirects invalid_request for a launch id the sandbox never issued", async () => {
    const { params } = authorizeParams(base, { launch: "forged-launch" });
    expect(locationParams(await get(authorizeUrl(params))).get("error")).toBe("invalid_request");
  });

  it("redirects invalid_scope when there is neither a launch nor launch/patient", async () => {
    const { params } = authorizeParams(base, { scope: "openid patient/Observation.rs" });
    expect(locationParams(await get(authorizeUrl(params))).get("error")).toBe("invalid_scope");
  });

  it("drops scopes it does not grant (system) and keeps v1 scopes; no refresh token unless asked", async () => {
    const launch = await launchId(base, "her2-ihc3");
    const { params, verifier } = authorizeParams(base, {
      launch,
      scope: "launch system/Observation.rs patient/Observation.read patient/Patient.read",
    });
    const code = locationParams(await get(authorizeUrl(params))).get("code") ?? "";
    const body = (await (await exchangeCode(base, code, verifier)).json()) as TokenBody;
    expect(body.scope).toBe("launch patient/Observation.read patient/Patient.read");
    expect(body.refresh_token).toBeUndefined();
  });
});

describe("refresh tokens (SMART App Launch 2.x: online_access / offline_access)", () => {
  const refresh = (refreshToken: string) =>
    postForm(`${base}/auth/token`, {
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      client_id: "her2-smart-sandbox",
    });
  const patientRead = (token: string) =>
    get(`${base}/fhir/Patient/her2-ihc3`, { authorization: `Bearer ${token}` });

  it("issues a refresh token when online_access is granted, and refreshes to a working access token", async () => {
    const { body } = await ehrLaunchToken(base, "her2-ihc3", { scope: `${APP_SCOPES} online_access` });
    expect(body.scope?.split(" ")).toContain("online_access");
    expect(typeof body.refresh_token).toBe("string");
    const res = await refresh(String(body.refresh_token));
    expect(res.status).toBe(200);
    const renewed = (await res.json()) as TokenBody;
    expect(renewed.access_token).toBeTruthy();
    expect(renewed.access_token).not.toBe(body.access_token);
    expect((await patientRead(renewed.access_token ?? "")).status).toBe(200);
  });

  it("makes tokens expire after the expire:<s> fault's lifetime, and says so in expires_in", async () => {
    const { body } = await ehrLaunchToken(base, "her2-ihc3", { fail: "expire:1" });
    expect(body.expires_in).toBeLessThanOrEqual(1);
    expect(body.refresh_token).toBeUndefined();
    const token = body.access_token ?? "";
    expect((await patientRead(token)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await patientRead(token)).status).toBe(401);
  });

  it("refuses the refresh token of a launch with the refresh-fail fault (400 invalid_grant)", async () => {
    const { body } = await ehrLaunchToken(base, "her2-ihc3", {
      scope: `${APP_SCOPES} offline_access`,
      fail: "refresh-fail",
    });
    const res = await refresh(String(body.refresh_token));
    expect(res.status).toBe(400);
    expect(((await res.json()) as TokenBody).error).toBe("invalid_grant");
  });
});

describe("RFC 6749 / RFC 7636 details", () => {
  const patientRead = (token: string) =>
    get(`${base}/fhir/Patient/her2-ihc3`, { authorization: `Bearer ${token}` });

  it("revokes the token issued from a code when the code is replayed (RFC 6749 §4.1.2)", async () => {
    const { code, verifier } = await codeFor("her2-ihc3");
    const first = (await (await exchangeCode(base, code, verifier)).json()) as TokenBody;
    const token = first.access_token ?? "";
    expect((await patientRead(token)).status).toBe(200);
    const replay = await exchangeCode(base, code, verifier);
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as TokenBody).error).toBe("invalid_grant");
    const afterReplay = await patientRead(token);
    expect(afterReplay.status).toBe(401);
    expect(afterReplay.headers.get("www-authenticate")).toContain("invalid_token");
  });

  it("a replay revokes only that code's token, not another launch's", async () => {
    const one = await codeFor("her2-ihc3");
    const other = await codeFor("her2-ihc3");
    const oneToken = ((await (await exchangeCode(base, one.code, one.verifier)).json()) as TokenBody)
      .access_token;
    const otherToken = ((await (await exchangeCode(base, other.code, other.verifier)).json()) as TokenBody)
      .access_token;
    await exchangeCode(base, one.code, one.verifier);
    expect((await patientRead(oneToken ?? "")).status).toBe(401);
    expect((await patientRead(otherToken ?? "")).status).toBe(200);
  });

  it.each([
    ["42 characters (too short)", "a".repeat(42)],
    ["129 characters (too long)", "a".repeat(129)],
    ["a character outside the unreserved set", `${"a".repeat(42)}+`],
    ["base64 padding", `${"a".repeat(43)}=`],
  ])("refuses a code_challenge of %s with invalid_request (RFC 7636 §4.1)", async (_what, challenge) => {
    const launch = await launchId(base, "her2-ihc3");
    const { params } = authorizeParams(base, { launch, code_challenge: challenge });
    const query = locationParams(await get(authorizeUrl(params)));
    expect(query.get("error")).toBe("invalid_request");
    expect(query.get("error_description")).toContain("code_challenge");
    expect(query.get("state")).toBe(params.state);
    expect(query.get("code")).toBeNull();
  });

  it("accepts code_challenge lengths 43 and 128 of the unreserved set", async () => {
    for (const challenge of ["A".repeat(43), `${"a-._~Z9".repeat(18)}aa`]) {
      expect(challenge.length === 43 || challenge.length === 128).toBe(true);
      const launch = await launchId(base, "her2-ihc3");
      const { params } = authorizeParams(base, { launch, code_challenge: challenge });
      expect(locationParams(await get(authorizeUrl(params))).get("code")).not.toBeNull();
    }
  });
});

describe("scopes the sandbox grants", () => {
  async function grantedScope(scope: string): Promise<TokenBody> {
    const launch = await launchId(base, "her2-ihc3");
    const { params, verifier } = authorizeParams(base, { launch, scope });
    const redirect = locationParams(await get(authorizeUrl(params)));
    const code = redirect.get("code");
    if (code === null) return { error: redirect.get("error") ?? "no code" };
    return (await (await exchangeCode(base, code, verifier)).json()) as TokenBody;
  }

  it("grants only the read part of write scopes to this read-only app", async () => {
    const body = await grantedScope(
      "launch patient/Observation.cruds patient/Patient.* patient/Condition.write patient/Specimen.cud " +
        "patient/DiagnosticReport.rs",
    );
    expect(body.scope).toBe("launch patient/Observation.rs patient/Patient.read patient/DiagnosticReport.rs");
  });

  it("refuses a request whose only resource scopes are write scopes (invalid_scope)", async () => {
    expect((await grantedScope("launch patient/Observation.cud patient/Condition.write")).error).toBe(
      "invalid_scope",
    );
  });

  it("grants a category-limited v2 scope as asked", async () => {
    const scope = "launch patient/Observation.rs?category=laboratory";
    expect((await grantedScope(scope)).scope).toBe(scope);
  });

  it("does not grant granular scopes it cannot enforce", async () => {
    const body = await grantedScope(
      "launch patient/Patient.rs patient/*.rs?category=laboratory patient/Observation.rs?unknown-param=1 " +
        "patient/Condition.rs?code:in=http://example.org/vs patient/Specimen.rs?subject.name=x",
    );
    expect(body.scope).toBe("launch patient/Patient.rs");
  });

  it("grants several limits on one type only when they combine into one parameter", async () => {
    const body = await grantedScope(
      "launch patient/Observation.rs?category=laboratory patient/Observation.rs?category=vital-signs " +
        "patient/Observation.rs?code=http://loinc.org|85319-2",
    );
    expect(body.scope).toBe(
      "launch patient/Observation.rs?category=laboratory patient/Observation.rs?category=vital-signs",
    );
  });
});

describe("standalone launch (patient picker)", () => {
  const standalone = () => authorizeParams(base, { scope: APP_SCOPES.replace("launch ", "launch/patient ") });

  it("shows an accessible picker listing the patients, with Allow and Deny", async () => {
    const { params } = standalone();
    const res = await get(authorizeUrl(params));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(/<legend>Patient<\/legend>/);
    expect(html).toContain('value="her2-ihc2-no-ish"');
    expect(html).toMatch(/<label for="patient-\d+">Julia Novak/);
    expect(html).toContain('name="decision" value="deny"');
  });

  it("continues with the chosen patient after Allow", async () => {
    const { params, verifier } = standalone();
    const res = await postForm(`${base}/auth/authorize`, {
      ...params,
      patient: "her2-ihc2-no-ish",
      decision: "allow",
    });
    const query = locationParams(res);
    expect(query.get("state")).toBe(params.state);
    const token = (await (await exchangeCode(base, query.get("code") ?? "", verifier)).json()) as TokenBody;
    expect(token.patient).toBe("her2-ihc2-no-ish");
  });

  it("redirects error=access_denied after Deny", async () => {
    const { params } = standalone();
    const query = locationParams(await postForm(`${base}/auth/authorize`, { ...params, decision: "deny" }));
    expect(query.get("error")).toBe("access_denied");
    expect(query.get("state")).toBe(params.state);
    expect(query.get("code")).toBeNull();
  });

  it("shows the picker again when Allow is pressed for an unknown patient", async () => {
    const { params } = standalone();
    const res = await postForm(`${base}/auth/authorize`, { ...params, patient: "nobody", decision: "allow" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Choose a patient");
  });
});

describe("an app on another origin (appOrigin)", () => {
  const appOrigin = "https://her2-app.example.org";
  let other: RunningSandbox;
  beforeAll(async () => {
    other = await startSandbox({ port: 0, appOrigin });
  });
  afterAll(() => other.close());

  it("accepts a redirect_uri on that origin only", async () => {
    const launch = await launchId(other.url, "her2-ihc3");
    const ok = authorizeParams(other.url, { launch, redirect_uri: `${appOrigin}/index.html` }).params;
    const res = await get(`${other.url}/auth/authorize?${new URLSearchParams(ok).toString()}`);
    expect(res.headers.get("location")?.startsWith(`${appOrigin}/index.html?code=`)).toBe(true);
    const elsewhere = authorizeParams(other.url, {
      launch,
      redirect_uri: "https://other.example.org/index.html",
    }).params;
    expect(
      (await get(`${other.url}/auth/authorize?${new URLSearchParams(elsewhere).toString()}`)).status,
    ).toBe(400);
  });

  it("answers CORS preflights for that origin, and not for others", async () => {
    const preflight = (origin: string) =>
      fetch(`${other.url}/fhir/Patient/her2-ihc3`, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "GET",
          "access-control-request-headers": "authorization",
        },
      });
    const allowed = await preflight(appOrigin);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(appOrigin);
    expect(allowed.headers.get("access-control-allow-headers")).toContain("authorization");
    const refused = await preflight("https://evil.example");
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
  });
});
