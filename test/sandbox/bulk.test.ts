// @vitest-environment node
/**
 * The sandbox's Bulk Data server and its SMART Backend Services token endpoint, over real HTTP (issue 14), and the
 * client's token renewal against it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBulkFaults } from "../../sandbox/bulk";
import { type RunningSandbox, startSandbox } from "../../sandbox/server";
import { BackendToken } from "../../src/bulk/backend-token";
import { allowLoopbackRequests } from "./helpers";

allowLoopbackRequests();

const jwks = JSON.parse(
  readFileSync(join(import.meta.dirname, "../../sandbox/backend-client/private-jwks.json"), "utf8"),
) as JSONWebKeySet;
const CLIENT = "her2-bulk-sandbox";
const keyOf = (alg: string): JWK => jwks.keys.find((k) => k.alg === alg) as JWK;

let sandbox: RunningSandbox;
let base: string;
let tokenUrl: string;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, bulk: { retryAfterS: 0, pollsBeforeDone: 0 } });
  base = `${sandbox.url}/fhir`;
  tokenUrl = `${sandbox.url}/auth/token`;
});
afterAll(() => sandbox.close());

interface Claims {
  iss?: string;
  aud?: string;
  exp?: number;
  jti?: string;
}

async function assertion(key: JWK, claims: Claims = {}, alg = key.alg ?? "ES384"): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg, kid: key.kid ?? "", typ: "JWT" })
    .setIssuer(claims.iss ?? CLIENT)
    .setSubject(claims.iss ?? CLIENT)
    .setAudience(claims.aud ?? tokenUrl)
    .setExpirationTime(claims.exp ?? now + 240)
    .setJti(claims.jti ?? crypto.randomUUID())
    .sign(await importJWK(key, alg));
}

async function token(
  jwt: string,
  scope = "system/*.rs",
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      scope,
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: jwt,
    }).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function accessToken(scope = "system/*.rs"): Promise<string> {
  const { body } = await token(await assertion(keyOf("ES384")), scope);
  return String(body.access_token);
}

describe("SMART Backend Services token endpoint", () => {
  it("is advertised: private_key_jwt with RS384/ES384, client_credentials, system scopes", async () => {
    const config = (await (await fetch(`${base}/.well-known/smart-configuration`)).json()) as Record<
      string,
      string[]
    >;
    expect(config.token_endpoint_auth_methods_supported).toContain("private_key_jwt");
    expect(config.token_endpoint_auth_signing_alg_values_supported).toEqual(["RS384", "ES384"]);
    expect(config.grant_types_supported).toContain("client_credentials");
    expect(config.scopes_supported).toContain("system/*.rs");
    expect(config.capabilities).toContain("client-confidential-asymmetric");
  });

  it.each(["ES384", "RS384"])("issues a short-lived system token for a %s assertion", async (alg) => {
    const { status, body } = await token(await assertion(keyOf(alg)), "system/*.rs");
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: "bearer", expires_in: 300, scope: "system/*.rs" });
  });

  it("grants reads only: system/*.cruds becomes system/*.rs; no system scope is invalid_scope", async () => {
    expect((await token(await assertion(keyOf("ES384")), "system/*.cruds")).body.scope).toBe("system/*.rs");
    const none = await token(await assertion(keyOf("ES384")), "patient/*.rs");
    expect(none.status).toBe(400);
    expect(none.body.error).toBe("invalid_scope");
  });

  it("refuses a replayed jti, a wrong aud, an exp beyond five minutes, an unregistered key and HS256", async () => {
    const replayed = await assertion(keyOf("ES384"), { jti: "once" });
    expect((await token(replayed)).status).toBe(200);
    const again = await token(replayed);
    expect(again).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    expect(String(again.body.error_description)).toContain("jti was used before");

    const wrongAud = await token(await assertion(keyOf("ES384"), { aud: `${base}/token` }));
    expect(wrongAud.status).toBe(401);
    expect(String(wrongAud.body.error_description)).toContain('"aud"');

    const tooLong = await token(
      await assertion(keyOf("ES384"), { exp: Math.floor(Date.now() / 1000) + 3600 }),
    );
    expect(String(tooLong.body.error_description)).toContain("more than five minutes");

    const { privateKey } = await generateKeyPair("ES384", { extractable: true });
    const stranger = { ...(await exportJWK(privateKey)), kid: "her2-bulk-sandbox-es384", alg: "ES384" };
    const forged = await token(await assertion(stranger));
    expect(forged.status).toBe(401);
    expect(String(forged.body.error_description)).toContain("signature verification failed");

    const hmac = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(CLIENT)
      .setSubject(CLIENT)
      .setAudience(tokenUrl)
      .setExpirationTime("4m")
      .setJti("h")
      .sign(new TextEncoder().encode("a shared secret of thirty-two bytes!"));
    expect(String((await token(hmac)).body.error_description)).toContain("RS384 or ES384");
  });
});

describe("$export on the sandbox", () => {
  const kickOff = async (path: string, bearer: string, prefer = "respond-async"): Promise<Response> =>
    fetch(`${base}/${path}`, {
      headers: { authorization: `Bearer ${bearer}`, accept: "application/fhir+json", prefer },
    });

  it("needs Prefer: respond-async and a system token", async () => {
    const bearer = await accessToken();
    expect((await kickOff("Group/her2-breast-cancer/$export", bearer, "")).status).toBe(400);
    expect((await kickOff("Group/her2-breast-cancer/$export", "not-a-token")).status).toBe(401);
  });

  it("Patient/$export with _typeFilter: only the matching Observations; DELETE ends the job", async () => {
    const bearer = await accessToken();
    const filter = `Observation?code=${encodeURIComponent("http://loinc.org|18474-7")}`;
    const res = await kickOff(
      `Patient/$export?_type=Observation&_typeFilter=${encodeURIComponent(filter)}`,
      bearer,
    );
    expect(res.status).toBe(202);
    const statusUrl = res.headers.get("content-location") ?? "";
    const status = await fetch(statusUrl, { headers: { authorization: `Bearer ${bearer}` } });
    expect(status.status).toBe(200);
    const manifest = (await status.json()) as {
      requiresAccessToken: boolean;
      output: { url: string; count: number }[];
    };
    expect(manifest.requiresAccessToken).toBe(true);
    const file = manifest.output[0]?.url ?? "";
    expect((await fetch(file)).status).toBe(401);
    const lines = (await (await fetch(file, { headers: { authorization: `Bearer ${bearer}` } })).text())
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { code: { coding: { code: string }[] } });
    expect(lines.length).toBe(manifest.output[0]?.count);
    expect(lines.length).toBeGreaterThan(0);
    for (const o of lines) expect(o.code.coding.map((c) => c.code)).toContain("18474-7");

    const deleted = await fetch(statusUrl, {
      method: "DELETE",
      headers: { authorization: `Bearer ${bearer}` },
    });
    expect(deleted.status).toBe(202);
    expect((await fetch(statusUrl, { headers: { authorization: `Bearer ${bearer}` } })).status).toBe(404);
  });

  it("reports each job it builds, with the files and resources its manifest lists (the benchmark's server time)", async () => {
    const jobs: { ms: number; files: number; resources: number }[] = [];
    const own = await startSandbox({
      port: 0,
      bulk: { retryAfterS: 0, pollsBeforeDone: 0, resourcesPerFile: 7, onJobBuilt: (job) => jobs.push(job) },
    });
    try {
      const token = new BackendToken(`${own.url}/fhir`, { clientId: CLIENT, jwks, scope: "system/*.rs" });
      const bearer = await token.get();
      const res = await fetch(`${own.url}/fhir/Group/her2-breast-cancer/$export?_type=Patient,Observation`, {
        headers: { authorization: `Bearer ${bearer}`, prefer: "respond-async" },
      });
      expect(res.status).toBe(202);
      expect(jobs).toHaveLength(1);
      const statusUrl = res.headers.get("content-location") ?? "";
      const manifest = (await (
        await fetch(statusUrl, { headers: { authorization: `Bearer ${bearer}` } })
      ).json()) as {
        output: { type: string; count: number }[];
      };
      expect(new Set(manifest.output.map((f) => f.type))).toEqual(new Set(["Patient", "Observation"]));
      expect(manifest.output.length).toBeGreaterThan(2);
      expect(jobs[0]?.files).toBe(manifest.output.length);
      expect(jobs[0]?.resources).toBe(manifest.output.reduce((n, f) => n + f.count, 0));
      expect(jobs[0]?.ms).toBeGreaterThan(0);
    } finally {
      await own.close();
    }
  });

  it("parses the fault codes of HER2_SANDBOX_BULK_FAULTS", () => {
    expect(
      parseBulkFaults(["poll-429:2,poll-429-bare,file-truncate:Observation:3", "token-expire:1"]),
    ).toEqual([
      { kind: "poll-429", times: 2, retryAfter: true },
      { kind: "poll-429", times: 1, retryAfter: false },
      { kind: "file-truncate", resourceType: "Observation", times: 3 },
      { kind: "token-expire", after: 1 },
    ]);
    expect(parseBulkFaults(["file-404"])).toEqual({
      error: 'unknown or malformed Bulk Data fault "file-404"',
    });
  });
});

describe("the client's token (src/bulk/backend-token.ts)", () => {
  it("is reused while valid and renewed a minute before it expires", async () => {
    // The client's clock also dates its assertions, which the server checks against its own: start in the past so
    // that every assertion stays within the server's five minutes.
    let now = Date.now() - 200_000;
    const client = new BackendToken(base, { clientId: CLIENT, jwks, scope: "system/*.rs" }, fetch, () => now);
    const first = await client.get();
    now += 239_000;
    expect(await client.get()).toBe(first);
    now += 2_000; // 241 s of 300: within the last minute
    const second = await client.get();
    expect(second).not.toBe(first);
    expect(client.issued).toBe(2);
  });

  it("a refusal names the client and the server's error, never an assertion or a token", async () => {
    const client = new BackendToken(base, { clientId: CLIENT, jwks, scope: "patient/*.rs" });
    await expect(client.get()).rejects.toThrow(
      /refused client "her2-bulk-sandbox" \(HTTP 400, invalid_scope: ask for system scopes/,
    );
  });
});
