import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type PreviewServer, build, preview } from "vite";
import { type RunningSandbox, startSandbox } from "../../sandbox/server";
import { expectNoSecretsInBrowserStorage, waitForPanel, watchedPage } from "./app-driver";
import { SKIP_BROWSER_TESTS, chromiumForSuite } from "./chromium";

const baseUrl = inject("baseUrl");
const root = resolve(import.meta.dirname, "../..");

describe.skipIf(SKIP_BROWSER_TESTS)("other SMART servers: the CSP and SMART_DEV_ISSUERS (issue 17.2)", () => {
  const browser = chromiumForSuite();

  it("says the app's security policy blocked a configured server it was not built for, instead of 'Failed to fetch'", async () => {
    // `localhost` matches the sandbox issuer's pattern, but the production build's connect-src is only 'self'
    // (127.0.0.1): the browser would refuse the discovery request.
    const port = new URL(baseUrl).port;
    const iss = `http://localhost:${port}/fhir`;
    const { page, watch } = await watchedPage(browser.context);
    await page.goto(`${baseUrl}/launch.html?iss=${encodeURIComponent(iss)}&launch=x`);
    await expect.poll(() => page.locator("h1").innerText()).toMatch(/security policy blocked the EHR server/);
    const text = await page.locator("main").innerText();
    expect(text).toContain(`http://localhost:${port}`);
    expect(text).toMatch(/Content-Security-Policy \(connect-src\)/);
    expect(text).toMatch(/SMART_DEV_ISSUERS/);
    expect(text).not.toMatch(/Failed to fetch|could not read the EHR server's SMART configuration/);
    expect([...watch.hosts]).not.toContain(`localhost:${port}`);
    await page.close();
  });

  describe("a build with SMART_DEV_ISSUERS, launched from a SMART server on another loopback port", () => {
    let sandbox: RunningSandbox;
    let app: PreviewServer;
    let appUrl: string;
    beforeAll(async () => {
      sandbox = await startSandbox({ port: 0 });
      const saved = { issuers: process.env.SMART_DEV_ISSUERS, client: process.env.SMART_DEV_CLIENT_ID };
      process.env.SMART_DEV_ISSUERS = `other=${sandbox.url}/fhir`;
      // The sandbox registers her2-smart-test; a smart-launcher-v2 takes any client id.
      process.env.SMART_DEV_CLIENT_ID = "her2-smart-test";
      const outDir = resolve(root, "artifacts/browser-dist-dev");
      const nodeEnv = process.env.NODE_ENV;
      process.env.NODE_ENV = "production";
      try {
        await build({
          root,
          mode: "development",
          logLevel: "error",
          build: { outDir, emptyOutDir: true },
        });
        app = await preview({
          root,
          mode: "development",
          logLevel: "error",
          build: { outDir },
          preview: { host: "127.0.0.1", port: 0, strictPort: false },
        });
      } finally {
        process.env.NODE_ENV = nodeEnv;
        for (const [key, value] of [
          ["SMART_DEV_ISSUERS", saved.issuers],
          ["SMART_DEV_CLIENT_ID", saved.client],
        ] as const) {
          if (value === undefined) Reflect.deleteProperty(process.env, key);
          else process.env[key] = value;
        }
      }
      const address = app.httpServer.address();
      if (address === null || typeof address === "string") throw new Error("preview has no TCP address");
      appUrl = `http://127.0.0.1:${String(address.port)}`;
    }, 180_000);
    afterAll(async () => {
      await app.close();
      await sandbox.close();
    });

    it("refuses the same configuration in a production build", async () => {
      process.env.SMART_DEV_ISSUERS = `other=${sandbox.url}/fhir`;
      try {
        await expect(
          build({
            root,
            logLevel: "silent",
            build: { write: false, outDir: resolve(root, "artifacts/never") },
          }),
        ).rejects.toThrow(/SMART_DEV_ISSUERS is set, but this is a production build/);
      } finally {
        delete process.env.SMART_DEV_ISSUERS;
      }
    });

    it("runs the whole launch against the other server: its origin is in connect-src and it is an issuer", async () => {
      const csp = (await fetch(`${appUrl}/index.html`)).headers.get("content-security-policy") ?? "";
      expect(csp).toMatch(new RegExp(`connect-src 'self'[^;]* ${sandbox.url.replace(/[.]/g, "\\.")}`));

      // The EHR side: the other server's own launch link, pointed at this build of the app.
      const redirect = await fetch(`${sandbox.url}/sandbox/launch?patient=her2-ihc3`, { redirect: "manual" });
      const launch = new URL(redirect.headers.get("location") ?? "");
      expect(launch.searchParams.get("iss")).toBe(`${sandbox.url}/fhir`);
      const { page, watch } = await watchedPage(browser.context);
      await page.goto(`${appUrl}/launch.html${launch.search}`);
      await waitForPanel(page);
      expect(await page.getByTestId("status-header").innerText()).toMatch(/positive/i);
      // The dev issuer (matched before the file's `sandbox` entry, which accepts any loopback port) sent its client id.
      const authorize = new URL(watch.urls.find((u) => u.includes("/auth/authorize")) ?? "");
      expect(authorize.searchParams.get("client_id")).toBe("her2-smart-test");
      const hosts = [...watch.hosts];
      expect(hosts).toContain(new URL(sandbox.url).host);
      expect(watch.consoleProblems.filter((m) => /Content Security Policy|Refused to/i.test(m))).toEqual([]);
      await expectNoSecretsInBrowserStorage(page);
      await page.close();
    });
  });
});
