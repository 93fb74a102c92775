/**
 * Decision table for one specimen (ASCO/CAP 2018, Figs. 1-6; 2023 update for the IHC 0 / 1+ categories). Every row
 * names the guideline case it encodes; expected values are written from the guideline, not from the code.
 */
import { describe, expect, it } from "vitest";
import type { FlagCode, Her2Category, Her2Status, Her2TestRecord } from "../../src/domain";
import { codes, dual, ihc, interpretation, run, single } from "./build";

interface Row {
  case: string;
  tests: () => Her2TestRecord[];
  status: Her2Status;
  category: Her2Category;
  flags?: FlagCode[];
}

// Representative values inside each dual-probe group.
const G1 = [2.2, 4.4] as const;
const G2 = [2.2, 3.0] as const;
const G3 = [1.5, 6.5] as const;
const G4 = [1.5, 4.8] as const;
const G5 = [1.2, 2.5] as const;

function check(row: Row): void {
  const a = run(row.tests());
  expect(a.status).toBe(row.status);
  expect(a.category).toBe(row.category);
  expect(codes(a)).toEqual(row.flags ?? []);
}

describe("IHC alone (2018 Fig. 1; 2023 update)", () => {
  const rows: Row[] = [
    {
      case: "IHC 0 is negative; HER2-0 without staining detail",
      tests: () => [ihc("0")],
      status: "negative",
      category: "her2-0",
    },
    {
      case: "IHC 0 with faint staining in ≤10% of cells is HER2-ultralow",
      tests: () => [ihc("0", { zeroDetail: "ultralow" })],
      status: "negative",
      category: "her2-ultralow",
    },
    {
      case: "IHC 0 with no staining (null) is HER2-0",
      tests: () => [ihc("0", { zeroDetail: "null" })],
      status: "negative",
      category: "her2-0",
    },
    {
      case: "IHC 1+ is negative, HER2-low",
      tests: () => [ihc("1+")],
      status: "negative",
      category: "her2-low",
    },
    {
      case: "IHC 2+ without ISH is equivocal: reflex ISH",
      tests: () => [ihc("2+")],
      status: "equivocal",
      category: "unknown",
      flags: ["reflex-ish-missing"],
    },
    { case: "IHC 3+ is positive", tests: () => [ihc("3+")], status: "positive", category: "her2-positive" },
    {
      case: "IHC reported positive without a score is positive",
      tests: () => [ihc(undefined, { reported: "positive" })],
      status: "positive",
      category: "her2-positive",
    },
    {
      case: "IHC reported negative without a score is negative, IHC-low status unknown",
      tests: () => [ihc(undefined, { reported: "negative" })],
      status: "negative",
      category: "her2-negative",
    },
    {
      case: "IHC without score or call is not conclusive",
      tests: () => [ihc(undefined)],
      status: "indeterminate",
      category: "unknown",
    },
  ];
  it.each(rows)("$case", check);
});

