import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { paperText } from "../../src/ui/PrintSummary";
import {
  ALL_FLAGS,
  DENIED_OBSERVATION,
  IHC_2PLUS,
  METASTATIC_POSITIVE_EVIDENCE,
  assessment,
  metastaticPositive,
} from "./fixtures";
import { renderPanel } from "./render";

/** What FHIR detail looks like: resource references, element names, UCUM annotations. */
const FHIR_DETAIL =
  /\b(?:Observation|Specimen|Condition|DiagnosticReport|Medication\w*|Patient)\/[\w.-]+|value(?:CodeableConcept|Quantity|String)|component\[|\{copies\}|urn:uuid/;

describe("print summary (issue 18.8)", () => {
  it("has the status, next steps, an evidence table, the recommendation and its sources", async () => {
    renderPanel({
      patient: { name: "Ann Lee", birthDate: "1970-01-01", reference: "Patient/p-met" },
      state: { kind: "ready", assessment: metastaticPositive },
    });
    const summary = await screen.findByTestId("print-summary", {}, { timeout: 10_000 });
    expect(summary).toHaveAttribute("data-print", "only");
    expect(within(summary).getByRole("heading", { level: 2, hidden: true })).toHaveTextContent(
      "HER2-positive · Metastatic or recurrent disease",
    );
    const rows = within(summary).getAllByRole("row", { hidden: true });
    expect(rows).toHaveLength(1 + METASTATIC_POSITIVE_EVIDENCE.length);
    expect(within(summary).getByText("Guideline suggestion (decision support)")).toBeInTheDocument();
    expect(summary).toHaveTextContent(metastaticPositive.recommendation.text);
    const sources = within(summary).getByText("Sources").nextElementSibling;
    expect(sources?.querySelectorAll("li").length).toBeGreaterThan(0);
    expect(summary.textContent).not.toMatch(FHIR_DETAIL);
  });

  it("lists every flag as a next step in clinical words, and says when data are incomplete", async () => {
    renderPanel({
      state: {
        kind: "ready",
        assessment: assessment({
          flags: ALL_FLAGS,
          evidence: [IHC_2PLUS, ...METASTATIC_POSITIVE_EVIDENCE],
          dataGaps: [DENIED_OBSERVATION],
        }),
      },
    });
    const summary = await screen.findByTestId("print-summary", {}, { timeout: 10_000 });
    const steps = within(summary).getByText("Next steps").nextElementSibling;
    expect(steps?.querySelectorAll("li")).toHaveLength(ALL_FLAGS.length);
    expect(summary).toHaveTextContent(
      "Data incomplete, this summary may change: HER2 results: access denied.",
    );
    // The flag fixtures name resources (e.g. Condition/c2); none reaches the paper, nor the scope string.
    expect(summary.textContent).not.toMatch(FHIR_DETAIL);
    expect(summary.textContent).not.toContain("patient/Observation.rs");
  });

  it("turns references and UCUM annotations into words", () => {
    expect(paperText("Retest after Condition/met-1 on Specimen/s-9 (Observation/o1)")).toBe(
      "Retest after the diagnosis on record on the specimen on record (the result on record)",
    );
    expect(paperText("HER2 4.1 {copies}/{nucleus}")).toBe("HER2 4.1 copies/nucleus");
  });
});
