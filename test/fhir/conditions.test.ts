// @vitest-environment node
import type { Condition, Observation } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { buildDiseaseEvents, eventsOfCondition } from "../../src/fhir/conditions";
import { loinc, observation, SNOMED } from "./fixtures/builders";

const ICD = "http://hl7.org/fhir/sid/icd-10-cm";
const clinical = (code: string) => ({
  coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code }],
});

function condition(id: string, rest: Partial<Condition>): Condition {
  return { resourceType: "Condition", id, subject: { reference: "Patient/p1" }, ...rest };
}

describe("disease events from Conditions", () => {
  it("Synthea-style SNOMED breast cancer with onset: primary", () => {
    const c = condition("c1", {
      code: {
        coding: [{ system: SNOMED, code: "254837009", display: "Malignant neoplasm of breast (disorder)" }],
      },
      onsetDateTime: "2019-05-02T10:00:00-04:00",
      clinicalStatus: clinical("active"),
    });
    expect(eventsOfCondition(c)).toEqual([
      {
        kind: "primary",
        source: "Condition/c1",
        date: "2019-05-02T10:00:00-04:00",
        description: "Malignant neoplasm of breast (disorder)",
      },
    ]);
  });

  it("clinicalStatus relapse on the breast cancer: recurrence dated by the later of onset and recordedDate", () => {
    const c = condition("c2", {
      code: { coding: [{ system: ICD, code: "C50.411" }], text: "Breast cancer, right upper-outer quadrant" },
      onsetDateTime: "2018-01-10",
      recordedDate: "2025-02-03",
      clinicalStatus: clinical("relapse"),
    });
    expect(eventsOfCondition(c)).toEqual([
      expect.objectContaining({ kind: "recurrence", date: "2025-02-03" }),
    ]);
  });

  it("ICD-10-CM C79.51 (bone): metastasis, with body site", () => {
    const c = condition("c3", {
      code: { coding: [{ system: ICD, code: "C79.51", display: "Secondary malignant neoplasm of bone" }] },
      bodySite: [{ text: "Lumbar spine" }],
      onsetDateTime: "2025-06-01",
    });
    expect(eventsOfCondition(c)).toEqual([
      expect.objectContaining({ kind: "metastasis", date: "2025-06-01", bodySite: "Lumbar spine" }),
    ]);
  });

  it("mCODE SecondaryCancerCondition by category, without onset: metastasis without date", () => {
    const c = condition("c4", {
      category: [{ coding: [{ system: SNOMED, code: "128462008" }] }],
      code: {
        coding: [{ system: SNOMED, code: "94225005", display: "Secondary malignant neoplasm of brain" }],
      },
    });
    const [event] = eventsOfCondition(c);
    expect(event).toMatchObject({ kind: "metastasis" });
    expect(event?.date).toBeUndefined();
  });

  it("regional lymph nodes (C77.3, SNOMED 94181007) are not distant metastasis", () => {
    expect(
      eventsOfCondition(condition("n1", { code: { coding: [{ system: ICD, code: "C77.3" }] } })),
    ).toEqual([]);
    expect(
      eventsOfCondition(condition("n2", { code: { coding: [{ system: SNOMED, code: "94181007" }] } })),
    ).toEqual([]);
  });

  it("history of breast cancer (Z85.3), refuted and entered-in-error Conditions give no event", () => {
    expect(eventsOfCondition(condition("h", { code: { coding: [{ system: ICD, code: "Z85.3" }] } }))).toEqual(
      [],
    );
    const refuted = condition("r", {
      code: { coding: [{ system: ICD, code: "C78.7" }] },
      verificationStatus: {
        coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-ver-status", code: "refuted" }],
      },
    });
    expect(eventsOfCondition(refuted)).toEqual([]);
  });

  it("a local code read by its text says so", () => {
    const [event] = eventsOfCondition(
      condition("t", { code: { text: "Metastatic breast carcinoma to liver" } }),
    );
    expect(event?.kind).toBe("metastasis");
    expect(event?.description).toMatch(/identified by its text/);
  });

  it("Condition.stage summary IV: metastasis", () => {
    const c = condition("s", {
      code: { coding: [{ system: SNOMED, code: "408643008" }] },
      stage: [{ summary: { coding: [{ system: "http://cancerstaging.org", code: "4", display: "IV" }] } }],
    });
    expect(eventsOfCondition(c).map((e) => e.kind)).toEqual(["primary", "metastasis"]);
  });
});

describe("disease events from staging Observations", () => {
  const stage = (id: string, code: string, value: string, system = "http://cancerstaging.org"): Observation =>
    observation(
      { id, code: loinc(code), date: "2025-06-10" },
      { valueCodeableConcept: { coding: [{ system, code: value }] } },
    );

  it("M1 (cM1, pM1b) and stage IV/IVB: metastasis; M0 and stage III: none", () => {
    const events = buildDiseaseEvents([
      stage("m1", "21907-1", "cM1"),
      stage("m1b", "21901-4", "pM1b"),
      stage("iv", "21908-9", "4"),
      stage("m0", "21907-1", "cM0"),
      stage("iii", "21902-2", "3A"),
      observation({ id: "ivb", code: loinc("21908-9") }, { valueCodeableConcept: { text: "Stage IVB" } }),
    ]);
    expect(events.map((e) => e.source).sort()).toEqual([
      "Observation/iv",
      "Observation/ivb",
      "Observation/m1",
      "Observation/m1b",
    ]);
    expect(events.find((e) => e.source === "Observation/m1")?.date).toBe("2025-06-10");
  });
});
