import { readFileSync } from "node:fs";
import type { Connect, Plugin } from "vite";
import { type DevIssuer, devIssuersFromEnv } from "./dev-issuers.ts";

/**
 * The pages' security posture, built per deployment from public/smart-config.json:
 * - a strict Content-Security-Policy <meta> in the built pages. `connect-src` lists only the app's own origin and the
 *   FHIR / authorisation hosts named in the configuration (`connectSrc` per issuer), so the browser itself refuses any
 *   other host (no CDN, no analytics). Styles allow 'unsafe-inline' because Emotion (MUI) injects <style> elements
 *   at run time; scripts are 'self' only;
 * - the same policy as an HTTP header, with `frame-ancestors` (which a <meta> cannot carry) limited to the app itself
 *   and the EHR origins that embed it (`frameAncestors` per issuer), plus `X-Content-Type-Options: nosniff` and
 *   `Referrer-Policy: no-referrer`. `npm start` (vite preview) sends them; the build writes them for a static host as
 *   `_headers` (Netlify / Cloudflare Pages format) and `security-headers.nginx.conf`.
 *
 * Applied to builds and previews only: Vite's dev server injects an inline React-refresh preamble that a strict
 * policy blocks.
 *
 * Development servers from SMART_DEV_ISSUERS (scripts/dev-issuers.ts) join the policy's connect-src and
 * frame-ancestors, and reach the app's issuer list as the `__HER2_DEV_ISSUERS__` constant; a production build
 * (Vite mode "production") refuses them with a build error.
 */
export function cspPlugin(configPath: string): Plugin {
  let dev: DevIssuer[] = [];
  return {
    name: "her2-csp",
    config(_config, env) {
      dev = devIssuersFromEnv(env.mode);
      return { define: { __HER2_DEV_ISSUERS__: JSON.stringify(dev.map((d) => d.config)) } };
    },
    configResolved(resolved) {
      for (const d of dev)
        resolved.logger.warn(
          `  HER2: development issuer ${d.config.id} -> ${d.config.standaloneIss} (not for production)`,
        );
    },
    transformIndexHtml: {
      order: "post",
      handler(html, context) {
        if (context.server) return html;
        const policy = contentSecurityPolicy(connectSourcesFrom(configPath, devOrigins(dev)));
        return html.replace(
          '<meta charset="UTF-8" />',
          `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />\n    <meta name="referrer" content="no-referrer" />`,
        );
      },
    },
    generateBundle() {
      const headers = securityHeaders(configPath, devOrigins(dev));
      this.emitFile({ type: "asset", fileName: "_headers", source: netlifyHeaders(headers) });
      this.emitFile({
        type: "asset",
        fileName: "security-headers.nginx.conf",
        source: nginxHeaders(headers),
      });
    },
    configurePreviewServer(server) {
      server.middlewares.use(securityHeaderMiddleware(configPath, devOrigins(dev)));
    },
  };
}

function devOrigins(dev: readonly DevIssuer[]): string[] {
  return [...new Set(dev.map((d) => d.origin))];
}

/** Paths the embedded sandbox EHR serves itself (its own pages and APIs): they get the generic headers only. */
const SANDBOX_PATHS = /^\/(fhir|auth|sandbox)(\/|$|\?)/;

function securityHeaderMiddleware(configPath: string, dev: readonly string[]): Connect.NextHandleFunction {
  // Read per request, like the served smart-config.json: an edited configuration needs no restart.
  return (req, res, next) => {
    const headers = securityHeaders(configPath, dev);
    res.setHeader("X-Content-Type-Options", headers["X-Content-Type-Options"]);
    res.setHeader("Referrer-Policy", headers["Referrer-Policy"]);
    if (!SANDBOX_PATHS.test(req.url ?? "/")) {
      res.setHeader("Content-Security-Policy", headers["Content-Security-Policy"]);
    }
    next();
  };
}

interface SecurityHeaders {
  "Content-Security-Policy": string;
  "X-Content-Type-Options": "nosniff";
  "Referrer-Policy": "no-referrer";
}

/** @param dev - origins of development servers (SMART_DEV_ISSUERS): connected to, and allowed to frame the app */
export function securityHeaders(configPath: string, dev: readonly string[] = []): SecurityHeaders {
  const policy = contentSecurityPolicy(connectSourcesFrom(configPath, dev));
  const ancestors = ["'self'", ...frameAncestorsFrom(configPath), ...dev].join(" ");
  return {
    "Content-Security-Policy": `${policy}; frame-ancestors ${ancestors}`,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
  };
}

function netlifyHeaders(headers: SecurityHeaders): string {
  const lines = Object.entries(headers).map(([name, value]) => `  ${name}: ${value}`);
  return `/*\n${lines.join("\n")}\n`;
}

function nginxHeaders(headers: SecurityHeaders): string {
  const lines = Object.entries(headers).map(([name, value]) => `add_header ${name} "${value}" always;`);
  return `# Include in the server or location block that serves the built app.\n${lines.join("\n")}\n`;
}

/** @param dev - origins of development servers (SMART_DEV_ISSUERS, checked to be loopback there), listed after */
export function connectSourcesFrom(configPath: string, dev: readonly string[] = []): string[] {
  return [...httpsOriginsFrom(configPath, "connectSrc"), ...dev];
}

/** The EHR origins that may frame the app (Cerner PowerChart, Epic Hyperdrive, the SMART launcher's EHR frame). */
export function frameAncestorsFrom(configPath: string): string[] {
  return httpsOriginsFrom(configPath, "frameAncestors");
}

function httpsOriginsFrom(configPath: string, field: "connectSrc" | "frameAncestors"): string[] {
  const config = JSON.parse(readFileSync(configPath, "utf8")) as { issuers?: Record<string, unknown>[] };
  const hosts = new Set<string>();
  for (const issuer of config.issuers ?? []) {
    const sources = issuer[field];
    if (sources === undefined) continue;
    if (!Array.isArray(sources))
      throw new Error(`smart-config.json: ${field} must be a list of https origins`);
    for (const source of sources) {
      if (typeof source === "string" && /^https:\/\/[a-z0-9.*-]+(:\d+)?$/i.test(source)) hosts.add(source);
      else
        throw new Error(
          `smart-config.json: ${field} entry ${JSON.stringify(source)} must be an https origin`,
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
