/**
 * CDS client authentication (CDS Hooks 2.0, "Trusting CDS Clients"): every request, discovery included, carries
 * `Authorization: Bearer <JWT>` signed by an allow-listed issuer. Checked here, in this order: the header is there
 * and is a JWT; `alg` is RS384 or ES384 (the spec's algorithms; never `none` or HMAC, whose key would be a shared
 * secret); `iss` is allow-listed; `jku`, when present, is on that issuer's allow-list (keys are never fetched from
 * anywhere else); the signature; `aud` equals the URL called; `exp` has not passed and `iat` is present, not in the
 * future and at most 5 minutes old (the spec: exp no more than 5 minutes after iat); `jti` is present and not seen
 * before (replay). Every failure is a reason for the 401, never cards.
 *
 * The replay cache is bounded in time and in size: a `jti` is remembered only while its token could still pass the
 * checks above (until `exp`, or `iat` + 5 minutes if that is sooner, plus the clock tolerance), and at most
 * `capacity` of them at once. When it is full of live tokens, a new token is refused with a 401 saying so, rather
 * than let the cache grow without bound or forget a token that could be replayed.
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
const MAX_AGE_S = 300;
/** Tokens remembered at once by default (5 minutes at over 300 calls a second). */
export const DEFAULT_REPLAY_CAPACITY = 100_000;

export type JwtCheck = { ok: true; iss: string; sub?: string } | { ok: false; reason: string };

/**
 * The `jti`s seen, each until the second after which its token fails the time checks anyway. Entries are grouped by
 * that second, so expiring them costs one look at each group (at most ~6 minutes of seconds), not a scan of every
 * token on every call.
 */
export class ReplayCache {
  private readonly until = new Map<string, number>();
  private readonly bySecond = new Map<number, string[]>();
  private sweptAt = -Infinity;

  constructor(readonly capacity: number = DEFAULT_REPLAY_CAPACITY) {}

  get size(): number {
    return this.until.size;
  }

  private sweep(nowS: number): void {
    if (nowS === this.sweptAt) return;
    this.sweptAt = nowS;
    for (const [second, keys] of this.bySecond) {
      if (second >= nowS) continue;
      for (const key of keys) if (this.until.get(key) === second) this.until.delete(key);
      this.bySecond.delete(second);
    }
  }

  /** Remembers `key` until `untilS`: "replay" if it is already remembered, "full" if there is no room. */
  admit(key: string, untilS: number, nowS: number): "fresh" | "replay" | "full" {
    this.sweep(nowS);
    if (this.until.has(key)) return "replay";
    if (this.until.size >= this.capacity) return "full";
    this.until.set(key, untilS);
    const group = this.bySecond.get(untilS);
    if (group) group.push(key);
    else this.bySecond.set(untilS, [key]);
    return "fresh";
  }
}

export class JwtVerifier {
  private readonly localKeys = new Map<string, JWTVerifyGetKey>();
  private readonly remoteKeys = new Map<string, JWTVerifyGetKey>();
  private readonly seen: ReplayCache;

  constructor(
    private readonly issuers: readonly TrustedIssuer[],
    private readonly now: () => number = () => Date.now(),
    replayCapacity: number = DEFAULT_REPLAY_CAPACITY,
  ) {
    this.seen = new ReplayCache(replayCapacity);
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
        maxTokenAge: MAX_AGE_S,
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
    // exp and iat are required claims, so both are numbers here; past this second the token fails jwtVerify.
    const untilS =
      Math.min(typeof exp === "number" ? exp : nowS, (typeof iat === "number" ? iat : nowS) + MAX_AGE_S) +
      CLOCK_TOLERANCE_S;
    const admitted = this.seen.admit(`${iss} ${jti}`, untilS, nowS);
    if (admitted === "replay") return { ok: false, reason: "JWT jti was already used (replay)" };
    if (admitted === "full")
      return {
        ok: false,
        reason: `the service's replay cache is full (${String(this.seen.capacity)} unexpired tokens): try again when older tokens expire`,
      };
    return { ok: true, iss, ...(typeof sub === "string" ? { sub } : {}) };
  }
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired)
    return error.claim === "iat" ? "JWT iat is more than 5 minutes old" : "JWT has expired (exp)";
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
