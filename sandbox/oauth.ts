import type { IncomingMessage, ServerResponse } from "node:http";
import OAuth2Server from "@node-oauth/oauth2-server";
import {
  ACCESS_TOKEN_LIFETIME_S,
  AUTHORIZATION_CODE_LIFETIME_S,
  FHIR_BASE_PATH,
  REGISTERED_CLIENT_IDS,
} from "./config.ts";
import { negotiateLocale } from "../src/i18n/locales.ts";
import type { Failure } from "./failures.ts";
import { isLoopbackHost, sendHtml, sendJson, sendRedirect } from "./http.ts";
import { type Locale, t } from "./i18n.ts";
import type { LaunchRegistry } from "./launches.ts";
import type { ManifestPatient } from "./manifest.ts";
import { errorPage, patientPickerPage } from "./pages.ts";
import { REFRESH_SCOPES, grantScopes, splitScope } from "./scopes.ts";

/**
 * The "user" of an authorization: which patient was put in context, which faults ride along, and the clinician's
 * language, which the token response carries as `locale` (as EHRs send the user's preference with the launch context).
 */
export interface LaunchUser {
  readonly patientId: string;
  readonly failures: readonly Failure[];
  readonly locale?: Locale;
}

/** What a valid bearer token stands for. */
export interface TokenGrant {
  readonly patientId: string;
  readonly scopes: readonly string[];
  readonly failures: readonly Failure[];
}

interface StoredCode extends OAuth2Server.AuthorizationCode {
  user: LaunchUser;
}

/** RFC 7636 §4.1 `code-verifier = 43*128unreserved`, the form the code_challenge must also have. */
const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;

/** The OAuth 2 side of the sandbox: authorize (with the patient picker), token, and bearer checks. */
export class SandboxAuth {
  private readonly codes = new Map<string, StoredCode>();
  /** Codes already exchanged (or spent on a failed attempt), with the access tokens issued from them. */
  private readonly spentCodes = new Map<string, string[]>();
  private readonly tokens = new Map<string, OAuth2Server.Token>();
  /** Refresh tokens, issued only when `online_access` or `offline_access` was granted (SMART App Launch 2.x). */
  private readonly refreshTokens = new Map<string, OAuth2Server.RefreshToken>();
  private readonly server: OAuth2Server;

  /**
   * @param launches - the launch ids the sandbox page hands out
   * @param patients - the patients offered by the standalone picker
   * @param appOrigin - an extra origin (besides loopback) allowed in redirect URIs and CORS
   */
  constructor(
    private readonly launches: LaunchRegistry,
    private readonly patients: () => readonly ManifestPatient[],
    private readonly appOrigin: string | undefined,
  ) {
    this.server = new OAuth2Server({
      model: this.model(),
      accessTokenLifetime: ACCESS_TOKEN_LIFETIME_S,
      authorizationCodeLifetime: AUTHORIZATION_CODE_LIFETIME_S,
      // SMART's public clients have no secret; PKCE (checked in authorize) stands in for it. A public client's
      // refresh request carries its client_id only (RFC 6749 §6; fhirclient's refreshTokenWithClientId).
      requireClientAuthentication: { authorization_code: false, refresh_token: false },
      // The refresh token stays valid for the launch (the SMART launcher does the same); a new access token only.
      alwaysIssueNewRefreshToken: false,
      // Lets saveToken() add `patient` and `need_patient_banner`; saveToken returns only whitelisted fields.
      allowExtendedTokenAttributes: true,
    });
  }

