import { resolve } from "node:path";
import type { TestProject } from "vitest/node";
import { build, preview } from "vite";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    distDir: string;
  }
}

const root = resolve(import.meta.dirname, "../..");

/**
 * Builds the app as it ships (CSP, minified bundles) and serves it with the embedded sandbox on an ephemeral
 * 127.0.0.1 port, so the browser tests run the real SMART flow against the production pages.
 */
export default async function setup(project: TestProject) {
  const outDir = resolve(root, "artifacts/browser-dist");
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build: build as production ships.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ root, logLevel: "warn", build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  const server = await preview({
    root,
    logLevel: "warn",
    build: { outDir },
    preview: { host: "127.0.0.1", port: 0, strictPort: false },
  });
  const address = server.httpServer.address();
  if (address === null || typeof address === "string") throw new Error("preview server has no TCP address");
  project.provide("baseUrl", `http://127.0.0.1:${address.port}`);
  project.provide("distDir", outDir);
  return async () => {
    await server.close();
  };
}
