/**
 * The sandbox's pages in en, es and zh-CN (issue 15.3): catalogs in `messages/`, formatted with the app's
 * formatMessage (ICU, intl-messageformat). The locale is `?lang=` on the page, else the browser's Accept-Language,
 * else English; a launch from the page carries it to the app in the token response (`locale`, see oauth.ts).
 * Patient names are the synthetic data and stay as they are; codes stay codes. Each patient's scenario is in
 * English in `patients/index.json` (its one English source) and in es / zh-CN in `messages/scenarios/<locale>.json`
 * (plain text by patient id, not ICU: a scenario quotes record text and has no placeholders).
 */
import { type Catalog, formatMessage, type MessageValues } from "../src/i18n/format.ts";
import {
  LOCALE_NAMES,
  type Locale,
  matchLocale,
  negotiateLocale,
  SUPPORTED_LOCALES,
} from "../src/i18n/locales.ts";
import { escapeHtml as h } from "./http.ts";
import en from "./messages/en.json" with { type: "json" };
import es from "./messages/es.json" with { type: "json" };
import zhCN from "./messages/zh-CN.json" with { type: "json" };
import scenariosEs from "./messages/scenarios/es.json" with { type: "json" };
import scenariosZhCN from "./messages/scenarios/zh-CN.json" with { type: "json" };

export type { Locale };

const CATALOGS: Readonly<Record<Locale, Catalog>> = { en, es, "zh-CN": zhCN };

/** The scenarios by patient id in the locales other than English (test/sandbox/i18n.test.ts: one for every patient). */
export const SCENARIOS: Readonly<Record<Exclude<Locale, "en">, Readonly<Record<string, string>>>> = {
  es: scenariosEs,
  "zh-CN": scenariosZhCN,
};

/**
 * A patient's scenario in `locale` and the language it is in: English from the manifest, else the locale's
 * translation; a patient without one (added to the manifest but not yet translated) shows its English, marked so.
 */
export function scenarioText(
  locale: Locale,
  patient: { readonly id: string; readonly scenario: string },
): { text: string; lang: Locale } {
  if (locale === "en") return { text: patient.scenario, lang: "en" };
  const text = SCENARIOS[locale][patient.id];
  return text === undefined ? { text: patient.scenario, lang: "en" } : { text, lang: locale };
}

/** The message `id` as plain text (escape it before it goes into HTML). */
export function t(locale: Locale, id: string, values?: MessageValues): string {
  return formatMessage(locale, CATALOGS[locale], id, values);
}

/**
 * The message `id` as HTML: the text escaped, and each of `markup` (HTML the caller built and escaped) put in for its
 * placeholder, so a translation can place a link or a `<code>` wherever its word order needs it.
 */
export function tHtml(
  locale: Locale,
  id: string,
  markup: Readonly<Record<string, string>> = {},
  values: MessageValues = {},
): string {
  // Private-use characters mark where each piece of markup goes: no text or escape produces them.
  const keys = Object.keys(markup);
  const tokens = Object.fromEntries(keys.map((key, i) => [key, `\ue000${String(i)}\ue001`]));
  return h(t(locale, id, { ...values, ...tokens })).replace(
    /\ue000(\d+)\ue001/g,
    (_, i: string) => markup[keys[Number(i)] ?? ""] ?? "",
  );
}

/** `?lang=` when it names a supported locale, else the best of Accept-Language, else English. */
export function pageLocale(lang: string | null | undefined, acceptLanguage: string | undefined): Locale {
  return matchLocale(lang ?? undefined) ?? negotiateLocale([acceptLanguage]);
}

/**
 * The language switcher: a labelled list of links (keyboard-operable, no script: the CSP allows none), each locale
 * named in its own language, the current one marked `aria-current`.
 * @param href - the page's address in a locale
 */
export function languageSwitcher(locale: Locale, href: (locale: Locale) => string): string {
  const links = SUPPORTED_LOCALES.map((l) =>
    l === locale
      ? `<li><a href="${h(href(l))}" lang="${l}" hreflang="${l}" aria-current="true"><strong>${h(LOCALE_NAMES[l])}</strong></a></li>`
      : `<li><a href="${h(href(l))}" lang="${l}" hreflang="${l}">${h(LOCALE_NAMES[l])}</a></li>`,
  ).join("");
  return `<nav class="languages" aria-label="${h(t(locale, "lang.label"))}"><span aria-hidden="true">${h(t(locale, "lang.label"))}:</span> <ul>${links}</ul></nav>`;
}
