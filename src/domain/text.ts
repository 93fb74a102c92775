/**
 * The texts the rules produce, as message ids (rules 2.1.0, issue 15.3): `messages/en.json` is the single source of
 * the English wording, and every text a person reads is built from a `Text` descriptor (an id and its values), so the
 * same text can be rendered in another locale (src/i18n/localize-assessment.ts) from `messages/<locale>.json`.
 *
 * Values are raw strings (references, specimen labels, dates as ISO strings, drug names, reasons the FHIR layer
 * wrote), numbers (formatted by the locale), or nested descriptors rendered in the same locale. Pure: the messages
 * are ICU MessageFormat (the syntax react-intl and intl-messageformat read), in the subset parsed below.
 */
import EN from "./messages/en.json";

/** An id of the English catalog: a descriptor with any other id does not type-check. */
export type MessageId = keyof typeof EN;
export type Catalog = Readonly<Record<MessageId, string>>;

/**
 * An id of the FHIR layer's catalog (src/fhir/messages: the readings and reasons it writes on records), which the
 * domain cannot import: typed by its prefix here, and by that catalog where the descriptor is made (src/fhir/text.ts).
 * The rules pass such descriptors through (`readAsText`, `reasonText`) and nest them in their own texts.
 */
export type LayerMessageId = `fhir.${string}`;

/** A text a person reads: a message id and the values of its placeholders. */
export interface Text {
  readonly id: MessageId | LayerMessageId;
  readonly values?: Readonly<Record<string, TextValue>>;
}
export type TextValue = string | number | Text;

export const EN_CATALOG: Catalog = EN;

/** A descriptor (checked by its type; `renderText` also refuses an id the catalog lacks). */
export function text(id: MessageId, values?: Readonly<Record<string, TextValue>>): Text {
  return values === undefined ? { id } : { id, values };
}

/**
 * Where a shared descriptor keeps its English (`sharedText`): a symbol key, not enumerable, so JSON, spreads and
 * equality checks see the plain `{ id, values }` descriptor.
 */
const ENGLISH: unique symbol = Symbol("english");
type WithEnglish = Text & { readonly [ENGLISH]?: string };

/**
 * The descriptor, marked as shared and never changed, with its English rendered now and kept: rendering it in English
 * again, on its own or nested in another message, reads the kept string. For the rule tables' finite texts (ish.ts),
 * made once when the module loads; a descriptor made per call is not worth marking.
 */
