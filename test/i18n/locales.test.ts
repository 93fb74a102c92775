import { describe, expect, it } from "vitest";
import { matchLocale, negotiateLocale } from "../../src/i18n/locales";

describe("locale negotiation", () => {
  it.each([
    ["en-US", "en"],
    ["es-MX", "es"],
    ["ES", "es"],
    ["zh", "zh-CN"],
    ["zh_CN", "zh-CN"],
    ["zh-Hans-CN", "zh-CN"],
    ["zh-SG", "zh-CN"],
    ["zh-TW", undefined],
    ["zh-Hant", undefined],
    ["fr-FR", undefined],
    ["zh_TW.UTF-8", undefined],
    ["zh_CN.UTF-8", "zh-CN"],
    ["es_ES.UTF-8@euro", "es"],
    ["", undefined],
  ])("%s matches %s", (tag, expected) => {
    expect(matchLocale(tag)).toBe(expected);
  });

  it("takes the first supported entry: SMART locale, then ui_locales, then the browser", () => {
    expect(negotiateLocale([undefined, "fr-CA es-419", "en-US"])).toBe("es");
    expect(negotiateLocale(["zh-TW", null, "zh-CN,zh;q=0.9"])).toBe("zh-CN");
    expect(negotiateLocale(["fr-FR,de;q=0.8,es;q=0.5"])).toBe("es");
    expect(negotiateLocale(["de", "pt"])).toBe("en");
    expect(negotiateLocale([])).toBe("en");
  });

  it("orders an Accept-Language list by its q weights, and skips q=0", () => {
    expect(negotiateLocale(["en;q=0.1, es;q=0.9"])).toBe("es");
    expect(negotiateLocale(["es;q=0, zh-CN;q=0.5, en;q=0.4"])).toBe("zh-CN");
    expect(negotiateLocale(["es;q=0"])).toBe("en");
    expect(negotiateLocale(["fr, es;q=0.8, en;q=0.8"])).toBe("es");
    expect(negotiateLocale(["en ; q=0.2 , zh-CN ; q = 0.7"])).toBe("zh-CN");
  });
});
