/**
 * Development / test SMART servers on this machine, added at build or `npm start` time without editing
 * smart-config.json or the built pages:
 *
 *   SMART_DEV_ISSUERS="launcher=http://127.0.0.1:8444/v/r4/fhir" npm start
 *
 * Each `name=url` entry becomes an issuer (matched before the ones in smart-config.json) and its origin is added to the
 * pages' CSP `connect-src` and `frame-ancestors` (the SMART launcher shows the app in a frame). Only loopback hosts
 * (127.0.0.1, localhost, [::1]) are accepted, over http or https. The SMART launcher's `/sim/<code>/` form of a base
 * (`http://127.0.0.1:8444/v/r4/sim/<code>/fhir`) is matched too. `SMART_DEV_CLIENT_ID` sets their client id
 * (default `her2-smart-dev`; the launcher accepts any).
 *
 * A production build refuses them: Vite's mode `production`, the mode of `npm run build` and of a plain `vite build`
 * or `vite preview`, is a build error naming the variable. `npm start` and `npm run dev` use mode `development`.
 */

export interface DevIssuer {
  /** The issuer entry, in smart-config.json's shape (validated again by src/smart/config.ts at run time). */
  config: {
    id: string;
    name: string;
    issPattern: string;
    standaloneIss: string;
    clientId: string;
    scopeVersion: "auto";
    pkceMode: "ifSupported";
    connectSrc: string[];
  };
  /** `http://127.0.0.1:8444`: for connect-src and frame-ancestors. */
  origin: string;
}

export const DEV_ISSUERS_ENV = "SMART_DEV_ISSUERS";
export const DEV_CLIENT_ID_ENV = "SMART_DEV_CLIENT_ID";
const DEFAULT_DEV_CLIENT_ID = "her2-smart-dev";

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["127.0.0.1", "localhost", "[::1]"]);
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;

export class DevIssuerError extends Error {
  override name = "DevIssuerError";
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The issuer pattern of a base URL: the URL itself, and the SMART launcher's simulated form with `sim/<code>/` before
 * the last path segment (`/v/r4/fhir` also matches `/v/r4/sim/eyJ…/fhir`).
 */
export function devIssPattern(base: string): string {
  const cut = base.lastIndexOf("/");
  const head = base.slice(0, cut + 1);
  const last = base.slice(cut + 1);
  return `${escapeRegExp(head)}(?:sim/[^/]+/)?${escapeRegExp(last)}`;
}

/**
 * Parses SMART_DEV_ISSUERS.
 * @param text - comma-separated `name=url` entries; undefined or blank means none
 * @param mode - Vite's mode; "production" refuses any entry
 * @throws DevIssuerError naming the bad entry, or saying that a production build takes none
 */
export function parseDevIssuers(
  text: string | undefined,
  mode: string,
  clientId: string = DEFAULT_DEV_CLIENT_ID,
): DevIssuer[] {
  const entries = (text ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e !== "");
  if (entries.length === 0) return [];
  if (mode === "production") {
    throw new DevIssuerError(
      `${DEV_ISSUERS_ENV} is set, but this is a production build (Vite mode "production"): development servers ` +
        `(http, loopback) must never reach a deployed app. Unset ${DEV_ISSUERS_ENV} for a production build, or ` +
        `build with --mode development (as npm start does) for local testing.`,
    );
  }
  const seen = new Set<string>();
  return entries.map((entry) => {
    const at = entry.indexOf("=");
    const name = at > 0 ? entry.slice(0, at) : "";
    const raw = entry.slice(at + 1);
    if (!NAME.test(name)) {
      throw new DevIssuerError(
        `${DEV_ISSUERS_ENV}: "${entry}" must be name=url, with a name of letters, digits, "-" or "_"`,
      );
    }
    if (seen.has(name)) throw new DevIssuerError(`${DEV_ISSUERS_ENV}: the name "${name}" appears twice`);
    seen.add(name);
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new DevIssuerError(`${DEV_ISSUERS_ENV}: "${raw}" (for ${name}) is not a URL`);
    }
    if ((url.protocol !== "http:" && url.protocol !== "https:") || !LOOPBACK_HOSTS.has(url.hostname)) {
      throw new DevIssuerError(
        `${DEV_ISSUERS_ENV}: "${raw}" (for ${name}) must be an http(s) URL on this machine ` +
          `(127.0.0.1, localhost or [::1]); other servers belong in smart-config.json with an https connectSrc`,
      );
    }
    if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
      throw new DevIssuerError(
        `${DEV_ISSUERS_ENV}: "${raw}" (for ${name}) must be a FHIR base, without query, fragment or credentials`,
      );
    }
    const base = `${url.origin}${url.pathname}`.replace(/\/+$/, "");
    return {
      origin: url.origin,
      config: {
        id: `dev-${name}`,
        name: `${name} (development server, ${DEV_ISSUERS_ENV})`,
        issPattern: devIssPattern(base),
        standaloneIss: base,
        clientId,
        scopeVersion: "auto",
        pkceMode: "ifSupported",
        connectSrc: [url.origin],
      },
    };
  });
}

/** The dev issuers of this process's environment, for the Vite config. */
export function devIssuersFromEnv(mode: string, env: NodeJS.ProcessEnv = process.env): DevIssuer[] {
  return parseDevIssuers(env[DEV_ISSUERS_ENV], mode, env[DEV_CLIENT_ID_ENV] || DEFAULT_DEV_CLIENT_ID);
}
