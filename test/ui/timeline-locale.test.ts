/**
 * The timeline's screen-reader summary and item texts (the hidden list, the undated line) in Spanish and Chinese
 * (issue 15.3): the summary is the picture's accessible name, read in the page's language; both were English on an
 * es / zh-CN panel. The words drawn on the marks stay short (test names and ISO dates). The expected words are written here, not read
 * from the catalogs; dates in the locale's words.
 */
import { createIntl } from "react-intl";
import { describe, expect, it } from "vitest";
import type { Locale } from "../../src/i18n/locales";
import { formatRecordedDate } from "../../src/ui/i18n/translate";
import deferredEs from "../../src/ui/deferred/messages/es.json";
import deferredZh from "../../src/ui/deferred/messages/zh-CN.json";
import panelEs from "../../src/ui/messages/es.json";
import panelZh from "../../src/ui/messages/zh-CN.json";

// The page's messages inside the lazy sections: the panel's catalog and the deferred one (DeferredMessages).
const es = { ...panelEs, ...deferredEs };
const zh = { ...panelZh, ...deferredZh };
import { ENGLISH_TIMELINE_WORDS, type TimelineWords, buildTimeline } from "../../src/ui/timeline-model";
import { METASTATIC_EVENTS, METASTATIC_POSITIVE_EVIDENCE, TRASTUZUMAB_2019, evidence } from "./fixtures";

const AS_OF = "2026-11-25";

function wordsIn(locale: Locale, messages: Readonly<Record<string, string>>): TimelineWords {
  const intl = createIntl({ locale, messages });
  return {
    ...ENGLISH_TIMELINE_WORDS,
    t: (id, values) => intl.formatMessage({ id }, values),
    date: (iso) => formatRecordedDate(iso, locale) ?? iso,
  };
}

const ENGLISH = /\b(?:HER2 tests?|latest|no HER2 test dated|anti-HER2 therapy|timeline as of|to|on record)\b/;

describe.each([
  {
    locale: "es" as const,
    words: wordsIn("es", es),
    entries: [
      "20 abr 2019: Diagnóstico primario: Invasive ductal carcinoma of right breast",
      "1 jul 2025: Tratamiento anti-HER2: trastuzumab deruxtecan, prescrito el 1 jul 2025, sin fecha de fin registrada",
      "fecha no registrada: Prueba de HER2: IHQ 0",
    ],
    undated: "Prueba de HER2: IHQ 0",
    marks: { test: "IHQ 3+", primary: "Diagnóstico primario", metastasis: "Metástasis" },
    gap: [
      "última metástasis el 28 may 2025; ninguna prueba de HER2 posterior",
      "no consta tratamiento anti-HER2",
    ],
    retested: [
      "3 pruebas de HER2, la más reciente el 10 jun 2025",
      "trastuzumab del 15 jun 2019 al 10 jun 2020",
    ],
    opening: "Cronología de HER2 a fecha de 25 nov 2026: ",
  },
  {
    locale: "zh-CN" as const,
    words: wordsIn("zh-CN", zh),
    entries: [
      "2019年4月20日：原发诊断：Invasive ductal carcinoma of right breast",
      "2025年7月1日：抗 HER2 治疗：trastuzumab deruxtecan，2025年7月1日 开具医嘱，未记录结束日期",
      "日期未记录：HER2 检测：IHC 0",
    ],
    undated: "HER2 检测：IHC 0",
    marks: { test: "IHC 3+", primary: "原发诊断", metastasis: "转移" },
    gap: ["最近转移 2025年5月28日；此后无 HER2 检测", "无抗 HER2 治疗记录"],
    retested: ["3 项 HER2 检测，最近一次 2025年6月10日", "trastuzumab 2019年6月15日 至 2020年6月10日"],
    opening: "截至 2026年11月25日 的 HER2 时间线：",
  },
])("the timeline in $locale", ({ words, entries, undated, marks, gap, retested, opening }) => {
  it("lists every item in the page's words and dates, the record's own words (site, drug) as written", () => {
    const model = buildTimeline(
      [evidence({ resource: "Observation/undated", value: "0" }), ...METASTATIC_POSITIVE_EVIDENCE],
      METASTATIC_EVENTS,
      [{ drug: "trastuzumab deruxtecan", start: "2025-07-01", source: "MedicationRequest/m2" }],
      AS_OF,
      800,
      words,
    );
    expect(model.entries[0]).toBe(entries[0]);
    expect(model.entries.at(-2)).toBe(entries[1]);
    expect(model.entries.at(-1)).toBe(entries[2]);
    expect(model.undated).toEqual([undated]);
    // The words drawn on the marks (dates stay ISO there, to keep the marks short).
    expect(model.tests.map((m) => m.text)).toContain(`${marks.test} 2025-06-10`);
    expect(model.events.map((m) => m.text)).toEqual([
      `${marks.primary} 2019-04-20`,
      `${marks.metastasis} 2025-05-28`,
    ]);
  });

  it("says the retest gap, the tests and the therapy in the page's words and dates", () => {
    const primaryOnly = METASTATIC_POSITIVE_EVIDENCE.filter((e) => e.date?.startsWith("2019"));
    const withGap = buildTimeline(primaryOnly, METASTATIC_EVENTS, [], AS_OF, 800, words).summary;
    expect(withGap.startsWith(opening)).toBe(true);
    for (const part of gap) expect(withGap).toContain(part);
    expect(withGap).not.toMatch(ENGLISH);

    const full = buildTimeline(
      METASTATIC_POSITIVE_EVIDENCE,
      METASTATIC_EVENTS,
      [TRASTUZUMAB_2019],
      AS_OF,
      800,
      words,
    ).summary;
    for (const part of retested) expect(full).toContain(part);
    expect(full).not.toMatch(ENGLISH);
  });
});
