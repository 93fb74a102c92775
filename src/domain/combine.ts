/**
 * Combination of the tests on one specimen (ASCO/CAP 2018 algorithm): IHC, dual-probe ISH with its IHC work-up,
 * single-probe ISH. The ordered rules below are the table; the first rule that applies gives the specimen's call.
 */
import type { Call, Outcome } from "./calls";
import {
  type DualGroupRow,
  type DualReading,
  resolveDualGroup,
  resolveSingleRow,
  type SingleProbeRow,
} from "./ish";
import type { IhcScore } from "./types";

/** One ISH test as a view of the specimen: measured numbers, or a call when that is all there is (or what the lab said). */
export type DualView =
  | { kind: "group"; row: DualGroupRow; recount: DualReading["recount"] }
  | { kind: "call"; call: Call }
  | { kind: "missing"; reason: string };
export type SingleView =
  { kind: "band"; row: SingleProbeRow } | { kind: "call"; call: Call } | { kind: "missing"; reason: string };

export interface SpecimenView {
  /** IHC call: positive = 3+, negative = 0/1+, equivocal = 2+; undefined when no usable IHC. */
  ihc?: Call;
  /** Why there is no usable IHC call although an IHC record exists. */
  ihcMissing?: string;
  dual?: DualView;
  single?: SingleView;
  /** How to name an IHC reported as a call without a score (e.g. "IHC reported positive (no score)"). */
  ihcUnscored?: string;
  /** The IHC score the call comes from, so a reason names the patient's score ("IHC 1+"), not "0/1+" (issue 18.3). */
  ihcScore?: IhcScore;
}

/**
 * A dual-probe ISH reported only as "equivocal" is read as group 2-4 of unknown group: all three resolve the same
 * way with IHC 3+ (positive) and IHC 0/1+ (negative); with IHC 2+ only a recount (or the lab's call) settles it.
 * Rules 2.0.0: "equivocal" is the 2013 ISH category (Wolff 2013) that Wolff 2018 replaced by groups 2-4 with their
 * work-up; without the ratio and HER2 copy number the reason says that the 2013 call needs the 2018 work-up.
 */
/** How a dual-probe ISH reported "equivocal" without its numbers is named (rules 2.0.0). */
const EQUIVOCAL_2013 =
  'ISH reported "equivocal" without its ratio and HER2 copy number (a 2013 ASCO/CAP category; the 2018 groups cannot be told)';

function resolveDual(view: DualView | undefined, ihc: Call | undefined): Outcome | undefined {
  if (!view) return undefined;
  if (view.kind === "missing")
    return { call: "indeterminate", reason: `dual-probe ISH not usable: ${view.reason}` };
  if (view.kind === "group") return resolveDualGroup(view.row, view.recount, ihc);
  if (view.call !== "equivocal") return { call: view.call, reason: `dual-probe ISH reported ${view.call}` };
  if (ihc === "positive")
    return { call: "positive", reason: "ISH reported equivocal with IHC 3+ is positive" };
  if (ihc === "negative")
    return { call: "negative", reason: "ISH reported equivocal with IHC 0/1+ is negative" };
  if (ihc === "equivocal") {
    return {
      call: "equivocal",
      reason: `${EQUIVOCAL_2013} with IHC 2+ needs the 2018 work-up: a second-observer recount`,
      need: "recount",
    };
  }
  return {
    call: "equivocal",
    reason: `${EQUIVOCAL_2013} needs the 2018 work-up: concomitant IHC on the same tissue`,
    need: "ihc-workup",
  };
}

function resolveSingle(view: SingleView | undefined, ihc: Call | undefined): Outcome | undefined {
  if (!view) return undefined;
  if (view.kind === "missing")
    return { call: "indeterminate", reason: `single-probe ISH not usable: ${view.reason}` };
  if (view.kind === "band") return resolveSingleRow(view.row, ihc);
  if (view.call !== "equivocal") return { call: view.call, reason: `single-probe ISH reported ${view.call}` };
  return resolveSingleEquivocal(ihc);
}

