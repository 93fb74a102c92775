/**
 * Combination of the tests on one specimen (ASCO/CAP 2018 algorithm): IHC, dual-probe ISH with its IHC work-up,
 * single-probe ISH. The ordered rules below are the table; the first rule that applies gives the specimen's call.
 */
import { type Call, OutcomeCache, type Need, type Outcome, reasonValue, TextOutcome } from "./calls";
import {
  type DualGroupRow,
  type DualReading,
  resolveDualGroup,
  resolveSingleRow,
  type SingleProbeRow,
} from "./ish";
import { en, joinTexts, type Text, text, type TextValue } from "./text";
import type { IhcScore } from "./types";

/** One ISH test as a view of the specimen: measured numbers, or a call when that is all there is (or what the lab said). */
export type DualView =
  | { kind: "group"; row: DualGroupRow; recount: DualReading["recount"] }
  | { kind: "call"; call: Call }
  | { kind: "missing"; reason: TextValue };
export type SingleView =
  | { kind: "band"; row: SingleProbeRow }
  | { kind: "call"; call: Call }
  | { kind: "missing"; reason: TextValue };

export interface SpecimenView {
  /** IHC call: positive = 3+, negative = 0/1+, equivocal = 2+; undefined when no usable IHC. */
  ihc?: Call;
  /** Why there is no usable IHC call although an IHC record exists (the IHC reading's message). */
  ihcMissing?: TextValue;
  dual?: DualView;
  single?: SingleView;
  /** How to name an IHC reported as a call without a score (e.g. "IHC reported positive (no score)"). */
  ihcUnscored?: Text;
  /** The IHC score the call comes from, so a reason names the patient's score ("IHC 1+"), not "0/1+" (issue 18.3). */
  ihcScore?: IhcScore;
}

/**
 * A dual-probe ISH reported only as "equivocal" is read as group 2-4 of unknown group: all three resolve the same
 * way with IHC 3+ (positive) and IHC 0/1+ (negative); with IHC 2+ only a recount (or the lab's call) settles it.
 * Rules 2.0.0: "equivocal" is the 2013 ISH category (Wolff 2013) that Wolff 2018 replaced by groups 2-4 with their
 * work-up; without the ratio and HER2 copy number the reason says that the 2013 call needs the 2018 work-up
 * (message `reason.ish-2013-equivocal`).
 *
 * Every reason below is a message of messages/en.json (issue 15.3); `reason` is its English rendering (calls.ts
 * `TextOutcome`), and so are ish.ts's group and band reasons (shared outcomes, one per row, IHC call and recount).
 */
function outcome(call: Call, reasonText: Text | (() => Text), need?: Need): Outcome {
  return new TextOutcome(call, reasonText, need);
}

const callWords = (call: Call): Text => text(`call.${call}`);

function resolveDual(view: DualView | undefined, ihc: Call | undefined): Outcome | undefined {
  if (!view) return undefined;
  if (view.kind === "missing")
    return outcome("indeterminate", text("reason.dual.not-usable", { reason: view.reason }));
  if (view.kind === "group") return resolveDualGroup(view.row, view.recount, ihc);
  if (view.call !== "equivocal") return reported(view.call, "reason.dual.reported");
  if (ihc === "positive") return FIXED.ishEquivocalIhc3;
  if (ihc === "negative") return FIXED.ishEquivocalIhc01;
  return ihc === "equivocal" ? FIXED.ish2013Recount : FIXED.ish2013Workup;
}

const REPORTED = new OutcomeCache();

/** "IHC 1+ is negative" (the patient's score, or "0/1+" when it is not known), one descriptor per score. */
const IHC_NEGATIVE = new Map<string, Text>();
function ihcNegative(score: IhcScore | undefined): Text {
  const named = score ?? "0/1+";
  let made = IHC_NEGATIVE.get(named);
  if (!made) {
    made = text("reason.ihc01", { score: named });
    IHC_NEGATIVE.set(named, made);
  }
  return made;
}

const IHC_POSITIVE = text("reason.ihc3");

/** "dual-probe ISH reported positive" and the like, one outcome per call. */
function reported(call: Call, id: "reason.dual.reported" | "reason.single.reported"): Outcome {
  return REPORTED.get(id, call, () => outcome(call, text(id, { call: callWords(call) })));
}

const EQUIVOCAL_2013 = text("reason.ish-2013-equivocal");

/** The outcomes whose reason has no variable part, made once (their English is rendered when first read). */
const FIXED = {
  ishEquivocalIhc3: outcome("positive", text("reason.ish-equivocal.ihc3")),
  ishEquivocalIhc01: outcome("negative", text("reason.ish-equivocal.ihc01")),
  ish2013Recount: outcome(
    "equivocal",
    text("reason.ish-2013.recount", { equivocal: EQUIVOCAL_2013 }),
    "recount",
  ),
  ish2013Workup: outcome(
    "equivocal",
    text("reason.ish-2013.ihc-workup", { equivocal: EQUIVOCAL_2013 }),
    "ihc-workup",
  ),
  singleEquivocalIhc3: outcome("positive", text("reason.single-equivocal.ihc3")),
  singleEquivocalIhc01: outcome("negative", text("reason.single-equivocal.ihc01")),
  singleEquivocalNeedsDual: outcome("equivocal", text("reason.single-equivocal.needs-dual"), "dual-probe"),
  reflexIsh: outcome("equivocal", text("reason.ihc2.no-ish"), "reflex-ish"),
  noneUsable: outcome("indeterminate", text("reason.none-usable")),
} as const;

