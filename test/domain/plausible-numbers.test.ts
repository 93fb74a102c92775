/**
 * Issue 16 point 4: an ISH number no count can give (ratio 1e308, ratio 0, a negative, NaN, a copy number beyond any
 * nucleus) makes the record unreadable with the reason; it never falls into a group and never lets the laboratory's
 * call beside it stand alone. The edges are those of PLAUSIBLE_ISH_RANGES, written from its stated reasoning.
 */
import { describe, expect, it } from "vitest";
import type { DualIshRecord } from "../../src/domain";
import { codes, dual, ihc, run, single } from "./build";

function unreadableReason(record: Parameters<typeof run>[0][number]): string | undefined {
  const a = run([record]);
  const listed = a.unreadable.find((u) => u.resource === record.source);
  if (listed) {
    expect(a.status).toBe("indeterminate");
    expect(codes(a)).toContain("result-unreadable");
    expect(a.evidence.find((e) => e.resource === record.source)).toMatchObject({
      used: false,
      notUsedReason: "unreadable",
    });
  }
  return listed?.reason;
}

describe("implausible dual-probe numbers are unreadable, never a group", () => {
  it.each<[string, number, number]>([
    ["ratio 1e308", 1e308, 5],
    ["ratio 0", 0, 5],
    ["negative ratio", -2.5, 5],
    ["ratio just above 100", 100.01, 5],
    ["HER2 copies 0", 1.2, 0],
    ["negative HER2 copies", 2.5, -6],
    ["HER2 copies 101", 2.5, 101],
    ["HER2 copies 1e308", 2.5, 1e308],
  ])("%s", (_name, ratio, her2) => {
    expect(unreadableReason(dual(ratio, her2))).toMatch(/not plausible/);
  });

  it("NaN and Infinity are not numbers", () => {
    expect(unreadableReason(dual(Number.NaN, 5))).toMatch(/HER2\/CEP17 ratio is not a number \(NaN\)/);
    expect(unreadableReason(dual(2.5, Number.POSITIVE_INFINITY))).toMatch(
      /HER2 copies per cell is not a number/,
    );
  });

  it("a number given as a string from outside TypeScript is not a number", () => {
    const record = dual(2.5, 6, { ratio: "2.5" as unknown as number });
    expect(unreadableReason(record)).toMatch(/ratio is not a number \("2\.5"\)/);
  });

  it("the laboratory's call beside an implausible number is not used either", () => {
    const a = run([ihc("2+"), dual(-1, 8, { reported: "positive" })]);
    expect(a.status).not.toBe("positive");
    expect(a.unreadable[0]?.reason).toMatch(/ratio -1 is not plausible/);
  });

  it("CEP17 0 (the ratio's denominator) and CEP17 above 100 are unreadable", () => {
    expect(unreadableReason(dual(2.5, 6, { cep17PerCell: 0 }))).toMatch(/CEP17 copies per cell 0/);
    expect(unreadableReason(dual(2.5, 6, { cep17PerCell: 150 }))).toMatch(/CEP17 copies per cell 150/);
  });

  it("cells counted: 0, fractional, negative and beyond a million are unreadable", () => {
    for (const cells of [0, 20.5, -20, 1_000_001]) {
      expect(unreadableReason(dual(2.5, 6, { cellsCounted: cells }))).toMatch(
        /cells counted .* not plausible/,
      );
    }
  });

  it("an implausible recount is unreadable and names the recount", () => {
    const record: DualIshRecord = dual(1.8, 4.5, { recount: { ratio: 1.8, her2PerCell: 1e308 } });
    expect(unreadableReason(record)).toMatch(
      /^recount average HER2 copies per cell 1e\+308 is not plausible/,
    );
  });

  it("the reason names the plausible range and its source", () => {
    expect(unreadableReason(dual(0, 5))).toBe(
      "HER2/CEP17 ratio 0 is not plausible (above 0.0 and at most 100; Wolff 2018 (signals counted in ≥20 nuclei); ceiling: this rule set's data-error bound)",
    );
  });
});

describe("the plausible edges themselves are read as counts", () => {
  it("ratio 100 with HER2 100/cell is group 1 (positive)", () => {
    const a = run([dual(100, 100, { cep17PerCell: 1 })]);
    expect(a.unreadable).toEqual([]);
    expect(a.status).toBe("positive");
  });

  it("ratio 0.01 with HER2 0.01/cell is group 5 (negative), with IHC 1+", () => {
    const a = run([ihc("1+"), dual(0.01, 0.01)]);
    expect(a.unreadable).toEqual([]);
    expect(a.status).toBe("negative");
  });

  it("one cell counted is read (the low count is noted, not unreadable); a million cells too", () => {
    expect(run([dual(2.5, 6, { cellsCounted: 1 })]).unreadable).toEqual([]);
    expect(run([dual(2.5, 6, { cellsCounted: 1_000_000 })]).unreadable).toEqual([]);
  });
});

describe("single-probe ISH", () => {
  it.each<[string, number]>([
    ["copies 0", 0],
    ["negative copies", -4],
    ["copies 1e308", 1e308],
    ["copies NaN", Number.NaN],
  ])("%s is unreadable", (_name, copies) => {
    expect(unreadableReason(single(copies))).toMatch(/HER2 copies per cell/);
  });

  it("copies 100 are positive", () => {
    expect(run([single(100)]).status).toBe("positive");
  });
});
