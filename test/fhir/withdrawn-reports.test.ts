// @vitest-environment node
/**
 * A HER2 result listed only by a DiagnosticReport (or a HER2 panel) that was withdrawn (status entered-in-error or
 * cancelled) is not used, even when the Observation itself still says "final": FHIR R4 DiagnosticReport.status
 * entered-in-error means the report "should not have existed" and cancelled that it "is unavailable", and EHRs often
 * withdraw the report without re-sending each result. Listed as not used, never the basis of a status.
 */
import type { DiagnosticReport, Observation, Resource, Specimen } from "fhir/r4";
import { describe, expect, it } from "vitest";
import type { Assessment } from "../../src/domain";
import { assessResources } from "./fixtures/assess";
import { BREAST_SPECIMEN_REF, loinc, observation } from "./fixtures/builders";

const ihc = (id: string, value: string, rest: Partial<Observation> = {}): Observation =>
  observation(
    { id, code: loinc("85319-2"), date: "2024-03-02", specimen: BREAST_SPECIMEN_REF },
    { valueString: value, ...rest },
  );

const report = (id: string, status: DiagnosticReport["status"], results: string[]): DiagnosticReport => ({
  resourceType: "DiagnosticReport",
  id,
  status,
  code: loinc("22637-3", "Pathology report final diagnosis"),
  subject: { reference: "Patient/p1" },
  effectiveDateTime: "2024-03-02",
  result: results.map((reference) => ({ reference })),
});

const evidenceOf = (a: Assessment, resource: string) => a.evidence.find((e) => e.resource === resource);
const assessed = (resources: Resource[]): Assessment => assessResources(resources);

describe("results of a withdrawn report or panel are not used", () => {
  it("IHC 3+ (final) listed only by a report entered in error: no positive status, listed as not used", () => {
    const a = assessed([report("r1", "entered-in-error", ["Observation/ihc"]), ihc("ihc", "3+")]);
    expect(a.status).toBe("no-result");
    expect(evidenceOf(a, "Observation/ihc")).toMatchObject({ used: false, status: "entered-in-error" });
    expect(evidenceOf(a, "Observation/ihc")?.readAs).toContain(
      "DiagnosticReport/r1 is entered-in-error, so its results are not used",
    );
  });

  it("IHC 3+ (final) listed only by a cancelled report: not used", () => {
    const a = assessed([report("r1", "cancelled", ["Observation/ihc"]), ihc("ihc", "3+")]);
    expect(a.status).toBe("no-result");
    expect(evidenceOf(a, "Observation/ihc")).toMatchObject({ used: false, status: "cancelled" });
  });

  it("a withdrawn report beside a newer version: the 1+ of the withdrawn one is not used, the valid 3+ governs", () => {
    const a = assessed([
      report("r1", "entered-in-error", ["Observation/old"]),
      ihc("old", "1+"),
      report("r2", "final", ["Observation/new"]),
      ihc("new", "3+"),
    ]);
    expect(a.status).toBe("positive");
    expect(a.flags.map((f) => f.code)).not.toContain("discordant-results");
    expect(evidenceOf(a, "Observation/old")?.used).toBe(false);
  });

  it("a result also listed by a report that stands is used (only a result every report withdrew is dropped)", () => {
    const a = assessed([
      report("r1", "entered-in-error", ["Observation/ihc"]),
      report("r2", "final", ["Observation/ihc"]),
      ihc("ihc", "3+"),
    ]);
    expect(a.status).toBe("positive");
    expect(evidenceOf(a, "Observation/ihc")?.used).toBe(true);
  });

  it("a member of a HER2 panel entered in error is not used", () => {
    const panel = observation(
      { id: "panel", code: loinc("85319-2"), date: "2024-03-02", status: "entered-in-error" },
      { hasMember: [{ reference: "Observation/ihc" }] },
    );
    const a = assessed([panel, ihc("ihc", "3+")]);
    expect(a.status).toBe("no-result");
    expect(evidenceOf(a, "Observation/ihc")).toMatchObject({ used: false, status: "entered-in-error" });
  });

  it("a result on a Specimen entered in error (e.g. mislabelled tissue) is not used; one on an available Specimen is", () => {
    const specimen = (status: Specimen["status"]): Specimen => ({
      resourceType: "Specimen",
      id: "spec-x",
      status,
      subject: { reference: "Patient/p1" },
      collection: { collectedDateTime: "2024-03-01", bodySite: { text: "Left breast" } },
    });
    const onIt = (): Observation =>
      observation(
        { id: "ihc", code: loinc("85319-2"), date: "2024-03-02", specimen: { reference: "Specimen/spec-x" } },
        { valueString: "3+" },
      );
    const withdrawn = assessed([specimen("entered-in-error"), onIt()]);
    expect(withdrawn.status).toBe("no-result");
    expect(evidenceOf(withdrawn, "Observation/ihc")).toMatchObject({
      used: false,
      status: "entered-in-error",
    });
    expect(evidenceOf(withdrawn, "Observation/ihc")?.readAs).toContain(
      "Specimen/spec-x is entered-in-error, so its results are not used",
    );
    expect(assessed([specimen("available"), onIt()]).status).toBe("positive");
    // A report conclusion on that specimen, too.
    const concluded = {
      ...report("r1", "final", []),
      conclusion: "HER2 IHC 3+",
      specimen: [{ reference: "Specimen/spec-x" }],
    };
    expect(assessed([specimen("entered-in-error"), concluded]).status).toBe("no-result");
    expect(assessed([specimen("available"), concluded]).status).toBe("positive");
  });

  it("a final report's results are used as before", () => {
    const a = assessed([report("r1", "final", ["Observation/ihc"]), ihc("ihc", "3+")]);
    expect(a.status).toBe("positive");
    expect(evidenceOf(a, "Observation/ihc")).toMatchObject({ used: true, status: "final" });
  });
});
