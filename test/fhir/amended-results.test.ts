// @vitest-environment node
/**
 * Issue 12 point 5: a result replaced by an amended or corrected version is listed as superseded and never used,
 * whichever way the EHR stores the amendment. Expected statuses are the guideline's for the amended value alone.
 */
import type { DiagnosticReport, Observation, Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import type { Assessment } from "../../src/domain";
import { assessResources } from "./fixtures/assess";
import { BREAST_SPECIMEN_REF, loinc, observation } from "./fixtures/builders";

const SPEC_REF = BREAST_SPECIMEN_REF;

const assessed = (resources: Resource[]): Assessment => assessResources(resources);

const ihc = (
  id: string,
  value: string,
  rest: Partial<Observation> = {},
  status: Observation["status"] = "final",
) =>
  observation(
    { id, status, code: loinc("85319-2"), date: "2024-03-02", specimen: SPEC_REF },
    { valueString: value, ...rest },
  );

function notUsedReason(a: Assessment, resource: string): string | undefined {
  return a.evidence.find((e) => e.resource === resource)?.notUsedReason;
}

describe("amended or corrected results replace the version they amend", () => {
  it("a corrected Observation whose derivedFrom names the original (3+ corrected to 1+): HER2-low, the 3+ superseded", () => {
    const original = ihc("ihc-old", "3+");
    const corrected = ihc(
      "ihc-new",
      "1+",
      { derivedFrom: [{ reference: "Observation/ihc-old" }] },
      "corrected",
    );
    const a = assessed([original, corrected]);
    expect(a.status).toBe("negative");
    expect(a.category).toBe("her2-low");
    expect(notUsedReason(a, "Observation/ihc-old")).toBe("superseded by Observation/ihc-new");
    expect(a.flags.map((f) => f.code)).not.toContain("discordant-results");
  });

  it("an amended Observation from an amendment feed without the specimen, with a `replaces` extension (absolute URL)", () => {
    const original = ihc("ihc-old", "3+");
    const amended = observation(
      { id: "ihc-new", status: "amended", code: loinc("85319-2"), date: "2024-03-20" },
      {
        valueString: "1+",
        extension: [
          {
            url: "http://hl7.org/fhir/5.0/StructureDefinition/extension-Observation.replaces",
            valueReference: { reference: "https://ehr.example.org/fhir/Observation/ihc-old" },
          },
        ],
      },
    );
    const a = assessed([original, amended]);
    expect(a.status).toBe("negative");
    expect(a.category).toBe("her2-low");
    expect(notUsedReason(a, "Observation/ihc-old")).toBe("superseded by Observation/ihc-new");
    expect(a.flags.map((f) => f.code)).not.toContain("discordant-results");
  });

  it("a final Observation with derivedFrom is not an amendment (ratio derived from counts)", () => {
    const counts = ihc("ihc-a", "2+");
    const other = ihc("ihc-b", "2+", { derivedFrom: [{ reference: "Observation/ihc-a" }] });
    const a = assessed([counts, other]);
    expect(notUsedReason(a, "Observation/ihc-a")).toBeUndefined();
  });

  it("two amended results naming each other: neither is known to be newer, neither is dropped", () => {
    const a1 = ihc("x", "1+", { derivedFrom: [{ reference: "Observation/y" }] }, "amended");
    const a2 = ihc("y", "1+", { derivedFrom: [{ reference: "Observation/x" }] }, "amended");
    const a = assessed([a1, a2]);
    expect(notUsedReason(a, "Observation/x") ?? "").not.toMatch(/^superseded by Observation/);
    expect(notUsedReason(a, "Observation/y") ?? "").not.toMatch(/^superseded by Observation/);
    expect(a.status).toBe("negative");
  });

  const report = (id: string, status: DiagnosticReport["status"], results: string[]): DiagnosticReport => ({
    resourceType: "DiagnosticReport",
    id,
    status,
    identifier: [{ system: "urn:oid:1.2.3.4", value: "S24-1234-HER2" }],
    code: loinc("85318-4"),
    subject: { reference: "Patient/p1" },
    effectiveDateTime: "2024-03-02",
    specimen: [SPEC_REF],
    result: results.map((r) => ({ reference: `Observation/${r}` })),
  });

  it("a DiagnosticReport status amended with the report's accession lists the new result: the old result is replaced", () => {
    const old = ihc("ihc-1", "0");
    const fresh = ihc("ihc-2", "1+", {}, "final");
    const a = assessed([
      old,
      fresh,
      report("rep-1", "final", ["ihc-1"]),
      report("rep-2", "amended", ["ihc-2"]),
    ]);
    expect(a.status).toBe("negative");
    expect(a.category).toBe("her2-low");
    expect(notUsedReason(a, "Observation/ihc-1")).toBe("superseded by DiagnosticReport/rep-2");
    expect(notUsedReason(a, "Observation/ihc-2")).toBeUndefined();
  });

  it("an amended report that lists the unchanged result again keeps it", () => {
    const ihcResult = ihc("ihc-1", "1+");
    const a = assessed([
      ihcResult,
      report("rep-1", "final", ["ihc-1"]),
      report("rep-2", "amended", ["ihc-1"]),
    ]);
    expect(notUsedReason(a, "Observation/ihc-1")).toBeUndefined();
    expect(a.status).toBe("negative");
  });

  it("an amended report conclusion replaces the old report's conclusion", () => {
    const conclusion = (id: string, status: DiagnosticReport["status"], text: string): DiagnosticReport => ({
      ...report(id, status, []),
      conclusion: text,
    });
    const a = assessed([
      conclusion("rep-1", "final", "HER2 (IHC): Positive (3+)"),
      conclusion("rep-2", "corrected", "HER2 (IHC): Negative (1+)"),
    ]);
    expect(a.status).toBe("negative");
    expect(notUsedReason(a, "DiagnosticReport/rep-1")).toBe("superseded by DiagnosticReport/rep-2");
  });
});
