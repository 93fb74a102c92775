/**
 * ish.ts's texts as messages (issue 15): the group and band reasons of the ISH tables. Their English is exactly what
 * the rules wrote before they were messages (written out here by hand), every outcome is made once and shared, and
 * the Spanish and Chinese renderings hold no English word of them.
 */
import { describe, expect, it } from "vitest";
import type { Call, Outcome } from "../../src/domain/calls";
import type { DualIshRecord, SingleIshRecord } from "../../src/domain";
import {
  DUAL_PROBE_GROUPS,
  type DualGroupRow,
  implausibleIshNumbers,
  ishValue,
  PLAUSIBLE_ISH_RANGES,
  resolveDualGroup,
  resolveSingleRow,
  SINGLE_PROBE_TABLE,
} from "../../src/domain/ish";
import ES from "../../src/domain/messages/es.json";
import ZH_CN from "../../src/domain/messages/zh-CN.json";
import EN from "../../src/domain/messages/en.json";
import { type Catalog, en, renderText, sharedText, text, type Text } from "../../src/domain/text";
import { dual, ihc, run, single, unreadable } from "./build";

const row = (group: number): DualGroupRow => {
  const found = DUAL_PROBE_GROUPS.find((r) => r.group === group);
  if (!found) throw new Error(`no group ${String(group)}`);
  return found;
};
const IHC: readonly (Call | undefined)[] = [undefined, "positive", "negative", "equivocal", "indeterminate"];
const RECOUNTS: readonly (DualGroupRow | "invalid" | undefined)[] = [
  undefined,
  "invalid",
  ...DUAL_PROBE_GROUPS,
];

/** Every outcome the two tables can give. */
function everyOutcome(): Outcome[] {
  const out: Outcome[] = [];
  for (const r of DUAL_PROBE_GROUPS) {
    for (const ihc of IHC) for (const recount of RECOUNTS) out.push(resolveDualGroup(r, recount, ihc));
  }
  for (const r of SINGLE_PROBE_TABLE) for (const ihc of IHC) out.push(resolveSingleRow(r, ihc));
  return out;
}

