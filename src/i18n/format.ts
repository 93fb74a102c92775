/**
 * Formats an ICU message outside React (the domain's texts, the sandbox page, the CLI): the same message syntax and
 * library (intl-messageformat) that react-intl uses in the panel, so one catalog serves both.
 */
import { IntlMessageFormat, type PrimitiveType } from "intl-messageformat";
import type { Locale } from "./locales";

export type Catalog = Readonly<Record<string, string>>;
export type MessageValues = Readonly<Record<string, PrimitiveType>>;

const compiled = new Map<string, IntlMessageFormat>();

/** The message `id` of `catalog` in `locale` with `values` filled in. A missing id throws: the catalog test prevents it. */
export function formatMessage(locale: Locale, catalog: Catalog, id: string, values?: MessageValues): string {
  const source = catalog[id];
  if (source === undefined) throw new Error(`No message "${id}" in the ${locale} catalog`);
  const key = `${locale}\u0000${source}`;
  let format = compiled.get(key);
  if (!format) {
    format = new IntlMessageFormat(source, locale);
    compiled.set(key, format);
  }
  const text = format.format(values);
  if (typeof text !== "string")
    throw new Error(`Message "${id}" formats to rich content; use react-intl for it`);
  return text;
}
