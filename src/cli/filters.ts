/**
 * The `--flag` and `--status` filters. The code lists are checked against the domain's union types at compile time,
 * so a flag code added to the rules fails the build here until the CLI knows it.
 */
import type { Assessment, FlagCode, Her2Status } from "../domain";

/** Every flag code of the contract (DESIGN.md), in the order of the contract table. */
export const FLAG_CODES = [
  "reflex-ish-missing",
  "metastatic-retest-missing",
  "ihc-workup-needed",
  "recount-needed",
  "dual-probe-ish-needed",
  "discordant-results",
  "interpretation-mismatch",
  "result-unreadable",
  "result-pending",
  "anti-her2-therapy-not-found",
] as const satisfies readonly FlagCode[];

export const STATUSES = [
  "positive",
  "negative",
  "equivocal",
  "indeterminate",
  "no-result",
] as const satisfies readonly Her2Status[];

// Compile-time completeness: these fail if the domain adds a code the lists above do not have.
type Complete<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : false;
type AssertTrue<T extends true> = T;
export type FlagCodesComplete = AssertTrue<Complete<FlagCode, (typeof FLAG_CODES)[number]>>;
export type StatusesComplete = AssertTrue<Complete<Her2Status, (typeof STATUSES)[number]>>;

export function isFlagCode(value: string): value is FlagCode {
  return (FLAG_CODES as readonly string[]).includes(value);
}

export function isStatus(value: string): value is Her2Status {
  return (STATUSES as readonly string[]).includes(value);
}

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
