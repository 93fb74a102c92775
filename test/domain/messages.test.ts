/**
 * The rules' texts as message ids (issue 15.3): every flag the rules raise, and every recommendation, carries a
 * descriptor whose English rendering from messages/en.json is exactly the English text in the assessment; an id the
 * catalog lacks is refused by the type and at run time.
 */
import { describe, expect, it } from "vitest";
import { assess, type Assessment, CANNOT_ASSESS, type FlagCode } from "../../src/domain";
import { FLAG_TITLES, flagTitleId } from "../../src/domain/flag-titles";
import EN from "../../src/domain/messages/en.json";
import { RECOMMENDATION_TABLE } from "../../src/domain/recommendation";
import {
  type MessageFormatElement,
  isArgumentElement,
  isNumberElement,
  isPluralElement,
  parse,
} from "@formatjs/icu-messageformat-parser";
import { IntlMessageFormat } from "intl-messageformat";
import ES from "../../src/domain/messages/es.json";
import ZH_CN from "../../src/domain/messages/zh-CN.json";
import {
  type Catalog,
  en,
  EN_CATALOG,
  type MessageId,
  parseMessage,
  renderText,
  text,
} from "../../src/domain/text";
import { builtInputs, sandboxInputs } from "./inputs";

const cases = [...sandboxInputs(), ...builtInputs()].map(({ name, input }) => ({ name, a: assess(input) }));

describe("every text the rules produce has a message descriptor", () => {
  it.each(cases)("$name: flags and recommendation render to their English text", ({ a }) => {
    for (const flag of a.flags) {
      expect(flag.i18n, flag.code).toBeDefined();
      expect(en(flag.i18n?.message ?? "")).toBe(flag.message);
      expect(flag.i18n?.action ? en(flag.i18n.action) : undefined).toBe(flag.action);
    }
    expect(a.recommendation.i18n).toBeDefined();
    expect(en(a.recommendation.i18n?.text ?? "")).toBe(a.recommendation.text);
    expect(a.i18n).toBeDefined();
    expect(en(a.i18n?.statusReason ?? "")).toBe(a.statusReason);
    for (const t of a.tumours ?? []) {
      expect(en(t.i18n?.statusReason ?? "")).toBe(t.statusReason);
      expect(en(t.i18n?.tumour ?? "")).toBe(t.tumour);
    }
  });

  it.each(cases)(
    "$name: the evidence's and unreadable list's texts render to their English text",
    ({ a }) => {
      for (const item of a.evidence) {
        const texts = item.i18n ?? {};
        if (texts.value) expect(en(texts.value), item.resource).toBe(item.value);
        if (texts.interpretation) expect(en(texts.interpretation), item.resource).toBe(item.interpretation);
        if (texts.notUsedReason) expect(en(texts.notUsedReason), item.resource).toBe(item.notUsedReason);
      }
      const reasons = a.i18n?.unreadable ?? [];
      expect(reasons).toHaveLength(a.unreadable.length);
      a.unreadable.forEach((u, i) => {
        expect(en(reasons[i] ?? ""), u.resource).toBe(u.reason);
      });
    },
  );

  it("every reason for not using a record is a message, and so is every unreadable reason the rules wrote", () => {
    const items = cases.flatMap(({ a }) => a.evidence.filter((e) => !e.used));
    expect(items.length).toBeGreaterThan(50);
    expect(items.filter((e) => !e.i18n?.notUsedReason).map((e) => e.notUsedReason)).toEqual([]);
    const reasons = cases.flatMap(({ a }) => a.i18n?.unreadable ?? []);
    expect(reasons.filter((r) => typeof r === "object").length).toBeGreaterThanOrEqual(4);
    // The FHIR layer's own reasons stay as it wrote them; the rules' wording is never a plain string.
    const rulesWording = /^(could not be interpreted|dated after|result status is|unknown HER2 test method)/;
    for (const r of reasons) if (typeof r === "string") expect(r).not.toMatch(rulesWording);
  });

  it("the cases raise every flag code, raised and not checked, so no code's texts go unchecked", () => {
    const raised = new Set<FlagCode>(cases.flatMap(({ a }) => a.flags.map((f) => f.code)));
    expect([...raised].sort()).toEqual(Object.keys(FLAG_TITLES).sort());
    expect(cases.some(({ a }) => a.flags.some((f) => f.state === "not-checked"))).toBe(true);
  });

  it("the recommendation table's texts are their messages' English", () => {
    for (const row of RECOMMENDATION_TABLE) expect(en(row.message)).toBe(row.text);
  });

  it("flag titles come from the catalog", () => {
    for (const [code, title] of Object.entries(FLAG_TITLES)) {
      expect(EN[flagTitleId(code as FlagCode)]).toBe(title);
    }
  });

  it("an assessment that could not be completed still has a descriptor for its recommendation", () => {
    const exploding = {
      get method(): never {
        throw new Error("unforeseen data");
      },
    };
    const input = { patient: "Patient/x", asOf: "2026-01-01", tests: [exploding], events: [], therapies: [] };
    const broken: Assessment = assess(input as never);
    expect(broken.statusReason).toMatch(new RegExp(`^${CANNOT_ASSESS}`));
    expect(en(broken.recommendation.i18n?.text ?? "")).toBe(broken.recommendation.text);
    expect(en(broken.i18n?.statusReason ?? "")).toBe(broken.statusReason);
  });
});

