/**
 * Short titles for flag codes (the flag's own message carries the detail): the panel's labels (src/ui/labels.ts) and
 * the CLI's HTML report use the same words. The wording is the catalog's (`flag.title.<code>` in messages/en.json).
 */
import { en, type MessageId } from "./text";
import type { FlagCode } from "./types";

/** Every flag code (the type makes the list complete). */
const CODES = Object.keys({
  "reflex-ish-missing": true,
  "metastatic-retest-missing": true,
  "ihc-workup-needed": true,
  "recount-needed": true,
  "dual-probe-ish-needed": true,
  "discordant-results": true,
  "interpretation-mismatch": true,
  "result-unreadable": true,
  "result-pending": true,
  "anti-her2-therapy-not-found": true,
  "ihc-score-needed": true,
  "ihc-zero-review": true,
  "residual-disease-result": true,
  "decalcified-negative": true,
  "her2-test-missing": true,
  "undated-result": true,
  "therapy-duration-exceeds": true,
} satisfies Record<FlagCode, true>) as FlagCode[];

/** The message id of a flag code's title (for a title in another locale: src/i18n/localize-assessment.ts). */
export function flagTitleId(code: FlagCode): MessageId {
  return `flag.title.${code}`;
}

export const FLAG_TITLES: Readonly<Record<FlagCode, string>> = Object.fromEntries(
  CODES.map((code) => [code, en({ id: flagTitleId(code) })]),
) as Record<FlagCode, string>;
