/** Why a Bulk Data export stopped: what the user can do about it depends on the kind. */
export type BulkErrorKind =
  /** A wrong option or key file. */
  | "usage"
  /** The token endpoint refused the client, or the server refused its token (401). */
  | "auth"
  /** The token lacks a scope, or the client may not export this group (403). */
  | "forbidden"
  /** The group (or the status URL) does not exist (404). */
  | "not-found"
  /** The server kept failing (429 / 5xx) after the retries, or answered something the protocol does not allow. */
  | "server"
  /** The server could not be reached. */
  | "network"
  /** The server did not complete the export in the time allowed. */
  | "timeout"
  /** The user cancelled (SIGINT). */
  | "cancelled";

/**
 * What an error's English message says, as data: a caller can word it in another language (the CLI's `--locale`).
 * URLs, ids and the server's own words (`said`: OperationOutcome issues, the token endpoint's error) are as they came.
 */
export type BulkErrorFacts =
  | {
      readonly what: "http";
      readonly request: "kick-off" | "status";
      readonly url: string;
      readonly group?: string | undefined;
      readonly said: string;
    }
  | {
      readonly what: "token-refused";
      readonly url: string;
      readonly client: string;
      readonly status: number;
      readonly said: string;
    }
  | { readonly what: "timeout"; readonly duration: string }
  | { readonly what: "no-manifest"; readonly url: string }
  | { readonly what: "unreachable"; readonly url: string; readonly error: string }
  /** The JWKS holds no private RS384 / ES384 key with a kid. */
  | { readonly what: "no-signing-key" }
  /** The signing key was found but cannot sign (`error`: the JOSE library's own words). */
  | { readonly what: "key-unusable"; readonly error: string }
  /** SMART discovery: `url` (the smart-configuration) gave no token_endpoint. */
  | { readonly what: "no-token-endpoint"; readonly url: string; readonly status: number }
  | { readonly what: "token-unreachable"; readonly url: string; readonly error: string };

export class BulkError extends Error {
  constructor(
    readonly kind: BulkErrorKind,
    message: string,
    readonly status?: number,
    readonly facts?: BulkErrorFacts,
  ) {
    super(message);
    this.name = "BulkError";
  }
}
