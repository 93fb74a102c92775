// @vitest-environment node
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSandbox, startSandbox } from "../../sandbox/server";
import { accessToken, allowLoopbackRequests, allPages, type FhirJson, fhirGet, get } from "./helpers";

allowLoopbackRequests();

let sandbox: RunningSandbox;
let fhir: string;
let token: string; // her2-paged, all the app's scopes
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  fhir = `${sandbox.url}/fhir`;
  token = await accessToken(sandbox.url, "her2-paged");
});
afterAll(() => sandbox.close());

const HER2_CODES = ["85319-2", "85318-4", "49683-6", "74860-8"].map((c) => `http://loinc.org|${c}`).join(",");
const ids = (bundle: FhirJson): string[] =>
  (bundle.entry ?? []).map((e) => `${e.resource.resourceType}/${e.resource.id ?? ""}`);
const issueText = (body: FhirJson): string => body.issue?.[0]?.details?.text ?? "";

describe("bearer token", () => {
  it("answers 401 OperationOutcome with WWW-Authenticate when no token is sent", async () => {
    const res = await get(`${fhir}/Patient/her2-paged`);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer /);
    const body = (await res.json()) as FhirJson;
    expect(body.resourceType).toBe("OperationOutcome");
  });

  it("answers 401 for a token it never issued", async () => {
    const { status, body } = await fhirGet(`${fhir}/Patient/her2-paged`, "made-up-token");
    expect(status).toBe(401);
    expect(body.resourceType).toBe("OperationOutcome");
  });

  it("serves metadata and smart-configuration without a token", async () => {
    expect((await get(`${fhir}/metadata`)).status).toBe(200);
    expect((await get(`${fhir}/.well-known/smart-configuration`)).status).toBe(200);
  });
});

describe("reads", () => {
  it("reads the launch patient", async () => {
    const { status, body } = await fhirGet(`${fhir}/Patient/her2-paged`, token);
    expect(status).toBe(200);
    expect(body).toMatchObject({ resourceType: "Patient", id: "her2-paged", birthDate: "1965-04-04" });
  });

  it("answers 404 OperationOutcome for a resource that does not exist", async () => {
    const { status, body } = await fhirGet(`${fhir}/Observation/does-not-exist`, token);
    expect(status).toBe(404);
    expect(body.resourceType).toBe("OperationOutcome");
    expect(body.issue?.[0]?.code).toBe("not-found");
  });

  it("refuses writes with 405 OperationOutcome", async () => {
    const res = await fetch(`${fhir}/Observation`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/fhir+json" },
      body: JSON.stringify({ resourceType: "Observation", status: "final", code: { text: "x" } }),
    });
    expect(res.status).toBe(405);
    expect(((await res.json()) as FhirJson).resourceType).toBe("OperationOutcome");
  });
});

describe("patient compartment", () => {
  it("forbids reading another patient and another patient's data", async () => {
    const patient = await fhirGet(`${fhir}/Patient/her2-ihc3`, token);
    expect(patient.status).toBe(403);
    expect(patient.body.resourceType).toBe("OperationOutcome");
    const observation = await fhirGet(`${fhir}/Observation/her2-ihc3-ihc-1`, token);
    expect(observation.status).toBe(403);
    expect(issueText(observation.body)).toContain("compartment");
  });

  it("forbids searching another patient, by bare id, by reference or by subject", async () => {
    for (const query of [
      "patient=her2-ihc3",
      "patient=Patient/her2-ihc3",
      "subject=Patient/her2-ihc3",
      "subject:Patient=her2-ihc3",
    ]) {
      const { status } = await fhirGet(`${fhir}/Observation?${query}`, token);
      expect(status, query).toBe(403);
    }
    expect((await fhirGet(`${fhir}/Patient?_id=her2-ihc3`, token)).status).toBe(403);
  });

  it("limits a search without a patient to the launch patient", async () => {
    const { status, body } = await fhirGet(`${fhir}/Condition`, token);
    expect(status).toBe(200);
    expect(body.total).toBe(1);
    expect(body.entry?.[0]?.resource.subject?.reference).toBe("Patient/her2-paged");
    const patients = await fhirGet(`${fhir}/Patient`, token);
    expect(ids(patients.body)).toEqual(["Patient/her2-paged"]);
  });
});

