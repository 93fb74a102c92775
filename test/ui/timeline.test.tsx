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

type Boxed = { box: { x0: number; x1: number; y0: number; y1: number }; text: string };

/** Every pair of boxes that overlap, by their words. */
function overlaps(items: readonly Boxed[]): string[] {
  const found: string[] = [];
  items.forEach((a, i) => {
    for (const b of items.slice(i + 1)) {
      const apart =
        a.box.x1 <= b.box.x0 || b.box.x1 <= a.box.x0 || a.box.y1 <= b.box.y0 || b.box.y1 <= a.box.y0;
      if (!apart) found.push(`${a.text} / ${b.text}`);
    }
  });
  return found;
}

const allMarks = (m: ReturnType<typeof buildTimeline>): Boxed[] => [...m.tests, ...m.events, ...m.therapies];

describe("buildTimeline", () => {
  it("labels ISH values in clinical words and never shows a specimen's resource reference (issue 18.2)", () => {
    const ish = evidence({
      resource: "Observation/ish-x",
      method: "ish-dual",
      value: "ratio 2.6, HER2 5.1/cell",
      date: "2024-05-01",
      specimen: "Specimen/raw-id",
    });
    const model = buildTimeline([ish], [], [], AS_OF, 640);
    const text = model.tests.map((t) => `${t.text} ${t.label}`).join(" ");
    expect(text).toContain("HER2/CEP17 ratio 2.6");
    expect(text).toContain("HER2 signals/cell 5.1");
    expect(text).not.toContain("Specimen/raw-id");
  });

  it("places the earliest item at the left edge and the as-of date at the right, with a year per tick", () => {
    const model = buildTimeline(
      METASTATIC_POSITIVE_EVIDENCE,
      METASTATIC_EVENTS,
      [TRASTUZUMAB_2019],
      AS_OF,
      640,
    );
    expect(model.empty).toBe(false);
    // The primary diagnosis (2019-04-20) is the earliest date; as-of is the latest.
    expect(model.events[0]?.x).toBeCloseTo(8, 5);
    expect(model.asOfX).toBeCloseTo(632, 5);
    // Oldest first: IHC 2+ and ISH of 2019 (superseded), IHC 3+ of 2025 (used).
    expect(model.tests.map((t) => t.used)).toEqual([false, false, true]);
    expect(model.therapies).toHaveLength(1);
    expect(model.therapies[0]?.open).toBe(false);
    // The 2019-2020 course ends long before as-of.
    expect((model.therapies[0]?.x ?? 0) + (model.therapies[0]?.width ?? 0)).toBeLessThan(0.3 * 640);
    expect(model.ticks.map((t) => t.label)).toEqual(["2020", "2021", "2022", "2023", "2024", "2025", "2026"]);
    // At 300 px the seven year labels do not fit: every second year.
    const narrow = buildTimeline(
      METASTATIC_POSITIVE_EVIDENCE,
      METASTATIC_EVENTS,
      [TRASTUZUMAB_2019],
      AS_OF,
      300,
    );
    expect(narrow.ticks.map((t) => t.label)).toEqual(["2020", "2022", "2024", "2026"]);
  });

  it("writes the date on every mark, and marks a primary diagnosis as a primary diagnosis", () => {
    const model = buildTimeline(METASTATIC_POSITIVE_EVIDENCE, METASTATIC_EVENTS, [TRASTUZUMAB_2019], AS_OF);
    expect(model.events.map((e) => [e.kind, e.text])).toEqual([
      ["primary", "Primary diagnosis 2019-04-20"],
      ["metastasis", "Metastasis 2025-05-28"],
    ]);
    expect(model.tests.map((t) => t.text)).toEqual([
      "IHC 2+ 2019-05-02",
      "ISH 2019-05-06",
      "IHC 3+ 2025-06-10",
    ]);
    expect(model.therapies[0]?.text).toBe("trastuzumab 2019-06-15 to 2020-06-10");
  });

  it("labels months on the axis when the span is short", () => {
    const model = buildTimeline(
      [evidence({ resource: "Observation/a", date: "2026-09-02" })],
      [{ kind: "primary", date: "2026-09-08", source: "Condition/c" }],
      [],
      AS_OF,
      640,
    );
    const labels = model.ticks.map((t) => t.label);
    expect(labels.length).toBeGreaterThanOrEqual(3);
    expect(labels).toContain("Oct 2026");
    expect(labels.every((l) => /^[A-Z][a-z]{2} \d{4}$/.test(l))).toBe(true);
  });

  it("draws an order left open only as far as the record supports, not to the as-of date", () => {
    // Early disease, trastuzumab ordered 2025-03-01 and never closed: drawing it to 2026-11-25 showed 21 months.
    const order = {
      drug: "trastuzumab",
      start: "2025-03-01",
      status: "active",
      source: "MedicationRequest/m",
    };
    const model = buildTimeline(
      [],
      [{ kind: "primary", date: "2025-02-10", source: "Condition/c" }],
      [order],
      AS_OF,
    );
    const bar = model.therapies[0];
    expect(bar?.open).toBe(true);
    expect(bar?.text).toBe("trastuzumab ordered 2025-03-01, no end recorded");
    expect(bar?.width).toBeLessThan(10);
    expect((bar?.x ?? 0) + (bar?.width ?? 0)).toBeLessThan(model.asOfX - 200);
    // With its last administration on record, it reaches that date.
    const given = buildTimeline([], [], [{ ...order, recordedUntil: "2026-02-20" }], AS_OF, 640);
    expect(given.therapies[0]?.text).toBe("trastuzumab 2025-03-01 to 2026-02-20, no end recorded");
  });

  it("joins three-weekly administrations into one bar", () => {
    const doses = Array.from({ length: 18 }, (_, i) => ({
      drug: "trastuzumab",
      start: new Date(Date.UTC(2024, 0, 5) + i * 21 * 86_400_000).toISOString().slice(0, 10),
      status: "completed",
      source: `MedicationAdministration/a${String(i)}`,
    }));
    const model = buildTimeline([], [], doses, AS_OF);
    expect(model.therapies.map((t) => t.text)).toEqual(["trastuzumab 2024-01-05 to 2024-12-27"]);
  });

  it.each([300, 340, 640, 1100])(
    "no two marks or labels overlap at %i px, and none leaves the drawing",
    (width) => {
      const crowded = [
        ...METASTATIC_POSITIVE_EVIDENCE,
        evidence({ resource: "Observation/a", method: "ihc", value: "2+", date: "2025-06-03" }),
        evidence({ resource: "Observation/b", method: "ish-dual", value: "ratio 2.3", date: "2025-06-03" }),
        evidence({ resource: "Observation/b2", method: "ish-dual", value: "ratio 2.2", date: "2025-06-05" }),
        evidence({
          resource: "Observation/c",
          method: "interpretation",
          value: "Positive",
          date: "2025-06-07",
        }),
      ];
      const events = [
        ...METASTATIC_EVENTS,
        { kind: "metastasis" as const, date: "2025-06-01", description: "Bone", source: "Condition/c3" },
        { kind: "recurrence" as const, date: "2025-05-30", source: "Condition/c4" },
      ];
      const therapies = [
        TRASTUZUMAB_2019,
        {
          drug: "pertuzumab",
          start: "2019-06-15",
          end: "2020-06-10",
          status: "completed",
          source: "MedicationRequest/p",
        },
        {
          drug: "fam-trastuzumab deruxtecan",
          start: "2025-07-01",
          status: "active",
          source: "MedicationRequest/d",
        },
      ];
      const model = buildTimeline(crowded, events, therapies, AS_OF, width);
      const marks = allMarks(model);
      expect(marks.length).toBeGreaterThanOrEqual(9);
      expect(overlaps(marks)).toEqual([]);
      for (const m of marks) {
        expect(m.box.x0, m.text).toBeGreaterThanOrEqual(0);
        expect(m.box.x1, m.text).toBeLessThanOrEqual(width);
        expect(m.box.y1, m.text).toBeLessThanOrEqual(model.axisY);
      }
      // Axis labels do not touch each other either.
      const ticks = model.ticks.map((t) => ({
        text: t.label,
        box: { x0: t.x - t.label.length * 3.5, x1: t.x + t.label.length * 3.5, y0: 0, y1: 1 },
      }));
      expect(overlaps(ticks)).toEqual([]);
    },
  );

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
    expect(retested.summary).toContain("trastuzumab 2019-06-15 to 2020-06-10");
  });

  it("lists every item oldest first, undated last; an open order is listed as open, not as running to as-of", () => {
    const model = buildTimeline(
      [evidence({ resource: "Observation/undated", value: "0" }), ...METASTATIC_POSITIVE_EVIDENCE],
      METASTATIC_EVENTS,
      [{ drug: "trastuzumab deruxtecan", start: "2025-07-01", source: "MedicationRequest/m2" }],
      AS_OF,
    );
    expect(model.entries[0]).toBe("2019-04-20: Primary diagnosis: Invasive ductal carcinoma of right breast");
    expect(model.entries.at(-2)).toBe(
      "2025-07-01: Anti-HER2 therapy: trastuzumab deruxtecan, ordered 2025-07-01, no end recorded",
    );
    expect(model.entries.at(-1)).toBe("date not recorded: HER2 test: IHC 0");
    expect(model.therapies[0]?.open).toBe(true);
  });

  it("reports an empty picture when nothing has a date", () => {
    expect(buildTimeline([evidence({ resource: "Observation/x" })], [], [], AS_OF).empty).toBe(true);
  });
});

