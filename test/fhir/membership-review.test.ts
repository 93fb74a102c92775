// @vitest-environment node
/**
 * Independent review of patient membership and unreadable input in the FHIR layer (load, query runner, normaliser):
 * probes for a resource of another patient reaching an assessment, and for input that is lost without a gap.
 */
import type { Bundle, Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { assess } from "../../src/domain";
import { loadPatientData } from "../../src/fhir/load";
import { buildPatientInput } from "../../src/fhir/normalise";
import type { FhirResponse, FhirSource } from "../../src/fhir/source";
import { BREAST_SPECIMEN, loinc, observation } from "./fixtures/builders";

const BASE = "https://ehr.example.test/fhir/r4";
const AS_OF = "2026-11-25";

function searchset(resources: readonly unknown[], next?: string): Bundle {
  return {
    resourceType: "Bundle",
    type: "searchset",
    entry: resources.map((resource) => ({ resource: resource as Resource, search: { mode: "match" } })),
    ...(next ? { link: [{ relation: "next", url: next }] } : {}),
  };
}

/** A source answering each resource type's search with `pages[type]` (a body, or a list of bodies by URL order). */
function scripted(answers: Record<string, unknown>, log: string[] = []): FhirSource {
  return {
    baseUrl: BASE,
    get(url): Promise<FhirResponse> {
      log.push(url);
      const path = (url.startsWith(BASE) ? url.slice(BASE.length + 1) : url).split("?")[0] ?? "";
      if (path === "metadata") return Promise.resolve({ status: 404, headers: {} });
      const exact = answers[url];
      const body = exact ?? answers[path.split("/")[0] ?? ""] ?? searchset([]);
      return Promise.resolve({ status: 200, headers: {}, body });
    },
  };
}

const IHC = loinc("85319-2", "HER2 [Presence] in Breast cancer specimen by Immune stain");

async function assessFrom(answers: Record<string, unknown>, log?: string[]) {
  const loaded = await loadPatientData(scripted(answers, log), "p1", { timeoutMs: 5000 });
  const input = buildPatientInput({
    patient: "Patient/p1",
    resources: loaded.resources,
    asOf: AS_OF,
    dataGaps: loaded.gaps,
    fhirBase: BASE,
  });
  return { loaded, input, assessment: assess(input) };
}

describe("a search page's entries that are not resources", () => {
  it("an entry whose resource has no resourceType is a gap, not a crash nor a silent drop", async () => {
    const bad = { id: "o9", code: IHC, subject: { reference: "Patient/p1" }, valueString: "3+" };
    const { loaded } = await assessFrom({
      Patient: { resourceType: "Patient", id: "p1" },
      Observation: searchset([bad]),
    });
    const gap = loaded.gaps.find((g) => g.resourceType === "Observation");
    expect(gap?.kind).toBe("partial");
    expect(gap?.affectsAssessment).toBe(true);
    expect(gap?.reason).toBe(
      "Observation: 1 entry(ies) of the results are not FHIR resources (no resourceType) and could not be read",
    );
  });
});

const ihcObs = (id: string, patient: string, score: string, rest = {}) =>
  observation({ id, patient, code: IHC, date: "2026-03-02" }, { valueString: score, ...rest });

describe("a search page whose entries are not objects", () => {
  it.each([
    ["a null entry", { resourceType: "Bundle", type: "searchset", entry: [null] }],
    ["entry not an array", { resourceType: "Bundle", type: "searchset", entry: { resource: {} } }],
  ])("%s: a gap that says so, and the page's other resources are kept", async (_label, page) => {
    const good = ihcObs("o1", "p1", "0");
    const body = Array.isArray(page.entry) ? { ...page, entry: [...page.entry, { resource: good }] } : page;
    const { loaded } = await assessFrom({
      Patient: { resourceType: "Patient", id: "p1" },
      Observation: body,
    });
    const gap = loaded.gaps.find((g) => g.resourceType === "Observation");
    expect(gap?.kind).toBe("partial");
    expect(gap?.reason).toMatch(/^Observation: 1 entry\(ies\) of the results are not FHIR resources/);
    if (Array.isArray(page.entry)) expect(loaded.resources.map((r) => r.id)).toContain("o1");
  });
});

describe("another patient's resources that a server sends (probes)", () => {
  it("a next link that changes patient=: the other patient's result is left out with a gap", async () => {
    const next = `${BASE}/Observation?patient=p2&page=2`;
    const log: string[] = [];
    const { input, loaded } = await assessFrom(
      {
        Patient: { resourceType: "Patient", id: "p1" },
        Observation: searchset([ihcObs("o1", "p1", "0")], next),
        [next]: searchset([ihcObs("o2", "p2", "3+")]),
      },
      log,
    );
    expect(log).toContain(next);
    expect(loaded.resources.map((r) => r.id)).toContain("o2");
    expect(input.tests.map((t) => t.source)).toEqual(["Observation/o1"]);
    const gap = input.dataGaps?.find((g) => g.kind === "excluded");
    expect(gap?.reason).toContain("Observation/o2: it belongs to another patient (Patient/p2)");
  });

  it("a Patient read that answers another patient: not the patient, and a gap", async () => {
    const { loaded, input } = await assessFrom({ Patient: { resourceType: "Patient", id: "p2" } });
    expect(loaded.patient).toBeUndefined();
    expect(input.dataGaps?.map((g) => [g.resourceType, g.kind])).toContainEqual(["Patient", "excluded"]);
  });

  it("the patient's report whose result[] names another patient's Observation reads none of it", async () => {
    const report = {
      resourceType: "DiagnosticReport",
      id: "r1",
      status: "final",
      code: { text: "HER2 IHC" },
      subject: { reference: "Patient/p1" },
      result: [{ reference: "Observation/o2" }],
    };
    const { input } = await assessFrom({
      Patient: { resourceType: "Patient", id: "p1" },
      Observation: searchset([ihcObs("o2", "p2", "3+")]),
      DiagnosticReport: searchset([report]),
    });
    expect(input.tests.filter((t) => t.source === "Observation/o2")).toEqual([]);
    expect(input.tests.some((t) => t.status !== "unknown" && "score" in t)).toBe(false);
  });

  it("another patient's Specimen gives the patient's result none of its details", () => {
    const other = { ...BREAST_SPECIMEN, id: "s2", subject: { reference: "Patient/p2" } };
    const input = buildPatientInput({
      patient: "Patient/p1",
      resources: [ihcObs("o1", "p1", "3+", { specimen: { reference: "Specimen/s2" } }), other],
      asOf: AS_OF,
      fhirBase: BASE,
    });
    expect(input.tests[0]?.specimen).toEqual({ reference: "Specimen/s2" });
    expect(input.dataGaps?.map((g) => [g.resourceType, g.kind])).toEqual([["Specimen", "excluded"]]);
  });

  it("a contained Specimen whose subject is another patient lends the result none of its details", () => {
    const contained = { ...BREAST_SPECIMEN, id: "sp", subject: { reference: "Patient/p2" } };
    const input = buildPatientInput({
      patient: "Patient/p1",
      resources: [ihcObs("o1", "p1", "3+", { specimen: { reference: "#sp" }, contained: [contained] })],
      asOf: AS_OF,
      fhirBase: BASE,
    });
    // Before: the other patient's label, left side and collection date were this patient's specimen.
    expect(input.tests[0]?.specimen).toBeUndefined();
    expect(input.tests[0]?.status).toBe("final");
  });

  it.each([
    ["no subject", {}],
    ["the same subject", { subject: { reference: "Patient/p1" } }],
    ["the same patient with a version", { subject: { reference: "Patient/p1/_history/2" } }],
  ])("a contained Specimen with %s is still read", (_label, subject) => {
    const contained = { ...BREAST_SPECIMEN, id: "sp", subject: undefined, ...subject };
    const input = buildPatientInput({
      patient: "Patient/p1",
      resources: [ihcObs("o1", "p1", "3+", { specimen: { reference: "#sp" }, contained: [contained] })],
      asOf: AS_OF,
      fhirBase: BASE,
    });
    expect(input.tests[0]?.specimen).toEqual({
      label: "S24-1234",
      bodySite: "Left breast",
      collected: "2024-03-01",
    });
  });
});
