import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { afterEach, expect } from "vitest";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { parseCdsConfig, type CdsConfig } from "../../src/cds/config";
import { buildCdsService, type CdsService, type CdsServiceOptions } from "../../src/cds/service";

/** The public URL the service is configured with (the JWT `aud` base), as behind a proxy. */
export const SERVICE_URL = "https://cds.her2.test/cds-services";
export const ISSUER = "https://ehr.example.test/cds-client";

export interface ClientKey {
  privateKey: CryptoKey;
  jwk: JWK;
  alg: "ES384" | "RS384";
}

/** A CDS client's signing key, its public JWK with a kid. */
export async function clientKey(alg: "ES384" | "RS384" = "ES384", kid = `k-${alg}`): Promise<ClientKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  return { privateKey, jwk, alg };
}

/** A CDS client JWT as the spec describes it; `claims` overrides or removes (undefined) any claim. */
export async function clientJwt(
  key: ClientKey,
  aud: string,
  options: {
    claims?: Record<string, unknown>;
    header?: Record<string, unknown>;
    iatOffsetS?: number;
    expInS?: number;
  } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000) + (options.iatOffsetS ?? 0);
  const claims: Record<string, unknown> = {
    iss: ISSUER,
    sub: "ehr-client-1",
    aud,
    iat: now,
    exp: now + (options.expInS ?? 300),
    jti: randomUUID(),
    ...options.claims,
  };
  const defined = Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));
  return new SignJWT(defined)
    .setProtectedHeader({ alg: key.alg, typ: "JWT", kid: key.jwk.kid, ...options.header })
    .sign(key.privateKey);
}

export interface RunningService {
  url: string;
  service: CdsService;
  config: CdsConfig;
  close(): Promise<void>;
}

/** Builds and listens (port 0, loopback), with the config's fields overridden. */
export async function startService(
  key: ClientKey,
  overrides: Record<string, unknown> = {},
  options: CdsServiceOptions = {},
): Promise<RunningService> {
  const config = parseCdsConfig({
    serviceUrl: SERVICE_URL,
    issuers: [{ iss: ISSUER, jwks: { keys: [key.jwk] } }],
    fhirServers: [],
    ...overrides,
  });
  const service = buildCdsService(config, options);
  await service.app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = service.app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${String(port)}`, service, config, close: () => service.app.close() };
}

/**
 * A test file's `start`: startService with `defaults` under the test's own options, every service started closed
 * after each test.
 */
export function serviceStarter(
  defaults: CdsServiceOptions = {},
): (
  key: ClientKey,
  overrides?: Record<string, unknown>,
  options?: CdsServiceOptions,
) => Promise<RunningService> {
  const started: RunningService[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.close()));
  });
  return async (key, overrides = {}, options = {}) => {
    const running = await startService(key, overrides, { ...defaults, ...options });
    started.push(running);
    return running;
  };
}

/** Calls the service over HTTP with a fresh JWT for the path's audience. */
export async function call(
  running: RunningService,
  key: ClientKey,
  path: string,
  body?: unknown,
  jwt?: string,
): Promise<{ status: number; body: Record<string, unknown> & { cards?: CardJson[] } }> {
  const token = jwt ?? (await clientJwt(key, `${SERVICE_URL}${path.slice("/cds-services".length)}`));
  const res = await fetch(`${running.url}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

export interface CardJson {
  uuid: string;
  summary: string;
  detail: string;
  indicator: string;
  source: { label: string; url?: string; topic?: { code: string } };
  overrideReasons: { code: string; display: string }[];
  suggestions?: { label: string; actions: { type: string; resource: Record<string, unknown> }[] }[];
  links?: { url: string; type: string; appContext?: string }[];
}

/** A card without its random ids, for comparing two answers. */
export function stable(card: CardJson): unknown {
  const { uuid, suggestions, ...rest } = card;
  expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
  return { ...rest, suggestions: suggestions?.map((s) => ({ ...s, uuid: undefined })) };
}

/** What an EHR does before calling: runs each prefetch template (first page) against the FHIR server. */
export async function fillPrefetch(
  templates: Record<string, string>,
  fhirBase: string,
  token: string,
  patientId: string,
): Promise<Record<string, unknown>> {
  const prefetch: Record<string, unknown> = {};
  for (const [key, template] of Object.entries(templates)) {
    const url = `${fhirBase}/${template.split("{{context.patientId}}").join(encodeURIComponent(patientId))}`;
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${token}`, accept: "application/fhir+json" },
    });
    prefetch[key] = await res.json();
  }
  return prefetch;
}

export function patientView(patientId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    hook: "patient-view",
    hookInstance: randomUUID(),
    context: { userId: "Practitioner/1", patientId },
    ...extra,
  };
}

/** An order-sign request whose one draft MedicationRequest (`draft-1`) has the given fields. */
export function orderSignBody(
  patientId: string,
  draft: Record<string, unknown>,
  prefetch: Record<string, unknown>,
): Record<string, unknown> {
  return {
    hook: "order-sign",
    hookInstance: randomUUID(),
    context: {
      userId: "Practitioner/1",
      patientId,
      draftOrders: {
        resourceType: "Bundle",
        type: "collection",
        entry: [
          {
            resource: {
              resourceType: "MedicationRequest",
              id: "draft-1",
              status: "draft",
              intent: "order",
              ...draft,
            },
          },
        ],
      },
    },
    prefetch,
  };
}
