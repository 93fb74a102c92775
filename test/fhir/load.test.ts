import type { FhirResource, Observation, Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { parseCodeMap } from "../../src/fhir/code-map";
import { fromFetch } from "../../src/fhir/fetch-source";
import { isWithinBase } from "../../src/fhir/source";
import { loadPatientData } from "../../src/fhir/load";
import { buildPatientInput } from "../../src/fhir/normalise";
import { BASE, capabilityStatement, mockFhirServer, type Fault } from "./fhir-mock";
import { EPIC_LAB } from "./fixtures/builders";
import { EPIC_PATIENT_RESOURCES, PATIENT_ID } from "./fixtures/epic-patient";

const source = () => fromFetch(BASE, "test-token");
const ids = (resources: Resource[]): string[] =>
  resources.map((r) => `${r.resourceType}/${r.id ?? ""}`).sort();
const codeMap = parseCodeMap({ observations: [{ system: EPIC_LAB, code: "768282-11", concept: "ihc" }] });

/** Requests per resource type that are first pages (no `_offset`), i.e. distinct queries. */
function firstPages(requests: string[], type: string): string[] {
  return requests.filter(
    (r) => (r === type || r.startsWith(`${type}?`) || r.startsWith(`${type}/`)) && !r.includes("_offset"),
  );
}

describe("loadPatientData: the query plan", () => {
  it("sends one request per resource type plus its pages, and reports the count", async () => {
    const log = mockFhirServer({ resources: EPIC_PATIENT_RESOURCES, pageSize: 2 });
    const data = await loadPatientData(source(), PATIENT_ID, { codeMap });

    expect(data.requestCount).toBe(log.requests.length);
    for (const type of [
      "metadata",
      "Patient",
      "Observation",
      "Condition",
      "MedicationRequest",
      "MedicationStatement",
      "MedicationAdministration",
      "DiagnosticReport",
    ]) {
      expect(firstPages(log.requests, type), type).toHaveLength(1);
    }
    // Observation: 5 matches (IHC, panel, ratio, stage, … ) at 2 per page -> 3 pages, each a request.
    const observationPages = log.requests.filter((r) => r.startsWith("Observation?"));
    expect(observationPages.length).toBe(data.queries.find((q) => q.resourceType === "Observation")?.pages);
    expect(observationPages.length).toBeGreaterThan(1);
    // Included resources came with the searches: no batched reads were needed.
    expect(firstPages(log.requests, "Specimen")).toHaveLength(0);
    expect(firstPages(log.requests, "Medication?")).toHaveLength(0);
    expect(data.gaps).toEqual([]);
  });

  it("sends the bearer token on every request (fromFetch)", async () => {
    mockFhirServer({ resources: EPIC_PATIENT_RESOURCES });
    const { server } = await import("../msw-server");
    const authorizations = new Set<string | null>();
    server.events.on("request:start", ({ request }) => {
      authorizations.add(request.headers.get("authorization"));
    });
    await loadPatientData(source(), PATIENT_ID);
    server.events.removeAllListeners();
    expect(authorizations).toEqual(new Set(["Bearer test-token"]));
  });

  it("encodes query values and asks for the wide HER2 code list plus the code map's local codes", async () => {
    const log = mockFhirServer({ resources: EPIC_PATIENT_RESOURCES });
    await loadPatientData(source(), PATIENT_ID, { codeMap });
    const raw = log.rawUrls.find((u) => u.includes("/Observation?"));
    expect(raw).toBeDefined();
    expect(raw).not.toContain("http://loinc.org");
    expect(raw).toContain("http%3A%2F%2Floinc.org%7C18474-7");
    const codes = new URL(raw ?? "").searchParams.get("code")?.split(",") ?? [];
    for (const code of [
      "18474-7",
      "85319-2",
      "48676-1",
      "31150-6",
      "85318-4",
      "49683-6",
      "74860-8",
      "74861-6",
      "21907-1",
      "21908-9",
    ]) {
      expect(codes).toContain(`http://loinc.org|${code}`);
    }
    expect(codes).toContain(`${EPIC_LAB}|768282-11`);
    expect(codes.some((c) => c.endsWith("|32996-1"))).toBe(false);
  });

  it("loads the patient's resources, with specimens, panel members and medications included, and nobody else's", async () => {
    mockFhirServer({ resources: EPIC_PATIENT_RESOURCES, pageSize: 2 });
    const data = await loadPatientData(source(), PATIENT_ID);
    expect(data.patient?.id).toBe(PATIENT_ID);
    expect(ids(data.resources)).toEqual(
      ids(EPIC_PATIENT_RESOURCES.filter((r) => r.id !== "other-patient-ihc")),
    );
  });

  it("falls back to batched reads when the server does not declare _include", async () => {
    const log = mockFhirServer({
      resources: EPIC_PATIENT_RESOURCES,
      capability: capabilityStatement(undefined, false),
    });
    const data = await loadPatientData(source(), PATIENT_ID);
    expect(log.requests.some((r) => r.includes("_include"))).toBe(false);
    expect(log.requests).toContain("Specimen?_id=spec-core");
    expect(log.requests).toContain("Observation?_id=fish-cells");
    expect(log.requests).toContain("Medication?_id=med-kadcyla");
    expect(ids(data.resources)).toContain("Observation/fish-cells");
    expect(data.requestCount).toBe(log.requests.length);
  });

  it("skips searches the CapabilityStatement does not support, and says so", async () => {
    const log = mockFhirServer({
      resources: EPIC_PATIENT_RESOURCES,
      capability: capabilityStatement([
        "Observation",
        "Condition",
        "MedicationRequest",
        "DiagnosticReport",
        "Medication",
        "Specimen",
      ]),
    });
    const data = await loadPatientData(source(), PATIENT_ID);
    expect(log.requests.some((r) => r.startsWith("MedicationStatement"))).toBe(false);
    expect(data.gaps).toEqual([
      expect.objectContaining({
        resourceType: "MedicationStatement",
        kind: "unsupported",
        affectsAssessment: false,
      }),
      expect.objectContaining({
        resourceType: "MedicationAdministration",
        kind: "unsupported",
        affectsAssessment: false,
      }),
    ]);
    expect(data.queries.find((q) => q.resourceType === "MedicationStatement")?.outcome).toBe("skipped");
  });

  it("without DiagnosticReport search, reports the skipped report search and loads the rest", async () => {
    const log = mockFhirServer({
      resources: EPIC_PATIENT_RESOURCES,
      capability: capabilityStatement([
        "Observation",
        "Condition",
        "MedicationRequest",
        "MedicationStatement",
        "MedicationAdministration",
      ]),
    });
    const data = await loadPatientData(source(), PATIENT_ID);
    expect(log.requests.some((r) => r.startsWith("DiagnosticReport"))).toBe(false);
    expect(data.queries.find((q) => q.resourceType === "DiagnosticReport")).toMatchObject({
      outcome: "skipped",
    });
    expect(data.gaps).toEqual([]);
  });

  it("asks for past medication orders too where the server declares MedicationRequest status (Epic filters to active)", async () => {
    const log = mockFhirServer({
      resources: EPIC_PATIENT_RESOURCES,
      capability: capabilityStatement(undefined, true, { MedicationRequest: ["status"] }),
    });
    await loadPatientData(source(), PATIENT_ID);
    const request = log.requests.find((r) => r.startsWith("MedicationRequest?"));
    expect(request).toContain("status=active,on-hold,completed,stopped,unknown");
  });

  it("still loads when the CapabilityStatement cannot be read", async () => {
    mockFhirServer({ resources: EPIC_PATIENT_RESOURCES, capability: 500 });
    const data = await loadPatientData(source(), PATIENT_ID);
    expect(ids(data.resources)).toContain("Observation/ihc-1");
    expect(data.queries[0]).toMatchObject({ resourceType: "CapabilityStatement", outcome: "failed" });
    expect(data.queries[0]?.detail).toMatch(/without _include/);
  });

  it("feeds buildPatientInput: records, events and therapies from a real load", async () => {
    mockFhirServer({ resources: EPIC_PATIENT_RESOURCES, pageSize: 3 });
    const data = await loadPatientData(source(), PATIENT_ID);
    const input = buildPatientInput({
      patient: `Patient/${PATIENT_ID}`,
      resources: data.resources,
      asOf: "2026-11-25",
      dataGaps: data.gaps,
    });
    expect(input.tests).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          source: "Observation/ihc-1",
          method: "ihc",
          score: "2+",
          specimen: expect.objectContaining({ label: "S24-1234" }) as unknown,
        }),
        expect.objectContaining({
          method: "ish-dual",
          ratio: 1.4,
          her2PerCell: 3.1,
          cep17PerCell: 2.2,
          cellsCounted: 40,
          date: "2024-03-05",
        }),
      ]),
    );
    // The panel's members (one only locally coded) make one ISH record, and nothing is left unreadable.
    expect(input.tests.map((t) => t.method).sort()).toEqual(["ihc", "ish-dual"]);
    expect(input.events.map((e) => `${e.kind}:${e.source}`).sort()).toEqual([
      "metastasis:Condition/cond-liver",
      "metastasis:Observation/stage-m",
      "primary:Condition/cond-breast",
    ]);
    expect(input.therapies.map((t) => t.drug).sort()).toEqual(["ado-trastuzumab emtansine", "trastuzumab"]);
  });
});

