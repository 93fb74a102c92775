/**
 * Flag codes (DESIGN.md contract): severity and the sources each rests on, one row per code, and the order flags
 * are shown in (most urgent first: action > warning > info, then the table's order).
 */
import { cite, type CitationId } from "./citations";
import { byText } from "./dates";
import { en, type Text } from "./text";
import type { Flag, FlagCode, FlagSeverity, ResourceRef } from "./types";

interface FlagRule {
  severity: FlagSeverity;
  references: readonly CitationId[];
  /** Where the rule comes from. */
  source: string;
}

export const FLAG_RULES: Readonly<Record<FlagCode, FlagRule>> = {
  "reflex-ish-missing": {
    severity: "action",
    references: ["wolff2018"],
    source:
      "Wolff 2018, Fig. 1: IHC 2+ is equivocal; reflex ISH on the same specimen (or a new test on a new specimen)",
  },
  "metastatic-retest-missing": {
    severity: "action",
    references: ["wolff2018"],
    source: "Wolff 2018: retest HER2 on the recurrent or metastatic tumour when tissue is available",
  },
  "ihc-workup-needed": {
    severity: "action",
    references: ["wolff2018"],
    source: "Wolff 2018, Figs. 3-6: ISH groups 2-4 need concomitant IHC on the same tissue",
  },
  "recount-needed": {
    severity: "action",
    references: ["wolff2018"],
    source: "Wolff 2018, Figs. 4-6: ISH groups 2-4 with IHC 2+ need a blinded second-observer recount",
  },
  "dual-probe-ish-needed": {
    severity: "action",
    references: ["wolff2018"],
    source:
      "Wolff 2018, Fig. 2: single-probe 4.0 to <6.0 copies with IHC 2+ (or no IHC) needs dual-probe ISH",
  },
  "discordant-results": {
    severity: "warning",
    references: ["wolff2018"],
    source: "Wolff 2018: the most recent conclusive specimen governs; disagreement is reviewed, not hidden",
  },
  "interpretation-mismatch": {
    severity: "warning",
    references: ["wolff2018"],
    source:
      "Wolff 2018, Figs. 1-6: the laboratory's call should follow from its components; one no path reaches is an action (indeterminate, 1.2.0)",
  },
  "result-unreadable": {
    severity: "warning",
    references: ["wolff2018"],
    source: "DESIGN.md: never guess a result that cannot be read",
  },
  "result-pending": {
    severity: "info",
    references: ["fhirObservationStatus"],
    source: "FHIR Observation.status registered / preliminary",
  },
  "anti-her2-therapy-not-found": {
    severity: "warning",
    references: ["wolff2018", "romond2005", "swain2015"],
    source:
      "HER2-positive disease is the indication for anti-HER2 therapy; in metastatic disease it continues until progression, so a course finished before the metastasis is not current therapy (Swain 2015; rules 1.2.0)",
  },
  "ihc-score-needed": {
    severity: "action",
    references: ["wolff2023", "modi2022", "bardia2024", "fdaTdxd"],
    source:
      "Wolff 2023; DESTINY-Breast04/06; FDA 2022/2025: in metastatic disease the IHC score of a HER2-negative tumour (0, ultralow, 1+, 2+ with negative ISH) decides trastuzumab deruxtecan eligibility (rules 1.2.0)",
  },
  "ihc-zero-review": {
    severity: "info",
    references: ["wolff2023", "bardia2024", "fdaTdxd"],
    source:
      "Wolff 2023 (tell IHC 0 from 1+ carefully); DESTINY-Breast06; FDA 2025: faint staining in <=10% of cells (ultralow) makes trastuzumab deruxtecan an option (rules 1.2.0)",
  },
  "residual-disease-result": {
    severity: "info",
    references: ["vonMinckwitz2019", "wolff2018"],
    source:
      "KATHERINE (von Minckwitz 2019): after neoadjuvant anti-HER2 therapy the pre-treatment HER2-positive biopsy governs; residual disease gets T-DM1",
  },
  "decalcified-negative": {
    severity: "warning",
    references: ["wolff2018"],
    source:
      "Wolff 2018 (pre-analytic requirements): decalcification of bone specimens may give false-negative HER2 results",
  },
  "her2-test-missing": {
    severity: "action",
    references: ["wolff2018"],
    source:
      "Wolff 2018: HER2 status must be determined on every primary invasive breast cancer (and on recurrent or metastatic tissue when available) (rules 2.0.0)",
  },
  "undated-result": {
    severity: "warning",
    references: ["wolff2018"],
    source:
      "Wolff 2018: the most recent conclusive specimen governs; a result with no test or collection date cannot be placed in time, so whether a later test replaced it cannot be told (rules 2.0.0)",
  },
  "therapy-duration-exceeds": {
    severity: "info",
    references: ["romond2005", "goldhirsch2013", "vonMinckwitz2017"],
    source:
      "HER2-GUIDELINE.md (treatment): trastuzumab for one year in total in early disease; HERA (Goldhirsch 2013): two years no better than one; APHINITY: pertuzumab for one year (rules 2.0.0)",
  },
};

