/**
 * Short titles for flag codes (the flag's own message carries the detail): the panel's labels (src/ui/labels.ts) and
 * the CLI's HTML report use the same words.
 */
import type { FlagCode } from "./types";

export const FLAG_TITLES: Readonly<Record<FlagCode, string>> = {
  "reflex-ish-missing": "Reflex ISH missing",
  "metastatic-retest-missing": "No HER2 retest after recurrence or metastasis",
  "ihc-workup-needed": "IHC work-up needed for ISH result",
  "recount-needed": "ISH recount needed",
  "dual-probe-ish-needed": "Dual-probe ISH needed",
  "discordant-results": "Discordant results between specimens",
  "interpretation-mismatch": "Reported interpretation contradicts its components",
  "result-unreadable": "Result could not be read",
  "result-pending": "Result pending",
  "anti-her2-therapy-not-found": "No anti-HER2 therapy on record",
  "ihc-score-needed": "IHC score needed (HER2-low / ultralow)",
  "ihc-zero-review": "IHC 0: review for faint staining (ultralow)",
  "residual-disease-result": "Residual disease after neoadjuvant therapy",
  "decalcified-negative": "Negative on decalcified tissue",
  "her2-test-missing": "No HER2 test on record",
  "undated-result": "Status rests on an undated result",
  "therapy-duration-exceeds": "Anti-HER2 therapy longer than one year (early disease)",
};
