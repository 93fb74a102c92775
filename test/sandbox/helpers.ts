import { createHash, randomBytes } from "node:crypto";
import { http, passthrough } from "msw";
import { beforeEach, expect } from "vitest";
import { server } from "../msw-server";

/**
 * The unit project's setup (test/setup.ts) runs msw with onUnhandledRequest:"error" and clears `sessionStorage`
 * after each test. These tests talk to a real server over loopback, in the node environment: let loopback
 * requests through, and give the setup a `sessionStorage` to clear.
 */
export function allowLoopbackRequests(): void {
  if (!("sessionStorage" in globalThis)) {
    Object.defineProperty(globalThis, "sessionStorage", {
      value: { clear: () => undefined },
      configurable: true,
    });
  }
  const allow = (): void => {
    server.use(http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()));
  };
  allow(); // for beforeAll hooks, which run before the first beforeEach
  beforeEach(allow); // again after each resetHandlers()
}

export const CLIENT_ID = "her2-smart-sandbox";

/** The scopes the app asks for (v2), as in the brief. */
export const APP_SCOPES =
  "launch openid fhirUser patient/Patient.rs patient/Observation.rs patient/Condition.rs patient/MedicationRequest.rs " +
  "patient/MedicationStatement.rs patient/MedicationAdministration.rs patient/Medication.rs patient/Specimen.rs patient/DiagnosticReport.rs";

/** A PKCE pair computed independently of the server (RFC 7636 §4.1-4.2). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** Fetch without following redirects, so the test sees the 302 and its Location. */
export function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { redirect: "manual", headers });
}

/** POSTs an urlencoded form without following redirects. */
export function postForm(url: string, form: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
  });
}

/** The query parameters of a redirect's Location. */
export function locationParams(res: Response): URLSearchParams {
  const location = res.headers.get("location");
  if (location === null) throw new Error(`expected a redirect, got ${res.status}`);
  return new URL(location).searchParams;
}

/** Asks the sandbox page for an EHR launch id (optionally with injected faults). */
export async function launchId(base: string, patient: string, fail?: string): Promise<string> {
  const query = new URLSearchParams({ patient });
  if (fail !== undefined) query.set("fail", fail);
  const res = await get(`${base}/sandbox/launch?${query.toString()}`);
  const launch = locationParams(res).get("launch");
  if (launch === null) throw new Error("no launch id in the launch redirect");
  return launch;
}

/** Authorize parameters for an EHR launch, as fhirclient sends them. */
export function authorizeParams(
  base: string,
  overrides: Record<string, string> = {},
): { params: Record<string, string>; verifier: string } {
  const { verifier, challenge } = pkcePair();
  return {
    verifier,
    params: {
      response_type: "code",
      client_id: CLIENT_ID,
      redirect_uri: `${base}/index.html`,
      scope: APP_SCOPES,
      state: randomBytes(8).toString("hex"),
      aud: `${base}/fhir`,
      code_challenge: challenge,
      code_challenge_method: "S256",
      ...overrides,
    },
  };
}

/** Calls the token endpoint with an authorization code. */
export function exchangeCode(
  base: string,
  code: string,
  verifier: string,
  redirectUri = `${base}/index.html`,
): Promise<Response> {
  return postForm(`${base}/auth/token`, {
    grant_type: "authorization_code",
    code,
    redirect_uri: redirectUri,
    client_id: CLIENT_ID,
    code_verifier: verifier,
  });
}

/** The parts of a token response the tests read. */
export interface TokenBody {
  access_token?: string;
  token_type?: string;
  expires_in?: number;
  scope?: string;
  patient?: string;
  need_patient_banner?: boolean;
  error?: string;
  error_description?: string;
  [key: string]: unknown;
}

/** Runs a whole EHR launch (launch id, authorize, token) and returns the token response. */
export async function ehrLaunchToken(
  base: string,
  patient: string,
  options: { fail?: string; scope?: string } = {},
): Promise<{ status: number; body: TokenBody }> {
  const launch = await launchId(base, patient, options.fail);
  const { params, verifier } = authorizeParams(base, {
    launch,
    ...(options.scope ? { scope: options.scope } : {}),
  });
  const authorized = await get(`${base}/auth/authorize?${new URLSearchParams(params).toString()}`);
  const code = locationParams(authorized).get("code");
  if (code === null)
    throw new Error(`authorize returned no code: ${authorized.headers.get("location") ?? ""}`);
  const res = await exchangeCode(base, code, verifier);
  return { status: res.status, body: (await res.json()) as TokenBody };
}

/** A bearer token for a patient (fails the test if the launch does not give one). */
export async function accessToken(
  base: string,
  patient: string,
  options: { fail?: string; scope?: string } = {},
): Promise<string> {
  const { body } = await ehrLaunchToken(base, patient, options);
  if (body.access_token === undefined) throw new Error(`no access token: ${JSON.stringify(body)}`);
  return body.access_token;
}

/** GETs a FHIR URL with a bearer token and returns the status and JSON body. */
export async function fhirGet(url: string, token?: string): Promise<{ status: number; body: FhirJson }> {
  const res = await get(url, token === undefined ? {} : { authorization: `Bearer ${token}` });
  return { status: res.status, body: (await res.json()) as FhirJson };
}

/**
 * Follows a search's absolute `next` links to the end; every page must be a 200 searchset on the same server.
 * @returns the `Type/id` of every match (includes left out) in page order, and the number of pages
 */
export async function allPages(url: string, bearer: string): Promise<{ matches: string[]; pages: number }> {
  const origin = new URL(url).origin;
  const matches: string[] = [];
  let next: string | undefined = url;
  let pages = 0;
  while (next !== undefined) {
    expect(next.startsWith(`${origin}/fhir/`)).toBe(true);
    const page = await fhirGet(next, bearer);
    expect(page.status).toBe(200);
    expect(page.body.type).toBe("searchset");
    for (const entry of page.body.entry ?? []) {
      if (entry.search?.mode === "match")
        matches.push(`${entry.resource.resourceType}/${entry.resource.id ?? ""}`);
    }
    next = page.body.link?.find((l) => l.relation === "next")?.url;
    pages += 1;
  }
  return { matches, pages };
}

/** The loosely typed view of FHIR JSON the assertions need. */
export interface FhirJson {
  resourceType: string;
  id?: string;
  total?: number;
  link?: { relation: string; url: string }[];
  entry?: {
    fullUrl?: string;
    resource: FhirJson & { subject?: { reference?: string } };
    search?: { mode?: string };
  }[];
  issue?: { severity: string; code: string; details?: { text?: string } }[];
  [key: string]: unknown;
}
