/** The `--flag` and `--status` filters, over the contract's code lists kept by the domain. */
import type { Assessment, FlagCode, Her2Status } from "../domain";

export { FLAG_CODES, isFlagCode, isStatus, STATUSES } from "../domain/codes";

export interface Filters {
  /** Keep patients with any of these flags (empty: no flag filter). */
  flags: readonly FlagCode[];
  /** Keep patients with any of these statuses (empty: no status filter). */
  statuses: readonly Her2Status[];
}

/** True when the assessment passes both filters (each filter matches any of its values). */
export function matchesFilters(assessment: Assessment, filters: Filters): boolean {
  if (filters.statuses.length > 0 && !filters.statuses.includes(assessment.status)) return false;
  if (filters.flags.length > 0 && !assessment.flags.some((flag) => filters.flags.includes(flag.code)))
    return false;
  return true;
}
