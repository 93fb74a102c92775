/**
 * localizeAssessment (issue 15.3): the panel's copy of the assessment with the rules' texts in the reader's locale.
 * No English catalog text is left in a Spanish or Chinese flag or recommendation, codes / references / dates are
 * the rules' own, plural and number placeholders follow the locale, and English is the assessment itself.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { assess, type Assessment, type FlagCode } from "../../src/domain";
import { FLAG_TITLES } from "../../src/domain/flag-titles";
import EN from "../../src/domain/messages/en.json";
import { renderText, text, type Text, type TextValue } from "../../src/domain/text";
import ES from "../../src/domain/messages/es.json";
import ZH_CN from "../../src/domain/messages/zh-CN.json";
import {
  domainCatalog,
  loadDomainCatalog,
  localizeAssessment,
  localizedFlagTitle,
} from "../../src/i18n/localize-assessment";
import type { Locale } from "../../src/i18n/locales";
import { dual, ihc, interpretation, patient, single, unreadable } from "../domain/build";
import { builtInputs, sandboxInputs } from "../domain/inputs";

const assessments = [...sandboxInputs(), ...builtInputs()].map(({ name, input }) => ({
  name,
  a: assess(input),
}));
const OTHER: readonly Locale[] = ["es", "zh-CN"];
const CATALOGS: Readonly<Record<Locale, Readonly<Record<string, string>>>> = {
  en: EN,
  es: ES,
  "zh-CN": ZH_CN,
};

// The panel's provider fetches these chunks before it shows a page in the locale.
beforeAll(async () => {
  for (const locale of OTHER) await loadDomainCatalog(locale);
});

/**
 * The English catalog's own words: each message's literal runs between placeholders (and ICU syntax), of four words
 * or more, so that a run in a localized text means an English message slipped through untranslated.
 */