function resolveSingleEquivocal(ihc: Call | undefined): Outcome {
  if (ihc === "positive")
    return { call: "positive", reason: "single-probe ISH equivocal with IHC 3+ is positive" };
  if (ihc === "negative")
    return { call: "negative", reason: "single-probe ISH equivocal with IHC 0/1+ is negative" };
  return { call: "equivocal", reason: "single-probe ISH equivocal needs dual-probe ISH", need: "dual-probe" };
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

const ishReason = (ish: Outcome | undefined): string => (ish ? ish.reason : "no ISH");

/** The specimen-level combination, in order. Positive by either test is HER2-positive (2018 Figs. 1-3). */
export const COMBINATION_RULES: readonly CombinationRule[] = [
  {
    name: "IHC 3+ is positive",
    source: "Wolff 2018, Fig. 1",
    when: (ihc) => ihc === "positive",
    then: (_ihc, ish, view) => {
      // Named by what the record holds: never "3+" for an IHC reported positive without a score.
      const ihc = view.ihcUnscored ?? "IHC 3+ is positive";
      return {
        call: "positive",
        reason: ish?.call === "negative" ? `${ihc} (${ish.reason} on the same tissue)` : ihc,
      };
    },
  },
  {
    name: "ISH positive (after any IHC work-up) is positive",
    source: "Wolff 2018, Figs. 2-6",
    when: (_ihc, ish) => ish?.call === "positive",
    then: (_ihc, ish) => ({ call: "positive", reason: ishReason(ish) }),
  },
  {
    name: "ISH negative (after any IHC work-up) is negative",
    source: "Wolff 2018, Figs. 2-6",
    when: (_ihc, ish) => ish?.call === "negative",
    then: (ihc, ish) => ({
      call: "negative",
      reason: ihc === "equivocal" ? `IHC 2+ with ${ishReason(ish)}` : ishReason(ish),
    }),
  },
  {
    name: "IHC 0 or 1+ is negative",
    source: "Wolff 2018, Fig. 1",
    when: (ihc) => ihc === "negative",
    then: (_ihc, ish, view) => {
      const ihc = view.ihcUnscored ?? `IHC ${view.ihcScore ?? "0/1+"} is negative`;
      return { call: "negative", reason: ish ? `${ihc} (${ish.reason})` : ihc };
    },
  },
  {
    name: "ISH needing work-up is equivocal until it is done",
    source: "Wolff 2018, Figs. 2, 4-6",
    when: (_ihc, ish) => ish?.need !== undefined,
    then: (_ihc, ish) => ({ call: "equivocal", reason: ishReason(ish), need: ish?.need }),
  },
  {
    name: "IHC 2+ without ISH is equivocal: reflex ISH on the same specimen",
    source: "Wolff 2018, Fig. 1",
    when: (ihc, ish) => ihc === "equivocal" && ish === undefined,
    then: () => ({
      call: "equivocal",
      reason: "IHC 2+ (equivocal) without ISH on the same specimen",
      need: "reflex-ish",
    }),
  },
  {
    name: "IHC 2+ with an unusable ISH is equivocal",
    source: "Wolff 2018, Fig. 1",
    when: (ihc) => ihc === "equivocal",
    then: (_ihc, ish) => ({ call: "equivocal", reason: `IHC 2+ (equivocal); ${ishReason(ish)}` }),
  },
  {
    name: "Otherwise the tests give no conclusive result",
    source: "DESIGN.md (indeterminate)",
    when: () => true,
    then: (_ihc, ish, view) => ({ call: "indeterminate", reason: indeterminateReason(ish, view) }),
  },
];

function indeterminateReason(ish: Outcome | undefined, view: SpecimenView): string {
  const parts: string[] = [];
  if (view.ihcMissing) parts.push(view.ihcMissing);
  if (ish) parts.push(ish.reason);
  return parts.length > 0 ? parts.join("; ") : "no usable IHC or ISH component";
}

/** The call for one specimen from its tests (the first combination rule that applies). */
export function combine(view: SpecimenView): Outcome {
  const ish = ishOutcome(view);
  for (const rule of COMBINATION_RULES) {
    if (rule.when(view.ihc, ish)) return rule.then(view.ihc, ish, view);
  }
  return { call: "indeterminate", reason: "no usable IHC or ISH component" };
}
