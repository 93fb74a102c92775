import { http, HttpResponse } from "msw";
import { createHash } from "node:crypto";

/** A test SMART authorisation server + FHIR endpoint for msw, recording what the app sent. */
export const ISS = "https://ehr.example.test/fhir";
export const AUTHORIZE_URL = "https://auth.example.test/authorize";
export const TOKEN_URL = "https://auth.example.test/token";

export interface TokenRequestRecord {
  body: URLSearchParams;
}

export function base64UrlSha256(text: string): string {
  return createHash("sha256").update(text).digest("base64url");
}

export interface SmartServerOptions {
  capabilities?: string[];
  tokenResponse?: (body: URLSearchParams) => Response;
}

export function smartHandlers(options: SmartServerOptions = {}) {
  const tokenRequests: TokenRequestRecord[] = [];
  const fhirRequests: Request[] = [];
  const handlers = [
    http.get(`${ISS}/.well-known/smart-configuration`, () =>
      HttpResponse.json({
        authorization_endpoint: AUTHORIZE_URL,
        token_endpoint: TOKEN_URL,
        code_challenge_methods_supported: ["S256"],
        capabilities: options.capabilities ?? [
          "launch-ehr",
          "launch-standalone",
          "permission-v2",
          "client-public",
        ],
      }),
    ),
    http.post(TOKEN_URL, async ({ request }) => {
      const body = new URLSearchParams(await request.text());
      tokenRequests.push({ body });
      if (options.tokenResponse) return options.tokenResponse(body);
      return HttpResponse.json({
        access_token: "secret-token",
        token_type: "Bearer",
        expires_in: 3600,
        scope: "launch patient/Observation.rs",
        patient: "p1",
      });
    }),
    http.get(`${ISS}/Patient/:id`, ({ request, params }) => {
      fhirRequests.push(request);
      if (request.headers.get("authorization") !== "Bearer secret-token") {
        return HttpResponse.json({ resourceType: "OperationOutcome" }, { status: 401 });
      }
      return HttpResponse.json({
        resourceType: "Patient",
        id: String(params.id),
        name: [{ family: "Test" }],
      });
    }),
  ];
  return { handlers, tokenRequests, fhirRequests };
}
