/**
 * Mounted once around the app (main.tsx): react-intl's IntlProvider and the LocaleContext, the page's `<html lang>`,
 * and the switcher's setter. A locale whose catalog is still being fetched shows the skeleton, never the previous
 * language's text under the new `lang` (or the reverse).
 */
import {
  type ReactNode,
  createContext,
  useCallback,
  useContext,
  useEffect,
  useLayoutEffect,
  useMemo,
  useState,
} from "react";
import { IntlProvider } from "react-intl";
import { DEFAULT_LOCALE, type Locale } from "../../i18n/locales";
import { rememberLocaleChoice } from "../../smart/locale-choice";
import { PanelSkeleton } from "../PanelSkeleton";
import { ENGLISH_CATALOG, type UiCatalog, loadCatalog } from "./catalogs";
import { LocaleContext } from "./locale-context";

interface LocaleSetter {
  /** Switches the page; `remember` (the switcher) keeps the choice for this browser tab. */
  setLocale: (locale: Locale, options?: { remember?: boolean }) => void;
}

const LocaleSetterContext = createContext<LocaleSetter | undefined>(undefined);

/** The provider's setter; undefined outside a provider (then there is nothing to switch). */
export function useLocaleSetter(): LocaleSetter | undefined {
  return useContext(LocaleSetterContext);
}

export function I18nProvider({
  initialLocale,
  children,
  load = loadCatalog,
}: {
  initialLocale: Locale;
  children: ReactNode;
  /** For tests: how a catalog is fetched. */
  load?: (locale: Locale) => Promise<UiCatalog>;
}) {
  const [wanted, setWanted] = useState<Locale>(initialLocale);
  const [catalogs, setCatalogs] = useState<Partial<Record<Locale, UiCatalog>>>({ en: ENGLISH_CATALOG });
  const [failed, setFailed] = useState<ReadonlySet<Locale>>(new Set());

  useEffect(() => {
    if (catalogs[wanted] || failed.has(wanted)) return;
    let live = true;
    load(wanted).then(
      (catalog) => {
        if (live) setCatalogs((c) => ({ ...c, [wanted]: catalog }));
      },
      () => {
        // A chunk that cannot be fetched (offline, a deployment replaced mid-session): English, labelled as such.
        if (live) setFailed((f) => new Set([...f, wanted]));
      },
    );
    return () => {
      live = false;
    };
  }, [wanted, catalogs, failed, load]);

  const shown: Locale | undefined = catalogs[wanted]
    ? wanted
    : failed.has(wanted)
      ? DEFAULT_LOCALE
      : undefined;
  const messages = shown ? catalogs[shown] : undefined;

  // In the same commit as the text: a screen reader never reads the new language's words under the old `lang`.
  useLayoutEffect(() => {
    if (shown) document.documentElement.lang = shown;
  }, [shown]);

  const setLocale = useCallback((locale: Locale, options?: { remember?: boolean }) => {
    if (options?.remember) rememberLocaleChoice(locale);
    setWanted(locale);
  }, []);
  const setter = useMemo(() => ({ setLocale }), [setLocale]);

  if (!shown || !messages) return <PanelSkeleton />;
  return (
    <LocaleSetterContext.Provider value={setter}>
      <LocaleContext.Provider value={shown}>
        <IntlProvider locale={shown} defaultLocale={DEFAULT_LOCALE} messages={messages}>
          {children}
        </IntlProvider>
      </LocaleContext.Provider>
    </LocaleSetterContext.Provider>
  );
}