describe("the domain's message formatter", () => {
  const catalogs = { en: EN, es: ES, "zh-CN": ZH_CN } as Record<string, Record<string, string>>;
  /** Each placeholder's kind, from the ICU parser react-intl uses (plural / number get numbers, the rest strings). */
  function argKinds(elements: readonly MessageFormatElement[], into: Map<string, "number" | "string">): void {
    for (const el of elements) {
      if (isPluralElement(el)) {
        into.set(el.value, "number");
        for (const option of Object.values(el.options)) argKinds(option.value, into);
      } else if (isNumberElement(el)) into.set(el.value, "number");
      else if (isArgumentElement(el)) into.set(el.value, into.get(el.value) ?? "string");
    }
  }
  it("renders every message of every catalog exactly as intl-messageformat does", () => {
    let compared = 0;
    for (const [locale, catalog] of Object.entries(catalogs)) {
      for (const [id, source] of Object.entries(catalog)) {
        const kinds = new Map<string, "number" | "string">();
        argKinds(parse(source), kinds);
        for (const n of [0, 1, 2, 3, 5, 11, 21, 999, 1000, 12345, 2.5]) {
          const values = Object.fromEntries(
            [...kinds].map(([name, kind]) => [name, kind === "number" ? n : `«${name}»`]),
          );
          const expected = new IntlMessageFormat(source, locale, undefined, { ignoreTag: true }).format(
            values,
          );
          expect(
            renderText(text(id as MessageId, values), locale, catalog as Catalog),
            `${locale} ${id}`,
          ).toBe(expected);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(1500);
  });

  it("refuses ICU it does not read (select, quoting) instead of misreading it", () => {
    expect(() => parseMessage("{a, select, x {y} other {z}}")).toThrow(/Unsupported/);
    expect(() => parseMessage("it''s '{literal}'")).toThrow(/Unsupported/);
    expect(() => parseMessage("{n, plural, one {# x}}")).toThrow(/Unsupported/);
  });
});

describe("an unknown message id cannot slip through", () => {
  it("is a type error, and throws at run time rather than rendering nothing", () => {
    // @ts-expect-error -- not an id of messages/en.json
    const unknown = text("flag.no-such-message");
    expect(() => en(unknown)).toThrow(/No message "flag.no-such-message" in the en catalog/);
  });

  it("a message missing a value throws instead of printing a placeholder", () => {
    expect(() => en(text("specimen.name.label"))).toThrow(/label/);
    expect(() => renderText(text("flag.list.more", { details: "x" }), "en", EN_CATALOG)).toThrow();
  });

  it("plural messages give each count its own text, with the number formatted by the locale", () => {
    const pending = (count: number) => en(text("flag.pending.count", { count }));
    expect(pending(1)).toMatch(/^1 HER2 result is not final yet/);
    expect(pending(2)).toMatch(/^2 HER2 results are not final yet/);
    expect(pending(1)).toMatch(/^1 HER2 result is /);
    expect(pending(1000)).toMatch(
      new RegExp(`^${new Intl.NumberFormat("en").format(1000)} HER2 results are `),
    );
    expect(
      renderText(text("flag.pending.count", { count: 1 }), "es", {
        ...EN_CATALOG,
        "flag.pending.count": "{count, plural, one {# uno} other {# otros}}",
      }),
    ).toBe("1 uno");
  });

  it("plain {name} messages render as intl-messageformat would: apostrophes and symbols kept", () => {
    expect(en(text("gap.how.excluded", { what: "conditions", reason: "r" }))).toBe(
      "conditions could not be proven to be this patient's (r)",
    );
    expect(en(text("recommendation.ultralow-metastatic"))).toContain("faint staining in ≤10% of cells");
  });
});
