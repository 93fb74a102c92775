/**
 * The locales the app, the patient page, the sandbox and the CLI speak, and how a requested locale list (SMART
 * `locale` / `ui_locales`, `navigator.languages`, `Accept-Language`, `LANG`) maps onto them. Pure: no DOM, no I/O.
 */
export const SUPPORTED_LOCALES = ["en", "es", "zh-CN"] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

/** The name of each locale in its own language, for the switcher. */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = {
  en: "English",
  es: "Español",
  "zh-CN": "简体中文",
};

export function isLocale(tag: string): tag is Locale {
  return (SUPPORTED_LOCALES as readonly string[]).includes(tag);
}

/**
 * One BCP 47 tag (any case, `_` or `-`) to a supported locale, or undefined. Spanish of any region is `es`;
 * Chinese is `zh-CN` only where it is Simplified (zh, zh-CN, zh-SG, zh-Hans-*): a Traditional-script reader
 * (zh-TW, zh-HK, zh-Hant) is not served Simplified text as if it were theirs.
 */
export function matchLocale(tag: string | undefined): Locale | undefined {
  if (!tag) return undefined;
  // POSIX locale names carry a codeset and modifier (`zh_TW.UTF-8@x`): drop them, or they would hide the region.
  const parts = tag
    .trim()
    .replace(/[.@].*$/, "")
    .replace(/_/g, "-")
    .split(/[-;]/)
    .filter(Boolean)
    .map((p) => p.toLowerCase());
  const [language, ...rest] = parts;
  if (language === "en") return "en";
  if (language === "es") return "es";
  if (language === "zh") {
    if (rest.includes("hant") || rest.includes("tw") || rest.includes("hk") || rest.includes("mo"))
      return undefined;
    return "zh-CN";
  }
  return undefined;
}

/**
 * The tags of one preference entry, most preferred first: a space separated `ui_locales`, or a comma separated
 * `Accept-Language` whose `;q=` weights order it (stable for equal weights; `q=0` means "not this one").
 */
function rankedTags(entry: string): string[] {
  return entry
    .replace(/\s*([;=])\s*/g, "$1")
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((item, index) => {
      const [tag = "", ...params] = item.split(";");
      const q = params.map((p) => /^q=([\d.]+)$/i.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag, weight: q === undefined ? 1 : Number(q), index };
    })
    .filter((t) => t.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
    .map((t) => t.tag);
}

/** The first supported locale in a list of preferences (SMART `locale`, `ui_locales`, browser, `Accept-Language`). */
export function negotiateLocale(preferences: readonly (string | null | undefined)[]): Locale {
  for (const entry of preferences) {
    if (!entry) continue;
    for (const tag of rankedTags(entry)) {
      const match = matchLocale(tag);
      if (match) return match;
    }
  }
  return DEFAULT_LOCALE;
}
