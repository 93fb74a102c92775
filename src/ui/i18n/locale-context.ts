/**
 * The locale the panel is shown in. The provider (which also owns react-intl's IntlProvider and the switcher) sets
 * it; components that format domain texts or pick the patient page's language read it with useLocale().
 */
import { createContext, useContext } from "react";
import { DEFAULT_LOCALE, type Locale } from "../../i18n/locales";

export const LocaleContext = createContext<Locale>(DEFAULT_LOCALE);

export function useLocale(): Locale {
  return useContext(LocaleContext);
}
