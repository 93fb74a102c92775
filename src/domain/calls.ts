/** The vocabulary the rule tables share: what one test (or one specimen) says about HER2. */
import { en, type Text, type TextValue } from "./text";
import type { ReportedCall } from "./types";

/** A call on HER2: conclusive (positive, negative) or not (equivocal, indeterminate). */
export type Call = ReportedCall;

/** Every call. */
export const CALLS: readonly Call[] = ["positive", "negative", "equivocal", "indeterminate"];
const CALL_SET: ReadonlySet<string> = new Set(CALLS);

/** The call, when the value is one (defends against values outside the type at run time). */
export function asCall(value: unknown): Call | undefined {
  return typeof value === "string" && CALL_SET.has(value) ? (value as Call) : undefined;
}

export function isConclusive(call: Call): call is "positive" | "negative" {
  return call === "positive" || call === "negative";
}

/** A measured number usable by the rules: finite and not negative. */
export function measured(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** The decimals of 0 to 99 hundredths as a pathologist writes them (".0", ".5", ".05", ".25"), written once. */
const HUNDREDTHS: readonly string[] = Array.from({ length: 100 }, (_, cents) => {
  if (cents === 0) return ".0";
  if (cents % 10 === 0) return `.${cents / 10}`;
  return `.${cents < 10 ? "0" : ""}${cents}`;
});

/**
 * A number as a pathologist writes it: at least one decimal (2 -> "2.0", 2.25 -> "2.25"), without binary floating
 * noise (1.6000000000000001 -> "1.6"). Rounding to 1e-6 hides no digit a laboratory reports.
 */
export function formatNumber(value: number): string {
  // Most reported values have at most two decimals: written from integers, which is much cheaper than a double.
  const hundredths = Math.round(value * 100);
  if (Math.abs(value * 100 - hundredths) < 1e-6 && hundredths >= 0 && hundredths < Number.MAX_SAFE_INTEGER) {
    return `${Math.trunc(hundredths / 100)}${HUNDREDTHS[hundredths % 100] ?? ""}`;
  }
  const rounded = Math.round(value * 1e6) / 1e6;
  return Number.isInteger(rounded) ? `${rounded}.0` : String(rounded);
}

/** Further work the data shows is missing before a specimen has a final HER2 result. */
export type Need = "reflex-ish" | "ihc-workup" | "recount" | "recount-adjudication" | "dual-probe";

/** A call with the plain-language reason for it and, when not final, the work still needed. */
export interface Outcome {
  call: Call;
  /** The English text of `reasonText` when there is one (rendered from it, so the two cannot diverge). */
  reason: string;
  /** The reason as a message (messages/en.json), for other locales; absent where the reason is not yet a message. */
  reasonText?: Text;
  need?: Need;
}

/**
 * An outcome whose reason is a message: `reason` is its English rendering. Both are made when first read (a
 * specimen is combined several times per assessment and most intermediate reasons are never read), so a reason
 * built from other reasons may be given as a function.
 */
export class TextOutcome implements Outcome {
  readonly call: Call;
  readonly need?: Need;
  private source: Text | (() => Text);
  private english: string | undefined;
  constructor(call: Call, reasonText: Text | (() => Text), need?: Need) {
    this.call = call;
    this.source = reasonText;
    if (need !== undefined) this.need = need;
  }
  get reasonText(): Text {
    if (typeof this.source === "function") this.source = this.source();
    return this.source;
  }
  get reason(): string {
    return (this.english ??= en(this.reasonText));
  }
}

/**
 * Outcomes made once per pair of keys (a call, a need, a message id): for reasons without a variable part. Outcomes
 * are never changed once made, so one can be shared, and its English is rendered once.
 */
export class OutcomeCache {
  private readonly made = new Map<string, Map<string, Outcome>>();

  get(first: string, second: string, make: () => Outcome): Outcome {
    let inner = this.made.get(first);
    if (!inner) {
      inner = new Map();
      this.made.set(first, inner);
    }
    let outcome = inner.get(second);
    if (!outcome) {
      outcome = make();
      inner.set(second, outcome);
    }
    return outcome;
  }
}

/** A reason as a message value: its descriptor when there is one, else its English string. */
export function reasonValue(outcome: { reason: string; reasonText?: Text }): TextValue {
  return outcome.reasonText ?? outcome.reason;
}
