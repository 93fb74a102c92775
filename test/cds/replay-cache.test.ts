// @vitest-environment node
/**
 * Over real HTTP (fastify on port 0): the bounded `jti` replay cache (entries expire with their token; a full cache
 * refuses with a 401 instead of growing).
 */
import { describe, expect, it } from "vitest";
import { allowLoopbackRequests } from "../sandbox/helpers";
import { clientJwt, clientKey, SERVICE_URL, serviceStarter, type RunningService } from "./helpers";

allowLoopbackRequests();

const DISCOVERY = "/cds-services";

const start = serviceStarter();

describe("jti replay cache", () => {
  async function discovery(
    running: RunningService,
    jwt: string,
  ): Promise<{ status: number; reason: string }> {
    const res = await fetch(`${running.url}${DISCOVERY}`, { headers: { authorization: `Bearer ${jwt}` } });
    const body = (await res.json()) as { issue?: { diagnostics: string }[] };
    return { status: res.status, reason: body.issue?.[0]?.diagnostics ?? "" };
  }

  it("is capped: a full cache of live tokens refuses a new one with a 401 saying so", async () => {
    const key = await clientKey();
    const running = await start(key, { replayCacheSize: 2 });
    const first = await clientJwt(key, SERVICE_URL);
    expect((await discovery(running, first)).status).toBe(200);
    expect((await discovery(running, await clientJwt(key, SERVICE_URL))).status).toBe(200);
    const third = await discovery(running, await clientJwt(key, SERVICE_URL));
    expect(third.status).toBe(401);
    expect(third.reason).toMatch(/replay cache is full \(2 unexpired tokens\)/);
    // A replay is still a replay, not "full".
    expect((await discovery(running, first)).reason).toMatch(/replay/);
  });

  it("forgets a token once it has expired (exp + tolerance), making room for new ones", async () => {
    const key = await clientKey();
    let clock = Date.now();
    const running = await start(key, { replayCacheSize: 2 }, { now: () => clock });
    const first = await clientJwt(key, SERVICE_URL, { expInS: 60 });
    expect((await discovery(running, first)).status).toBe(200);
    expect((await discovery(running, await clientJwt(key, SERVICE_URL, { expInS: 60 }))).status).toBe(200);
    expect((await discovery(running, await clientJwt(key, SERVICE_URL))).status).toBe(401);
    clock += 120_000; // past exp (60 s) + the 30 s tolerance
    const later = { iatOffsetS: 120, expInS: 60 };
    expect((await discovery(running, await clientJwt(key, SERVICE_URL, later))).status).toBe(200);
    expect((await discovery(running, await clientJwt(key, SERVICE_URL, later))).status).toBe(200);
    // The forgotten token cannot come back: it fails the time check instead.
    expect(await discovery(running, first)).toEqual({ status: 401, reason: "JWT has expired (exp)" });
  });

  it("keeps a token with a far exp no longer than iat + 5 minutes, when it fails the age check anyway", async () => {
    const key = await clientKey();
    let clock = Date.now();
    const running = await start(key, { replayCacheSize: 1 }, { now: () => clock });
    const longLived = await clientJwt(key, SERVICE_URL, { expInS: 3600 });
    expect((await discovery(running, longLived)).status).toBe(200);
    expect((await discovery(running, await clientJwt(key, SERVICE_URL))).status).toBe(401);
    clock += 340_000; // past iat + 300 s + 30 s
    expect((await discovery(running, await clientJwt(key, SERVICE_URL, { iatOffsetS: 340 }))).status).toBe(
      200,
    );
    expect((await discovery(running, longLived)).reason).toMatch(/iat/);
  });
});
