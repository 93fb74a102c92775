import { readFileSync } from "node:fs";
import type { Plugin } from "vite";

/**
 * Writes a strict Content-Security-Policy <meta> into the built pages. `connect-src` lists only the app's own origin
 * and the FHIR / authorisation hosts named in public/smart-config.json (`connectSrc` per issuer), so the browser
 * itself refuses any other host (no CDN, no analytics). Styles allow 'unsafe-inline' because Emotion (MUI) injects
 * <style> elements at run time; scripts are 'self' only.
 *
 * Applied to builds only: Vite's dev server injects an inline React-refresh preamble that a strict policy blocks.
 */
export function cspPlugin(configPath: string): Plugin {
  return {
    name: "her2-csp",
    apply: "build",
    transformIndexHtml(html) {
      const policy = contentSecurityPolicy(connectSourcesFrom(configPath));
      return html.replace(
        '<meta charset="UTF-8" />',
        `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />`,
      );
    },
  };
}

export function connectSourcesFrom(configPath: string): string[] {
  const config = JSON.parse(readFileSync(configPath, "utf8")) as { issuers?: { connectSrc?: unknown }[] };
  const hosts = new Set<string>();
  for (const issuer of config.issuers ?? []) {
    if (!Array.isArray(issuer.connectSrc)) continue;
    for (const source of issuer.connectSrc) {
      if (typeof source === "string" && /^https:\/\/[a-z0-9.*-]+(:\d+)?$/i.test(source)) hosts.add(source);
      else
        throw new Error(
          `smart-config.json: connectSrc entry ${JSON.stringify(source)} must be an https origin`,
        );
    }
  }
  return [...hosts].sort();
}

export function contentSecurityPolicy(connectSources: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${["'self'", ...connectSources].join(" ")}`,
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join("; ");
}
