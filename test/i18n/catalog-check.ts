/**
 * Compares the locales of one message catalog: every id in every locale, each message parses as ICU, and each
 * locale's message uses the same placeholders (name and kind) as the English one.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { type MessageFormatElement, TYPE, parse } from "@formatjs/icu-messageformat-parser";
import { SUPPORTED_LOCALES } from "../../src/i18n/locales";

export type CatalogSet = Record<string, Record<string, string>>;

function placeholders(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const el of elements) {
    if (el.type === TYPE.argument) into.add(`${el.value}:argument`);
    else if (el.type === TYPE.number) into.add(`${el.value}:number`);
    else if (el.type === TYPE.date) into.add(`${el.value}:date`);
    else if (el.type === TYPE.time) into.add(`${el.value}:time`);
    else if (el.type === TYPE.tag) {
      into.add(`${el.value}:tag`);
      placeholders(el.children, into);
    } else if (el.type === TYPE.select || el.type === TYPE.plural) {
      into.add(`${el.value}:${el.type === TYPE.select ? "select" : "plural"}`);
      for (const option of Object.values(el.options)) placeholders(option.value, into);
    }
  }
  return into;
}

/** Problems found, one line each; empty when the catalogs agree. */
export function checkCatalogSet(set: CatalogSet, name = "catalog"): string[] {
  const problems: string[] = [];
  const english = set.en;
  if (!english) return [`${name}: no en catalog`];
  for (const locale of SUPPORTED_LOCALES) {
    const catalog = set[locale];
    if (!catalog) {
      problems.push(`${name}: no ${locale} catalog`);
      continue;
    }
    for (const id of Object.keys(catalog)) {
      if (!(id in english)) problems.push(`${name}/${locale}: "${id}" is not in en`);
    }
    for (const [id, source] of Object.entries(english)) {
      const text = catalog[id];
      if (text === undefined) {
        problems.push(`${name}/${locale}: missing "${id}"`);
        continue;
      }
      if (text.trim() === "") {
        problems.push(`${name}/${locale}: "${id}" is empty`);
        continue;
      }
      let mine: Set<string>;
      let theirs: Set<string>;
      try {
        mine = placeholders(parse(text));
        theirs = placeholders(parse(source));
      } catch (e) {
        problems.push(`${name}/${locale}: "${id}" does not parse: ${String(e)}`);
        continue;
      }
      const a = [...mine].sort().join(", ");
      const b = [...theirs].sort().join(", ");
      if (a !== b) problems.push(`${name}/${locale}: "${id}" has placeholders {${a}}, en has {${b}}`);
    }
  }
  return problems;
}

/** Every directory named `messages` under `roots` that holds an `en.json`, with its locales' JSON files. */
export function findCatalogSets(roots: string[]): Map<string, CatalogSet> {
  const found = new Map<string, CatalogSet>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      if (entry === "node_modules" || entry.startsWith(".")) continue;
      const path = join(dir, entry);
      if (!statSync(path).isDirectory()) continue;
      if (entry === "messages") {
        const files = readdirSync(path).filter((f) => f.endsWith(".json"));
        if (files.includes("en.json")) {
          const set: CatalogSet = {};
          for (const file of files) {
            set[file.replace(/\.json$/, "")] = JSON.parse(readFileSync(join(path, file), "utf8")) as Record<
              string,
              string
            >;
          }
          found.set(path, set);
        }
      }
      walk(path);
    }
  };
  for (const root of roots) walk(root);
  return found;
}
