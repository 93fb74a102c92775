import type { Plugin, PreviewServer, ViteDevServer } from "vite";
import { createSandboxHandler, type SandboxHandler, type SandboxOptions } from "./server.ts";

/**
 * Vite plugin that serves the offline SMART on FHIR sandbox on the app's own origin (`npm start`,
 * `npm run preview`): `/fhir`, `/auth/authorize`, `/auth/token` and the patient list at `/sandbox/`.
 * Prints the sandbox URL with Vite's own URLs, and loads the data in the background once listening.
 */
export function her2Sandbox(options: SandboxOptions = {}): Plugin {
  const attach = (server: ViteDevServer | PreviewServer): void => {
    const handler: SandboxHandler = createSandboxHandler(options);
    server.middlewares.use(handler);
    const printUrls = server.printUrls.bind(server);
    server.printUrls = () => {
      printUrls();
      const base = server.resolvedUrls?.local[0] ?? "http://127.0.0.1:5173/";
      server.config.logger.info(`  ➜  HER2 sandbox: ${base}sandbox/  (FHIR base ${base}fhir)`);
    };
    server.httpServer?.once("listening", () => {
      const started = performance.now();
      handler.warmUp().then(
        (store) => {
          const ms = Math.round(performance.now() - started);
          server.config.logger.info(
            `  ➜  HER2 sandbox: ${store.manifest.patients.length} patients loaded in ${ms} ms`,
          );
        },
        (error: unknown) => {
          server.config.logger.error(`HER2 sandbox failed to load: ${String(error)}`);
        },
      );
    });
  };
  return {
    name: "her2-sandbox",
    configureServer: attach,
    configurePreviewServer: attach,
  };
}
