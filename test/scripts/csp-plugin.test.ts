// @vitest-environment node
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  connectSourcesFrom,
  contentSecurityPolicy,
  frameAncestorsFrom,
  securityHeaders,
} from "../../scripts/csp-plugin";

function configFile(issuers: unknown[]): string {
  const dir = mkdtempSync(join(tmpdir(), "her2-csp-"));
  const path = join(dir, "smart-config.json");
  writeFileSync(path, JSON.stringify({ issuers }));
  return path;
}

describe("Content-Security-Policy", () => {
  it("allows scripts from the app only and connections to the configured FHIR/auth origins only", () => {
    const policy = contentSecurityPolicy(["https://fhir.epic.com"]);
    const directives = new Map(
      policy.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1).join(" ")] as const),
    );
    expect(directives.get("default-src")).toBe("'none'");
    expect(directives.get("script-src")).toBe("'self'");
    expect(directives.get("connect-src")).toBe("'self' https://fhir.epic.com");
    expect(directives.get("font-src")).toBe("'self'");
    expect(policy).not.toMatch(/unsafe-eval/);
  });

  it("collects connectSrc from every issuer, sorted and without duplicates", () => {
    const path = configFile([
      { connectSrc: ["https://b.example.org", "https://a.example.org"] },
      { connectSrc: ["https://a.example.org"] },
      {},
    ]);
    expect(connectSourcesFrom(path)).toEqual(["https://a.example.org", "https://b.example.org"]);
  });

  it.each(["http://plain.example.org", "https://x.example.org/path", "*", "'unsafe-inline'"])(
    "rejects %s as a connect source",
    (source) => {
      expect(() => connectSourcesFrom(configFile([{ connectSrc: [source] }]))).toThrow(/https origin/);
    },
  );

  it("reads the shipped configuration", () => {
    expect(connectSourcesFrom("public/smart-config.json")).toContain("https://launch.smarthealthit.org");
  });
});

describe("security headers per deployment", () => {
  it("limits frame-ancestors to the app and the configured EHR origins", () => {
    const path = configFile([
      { connectSrc: ["https://ehr.example.org"], frameAncestors: ["https://ehr.example.org"] },
      { connectSrc: ["https://other.example.org"] },
    ]);
    const headers = securityHeaders(path);
    expect(headers["Content-Security-Policy"]).toMatch(
      /; frame-ancestors 'self' https:\/\/ehr\.example\.org$/,
    );
    expect(headers["Content-Security-Policy"]).toContain(
      "connect-src 'self' https://ehr.example.org https://other.example.org",
    );
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(headers["Referrer-Policy"]).toBe("no-referrer");
  });

  it("lets no other page frame the app when no issuer names a frame ancestor", () => {
    expect(securityHeaders(configFile([{ connectSrc: [] }]))["Content-Security-Policy"]).toContain(
      "frame-ancestors 'self'",
    );
  });

  it.each(["http://ehr.example.org", "*", "'none'"])("rejects %s as a frame ancestor", (source) => {
    expect(() => frameAncestorsFrom(configFile([{ frameAncestors: [source] }]))).toThrow(/https origin/);
  });
});