describe("Dual-probe ISH groups 1-5 with every IHC score (2018 Figs. 3-6)", () => {
  const rows: Row[] = [
    // Group 1: ratio ≥2.0, ≥4.0 copies: positive whatever the IHC.
    {
      case: "group 1 alone is positive",
      tests: () => [dual(...G1)],
      status: "positive",
      category: "her2-positive",
    },
    {
      // IHC and ISH point opposite ways: positive by either test (Figs. 1, 3), the disagreement reviewed (1.2.0).
      case: "group 1 with IHC 0 is positive, IHC and ISH discordance flagged",
      tests: () => [ihc("0"), dual(...G1)],
      status: "positive",
      category: "her2-positive",
      flags: ["discordant-results"],
    },
    {
      case: "group 1 with IHC 1+ is positive, IHC and ISH discordance flagged",
      tests: () => [ihc("1+"), dual(...G1)],
      status: "positive",
      category: "her2-positive",
      flags: ["discordant-results"],
    },
    {
      case: "group 1 with IHC 2+ is positive",
      tests: () => [ihc("2+"), dual(...G1)],
      status: "positive",
      category: "her2-positive",
    },
    {
      case: "group 1 with IHC 3+ is positive",
      tests: () => [ihc("3+"), dual(...G1)],
      status: "positive",
      category: "her2-positive",
    },
    // Group 2: ratio ≥2.0, <4.0 copies (Fig. 4).
    {
      case: "group 2 without IHC needs IHC work-up",
      tests: () => [dual(...G2)],
      status: "equivocal",
      category: "unknown",
      flags: ["ihc-workup-needed"],
    },
    {
      case: "group 2 with IHC 0 is negative (with comment)",
      tests: () => [ihc("0"), dual(...G2)],
      status: "negative",
      category: "her2-0",
    },
    {
      case: "group 2 with IHC 1+ is negative (with comment)",
      tests: () => [ihc("1+"), dual(...G2)],
      status: "negative",
      category: "her2-low",
    },
    {
      case: "group 2 with IHC 2+ needs a blinded recount",
      tests: () => [ihc("2+"), dual(...G2)],
      status: "equivocal",
      category: "unknown",
      flags: ["recount-needed"],
    },
    {
      case: "group 2 with IHC 2+, still group 2 on recount, is negative",
      tests: () => [ihc("2+"), dual(...G2, { recount: { ratio: 2.1, her2PerCell: 3.2 } })],
      status: "negative",
      category: "her2-low",
    },
    {
      case: "group 2 with IHC 3+ is positive",
      tests: () => [ihc("3+"), dual(...G2)],
      status: "positive",
      category: "her2-positive",
    },
    // Group 3: ratio <2.0, ≥6.0 copies (Fig. 5).
    {
      case: "group 3 without IHC needs IHC work-up",
      tests: () => [dual(...G3)],
      status: "equivocal",
      category: "unknown",
      flags: ["ihc-workup-needed"],
    },
    {
      case: "group 3 with IHC 0 is negative (with comment)",
      tests: () => [ihc("0"), dual(...G3)],
      status: "negative",
      category: "her2-0",
    },
    {
      case: "group 3 with IHC 1+ is negative (with comment)",
      tests: () => [ihc("1+"), dual(...G3)],
      status: "negative",
      category: "her2-low",
    },
    {
      case: "group 3 with IHC 2+ needs a blinded recount",
      tests: () => [ihc("2+"), dual(...G3)],
      status: "equivocal",
      category: "unknown",
      flags: ["recount-needed"],
    },
    {
      case: "group 3 with IHC 2+, still ≥6.0 copies and ratio <2.0 on recount, is positive",
      tests: () => [ihc("2+"), dual(...G3, { recount: { ratio: 1.6, her2PerCell: 6.2 } })],
      status: "positive",
      category: "her2-positive",
    },
    {
      case: "group 3 with IHC 3+ is positive",
      tests: () => [ihc("3+"), dual(...G3)],
      status: "positive",
      category: "her2-positive",
    },
    // Group 4: ratio <2.0, ≥4.0 and <6.0 copies (Fig. 6).
    {
      case: "group 4 without IHC needs IHC work-up",
      tests: () => [dual(...G4)],
      status: "equivocal",
      category: "unknown",
      flags: ["ihc-workup-needed"],
    },
    {
      case: "group 4 with IHC 0 is negative (with comment)",
      tests: () => [ihc("0"), dual(...G4)],
      status: "negative",
      category: "her2-0",
    },
    {
      case: "group 4 with IHC 1+ is negative (with comment)",
      tests: () => [ihc("1+"), dual(...G4)],
      status: "negative",
      category: "her2-low",
    },
    {
      case: "group 4 with IHC 2+ needs a blinded recount",
      tests: () => [ihc("2+"), dual(...G4)],
      status: "equivocal",
      category: "unknown",
      flags: ["recount-needed"],
    },
    {
      case: "group 4 with IHC 2+, still group 4 on recount, is negative (with comment)",
      tests: () => [ihc("2+"), dual(...G4, { recount: { ratio: 1.7, her2PerCell: 5.0 } })],
      status: "negative",
      category: "her2-low",
    },
    {
      case: "group 4 with IHC 2+, recount in another group: adjudicated by the laboratory, not by the data",
      tests: () => [ihc("2+"), dual(...G4, { recount: { ratio: 2.1, her2PerCell: 4.2 } })],
      status: "equivocal",
      category: "unknown",
      flags: ["recount-needed"],
    },
    {
      case: "group 4 with IHC 2+ and a recount without numbers still needs the recount",
      tests: () => [ihc("2+"), dual(...G4, { recount: {} })],
      status: "equivocal",
      category: "unknown",
      flags: ["recount-needed"],
    },
    {
      case: "group 4 with IHC 3+ is positive",
      tests: () => [ihc("3+"), dual(...G4)],
      status: "positive",
      category: "her2-positive",
    },
    // Group 5: ratio <2.0, <4.0 copies: negative (IHC 3+ on the same tissue is positive by IHC, Fig. 1).
    {
      case: "group 5 alone is negative; no IHC score",
      tests: () => [dual(...G5)],
      status: "negative",
      category: "her2-negative",
    },
    {
      case: "group 5 with IHC 0 is negative",
      tests: () => [ihc("0"), dual(...G5)],
      status: "negative",
      category: "her2-0",
    },
    {
      case: "group 5 with IHC 1+ is negative",
      tests: () => [ihc("1+"), dual(...G5)],
      status: "negative",
      category: "her2-low",
    },
    {
      case: "group 5 with IHC 2+ is negative, HER2-low (IHC 2+ with negative ISH)",
      tests: () => [ihc("2+"), dual(...G5)],
      status: "negative",
      category: "her2-low",
    },
    {
      case: "group 5 with IHC 3+ is positive by IHC, IHC and ISH discordance flagged",
      tests: () => [ihc("3+"), dual(...G5)],
      status: "positive",
      category: "her2-positive",
      flags: ["discordant-results"],
    },
  ];
  it.each(rows)("$case", check);
});