describe("loadPatientData: laboratory fallback for HER2 results under unmapped local codes", () => {
  const patientRef = { reference: "Patient/p1" };
  const lab = [
    {
      coding: [{ system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "laboratory" }],
    },
  ];
  const resources: FhirResource[] = [
    { resourceType: "Patient", id: "p1" },
    {
      resourceType: "Observation",
      id: "local-ihc",
      status: "final",
      category: lab,
      // An Epic-style local code that the code map does not list: only its display says HER2.
      code: { coding: [{ system: EPIC_LAB, code: "999-1", display: "HER2 IHC SCORE" }] },
      subject: patientRef,
      effectiveDateTime: "2025-02-03",
      valueString: "3+",
      specimen: { reference: "Specimen/s1" },
    },
    {
      resourceType: "Observation",
      id: "hb",
      status: "final",
      category: lab,
      code: { coding: [{ system: "http://loinc.org", code: "718-7", display: "Hemoglobin" }] },
      subject: patientRef,
      valueQuantity: { value: 12.1, unit: "g/dL" },
    },
    { resourceType: "Specimen", id: "s1", subject: patientRef, accessionIdentifier: { value: "S-25-1" } },
  ];
  const isFallback = (r: string): boolean =>
    r.startsWith("Observation?") && r.includes("category=laboratory");

  it("searches all laboratory results once when the code search finds no HER2 result, and keeps only HER2 ones", async () => {
    const log = mockFhirServer({ resources });
    const data = await loadPatientData(source(), "p1");

    expect(log.requests.filter(isFallback)).toHaveLength(1);
    expect(data.requestCount).toBe(log.requests.length);
    expect(data.gaps).toEqual([]);
    expect(ids(data.resources)).toEqual(["Observation/local-ihc", "Patient/p1", "Specimen/s1"]);
    const report = data.queries.find((q) => q.url.includes("category=laboratory"));
    expect(report?.detail).toMatch(
      /^fallback: no HER2 result under the searched codes; kept 1 HER2 result\(s\) of 2/,
    );

    const input = buildPatientInput({ patient: "Patient/p1", resources: data.resources, asOf: "2026-11-25" });
    expect(input.tests).toEqual([
      expect.objectContaining({
        source: "Observation/local-ihc",
        method: "ihc",
        score: "3+",
        specimen: expect.objectContaining({ reference: "Specimen/s1", label: "S-25-1" }) as unknown,
        readAs: expect.stringContaining("identified by display text only") as unknown,
      }),
    ]);
  });

  it("keeps a result known only by its text when the text names a tissue method; a bare 'HER2' or a serum test is dropped", async () => {
    const named = (id: string, display: string, value: string): FhirResource => ({
      resourceType: "Observation",
      id,
      status: "final",
      category: lab,
      code: { coding: [{ system: EPIC_LAB, code: `L-${id}`, display }] },
      subject: patientRef,
      effectiveDateTime: "2025-02-03",
      valueString: value,
    });
    mockFhirServer({
      resources: [
        { resourceType: "Patient", id: "p1" },
        named("status", "HER2 STATUS", "Positive"),
        named("ecd", "HER2/NEU EXTRACELLULAR DOMAIN", "Positive"),
        named("fish", "HER2 FISH RESULT", "Amplified"),
      ],
    });
    const data = await loadPatientData(source(), "p1");
    expect(ids(data.resources)).toEqual(["Observation/fish", "Patient/p1"]);
  });

  it("does not search all laboratory results when the code search found a HER2 result", async () => {
    const log = mockFhirServer({ resources: EPIC_PATIENT_RESOURCES });
    await loadPatientData(source(), PATIENT_ID, { codeMap });
    expect(log.requests.filter(isFallback)).toEqual([]);
  });

  it("is not sent to a server that lists Observation search parameters without category (reported as skipped)", async () => {
    const capability = capabilityStatement();
    for (const rest of capability.rest ?? []) {
      for (const resource of rest.resource ?? []) {
        resource.searchParam = (resource.searchParam ?? []).filter((p) => p.name !== "category");
      }
    }
    const log = mockFhirServer({ resources, capability });
    const data = await loadPatientData(source(), "p1");
    expect(log.requests.filter(isFallback)).toEqual([]);
    expect(data.gaps).toEqual([]);
    expect(data.queries).toContainEqual(
      expect.objectContaining({ resourceType: "Observation", outcome: "skipped" }),
    );
  });

  it("a failed fallback is a gap that affects the assessment: 'no result' would not be known", async () => {
    mockFhirServer({ resources, faults: { "Observation?category": { status: 503 } } });
    const data = await loadPatientData(source(), "p1", { maxRetries: 0 });
    expect(data.gaps).toEqual([
      expect.objectContaining({ resourceType: "Observation", affectsAssessment: true }),
    ]);
    expect(ids(data.resources)).toEqual(["Patient/p1"]);
  });
});

