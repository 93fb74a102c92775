/**
 * Tells apart a connection the app's own Content-Security-Policy refused and a server that is down: both reach the
 * code as fetch's bare `TypeError: Failed to fetch`. The policy is the build's `<meta http-equiv="Content-Security-Policy">`
 * (scripts/csp-plugin.ts); the browser's `securitypolicyviolation` events confirm it. Kept tiny: launch.html imports it.
 */

/** The connect-src sources of the page's CSP meta element, or undefined when the page has none (dev server, tests). */
export function connectSources(doc: Document = document): string[] | undefined {
  const meta = doc.querySelector('meta[http-equiv="Content-Security-Policy"]');
  const policy = meta?.getAttribute("content");
  if (!policy) return undefined;
  const directive = policy
    .split(";")
    .map((d) => d.trim().split(/\s+/))
    .find(([name]) => name === "connect-src");
  return directive?.slice(1);
}

function originOf(url: string, base: string): string | undefined {
  try {
    return new URL(url, base).origin;
  } catch {
    return undefined;
  }
}

/** A host source as a pattern: `https://*.example.org` allows any one subdomain (CSP Level 3, host-source). */
function sourcePattern(source: string): RegExp {
  const escaped = source.replace(/\/+$/, "").replace(/[.+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${escaped.replace(/\*/g, "[^/]+")}$`, "i");
}

const violations: string[] = [];

/** Starts recording connect-src violations of this page (call once, early). */
export function watchCspViolations(target: Pick<Document, "addEventListener"> = document): void {
  target.addEventListener("securitypolicyviolation", (e) => {
    if (/^connect-src/.test(e.effectiveDirective || e.violatedDirective)) violations.push(e.blockedURI);
  });
}

/**
 * The origin of `url` when the page's policy does not allow connecting to it (or the browser reported blocking it),
 * else undefined. Only the forms the build writes are understood: 'self', origins and `*.` host wildcards.
 */
export function blockedOrigin(url: string, doc: Document = document): string | undefined {
  const origin = originOf(url, doc.baseURI);
  if (origin === undefined) return undefined;
  if (violations.some((blocked) => originOf(blocked, doc.baseURI) === origin)) return origin;
  const sources = connectSources(doc);
  if (sources === undefined) return undefined;
  const pageOrigin = originOf(doc.baseURI, doc.baseURI);
  const allowed = sources.some((s) =>
    s === "'self'" ? origin === pageOrigin : sourcePattern(s).test(origin),
  );
  return allowed ? undefined : origin;
}

/** The two texts of a blocked connection: ids of src/smart/messages/ (launch.html) and, as `failure.blocked.*`, of
 * src/ui/messages/ (index.html), each catalog in its page's locale. */
export type BlockedWords = (id: "blocked.what" | "blocked.todo", values: { origin: string }) => string;

/**
 * Words for a connection the policy blocked, shared by launch.html and index.html, in the locale of the page's
 * catalog. The origin, `connect-src`, `connectSrc`, smart-config.json and SMART_DEV_ISSUERS stay as written (names
 * the integration team types).
 */
export function blockedText(origin: string, words: BlockedWords): { what: string; todo: string } {
  return { what: words("blocked.what", { origin }), todo: words("blocked.todo", { origin }) };
}