describe("Dual-probe thresholds, inclusive as written (ratio 2.0; 4.0 and 6.0 copies)", () => {
  const rows: Row[] = [
    {
      case: "ratio exactly 2.0 and exactly 4.0 copies is group 1",
      tests: () => [dual(2.0, 4.0)],
      status: "positive",
      category: "her2-positive",
    },
    {
      case: "ratio 2.0 and 6.0 copies is group 1",
      tests: () => [dual(2.0, 6.0)],
      status: "positive",
      category: "her2-positive",
    },
    {
      case: "ratio 2.0 and 3.99 copies is group 2",
      tests: () => [ihc("2+"), dual(2.0, 3.99)],
      status: "equivocal",
      category: "unknown",
      flags: ["recount-needed"],
    },
    {
      case: "ratio 1.99 and 4.0 copies is group 4 (not 1)",
      tests: () => [dual(1.99, 4.0)],
      status: "equivocal",
      category: "unknown",
      flags: ["ihc-workup-needed"],
    },
    {
      case: "ratio 1.99 and 3.99 copies is group 5",
      tests: () => [dual(1.99, 3.99)],
      status: "negative",
      category: "her2-negative",
    },
    {
      case: "ratio 1.99 and exactly 6.0 copies is group 3: with IHC 2+ and a same-group recount, positive",
      tests: () => [ihc("2+"), dual(1.99, 6.0, { recount: { ratio: 1.9, her2PerCell: 6.0 } })],
      status: "positive",
      category: "her2-positive",
    },
    {
      case: "ratio 1.99 and 5.99 copies is group 4: with IHC 2+ and a same-group recount, negative",
      tests: () => [ihc("2+"), dual(1.99, 5.99, { recount: { ratio: 1.9, her2PerCell: 5.99 } })],
      status: "negative",
      category: "her2-low",
    },
  ];
  it.each(rows)("$case", check);
});

