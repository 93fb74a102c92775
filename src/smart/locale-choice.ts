/**
 * Where the page's language comes from (issue 15.3), in this order: the choice made on the switcher in this browser
 * tab; the launch (SMART `locale` / `ui_locales` in the token response, else on the EHR's launch URL); the browser's
 * languages; English. The launch URL's values are handed from launch.html to index.html in sessionStorage, like the
 * configuration (never in a URL of ours, never in localStorage). Tiny on purpose: launch.html imports it.
 */
import { type Locale, isLocale, negotiateLocale } from "../i18n/locales";

const CHOICE_KEY = "her2.locale";
const LAUNCH_KEY = "her2.launch-locale";

function sessionStore(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined; // storage blocked: the launch and the browser decide on every page
  }
}

/** The EHR's language preferences on a launch URL or in a token response (`locale`, then `ui_locales`). */
export function launchLocales(source: { get(name: string): unknown }): string | undefined {
  const values = [source.get("locale"), source.get("ui_locales")].filter(
    (v): v is string => typeof v === "string" && v.trim() !== "",
  );
  return values.length > 0 ? values.join(" ") : undefined;
}

/** Called by launch.html: this launch's `locale` / `ui_locales` (or none) for index.html. */
export function handOverLaunchLocale(pageUrl: URL, storage = sessionStore()): void {
  const requested = launchLocales(pageUrl.searchParams);
  try {
    if (requested === undefined) storage?.removeItem(LAUNCH_KEY);
    else storage?.setItem(LAUNCH_KEY, requested.slice(0, 200));
  } catch {
    // Quota or privacy mode: index.html goes by the token response and the browser.
  }
}

/** The switcher's choice for this tab, if one was made. */
export function chosenLocale(storage = sessionStore()): Locale | undefined {
  const value = storage?.getItem(CHOICE_KEY) ?? null;
  return value !== null && isLocale(value) ? value : undefined;
}

export function rememberLocaleChoice(locale: Locale, storage = sessionStore()): void {
  try {
    storage?.setItem(CHOICE_KEY, locale);
  } catch {
    // The choice then lasts until the page is reloaded.
  }
}

export interface LocaleSources {
  /** The token response's `locale` / `ui_locales` (index.html, after the token exchange). */
  token?: string | undefined;
  /** The launch URL's `locale` / `ui_locales` (launch.html directly, index.html from the hand-over). */
  launchUrl?: string | undefined;
  browser?: readonly string[] | undefined;
  storage?: Storage | undefined;
}

/** The locale to show: the tab's choice, the launch, the browser, English. */
export function pickLocale(sources: LocaleSources): Locale {
  const storage = "storage" in sources ? sources.storage : sessionStore();
  const chosen = chosenLocale(storage);
  if (chosen) return chosen;
  const launchUrl = sources.launchUrl ?? storage?.getItem(LAUNCH_KEY) ?? undefined;
  return negotiateLocale([sources.token, launchUrl, ...(sources.browser ?? [])]);
}

/** The browser's languages, most preferred first (`navigator.languages`, else `navigator.language`). */
export function browserLocales(): readonly string[] {
  if (typeof navigator === "undefined") return [];
  return navigator.languages.length > 0 ? navigator.languages : [navigator.language];
}
