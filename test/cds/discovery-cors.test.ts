// @vitest-environment node
/**
 * Over real HTTP (fastify on port 0): discovery's `hookVersion` (CDS Hooks 3.0 ballot) beside the 2.0 fields.
 */
import { afterEach, describe, expect, it } from "vitest";
import { allowLoopbackRequests } from "../sandbox/helpers";
import { call, clientKey, startService, type ClientKey, type RunningService } from "./helpers";

allowLoopbackRequests();

const DISCOVERY = "/cds-services";

const started: RunningService[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});
async function start(
  key: ClientKey,
  overrides: Record<string, unknown> = {},
  options = {},
): Promise<RunningService> {
  const running = await startService(key, overrides, options);
  started.push(running);
  return running;
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