describe("Single-probe ISH (2018 Fig. 2)", () => {
  const rows: Row[] = [
    {
      case: "exactly 6.0 copies is positive",
      tests: () => [single(6.0)],
      status: "positive",
      category: "her2-positive",
    },
    {
      case: "5.99 copies is equivocal: dual-probe ISH needed",
      tests: () => [single(5.99)],
      status: "equivocal",
      category: "unknown",
      flags: ["dual-probe-ish-needed"],
    },
    {
      case: "exactly 4.0 copies is equivocal: dual-probe ISH needed",
      tests: () => [single(4.0)],
      status: "equivocal",
      category: "unknown",
      flags: ["dual-probe-ish-needed"],
    },
    {
      case: "3.99 copies is negative",
      tests: () => [single(3.99)],
      status: "negative",
      category: "her2-negative",
    },
    {
      case: "4.0 to <6.0 with concurrent IHC 3+ is positive",
      tests: () => [ihc("3+"), single(5.0)],
      status: "positive",
      category: "her2-positive",
    },
    {
      case: "4.0 to <6.0 with concurrent IHC 1+ is negative",
      tests: () => [ihc("1+"), single(5.0)],
      status: "negative",
      category: "her2-low",
    },
    {
      case: "4.0 to <6.0 with concurrent IHC 2+ needs dual-probe ISH",
      tests: () => [ihc("2+"), single(5.0)],
      status: "equivocal",
      category: "unknown",
      flags: ["dual-probe-ish-needed"],
    },
    {
      case: "4.0 to <6.0 with IHC 2+ and dual-probe group 5: the dual-probe result is final",
      tests: () => [ihc("2+"), single(5.0), dual(...G5)],
      status: "negative",
      category: "her2-low",
    },
  ];
  it.each(rows)("$case", check);
});

describe("The laboratory's interpretation is final where the algorithm explains it; contradictions are flagged", () => {
  const rows: Row[] = [
    {
      case: "interpretation positive alone",
      tests: () => [interpretation("positive")],
      status: "positive",
      category: "her2-positive",
    },
    {
      case: "interpretation negative alone",
      tests: () => [interpretation("negative")],
      status: "negative",
      category: "her2-negative",
    },
    {
      case: "group 4 with IHC 2+ and a final negative interpretation: the lab's call covers the recount",
      tests: () => [ihc("2+"), dual(...G4), interpretation("negative")],
      status: "negative",
      category: "her2-low",
    },
    {
      case: "group 4 with IHC 2+ and an ISH reported negative: no recount flag",
      tests: () => [ihc("2+"), dual(...G4, { reported: "negative" })],
      status: "negative",
      category: "her2-low",
    },
    {
      // Rules 1.2.0: no guideline path reaches a call opposite to conclusive components (Wolff 2018, Figs. 1-6).
      case: "interpretation positive against IHC 0 and group 5: unreachable, indeterminate, mismatch action",
      tests: () => [ihc("0"), dual(...G5), interpretation("positive")],
      status: "indeterminate",
      category: "unknown",
      flags: ["interpretation-mismatch"],
    },
    {
      case: "interpretation negative against IHC 3+: unreachable, indeterminate, mismatch action",
      tests: () => [ihc("3+"), interpretation("negative")],
      status: "indeterminate",
      category: "unknown",
      flags: ["interpretation-mismatch"],
    },
    {
      case: "interpretation negative against group 1 with no IHC: unreachable, indeterminate",
      tests: () => [dual(...G1), interpretation("negative")],
      status: "indeterminate",
      category: "unknown",
      flags: ["interpretation-mismatch"],
    },
    {
      case: "interpretation positive against group 5 with no IHC: unreachable, indeterminate",
      tests: () => [dual(...G5), interpretation("positive")],
      status: "indeterminate",
      category: "unknown",
      flags: ["interpretation-mismatch"],
    },
    {
      case: "interpretation negative against group 2 with IHC 0: the algorithm gives negative, consistent",
      tests: () => [ihc("0"), dual(...G2), interpretation("negative")],
      status: "negative",
      category: "her2-0",
    },
    {
      case: "interpretation positive against group 3 with IHC 2+: the recount explains it, lab's call used",
      tests: () => [ihc("2+"), dual(...G3), interpretation("positive")],
      status: "positive",
      category: "her2-positive",
    },
    {
      case: "interpretation negative against group 3 with IHC 3+: unreachable (IHC 3+ is positive), indeterminate",
      tests: () => [ihc("3+"), dual(...G3), interpretation("negative")],
      status: "indeterminate",
      category: "unknown",
      flags: ["interpretation-mismatch"],
    },
    {
      case: "interpretation positive against single-probe < 4.0 with IHC 1+: unreachable, indeterminate",
      tests: () => [ihc("1+"), single(3.0), interpretation("positive")],
      status: "indeterminate",
      category: "unknown",
      flags: ["interpretation-mismatch"],
    },
    {
      case: "single-probe >= 6.0 with IHC 0: positive, IHC and ISH discordance flagged",
      tests: () => [ihc("0"), single(6.5)],
      status: "positive",
      category: "her2-positive",
      flags: ["discordant-results"],
    },
    {
      case: "single-probe < 4.0 with IHC 3+: positive by IHC, IHC and ISH discordance flagged",
      tests: () => [ihc("3+"), single(3.0)],
      status: "positive",
      category: "her2-positive",
      flags: ["discordant-results"],
    },
    {
      // Safety rule: a call on a test record that contradicts its own numbers is an error, not the lab's conclusion.
      case: "group 1 reported negative on the ISH record: the record contradicts itself, not conclusive",
      tests: () => [dual(...G1, { reported: "negative" })],
      status: "indeterminate",
      category: "unknown",
      flags: ["interpretation-mismatch"],
    },
    {
      case: "IHC 2+ reported negative on the IHC record: stays equivocal (reflex ISH), mismatch flagged",
      tests: () => [ihc("2+", { reported: "negative" })],
      status: "equivocal",
      category: "unknown",
      flags: ["reflex-ish-missing", "interpretation-mismatch"],
    },
    {
      case: "IHC 2+ reported equivocal and group 1: consistent, positive",
      tests: () => [ihc("2+", { reported: "equivocal" }), dual(...G1, { reported: "positive" })],
      status: "positive",
      category: "her2-positive",
    },
  ];
  it.each(rows)("$case", check);
});

