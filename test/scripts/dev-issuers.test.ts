// @vitest-environment node
import { describe, expect, it } from "vitest";
import { connectSourcesFrom, cspPlugin, securityHeaders } from "../../scripts/csp-plugin";
import { devIssPattern, parseDevIssuers } from "../../scripts/dev-issuers";
import { findIssuer, parseAppConfig, withDevIssuers } from "../../src/smart/config";

const LAUNCHER = "launcher=http://127.0.0.1:8444/v/r4/fhir";
/** The SMART launcher's simulated-launch form of its base (the code is base64url JSON of the launch options). */
const SIM_ISS = "http://127.0.0.1:8444/v/r4/sim/eyJoIjoiMSIsImoiOiIxIn0/fhir";

describe("SMART_DEV_ISSUERS (issue 17.2)", () => {
  it("turns name=url entries into issuers matching the base and the launcher's /sim/<code>/ form", () => {
    const dev = parseDevIssuers(`${LAUNCHER}, sandbox2=http://localhost:9999/fhir/`, "development");
    expect(dev.map((d) => d.origin)).toEqual(["http://127.0.0.1:8444", "http://localhost:9999"]);
    expect(dev[0]?.config).toMatchObject({
      id: "dev-launcher",
      standaloneIss: "http://127.0.0.1:8444/v/r4/fhir",
      clientId: "her2-smart-dev",
      connectSrc: ["http://127.0.0.1:8444"],
    });
    const file = JSON.parse('{"issuers":[]}') as unknown;
    const config = parseAppConfig(
      withDevIssuers(
        file,
        dev.map((d) => d.config),
      ),
    );
    expect(findIssuer(config, "http://127.0.0.1:8444/v/r4/fhir")?.id).toBe("dev-launcher");
    expect(findIssuer(config, SIM_ISS)?.id).toBe("dev-launcher");
    expect(findIssuer(config, "http://localhost:9999/fhir")?.id).toBe("dev-sandbox2");
    // Another port, another path, or a sim code spanning segments is not this server.
    expect(findIssuer(config, "http://127.0.0.1:8445/v/r4/fhir")).toBeUndefined();
    expect(findIssuer(config, "http://127.0.0.1:8444/v/r3/fhir")).toBeUndefined();
    expect(findIssuer(config, "http://127.0.0.1:8444/v/r4/sim/a/b/fhir")).toBeUndefined();
    expect(findIssuer(config, "http://127.0.0.1:8444/v/r4/fhir.evil.example")).toBeUndefined();
  });

  it("escapes the base in its pattern", () => {
    expect(devIssPattern("http://127.0.0.1:8444/v/r4/fhir")).toBe(
      "http://127\\.0\\.0\\.1:8444/v/r4/(?:sim/[^/]+/)?fhir",
    );
  });

  it("takes the client id from SMART_DEV_CLIENT_ID when given", () => {
    expect(parseDevIssuers(LAUNCHER, "development", "her2-smart-test")[0]?.config.clientId).toBe(
      "her2-smart-test",
    );
  });

  it("refuses any development issuer in a production build, naming the variable", () => {
    expect(() => parseDevIssuers(LAUNCHER, "production")).toThrow(
      /SMART_DEV_ISSUERS is set, but this is a production build/,
    );
    expect(parseDevIssuers(undefined, "production")).toEqual([]);
    expect(parseDevIssuers(" , ", "production")).toEqual([]);
  });

  it.each([
    ["remote=http://ehr.example.org/fhir", /on this machine/],
    ["remote=https://192.168.1.20/fhir", /on this machine/],
    ["file=file:///tmp/fhir", /on this machine/],
    ["q=http://127.0.0.1:8444/fhir?x=1", /without query/],
    ["creds=http://u:p@127.0.0.1:8444/fhir", /without query, fragment or credentials/],
    ["http://127.0.0.1:8444/fhir", /must be name=url/],
    ["bad name=http://127.0.0.1:8444/fhir", /must be name=url/],
    ["x=not a url", /is not a URL/],
    [`${LAUNCHER},${LAUNCHER}`, /appears twice/],
  ])("refuses %s", (entry, message) => {
    expect(() => parseDevIssuers(entry, "development")).toThrow(message);
  });

  it("adds the development origins to connect-src and frame-ancestors", () => {
    const headers = securityHeaders("public/smart-config.json", ["http://127.0.0.1:8444"]);
    const csp = headers["Content-Security-Policy"];
    expect(csp).toMatch(/connect-src 'self' [^;]*http:\/\/127\.0\.0\.1:8444/);
    expect(csp).toMatch(/frame-ancestors 'self' [^;]*http:\/\/127\.0\.0\.1:8444/);
    expect(connectSourcesFrom("public/smart-config.json")).not.toContain("http://127.0.0.1:8444");
  });

  it("the Vite plugin fails a production build that has SMART_DEV_ISSUERS, and defines them otherwise", () => {
    const saved = process.env.SMART_DEV_ISSUERS;
    process.env.SMART_DEV_ISSUERS = LAUNCHER;
    try {
      const plugin = cspPlugin("public/smart-config.json");
      const hook = plugin.config;
      if (typeof hook !== "function") throw new Error("the plugin has no config hook");
      const call = (mode: string) => hook.call({} as never, {}, { mode, command: "build" });
      expect(() => call("production")).toThrow(/production build/);
      const result = call("development") as { define: Record<string, string> };
      const defined = JSON.parse(result.define.__HER2_DEV_ISSUERS__ ?? "[]") as { id: string }[];
      expect(defined.map((d) => d.id)).toEqual(["dev-launcher"]);
    } finally {
      if (saved === undefined) delete process.env.SMART_DEV_ISSUERS;
      else process.env.SMART_DEV_ISSUERS = saved;
    }
  });
});
