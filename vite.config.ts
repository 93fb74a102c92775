/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { resolve } from "node:path";
import { defineConfig } from "vite";
import { her2Sandbox } from "./sandbox/vite-plugin.ts";
import { cspPlugin } from "./scripts/csp-plugin.ts";

const root = import.meta.dirname;

export default defineConfig({
  plugins: [react(), cspPlugin(resolve(root, "public/smart-config.json")), her2Sandbox()],
  // fhirclient's own flag: use the platform's fetch and AbortController instead of bundling polyfills.
  define: { FHIRCLIENT_PURE: "true" },
  server: { host: "127.0.0.1", port: 5173 },
  preview: { host: "127.0.0.1", port: 5173 },
  resolve: {
    // fhirclient's debug logging can print token responses: replaced by a no-op in the app bundle.
    alias: [{ find: /^debug$/, replacement: resolve(root, "stubs/debug-noop/index.cjs") }],
  },
  build: {
    // React + MUI make one ~500 kB (≈170 kB gzip) chunk; the budget is enforced by test/browser/bundle-size.test.ts.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      input: {
        launch: resolve(root, "launch.html"),
        index: resolve(root, "index.html"),
      },
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          environment: "jsdom",
          setupFiles: ["./test/setup.ts"],
          include: ["test/**/*.test.{ts,tsx}"],
          exclude: ["test/browser/**"],
          // In tests `import "fhirclient"` must resolve to the browser entry, not the Node (req, res) entry.
          alias: [{ find: /^fhirclient$/, replacement: "fhirclient/lib/entry/browser" }],
          // Inlined so that vi.resetModules() gives a test a fresh fhirclient, as a new page load does.
          server: { deps: { inline: ["fhirclient"] } },
        },
      },
      {
        extends: true,
        test: {
          name: "browser",
          environment: "node",
          include: ["test/browser/**/*.test.ts"],
          globalSetup: ["./test/browser/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
