/**
 * The texts the rules produce, as message ids (rules 2.1.0, issue 15.3): `messages/en.json` is the single source of
 * the English wording, and every text a person reads is built from a `Text` descriptor (an id and its values), so the
 * same text can be rendered in another locale (src/i18n/localize-assessment.ts) from `messages/<locale>.json`.
 *
 * Values are raw strings (references, specimen labels, dates as ISO strings, drug names, reasons the FHIR layer
 * wrote), numbers (formatted by the locale), or nested descriptors rendered in the same locale. Pure: the formatter
 * is intl-messageformat, the same ICU syntax react-intl uses.
 */
import { IntlMessageFormat } from "intl-messageformat";
import EN from "./messages/en.json";

/** An id of the English catalog: a descriptor with any other id does not type-check. */
export type MessageId = keyof typeof EN;
export type Catalog = Readonly<Record<MessageId, string>>;

/** A text a person reads: a message id and the values of its placeholders. */
export interface Text {
  readonly id: MessageId;
  readonly values?: Readonly<Record<string, TextValue>>;
}
export type TextValue = string | number | Text;

export const EN_CATALOG: Catalog = EN;

/** A descriptor (checked by its type; `renderText` also refuses an id the catalog lacks). */
export function text(id: MessageId, values?: Readonly<Record<string, TextValue>>): Text {
  return values === undefined ? { id } : { id, values };
}

/** A list of texts joined by a catalog separator message (`{first}{rest}` shaped, e.g. "{first}; {rest}"). */
export function joinTexts(items: readonly TextValue[], separator: MessageId): TextValue {
  let joined: TextValue | undefined;
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i] as TextValue;
    joined = joined === undefined ? item : text(separator, { first: item, rest: joined });
  }
  return joined ?? "";
}

/**
 * A message with only `{name}` placeholders (no plural, select, number or quoting) as its literal parts and names:
 * filled by concatenation, which gives intl-messageformat's output for string values at a fraction of its cost (the
 * rules build their English texts on every assessment). Undefined for any other message.
 */
interface Template {
  literals: string[];
  names: string[];
}

const templates = new Map<string, Template | null>();
const SIMPLE = /^(?:[^{}']|'(?![{}'#|]))*(?:\{[A-Za-z0-9_]+\}(?:[^{}']|'(?![{}'#|]))*)*$/;

function templateOf(source: string): Template | undefined {
  let template = templates.get(source);
  if (template === undefined) {
    template = null;
    if (SIMPLE.test(source)) {
      const parts = source.split(/\{([A-Za-z0-9_]+)\}/);
      template = {
        literals: parts.filter((_, i) => i % 2 === 0),
        names: parts.filter((_, i) => i % 2 === 1),
      };
    }
    templates.set(source, template);
  }
  return template ?? undefined;
}

const compiled = new Map<string, Map<string, IntlMessageFormat>>();

function compile(locale: string, source: string): IntlMessageFormat {
  let byLocale = compiled.get(locale);
  if (!byLocale) {
    byLocale = new Map();
    compiled.set(locale, byLocale);
  }
  let format = byLocale.get(source);
  if (!format) {
    // Texts are plain prose: "<" is a less-than sign, never a rich-text tag.
    format = new IntlMessageFormat(source, locale, undefined, { ignoreTag: true });
    byLocale.set(source, format);
  }
  return format;
}

/** The descriptor's text in `locale` from `catalog`, nested descriptors rendered the same way. */
export function renderText(value: TextValue, locale: string, catalog: Catalog): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  const source = (catalog as Readonly<Record<string, string | undefined>>)[value.id];
  if (source === undefined) throw new Error(`No message "${value.id}" in the ${locale} catalog`);
  const template = templateOf(source);
  if (template) {
    const filled = fill(template, value, locale, catalog);
    if (filled !== undefined) return filled;
  }
  // A plural or number message whose values are all small numbers ("{count, plural, …}"): the few texts it gives are
  // kept, as the rules and the panel ask for the same counts again and again.
  const key = numbersKey(value);
  if (key !== undefined) {
    const memoKey = `${locale}\u0000${source}\u0000${key}`;
    const known = byNumbers.get(memoKey);
    if (known !== undefined) return known;
    const out = formatCompiled(value, locale, source, catalog);
    if (byNumbers.size < MAX_REMEMBERED) byNumbers.set(memoKey, out);
    return out;
  }
  return formatCompiled(value, locale, source, catalog);
}

const byNumbers = new Map<string, string>();
const MAX_REMEMBERED = 10_000;

/** The values as a key when every one is an integer from 0 to 999 (else undefined). */
function numbersKey(value: Text): string | undefined {
  if (!value.values) return undefined;
  let key = "";
  for (const name in value.values) {
    const v = value.values[name];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 999) return undefined;
    key += `${name}=${String(v)};`;
  }
  return key;
}

function formatCompiled(value: Text, locale: string, source: string, catalog: Catalog): string {
  const values: Record<string, string | number> = {};
  if (value.values) {
    for (const [name, v] of Object.entries(value.values)) {
      values[name] = typeof v === "object" ? renderText(v, locale, catalog) : v;
    }
  }
  const out = compile(locale, source).format(values);
  if (typeof out !== "string") throw new Error(`Message "${value.id}" formats to rich content`);
  return out;
}

/** The template filled with string values (nested descriptors rendered); undefined when a value is a number. */
function fill(template: Template, value: Text, locale: string, catalog: Catalog): string | undefined {
  let out = template.literals[0] ?? "";
  for (let i = 0; i < template.names.length; i++) {
    const v = value.values?.[template.names[i] ?? ""];
    if (v === undefined)
      throw new Error(`Message "${value.id}" needs a value for {${template.names[i] ?? ""}}`);
    if (typeof v === "number") return undefined;
    out += (typeof v === "string" ? v : renderText(v, locale, catalog)) + (template.literals[i + 1] ?? "");
  }
  return out;
}

/** The English text of a descriptor (what the rules write into the assessment's string fields). */
export function en(value: TextValue): string {
  return renderText(value, "en", EN_CATALOG);
}
