import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { buildTimeline } from "../../src/ui/timeline-model";
import {
  METASTATIC_EVENTS,
  METASTATIC_POSITIVE_EVIDENCE,
  TRASTUZUMAB_2019,
  evidence,
  metastaticPositive,
} from "./fixtures";
import { renderPanel } from "./render";

const AS_OF = "2026-11-25";

describe("buildTimeline", () => {
  it("places the earliest item at the left inset and the as-of date at the right", () => {
    const model = buildTimeline(METASTATIC_POSITIVE_EVIDENCE, METASTATIC_EVENTS, [TRASTUZUMAB_2019], AS_OF);
    expect(model.empty).toBe(false);
    // The primary diagnosis (2019-04-20) is the earliest date; as-of is the latest.
    expect(model.events[0]?.x).toBeCloseTo(4, 5);
    expect(model.asOfX).toBeCloseTo(96, 5);
    expect(model.tests.map((t) => t.used)).toEqual([false, true, false]);
    expect(model.therapies).toHaveLength(1);
    expect(model.therapies[0]?.ongoing).toBe(false);
    // The 2019-2020 course ends long before as-of.
    expect((model.therapies[0]?.x ?? 0) + (model.therapies[0]?.width ?? 0)).toBeLessThan(30);
    // Seven year boundaries (2020-2026) exceed the six-tick budget, so every second year is labelled.
    expect(model.ticks.map((t) => t.label)).toEqual(["2020", "2022", "2024", "2026"]);
  });

  it("says when no HER2 test is dated after the latest metastasis, and not when there is a retest", () => {
    const primaryOnly = METASTATIC_POSITIVE_EVIDENCE.filter((e) => e.date?.startsWith("2019"));
    const gap = buildTimeline(primaryOnly, METASTATIC_EVENTS, [], AS_OF);
    expect(gap.summary).toContain("latest metastasis 2025-05-28; no HER2 test dated after it");
    expect(gap.summary).toContain("no anti-HER2 therapy on record");

    const retested = buildTimeline(
      METASTATIC_POSITIVE_EVIDENCE,
      METASTATIC_EVENTS,
      [TRASTUZUMAB_2019],
      AS_OF,
    );
    expect(retested.summary).toContain("3 HER2 tests, latest 2025-06-10");
    expect(retested.summary).not.toContain("no HER2 test dated after");
    expect(retested.summary).toContain("trastuzumab from 2019-06-15");
  });

  it("lists every item oldest first, undated last, with ongoing therapy running to the as-of date", () => {
    const model = buildTimeline(
      [evidence({ resource: "Observation/undated", value: "0" }), ...METASTATIC_POSITIVE_EVIDENCE],
      METASTATIC_EVENTS,
      [{ drug: "trastuzumab deruxtecan", start: "2025-07-01", source: "MedicationRequest/m2" }],
      AS_OF,
    );
    expect(model.entries[0]).toBe("2019-04-20: Primary diagnosis: Invasive ductal carcinoma of right breast");
    expect(model.entries.at(-2)).toBe(
      "2025-07-01: Anti-HER2 therapy: trastuzumab deruxtecan, 2025-07-01 to ongoing as of 2026-11-25",
    );
    expect(model.entries.at(-1)).toBe("date not recorded: HER2 test: IHC 0");
    expect(model.therapies[0]?.ongoing).toBe(true);
    expect((model.therapies[0]?.x ?? 0) + (model.therapies[0]?.width ?? 0)).toBeCloseTo(96, 5);
  });

  it("reports an empty picture when nothing has a date", () => {
    expect(buildTimeline([evidence({ resource: "Observation/x" })], [], [], AS_OF).empty).toBe(true);
  });
});

describe("Timeline in the panel", () => {
  it("is one image with a summary and a visually hidden text list", () => {
    renderPanel({
      patient: { name: "Ann Lee", birthDate: "1970-01-01", reference: "Patient/p-met" },
      state: {
        kind: "ready",
        assessment: metastaticPositive,
        events: METASTATIC_EVENTS,
        therapies: [TRASTUZUMAB_2019],
      },
    });
    const img = screen.getByRole("img", { name: /HER2 timeline as of 2026-11-25/ });
    expect(img.tagName.toLowerCase()).toBe("svg");
    const list = screen.getByRole("list", { name: "Timeline items, oldest first" });
    const items = within(list)
      .getAllByRole("listitem")
      .map((li) => li.textContent);
    expect(items).toHaveLength(6);
    expect(items[0]).toMatch(/^2019-04-20: Primary diagnosis/);
    expect(items).toContain("2025-05-28: Metastasis: Secondary malignant neoplasm of liver");
  });
});
