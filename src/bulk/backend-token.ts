/**
 * SMART Backend Services (SMART App Launch 2.x, "Backend Services"): the client side. Signs a `private_key_jwt`
 * assertion (RFC 7523) with a key from the client's JWKS, RS384 or ES384, trades it for a system access token with the
 * `client_credentials` grant, and hands the token out until shortly before it expires. The token is never written to
 * any message: errors name the endpoint, the status and the server's `error`, nothing else.
 */
import { importJWK, type JSONWebKeySet, type JWK, SignJWT } from "jose";
import { BulkError } from "./errors";

/** SMART Backend Services: the assertion "SHALL be signed with RS384 or ES384" (spec, "Protocol details"). */
export const ASSERTION_ALGORITHMS: readonly string[] = ["ES384", "RS384"];
/** The assertion's lifetime: the spec allows at most five minutes. */
const ASSERTION_LIFETIME_S = 240;
/** A token is renewed this long before it expires, so a request never carries one that runs out on its way. */
export const REFRESH_MARGIN_MS = 60_000;

export interface BackendCredentials {
  readonly clientId: string;
  /** The client's keys: a JWKS holding at least one private RS384 or ES384 key. */
  readonly jwks: JSONWebKeySet;
  /** Space-separated system scopes, e.g. `system/*.rs`. */
  readonly scope: string;
  /** The token endpoint; found in `[base]/.well-known/smart-configuration` when absent. */
  readonly tokenUrl?: string;
}

type Fetch = typeof fetch;

/** The signing key of a JWKS: the first private key whose `alg` is RS384 or ES384. */
export function signingKey(jwks: JSONWebKeySet): JWK & { alg: string; kid: string } {
  const key = jwks.keys.find(
    (k) => typeof k.alg === "string" && ASSERTION_ALGORITHMS.includes(k.alg) && typeof k.d === "string",
  );
  if (key === undefined || typeof key.kid !== "string") {
    throw new BulkError(
      "usage",
      "the key file holds no private RS384 or ES384 key with a kid (SMART Backend Services needs one)",
      undefined,
      { what: "no-signing-key" },
    );
  }
  return key as JWK & { alg: string; kid: string };
}

/** Finds the token endpoint of a FHIR server (SMART discovery). */
export async function discoverTokenUrl(base: string, fetchFn: Fetch = fetch): Promise<string> {
  const url = `${base.replace(/\/+$/, "")}/.well-known/smart-configuration`;
  let response: Response;
  try {
    response = await fetchFn(url, { headers: { accept: "application/json" } });
  } catch (error) {
    throw new BulkError("network", `cannot reach ${url} (${String(error)})`, undefined, {
      what: "unreachable",
      url,
      error: String(error),
    });
  }
  const body = (await response.json().catch(() => ({}))) as { token_endpoint?: unknown };
  if (!response.ok || typeof body.token_endpoint !== "string") {
    throw new BulkError(
      "auth",
      `${url} names no token_endpoint (HTTP ${String(response.status)})`,
      undefined,
      {
        what: "no-token-endpoint",
        url,
        status: response.status,
      },
    );
  }
  return body.token_endpoint;
}

/** A system access token, renewed before it expires. */
export class BackendToken {
  private current: { token: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;
  private tokenUrl: string | undefined;
  /** How many tokens were obtained (for the tests and the final summary). */
  issued = 0;

  constructor(
    private readonly base: string,
    private readonly credentials: BackendCredentials,
    private readonly fetchFn: Fetch = fetch,
    private readonly now: () => number = Date.now,
  ) {
    this.tokenUrl = credentials.tokenUrl;
  }

  /** A token valid for at least REFRESH_MARGIN_MS more (or half its lifetime, for very short ones). */
  async get(): Promise<string> {
    const current = this.current;
    if (current !== undefined && current.expiresAt > this.now()) return current.token;
    this.pending ??= this.obtain().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Forgets a token the server refused (401): the next get() asks for a new one. */
  invalidate(token: string): void {
    if (this.current?.token === token) this.current = undefined;
  }

  private async obtain(): Promise<string> {
    const tokenUrl = (this.tokenUrl ??= await discoverTokenUrl(this.base, this.fetchFn));
    const assertion = await this.assertion(tokenUrl);
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      scope: this.credentials.scope,
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: assertion,
    });
    let response: Response;
    try {
      response = await this.fetchFn(tokenUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: form.toString(),
      });
    } catch (error) {
      throw new BulkError(
        "network",
        `cannot reach the token endpoint ${tokenUrl} (${String(error)})`,
        undefined,
        {
          what: "token-unreachable",
          url: tokenUrl,
          error: String(error),
        },
      );
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok || typeof body.access_token !== "string") {
      const why = [body.error, body.error_description].filter((v) => typeof v === "string").join(": ");
      const client = this.credentials.clientId;
      throw new BulkError(
        "auth",
        `the token endpoint ${tokenUrl} refused client "${client}" (HTTP ${String(response.status)}${why === "" ? "" : `, ${why}`})`,
        undefined,
        { what: "token-refused", url: tokenUrl, client, status: response.status, said: why },
      );
    }
    const lifetimeMs = (typeof body.expires_in === "number" ? body.expires_in : 300) * 1000;
    // Renewed a minute before expiry, or half-way through a token shorter than two minutes.
    const margin = Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2);
    this.current = { token: body.access_token, expiresAt: this.now() + lifetimeMs - margin };
    this.issued++;
    return body.access_token;
  }

  /**
   * The signed `private_key_jwt` assertion. A key the JOSE library cannot use (an `alg` that does not fit its `kty`, a
   * damaged or too short key) fails with the library's own words as the message, as before, and with them as facts.
   */
  private async assertion(tokenUrl: string): Promise<string> {
    const key = signingKey(this.credentials.jwks);
    try {
      const privateKey = await importJWK(key, key.alg);
      return await new SignJWT({})
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "JWT" })
        .setIssuer(this.credentials.clientId)
        .setSubject(this.credentials.clientId)
        .setAudience(tokenUrl)
        .setJti(crypto.randomUUID())
        .setExpirationTime(Math.floor(this.now() / 1000) + ASSERTION_LIFETIME_S)
        .sign(privateKey);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new BulkError("usage", message, undefined, { what: "key-unusable", error: message });
    }
  }
}
