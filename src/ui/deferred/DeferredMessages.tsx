/**
 * The timeline's and the chart copy's texts, added to the page's messages around those lazy sections: they ship in
 * the sections' chunk (with their es / zh-CN, a few KB) instead of the panel's first screen (index.html's budget).
 */
import { type ReactNode, useContext, useMemo } from "react";
import { IntlContext, type IntlShape, IntlProvider } from "react-intl";
import { DEFAULT_LOCALE, type Locale } from "../../i18n/locales";
import { ENGLISH_MESSAGES } from "../i18n/translate";
import en from "./messages/en.json";
import es from "./messages/es.json";
import zh from "./messages/zh-CN.json";

// Partial: the provider's locale is a string, and one outside the list gets English.
const DEFERRED: Readonly<Partial<Record<string, Readonly<Record<string, string>>>>> = {
  en,
  es,
  "zh-CN": zh,
} satisfies Record<Locale, unknown>;

export function DeferredMessages({ children }: { children: ReactNode }) {
  // react-intl types the context as always set; outside a provider (a section rendered alone) it holds null.
  const outer = useContext(IntlContext) as IntlShape | null;
  const locale = outer?.locale ?? DEFAULT_LOCALE;
  // The page's catalogs are plain strings (JSON), never precompiled ASTs.
  const page = outer?.messages as Readonly<Record<string, string>> | undefined;
  const messages = useMemo(
    () => ({ ...(page ?? ENGLISH_MESSAGES), ...(DEFERRED[locale] ?? en) }),
    [page, locale],
  );
  return (
    <IntlProvider locale={locale} defaultLocale={DEFAULT_LOCALE} messages={messages}>
      {children}
    </IntlProvider>
  );
}
