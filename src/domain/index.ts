/**
 * HER2 domain core: pure rules (no React, no fhirclient, no I/O, no clock: "today" is `input.asOf`).
 *
 * Public API
 * - `assess(input: PatientInput): Assessment` turns one patient's HER2 test records, disease events and anti-HER2
 *   therapies into the assessment of DESIGN.md: status from the most recent conclusive specimen, category, setting,
 *   flags (most urgent first, each with a message, evidence and references), a recommendation with citations, and
 *   one evidence item per record. It never throws: missing or unusable data gives "indeterminate" with a reason.
 * - `GUIDELINE`, `RULES_VERSION` (semver of the rule set, also in every assessment).
 * - `CITATIONS` / `allCitations()`: the sources, with links, for a reference list.
 * - The rule tables, read-only, for documentation and review: `IHC_TABLE`, `DUAL_PROBE_GROUPS`,
 *   `SINGLE_PROBE_TABLE`, `COMBINATION_RULES`, `FLAG_RULES`, `RECOMMENDATION_TABLE`.
 * - Every type of the contract (`export type * from "./types"`).
 *
 * Sources: ASCO/CAP 2018 focused update (Wolff, J Clin Oncol 2018;36:2105) and 2023 update (Wolff, J Clin Oncol
 * 2023;41:3867). Where the project's reference (HER2-GUIDELINE.md) and these differ, the rules follow the source and
 * say so at the rule (see ish.ts: a recount that changes the group; category.ts: HER2-low is not an ASCO/CAP result
 * category).
 */
import { assessPatient, GUIDELINE, RULES_VERSION } from "./patient";
import { recommend } from "./recommendation";
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

/** The statusReason prefix of an assessment the rules could not complete. */
export const CANNOT_ASSESS = "The rules could not assess this patient's HER2 data";

function cannotAssess(input: PatientInput, error: unknown): Assessment {
  const detail = error instanceof Error ? error.message : String(error);
  return {
    patient: input.patient,
    asOf: input.asOf,
    guideline: GUIDELINE,
    rulesVersion: RULES_VERSION,
    status: "indeterminate",
    category: "unknown",
    setting: "unknown",
    statusReason: `${CANNOT_ASSESS} (${detail}); review the results in the chart.`,
    flags: [],
    recommendation: recommend("indeterminate", "unknown", "unknown"),
    evidence: [],
    unreadable: [],
    dataGaps: Array.isArray(input.dataGaps) ? input.dataGaps : [],
  };
}
