/**
 * Decision-table rows for the rules 2.0.0 report-shape points (issue 12.5), from the guideline: a result that is not a
 * tissue HER2 status is never used; an ISH bound that settles its threshold is shown as recorded; a 2013-era
 * "equivocal" ISH is re-read with the 2018 groups (Wolff 2018 Figs. 3-6) when its numbers are on record.
 */
import { describe, expect, it } from "vitest";
import { codes, dual, ihc, run, unreadable } from "./build";

describe("a result that is not a tissue HER2 status (serum, ERBB2 variant) is listed, never used", () => {
  it.each([
    ["alone", [], "no-result"],
    ["next to IHC 3+", [ihc("3+")], "positive"],
  ] as const)("%s -> %s", (_, others, status) => {
    const serum = unreadable("serum HER2 test", { notTissueHer2: "serum HER2 test (LOINC 32996-1)" });
    const a = run([serum, ...others]);
    expect(a.status).toBe(status);
    expect(a.unreadable).toEqual([]);
    expect(codes(a)).not.toContain("result-unreadable");
    expect(a.evidence.find((e) => e.resource === serum.source)?.notUsedReason).toBe(
      "not a tissue HER2 status: serum HER2 test (LOINC 32996-1)",
    );
  });
});

describe("an ISH bound that settles the threshold is shown as recorded, not as the number standing for its band", () => {
  it("ratio < 2.0 and HER2/cell > 10: group 3 with IHC 3+ -> positive, value shows the bounds", () => {
    const ish = dual(1.999, 10, {
      bounds: {
        ratio: "< 2 (settles ratio < 2.0)",
        her2PerCell: "> 10 (settles HER2 signals per cell ≥ 6.0)",
      },
      cellsCounted: undefined,
    });
    const a = run([ihc("3+"), ish]);
    expect(a.status).toBe("positive");
    expect(a.evidence.find((e) => e.resource === ish.source)?.value).toBe(
      "ratio < 2 (settles ratio < 2.0), HER2/cell > 10 (settles HER2 signals per cell ≥ 6.0)",
    );
  });
});

describe('2013-era "ISH equivocal" (Wolff 2013) re-read with the 2018 groups (Wolff 2018 Figs. 3-6)', () => {
  it.each([
    // ratio, HER2/cell, IHC, recount, expected status, flag expected / not expected
    [1.7, 4.6, "2+", { ratio: 1.8, her2PerCell: 4.5 }, "negative", undefined],
    [1.8, 6.5, "2+", { ratio: 1.7, her2PerCell: 6.3 }, "positive", undefined],
    [1.7, 4.6, "2+", undefined, "equivocal", "recount-needed"],
    [1.7, 4.6, "1+", undefined, "negative", undefined],
    [1.7, 4.6, "3+", undefined, "positive", undefined],
    [1.7, 4.6, undefined, undefined, "equivocal", "ihc-workup-needed"],
  ] as const)(
    "reported equivocal, ratio %s, HER2 %s/cell, IHC %s, recount %j -> %s",
    (ratio, copies, score, recount, status, flag) => {
      const tests = [dual(ratio, copies, { reported: "equivocal", ...(recount ? { recount } : {}) })];
      const a = run(score ? [ihc(score), ...tests] : tests);
      expect(a.status).toBe(status);
      if (flag) expect(codes(a)).toContain(flag);
      expect(codes(a)).not.toContain("interpretation-mismatch");
      expect(a.evidence.find((e) => e.method === "ish-dual")?.interpretation).toMatch(
        /reported equivocal, the 2013 ASCO\/CAP category, re-read with the 2018 groups/,
      );
    },
  );

  it("without the numbers: not conclusive, and the reason says the 2013 call needs the 2018 work-up", () => {
    const a = run([dual(undefined, undefined, { reported: "equivocal", cellsCounted: undefined })]);
    expect(a.status).toBe("equivocal");
    expect(a.category).toBe("unknown");
    expect(a.statusReason).toMatch(
      /2013 ASCO\/CAP category; the 2018 groups cannot be told\) needs the 2018 work-up/,
    );
    expect(codes(a)).toContain("ihc-workup-needed");
  });

  it("without the numbers, with IHC 2+: a recount is asked for, named as the 2018 work-up", () => {
    const a = run([
      ihc("2+"),
      dual(undefined, undefined, { reported: "equivocal", cellsCounted: undefined }),
    ]);
    expect(a.status).toBe("equivocal");
    expect(a.flags.find((f) => f.code === "recount-needed")?.message).toMatch(
      /2018 work-up: a second-observer recount/,
    );
  });
});