export function sharedText(value: Text): Text {
  Object.defineProperty(value, ENGLISH, { value: renderText(value, "en", EN_CATALOG) });
  return value;
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
 * A parsed message: literal text, `{name}` (a value as it is), `{name, number}` and `{name, plural, one {…} other {…}}`
 * (with `#` and `{name}` in the branches): the part of ICU MessageFormat the catalogs use. intl-messageformat would
 * add its parser to the panel's first screen for these few forms; test/domain/messages.test.ts checks that every
 * message of every catalog renders here exactly as intl-messageformat renders it.
 */
type Part =
  | string
  | { arg: string; kind: "simple" | "number" | "pound" }
  | { arg: string; kind: "plural"; branches: ReadonlyMap<string, readonly Part[]> };
type PluralPart = Extract<Part, { kind: "plural" }>;

const parsed = new Map<string, readonly Part[]>();

function unsupported(source: string): Error {
  return new Error(`Unsupported message syntax: ${source}`);
}

/** The message's parts, parsed once. Anything outside the subset throws (the catalog test runs every message). */
export function parseMessage(source: string): readonly Part[] {
  let parts = parsed.get(source);
  if (!parts) {
    const state = { at: 0 };
    parts = parseParts(source, state, undefined);
    if (state.at !== source.length) throw unsupported(source);
    parsed.set(source, parts);
  }
  return parts;
}

function parseParts(source: string, state: { at: number }, plural: string | undefined): Part[] {
  const parts: Part[] = [];
  let literal = "";
  while (state.at < source.length) {
    const c = source.charAt(state.at);
    if (c === "}" && plural !== undefined) break;
    if (c === "}") throw unsupported(source);
    // ICU quoting ('{', '#', '' …) is not used by the catalogs: refused rather than misread.
    if (c === "'" && /['{}#|]/.test(source.charAt(state.at + 1))) throw unsupported(source);
    if (c === "#" && plural !== undefined) {
      if (literal) parts.push(literal);
      literal = "";
      parts.push({ arg: plural, kind: "pound" });
      state.at++;
    } else if (c === "{") {
      if (literal) parts.push(literal);
      literal = "";
      parts.push(parseArgument(source, state));
    } else {
      literal += c;
      state.at++;
    }
  }
  if (literal) parts.push(literal);
  return parts;
}

const ARGUMENT = /^\{\s*([A-Za-z0-9_]+)\s*(?:,\s*(number|plural)\s*(,)?\s*)?(\})?/;
const BRANCH = /^\s*(=?[A-Za-z0-9]+)\s*\{/;
const CLOSE = /^\s*\}/;

function parseArgument(source: string, state: { at: number }): Part {
  const head = ARGUMENT.exec(source.slice(state.at));
  if (!head) throw unsupported(source);
  const [whole, arg = "", type, comma, end] = head;
  state.at += whole.length;
  if (type === undefined && end) return { arg, kind: "simple" };
  if (type === "number" && end && !comma) return { arg, kind: "number" };
  if (type !== "plural" || !comma || end) throw unsupported(source);
  const branches = new Map<string, readonly Part[]>();
  for (let key = BRANCH.exec(source.slice(state.at)); key; key = BRANCH.exec(source.slice(state.at))) {
    state.at += key[0].length;
    branches.set(key[1] ?? "", parseParts(source, state, arg));
    if (source.charAt(state.at) !== "}") throw unsupported(source);
    state.at++;
  }
  const close = CLOSE.exec(source.slice(state.at));
  if (!close || !branches.has("other")) throw unsupported(source);
  state.at += close[0].length;
  return { arg, kind: "plural", branches };
}

const numberFormats = new Map<string, Intl.NumberFormat>();
const pluralRules = new Map<string, Intl.PluralRules>();

/** Locales that write small whole numbers in plain Latin digits, as String(n) does (no grouping below 1000). */
const PLAIN_DIGITS: ReadonlySet<string> = new Set(["en", "es", "zh-CN"]);

function formatNumber(n: number, locale: string): string {
  if (Number.isInteger(n) && n >= 0 && n < 1000 && PLAIN_DIGITS.has(locale)) return String(n);
  let format = numberFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale);
    numberFormats.set(locale, format);
  }
  return format.format(n);
}

/** The branch for `n`: an exact `=n` first, then the locale's plural category, then `other` (as ICU selects). */
function pluralBranch(part: PluralPart, n: number, locale: string): readonly Part[] {
  const exact = part.branches.get(`=${String(n)}`);
  if (exact) return exact;
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  return part.branches.get(rules.select(n)) ?? part.branches.get("other") ?? [];
}

function formatParts(parts: readonly Part[], value: Text, locale: string, catalog: Catalog): string {
  let out = "";
  for (const part of parts) {
    if (typeof part === "string") {
      out += part;
      continue;
    }
    const v = value.values?.[part.arg];
    if (v === undefined) throw new Error(`Message "${value.id}" needs a value for {${part.arg}}`);
    if (part.kind === "simple") {
      out +=
        typeof v !== "object"
          ? String(v)
          : catalog === english
            ? en(v)
            : ((catalog === EN_CATALOG ? (v as WithEnglish)[ENGLISH] : undefined) ??
              renderText(v, locale, catalog));
    } else if (typeof v !== "number") {
      throw new Error(`Message "${value.id}" needs a number for {${part.arg}}`);
    } else {
      out +=
        part.kind === "plural"
          ? formatParts(pluralBranch(part, v, locale), value, locale, catalog)
          : formatNumber(v, locale);
    }
  }
  return out;
}

/** The descriptor's text in `locale` from `catalog`, nested descriptors rendered the same way. */
export function renderText(value: TextValue, locale: string, catalog: Catalog): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  const source = (catalog as Readonly<Record<string, string | undefined>>)[value.id];
  if (source === undefined) throw new Error(`No message "${value.id}" in the ${locale} catalog`);
  return formatParts(parseMessage(source), value, locale, catalog);
}

/** The rules' English and the English of the layers that registered theirs (`addEnglishMessages`). */
const english: Record<string, string> = { ...EN };

/**
 * Adds an outer layer's English messages (src/fhir/text.ts adds the FHIR layer's when it is loaded, before it makes
 * a descriptor), so that `en()` renders that layer's descriptors, nested in the rules' texts or not.
 */
export function addEnglishMessages(messages: Readonly<Record<LayerMessageId, string>>): void {
  Object.assign(english, messages);
  plainEnglish.clear();
}

/**
 * The English of each descriptor without values, by id, as `en` rendered it: the same every time while the catalog
 * stays as it is (addEnglishMessages forgets them). The FHIR layer and the rules make such descriptors for every
 * record and flag of a review.
 */
const plainEnglish = new Map<string, string>();

/** The English text of a descriptor (what the rules write into the assessment's string fields). */
export function en(value: TextValue): string {
  if (typeof value !== "object") return renderText(value, "en", english as Catalog);
  const kept = (value as WithEnglish)[ENGLISH];
  if (kept !== undefined) return kept;
  if (value.values !== undefined) return renderText(value, "en", english as Catalog);
  let plain = plainEnglish.get(value.id);
  if (plain === undefined) {
    plain = renderText(value, "en", english as Catalog);
    plainEnglish.set(value.id, plain);
  }
  return plain;
}
