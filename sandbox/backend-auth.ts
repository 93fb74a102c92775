/**
 * SMART Backend Services on the sandbox (SMART App Launch 2.x, "Backend Services"): the `client_credentials` grant
 * with a `private_key_jwt` client assertion (RFC 7523), verified against the JWKS registered for the client, and the
 * system-level access tokens it issues, checked on the Bulk Data endpoints.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  errors as joseErrors,
  type JSONWebKeySet,
  jwtVerify,
} from "jose";
import { BACKEND_CLIENTS, BACKEND_TOKEN_LIFETIME_S } from "./config.ts";

/** The assertion type of RFC 7523 §2.2, the only one Backend Services uses. */
export const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** SMART Backend Services: "the authentication JWT SHALL be signed with RS384 or ES384". */
export const ASSERTION_ALGORITHMS = ["RS384", "ES384"];
/** SMART Backend Services: `exp` "no more than five minutes in the future". */
const MAX_ASSERTION_LIFETIME_S = 300;

/** A registered backend client and the public keys its assertions are checked against. */
export interface BackendClient {
  readonly clientId: string;
  readonly jwks: JSONWebKeySet;
}

/** What a valid system-level token stands for. */
export interface BackendGrant {
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly token: string;
}

/** A token endpoint answer: status and RFC 6749 §5.1 / §5.2 body. */
export interface TokenAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const SYSTEM_SCOPE = /^system\/(\*|[A-Z][A-Za-z]+)\.(read|c?r?u?d?s?)$/;

/** Reads the clients of config.ts (their JWKS files are relative to this folder). */
export function registeredBackendClients(): BackendClient[] {
  return BACKEND_CLIENTS.map((c) => ({
    clientId: c.clientId,
    jwks: JSON.parse(readFileSync(new URL(c.jwksFile, import.meta.url), "utf8")) as JSONWebKeySet,
  }));
}

/**
 * The read scopes of a system scope request: `system/*.rs`, `system/Observation.read`, … Writes are never granted
 * (the sandbox is read-only); `.cruds` is cut to `.rs`.
 */
export function grantSystemScopes(requested: readonly string[]): string[] {
  const granted: string[] = [];
  for (const scope of requested) {
    const match = SYSTEM_SCOPE.exec(scope);
    if (!match) continue;
    const [, type = "", access = ""] = match;
    if (access === "read") granted.push(scope);
    else {
      const reads = (access.includes("r") ? "r" : "") + (access.includes("s") ? "s" : "");
      if (reads !== "") granted.push(`system/${type}.${reads}`);
    }
  }
  return granted;
}

/** Whether system scopes let a client read (export) a resource type. */
export function systemScopeAllows(scopes: readonly string[], resourceType: string): boolean {
  return scopes.some((scope) => {
    const match = SYSTEM_SCOPE.exec(scope);
    if (!match) return false;
    const [, type, access = ""] = match;
    return (type === "*" || type === resourceType) && (access === "read" || access.includes("r"));
  });
}

/** The backend-services side of the token endpoint, and the system tokens it has issued. */
export class BackendAuth {
  private readonly tokens = new Map<string, { grant: BackendGrant; expiresAt: number }>();
  /** `jti`s already seen, until their assertion expires: a replayed assertion is refused. */
  private readonly seenJti = new Map<string, number>();

  constructor(
    private readonly clients: readonly BackendClient[],
    private readonly lifetimeS: number = BACKEND_TOKEN_LIFETIME_S,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * POST `/auth/token` with `grant_type=client_credentials`.
   * @param tokenUrl - this endpoint's absolute URL: the assertion's `aud` must be it
   */
  async token(body: Record<string, string>, tokenUrl: string): Promise<TokenAnswer> {
    const invalidClient = (description: string): TokenAnswer => ({
      status: 401,
      body: { error: "invalid_client", error_description: description },
    });
    if (body.client_assertion_type !== JWT_BEARER) {
      return {
        status: 400,
        body: {
          error: "invalid_request",
          error_description: `client_assertion_type must be ${JWT_BEARER} (SMART Backend Services)`,
        },
      };
    }
    const assertion = body.client_assertion ?? "";
    let clientId: string;
    try {
      const header = decodeProtectedHeader(assertion);
      if (!ASSERTION_ALGORITHMS.includes(header.alg ?? "")) {
        return invalidClient(`the assertion must be signed with RS384 or ES384, not ${String(header.alg)}`);
      }
      const parts = assertion.split(".");
      const payload = JSON.parse(Buffer.from(parts[1] ?? "", "base64url").toString("utf8")) as {
        iss?: unknown;
      };
      clientId = typeof payload.iss === "string" ? payload.iss : "";
    } catch {
      return invalidClient("client_assertion is not a signed JWT");
    }
    const client = this.clients.find((c) => c.clientId === clientId);
    if (client === undefined)
      return invalidClient(`the client "${clientId}" is not registered with this sandbox`);
    let payload: { jti?: unknown; exp?: unknown };
    try {
      ({ payload } = await jwtVerify(assertion, createLocalJWKSet(client.jwks), {
        issuer: clientId,
        subject: clientId,
        audience: tokenUrl,
        algorithms: ASSERTION_ALGORITHMS,
        requiredClaims: ["exp", "jti"],
        currentDate: new Date(this.now()),
      }));
    } catch (error) {
      const why =
        error instanceof joseErrors.JWKSNoMatchingKey
          ? "no key of the registered JWKS matches the assertion's kid and alg"
          : error instanceof Error
            ? error.message
            : "invalid assertion";
      return invalidClient(`the client assertion was refused: ${why}`);
    }
    const nowS = this.now() / 1000;
    const exp = Number(payload.exp);
    if (exp - nowS > MAX_ASSERTION_LIFETIME_S) {
      return invalidClient("the assertion's exp is more than five minutes in the future");
    }
    for (const [jti, until] of this.seenJti) if (until < nowS) this.seenJti.delete(jti);
    const jti = String(payload.jti);
    if (this.seenJti.has(`${clientId} ${jti}`)) return invalidClient("the assertion's jti was used before");
    this.seenJti.set(`${clientId} ${jti}`, exp);

    const scopes = grantSystemScopes((body.scope ?? "").split(/\s+/).filter((s) => s !== ""));
    if (scopes.length === 0) {
      return {
        status: 400,
        body: {
          error: "invalid_scope",
          error_description: "ask for system scopes, e.g. system/*.rs or system/Observation.read",
        },
      };
    }
    const token = randomBytes(24).toString("base64url");
    const grant: BackendGrant = { clientId, scopes, token };
    this.tokens.set(token, { grant, expiresAt: this.now() + this.lifetimeS * 1000 });
    return {
      status: 200,
      body: {
        access_token: token,
        token_type: "bearer",
        expires_in: this.lifetimeS,
        scope: scopes.join(" "),
      },
    };
  }

  /** Checks `Authorization: Bearer …` against the system tokens. */
  authenticate(authorization: string | undefined): BackendGrant | { error: string } {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
    if (token === undefined) return { error: "Missing bearer token" };
    const issued = this.tokens.get(token);
    if (issued === undefined) return { error: "Invalid token" };
    if (issued.expiresAt <= this.now()) {
      this.tokens.delete(token);
      return { error: "Access token expired" };
    }
    return issued.grant;
  }

  /** Ends a token at once (fault injection: an expired token in the middle of a download). */
  expire(token: string): void {
    this.tokens.delete(token);
  }
}
