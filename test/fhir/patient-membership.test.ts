// @vitest-environment node
/**
 * Every form a patient reference can take (issue 16, point 1), over every per-patient resource type: only a relative
 * `Patient/X` or an absolute reference on the same FHIR base is the patient's; everything else is left out with its
 * reason, and never reaches the assessment.
 */
import type { Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { assess } from "../../src/domain";
import { buildPatientInput } from "../../src/fhir/normalise";
import { membershipOf, patientNamedBy } from "../../src/fhir/patient-membership";
import { loinc, observation } from "./fixtures/builders";

const BASE = "https://ehr.example.test/fhir/r4";
const X = "p1";

/** [form, subject element (undefined: no subject), accepted with the base known, reason word when rejected]. */
const FORMS: [string, unknown, boolean, string?][] = [
  ["relative", { reference: "Patient/p1" }, true],
  ["relative with a version", { reference: "Patient/p1/_history/3" }, true],
  ["relative with display", { reference: "Patient/p1", display: "Doe, Jane" }, true],
  ["relative with type Patient", { reference: "Patient/p1", type: "Patient" }, true],
  ["absolute, same base", { reference: `${BASE}/Patient/p1` }, true],
  ["absolute, same base with a version", { reference: `${BASE}/Patient/p1/_history/2` }, true],
  [
    "absolute, same base in upper-case host",
    { reference: "https://EHR.example.test/fhir/r4/Patient/p1" },
    true,
  ],
  ["no subject", undefined, false, "no subject"],
  ["empty subject", {}, false, "no subject"],
  ["display only", { display: "Doe, Jane" }, false, "display-only"],
  ["identifier only", { identifier: { system: "urn:mrn", value: "123" } }, false, "identifier-only"],
  ["contained", { reference: "#pat" }, false, "contained"],
  [
    "absolute, another server",
    { reference: "https://other.example.test/fhir/r4/Patient/p1" },
    false,
    "another server",
  ],
  [
    "absolute, another path on the server",
    { reference: "https://ehr.example.test/fhir/dstu2/Patient/p1" },
    false,
    "another server",
  ],
  ["wrong case", { reference: "patient/p1" }, false, "not a Patient reference"],
  ["a Group", { reference: "Group/p1" }, false, "not a Patient reference"],
  ["an absolute Group", { reference: `${BASE}/Group/p1` }, false, "not a Patient reference"],
  ["type says Group", { reference: "Patient/p1", type: "Group" }, false, "not a Patient reference"],
  ["urn:uuid", { reference: "urn:uuid:5b1c2f8e-8f0e-4b39-9a51-6c2a3c1d7e10" }, false, "urn:"],
  ["urn:oid", { reference: "urn:oid:1.2.3.4" }, false, "urn:"],
  ["conditional", { reference: "Patient?identifier=urn:mrn|123" }, false, "conditional"],
  ["another id", { reference: "Patient/p2" }, false, "another patient"],
  ["an id that only starts like it", { reference: "Patient/p1x" }, false, "another patient"],
  ["spaces", { reference: " Patient/p1" }, false, "malformed"],
  ["not a FHIR reference", { reference: "p1" }, false, "malformed"],
  ["an invalid id", { reference: "Patient/p 1" }, false, "malformed"],
  ["an empty id", { reference: "Patient/" }, false, "malformed"],
  ["an id of 65 characters", { reference: `Patient/${"a".repeat(65)}` }, false, "malformed"],
  ["an id with an underscore", { reference: "Patient/p_1" }, false, "malformed"],
  ["an id followed by a slash", { reference: "Patient/p1/" }, false, "malformed"],
  ["reference not a string", { reference: 1 }, false, "malformed"],
  ["subject not an object", "Patient/p1", false, "malformed"],
  ["subject null", null, false, "malformed"],
  ["subject an array", [{ reference: "Patient/p1" }], false, "malformed"],
];

const TYPES = [
  "Observation",
  "Condition",
  "MedicationRequest",
  "MedicationStatement",
  "MedicationAdministration",
  "MedicationDispense",
  "Specimen",
  "DiagnosticReport",
  "Procedure",
];

function withSubject(resourceType: string, subject: unknown, field = "subject"): Resource {
  return {
    resourceType,
    id: "r1",
    ...(subject === undefined ? {} : { [field]: subject }),
  };
}

describe("membershipOf: every reference form, every resource type", () => {
  for (const [form, subject, accepted, why] of FORMS) {
    it(`${form}: ${accepted ? "belongs to the patient" : `left out (${why ?? ""})`}`, () => {
      for (const type of TYPES) {
        const result = membershipOf(withSubject(type, subject), X, BASE);
        expect(result.belongs, type).toBe(accepted);
        if (!result.belongs) expect(result.why, type).toContain(why);
      }
    });
  }

  it("a trailing slash on either base is the same base", () => {
    for (const base of [BASE, `${BASE}/`]) {
      for (const reference of [`${BASE}/Patient/p1`, `${BASE}//Patient/p1`]) {
        expect(membershipOf(withSubject("Observation", { reference }), X, base).belongs).toBe(true);
      }
    }
  });

  it("without a known base, an absolute reference is not the patient's", () => {
    const result = membershipOf(withSubject("Observation", { reference: `${BASE}/Patient/p1` }), X);
    expect(result).toMatchObject({ belongs: false, why: "an absolute reference without a known FHIR base" });
  });

  it("reads the older `patient` element, and refuses subject and patient that disagree", () => {
    expect(
      membershipOf(withSubject("MedicationStatement", { reference: "Patient/p1" }, "patient"), X).belongs,
    ).toBe(true);
    const both = {
      resourceType: "Observation",
      id: "r",
      subject: { reference: "Patient/p1" },
      patient: { reference: "Patient/p2" },
    };
    expect(membershipOf(both as unknown as Resource, X)).toMatchObject({
      belongs: false,
      why: "subject and patient disagree",
    });
  });

  it("with subject and patient, the first that cannot be read gives the reason; both agreeing are the patient", () => {
    const both = (subject: unknown, patient: unknown): Resource =>
      ({ resourceType: "Observation", id: "r", subject, patient }) as unknown as Resource;
    expect(patientNamedBy(both({ reference: "#p" }, { reference: "Group/g" }))).toMatchObject({
      kind: "unproven",
      why: "a contained reference",
    });
    expect(patientNamedBy(both({ reference: "Patient/p1" }, { reference: "Group/g" }))).toMatchObject({
      kind: "unproven",
      why: "not a Patient reference",
    });
    expect(patientNamedBy(both({ reference: "Patient/p1" }, { reference: "Patient/p1/_history/2" }))).toEqual(
      {
        kind: "patient",
        id: "p1",
      },
    );
    expect(patientNamedBy(withSubject("Observation", "a".repeat(64)))).toMatchObject({
      kind: "unproven",
    });
    expect(patientNamedBy(withSubject("Observation", { reference: `Patient/${"a".repeat(64)}` }))).toEqual({
      kind: "patient",
      id: "a".repeat(64),
    });
  });

  it("a Patient is the patient by its own id", () => {
    expect(patientNamedBy({ resourceType: "Patient", id: "p1" })).toEqual({ kind: "patient", id: "p1" });
    expect(membershipOf({ resourceType: "Patient", id: "p2" }, X)).toMatchObject({
      belongs: false,
      why: "another patient",
    });
    expect(patientNamedBy({ resourceType: "Patient" })).toMatchObject({ kind: "unproven" });
    for (const id of ["", "p 1", "p_1", "a".repeat(65), "p1/"])
      expect(patientNamedBy({ resourceType: "Patient", id }), id).toMatchObject({ kind: "unproven" });
    expect(patientNamedBy({ resourceType: "Patient", id: "A-z.9".repeat(12) + "abcd" })).toEqual({
      kind: "patient",
      id: "A-z.9".repeat(12) + "abcd",
    });
  });
});

describe("buildPatientInput leaves out what is not the patient's", () => {
  const low = observation(
    { id: "ihc-low", code: loinc("85319-2"), date: "2026-01-10" },
    { valueString: "1+" },
  );

  it("a HER2-low patient stays HER2-low whatever another patient's IHC 3+ is filed under", () => {
    for (const [form, subject, accepted] of FORMS) {
      if (accepted) continue;
      const intruder = {
        ...observation({ id: "ihc-3", code: loinc("85319-2"), date: "2026-02-10" }, { valueString: "3+" }),
        subject,
      };
      if (subject === undefined) delete (intruder as { subject?: unknown }).subject;
      const input = buildPatientInput({
        patient: `Patient/${X}`,
        resources: [low, intruder],
        asOf: "2026-11-25",
        fhirBase: BASE,
      });
      const assessment = assess(input);
      expect(assessment.category, form).toBe("her2-low");
      expect(
        assessment.evidence.map((e) => e.resource),
        form,
      ).toEqual(["Observation/ihc-low"]);
      expect(assessment.dataGaps, form).toEqual([
        expect.objectContaining({
          resourceType: "Observation",
          kind: "excluded",
          affectsAssessment: true,
          reason: expect.stringMatching(
            /^1 Observation resource\(s\) left out .*Observation\/ihc-3: /,
          ) as unknown,
        }),
      ]);
    }
  });

  it("counts the excluded resources per type and names why", () => {
    const resources = [
      low,
      withSubject("Observation", { display: "Jane" }),
      { ...withSubject("Observation", { reference: "Patient/p2" }), id: "r2" },
      withSubject("Condition", undefined),
      withSubject("Specimen", { reference: "Group/g" }),
    ];
    const input = buildPatientInput({ patient: `Patient/${X}`, resources, asOf: "2026-11-25" });
    expect(input.dataGaps?.map((g) => [g.resourceType, g.reason.split(":")[0]])).toEqual([
      [
        "Condition",
        "1 Condition resource(s) left out of the assessment because they cannot be proven to be Patient/p1's (1 no subject)",
      ],
      [
        "Observation",
        "2 Observation resource(s) left out of the assessment because they cannot be proven to be Patient/p1's (1 a display-only reference, 1 another patient)",
      ],
      [
        "Specimen",
        "1 Specimen resource(s) left out of the assessment because they cannot be proven to be Patient/p1's (1 not a Patient reference)",
      ],
    ]);
  });
});
