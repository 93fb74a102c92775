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
import { loinc } from "./fixtures/builders";

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
