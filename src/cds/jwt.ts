/**
 * CDS client authentication (CDS Hooks 2.0, "Trusting CDS Clients"): every request, discovery included, carries
 * `Authorization: Bearer <JWT>` signed by an allow-listed issuer. Checked here, in this order: the header is there
 * and is a JWT; `alg` is RS384 or ES384 (the spec's algorithms; never `none` or HMAC, whose key would be a shared
 * secret); `iss` is allow-listed; `jku`, when present, is on that issuer's allow-list (keys are never fetched from
 * anywhere else); the signature; `aud` equals the URL called; `exp` has not passed and `iat` is present, not in the
 * future and at most 5 minutes old (the spec: exp no more than 5 minutes after iat); `jti` is present and not seen
 * before (replay). Every failure is a reason for the 401, never cards.
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTVerifyGetKey,
} from "jose";
import type { TrustedIssuer } from "./config";

/** The only signing algorithms accepted (CDS Hooks 2.0: ES384 and RS384). */
export const ALGORITHMS = ["RS384", "ES384"] as const;
/** Clock skew tolerated between the EHR and the service. */
const CLOCK_TOLERANCE_S = 30;
const MAX_AGE = "5m";

export type JwtCheck = { ok: true; iss: string; sub?: string } | { ok: false; reason: string };

export class JwtVerifier {
  private readonly localKeys = new Map<string, JWTVerifyGetKey>();
  private readonly remoteKeys = new Map<string, JWTVerifyGetKey>();
  /** jti -> expiry (s): a token seen before its expiry is a replay. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly issuers: readonly TrustedIssuer[],
    private readonly now: () => number = () => Date.now(),
  ) {
    for (const issuer of issuers)
      if (issuer.jwks) this.localKeys.set(issuer.iss, createLocalJWKSet(issuer.jwks));
  }

  private keysFor(issuer: TrustedIssuer, jku: string | undefined): JWTVerifyGetKey | string {
    if (jku !== undefined) {
      if (!(issuer.jwksUrls ?? []).includes(jku.replace(/\/+$/, "")))
        return `the jku ${jku} is not on the allow-list for issuer ${issuer.iss}`;
      return this.remote(jku);
    }
    const local = this.localKeys.get(issuer.iss);
    if (local) return local;
    const first = issuer.jwksUrls?.[0];
    return first === undefined ? `no keys are configured for issuer ${issuer.iss}` : this.remote(first);
  }

  private remote(url: string): JWTVerifyGetKey {
    let keys = this.remoteKeys.get(url);
    if (!keys) {
      keys = createRemoteJWKSet(new URL(url), { timeoutDuration: 3000 });
      this.remoteKeys.set(url, keys);
    }
    return keys;
  }

  /**
   * Verifies the Authorization header of a request to `audience` (the URL called, without its query).
   */
  async verify(authorization: string | undefined, audience: string): Promise<JwtCheck> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
    if (!match?.[1]) return { ok: false, reason: "missing bearer JWT in the Authorization header" };
    const token = match[1];
    let header: ReturnType<typeof decodeProtectedHeader>;
    let claims: Record<string, unknown>;
    try {
      header = decodeProtectedHeader(token);
      const payload = token.split(".")[1] ?? "";
      claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    } catch {
      return { ok: false, reason: "the Authorization header is not a JWT" };
    }
    if (!ALGORITHMS.includes(header.alg as (typeof ALGORITHMS)[number]))
      return { ok: false, reason: `JWT alg ${String(header.alg)} is not allowed (RS384 or ES384 only)` };
    const iss = claims.iss;
    const issuer = this.issuers.find((i) => i.iss === iss);
    if (typeof iss !== "string" || !issuer)
      return { ok: false, reason: `JWT iss ${JSON.stringify(iss ?? null)} is not a trusted CDS client` };
    const keys = this.keysFor(issuer, header.jku);
    if (typeof keys === "string") return { ok: false, reason: keys };
    const nowS = Math.floor(this.now() / 1000);
    let verified: Awaited<ReturnType<typeof jwtVerify>>;
    try {
      verified = await jwtVerify(token, keys, {
        algorithms: [...ALGORITHMS],
        issuer: iss,
        audience: audience.replace(/\/+$/, ""),
        requiredClaims: ["iat", "exp", "jti"],
        maxTokenAge: MAX_AGE,
        clockTolerance: CLOCK_TOLERANCE_S,
        currentDate: new Date(nowS * 1000),
      });
    } catch (error) {
      return { ok: false, reason: describe(error) };
    }
    const { jti, exp, iat, sub } = verified.payload;
    if (typeof iat === "number" && iat > nowS + CLOCK_TOLERANCE_S)
      return { ok: false, reason: "JWT iat is in the future" };
    if (typeof jti !== "string" || jti === "") return { ok: false, reason: "JWT jti is missing" };
    for (const [id, expiry] of this.seen) if (expiry + CLOCK_TOLERANCE_S < nowS) this.seen.delete(id);
    const key = `${iss} ${jti}`;
    if (this.seen.has(key)) return { ok: false, reason: "JWT jti was already used (replay)" };
    this.seen.set(key, typeof exp === "number" ? exp : nowS + 300);
    return { ok: true, iss, ...(typeof sub === "string" ? { sub } : {}) };
  }
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "JWT has expired (exp)";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "aud") return "JWT aud is not this service's URL";
    if (error.claim === "iat") return "JWT iat is missing, in the future or more than 5 minutes old";
    return `JWT claim ${error.claim} is invalid: ${error.reason}`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return "JWT signature does not verify";
  if (error instanceof errors.JWKSNoMatchingKey) return "no key of the issuer matches the JWT (kid / alg)";
  if (error instanceof errors.JWKSTimeout) return "the issuer's JWK Set could not be fetched in time";
  if (error instanceof errors.JOSEAlgNotAllowed) return "JWT alg is not allowed (RS384 or ES384 only)";
  if (error instanceof errors.JOSEError) return `JWT rejected: ${error.message}`;
  return "JWT could not be verified";
}
