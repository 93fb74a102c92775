/**
 * The launch page's texts (launch.html ships no React and no ICU formatter: its budget is 20 KB gzip). Plain strings
 * with `{name}` placeholders in src/smart/messages/; English is in the bundle, Spanish and Chinese load on demand.
 */
import type { Locale } from "../i18n/locales";
import en from "./messages/en.json";

export type LaunchMessageId = keyof typeof en;
export type LaunchText = (id: LaunchMessageId, values?: Readonly<Record<string, string>>) => string;

function translator(catalog: Readonly<Record<string, string>>): LaunchText {
  return (id, values) =>
    (catalog[id] ?? en[id]).replace(/\{(\w+)\}/g, (whole, name: string) => values?.[name] ?? whole);
}

export const englishLaunchText: LaunchText = translator(en);

/** The launch page's texts in `locale`, and the locale they are in (English when the catalog cannot be fetched). */
export async function launchText(locale: Locale): Promise<{ t: LaunchText; locale: Locale }> {
  try {
    if (locale === "es") return { t: translator((await import("./messages/es.json")).default), locale };
    if (locale === "zh-CN") return { t: translator((await import("./messages/zh-CN.json")).default), locale };
  } catch {
    // A chunk that cannot be fetched: English.
  }
  return { t: englishLaunchText, locale: "en" };
}