describe("loadPatientData: errors become data gaps", () => {
  async function loadWith(
    faults: Record<string, Fault>,
    options: { timeoutMs?: number; pageSize?: number } = {},
  ) {
    const log = mockFhirServer({ resources: EPIC_PATIENT_RESOURCES, faults, pageSize: options.pageSize });
    const data = await loadPatientData(source(), PATIENT_ID, {
      timeoutMs: options.timeoutMs,
      maxRetryWaitMs: 50,
    });
    return { data, log };
  }

  it("401: denied, asks to relaunch", async () => {
    const { data } = await loadWith({ Observation: { status: 401 } });
    expect(data.gaps).toEqual([
      expect.objectContaining({ resourceType: "Observation", kind: "denied", affectsAssessment: true }),
    ]);
    expect(data.gaps[0]?.reason).toMatch(/401.*relaunch/);
  });

  it("403 with an OperationOutcome: denied, names the resource type and the scope, keeps the server's words", async () => {
    const { data } = await loadWith({
      Condition: {
        status: 403,
        body: {
          resourceType: "OperationOutcome",
          issue: [
            { severity: "error", code: "forbidden", diagnostics: "Scope patient/Condition.read not granted" },
          ],
        },
      },
    });
    expect(data.gaps).toHaveLength(1);
    expect(data.gaps[0]).toMatchObject({ resourceType: "Condition", kind: "denied" });
    expect(data.gaps[0]?.reason).toContain("patient/Condition.rs");
    expect(data.gaps[0]?.reason).toContain("Scope patient/Condition.read not granted");
    expect(ids(data.resources)).toContain("Observation/ihc-1");
  });

  it("404: not-found", async () => {
    const { data } = await loadWith({ MedicationStatement: { status: 404 } });
    expect(data.gaps).toEqual([
      expect.objectContaining({
        resourceType: "MedicationStatement",
        kind: "not-found",
        affectsAssessment: false,
      }),
    ]);
  });

  it("429 with Retry-After: waits and retries, then succeeds (the retry is counted)", async () => {
    const { data, log } = await loadWith({
      Condition: { status: 429, headers: { "retry-after": "0" }, times: 1 },
    });
    expect(data.gaps).toEqual([]);
    expect(log.requests.filter((r) => r.startsWith("Condition?"))).toHaveLength(2);
    expect(data.requestCount).toBe(log.requests.length);
    expect(data.queries.find((q) => q.resourceType === "Condition")).toMatchObject({
      requests: 2,
      outcome: "complete",
    });
  });

  it("429 that keeps coming: an error gap after the allowed retries", async () => {
    const { data, log } = await loadWith({ Condition: { status: 429, headers: { "retry-after": "0" } } });
    expect(log.requests.filter((r) => r.startsWith("Condition?"))).toHaveLength(3);
    expect(data.gaps).toEqual([expect.objectContaining({ resourceType: "Condition", kind: "error" })]);
    expect(data.gaps[0]?.reason).toMatch(/429/);
  });

  it("429 asking to wait longer than allowed: fails at once", async () => {
    const { data, log } = await loadWith({ Condition: { status: 429, headers: { "retry-after": "3600" } } });
    expect(log.requests.filter((r) => r.startsWith("Condition?"))).toHaveLength(1);
    expect(data.gaps[0]).toMatchObject({ resourceType: "Condition", kind: "error" });
  });

  it("5xx: error gap with the server's OperationOutcome text", async () => {
    const { data } = await loadWith({
      MedicationRequest: {
        status: 503,
        body: {
          resourceType: "OperationOutcome",
          issue: [{ severity: "fatal", code: "transient", diagnostics: "Database unavailable" }],
        },
      },
    });
    expect(data.gaps).toEqual([
      expect.objectContaining({ resourceType: "MedicationRequest", kind: "error", affectsAssessment: true }),
    ]);
    expect(data.gaps[0]?.reason).toMatch(/503.*Database unavailable/);
  });

  it("timeout: the slow query is reported, the others load", async () => {
    const { data } = await loadWith({ Condition: { delayMs: 400 } }, { timeoutMs: 100 });
    expect(data.gaps).toEqual([expect.objectContaining({ resourceType: "Condition", kind: "timeout" })]);
    expect(ids(data.resources)).toContain("Observation/ihc-1");
  });

  it("malformed JSON: error gap", async () => {
    const { data } = await loadWith({ Observation: { malformed: true } });
    expect(data.gaps[0]).toMatchObject({ resourceType: "Observation", kind: "error" });
    expect(data.gaps[0]?.reason).toMatch(/not valid JSON/);
  });

  it("an OperationOutcome instead of a Bundle with status 200: error gap", async () => {
    const { data } = await loadWith({
      Observation: {
        status: 200,
        body: {
          resourceType: "OperationOutcome",
          issue: [{ severity: "error", code: "processing", diagnostics: "code search not supported" }],
        },
      },
    });
    expect(data.gaps[0]).toMatchObject({ resourceType: "Observation", kind: "error" });
    expect(data.gaps[0]?.reason).toMatch(/code search not supported/);
  });

  it("a failed page in the middle of paging: keeps the pages that loaded and adds a 'partial' gap", async () => {
    const { data } = await loadWith({ Observation: { status: 500, page: 2 } }, { pageSize: 2 });
    const observations = data.resources.filter((r): r is Observation => r.resourceType === "Observation");
    expect(observations.length).toBeGreaterThanOrEqual(2);
    expect(data.gaps).toEqual([
      expect.objectContaining({ resourceType: "Observation", kind: "partial", affectsAssessment: true }),
    ]);
    expect(data.gaps[0]?.reason).toMatch(/only 1 page.*500/);
    expect(data.queries.find((q) => q.resourceType === "Observation")?.outcome).toBe("partial");
  });

  it("an error reported inside a search Bundle: 'partial' gap", async () => {
    mockFhirServer({ resources: [] });
    const { server } = await import("../msw-server");
    const { http, HttpResponse } = await import("msw");
    server.use(
      http.get(`${BASE}/Condition`, () =>
        HttpResponse.json({
          resourceType: "Bundle",
          type: "searchset",
          entry: [
            {
              resource: {
                resourceType: "OperationOutcome",
                issue: [
                  { severity: "error", code: "suppressed", diagnostics: "Some results were not returned" },
                ],
              },
              search: { mode: "outcome" },
            },
          ],
        }),
      ),
    );
    const data = await loadPatientData(source(), PATIENT_ID);
    expect(data.gaps.find((g) => g.resourceType === "Condition")).toMatchObject({ kind: "partial" });
  });

  it("a failed follow-up read (Specimen, 403) is its own gap; results keep their specimen reference", async () => {
    const log = mockFhirServer({
      resources: EPIC_PATIENT_RESOURCES,
      capability: capabilityStatement(undefined, false),
      faults: { Specimen: { status: 403 } },
    });
    const data = await loadPatientData(source(), PATIENT_ID);
    expect(log.requests).toContain("Specimen?_id=spec-core");
    expect(data.gaps).toEqual([
      expect.objectContaining({ resourceType: "Specimen", kind: "denied", affectsAssessment: true }),
    ]);
    const input = buildPatientInput({
      patient: `Patient/${PATIENT_ID}`,
      resources: data.resources,
      asOf: "2026-11-25",
    });
    expect(input.tests.find((t) => t.source === "Observation/ihc-1")?.specimen).toEqual({
      reference: "Specimen/spec-core",
      label: "S24-1234",
    });
  });

  it("fewer results than the Bundle's total, with no next link: 'partial' gap", async () => {
    mockFhirServer({ resources: EPIC_PATIENT_RESOURCES });
    const { server } = await import("../msw-server");
    const { http, HttpResponse } = await import("msw");
    server.use(
      http.get(`${BASE}/Condition`, () =>
        HttpResponse.json({
          resourceType: "Bundle",
          type: "searchset",
          total: 5,
          entry: [
            {
              resource: EPIC_PATIENT_RESOURCES.find((r) => r.id === "cond-breast"),
              search: { mode: "match" },
            },
          ],
        }),
      ),
    );
    const data = await loadPatientData(source(), PATIENT_ID);
    expect(data.gaps).toEqual([
      expect.objectContaining({ resourceType: "Condition", kind: "partial", affectsAssessment: true }),
    ]);
    expect(data.gaps[0]?.reason).toMatch(/counted 5 but sent 1/);
    expect(ids(data.resources)).toContain("Condition/cond-breast");
  });

  it("a cancelled load rejects", async () => {
    mockFhirServer({ resources: EPIC_PATIENT_RESOURCES, faults: { Condition: { delayMs: 300 } } });
    const controller = new AbortController();
    const promise = loadPatientData(source(), PATIENT_ID, { signal: controller.signal });
    setTimeout(() => {
      controller.abort(new Error("user closed the panel"));
    }, 50);
    await expect(promise).rejects.toThrow();
  });
});