  /** Redirect URIs must lead back to this machine or to the configured app origin, never elsewhere. */
  isAllowedRedirectUri(uri: string): boolean {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      return false;
    }
    if (url.hash !== "" || (url.protocol !== "http:" && url.protocol !== "https:")) return false;
    return isLoopbackHost(url.hostname) || url.origin === this.appOrigin;
  }

  /** Whether a browser origin may call the token and FHIR endpoints cross-origin. */
  isAllowedCorsOrigin(origin: string): boolean {
    return this.isAllowedRedirectUri(`${origin}/`);
  }

  /**
   * GET or POST `/auth/authorize`: checks the client and redirect URI (errors shown as a page, never redirected),
   * then PKCE, `aud` and the launch context (errors redirected as RFC 6749 §4.1.2.1 says), shows the patient
   * picker for a standalone launch, and lets the OAuth library issue the code. The pages are in the language of
   * `ui_locales` (OpenID Connect's authorize parameter), else the browser's Accept-Language.
   */
  async authorize(
    res: ServerResponse,
    params: Record<string, string>,
    origin: string,
    isFormPost: boolean,
    acceptLanguage?: string,
  ): Promise<void> {
    const locale = negotiateLocale([params.ui_locales, acceptLanguage]);
    const clientId = params.client_id ?? "";
    const redirectUri = params.redirect_uri ?? "";
    if (!REGISTERED_CLIENT_IDS.includes(clientId)) {
      sendHtml(
        res,
        400,
        errorPage(
          t(locale, "error.unknownAppTitle"),
          t(locale, "error.unknownApp", { client: clientId }),
          locale,
        ),
      );
      return;
    }
    if (!this.isAllowedRedirectUri(redirectUri)) {
      sendHtml(
        res,
        400,
        errorPage(
          t(locale, "error.redirectTitle"),
          t(locale, "error.redirect", { uri: redirectUri }),
          locale,
        ),
      );
      return;
    }
    const redirectError = (error: string, description: string): void => {
      const target = new URL(redirectUri);
      target.searchParams.set("error", error);
      target.searchParams.set("error_description", description);
      if (params.state) target.searchParams.set("state", params.state);
      sendRedirect(res, target.href);
    };
    const problem = this.checkAuthorizeRequest(params, origin);
    if (problem !== undefined) {
      redirectError(problem.error, problem.description);
      return;
    }
    const user = this.launchUser(params, isFormPost, locale);
    if (user === "picker" || user === "picker-again") {
      const again = user === "picker-again" ? t(locale, "picker.again") : undefined;
      sendHtml(
        res,
        again === undefined ? 200 : 400,
        patientPickerPage(params, this.patients(), again, locale),
      );
      return;
    }
    if ("error" in user) {
      redirectError(user.error, user.description);
      return;
    }

    const oauthParams = Object.fromEntries(
      Object.entries(params).filter(([name]) => name !== "patient" && name !== "decision"),
    );
    const request = new OAuth2Server.Request({ method: "GET", headers: {}, query: oauthParams, body: {} });
    const response = new OAuth2Server.Response();
    try {
      await this.server.authorize(request, response, { authenticateHandler: { handle: () => user } });
    } catch {
      // The library has put the RFC 6749 error redirect on `response`.
    }
    const location = response.get("location") as unknown;
    if (response.status === 302 && typeof location === "string") sendRedirect(res, location);
    else
      sendHtml(res, 400, errorPage(t(locale, "error.authorizeTitle"), t(locale, "error.authorize"), locale));
  }

  /** PKCE S256, state, response type and `aud`: the checks whose failure is redirected back to the app. */
  private checkAuthorizeRequest(
    params: Record<string, string>,
    origin: string,
  ): { error: string; description: string } | undefined {
    if (params.response_type !== "code") {
      return { error: "unsupported_response_type", description: "Only response_type=code is supported" };
    }
    if (!params.state) return { error: "invalid_request", description: "Missing parameter: state" };
    if (!params.code_challenge || params.code_challenge_method !== "S256") {
      return {
        error: "invalid_request",
        description: "PKCE is required: send code_challenge with code_challenge_method=S256",
      };
    }
    // RFC 7636 §4.1-4.2: 43-128 characters of [A-Za-z0-9-._~] (an S256 challenge is 43 base64url characters).
    if (!PKCE_VALUE.test(params.code_challenge)) {
      return {
        error: "invalid_request",
        description: "code_challenge must be 43 to 128 characters of A-Z, a-z, 0-9, '-', '.', '_' and '~'",
      };
    }
    const expectedAud = `${origin}${FHIR_BASE_PATH}`;
    if ((params.aud ?? "").replace(/\/+$/, "") !== expectedAud) {
      return { error: "invalid_request", description: `aud must be this server's FHIR base, ${expectedAud}` };
    }
    return undefined;
  }

  /**
   * The patient context: from the EHR launch id (with the sandbox page's locale), or chosen on the picker for a
   * standalone launch (with the picker's locale).
   * @returns the user, an error to redirect, or which picker page to show
   */
  private launchUser(
    params: Record<string, string>,
    isFormPost: boolean,
    locale: Locale,
  ): LaunchUser | { error: string; description: string } | "picker" | "picker-again" {
    if (params.launch) {
      const context = this.launches.resolve(params.launch);
      if (context === undefined) return { error: "invalid_request", description: "Unknown launch id" };
      if (context.failures.some((f) => f.kind === "deny")) {
        return { error: "access_denied", description: "The user denied access (sandbox failure injection)" };
      }
      return context;
    }
    if (!splitScope(params.scope).includes("launch/patient")) {
      return {
        error: "invalid_scope",
        description:
          "This sandbox needs a patient context: launch from /sandbox/ (EHR launch) or request launch/patient",
      };
    }
    if (!isFormPost) return "picker";
    if (params.decision === "deny")
      return { error: "access_denied", description: "The user denied access to the app" };
    const patientId = params.patient ?? "";
    if (!this.patients().some((p) => p.id === patientId)) return "picker-again";
    return { patientId, failures: [], locale };
  }

  /** POST `/auth/token`: the authorization-code grant, PKCE verified by the library, a single-use code. */
  async token(
    req: IncomingMessage,
    res: ServerResponse,
    body: Record<string, string>,
    cors: Record<string, string>,
  ): Promise<void> {
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter((e): e is [string, string] => typeof e[1] === "string"),
    );
    const request = new OAuth2Server.Request({ method: "POST", headers, query: {}, body });
    const response = new OAuth2Server.Response();
    try {
      await this.server.token(request, response);
    } catch {
      // The library has put the RFC 6749 §5.2 error body and status on `response`.
    }
    const responseHeaders = Object.fromEntries(
      Object.entries(response.headers ?? {}).filter(([name]) => name.toLowerCase() !== "content-type"),
    );
    sendJson(res, response.status ?? 500, response.body, "application/json", { ...responseHeaders, ...cors });
  }

  /**
   * Checks `Authorization: Bearer …`.
   * @returns the grant behind the token, or the reason it was refused
   */
  async authenticate(req: IncomingMessage): Promise<TokenGrant | { error: string }> {
    const authorization = req.headers.authorization;
    const request = new OAuth2Server.Request({
      method: req.method ?? "GET",
      headers: authorization === undefined ? {} : { authorization },
      query: {},
      body: {},
    });
    try {
      const token = await this.server.authenticate(request, new OAuth2Server.Response());
      const user = token.user as LaunchUser;
      return { patientId: user.patientId, scopes: token.scope ?? [], failures: user.failures };
    } catch (error) {
      return { error: error instanceof Error ? error.message : "Invalid token" };
    }
  }

  /**
   * RFC 6749 §4.1.2: a code used more than once is refused (the library answers invalid_grant) and the tokens
   * issued from it are revoked, since the replay suggests the code was stolen.
   */
  private revokeTokensOfReplayedCode(code: string): void {
    const issued = this.spentCodes.get(code);
    if (issued === undefined) return;
    for (const accessToken of issued) this.tokens.delete(accessToken);
    issued.length = 0;
  }

  private model(): OAuth2Server.AuthorizationCodeModel & OAuth2Server.RefreshTokenModel {
    return {
      getClient: (clientId: string) =>
        Promise.resolve(
          REGISTERED_CLIENT_IDS.includes(clientId)
            ? // The library insists on a non-empty list; validateRedirectUri() below does the real check.
              {
                id: clientId,
                grants: ["authorization_code", "refresh_token"],
                redirectUris: [`${this.appOrigin ?? "http://127.0.0.1"}/index.html`],
              }
            : false,
        ),
      validateRedirectUri: (uri: string) => Promise.resolve(this.isAllowedRedirectUri(uri)),
      validateScope: (_user, _client, scope?: string[]) => {
        const granted = grantScopes(scope ?? []);
        return Promise.resolve(granted.length > 0 ? granted : false);
      },
      saveAuthorizationCode: (code, client, user) => {
        const stored: StoredCode = { ...code, client, user: user as LaunchUser };
        this.codes.set(code.authorizationCode, stored);
        return Promise.resolve(stored);
      },
      getAuthorizationCode: (code: string) => {
        this.revokeTokensOfReplayedCode(code);
        return Promise.resolve(this.codes.get(code) ?? false);
      },
      // Deleting makes the code single-use; the library revokes before it checks the verifier.
      revokeAuthorizationCode: (code) => {
        this.spentCodes.set(code.authorizationCode, []);
        return Promise.resolve(this.codes.delete(code.authorizationCode));
      },
      saveToken: (token, client, user) => {
        const launch = user as LaunchUser;
        if (launch.failures.some((f) => f.kind === "token-error")) {
          return Promise.reject(
            new OAuth2Server.ServerError("Token exchange failed (sandbox failure injection)"),
          );
        }
        // Whitelist: spreading `token` would leak `authorizationCode` (and a refresh token nobody asked for).
        const expire = launch.failures.find((f) => f.kind === "expire");
        const saved: OAuth2Server.Token = {
          accessToken: token.accessToken,
          // The library derives expires_in from this date, so the `expire:<s>` fault is what the app is told too.
          accessTokenExpiresAt:
            expire === undefined ? token.accessTokenExpiresAt : new Date(Date.now() + expire.seconds * 1000),
          scope: token.scope,
          client,
          user,
          need_patient_banner: true,
        };
        const refreshable = (token.scope ?? []).some((s) => REFRESH_SCOPES.has(s));
        if (refreshable && token.refreshToken !== undefined) {
          saved.refreshToken = token.refreshToken;
          this.refreshTokens.set(token.refreshToken, {
            refreshToken: token.refreshToken,
            scope: token.scope,
            client,
            user,
          });
        }
        if (!launch.failures.some((f) => f.kind === "no-patient")) saved.patient = launch.patientId;
        // The clinician's language (the sandbox page's, or the picker's): a launch-context field, like `patient`.
        if (launch.locale !== undefined) saved.locale = launch.locale;
        this.tokens.set(token.accessToken, saved);
        const fromCode: unknown = token.authorizationCode;
        if (typeof fromCode === "string") this.spentCodes.get(fromCode)?.push(token.accessToken);
        return Promise.resolve(saved);
      },
      getAccessToken: (accessToken: string) => Promise.resolve(this.tokens.get(accessToken) ?? false),
      // The `refresh-fail` fault: the server no longer knows the refresh token (400 invalid_grant).
      getRefreshToken: (refreshToken: string) => {
        const stored = this.refreshTokens.get(refreshToken);
        const refused = (stored?.user as LaunchUser | undefined)?.failures.some(
          (f) => f.kind === "refresh-fail",
        );
        return Promise.resolve(stored === undefined || refused === true ? false : stored);
      },
      revokeToken: (token) => Promise.resolve(this.refreshTokens.delete(token.refreshToken)),
    };
  }
}
