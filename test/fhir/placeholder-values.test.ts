// @vitest-environment node
/**
 * Issue 12 point 5: a placeholder value ("See comment", "see report") is not a result; the result is read from the
 * Observation's note, the result it derives from, or the conclusion of the report that lists it. Expected statuses
 * are the guideline's for the result written there.
 */
import type { DiagnosticReport, Observation, Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import type { Assessment } from "../../src/domain";
import { assessResources } from "./fixtures/assess";
import { BREAST_SPECIMEN_REF, loinc, observation } from "./fixtures/builders";

const assessed = (resources: Resource[]): Assessment => assessResources(resources);

const her2Ihc = (id: string, rest: Partial<Observation>): Observation =>
  observation({ id, code: loinc("85319-2"), date: "2024-03-02", specimen: BREAST_SPECIMEN_REF }, rest);

describe("placeholder values are read from where they point", () => {
  it.each(["See comment", "see report", "See note.", "Refer to pathology report", "SEE FULL REPORT"])(
    'valueString "%s" with the score in Observation.note: read from the note',
    (placeholder) => {
      const a = assessed([
        her2Ihc("ihc", { valueString: placeholder, note: [{ text: "Score 3+ (positive)" }] }),
      ]);
      expect(a.status).toBe("positive");
      expect(a.unreadable).toEqual([]);
      expect(a.evidence.find((e) => e.resource === "Observation/ihc")?.used).toBe(true);
    },
  );

  it("the note's IHC 1+ gives HER2-low", () => {
    const a = assessed([her2Ihc("ihc", { valueString: "See comment", note: [{ text: "1+ (negative)" }] })]);
    expect(a.category).toBe("her2-low");
  });

  it("a placeholder whose report conclusion holds the result: read from the conclusion", () => {
    const report: DiagnosticReport = {
      resourceType: "DiagnosticReport",
      id: "rep",
      status: "final",
      code: loinc("85318-4"),
      subject: { reference: "Patient/p1" },
      effectiveDateTime: "2024-03-02",
      specimen: [BREAST_SPECIMEN_REF],
      result: [{ reference: "Observation/ihc" }],
      conclusion: "HER2 (IHC): Negative (1+)",
    };
    const a = assessed([her2Ihc("ihc", { valueString: "See report" }), report]);
    expect(a.status).toBe("negative");
    expect(a.category).toBe("her2-low");
    expect(a.unreadable).toEqual([]);
    expect(a.evidence.find((e) => e.resource === "DiagnosticReport/rep")?.used).toBe(true);
  });

  it("a placeholder deriving from the Observation that holds the score: that Observation is the result", () => {
    const a = assessed([
      her2Ihc("summary", { valueString: "See comment", derivedFrom: [{ reference: "Observation/score" }] }),
      her2Ihc("score", { valueInteger: 3 }),
    ]);
    expect(a.status).toBe("positive");
    expect(a.unreadable).toEqual([]);
  });

  it("a placeholder with nowhere to look is unreadable, and says so", () => {
    const a = assessed([her2Ihc("ihc", { valueString: "See comment" })]);
    expect(a.status).toBe("indeterminate");
    expect(a.unreadable[0]?.reason).toMatch(/"See comment" only points elsewhere/);
  });

  it("a text that merely starts like a placeholder is not one", () => {
    const a = assessed([her2Ihc("ihc", { valueString: "See comment: 3+", note: [{ text: "1+" }] })]);
    expect(a.status).toBe("positive");
  });
});

describe("a preliminary result with text is pending (issue 12 point 5)", () => {
  it("IHC 2+ with a preliminary ISH whose value is text only: pending, no reflex-ISH flag, not unreadable", () => {
    const ish = observation(
      {
        id: "ish",
        status: "preliminary",
        code: loinc("85318-4"),
        date: "2024-03-05",
        specimen: BREAST_SPECIMEN_REF,
      },
      { valueString: "ISH in progress, final report to follow" },
    );
    const a = assessed([her2Ihc("ihc", { valueString: "2+" }), ish]);
    expect(a.status).toBe("equivocal");
    expect(a.flags.map((f) => f.code)).toEqual(["result-pending"]);
    expect(a.unreadable).toEqual([]);
    expect(a.evidence.find((e) => e.resource === "Observation/ish")?.notUsedReason).toBe("pending");
  });
});
