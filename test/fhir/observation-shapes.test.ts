// @vitest-environment node
import { describe, expect, it } from "vitest";
import {
  methodInText,
  parseCall,
  parseIhcScore,
  parseIshNumbers,
  parsePlainNumber,
} from "../../src/fhir/observation-shapes";
import { en } from "../../src/fhir/text";

/** The English of a parser's reason (a descriptor of the FHIR layer's catalog), or undefined. */
const english = (reason: Parameters<typeof en>[0] | undefined): string | undefined =>
  reason === undefined ? undefined : en(reason);

describe("parseCall", () => {
  it.each([
    ["Positive", "positive"],
    ["NEGATIVE", "negative"],
    ["Equivocal", "equivocal"],
    ["Borderline", "equivocal"],
    ["Amplified", "positive"],
    ["Not amplified", "negative"],
    ["Non-amplified", "negative"],
    ["No HER2 gene amplification", "negative"],
    ["Indeterminate (insufficient tumour)", "indeterminate"],
    ["Score 2+ (equivocal)", "equivocal"],
  ])("%s -> %s", (text, call) => {
    expect(parseCall(text)).toEqual({ call });
  });

  it("reports two calls as ambiguous", () => {
    expect(english(parseCall("ER positive, HER2 negative").ambiguous)).toMatch(/more than one call/);
  });

  it("finds no call in a bare score", () => {
    expect(parseCall("2+")).toEqual({});
  });

  it.each(["Amplified: No", "HER2 positive? no", "Positive: No"])(
    'a checklist "no" after the call word is not that call: %s',
    (text) => {
      expect(parseCall(text).call).toBeUndefined();
    },
  );

  it.each([
    ["See report. Positive and negative controls stained appropriately", undefined],
    ["Internal negative control: no staining", undefined],
    ["Control tissue: positive", undefined],
    ["HER2 negative (1+); external positive control reacted appropriately", "negative"],
    ["Positive (3+). Negative control: negative", "positive"],
  ])("a control's result is not the tumour's call: %s -> %s", (text, call) => {
    expect(parseCall(text).call).toBe(call);
  });

  it.each(["HER2 low positive", "HER2: low-positive (IHC 1+)"])(
    "%s is not read as HER2-positive (HER2-low is HER2-negative, Wolff 2023)",
    (text) => {
      const parsed = parseCall(text);
      expect(parsed.call).toBeUndefined();
      expect(english(parsed.ambiguous)).toMatch(/low positive/);
    },
  );
});

describe("parseIhcScore", () => {
  it.each([
    ["3+", "3+"],
    ["Score 2+ (equivocal)", "2+"],
    ["POSITIVE (3+)", "3+"],
    ["IHC score: 1", "1+"],
    ["score 0", "0"],
    ["0+", "0"],
  ])("%s -> %s", (text, score) => {
    expect(parseIhcScore(text).score).toBe(score);
  });

  it("reads a bare number only when the code says the value is an IHC score", () => {
    expect(parseIhcScore("2").score).toBeUndefined();
    expect(parseIhcScore("2", true).score).toBe("2+");
    expect(parseIhcScore("2.3", true).score).toBeUndefined();
  });

  it("reports ranges and two scores as ambiguous", () => {
    expect(english(parseIhcScore("0-1+").ambiguous)).toMatch(/range/);
    expect(english(parseIhcScore("1+ (previously 3+)").ambiguous)).toMatch(/more than one/);
  });

  it("reads the ultralow and null details of a 0", () => {
    expect(parseIhcScore("Score 0, ultralow")).toEqual({ score: "0", zeroDetail: "ultralow" });
    expect(parseIhcScore("Score 0 (null, no staining)")).toEqual({ score: "0", zeroDetail: "null" });
    expect(parseIhcScore("Score 1+ ultralow").zeroDetail).toBeUndefined();
  });
});