function resolveSingle(view: SingleView | undefined, ihc: Call | undefined): Outcome | undefined {
  if (!view) return undefined;
  if (view.kind === "missing")
    return outcome("indeterminate", text("reason.single.not-usable", { reason: view.reason }));
  if (view.kind === "band") return resolveSingleRow(view.row, ihc);
  if (view.call !== "equivocal") return reported(view.call, "reason.single.reported");
  return resolveSingleEquivocal(ihc);
}

function resolveSingleEquivocal(ihc: Call | undefined): Outcome {
  if (ihc === "positive") return FIXED.singleEquivocalIhc3;
  if (ihc === "negative") return FIXED.singleEquivocalIhc01;
  return FIXED.singleEquivocalNeedsDual;
}

/** Dual-probe ISH governs single-probe ISH on the same tissue (2018 Fig. 2, footnote c) unless it is unusable. */
function ishOutcome(view: SpecimenView): Outcome | undefined {
  const dual = resolveDual(view.dual, view.ihc);
  const single = resolveSingle(view.single, view.ihc);
  if (dual && dual.call !== "indeterminate") return dual;
  return single ?? dual;
}

interface CombinationRule {
  /** The case in the guideline's words. */
  name: string;
  source: string;
  when: (ihc: Call | undefined, ish: Outcome | undefined) => boolean;
  then: (ihc: Call | undefined, ish: Outcome | undefined, view: SpecimenView) => Outcome;
}

const ishReason = (ish: Outcome | undefined): TextValue => (ish ? reasonValue(ish) : text("reason.no-ish"));

/**
 * The ISH's own reason as the specimen's (no new text: its descriptor, if any, and its English string as they are).
 * The ISH outcome itself when the call and need are its own (the usual case): outcomes are shared and never changed,
 * and its English is then rendered once.
 */
function asIsh(call: Call, ish: Outcome | undefined, need?: Need): Outcome {
  if (!ish) return outcome(call, text("reason.no-ish"), need);
  if (ish.call === call && ish.need === need) return ish;
  if (ish.reasonText) return new TextOutcome(call, ish.reasonText, need);
  return need === undefined ? { call, reason: ish.reason } : { call, reason: ish.reason, need };
}

/** The specimen-level combination, in order. Positive by either test is HER2-positive (2018 Figs. 1-3). */
export const COMBINATION_RULES: readonly CombinationRule[] = [
  {
    name: "IHC 3+ is positive",
    source: "Wolff 2018, Fig. 1",
    when: (ihc) => ihc === "positive",
    then: (_ihc, ish, view) => {
      // Named by what the record holds: never "3+" for an IHC reported positive without a score.
      const ihc: Text = view.ihcUnscored ?? IHC_POSITIVE;
      if (ish?.call === "negative")
        return outcome("positive", () => text("reason.ihc3.ish-negative", { ihc, ish: reasonValue(ish) }));
      return outcome("positive", ihc);
    },
  },
  {
    name: "ISH positive (after any IHC work-up) is positive",
    source: "Wolff 2018, Figs. 2-6",
    when: (_ihc, ish) => ish?.call === "positive",
    then: (_ihc, ish) => asIsh("positive", ish),
  },
  {
    name: "ISH negative (after any IHC work-up) is negative",
    source: "Wolff 2018, Figs. 2-6",
    when: (_ihc, ish) => ish?.call === "negative",
    then: (ihc, ish) =>
      ihc === "equivocal"
        ? outcome("negative", () => text("reason.ihc2.with-ish", { ish: ishReason(ish) }))
        : asIsh("negative", ish),
  },
  {
    name: "IHC 0 or 1+ is negative",
    source: "Wolff 2018, Fig. 1",
    when: (ihc) => ihc === "negative",
    then: (_ihc, ish, view) => {
      const ihc: Text = view.ihcUnscored ?? ihcNegative(view.ihcScore);
      if (ish)
        return outcome("negative", () => text("reason.ihc01.with-ish", { ihc, ish: reasonValue(ish) }));
      return outcome("negative", ihc);
    },
  },
  {
    name: "ISH needing work-up is equivocal until it is done",
    source: "Wolff 2018, Figs. 2, 4-6",
    when: (_ihc, ish) => ish?.need !== undefined,
    then: (_ihc, ish) => asIsh("equivocal", ish, ish?.need),
  },
  {
    name: "IHC 2+ without ISH is equivocal: reflex ISH on the same specimen",
    source: "Wolff 2018, Fig. 1",
    when: (ihc, ish) => ihc === "equivocal" && ish === undefined,
    then: () => FIXED.reflexIsh,
  },
  {
    name: "IHC 2+ with an unusable ISH is equivocal",
    source: "Wolff 2018, Fig. 1",
    when: (ihc) => ihc === "equivocal",
    then: (_ihc, ish) =>
      outcome("equivocal", () => text("reason.ihc2.unusable-ish", { ish: ishReason(ish) })),
  },
  {
    name: "Otherwise the tests give no conclusive result",
    source: "DESIGN.md (indeterminate)",
    when: () => true,
    then: (_ihc, ish, view) => indeterminate(ish, view),
  },
];

function indeterminate(ish: Outcome | undefined, view: SpecimenView): Outcome {
  const parts: TextValue[] = [];
  if (view.ihcMissing) parts.push(view.ihcMissing);
  if (ish) parts.push(reasonValue(ish));
  if (parts.length === 0) return FIXED.noneUsable;
  const joined = joinTexts(parts, "join.semicolon");
  return typeof joined === "object"
    ? outcome("indeterminate", joined)
    : { call: "indeterminate", reason: en(joined) };
}

/** The call for one specimen from its tests (the first combination rule that applies). */
export function combine(view: SpecimenView): Outcome {
  const ish = ishOutcome(view);
  for (const rule of COMBINATION_RULES) {
    if (rule.when(view.ihc, ish)) return rule.then(view.ihc, ish, view);
  }
  return FIXED.noneUsable;
}
