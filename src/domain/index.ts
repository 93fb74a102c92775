/**
 * HER2 domain core: pure rules (no React, no fhirclient, no I/O, no clock: "today" is `input.asOf`).
 *
 * Public API
 * - `assess(input: PatientInput): Assessment` turns one patient's HER2 test records, disease events and anti-HER2
 *   therapies into the assessment of DESIGN.md: status from the most recent conclusive specimen, category, setting,
 *   flags (most urgent first, each with a message, evidence and `references`), a recommendation with citations, and
 *   one evidence item per record (newest first, `used` / `notUsedReason`). It never throws: missing or unusable data
 *   gives "indeterminate" with a reason; HER2 results that could not be loaded (a data gap) never give "no-result".
 * - `GUIDELINE`, `RULES_VERSION` (semver of the rule set, also in every assessment; bump it when a rule changes).
 * - `CITATIONS` / `allCitations()`: the sources, with links, for a reference list.
 * - The rule tables, read-only, for documentation and review: `IHC_TABLE`, `DUAL_PROBE_GROUPS`,
 *   `SINGLE_PROBE_TABLE`, `COMBINATION_RULES`, `FLAG_RULES`, `RECOMMENDATION_TABLE`.
 * - `CANNOT_ASSESS`: the statusReason prefix of the last-resort result if the rules ever fail on unforeseen data.
 * - Every type of the contract (`export type * from "./types"`).
 *
 * How it works (one module per job): records.ts decides which records are used (final / amended / corrected),
 * pending, ignored (cancelled, entered in error) or unreadable (including dated after `asOf`); grouping.ts groups them by
 * specimen; ihc.ts and ish.ts read each test by the guideline's tables; combine.ts combines the tests of a specimen;
 * specimen.ts keeps the newest result of each method (a later date or a correction supersedes; same-date results
 * that disagree make the specimen not conclusive, never chosen by id), takes the laboratory's final interpretation
 * as final and flags contradictions (a call on a test record contradicting its own numbers is not conclusive);
 * patient.ts picks the governing specimen; patient-flags.ts, setting.ts, category.ts, recommendation.ts and evidence.ts build the rest.
 *
 * Several tumours (tumour.ts, rules 1.2.0). A specimen's body site gives its tumour: breast or regional-node tissue
 * with a side (left / right) belongs to that breast's tumour. When both breasts have HER2 results (bilateral
 * primaries, e.g. a new contralateral primary), each tumour is judged on its own specimens and listed in
 * `Assessment.tumours` with its own status, category, reason and basis; a new primary is never "discordant" with the
 * other breast (discordance is looked for within one tumour). The top-level status, category and basis are then one
 * tumour's, the one that decides treatment: HER2-positive first, then equivocal, indeterminate, negative (HER2-low
 * before ultralow before 0); the statusReason names every tumour's status, and no tumour's result replaces another's.
 * With bilateral tumours, a specimen with no breast side (no body site, or distant tissue) cannot be assigned to
 * either: it is listed as not used, "cannot be determined", and counted in the reason. With one breast side (or none),
 * there is one tumour history and no `tumours` field. After neoadjuvant anti-HER2 therapy (the earliest start of a
 * therapy that was given, not only planned), breast or regional-node specimens collected after the start are residual
 * disease when a conclusive pre-treatment specimen of the same tumour exists, up to a later recurrence or metastasis
 * (its biopsy is a retest) or 90 days after the last recorded end of therapy (tumour.ts `residualUntil`): the pre-treatment specimen governs, the residual result
 * is not used for the status and gets an info flag `residual-disease-result` (KATHERINE, von Minckwitz 2019).
 *
 * Sources: ASCO/CAP 2018 focused update (Wolff, J Clin Oncol 2018;36:2105) and 2023 update (Wolff, J Clin Oncol
 * 2023;41:3867). Where the project's reference (HER2-GUIDELINE.md) and these differ, the rules follow the source and
 * say so at the rule: a recount that changes the ISH group is left to the laboratory's adjudication (ish.ts);
 * single-probe 4.0 to <6.0 copies is resolved by concurrent IHC 0/1+ or 3+ and needs dual-probe ISH only with IHC 2+
 * or no IHC (ish.ts); HER2-low and -ultralow refine a negative result and are not ASCO/CAP result categories
 * (category.ts).
 */
import { assessPatient, GUIDELINE, RULES_VERSION } from "./patient";
import { recommend } from "./recommendation";
import { en, text } from "./text";
import type { Assessment, PatientInput } from "./types";

export type * from "./types";
export { allCitations, CITATIONS } from "./citations";
export { COMBINATION_RULES } from "./combine";
export { FLAG_RULES } from "./flags";
export { IHC_TABLE } from "./ihc";
export { DUAL_PROBE_GROUPS, SINGLE_PROBE_TABLE } from "./ish";
export { GUIDELINE, RULES_VERSION } from "./patient";
export { RECOMMENDATION_TABLE } from "./recommendation";

/**
 * Assesses one patient's HER2 status per ASCO/CAP 2018 / 2023.
 * @param input the patient's HER2 test records, disease events, anti-HER2 therapies and the as-of date
 * @returns the assessment (DESIGN.md contract); never throws
 */
export function assess(input: PatientInput): Assessment {
  try {
    return assessPatient(input);
  } catch (error) {
    // Last line of defence for data no test foresaw: an explicit "cannot determine", never a crash in the EHR pane.
    return cannotAssess(input, error);
  }
}

/** The statusReason prefix of an assessment the rules could not complete (`status.cannot-assess`). */
export const CANNOT_ASSESS = "The rules could not assess this patient's HER2 data";

function cannotAssess(input: PatientInput, error: unknown): Assessment {
  const detail = error instanceof Error ? error.message : String(error);
  const reason = text("status.cannot-assess", { detail });
  return {
    patient: input.patient,
    asOf: input.asOf,
    guideline: GUIDELINE,
    rulesVersion: RULES_VERSION,
    status: "indeterminate",
    category: "unknown",
    setting: "unknown",
    statusReason: en(reason),
    flags: [],
    recommendation: recommend("indeterminate", "unknown", "unknown"),
    evidence: [],
    unreadable: [],
    dataGaps: Array.isArray(input.dataGaps) ? input.dataGaps : [],
    i18n: { statusReason: reason },
  };
}
