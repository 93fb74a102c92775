// @vitest-environment node
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readManifest } from "../../sandbox/manifest";
import { type RunningSandbox, startSandbox } from "../../sandbox/server";
import { her2Sandbox } from "../../sandbox/vite-plugin";
import { allowLoopbackRequests, get } from "./helpers";

allowLoopbackRequests();

const manifest = readManifest("sandbox/patients/index.json");

describe("sandbox pages", () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(() => sandbox.close());

  it("lists every patient with a one-click EHR launch link to the app's launch page", async () => {
    const res = await get(`${sandbox.url}/sandbox/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const links = [...html.matchAll(/href="([^"]*\/launch\.html\?[^"]*)"/g)].map(
      (m) => new URL((m[1] ?? "").replaceAll("&amp;", "&"), sandbox.url),
    );
    const ehrLinks = links.filter((u) => u.searchParams.has("launch"));
    expect(ehrLinks).toHaveLength(manifest.patients.length);
    for (const url of ehrLinks) {
      expect(url.origin).toBe(sandbox.url);
      expect(url.searchParams.get("iss")).toBe(`${sandbox.url}/fhir`);
    }
    expect(new Set(ehrLinks.map((u) => u.searchParams.get("launch"))).size).toBe(manifest.patients.length);
    // A standalone-launch link (no launch id) is explained on the page too.
    expect(links.some((u) => !u.searchParams.has("launch"))).toBe(true);
    for (const p of manifest.patients) expect(html).toContain(p.id);
  });

  it("escapes patient names in HTML", async () => {
    const html = await (await get(`${sandbox.url}/sandbox/`)).text();
    expect(html).toContain("Sarah O&#39;Neil");
    expect(html).not.toContain("Sarah O'Neil");
  });

  it("redirects /sandbox to /sandbox/ and serves the manifest with launch URLs as JSON", async () => {
    const redirect = await get(`${sandbox.url}/sandbox`);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe("/sandbox/");
    const json = (await (await get(`${sandbox.url}/sandbox/patients.json`)).json()) as {
      patients: { id: string; launchUrl: string }[];
    };
    expect(json.patients.map((p) => p.id)).toEqual(manifest.patients.map((p) => p.id));
    expect(json.patients.every((p) => p.launchUrl.startsWith(`${sandbox.url}/launch.html?iss=`))).toBe(true);
  });

  it("leaves other paths to the app (404 from the stand-alone server)", async () => {
    expect((await get(`${sandbox.url}/index.html`)).status).toBe(404);
  });
});

describe("Vite plugin", () => {
  it("serves the sandbox before Vite's own middleware and prints the sandbox URL", async () => {
    const { createServer } = await import("vite");
    const root = mkdtempSync(join(tmpdir(), "her2-sandbox-vite-"));
    writeFileSync(join(root, "index.html"), "<!doctype html><title>app</title>");
    const lines: string[] = [];
    const server = await createServer({
      configFile: false,
      root,
      logLevel: "info",
      customLogger: {
        info: (msg: string) => lines.push(msg),
        warn: () => undefined,
        warnOnce: () => undefined,
        error: (msg: string) => lines.push(msg),
        clearScreen: () => undefined,
        hasErrorLogged: () => false,
        hasWarned: false,
      },
      server: { host: "127.0.0.1", port: 0, strictPort: false, ws: false },
      optimizeDeps: { noDiscovery: true, include: [] },
      plugins: [her2Sandbox()],
    });
    try {
      await server.listen();
      server.printUrls();
      const origin = (server.resolvedUrls?.local[0] ?? "").replace(/\/$/, "");
      expect(lines.join("\n")).toContain(`${origin}/sandbox/`);
      const page = await get(`${origin}/sandbox/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("HER2 SMART sandbox");
      const config = await get(`${origin}/fhir/.well-known/smart-configuration`);
      expect(((await config.json()) as { token_endpoint: string }).token_endpoint).toBe(
        `${origin}/auth/token`,
      );
      expect((await get(`${origin}/fhir/Patient`)).status).toBe(401);
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("serves the sandbox next to the built app in vite preview", async () => {
    const { preview } = await import("vite");
    const root = mkdtempSync(join(tmpdir(), "her2-sandbox-preview-"));
    mkdirSync(join(root, "dist"));
    writeFileSync(join(root, "dist", "index.html"), "<!doctype html><title>built app</title>");
    const server = await preview({
      configFile: false,
      root,
      logLevel: "silent",
      preview: { host: "127.0.0.1", port: 0, strictPort: false },
      plugins: [her2Sandbox()],
    });
    try {
      const origin = (server.resolvedUrls?.local[0] ?? "").replace(/\/$/, "");
      expect(await (await get(`${origin}/index.html`)).text()).toContain("built app");
      // Not the SPA fallback's index.html: the sandbox answers first.
      expect(await (await get(`${origin}/sandbox/`)).text()).toContain("HER2 SMART sandbox");
      const metadata = (await (await get(`${origin}/fhir/metadata`)).json()) as { resourceType: string };
      expect(metadata.resourceType).toBe("CapabilityStatement");
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
