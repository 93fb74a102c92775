// @vitest-environment node
/**
 * Over real HTTP (fastify on port 0): discovery's `hookVersion` (CDS Hooks 3.0 ballot) beside the 2.0 fields, and CORS
 * for browser-based CDS clients (the preflight without a JWT for a configured origin, nothing for any other; the
 * sandbox allows its own origin).
 */
import { describe, expect, it } from "vitest";
import { startSandbox } from "../../sandbox/server";
import { parseCdsConfig } from "../../src/cds/config";
import { allowLoopbackRequests } from "../sandbox/helpers";
import { call, clientJwt, clientKey, SERVICE_URL, serviceStarter } from "./helpers";

allowLoopbackRequests();

const DISCOVERY = "/cds-services";
const PV = "/cds-services/her2-patient-view";
const BROWSER = "https://cds-client.example.test";

const start = serviceStarter();

function preflight(base: string, path: string, origin: string): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization, content-type",
    },
  });
}

describe("discovery hookVersion", () => {
  it("names hookVersion 1.0 for each service and keeps every CDS Hooks 2.0 field", async () => {
    const key = await clientKey();
    const running = await start(key);
    const res = await call(running, key, DISCOVERY);
    expect(res.status).toBe(200);
    const services = res.body.services as Record<string, unknown>[];
    expect(services.map((s) => [s.id, s.hook, s.hookVersion])).toEqual([
      ["her2-patient-view", "patient-view", "1.0"],
      ["her2-order-sign", "order-sign", "1.0"],
    ]);
    for (const service of services) {
      // A 2.0 client reads these and ignores the rest.
      expect(typeof service.title).toBe("string");
      expect(typeof service.description).toBe("string");
      expect(Object.keys(service.prefetch as object).length).toBeGreaterThan(0);
    }
  });
});

describe("CORS", () => {
  it("answers the preflight of a configured origin without a JWT, and the call itself carries the origin", async () => {
    const key = await clientKey();
    const running = await start(key, { corsOrigins: [BROWSER] });
    const res = await preflight(running.url, PV, BROWSER);
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(BROWSER);
    expect(res.headers.get("access-control-allow-methods")).toBe("GET, POST, OPTIONS");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toBe(
      "authorization, content-type",
    );
    expect(res.headers.get("vary")).toMatch(/origin/i);
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();

    const discovery = await fetch(`${running.url}${DISCOVERY}`, {
      headers: { origin: BROWSER, authorization: `Bearer ${await clientJwt(key, SERVICE_URL)}` },
    });
    expect(discovery.status).toBe(200);
    expect(discovery.headers.get("access-control-allow-origin")).toBe(BROWSER);
    // A 401 is readable by the browser too (its reason is the point), and still gives no cards.
    const refused = await fetch(`${running.url}${DISCOVERY}`, { headers: { origin: BROWSER } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("access-control-allow-origin")).toBe(BROWSER);
    expect(refused.headers.get("access-control-expose-headers")).toBe("WWW-Authenticate");
  });

  it("gives another origin no CORS header, and by default (no corsOrigins) allows none", async () => {
    const key = await clientKey();
    const configured = await start(key, { corsOrigins: [BROWSER] });
    for (const origin of ["https://evil.example.test", `${BROWSER}:8443`, "null"]) {
      const res = await preflight(configured.url, PV, origin);
      expect(res.headers.get("access-control-allow-origin"), origin).toBeNull();
    }
    const byDefault = await start(key);
    const res = await preflight(byDefault.url, PV, BROWSER);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    const call = await fetch(`${byDefault.url}${DISCOVERY}`, {
      headers: { origin: BROWSER, authorization: `Bearer ${await clientJwt(key, SERVICE_URL)}` },
    });
    expect(call.status).toBe(200);
    expect(call.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("the config takes exact origins only", () => {
    const base = { serviceUrl: SERVICE_URL, issuers: [] };
    expect(parseCdsConfig({ ...base, corsOrigins: ["http://127.0.0.1:5173/"] }).corsOrigins).toEqual([
      "http://127.0.0.1:5173",
    ]);
    expect(() => parseCdsConfig({ ...base, corsOrigins: ["https://x.test/app"] })).toThrow(
      /corsOrigins\[0\].*not an origin/,
    );
    expect(() => parseCdsConfig({ ...base, corsOrigins: ["*"] })).toThrow(/corsOrigins\[0\]/);
  });

  it("npm start's sandbox allows its own origin, and no other", async () => {
    const sandbox = await startSandbox({ port: 0 });
    try {
      const own = await preflight(sandbox.url, PV, sandbox.url);
      expect(own.status).toBe(204);
      expect(own.headers.get("access-control-allow-origin")).toBe(sandbox.url);
      const other = await preflight(sandbox.url, PV, BROWSER);
      expect(other.headers.get("access-control-allow-origin")).toBeNull();
    } finally {
      await sandbox.close();
    }
  });
});
