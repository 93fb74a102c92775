// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SLOW_MS, formatFailure, parseFailure, parseFailures } from "../../sandbox/failures";
import { parseCapabilities } from "../../src/fhir/capabilities";
import { EMPTY_CODE_MAP } from "../../src/fhir/code-map";
import { PAGE_SIZE, planInitialQueries } from "../../src/fhir/query-plan";
import { type RunningSandbox, startSandbox } from "../../sandbox/server";
import {
  accessToken,
  allowLoopbackRequests,
  allPages,
  authorizeParams,
  ehrLaunchToken,
  fhirGet,
  get,
  launchId,
  locationParams,
} from "./helpers";

allowLoopbackRequests();

describe("failure codes", () => {
  it("parses each documented code", () => {
    expect(parseFailure("deny")).toEqual({ kind: "deny" });
    expect(parseFailure("token-error")).toEqual({ kind: "token-error" });
    expect(parseFailure("no-patient")).toEqual({ kind: "no-patient" });
    expect(parseFailure("fhir-401")).toEqual({ kind: "fhir-401" });
    expect(parseFailure("forbid:MedicationRequest")).toEqual({
      kind: "forbid",
      resourceType: "MedicationRequest",
    });
    expect(parseFailure("page2-500:Observation")).toEqual({ kind: "page2-500", resourceType: "Observation" });
    expect(parseFailure("slow:Condition")).toEqual({
      kind: "slow",
      resourceType: "Condition",
      delayMs: DEFAULT_SLOW_MS,
    });
    expect(parseFailure("slow:Condition:250")).toEqual({
      kind: "slow",
      resourceType: "Condition",
      delayMs: 250,
    });
    expect(parseFailure("expire:2")).toEqual({ kind: "expire", seconds: 2 });
    expect(parseFailure("refresh-fail")).toEqual({ kind: "refresh-fail" });
  });

  it("rejects unknown codes, missing or malformed types and delays", () => {
    expect(parseFailure("explode")).toHaveProperty("error");
    expect(parseFailure("forbid")).toHaveProperty("error");
    expect(parseFailure("forbid:observation")).toHaveProperty("error");
    expect(parseFailure("deny:Patient")).toHaveProperty("error");
    expect(parseFailure("slow:Condition:soon")).toHaveProperty("error");
    expect(parseFailure("slow:Condition:600000")).toHaveProperty("error");
    expect(parseFailure("expire")).toHaveProperty("error");
    expect(parseFailure("expire:0")).toHaveProperty("error");
    expect(parseFailure("expire:1.5")).toHaveProperty("error");
    expect(parseFailure("expire:2:3")).toHaveProperty("error");
    expect(parseFailure("refresh-fail:Patient")).toHaveProperty("error");
  });

  it("reads comma lists and repeated values, and writes codes back", () => {
    const parsed = parseFailures(["forbid:MedicationRequest,slow:Condition:10", "no-patient,expire:5"]);
    expect("failures" in parsed && parsed.failures.map(formatFailure)).toEqual([
      "forbid:MedicationRequest",
      "slow:Condition:10",
      "no-patient",
      "expire:5",
    ]);
    expect(parseFailures(["deny,bogus"])).toEqual({ error: 'unknown failure "bogus"' });
  });
});

