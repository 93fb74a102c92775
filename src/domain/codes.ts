/**
 * The contract's code lists (DESIGN.md) as run-time values, for the CLI's filters and columns and the sandbox's
 * manifest check. Checked against the union types at compile time: a code added to a type fails the build here.
 */
import type { FlagCode, Her2Category, Her2Status, Setting } from "./types";

/** Every flag code, in the order of the contract table. */
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
  "ihc-score-needed",
  "ihc-zero-review",
  "residual-disease-result",
  "decalcified-negative",
  "her2-test-missing",
  "undated-result",
  "therapy-duration-exceeds",
] as const satisfies readonly FlagCode[];

export const STATUSES = [
  "positive",
  "negative",
  "equivocal",
  "indeterminate",
  "no-result",
] as const satisfies readonly Her2Status[];

export const CATEGORIES = [
  "her2-positive",
  "her2-low",
  "her2-ultralow",
  "her2-0",
  "her2-negative",
  "unknown",
] as const satisfies readonly Her2Category[];

export const SETTINGS = ["early", "metastatic", "unknown"] as const satisfies readonly Setting[];

type Complete<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : false;
type AssertTrue<T extends true> = T;
export type CodeListsComplete = [
  AssertTrue<Complete<FlagCode, (typeof FLAG_CODES)[number]>>,
  AssertTrue<Complete<Her2Status, (typeof STATUSES)[number]>>,
  AssertTrue<Complete<Her2Category, (typeof CATEGORIES)[number]>>,
  AssertTrue<Complete<Setting, (typeof SETTINGS)[number]>>,
];

export function isFlagCode(value: string): value is FlagCode {
  return (FLAG_CODES as readonly string[]).includes(value);
}

export function isStatus(value: string): value is Her2Status {
  return (STATUSES as readonly string[]).includes(value);
}
