import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inject, describe, expect, it } from "vitest";

/** The served pages' security headers (issue 16, point 9): what `npm start` sends and what the build writes. */
describe("security headers", () => {
  const baseUrl = inject("baseUrl");
  const dist = inject("distDir");
  const config = JSON.parse(readFileSync("public/smart-config.json", "utf8")) as {
    issuers: { frameAncestors?: string[] }[];
  };
  const ancestors = config.issuers.flatMap((i) => i.frameAncestors ?? []);

  it.each(["/index.html", "/launch.html", "/smart-config.json"])(
    "%s carries the CSP with frame-ancestors, nosniff and no-referrer",
    async (path) => {
      const response = await fetch(`${baseUrl}${path}`);
      expect(response.status).toBe(200);
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      const frameAncestors = /frame-ancestors ([^;]+)/.exec(csp)?.[1]?.split(" ");
      expect(frameAncestors).toEqual(["'self'", ...ancestors]);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    },
  );

  it("sends nosniff and no-referrer on the sandbox's FHIR API too", async () => {
    const response = await fetch(`${baseUrl}/fhir/metadata`);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("writes the same headers for a static host (_headers and an nginx snippet)", async () => {
    const served = (await fetch(`${baseUrl}/index.html`)).headers.get("content-security-policy");
    const netlify = readFileSync(join(dist, "_headers"), "utf8");
    expect(netlify).toContain(`Content-Security-Policy: ${served ?? "(none)"}`);
    expect(netlify).toContain("X-Content-Type-Options: nosniff");
    const nginx = readFileSync(join(dist, "security-headers.nginx.conf"), "utf8");
    expect(nginx).toContain(`add_header Content-Security-Policy "${served ?? "(none)"}" always;`);
    expect(nginx).toContain('add_header Referrer-Policy "no-referrer" always;');
  });
});
