/**
 * Issue 17.5: the category text names the test that gave a score-less negative, and a status that rests only on the
 * words of a result under an unrecognised code says so. Run through the FHIR layer and the rules, as the app does.
 */
import { screen, within } from "@testing-library/react";
import type { CodeableConcept, Observation } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { assessResources } from "../fhir/fixtures/assess";
import { BREAST_SPECIMEN_REF, loinc, observation } from "../fhir/fixtures/builders";
import { PATIENT } from "./fixtures";
import { renderPanel } from "./render";

const IHC = loinc("85319-2", "HER2 [Presence] in Breast cancer specimen by Immune stain");
const ISH = loinc("85318-4", "HER2 [Presence] in Breast cancer specimen by FISH");
/** A local code the app does not know (no code map): identified by its display text only. */
const localCode = (text: string): CodeableConcept => ({
  coding: [{ system: "urn:oid:1.2.3.4.5", code: "LAB-77", display: text }],
  text,
});

function result(id: string, code: CodeableConcept, value: Partial<Observation>): Observation {
  return observation({ id, code, date: "2026-03-02", specimen: BREAST_SPECIMEN_REF }, value);
}

function header(resources: Observation[]) {
  const assessment = assessResources(resources);
  renderPanel({
    state: { kind: "ready", assessment, events: [], therapies: [] },
    patient: { ...PATIENT, reference: "Patient/p1" },
  });
  return { assessment, header: screen.getByTestId("status-header") };
}

const negative = { valueCodeableConcept: { text: "Negative" } };

describe("the category names the test behind a negative without an IHC score (17.5)", () => {
  it("an IHC-coded 'Negative' without a score is negative by IHC, not by ISH", () => {
    const { assessment, header: h } = header([result("ihc-neg", IHC, negative)]);
    expect(assessment.category).toBe("her2-negative");
    expect(h).toHaveTextContent("Negative by IHC, reported without a score");
    expect(h).not.toHaveTextContent(/by ISH/);
  });

  it("an ISH-coded 'Negative' is negative by ISH", () => {
    const { assessment, header: h } = header([result("ish-neg", ISH, negative)]);
    expect(assessment.category).toBe("her2-negative");
    expect(h).toHaveTextContent("Negative by ISH; no IHC score to separate HER2-low from HER2 0.");
  });
});

describe("a status resting only on the text of an unrecognised code is shown as such (17.5)", () => {
  it("flags a call under a code known only by its display text, with no score", () => {
    const { assessment, header: h } = header([
      result("text-pos", localCode("HER2 IHC result"), { valueCodeableConcept: { text: "Positive" } }),
    ]);
    expect(assessment.status).toBe("positive");
    expect(within(h).getByTestId("text-only-basis")).toHaveTextContent(
      /report's words only: the result's code is not a recognised HER2 code and no score is given/,
    );
    expect(assessment.evidence.find((e) => e.used)?.textOnly).toBe(true);
  });

  it("does not flag the same code when a score is given", () => {
    const { assessment, header: h } = header([
      result("text-3plus", localCode("HER2 IHC result"), { valueCodeableConcept: { text: "3+" } }),
    ]);
    expect(assessment.status).toBe("positive");
    expect(within(h).queryByTestId("text-only-basis")).toBeNull();
  });

  it("does not flag a call under a recognised code", () => {
    const { header: h } = header([result("ihc-pos", IHC, { valueCodeableConcept: { text: "Positive" } })]);
    expect(within(h).queryByTestId("text-only-basis")).toBeNull();
  });

  it("does not flag a status that also rests on a recognised result", () => {
    const { header: h } = header([
      result("text-pos", localCode("HER2 IHC result"), { valueCodeableConcept: { text: "Positive" } }),
      result("ish-pos", ISH, { valueCodeableConcept: { text: "Positive" } }),
    ]);
    expect(within(h).queryByTestId("text-only-basis")).toBeNull();
  });
});
