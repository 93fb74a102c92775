/**
 * The panel's message catalogs. English ships with the bundle; Spanish and Chinese are separate chunks fetched only
 * when a page is shown in them, so an English user does not download them.
 */
import { loadDomainCatalog } from "../../i18n/localize-assessment";
import type { Locale } from "../../i18n/locales";
import en from "../messages/en.json";

export type UiCatalog = Readonly<Record<string, string>>;

const loaders: Readonly<Record<Exclude<Locale, "en">, () => Promise<{ default: UiCatalog }>>> = {
  es: () => import("../messages/es.json"),
  "zh-CN": () => import("../messages/zh-CN.json"),
};

export const ENGLISH_CATALOG: UiCatalog = en;

/**
 * The catalog of `locale`, with the rules' catalog of the same locale (localizeAssessment); rejects when either chunk
 * cannot be fetched (the provider then stays in English).
 */
export async function loadCatalog(locale: Locale): Promise<UiCatalog> {
  if (locale === "en") return en;
  const [ui] = await Promise.all([loaders[locale](), loadDomainCatalog(locale)]);
  return ui.default;
}