describe("scopes", () => {
  it("answers 403 naming the scope when a resource type was not granted", async () => {
    const narrow = await accessToken(sandbox.url, "her2-ihc3", {
      scope: "launch patient/Patient.rs patient/Observation.rs",
    });
    const { status, body } = await fhirGet(`${fhir}/MedicationRequest?patient=her2-ihc3`, narrow);
    expect(status).toBe(403);
    expect(issueText(body)).toContain("patient/MedicationRequest.s");
    expect((await fhirGet(`${fhir}/Observation?patient=her2-ihc3`, narrow)).status).toBe(200);
  });

  it("tells read from search in v2 scopes, and accepts v1 .read for both", async () => {
    const readOnly = await accessToken(sandbox.url, "her2-ihc3", { scope: "launch patient/Patient.r" });
    expect((await fhirGet(`${fhir}/Patient/her2-ihc3`, readOnly)).status).toBe(200);
    expect((await fhirGet(`${fhir}/Patient?_id=her2-ihc3`, readOnly)).status).toBe(403);
    const v1 = await accessToken(sandbox.url, "her2-ihc3", {
      scope: "launch patient/Patient.read patient/Observation.read",
    });
    expect((await fhirGet(`${fhir}/Patient/her2-ihc3`, v1)).status).toBe(200);
    expect((await fhirGet(`${fhir}/Observation?patient=her2-ihc3`, v1)).status).toBe(200);
    expect((await fhirGet(`${fhir}/Condition?patient=her2-ihc3`, v1)).status).toBe(403);
  });
});

describe("granular v2 scopes (patient/Observation.rs?…)", () => {
  const IHC = "http://loinc.org|85319-2";
  const ISH = "http://loinc.org|85318-4";
  const limitedTo = (constraint: string, extra = "") =>
    accessToken(sandbox.url, "her2-paged", {
      scope: `launch patient/Patient.rs patient/Observation.rs?${constraint}${extra}`,
    });

  it("limits a search to what the scope allows; a search for more gives only that", async () => {
    const ihcOnly = await limitedTo(`code=${IHC}`);
    const all = await fhirGet(`${fhir}/Observation?patient=her2-paged&_count=1000`, ihcOnly);
    expect(all.status).toBe(200);
    expect(ids(all.body)).toEqual(["Observation/her2-paged-ihc-1"]);
    expect(all.body.total).toBe(1);
    const other = await fhirGet(
      `${fhir}/Observation?patient=her2-paged&code=http://loinc.org|718-7`,
      ihcOnly,
    );
    expect(other.status).toBe(200);
    expect(other.body.total).toBe(0);
  });

  it("applies a category limit: vital signs only sees none of the laboratory results", async () => {
    const vitals = await limitedTo("category=vital-signs");
    const { status, body } = await fhirGet(`${fhir}/Observation?patient=her2-paged`, vitals);
    expect(status).toBe(200);
    expect(body.total).toBe(0);
    const labs = await limitedTo(
      "category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory",
    );
    expect((await fhirGet(`${fhir}/Observation?patient=her2-paged`, labs)).body.total).toBe(100);
  });

  it("refuses a read outside the scope with 403, and allows one inside it", async () => {
    const ihcOnly = await limitedTo(`code=${IHC}`);
    expect((await fhirGet(`${fhir}/Observation/her2-paged-ihc-1`, ihcOnly)).status).toBe(200);
    const outside = await fhirGet(`${fhir}/Observation/her2-paged-lab-1-1`, ihcOnly);
    expect(outside.status).toBe(403);
    expect(issueText(outside.body)).toContain(`limit Observation to code=${IHC}`);
  });

  it("takes the union of several limits on one type", async () => {
    const either = await accessToken(sandbox.url, "her2-paged", {
      scope: `launch patient/Observation.rs?code=${IHC} patient/Observation.rs?code=${ISH}`,
    });
    const { body } = await fhirGet(`${fhir}/Observation?patient=her2-paged`, either);
    expect(ids(body).sort()).toEqual(["Observation/her2-paged-ihc-1", "Observation/her2-paged-ish-1"]);
  });

  it("an unlimited scope on the type is not narrowed by a limited one", async () => {
    const both = await accessToken(sandbox.url, "her2-paged", {
      scope: `launch patient/Observation.rs?code=${IHC} patient/Observation.rs`,
    });
    expect((await fhirGet(`${fhir}/Observation?patient=her2-paged`, both)).body.total).toBe(100);
  });

  it("does not _include resources the scope does not allow", async () => {
    const ishOnly = await limitedTo(`code=${ISH}`, " patient/Specimen.rs");
    const query = new URLSearchParams({
      patient: "her2-paged",
      _include: "Observation:has-member",
    });
    query.append("_include", "Observation:specimen");
    const { body } = await fhirGet(`${fhir}/Observation?${query.toString()}`, ishOnly);
    expect(ids(body)).toEqual(["Observation/her2-paged-ish-1", "Specimen/her2-paged-spec-1"]);
    const noSpecimenScope = await limitedTo(`code=${ISH}`);
    const withoutSpecimens = await fhirGet(`${fhir}/Observation?${query.toString()}`, noSpecimenScope);
    expect(ids(withoutSpecimens.body)).toEqual(["Observation/her2-paged-ish-1"]);
  });
});

