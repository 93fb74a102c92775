import { build, preview } from "vite";

export interface ServedApp {
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * Builds the app as it ships (CSP, minified bundles) into outDir and serves it with the embedded sandbox on an
 * ephemeral 127.0.0.1 port. Shared by the browser tests' global setup and scripts/screenshots.ts.
 */
export async function buildAndServe(root: string, outDir: string): Promise<ServedApp> {
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
  return {
    baseUrl: `http://127.0.0.1:${String(address.port)}`,
    close: () => server.close(),
  };
}