describe("loadPatientData: the access token stays with the FHIR base", () => {
  const condition = EPIC_PATIENT_RESOURCES.find((r) => r.id === "cond-breast");

  /** Serves Condition as one page whose `next` link is `next`, and records every request made elsewhere. */
  async function serveNextLink(next: string): Promise<{ elsewhere: { url: string; auth: string | null }[] }> {
    mockFhirServer({ resources: EPIC_PATIENT_RESOURCES });
    const { server } = await import("../msw-server");
    const { http, HttpResponse } = await import("msw");
    const elsewhere: { url: string; auth: string | null }[] = [];
    const record = ({ request }: { request: Request }) => {
      elsewhere.push({ url: request.url, auth: request.headers.get("authorization") });
      return HttpResponse.json({ resourceType: "Bundle", type: "searchset", entry: [] });
    };
    server.use(
      http.get(`${BASE}/Condition`, ({ request }) =>
        new URL(request.url).searchParams.has("_offset")
          ? HttpResponse.json({ resourceType: "Bundle", type: "searchset", entry: [] })
          : HttpResponse.json({
              resourceType: "Bundle",
              type: "searchset",
              link: [{ relation: "next", url: next }],
              entry: [{ resource: condition, search: { mode: "match" } }],
            }),
      ),
      http.get("https://attacker.example.test/*", record),
      http.get("https://ehr.example.test/fhir/other/*", record),
    );
    return { elsewhere };
  }

  for (const [what, next] of [
    ["another host", "https://attacker.example.test/collect?page=2"],
    ["another path on the same host", "https://ehr.example.test/fhir/other/Condition?page=2"],
    ["a relative path that leaves the base", "/fhir/other/Condition?page=2"],
  ] as const) {
    it(`does not follow a next link to ${what}: keeps the first page and records a 'partial' gap`, async () => {
      const { elsewhere } = await serveNextLink(next);
      const data = await loadPatientData(source(), PATIENT_ID);
      expect(elsewhere).toEqual([]);
      expect(ids(data.resources)).toContain("Condition/cond-breast");
      expect(data.gaps).toEqual([
        expect.objectContaining({ resourceType: "Condition", kind: "partial", affectsAssessment: true }),
      ]);
      expect(data.gaps[0]?.reason).toMatch(/paging link outside its FHIR base.*not followed/);
      expect(data.queries.find((q) => q.resourceType === "Condition")?.outcome).toBe("partial");
    });
  }

  it("follows an absolute next link inside the base (with the token)", async () => {
    const { elsewhere } = await serveNextLink(`${BASE}/Condition?patient=${PATIENT_ID}&_offset=1`);
    const data = await loadPatientData(source(), PATIENT_ID);
    expect(elsewhere).toEqual([]);
    expect(data.gaps).toEqual([]);
    expect(data.queries.find((q) => q.resourceType === "Condition")?.pages).toBe(2);
  });

  it("fromFetch refuses an absolute URL outside its base, without sending anything", async () => {
    const seen: string[] = [];
    const fake: typeof fetch = (input) => {
      seen.push(input instanceof Request ? input.url : input.toString());
      return Promise.resolve(new Response("{}"));
    };
    const direct = fromFetch(BASE, "test-token", fake);
    const signal = new AbortController().signal;
    await expect(direct.get("https://attacker.example.test/x", { signal })).rejects.toThrow(
      /outside the FHIR base/,
    );
    await expect(direct.get("https://ehr.example.test/fhir/r4-other/x", { signal })).rejects.toThrow(
      /outside the FHIR base/,
    );
    expect(seen).toEqual([]);
    await direct.get(`${BASE}/Patient/1`, { signal });
    await direct.get("Patient/2", { signal });
    expect(seen).toEqual([`${BASE}/Patient/1`, `${BASE}/Patient/2`]);
  });
});