describe("search", () => {
  it("finds HER2 results by an encoded system|code list and a bare patient id", async () => {
    const query = new URLSearchParams({ patient: "her2-paged", code: HER2_CODES, _count: "50" });
    const { status, body } = await fhirGet(`${fhir}/Observation?${query.toString()}`, token);
    expect(status).toBe(200);
    expect(body).toMatchObject({ resourceType: "Bundle", type: "searchset", total: 4 });
    expect(
      body.entry?.every((e) => e.search?.mode === "match" && e.fullUrl?.startsWith(`${fhir}/Observation/`)),
    ).toBe(true);
    expect((await allPages(`${fhir}/Observation?${query.toString()}`, token)).matches.sort()).toEqual(
      [
        "Observation/her2-paged-ihc-1",
        "Observation/her2-paged-ish-1",
        "Observation/her2-paged-ish-ratio-1",
        "Observation/her2-paged-ish-her2-1",
      ].sort(),
    );
  });

  it("finds nothing when the code system is wrong", async () => {
    const query = new URLSearchParams({ patient: "her2-paged", code: "http://snomed.info/sct|85319-2" });
    expect((await fhirGet(`${fhir}/Observation?${query.toString()}`, token)).body.total).toBe(0);
  });

  it("follows absolute next links to the end, each resource once", async () => {
    const other = await accessToken(sandbox.url, "her2-ihc2-ish-neg");
    const all = await fhirGet(`${fhir}/Observation?patient=her2-ihc2-ish-neg&_count=1000`, other);
    expect(all.body.total).toBe(5);
    const { matches, pages } = await allPages(
      `${fhir}/Observation?patient=her2-ihc2-ish-neg&_count=2`,
      other,
    );
    expect(pages).toBe(3);
    expect(matches).toEqual(ids(all.body));
  });

  it("serves her2-paged at most 2 matches a page, whatever _count asks (its maxPageSize)", async () => {
    const file = JSON.parse(readFileSync("sandbox/patients/her2-paged.json", "utf8")) as FhirJson;
    const inFile = (file.entry ?? [])
      .filter((e) => e.resource.resourceType === "Observation")
      .map((e) => `Observation/${e.resource.id ?? ""}`);
    expect(inFile.length).toBe(100);
    const first = await fhirGet(`${fhir}/Observation?patient=her2-paged&_count=15`, token);
    expect(first.body.entry?.length).toBe(2);
    expect(first.body.link?.find((l) => l.relation === "next")?.url).toContain("_count=2");
    const { matches, pages } = await allPages(`${fhir}/Observation?patient=her2-paged&_count=15`, token);
    expect(pages).toBe(50);
    expect(matches.sort()).toEqual(inFile.sort());
  });

  it("includes the specimens of the matches with search.mode include", async () => {
    const query = new URLSearchParams({
      patient: "her2-paged",
      code: HER2_CODES,
      _include: "Observation:specimen",
    });
    const { body } = await fhirGet(`${fhir}/Observation?${query.toString()}`, token);
    const included = (body.entry ?? []).filter((e) => e.search?.mode === "include");
    expect(included.map((e) => `${e.resource.resourceType}/${e.resource.id ?? ""}`)).toEqual([
      "Specimen/her2-paged-spec-1",
    ]);
    expect(body.total).toBe(4);
  });

  it("accepts POST _search with a form body", async () => {
    const res = await fetch(`${fhir}/Observation/_search`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ patient: "her2-paged", code: "http://loinc.org|85319-2" }),
    });
    expect(res.status).toBe(200);
    expect(ids((await res.json()) as FhirJson)).toEqual(["Observation/her2-paged-ihc-1"]);
  });

  it("answers 400 OperationOutcome for a malformed _count", async () => {
    const { status, body } = await fhirGet(`${fhir}/Observation?_count=many`, token);
    expect(status).toBe(400);
    expect(body.resourceType).toBe("OperationOutcome");
  });
});