const SEVERITY_RANK: Record<FlagSeverity, number> = { action: 0, warning: 1, info: 2 };
const CODE_RANK = new Map(Object.keys(FLAG_RULES).map((code, i) => [code, i]));

export interface FlagDetails {
  /**
   * The message as a descriptor: rendered in English here, and kept as `i18n.message`. (A plain string, from a test
   * or a caller outside the rules, is used as it is, without `i18n`; every flag the rules raise has a descriptor.)
   */
  message: Text | string;
  evidence: readonly ResourceRef[];
  action?: Text | string;
  /** Overrides the code's usual severity (e.g. a missing work-up on a specimen a later result superseded). */
  severity?: FlagSeverity;
}

/** A flag with the code's severity and references; evidence sorted and without duplicates. */
export function makeFlag(code: FlagCode, details: FlagDetails): Flag {
  const rule = FLAG_RULES[code];
  const flag: Flag = {
    code,
    severity: details.severity ?? rule.severity,
    message: typeof details.message === "string" ? details.message : en(details.message),
    evidence: sortedUnique(details.evidence),
    references: referenceTexts(code).slice(),
  };
  if (details.action) flag.action = typeof details.action === "string" ? details.action : en(details.action);
  if (typeof details.message !== "string") {
    flag.i18n = { message: details.message };
    if (details.action && typeof details.action !== "string") flag.i18n.action = details.action;
  }
  return flag;
}

/**
 * A check that could not be made because data it needs did not load (issue 18, point 4): never a silent "no flag".
 * A warning whatever the code's usual severity: the clinician checks the chart instead.
 */
export function makeNotCheckedFlag(
  code: FlagCode,
  details: { message: Text | string; action: Text | string; evidence?: readonly ResourceRef[] },
): Flag {
  return {
    ...makeFlag(code, { ...details, evidence: details.evidence ?? [], severity: "warning" }),
    state: "not-checked",
  };
}

const REFERENCE_TEXTS = new Map<FlagCode, readonly string[]>();

/** The citation texts of a flag code, computed once. */
function referenceTexts(code: FlagCode): readonly string[] {
  let texts = REFERENCE_TEXTS.get(code);
  if (!texts) {
    texts = cite(...FLAG_RULES[code].references);
    REFERENCE_TEXTS.set(code, texts);
  }
  return texts;
}

/** True when every slot holds a string (a hole or any other value, from callers outside TypeScript, is not). */
function allStrings(items: readonly unknown[]): boolean {
  for (let i = 0; i < items.length; i++) if (typeof items[i] !== "string") return false;
  return true;
}

/**
 * A sorted copy of a few strings, by UTF-16 code units (byText's order, compared with `>` directly rather than by a
 * comparator call), without duplicates. Insertion sort: stable, and fastest for the handful of sources a flag has.
 */
function fewSortedUnique(items: readonly string[]): string[] {
  const sorted = items.slice();
  for (let i = 1; i < sorted.length; i++) {
    const item = sorted[i] ?? "";
    let j = i - 1;
    for (let before = sorted[j]; before !== undefined && before > item; before = sorted[--j]) {
      sorted[j + 1] = before;
    }
    sorted[j + 1] = item;
  }
  const unique: string[] = [];
  let previous: string | undefined;
  for (const item of sorted) {
    if (item !== previous) unique.push(item);
    previous = item;
  }
  return unique;
}

function sortedUnique(items: readonly string[]): string[] {
  if (items.length < 2) return [...items];
  if (items.length <= 16 && allStrings(items)) return fewSortedUnique(items);
  const sorted = [...items].sort(byText);
  return sorted.filter((item, i) => i === 0 || item !== sorted[i - 1]);
}

/** Most urgent first; then the flag table's order; then message and evidence, so input order never matters. */
export function sortFlags(flags: Flag[]): Flag[] {
  return flags.sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      (CODE_RANK.get(a.code) ?? 99) - (CODE_RANK.get(b.code) ?? 99) ||
      byText(a.message, b.message) ||
      byText(a.evidence.join(" "), b.evidence.join(" ")),
  );
}
