import { describe, expect, it } from "vitest";
import { patientViewCards } from "../../src/cds/cards";
import { makeFlag, makeNotCheckedFlag } from "../../src/domain/flags";
import { assessment } from "../ui/fixtures";

// A check whose data did not load (issue 18.4) is not a finding: CDS Hooks must not send it as an order to act on.
describe("patient-view cards for checks that could not run", () => {
  const notChecked = makeNotCheckedFlag("metastatic-retest-missing", {
    message: "Metastatic retest: could not check, conditions did not load in time",
    action: "Reload the chart, or look at the problem list",
  });

  it("sends no action card for a not-checked flag, and names it in the info card instead", () => {
    const cards = patientViewCards(assessment({ flags: [notChecked], dataGaps: [] }), { patientId: "p1" });
    expect(cards.map((c) => c.source.topic?.code)).toEqual(["check-incomplete"]);
    expect(cards[0]?.indicator).toBe("info");
    expect(cards[0]?.detail).toContain("conditions did not load in time");
    expect(cards.some((c) => c.summary.includes("retest HER2"))).toBe(false);
  });

  it("still sends the card of a raised flag beside it", () => {
    const raised = makeFlag("reflex-ish-missing", { message: "IHC 2+ without ISH", evidence: [] });
    const cards = patientViewCards(assessment({ flags: [raised, notChecked], dataGaps: [] }), {
      patientId: "p1",
    });
    expect(cards.map((c) => c.source.topic?.code)).toEqual(["reflex-ish-missing", "check-incomplete"]);
  });
});
