// @vitest-environment node
/**
 * saysInSituOnly takes the denials ("no DCIS", "invasive carcinoma: not identified") out of a text only when the text
 * says the words looked for at all (src/fhir/in-situ.ts). This checks that shortcut against the reading that takes
 * them out of every text, over texts made of the phrases that matter joined in every order and with every separator.
 */
import { describe, expect, it } from "vitest";
import { IN_SITU_PATTERNS, saysInSituOnly } from "../../src/fhir/in-situ";

const { IN_SITU_TEXT, DENIED_IN_SITU, INVASION, DENIED_INVASION, DENIED_INVASION_AFTER } = IN_SITU_PATTERNS;

/** The reading before the shortcut: the denials taken out of every text. */
function everyText(texts: readonly string[]): boolean {
  const text = texts.join(" \n ");
  const inSitu = IN_SITU_TEXT.test(text.replace(DENIED_IN_SITU, " "));
  const invasive = INVASION.test(text.replace(DENIED_INVASION, " ").replace(DENIED_INVASION_AFTER, " "));
  return inSitu && !invasive;
}

const PHRASES = [
  "DCIS",
  "no DCIS",
  "LCIS",
  "without associated carcinoma in situ",
  "carcinoma in situ",
  "invasive",
  "no invasive",
  "invasive carcinoma: not identified",
  "invasion not seen",
  "invasive carcinoma not identified at margins",
  "non-invasive",
  "microinvasion",
  "intraductal carcinoma",
  "in situ hybridisation",
  "Breast tissue",
  "carcinoma",
  "in situ",
  "",
];
const SEPARATORS = ["", " ", ", ", "-", "\n", "x"];

describe("saysInSituOnly's shortcut", () => {
  it("reads every text as taking the denials out of every text would", () => {
    let compared = 0;
    for (const a of PHRASES)
      for (const b of PHRASES)
        for (const separator of SEPARATORS) {
          const text = `${a}${separator}${b}`;
          expect(saysInSituOnly([text]), text).toBe(everyText([text]));
          expect(saysInSituOnly([a, b]), `${a} | ${b}`).toBe(everyText([a, b]));
          compared++;
        }
    expect(compared).toBe(PHRASES.length * PHRASES.length * SEPARATORS.length);
    // Both answers occur among these texts: the comparison is not of constants.
    expect(saysInSituOnly(["DCIS"])).toBe(true);
    expect(saysInSituOnly(["DCIS", "invasive"])).toBe(false);
  });
});
