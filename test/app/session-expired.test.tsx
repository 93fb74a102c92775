import { render, screen } from "@testing-library/react";
import FHIR from "fhirclient";
import type { Patient } from "fhir/r4";
import { http, HttpResponse } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { LaunchFailureScreen } from "../../src/app/LaunchFailureScreen";
import { PatientApp } from "../../src/app/PatientApp";
import { parseAppConfig } from "../../src/smart/config";
import { configureFhirClient } from "../../src/smart/embedding";
import { completeLaunch } from "../../src/smart/ready";
import { BASE, SEARCH_TYPES, mockFhirServer, type Fault } from "../fhir/fhir-mock";
import { loinc, observation } from "../fhir/fixtures/builders";
import { server } from "../msw-server";

const patient: Patient = {
  resourceType: "Patient",
  id: "p1",
  name: [{ family: "Nakamura", given: ["Emi"] }],
};
const ihc3 = observation(
  { id: "ihc-3", code: loinc("85319-2"), date: "2025-05-02" },
  { valueCodeableConcept: { text: "3+" } },
);
const TOKEN_URI = "https://ehr.example.test/auth/token";
const DATA_TYPES = ["Patient", ...SEARCH_TYPES];

const config = () =>
  parseAppConfig({
    issuers: [
      { id: "test", name: "Test EHR", issPattern: "https://ehr\\.example\\.test/fhir/r4", clientId: "c" },
    ],
  });

function issuer() {
  const first = config().issuers[0];
  if (!first) throw new Error("no issuer");
  return first;
}

/** Every FHIR data request answered with `status`. */
function everyQuery(status: number): Record<string, Fault> {
  return Object.fromEntries(DATA_TYPES.map((t) => [t, { status }]));
}

/** A session whose access token expired a minute ago, with or without a refresh token. */
function expiredClient(refreshToken?: string) {
  return FHIR.client({
    serverUrl: BASE,
    clientId: "c",
    tokenUri: TOKEN_URI,
    expiresAt: Math.floor(Date.now() / 1000) - 60,
    tokenResponse: {
      access_token: "old",
      patient: "p1",
      scope: "launch openid fhirUser offline_access patient/*.rs",
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
    },
  });
}

function renderApp(client: ReturnType<typeof FHIR.client>) {
  render(<PatientApp client={client} patientId="p1" issuer={issuer()} needPatientBanner />);
}

async function expectExpiredScreen() {
  const alert = await screen.findByRole("alert", {}, { timeout: 10_000 });
  expect(alert).toHaveTextContent(/Session expired – relaunch from the chart/);
  expect(screen.queryByTestId("status-header")).toBeNull();
  expect(screen.queryByRole("button", { name: /print/i })).toBeNull();
  expect(document.body).not.toHaveTextContent(/HER2 (positive|negative|indeterminate|equivocal)/i);
}

