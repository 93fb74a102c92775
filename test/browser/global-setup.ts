import { resolve } from "node:path";
import type { TestProject } from "vitest/node";
import { buildAndServe } from "./serve-app";

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
  const app = await buildAndServe(root, outDir);
  project.provide("baseUrl", app.baseUrl);
  project.provide("distDir", outDir);
  return async () => {
    await app.close();
  };
}
