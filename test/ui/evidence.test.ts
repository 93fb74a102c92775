import { describe, expect, it } from "vitest";
import { describeEvidence, groupEvidence, sortFlags } from "../../src/ui/evidence";
import { ALL_FLAGS, IHC_2PLUS, METASTATIC_POSITIVE_EVIDENCE, evidence } from "./fixtures";

describe("groupEvidence", () => {
  it("groups IHC and ISH of one specimen and orders groups and results newest first", () => {
    const groups = groupEvidence(METASTATIC_POSITIVE_EVIDENCE);
    expect(groups.map((g) => g.specimenName)).toEqual(["S-25-0456", "S-19-0101"]);
    expect(groups[1]?.items.map((i) => i.resource)).toEqual(["Observation/ish-2019", "Observation/ihc-2019"]);
    expect(groups[1]?.latestDate).toBe("2019-05-06");
    expect(groups[1]?.bodySite).toBe("Right breast");
  });

  it("puts IHC before ISH before the interpretation when they share a date", () => {
    const sameDay = [
      evidence({
        resource: "Observation/interp",
        method: "interpretation",
        date: "2024-03-02",
        specimen: "Specimen/a",
      }),
      evidence({
        resource: "Observation/ish",
        method: "ish-dual",
        date: "2024-03-02",
        specimen: "Specimen/a",
      }),
      evidence({ resource: "Observation/ihc", method: "ihc", date: "2024-03-02", specimen: "Specimen/a" }),
    ];
    expect(groupEvidence(sameDay)[0]?.items.map((i) => i.resource)).toEqual([
      "Observation/ihc",
      "Observation/ish",
      "Observation/interp",
    ]);
  });

  it("never merges results that lack specimen data, and sorts undated results last", () => {
    const items = [
      evidence({ resource: "Observation/undated" }),
      evidence({ resource: "Observation/a", date: "2020-01-01" }),
      evidence({ resource: "Observation/b", date: "2022-01-01" }),
    ];
    const groups = groupEvidence(items);
    expect(groups).toHaveLength(3);
    expect(groups.every((g) => !g.specimenKnown && g.specimenName === "Specimen not recorded")).toBe(true);
    expect(groups.map((g) => g.items[0]?.resource)).toEqual([
      "Observation/b",
      "Observation/a",
      "Observation/undated",
    ]);
  });

  it("groups by specimen label when there is no Specimen reference", () => {
    const items = [
      evidence({ resource: "Observation/x", specimenLabel: "S-1", date: "2021-02-01" }),
      evidence({ resource: "Observation/y", specimenLabel: "S-1", method: "ish-dual", date: "2021-02-03" }),
    ];
    const groups = groupEvidence(items);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.items.map((i) => i.resource)).toEqual(["Observation/y", "Observation/x"]);
  });

  it("orders dateTimes by calendar date, not by their offset", () => {
    const items = [
      evidence({ resource: "Observation/early", date: "2024-03-01T23:30:00-10:00", specimen: "Specimen/1" }),
      evidence({ resource: "Observation/late", date: "2024-03-02T00:10:00+14:00", specimen: "Specimen/2" }),
    ];
    expect(groupEvidence(items).map((g) => g.items[0]?.resource)).toEqual([
      "Observation/late",
      "Observation/early",
    ]);
  });
});

describe("sortFlags", () => {
  it("puts action before warning before info and keeps the rules' order within a severity", () => {
    const sorted = sortFlags(ALL_FLAGS);
    expect(sorted.map((f) => f.severity)).toEqual([
      "action",
      "action",
      "action",
      "action",
      "action",
      "action",
      "action",
      "warning",
      "warning",
      "warning",
      "warning",
      "warning",
      "info",
      "info",
      "info",
      "info",
      "info",
    ]);
    expect(sorted.slice(0, 2).map((f) => f.code)).toEqual([
      "reflex-ish-missing",
      "metastatic-retest-missing",
    ]);
    // Within the notes, the rules' table order: pending, unreadable, then the flags added in rules 1.2.0 and 2.0.0.
    expect(sorted.slice(-5).map((f) => f.code)).toEqual([
      "result-pending",
      "result-unreadable",
      "ihc-zero-review",
      "residual-disease-result",
      "therapy-duration-exceeds",
    ]);
  });
});

describe("describeEvidence", () => {
  it("names method, value, date and specimen", () => {
    expect(describeEvidence(IHC_2PLUS)).toBe("IHC 2+, 2024-03-02, specimen S-24-1234");
  });
});