describe("PatientApp: an expired or rejected token never becomes an assessment", { timeout: 20_000 }, () => {
  afterEach(() => {
    sessionStorage.clear();
  });

  it("shows the session-expired screen when every query gets 401 and there is no refresh token", async () => {
    mockFhirServer({ resources: [patient, ihc3], capability: 401, faults: everyQuery(401) });
    renderApp(FHIR.client({ serverUrl: BASE, tokenResponse: { access_token: "revoked", patient: "p1" } }));
    await expectExpiredScreen();
  });

  it("shows the session-expired screen when the token endpoint refuses the refresh", async () => {
    const log = mockFhirServer({ resources: [patient, ihc3] });
    let refreshes = 0;
    const clientIds: (string | null)[] = [];
    configureFhirClient();
    server.use(
      http.post(TOKEN_URI, async ({ request }) => {
        refreshes++;
        clientIds.push(new URLSearchParams(await request.text()).get("client_id"));
        return HttpResponse.json(
          { error: "invalid_grant", error_description: "refresh token expired" },
          { status: 400 },
        );
      }),
    );
    renderApp(expiredClient("rt-expired"));
    await expectExpiredScreen();
    expect(refreshes).toBeGreaterThan(0);
    // A public client names itself in the refresh request (RFC 6749 §3.2.1); the sandbox refuses it otherwise.
    expect(clientIds).toEqual(clientIds.map(() => "c"));
    expect(screen.getByText(/token refresh was refused \(HTTP 400\)/)).toBeInTheDocument();
    // fhirclient then drops the refresh token and sends the other queries with the expired token; this mock still
    // answers them, and the refused refresh alone must stop the assessment.
    expect(log.requests.length).toBeGreaterThan(0);
  });

  it("shows the session-expired screen on 401s after an expired token without a refresh token", async () => {
    mockFhirServer({ resources: [patient, ihc3], faults: everyQuery(401) });
    renderApp(expiredClient());
    await expectExpiredScreen();
  });

  it("assesses normally when the refresh succeeds (the guard is not a false alarm)", async () => {
    mockFhirServer({ resources: [patient, ihc3] });
    server.use(
      http.post(TOKEN_URI, () =>
        HttpResponse.json({
          access_token: "new",
          token_type: "Bearer",
          expires_in: 3600,
          scope: "offline_access",
        }),
      ),
    );
    renderApp(expiredClient("rt-good"));
    expect(await screen.findByTestId("status-header", {}, { timeout: 10_000 })).toHaveTextContent(
      /positive/i,
    );
  });

  it("does not assess a load where the token expired part-way (some 200s, then 401s)", async () => {
    // Patient and the HER2 Observations loaded; the Conditions and medications were rejected: the early/metastatic
    // setting and therapy flags would silently be missing, so the whole load is treated as an ended session.
    mockFhirServer({
      resources: [patient, ihc3],
      faults: {
        Condition: { status: 401 },
        MedicationRequest: { status: 401 },
        MedicationStatement: { status: 401 },
        MedicationAdministration: { status: 401 },
      },
    });
    renderApp(FHIR.client({ serverUrl: BASE, tokenResponse: { access_token: "t", patient: "p1" } }));
    await expectExpiredScreen();
  });

  it("shows an access-refused screen when every data query gets 403", async () => {
    mockFhirServer({ resources: [patient, ihc3], faults: everyQuery(403) });
    renderApp(FHIR.client({ serverUrl: BASE, tokenResponse: { access_token: "t", patient: "p1" } }));
    const alert = await screen.findByRole("alert", {}, { timeout: 10_000 });
    expect(alert).toHaveTextContent(/Access refused – relaunch from the chart/);
    expect(screen.queryByTestId("status-header")).toBeNull();
    expect(screen.queryByRole("button", { name: /print/i })).toBeNull();
  });

  it("keeps the assessment with a data gap when only some types get 403 (a scope not granted)", async () => {
    mockFhirServer({ resources: [patient, ihc3], faults: { MedicationRequest: { status: 403 } } });
    renderApp(FHIR.client({ serverUrl: BASE, tokenResponse: { access_token: "t", patient: "p1" } }));
    await screen.findByTestId("status-header", {}, { timeout: 10_000 });
    expect(screen.queryByText(/Session expired|Access refused/)).toBeNull();
  });

  it("remembers the ended session, without URLs or patient data, so a reload shows it again", async () => {
    mockFhirServer({ resources: [patient, ihc3], faults: everyQuery(401) });
    renderApp(FHIR.client({ serverUrl: BASE, tokenResponse: { access_token: "revoked", patient: "p1" } }));
    await expectExpiredScreen();
    const stored = sessionStorage.getItem("her2-launch-failure") ?? "";
    expect(JSON.parse(stored)).toEqual({
      kind: "session-ended",
      problem: "expired",
      summary: expect.stringMatching(/^401 Unauthorized on \d+ request\(s\)$/) as unknown,
    });
    expect(stored).not.toMatch(/p1|patient=|revoked|http/i);

    // The reload: fhirclient has wiped its stored launch, and the page has no code: the same screen, marked as such.
    const reload = await completeLaunch(config(), new URL(`${window.location.origin}/index.html`));
    expect(reload).toMatchObject({ kind: "failed", failure: { kind: "session-ended" }, shownAgain: true });
    if (reload.kind !== "failed") return;
    document.body.innerHTML = "";
    render(<LaunchFailureScreen failure={reload.failure} shownAgain />);
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent(/Session expired – relaunch from the chart/);
    expect(alert).toHaveTextContent(/Shown again after the page was reloaded/);
  });

  it("remembers an access-refused load as such", async () => {
    mockFhirServer({ resources: [patient, ihc3], faults: everyQuery(403) });
    renderApp(FHIR.client({ serverUrl: BASE, tokenResponse: { access_token: "t", patient: "p1" } }));
    await screen.findByRole("alert", {}, { timeout: 10_000 });
    expect(JSON.parse(sessionStorage.getItem("her2-launch-failure") ?? "")).toMatchObject({
      kind: "session-ended",
      problem: "forbidden",
    });
  });
});