describe("Missing or unusable components are never guessed", () => {
  const rows: Row[] = [
    {
      case: "dual-probe without a ratio",
      tests: () => [dual(undefined, 4.5)],
      status: "indeterminate",
      category: "unknown",
    },
    {
      case: "dual-probe with HER2 copies NaN",
      tests: () => [dual(2.5, Number.NaN)],
      status: "indeterminate",
      category: "unknown",
      // Issue 16 point 4: a number no count can give is an unreadable result, flagged as such.
      flags: ["result-unreadable"],
    },
    {
      case: "dual-probe with a negative ratio",
      tests: () => [dual(-1, 4.5)],
      status: "indeterminate",
      category: "unknown",
      // Issue 16 point 4: a number no count can give is an unreadable result, flagged as such.
      flags: ["result-unreadable"],
    },
    {
      case: "dual-probe with an infinite copy number",
      tests: () => [dual(2.5, Infinity)],
      status: "indeterminate",
      category: "unknown",
      // Issue 16 point 4: a number no count can give is an unreadable result, flagged as such.
      flags: ["result-unreadable"],
    },
    {
      case: "single-probe without a copy number",
      tests: () => [single(undefined)],
      status: "indeterminate",
      category: "unknown",
    },
    {
      case: "interpretation without a call",
      tests: () => [interpretation(undefined)],
      status: "indeterminate",
      category: "unknown",
    },
    {
      case: "IHC 2+ with an incomplete ISH: equivocal, an ISH exists so no reflex flag",
      tests: () => [ihc("2+"), dual(undefined, undefined)],
      status: "equivocal",
      category: "unknown",
    },
    {
      case: "IHC 1+ with an incomplete ISH: IHC 1+ is conclusive",
      tests: () => [ihc("1+"), dual(2.5, undefined)],
      status: "negative",
      category: "her2-low",
    },
  ];
  it.each(rows)("$case", check);

  it("names the missing component in the evidence", () => {
    const a = run([dual(undefined, 4.5)]);
    expect(a.evidence[0]?.interpretation).toMatch(/ratio/);
    expect(a.statusReason).toMatch(/ratio/);
  });
});