/** English words of these reasons; "ISH" and, in Chinese beside 免疫组化, "IHC" are names kept in every locale. */
const ENGLISH_WORDS =
  /\b(?:group|with|is|needs|blinded|second-observer|recount|concomitant|same|tissue|still|on|comment|copies|cell|Single-probe|dual-probe|probe|final|result|gives|guideline|leaves|category|laboratory's|adjudication|concurrent|positive|negative|equivocal|and)\b/;

describe("the ISH tables' reasons", () => {
  it("keep their English wording", () => {
    const reason = (r: number, ihc: Call | undefined, recount?: DualGroupRow | "invalid") =>
      resolveDualGroup(row(r), recount, ihc).reason;
    expect(reason(1, "equivocal")).toBe("ISH group 1 is positive");
    expect(reason(5, undefined)).toBe("ISH group 5 is negative");
    expect(reason(2, "positive")).toBe("ISH group 2 with IHC 3+ is positive");
    expect(reason(3, "negative")).toBe("ISH group 3 with IHC 0/1+ is negative (with comment)");
    expect(reason(4, undefined)).toBe("ISH group 4 needs concomitant IHC on the same tissue");
    expect(reason(4, "indeterminate")).toBe("ISH group 4 needs concomitant IHC on the same tissue");
    expect(reason(4, "equivocal")).toBe("ISH group 4 with IHC 2+ needs a blinded second-observer recount");
    expect(reason(2, "equivocal", "invalid")).toBe(
      "ISH group 2 with IHC 2+ needs a blinded second-observer recount",
    );
    expect(reason(3, "equivocal", row(3))).toBe(
      "ISH group 3 with IHC 2+, still group 3 on recount, is positive",
    );
    expect(reason(2, "equivocal", row(2))).toBe(
      "ISH group 2 with IHC 2+, still group 2 on recount, is negative",
    );
    expect(reason(4, "equivocal", row(1))).toBe(
      "ISH group 4 with IHC 2+: the recount gives group 1; the guideline leaves the final category to the laboratory's adjudication",
    );
    const [six, four, below] = SINGLE_PROBE_TABLE;
    if (!six || !four || !below) throw new Error("single-probe table changed");
    expect(resolveSingleRow(six, "negative").reason).toBe("Single-probe ISH ≥6.0 copies/cell is positive");
    expect(resolveSingleRow(below, undefined).reason).toBe("Single-probe ISH <4.0 copies/cell is negative");
    expect(resolveSingleRow(four, "positive").reason).toBe(
      "Single-probe ISH ≥4.0 and <6.0 copies/cell with concurrent IHC 3+ is positive",
    );
    expect(resolveSingleRow(four, "negative").reason).toBe(
      "Single-probe ISH ≥4.0 and <6.0 copies/cell with concurrent IHC 0/1+ is negative",
    );
    expect(resolveSingleRow(four, "equivocal").reason).toBe(
      "Single-probe ISH ≥4.0 and <6.0 copies/cell needs dual-probe ISH for a final result",
    );
  });

  it("keep their calls and the work still needed", () => {
    expect(resolveDualGroup(row(4), undefined, "equivocal")).toMatchObject({
      call: "equivocal",
      need: "recount",
    });
    expect(resolveDualGroup(row(2), row(3), "equivocal")).toMatchObject({
      call: "equivocal",
      need: "recount-adjudication",
    });
    expect(resolveDualGroup(row(3), undefined, undefined)).toMatchObject({
      call: "equivocal",
      need: "ihc-workup",
    });
    expect(resolveDualGroup(row(3), row(3), "equivocal").need).toBeUndefined();
    expect(resolveSingleRow(SINGLE_PROBE_TABLE[1] as never, undefined)).toMatchObject({ need: "dual-probe" });
  });

  it("are messages whose English is the reason, shared between calls (made once, not per assessment)", () => {
    const first = everyOutcome();
    const again = everyOutcome();
    first.forEach((o, i) => {
      expect(o.reasonText, o.reason).toBeDefined();
      expect(en(o.reasonText ?? "")).toBe(o.reason);
      expect(again[i]).toBe(o);
    });
  });

  it.each([
    ["es", ES],
    ["zh-CN", ZH_CN],
  ] as const)("read in %s with no English word of them", (locale, catalog) => {
    const seen = new Set<string>();
    for (const o of everyOutcome()) {
      const localized = renderText(o.reasonText ?? "", locale, catalog);
      seen.add(localized);
      expect(localized, o.reason).not.toMatch(ENGLISH_WORDS);
      expect(localized).not.toBe(o.reason);
    }
    // Each distinct English reason has its own localized text (none collapsed into another).
    expect(seen.size).toBe(new Set(everyOutcome().map((o) => o.reason)).size);
  });

  it("in Spanish and Chinese with the terms already used (IHQ, ISH de sonda única, 免疫组化 (IHC), 单探针 ISH)", () => {
    const recount = resolveDualGroup(row(4), undefined, "equivocal").reasonText ?? "";
    expect(renderText(recount, "es", ES)).toBe(
      "ISH grupo 4 con IHQ 2+: requiere un recuento ciego por un segundo observador",
    );
    expect(renderText(recount, "zh-CN", ZH_CN)).toBe(
      "ISH 第 4 组且免疫组化 (IHC) 2+：需由第二位观察者盲法重新计数",
    );
    const dualNeeded = resolveSingleRow(SINGLE_PROBE_TABLE[1] as never, "equivocal").reasonText ?? "";
    expect(renderText(dualNeeded, "es", ES)).toContain("ISH de sonda única ≥4.0 y <6.0 copias/célula");
    expect(renderText(dualNeeded, "es", ES)).toContain("ISH de doble sonda");
    expect(renderText(dualNeeded, "zh-CN", ZH_CN)).toContain("单探针 ISH ≥4.0 且 <6.0 拷贝/细胞");
    expect(renderText(dualNeeded, "zh-CN", ZH_CN)).toContain("双探针 ISH");
  });
});

describe("sharedText", () => {
  it("keeps the English out of JSON, spreads and equality: the descriptor reads as a plain one", () => {
    const shared = sharedText(text("reason.group.needs-ihc", { group: 2 }));
    const plain = text("reason.group.needs-ihc", { group: 2 });
    expect(JSON.stringify(shared)).toBe(JSON.stringify(plain));
    expect(shared).toEqual(plain);
    expect({ ...shared }).toEqual(plain);
    expect(Object.keys(shared)).toEqual(["id", "values"]);
  });

  it("renders the same English, alone and nested, and the locale's text from the locale's catalog", () => {
    const shared = sharedText(text("reason.group.needs-ihc", { group: 2 }));
    const nested = text("reason.ihc2.unusable-ish", { ish: shared });
    expect(en(shared)).toBe("ISH group 2 needs concomitant IHC on the same tissue");
    expect(en(nested)).toBe("IHC 2+ (equivocal); ISH group 2 needs concomitant IHC on the same tissue");
    expect(renderText(nested, "es", ES)).toBe(
      "IHQ 2+ (equívoco); ISH grupo 2: requiere IHQ concomitante en el mismo tejido",
    );
  });
});

describe("the ISH measured-value summary (the evidence item's value)", () => {
  const CATALOGS: readonly (readonly [string, Catalog])[] = [
    ["en", EN],
    ["es", ES],
    ["zh-CN", ZH_CN],
  ];
  const records: (DualIshRecord | SingleIshRecord)[] = [
    dual(2.3, 4.5, { cep17PerCell: 2, cellsCounted: 40 }),
    dual(1.8, 4.5, { cep17PerCell: 2.5, recount: { ratio: 1.7, her2PerCell: 4.4 } }),
    dual(1.8, 4.5, { cellsCounted: undefined, recount: { her2PerCell: 4.4 } }),
    dual(1.8, undefined, { cellsCounted: undefined, recount: { ratio: 1.7 } }),
    dual(2.5, 12, { bounds: { her2PerCell: "> 10" }, cep17PerCell: 1.9 }),
    dual(2.5, 12, { bounds: { ratio: "> 2.0" }, cep17PerCell: 1.9, cellsCounted: 15 }),
    dual(undefined, undefined, { cellsCounted: 20 }),
    single(5, { cellsCounted: 30, recount: { her2PerCell: 5.5 } }),
    single(7),
    single(12, { bounds: { her2PerCell: "> 10" } }),
  ];

  it("keeps its English shorthand", () => {
    expect(records.map((r) => ishValue(r).text)).toEqual([
      "ratio 2.3, HER2 4.5/cell, CEP17 2.0/cell, 40 cells",
      "ratio 1.8, HER2 4.5/cell, CEP17 2.5/cell, 40 cells, recount ratio 1.7, HER2 4.4/cell",
      "ratio 1.8, HER2 4.5/cell, recount HER2 4.4/cell",
      "ratio 1.8, recount ratio 1.7",
      "ratio 2.5, HER2/cell > 10, CEP17 1.9/cell, 40 cells",
      "ratio > 2.0, HER2 12.0/cell, CEP17 1.9/cell, 15 cells",
      "20 cells",
      "HER2 5.0/cell, 30 cells, recount HER2 5.5/cell",
      "HER2 7.0/cell",
      "HER2/cell > 10",
    ]);
  });

  it("has a message whose English is that shorthand", () => {
    for (const r of records) {
      const { text: english, message } = ishValue(r);
      expect(message, english).toBeDefined();
      expect(en(message ?? "")).toBe(english);
    }
  });

  it("reads in Spanish and Chinese with the numbers as the pathologist wrote them", () => {
    const [usual, recounted] = records.map((r) => ishValue(r).message ?? "");
    expect(renderText(usual ?? "", "es", ES)).toBe(
      "cociente 2.3, HER2 4.5/célula, CEP17 2.0/célula, 40 células",
    );
    expect(renderText(usual ?? "", "zh-CN", ZH_CN)).toBe(
      "比值 2.3、HER2 4.5/细胞、CEP17 2.0/细胞、40 个细胞",
    );
    expect(renderText(recounted ?? "", "es", ES)).toBe(
      "cociente 1.8, HER2 4.5/célula, CEP17 2.5/célula, 40 células, recuento (cociente 1.7, HER2 4.4/célula)",
    );
    expect(renderText(recounted ?? "", "zh-CN", ZH_CN)).toBe(
      "比值 1.8、HER2 4.5/细胞、CEP17 2.5/细胞、40 个细胞、复核计数（比值 1.7、HER2 4.4/细胞）",
    );
    for (const r of records) {
      const message = ishValue(r).message ?? "";
      for (const locale of ["es", "zh-CN"] as const) {
        const localized = renderText(message, locale, locale === "es" ? ES : ZH_CN);
        expect(localized).not.toMatch(/\b(?:ratio|cells?|recount)\b/);
        // Decimals stay as measured: "2.3", never the locale's "2,3".
        expect(localized).not.toMatch(/\d,\d/);
      }
    }
  });

  it("the usual dual-probe count's one message reads as its parts joined, in every catalog", () => {
    const message = ishValue(records[0] as DualIshRecord).message as Text;
    expect(message.id).toBe("value.ish.dual");
    const parts = text("value.list.4", {
      a: text("value.ish.ratio", { ratio: "2.3" }),
      b: text("value.ish.her2", { her2: "4.5" }),
      c: text("value.ish.cep17", { cep17: "2.0" }),
      d: text("value.ish.cells", { cells: "40" }),
    });
    for (const [locale, catalog] of CATALOGS) {
      expect(renderText(message, locale, catalog), locale).toBe(renderText(parts, locale, catalog));
    }
  });

  it("is the record's own raw value, without a message, when nothing was measured; else the rules' words", () => {
    expect(ishValue(single(undefined, { rawValue: "amplified" }))).toEqual({ text: "amplified" });
    const none = ishValue(dual(undefined, undefined, { cellsCounted: undefined }));
    expect(none.text).toBe("no measured values");
    expect(renderText(none.message ?? "", "es", ES)).toBe("sin valores medidos");
  });
});

describe("the implausible-number reasons", () => {
  const records: [DualIshRecord | SingleIshRecord, string][] = [
    [
      dual(0, 5),
      "HER2/CEP17 ratio 0 is not plausible (above 0.0 and at most 100; Wolff 2018 (signals counted in ≥20 nuclei); ceiling: this rule set's data-error bound)",
    ],
    [
      dual(2.5, 5, { cellsCounted: 1.5 }),
      "cells counted 1.5 is not plausible (a whole number at least 1 and at most 1000000; Wolff 2018 (at least 20 nuclei counted); ceiling: no real count of one section reaches it)",
    ],
    [
      dual(2.5, 5, { recount: { ratio: 2, her2PerCell: 101 } }),
      "recount average HER2 copies per cell 101 is not plausible (above 0.0 and at most 100; Wolff 2018, Figs. 2-3 (average signals per nucleus); ceiling: this rule set's data-error bound)",
    ],
    [
      dual(2.5, 5, { cep17PerCell: 0 }),
      "average CEP17 copies per cell 0 is not plausible (above 0.0 and at most 100; Wolff 2018, Fig. 3 (the ratio's denominator); ceiling: this rule set's data-error bound)",
    ],
    [single(Number.NaN), "average HER2 copies per cell is not a number (NaN)"],
    [dual("2.5" as unknown as number, 5), 'HER2/CEP17 ratio is not a number ("2.5")'],
  ];

  it("keep their English wording, and are messages", () => {
    for (const [record, english] of records) {
      const reason = implausibleIshNumbers(record);
      expect(reason).toBeDefined();
      expect(en(reason ?? "")).toBe(english);
    }
    expect(implausibleIshNumbers(dual(2.5, 5))).toBeUndefined();
  });

  it("name each range by the words and source PLAUSIBLE_ISH_RANGES states", () => {
    for (const range of PLAUSIBLE_ISH_RANGES) {
      expect(en(text(`ish.field.${range.field}`))).toBe(range.label);
      expect(en(text(`ish.source.${range.field}`))).toBe(range.source);
    }
  });

  it.each([
    ["es", ES],
    ["zh-CN", ZH_CN],
  ] as const)("read in %s with no English word of them, the record's own value kept", (locale, catalog) => {
    // Spanish writes "plausible" too: the English phrases, not that word, are looked for.
    const words =
      /\b(?:is not|not a number|above|at least|at most|whole|ceiling|rule set's|signals|counted|nuclei|cells?|ratio|recount|average|copies|per)\b/;
    for (const [record, english] of records) {
      const localized = renderText(implausibleIshNumbers(record) ?? "", locale, catalog);
      expect(localized, english).not.toMatch(words);
    }
    const [ratio] = records;
    expect(renderText(implausibleIshNumbers(ratio?.[0] as DualIshRecord) ?? "", locale, catalog)).toContain(
      "0.0",
    );
  });

  it("reach the unreadable list and the flag in the locale (the flag listed the rules' reasons in English)", async () => {
    const { loadDomainCatalog, localizeAssessment } = await import("../../src/i18n/localize-assessment");
    await loadDomainCatalog("es");
    const future = ihc("3+", { date: "2099-01-01" });
    const a = run([dual(0, 5), future]);
    expect(a.unreadable.map((u) => u.reason).sort()).toEqual([
      records[0]?.[1],
      "dated after the assessment date (2099-01-01, assessed as of 2026-11-25)",
    ]);
    const es = localizeAssessment(a, "es");
    expect(es.unreadable.map((u) => u.reason).sort()).toEqual([
      "cociente HER2/CEP17: 0 no es plausible (mayor que 0.0 y como máximo 100; Wolff 2018 (señales contadas en ≥20 núcleos); límite superior: cota de error de datos de estas reglas)",
      "con fecha posterior a la de la evaluación (2099-01-01; evaluado a fecha de 2026-11-25)",
    ]);
    const flag = es.flags.find((f) => f.code === "result-unreadable")?.message ?? "";
    expect(flag).toContain("cociente HER2/CEP17: 0 no es plausible");
    expect(flag).toContain("con fecha posterior a la de la evaluación");
    expect(flag).not.toMatch(/\b(?:is not|ratio|dated|after|assessment)\b/);
  });
});

describe("a specimen whose result came in copies with different contents", () => {
  it("says so in the locale, with the result's own reason nested in the locale's words", async () => {
    const { loadDomainCatalog, localizeAssessment } = await import("../../src/i18n/localize-assessment");
    await Promise.all([loadDomainCatalog("es"), loadDomainCatalog("zh-CN")]);
    const specimen = { reference: "Specimen/s1", label: "S-24-1234", collected: "2024-03-01" };
    const copy = (source: string) => unreadable("copies differ", { source, conflictingCopy: true, specimen });
    const a = run([ihc("3+"), copy("Observation/c1"), copy("Observation/c2")]);
    expect(a.status).toBe("indeterminate");
    expect(a.statusReason).toContain(
      "Observation/c1, Observation/c2 came in copies with different contents on this specimen, so its result cannot be settled (IHC 3+ is positive)",
    );
    const es = localizeAssessment(a, "es").statusReason;
    expect(es).toContain(
      "se recibieron copias con contenidos distintos de Observation/c1, Observation/c2 en esta muestra, por lo que su resultado no se puede determinar (IHQ 3+: positivo)",
    );
    const zh = localizeAssessment(a, "zh-CN").statusReason;
    expect(zh).toContain(
      "Observation/c1、Observation/c2 在此标本上收到了内容不同的多个副本，因此无法确定其结果（免疫组化 (IHC) 3+：阳性）",
    );
    for (const t of [es, zh]) expect(t).not.toMatch(/\b(?:came|copies|contents|settled|positive)\b/);
  });
});