describe("negation next to a score or a call makes the text ambiguous", () => {
  it.each([
    "No 3+ staining seen",
    "no 3+",
    "Without 3+ staining",
    "Absent 3+ staining",
    "Negative for 3+ staining",
    "3+ staining not seen",
    "3+ staining absent",
    "not score 3",
    "not 0+",
  ])("%s: no score, an ambiguity", (text) => {
    const parsed = parseIhcScore(text);
    expect(parsed.score).toBeUndefined();
    expect(english(parsed.ambiguous)).toMatch(/negation/);
  });

  it.each(["Not positive", "not equivocal", "no positive staining", "not negative"])(
    "%s: no call, an ambiguity",
    (text) => {
      const parsed = parseCall(text);
      expect(parsed.call).toBeUndefined();
      expect(english(parsed.ambiguous)).toMatch(/negation/);
    },
  );

  it.each([
    ["Not amplified", { call: "negative" }, {}],
    ["Non-amplified", { call: "negative" }, {}],
    ["No HER2 gene amplification", { call: "negative" }, {}],
    ["Negative (1+)", { call: "negative" }, { score: "1+" }],
    ["Score 2+ (equivocal)", { call: "equivocal" }, { score: "2+" }],
    ["POSITIVE (3+)", { call: "positive" }, { score: "3+" }],
    ["negative", { call: "negative" }, {}],
    ["Score 0 (null, no staining)", {}, { score: "0", zeroDetail: "null" }],
    ["0 no staining", {}, { score: "0", zeroDetail: "null" }],
    ["HER2 negative, not amplified", { call: "negative" }, {}],
  ])("keeps %s readable", (text, call, score) => {
    expect(parseCall(text)).toEqual(call);
    expect(parseIhcScore(text, true)).toEqual(score);
  });
});

describe("the faint staining share of an IHC 0 in text", () => {
  it.each([
    "0, faint incomplete staining in 15% of cells",
    "Score 0: faint, incomplete membrane staining in > 10 % of tumour cells",
    "IHC 0 (faint incomplete staining, more than 10% of cells)",
  ])("%s: more than 10 % contradicts the 0", (text) => {
    const parsed = parseIhcScore(text, true);
    expect(parsed.score).toBeUndefined();
    expect(english(parsed.ambiguous)).toMatch(/more than 10 % is 1\+, not 0/);
  });

  it.each([
    "0, faint incomplete staining in 5% of cells",
    "0, faint incomplete staining in 10% of cells",
    "Faint, barely perceptible, incomplete membrane staining in about 5% of invasive tumour cells (at most 10%): IHC 0, HER2-ultralow.",
  ])("%s: at most 10 % stays ultralow", (text) => {
    expect(parseIhcScore(text, true)).toEqual({ score: "0", zeroDetail: "ultralow" });
  });

  it("a 1+ with more than 10 % faint staining is simply 1+", () => {
    expect(parseIhcScore("1+, faint incomplete staining in 40% of cells")).toEqual({ score: "1+" });
  });
});

describe("parseIshNumbers and parsePlainNumber", () => {
  it("reads labelled numbers without mistaking the 17 of CEP17 or the 2 of HER2", () => {
    expect(
      parseIshNumbers(
        "HER2/CEP17 ratio 2.3; HER2 copies per cell 4.6; CEP17 signals/cell 2.0; 20 cells counted",
      ),
    ).toEqual({
      ratio: 2.3,
      her2PerCell: 4.6,
      cep17PerCell: 2.0,
      cellsCounted: 20,
      problems: [],
    });
  });

  it("reports a bound instead of a value, unless it settles the threshold (issue 12.5)", () => {
    expect(english(parseIshNumbers("HER2/CEP17 ratio greater than 1.8").problems[0])).toMatch(/bound/);
    expect(parseIshNumbers("HER2/CEP17 ratio greater than 2.2")).toEqual({
      ratio: 2.2,
      bounds: { ratio: "> 2.2 (settles ratio ≥ 2.0)" },
      problems: [],
    });
    expect(parsePlainNumber("greater than 2.2")).toEqual({
      bound: "greater than 2.2",
      comparator: ">",
      boundValue: 2.2,
    });
    expect(parsePlainNumber("2.30")).toEqual({ value: 2.3 });
    expect(parsePlainNumber("ratio 2.3")).toBeUndefined();
  });
});

describe("methodInText", () => {
  it.each([
    ["HER2 by FISH", "ish"],
    ["Dual ISH (DISH)", "ish"],
    ["HercepTest immunohistochemistry", "ihc"],
    ["HER2 IHC", "ihc"],
    ["HER2 status", undefined],
    ["IHC and FISH", undefined],
  ])("%s -> %s", (text, method) => {
    expect(methodInText(text)).toBe(method);
  });
});