const ENGLISH_RUNS: readonly string[] = [
  ...new Set(
    Object.values(EN as Record<string, string>).flatMap((source) =>
      source
        .split(/\{[^{}]*\}|[{}#]/)
        .map((run) => run.trim())
        .filter((run) => run.split(/\s+/).length >= 4),
    ),
  ),
];

/** The raw string values inside descriptors: the record's words, references, dates, a specimen's reading. */
function rawValues(value: TextValue | undefined, into: Set<string>): Set<string> {
  if (typeof value === "string") into.add(value);
  else if (typeof value === "object") for (const v of Object.values(value.values ?? {})) rawValues(v, into);
  return into;
}

function descriptors(a: Assessment): Text[] {
  return [
    ...a.flags.flatMap((f) => (f.i18n ? [f.i18n.message, ...(f.i18n.action ? [f.i18n.action] : [])] : [])),
    ...(a.recommendation.i18n ? [a.recommendation.i18n.text] : []),
    ...(a.i18n ? [a.i18n.statusReason] : []),
    ...(a.tumours ?? []).flatMap((t) => (t.i18n ? [t.i18n.statusReason] : [])),
    ...a.evidence.flatMap((e) => Object.values(e.i18n ?? {}) as Text[]),
    ...(a.i18n?.unreadable ?? []).filter((r): r is Text => typeof r === "object"),
  ];
}

/**
 * The localized text without the values the rules pass on as they are (they are not catalog text: the record's own
 * words, and readings not yet held as messages, listed in localize-assessment.ts), longest first.
 */
function withoutValues(localized: string, a: Assessment): string {
  const values = new Set<string>();
  for (const d of descriptors(a)) rawValues(d, values);
  let out = localized;
  for (const v of [...values].sort((x, y) => y.length - x.length)) if (v) out = out.split(v).join("");
  return out;
}

function humanTexts(a: Assessment): string[] {
  return [
    ...a.flags.flatMap((f) => (f.i18n ? [f.message, f.action ?? ""] : [])),
    ...(a.recommendation.i18n ? [a.recommendation.text] : []),
    ...(a.i18n ? [a.statusReason] : []),
    ...(a.tumours ?? []).flatMap((t) => (t.i18n ? [t.tumour, t.statusReason] : [])),
    ...a.evidence.flatMap((e) => [
      ...(e.i18n?.value ? [e.value] : []),
      ...(e.i18n?.interpretation ? [e.interpretation ?? ""] : []),
      ...(e.i18n?.notUsedReason ? [e.notUsedReason ?? ""] : []),
      ...(e.i18n?.readAs ? [e.readAs ?? ""] : []),
    ]),
    ...a.unreadable.flatMap((u, i) => (typeof a.i18n?.unreadable?.[i] === "object" ? [u.reason] : [])),
  ];
}

/** Everything but the localized texts: what must come through unchanged. */
function skeleton(a: Assessment): unknown {
  return {
    ...a,
    flags: a.flags.map((f) => ({ ...f, message: undefined, action: f.action === undefined })),
    recommendation: { ...a.recommendation, text: undefined },
    statusReason: undefined,
    tumours: a.tumours?.map((t) => ({ ...t, tumour: undefined, statusReason: undefined })),
    evidence: a.evidence.map((e) => ({
      ...e,
      value: e.i18n?.value ? undefined : e.value,
      interpretation: e.i18n?.interpretation ? undefined : e.interpretation,
      notUsedReason: e.i18n?.notUsedReason ? undefined : e.notUsedReason,
      readAs: e.i18n?.readAs ? undefined : e.readAs,
    })),
    unreadable: a.unreadable.map((u, i) => ({
      ...u,
      reason: typeof a.i18n?.unreadable?.[i] === "object" ? undefined : u.reason,
    })),
  };
}

describe("the rules' catalogs are chunks of their own", () => {
  it("loadDomainCatalog fetches the locale's catalog once, and localizeAssessment then uses it", async () => {
    expect(await loadDomainCatalog("es")).toBe(domainCatalog("es"));
    expect(domainCatalog("es")).toEqual(ES);
  });

  it("a catalog that is not loaded leaves the rules' English, never a failed panel", async () => {
    vi.resetModules();
    const fresh = await import("../../src/i18n/localize-assessment");
    expect(fresh.domainCatalog("zh-CN")).toBeUndefined();
    for (const { a } of assessments.slice(0, 5)) expect(fresh.localizeAssessment(a, "zh-CN")).toBe(a);
  });
});

describe("localizeAssessment", () => {
  it("returns the assessment itself for English", () => {
    for (const { a } of assessments) expect(localizeAssessment(a, "en")).toBe(a);
  });

  for (const locale of OTHER) {
    it.each(assessments)(
      `${locale}: $name has no English catalog text and the same codes and references`,
      ({ a }) => {
        const localized = localizeAssessment(a, locale);
        expect(skeleton(localized)).toEqual(skeleton(a));
        const texts = humanTexts(localized);
        expect(texts).toHaveLength(humanTexts(a).length);
        for (const t of texts) {
          const words = withoutValues(t, a);
          for (const run of ENGLISH_RUNS) expect(words, `${locale}: "${run}" in "${t}"`).not.toContain(run);
        }
        // Each flag's localized text differs from its English one (a message that is only values is the exception).
        a.flags.forEach((f, i) => {
          if (f.i18n) expect(localized.flags[i]?.message, f.code).not.toBe(f.message);
        });
        // So does each reason the rules wrote for an evidence item or an unreadable result (short ones too).
        a.evidence.forEach((e, i) => {
          if (e.i18n?.value) expect(localized.evidence[i]?.value, e.resource).not.toBe(e.value);
          if (e.i18n?.notUsedReason) {
            expect(localized.evidence[i]?.notUsedReason, e.resource).not.toBe(e.notUsedReason);
          }
          if (e.i18n?.interpretation) {
            expect(localized.evidence[i]?.interpretation, e.resource).not.toBe(e.interpretation);
          }
        });
        a.unreadable.forEach((u, i) => {
          if (typeof a.i18n?.unreadable?.[i] === "object") {
            expect(localized.unreadable[i]?.reason, u.resource).not.toBe(u.reason);
          }
        });
        // The rules' object is not changed.
        expect(localized).not.toBe(a);
      },
    );
  }

  it("reads the specimen readings in the locale's terms, with scores, groups and numbers as the rules wrote them", () => {
    const a = assess(
      patient([
        ihc("2+"),
        dual(1.8, 4.5, { cellsCounted: 15, recount: { ratio: 1.7, her2PerCell: 4.4 } }),
        interpretation("negative"),
      ]),
    );
    const read = (locale: Locale) => localizeAssessment(a, locale).evidence.map((e) => e.interpretation);
    expect(read("en")).toEqual([
      "Reported interpretation: negative",
      "ISH group 4 (ratio <2.0, HER2 ≥4.0 and <6.0); recount group 4; only 15 cells counted (guideline: ≥20)",
      "IHC 2+ (equivocal)",
    ]);
    expect(read("es")).toEqual([
      "Interpretación informada: negativo",
      "ISH grupo 4 (cociente <2.0, HER2 ≥4.0 y <6.0); recuento: grupo 4; solo se contaron 15 células (guía: ≥20)",
      "IHQ 2+ (equívoco)",
    ]);
    expect(read("zh-CN")).toEqual([
      "报告的判读：阴性",
      "原位杂交 (ISH) 第 4 组（比值 <2.0，HER2 ≥4.0 且 <6.0）；复核计数为第 4 组；仅计数 15 个细胞（指南：≥20）",
      "免疫组化 (IHC) 2+（不确定）",
    ]);
  });

  it("leaves a flag without descriptors (built outside the rules) as it is", () => {
    const a = assess(patient([unreadable("x")]));
    const plain = { ...a, flags: a.flags.map((f) => ({ ...f, i18n: undefined })) };
    expect(localizeAssessment(plain, "es").flags).toEqual(plain.flags);
  });

  it("formats plural and number placeholders by the locale's rules", () => {
    const one = assess(patient([unreadable("bad value")]));
    const five = assess(patient([1, 2, 3, 4, 5].map((i) => unreadable(`bad ${String(i)}`))));
    const message = (a: Assessment, locale: Locale) =>
      localizeAssessment(a, locale).flags.find((f) => f.code === "result-unreadable")?.message ?? "";
    expect(message(one, "es")).toMatch(/^1 resultado de HER2 no se pudo interpretar y no se usa: /);
    expect(message(five, "es")).toMatch(/^5 resultados de HER2 no se pudieron interpretar y no se usan: /);
    expect(message(five, "es")).toContain("; y 2 más.");
    expect(message(one, "zh-CN")).toMatch(/^1 项 HER2 结果无法判读/);
    expect(message(five, "zh-CN")).toContain("；另有 2 项");
    // Numbers through Intl: grouping as each locale writes it.
    const more = (locale: Locale) =>
      renderText(
        text("flag.list.more", { details: "…", more: text("flag.list.more.count", { more: 12345 }) }),
        locale,
        CATALOGS[locale],
      );
    expect(more("en")).toBe(`…; and ${new Intl.NumberFormat("en").format(12345)} more`);
    expect(more("es")).toBe(`…; y ${new Intl.NumberFormat("es").format(12345)} más`);
    expect(more("zh-CN")).toBe(`…；另有 ${new Intl.NumberFormat("zh-CN").format(12345)} 项`);
    expect(more("es")).not.toBe(more("en"));
  });

  it("keeps dates as the record's ISO strings", () => {
    let checked = 0;
    for (const { a } of assessments) {
      for (const locale of OTHER) {
        localizeAssessment(a, locale).flags.forEach((f, i) => {
          for (const d of a.flags[i]?.message.match(/\d{4}-\d{2}-\d{2}/g) ?? []) {
            expect(f.message).toContain(d);
            checked++;
          }
        });
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it("names flag codes by localized titles, English as the rules' own", () => {
    for (const code of Object.keys(FLAG_TITLES) as FlagCode[]) {
      expect(localizedFlagTitle(code, "en")).toBe(FLAG_TITLES[code]);
      expect(localizedFlagTitle(code, "es")).not.toBe(FLAG_TITLES[code]);
      expect(localizedFlagTitle(code, "zh-CN")).not.toBe(FLAG_TITLES[code]);
    }
  });

  it("each catalog translates every message with words in it (none copied from English)", () => {
    for (const locale of OTHER) {
      const catalog = CATALOGS[locale] as Record<string, string>;
      for (const [id, source] of Object.entries(EN as Record<string, string>)) {
        const words = source.replace(/\{[^{}]*\}/g, "").match(/[a-z]{3,}/gi) ?? [];
        if (words.length >= 2) expect(catalog[id], `${locale} ${id}`).not.toBe(source);
      }
    }
  });
});

describe("the combined specimen reason (combine.ts) in the locale", () => {
  const noIsh = assessments.find(({ name }) => name === "her2-ihc2-no-ish.json")?.a;
  const reasonWords = (locale: Locale): RegExp =>
    // "IHC" is kept in Chinese beside 免疫组化 ("免疫组化 (IHC)"), never in Spanish (IHQ).
    locale === "es"
      ? /\b(?:IHC|equivocal|without|same|specimen)\b/
      : /\b(?:equivocal|without|same|specimen)\b/;

  it("the sandbox patient her2-ihc2-no-ish has the reflex-ISH flag and status on that reason in English", () => {
    expect(noIsh?.status).toBe("equivocal");
    const flag = noIsh?.flags.find((f) => f.code === "reflex-ish-missing");
    expect(flag?.message).toContain("IHC 2+ (equivocal) without ISH on the same specimen");
    expect(noIsh?.statusReason).toContain("IHC 2+ (equivocal) without ISH on the same specimen");
  });

  for (const locale of OTHER) {
    it(`${locale}: the reflex-ISH flag and the status reason of her2-ihc2-no-ish hold no English word of it`, () => {
      if (!noIsh) throw new Error("sandbox patient her2-ihc2-no-ish.json not found");
      const localized = localizeAssessment(noIsh, locale);
      const flag = localized.flags.find((f) => f.code === "reflex-ish-missing");
      expect(flag?.message).toBeDefined();
      for (const t of [flag?.message ?? "", localized.statusReason]) {
        expect(t, `${locale}: "${t}"`).not.toMatch(reasonWords(locale));
      }
      const sameSpecimen = locale === "es" ? "en la misma muestra" : "同一标本";
      expect(flag?.message).toContain(sameSpecimen);
      expect(localized.statusReason).toContain(sameSpecimen);
    });
  }

  it("an IHC 2+ with an unusable dual-probe ISH, and a lab interpretation, are named in the locale too", () => {
    const unusable = assess(patient([ihc("2+"), dual(undefined, undefined)]));
    expect(unusable.statusReason).toContain("IHC 2+ (equivocal); dual-probe ISH not usable: ");
    const reason = (a: Assessment, locale: Locale) => localizeAssessment(a, locale).statusReason;
    expect(reason(unusable, "es")).toContain("IHQ 2+ (equívoco); ISH de doble sonda no utilizable: ");
    expect(reason(unusable, "zh-CN")).toContain("免疫组化 (IHC) 2+（不确定）；双探针 ISH 不可用：");
    const lab = assess(patient([ihc("2+"), dual(2.5, 5), interpretation("positive")]));
    expect(lab.statusReason).toContain(": laboratory interpretation: positive.");
    expect(reason(lab, "es")).toContain(": interpretación del laboratorio: positivo.");
    expect(reason(lab, "zh-CN")).toContain("：实验室判读：阳性。");
  });
});

describe("the ISH group and band reasons (ish.ts) inside a specimen's reason, in the locale", () => {
  const english =
    /\b(?:group|with|needs|blinded|recount|concomitant|tissue|copies|cell|Single-probe|dual-probe)\b/;
  const cases: { name: string; a: Assessment; en: string; es: string; zh: string }[] = [
    {
      name: "group 4 with IHC 2+, no recount",
      a: assess(patient([ihc("2+"), dual(1.8, 4.5)])),
      en: "ISH group 4 with IHC 2+ needs a blinded second-observer recount",
      es: "ISH grupo 4 con IHQ 2+: requiere un recuento ciego por un segundo observador",
      zh: "ISH 第 4 组且免疫组化 (IHC) 2+：需由第二位观察者盲法重新计数",
    },
    {
      name: "single-probe 4-6 copies with IHC 2+",
      a: assess(patient([ihc("2+"), single(5)])),
      en: "Single-probe ISH ≥4.0 and <6.0 copies/cell needs dual-probe ISH for a final result",
      es: "ISH de sonda única ≥4.0 y <6.0 copias/célula: requiere ISH de doble sonda para un resultado definitivo",
      zh: "单探针 ISH ≥4.0 且 <6.0 拷贝/细胞：需做双探针 ISH 才能得出最终结果",
    },
    {
      name: "group 2 without IHC",
      a: assess(patient([dual(2.5, 3)])),
      en: "ISH group 2 needs concomitant IHC on the same tissue",
      es: "ISH grupo 2: requiere IHQ concomitante en el mismo tejido",
      zh: "ISH 第 2 组：需在同一组织上同时做免疫组化 (IHC)",
    },
  ];

  it.each(cases)("$name: the status reason and the flag name it in each locale", ({ a, ...words }) => {
    expect(a.statusReason).toContain(words.en);
    for (const [locale, expected] of [
      ["es", words.es],
      ["zh-CN", words.zh],
    ] as const) {
      const localized = localizeAssessment(a, locale);
      expect(localized.statusReason).toContain(expected);
      expect(localized.statusReason).not.toMatch(english);
      const flagged = localized.flags.filter((f) => f.message.includes(expected));
      expect(flagged.length, locale).toBeGreaterThan(0);
      for (const f of localized.flags) expect(f.message, `${locale} ${f.code}`).not.toMatch(english);
    }
  });
});

describe("why a test is not usable, or how an IHC without a score is named, inside a specimen's reason, in the locale", () => {
  it.each([
    {
      name: "dual-probe ISH without numbers beside IHC 2+",
      a: assess(patient([ihc("2+"), dual(undefined, undefined)])),
      en: "dual-probe ISH not usable: HER2/CEP17 ratio and average HER2 copies per cell missing or not a valid number",
      es: "ISH de doble sonda no utilizable: cociente HER2/CEP17 y número medio de copias de HER2 por célula ausentes o no son números válidos",
      zh: "双探针 ISH 不可用：HER2/CEP17 比值和每细胞平均 HER2 拷贝数缺失或不是有效数字",
    },
    {
      name: "an IHC without a score beside a dual-probe ISH whose call contradicts its group",
      a: assess(patient([ihc(undefined), dual(2.5, 5, { reported: "negative" })])),
      en: "IHC without a usable score or call; dual-probe ISH not usable: ISH group 1 (ratio ≥2.0, HER2 ≥4.0); reported negative contradicts the group",
      es: "IHQ sin puntuación ni resultado utilizables; ISH de doble sonda no utilizable: ISH grupo 1 (cociente ≥2.0, HER2 ≥4.0); el resultado informado negativo contradice el grupo",
      zh: "免疫组化 (IHC) 无可用的评分或结论；双探针 ISH 不可用：原位杂交 (ISH) 第 1 组（比值 ≥2.0，HER2 ≥4.0）；报告的阴性与分组矛盾",
    },
    {
      name: "single-probe ISH without a copy number",
      a: assess(patient([single(undefined)])),
      en: "single-probe ISH not usable: average HER2 copies per cell missing or not a valid number",
      es: "ISH de sonda única no utilizable: número medio de copias de HER2 por célula ausente o no es un número válido",
      zh: "单探针 ISH 不可用：每细胞平均 HER2 拷贝数缺失或不是有效数字",
    },
    {
      name: "an IHC reported positive without a score",
      a: assess(patient([ihc(undefined, { reported: "positive" })])),
      en: "IHC reported positive (no score) is positive",
      es: "IHQ informada como positivo (sin puntuación): positivo",
      zh: "免疫组化 (IHC) 报告为阳性（无评分）：阳性",
    },
  ])("$name", ({ a, ...words }) => {
    expect(a.statusReason).toContain(words.en);
    expect(localizeAssessment(a, "es").statusReason).toContain(words.es);
    expect(localizeAssessment(a, "zh-CN").statusReason).toContain(words.zh);
  });
});

describe("a record contradicting itself, in the flag that says so", () => {
  it.each([
    {
      record: () => ihc("3+", { reported: "negative" }),
      en: "IHC 3+ (positive); reported negative contradicts the score",
      es: "IHQ 3+ (positivo); el resultado informado negativo contradice la puntuación",
      zh: "免疫组化 (IHC) 3+（阳性）；报告的阴性与评分矛盾",
    },
    {
      record: () => dual(2.5, 5, { reported: "negative" }),
      en: "ISH group 1 (ratio ≥2.0, HER2 ≥4.0); reported negative contradicts the group",
      es: "ISH grupo 1 (cociente ≥2.0, HER2 ≥4.0); el resultado informado negativo contradice el grupo",
      zh: "原位杂交 (ISH) 第 1 组（比值 ≥2.0，HER2 ≥4.0）；报告的阴性与分组矛盾",
    },
  ])("names the reading in the locale: $es", ({ record, ...words }) => {
    const a = assess(patient([record()]));
    const message = (locale: Locale) =>
      localizeAssessment(a, locale).flags.find((f) => f.code === "interpretation-mismatch")?.message ?? "";
    expect(message("en")).toContain(words.en);
    expect(message("es")).toContain(words.es);
    expect(message("zh-CN")).toContain(words.zh);
  });
});

describe("IHC and ISH pointing opposite ways, in the flag that says so", () => {
  it.each([
    { record: () => ihc("3+"), es: "(IHQ 3+ (positivo))", zh: "（免疫组化 (IHC) 3+（阳性））" },
    {
      record: () => ihc(undefined, { reported: "positive" }),
      es: "(IHQ informada como positivo (sin puntuación))",
      zh: "（免疫组化 (IHC) 报告为阳性（无评分））",
    },
  ])("names the IHC reading in the locale: $es", ({ record, es, zh }) => {
    const a = assess(patient([record(), dual(1.5, 3)]));
    const message = (locale: Locale) =>
      localizeAssessment(a, locale).flags.find((f) => f.code === "discordant-results")?.message ?? "";
    expect(message("en")).toContain("IHC and ISH on the same specimen point opposite ways");
    expect(message("es")).toContain(es);
    expect(message("zh-CN")).toContain(zh);
    expect(message("es")).not.toMatch(/\b(?:positive|reported|score)\b/);
  });
});
