/**
 * No missing strings (issue 15, point 4): every message catalog (a `messages/` directory with en.json, es.json and
 * zh-CN.json) has every id in every locale, with the same placeholders as English.
 */
import { describe, expect, it } from "vitest";
import { checkCatalogSet, findCatalogSets } from "./catalog-check";

describe("message catalogs", () => {
  it("the checker reports a missing id, an extra id, an empty text and a changed placeholder", () => {
    const problems = checkCatalogSet({
      en: { a: "Hello {name}", b: "Bye", c: "{count, plural, one {# test} other {# tests}}" },
      es: { a: "Hola {nombre}", b: "", c: "{count, plural, one {# prueba} other {# pruebas}}", z: "extra" },
      "zh-CN": { b: "再见", c: "{count, number} 项" },
    });
    expect(problems).toEqual([
      'catalog/es: "z" is not in en',
      'catalog/es: "a" has placeholders {nombre:argument}, en has {name:argument}',
      'catalog/es: "b" is empty',
      'catalog/zh-CN: missing "a"',
      'catalog/zh-CN: "c" has placeholders {count:number}, en has {count:plural}',
    ]);
  });

  it("the checker accepts catalogs that agree, whatever the word order", () => {
    expect(
      checkCatalogSet({
        en: { a: "{who} tested on {when}" },
        es: { a: "El {when}, {who} fue analizado" },
        "zh-CN": { a: "{when}，{who}已检测" },
      }),
    ).toEqual([]);
  });

  const sets = [...findCatalogSets(["src", "sandbox"])];
  it.each(sets)("%s has every message in every locale", (dir, set) => {
    expect(checkCatalogSet(set, dir)).toEqual([]);
  });
});