describe("failure injection over HTTP", () => {
  let sandbox: RunningSandbox;
  let base: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    base = sandbox.url;
  });
  afterAll(() => sandbox.close());

  it("deny: authorize redirects error=access_denied with the state", async () => {
    const launch = await launchId(base, "her2-ihc3", "deny");
    const { params } = authorizeParams(base, { launch });
    const query = locationParams(
      await get(`${base}/auth/authorize?${new URLSearchParams(params).toString()}`),
    );
    expect(query.get("error")).toBe("access_denied");
    expect(query.get("state")).toBe(params.state);
  });

  it("token-error: the token exchange fails with server_error", async () => {
    const { status, body } = await ehrLaunchToken(base, "her2-ihc3", { fail: "token-error" });
    expect(status).toBe(503);
    expect(body.error).toBe("server_error");
    expect(body.access_token).toBeUndefined();
  });

  it("no-patient: the token response has no patient", async () => {
    const { status, body } = await ehrLaunchToken(base, "her2-ihc3", { fail: "no-patient" });
    expect(status).toBe(200);
    expect(body.access_token).toBeDefined();
    expect(body).not.toHaveProperty("patient");
  });

  it("fhir-401: FHIR calls with the token get 401", async () => {
    const token = await accessToken(base, "her2-ihc3", { fail: "fhir-401" });
    const { status, body } = await fhirGet(`${base}/fhir/Patient/her2-ihc3`, token);
    expect(status).toBe(401);
    expect(body.resourceType).toBe("OperationOutcome");
  });

  it("forbid:MedicationRequest: 403 for that type only", async () => {
    const token = await accessToken(base, "her2-ihc3", { fail: "forbid:MedicationRequest" });
    const denied = await fhirGet(`${base}/fhir/MedicationRequest?patient=her2-ihc3`, token);
    expect(denied.status).toBe(403);
    expect(denied.body.resourceType).toBe("OperationOutcome");
    expect((await fhirGet(`${base}/fhir/MedicationRequest/her2-ihc3-mr-1`, token)).status).toBe(403);
    expect((await fhirGet(`${base}/fhir/Observation?patient=her2-ihc3`, token)).status).toBe(200);
  });

  it("page2-500:Observation: the first page works, the next link fails with 500", async () => {
    const token = await accessToken(base, "her2-paged", { fail: "page2-500:Observation" });
    const first = await fhirGet(`${base}/fhir/Observation?patient=her2-paged&_count=10`, token);
    expect(first.status).toBe(200);
    const next = first.body.link?.find((l) => l.relation === "next")?.url;
    expect(next).toBeDefined();
    const second = await fhirGet(next ?? "", token);
    expect(second.status).toBe(500);
    expect(second.body.resourceType).toBe("OperationOutcome");
  });

  describe("page2-500:Observation on her2-paged, with the Observation search the app sends", () => {
    async function appObservationSearch(): Promise<string> {
      const metadata = await fhirGet(`${base}/fhir/metadata`);
      const { queries } = planInitialQueries("her2-paged", parseCapabilities(metadata.body), EMPTY_CODE_MAP);
      const observation = queries.find((q) => q.resourceType === "Observation");
      if (observation === undefined) throw new Error("the app plans no Observation search");
      expect(observation.url).toContain(`_count=${PAGE_SIZE}`);
      return `${base}/fhir/${observation.url}`;
    }
    const nextLink = (body: { link?: { relation: string; url: string }[] }) =>
      body.link?.find((l) => l.relation === "next")?.url;

    it("the app's HER2 search spans more than one page, and the second page fails with 500", async () => {
      const token = await accessToken(base, "her2-paged", { fail: "page2-500:Observation" });
      const first = await fhirGet(await appObservationSearch(), token);
      expect(first.status).toBe(200);
      const next = nextLink(first.body);
      expect(next).toBeDefined();
      const second = await fhirGet(next ?? "", token);
      expect(second.status).toBe(500);
      expect(second.body.resourceType).toBe("OperationOutcome");
    });

    it("without the fault, the pages together hold all four HER2 results, each once", async () => {
      const token = await accessToken(base, "her2-paged");
      const { matches, pages } = await allPages(await appObservationSearch(), token);
      expect(pages).toBe(2);
      expect(matches.sort()).toEqual([
        "Observation/her2-paged-ihc-1",
        "Observation/her2-paged-ish-1",
        "Observation/her2-paged-ish-her2-1",
        "Observation/her2-paged-ish-ratio-1",
      ]);
    });
  });

  it("slow:Condition: Condition searches wait, others do not", async () => {
    const token = await accessToken(base, "her2-ihc3", { fail: "slow:Condition:400" });
    let started = performance.now();
    expect((await fhirGet(`${base}/fhir/Condition?patient=her2-ihc3`, token)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    started = performance.now();
    expect((await fhirGet(`${base}/fhir/Patient/her2-ihc3`, token)).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(390);
  });

  it("an unknown fault or patient on /sandbox/launch is a 400 page, not a launch", async () => {
    const badFault = await get(`${base}/sandbox/launch?patient=her2-ihc3&fail=explode`);
    expect(badFault.status).toBe(400);
    expect(await badFault.text()).toContain("explode");
    const badPatient = await get(`${base}/sandbox/launch?patient=nobody`);
    expect(badPatient.status).toBe(400);
  });

  it("gives the same launch id for the same patient and faults, different ids otherwise", async () => {
    const plain = await launchId(base, "her2-ihc3");
    expect(await launchId(base, "her2-ihc3")).toBe(plain);
    expect(await launchId(base, "her2-ihc3", "no-patient")).not.toBe(plain);
    expect(await launchId(base, "her2-ihc1-low")).not.toBe(plain);
    // Opaque: the patient id is not readable from the launch id.
    expect(plain).not.toContain("her2");
  });
});