describe("Timeline in the panel", () => {
  it("is one image with a summary and a visually hidden text list", async () => {
    renderPanel({
      patient: { name: "Ann Lee", birthDate: "1970-01-01", reference: "Patient/p-met" },
      state: {
        kind: "ready",
        assessment: metastaticPositive,
        events: METASTATIC_EVENTS,
        therapies: [TRASTUZUMAB_2019],
      },
    });
    // The timeline loads just after the first screen (a lazy chunk).
    const img = await screen.findByRole(
      "img",
      { name: /HER2 timeline as of 2026-11-25/ },
      { timeout: 10_000 },
    );
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

describe("a breast cancer whose clinical status became recurrence", () => {
  const recurrence = {
    kind: "recurrence" as const,
    date: "2019-03-01",
    diagnosed: "2019-03-01",
    description: "Breast cancer (clinical status: recurrence)",
    source: "Condition/bc",
  };

  it("is marked as a primary diagnosis at its onset, not as a recurrence dated at the diagnosis", () => {
    const model = buildTimeline([], [recurrence], [], AS_OF);
    expect(model.events.map((e) => [e.kind, e.text])).toEqual([["primary", "Primary diagnosis 2019-03-01"]]);
    expect(model.undated).toEqual([
      "Recurrence: Breast cancer (clinical status: recurrence) (date of the recurrence not recorded)",
    ]);
    expect(model.summary).toContain("primary diagnosis 2019-03-01");
    expect(model.summary).not.toContain("latest recurrence 2019-03-01");
  });

  it("places the recurrence when it was recorded later than the onset", () => {
    const model = buildTimeline([], [{ ...recurrence, date: "2024-01-15" }], [], AS_OF);
    expect(model.events.map((e) => [e.kind, e.text])).toEqual([
      ["primary", "Primary diagnosis 2019-03-01"],
      ["recurrence", "Recurrence recorded 2024-01-15"],
    ]);
    expect(model.undated).toEqual([]);
  });
});
