/** The rule tables as data: recognisable against the guideline, and each row citing its source. */
import { describe, expect, it } from "vitest";
import { formatNumber } from "../../src/domain/calls";
import {
  COMBINATION_RULES,
  DUAL_PROBE_GROUPS,
  FLAG_RULES,
  IHC_TABLE,
  SINGLE_PROBE_TABLE,
} from "../../src/domain";

describe("rule tables", () => {
  it("IHC table: 0 and 1+ negative, 2+ equivocal, 3+ positive (2018 Fig. 1)", () => {
    expect(IHC_TABLE.map((r) => [r.score, r.call])).toEqual([
      ["0", "negative"],
      ["1+", "negative"],
      ["2+", "equivocal"],
      ["3+", "positive"],
    ]);
  });

  it("dual-probe groups: exactly one group for every ratio and copy number, thresholds inclusive", () => {
    const values = [0, 1.0, 1.99, 2.0, 2.01, 3.99, 4.0, 4.01, 5.99, 6.0, 6.01, 20];
    for (const ratio of values) {
      for (const copies of values) {
        const matches = DUAL_PROBE_GROUPS.filter((g) => g.matches(ratio, copies)).map((g) => g.group);
        const expected = ratio >= 2 ? (copies >= 4 ? 1 : 2) : copies >= 6 ? 3 : copies >= 4 ? 4 : 5;
        expect(matches, `ratio ${ratio}, copies ${copies}`).toEqual([expected]);
      }
    }
  });

  it("groups 2-4 work-up: IHC 3+ positive, IHC 0/1+ negative, recount stays: 2 negative, 3 positive, 4 negative", () => {
    const workups = DUAL_PROBE_GROUPS.map((g) => [
      g.group,
      g.result,
      g.workup?.ihc3,
      g.workup?.ihc01,
      g.workup?.ihc2RecountSameGroup,
    ]);
    expect(workups).toEqual([
      [1, "positive", undefined, undefined, undefined],
      [2, "work-up", "positive", "negative", "negative"],
      [3, "work-up", "positive", "negative", "positive"],
      [4, "work-up", "positive", "negative", "negative"],
      [5, "negative", undefined, undefined, undefined],
    ]);
  });

  it("single-probe bands: exactly one band for every copy number", () => {
    for (const copies of [0, 3.99, 4.0, 5.99, 6.0, 15]) {
      const bands = SINGLE_PROBE_TABLE.filter((b) => b.matches(copies)).map((b) => b.result);
      expect(bands).toEqual([copies >= 6 ? "positive" : copies >= 4 ? "work-up" : "negative"]);
    }
  });

  it("every row cites its source", () => {
    const rows = [
      ...IHC_TABLE,
      ...DUAL_PROBE_GROUPS,
      ...SINGLE_PROBE_TABLE,
      ...COMBINATION_RULES,
      ...Object.values(FLAG_RULES),
    ];
    for (const row of rows) expect(row.source.length).toBeGreaterThan(5);
    for (const rule of Object.values(FLAG_RULES)) expect(rule.references.length).toBeGreaterThan(0);
  });
});

describe("number display", () => {
  it("writes measured values as a laboratory does, without floating-point noise", () => {
    expect(formatNumber(2)).toBe("2.0");
    expect(formatNumber(2.25)).toBe("2.25");
    expect(formatNumber(1.5 + 0.1)).toBe("1.6");
    expect(formatNumber(1.99)).toBe("1.99");
    expect(formatNumber(2.05)).toBe("2.05");
    expect(formatNumber(0.5)).toBe("0.5");
    expect(formatNumber(0)).toBe("0.0");
    expect(formatNumber(4.125)).toBe("4.125");
    expect(formatNumber(12.1)).toBe("12.1");
    // Never passed a negative by the rules (values are checked first), but it must not garble one.
    expect(formatNumber(-2.25)).toBe("-2.25");
    expect(formatNumber(-2)).toBe("-2.0");
  });
});