describe("isWithinBase", () => {
  it("accepts the base, its sub-paths and relative URLs; refuses other origins, sibling paths and credentials", () => {
    expect(isWithinBase("Observation?x=1", BASE)).toBe(true);
    expect(isWithinBase(`${BASE}/Observation?x=1`, BASE)).toBe(true);
    expect(isWithinBase(`${BASE}?_getpages=abc`, BASE)).toBe(true);
    expect(isWithinBase(`${BASE}/Observation`, `${BASE}/`)).toBe(true);
    expect(isWithinBase("https://EHR.example.test:443/fhir/r4/Patient", BASE)).toBe(true);
    expect(isWithinBase("http://ehr.example.test/fhir/r4/Patient", BASE)).toBe(false);
    expect(isWithinBase("https://ehr.example.test:8443/fhir/r4/Patient", BASE)).toBe(false);
    expect(isWithinBase("https://ehr.example.test/fhir/r4x/Patient", BASE)).toBe(false);
    expect(isWithinBase("https://ehr.example.test.attacker.test/fhir/r4/Patient", BASE)).toBe(false);
    expect(isWithinBase("//attacker.example.test/fhir/r4/Patient", BASE)).toBe(false);
    expect(isWithinBase("https://user@ehr.example.test/fhir/r4/Patient", BASE)).toBe(false);
  });
});

