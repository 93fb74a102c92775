/**
 * The CLI's texts a person reads (table headers, the summary line, progress, the warnings and notes on stderr, the
 * export's lines) in en, es and zh-CN, and the locale they are shown in: `--locale <tag>`, else the POSIX environment
 * (LC_ALL, then LC_MESSAGES, then LANG), else en. Codes (status, category, setting, flag codes), NDJSON, JSON and CSV
 * stay as they are: they are data for machines. The English texts are the lines scripts grep: en.json keeps them
 * byte for byte as they were before they were translated.
 */
import { type Catalog, formatMessage, type MessageValues } from "../../i18n/format";
import { type Locale, matchLocale, negotiateLocale } from "../../i18n/locales";
import en from "./en.json";
import es from "./es.json";
import zhCN from "./zh-CN.json";

export type CliMessageId = keyof typeof en;

const CATALOGS: Readonly<Record<Locale, Catalog>> = { en, es, "zh-CN": zhCN };

/** The message `id` in `locale`. */
export function cliMessage(locale: Locale, id: CliMessageId, values?: MessageValues): string {
  return formatMessage(locale, CATALOGS[locale], id, values);
}

/**
 * A message not yet rendered: made where the problem is found (possibly in a worker thread, which sends it as it is),
 * rendered in the locale where it is written. A value is a plain string (a file name, a reference, a code, an error's
 * or a server's own words: shown as they are), a number, or another message.
 */
export interface CliText {
  readonly id: CliMessageId;
  readonly values?: Readonly<Record<string, CliValue>>;
  /**
   * The English text as another module already words it (the FHIR layer's membership detail): shown in English
   * instead of the message, so that text has one English source.
   */
  readonly english?: string;
}

export type CliValue = string | number | CliText;

/** A message to render later. Numbers meant to be shown as they are (line numbers, counts in English) pass as strings. */
export function cliText(id: CliMessageId, values?: Readonly<Record<string, CliValue>>): CliText {
  return values === undefined ? { id } : { id, values };
}

/** A text in `locale`; its nested messages first. */
export function renderText(locale: Locale, text: CliText): string {
  if (locale === "en" && text.english !== undefined) return text.english;
  const values: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(text.values ?? {}))
    values[name] = typeof value === "object" ? renderText(locale, value) : value;
  return cliMessage(locale, text.id, values);
}

/** A whole number as the locale writes it (Intl.NumberFormat). */
export function cliNumber(locale: Locale, n: number): string {
  return new Intl.NumberFormat(locale).format(n);
}

/** `--locale`'s tag, or undefined when no supported locale matches it (`fr`, or Traditional Chinese `zh-TW`). */
export function localeOption(tag: string): Locale | undefined {
  return matchLocale(tag);
}

/**
 * The locale of the environment, as POSIX orders it: the first non-empty of LC_ALL, LC_MESSAGES and LANG decides
 * (LC_ALL=C means C, even with LANG=es_ES.UTF-8). Its codeset and modifier (`.UTF-8`, `@euro`) are dropped before
 * matching, so `zh_TW.UTF-8` is Traditional Chinese (not served as zh-CN) and `C.UTF-8` / `POSIX` is English.
 */
export function localeFromEnvironment(env: Readonly<Record<string, string | undefined>>): Locale {
  const value = [env["LC_ALL"], env["LC_MESSAGES"], env["LANG"]].find((v) => v !== undefined && v !== "");
  if (value === undefined) return "en";
  return negotiateLocale([value.split(/[.@]/)[0]]);
}
