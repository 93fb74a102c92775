/**
 * The app's FhirSource over the real fhirclient Client (FHIR.client with a token response), against msw.
 */
import FHIR from "fhirclient";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { fromFhirClient } from "../../src/fhir/fhirclient-source";
import { loadPatientData } from "../../src/fhir/load";
import { server } from "../msw-server";
import { BASE, mockFhirServer } from "./fhir-mock";
import { EPIC_PATIENT_RESOURCES, PATIENT_ID } from "./fixtures/epic-patient";

function client() {
  return FHIR.client({
    serverUrl: BASE,
    tokenResponse: { access_token: "client-token", patient: PATIENT_ID },
  });
}

describe("fromFhirClient", () => {
  it("loads through fhirclient's authorised request, following next links itself", async () => {
    const log = mockFhirServer({ resources: EPIC_PATIENT_RESOURCES, pageSize: 2 });
    const authorizations: (string | null)[] = [];
    server.events.on("request:start", ({ request }) => {
      authorizations.push(request.headers.get("authorization"));
    });
    const data = await loadPatientData(fromFhirClient(client()), PATIENT_ID);
    server.events.removeAllListeners();
    expect(data.gaps).toEqual([]);
    expect(data.patient?.id).toBe(PATIENT_ID);
    expect(data.resources.some((r) => r.id === "fish-cells")).toBe(true);
    expect(data.requestCount).toBe(log.requests.length);
    expect(log.requests.filter((r) => r.startsWith("Observation?")).length).toBeGreaterThan(1);
    expect(new Set(authorizations)).toEqual(new Set(["Bearer client-token"]));
  });

  it("refuses an absolute URL outside the server's base, sending nothing (the token would go with it)", async () => {
    const outside: string[] = [];
    server.events.on("request:start", ({ request }) => {
      if (!request.url.startsWith(`${BASE}/`)) outside.push(request.url);
    });
    const source = fromFhirClient(client());
    const signal = new AbortController().signal;
    await expect(source.get("https://attacker.example.test/collect", { signal })).rejects.toThrow(
      /outside the FHIR base/,
    );
    await expect(source.get("https://ehr.example.test/fhir/other/Patient", { signal })).rejects.toThrow(
      /outside the FHIR base/,
    );
    server.events.removeAllListeners();
    expect(outside).toEqual([]);
  });

  it("keeps the status and the OperationOutcome of an error answer (403)", async () => {
    mockFhirServer({
      resources: EPIC_PATIENT_RESOURCES,
      faults: {
        Observation: {
          status: 403,
          body: {
            resourceType: "OperationOutcome",
            issue: [
              { severity: "error", code: "forbidden", diagnostics: "patient/Observation.read not granted" },
            ],
          },
        },
      },
    });
    const data = await loadPatientData(fromFhirClient(client()), PATIENT_ID);
    expect(data.gaps).toEqual([expect.objectContaining({ resourceType: "Observation", kind: "denied" })]);
    expect(data.gaps[0]?.reason).toContain("patient/Observation.read not granted");
  });

  it("passes Retry-After of a 429 to the loader, which retries", async () => {
    const log = mockFhirServer({
      resources: EPIC_PATIENT_RESOURCES,
      faults: { Condition: { status: 429, headers: { "retry-after": "0" }, times: 1 } },
    });
    const data = await loadPatientData(fromFhirClient(client()), PATIENT_ID);
    expect(data.gaps).toEqual([]);
    expect(log.requests.filter((r) => r.startsWith("Condition?"))).toHaveLength(2);
  });

  it("reports a malformed JSON body", async () => {
    const source = fromFhirClient(client());
    server.use(
      http.get(
        `${BASE}/Observation`,
        () => new HttpResponse("{not json", { headers: { "content-type": "application/fhir+json" } }),
      ),
    );
    const response = await source.get("Observation?patient=x", { signal: new AbortController().signal });
    expect(response.parseError).toBeDefined();
    expect(response.body).toBeUndefined();
  });
});