describe("loadPatientData: one id on two pages (issue 16, point 2)", () => {
  it("passes on a differing second copy instead of keeping the last one, and drops identical copies", async () => {
    const ihc = EPIC_PATIENT_RESOURCES.find((r) => r.resourceType === "Observation" && r.id === "ihc-1");
    if (!ihc) throw new Error("fixture has no Observation/ihc-1");
    const changed = {
      ...ihc,
      valueString: "changed",
      valueCodeableConcept: undefined,
    } as unknown as Resource;
    mockFhirServer({ resources: [...EPIC_PATIENT_RESOURCES, structuredClone(ihc), changed], pageSize: 2 });
    const data = await loadPatientData(source(), PATIENT_ID);
    expect(ids(data.resources).filter((r) => r === "Observation/ihc-1")).toHaveLength(2);
    const input = buildPatientInput({
      patient: `Patient/${PATIENT_ID}`,
      resources: data.resources,
      asOf: "2026-11-25",
    });
    const ihcRecords = input.tests.filter((t) => t.source === "Observation/ihc-1");
    expect(ihcRecords.length).toBeGreaterThan(0);
    for (const record of ihcRecords) {
      expect(record).toMatchObject({
        method: "unreadable",
        reason: expect.stringContaining("different contents") as unknown,
      });
    }
  });
});

describe("loadPatientData: progress while a slow query runs (issue 18.4)", () => {
  it("reports what has arrived with the pending types, and nothing after the end", async () => {
    mockFhirServer({ resources: EPIC_PATIENT_RESOURCES, faults: { Condition: { delayMs: 2000 } } });
    const reports: { pending: readonly string[]; types: string[] }[] = [];
    let finished = false;
    const data = await loadPatientData(source(), PATIENT_ID, {
      codeMap,
      onProgress: (partial, pending) => {
        expect(finished).toBe(false);
        reports.push({ pending, types: [...new Set(partial.resources.map((r) => r.resourceType))] });
      },
    });
    finished = true;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reports.length).toBeGreaterThan(0);
    const last = reports.at(-1);
    expect(last?.pending).toEqual(["Condition"]);
    expect(last?.types).toContain("Observation");
    expect(last?.types).not.toContain("Condition");
    expect(data.resources.some((r) => r.resourceType === "Condition")).toBe(true);
  });
});
