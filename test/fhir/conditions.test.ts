// @vitest-environment node
import type { Condition, Observation } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { buildDiseaseEvents, eventOfStageObservation, eventsOfCondition } from "../../src/fhir/conditions";
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

  it("a recurrence keeps the Condition's onset as the primary diagnosis date, for the timeline (issue 18.7)", () => {
    const c = condition("c2b", {
      code: { coding: [{ system: ICD, code: "C50.411" }], text: "Breast cancer" },
      onsetDateTime: "2019-03-01",
      recordedDate: "2019-03-01",
      clinicalStatus: clinical("recurrence"),
    });
    expect(eventsOfCondition(c)).toEqual([
      expect.objectContaining({ kind: "recurrence", date: "2019-03-01", diagnosed: "2019-03-01" }),
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

describe("regional vs distant nodes and locoregional recurrence (issue 12 point 3; AJCC 8th breast regional nodes)", () => {
  const nodes = (id: string, code: string, rest: Partial<Condition> = {}): Condition =>
    condition(id, { code: { coding: [{ system: ICD, code }] }, onsetDateTime: "2025-03-01", ...rest });
  const site = (text: string) => [{ text }];

  it("C77.2 intra-abdominal, C77.4 inguinal, C77.5 intrapelvic and C77.8 multiple regions are distant", () => {
    for (const code of ["C77.2", "C77.4", "C77.5", "C77.8"]) {
      expect(eventsOfCondition(nodes(code, code))).toEqual([
        expect.objectContaining({ kind: "metastasis", date: "2025-03-01" }),
      ]);
    }
  });

  it("C77.3 axillary and SNOMED 94181007 stay regional, unless the site is contralateral (M1)", () => {
    expect(eventsOfCondition(nodes("ax", "C77.3", { bodySite: site("Left axilla") }))).toEqual([]);
    const contra = eventsOfCondition(
      nodes("cx", "C77.3", { bodySite: site("Contralateral axillary lymph nodes") }),
    );
    expect(contra.map((e) => e.kind)).toEqual(["metastasis"]);
  });

  it("C77.0 decides by site: supraclavicular (N3c) regional, cervical distant, no site uncertain", () => {
    expect(eventsOfCondition(nodes("sc", "C77.0", { bodySite: site("Supraclavicular lymph node") }))).toEqual(
      [],
    );
    expect(
      eventsOfCondition(nodes("cv", "C77.0", { bodySite: site("Cervical lymph node") })).map((e) => e.kind),
    ).toEqual(["metastasis"]);
    const [unplaced] = eventsOfCondition(nodes("u0", "C77.0"));
    expect(unplaced).toMatchObject({ kind: "metastasis", extent: "uncertain" });
  });

  it("C77.1 decides by site: internal mammary (N2b/N3b) regional, mediastinal distant", () => {
    expect(
      eventsOfCondition(nodes("im", "C77.1", { bodySite: site("Internal mammary lymph node") })),
    ).toEqual([]);
    expect(
      eventsOfCondition(nodes("md", "C77.1", { bodySite: site("Mediastinal lymph nodes") })).map(
        (e) => e.kind,
      ),
    ).toEqual(["metastasis"]);
  });

  it("a regional-node Condition with clinicalStatus recurrence is a locoregional recurrence", () => {
    const [e] = eventsOfCondition(nodes("rn", "C77.3", { clinicalStatus: clinical("recurrence") }));
    expect(e).toMatchObject({ kind: "recurrence", extent: "locoregional" });
  });

  it("a chest-wall recurrence is locoregional; a recurrence on the primary with its breast site is not placed", () => {
    const chest = condition("cw", {
      code: { coding: [{ system: ICD, code: "C50.912" }], text: "Breast cancer, left" },
      bodySite: site("Chest wall, left"),
      clinicalStatus: clinical("recurrence"),
      recordedDate: "2025-04-01",
    });
    expect(eventsOfCondition(chest)[0]).toMatchObject({ kind: "recurrence", extent: "locoregional" });
    const primary = condition("pb", {
      code: { coding: [{ system: ICD, code: "C50.912" }], text: "Breast cancer, left" },
      bodySite: site("Left breast"),
      clinicalStatus: clinical("recurrence"),
      recordedDate: "2025-04-01",
    });
    expect(eventsOfCondition(primary)[0]?.extent).toBeUndefined();
  });

  it("stage IV in text form on Condition.stage ('Stage IV (cT2 cN1 cM1)') and cM1 in a TNM text are metastatic", () => {
    const c = condition("st", {
      code: { coding: [{ system: SNOMED, code: "408643008" }] },
      stage: [{ summary: { text: "Stage IV (cT2 cN1 cM1)" } }, { summary: { text: "cT2 cN1 cM1" } }],
    });
    expect(eventsOfCondition(c).map((e) => e.kind)).toEqual(["primary", "metastasis", "metastasis"]);
    const early = condition("st3", {
      code: { coding: [{ system: SNOMED, code: "408643008" }] },
      stage: [{ summary: { text: "Stage IIIA (cT2 cN2 cM0)" } }, { summary: { text: "cT4 cN0 M0" } }],
    });
    expect(eventsOfCondition(early).map((e) => e.kind)).toEqual(["primary"]);
  });

  it("M1 in a compact TNM string (AJCC writes 'pT2N1M1', 'cT2cN1cM1') is metastatic; M0 is not", () => {
    const kinds = (tnm: string) =>
      eventsOfCondition(
        condition("st", {
          code: { coding: [{ system: SNOMED, code: "408643008" }] },
          stage: [{ summary: { text: tnm } }],
        }),
      ).map((e) => e.kind);
    for (const tnm of ["T2N1M1", "cT2cN1cM1", "ypT1N0M1", "T4bN2M1a", "pT2N1mi(sn)M1", "T2NXM1"]) {
      expect(kinds(tnm), tnm).toEqual(["primary", "metastasis"]);
      const m = observation(
        { id: "m", code: loinc("21907-1"), date: "2024-01-01" },
        { valueCodeableConcept: { text: tnm } },
      );
      expect(eventOfStageObservation(m)?.kind, tnm).toBe("metastasis");
    }
    for (const tnm of ["T2N1M0", "pT2N1M0(i+)", "cT4N2M0"]) expect(kinds(tnm), tnm).toEqual(["primary"]);
  });
});
