/**
 * Specimen-level interpretation: each specimen's IHC, ISH and reported interpretation (grouped in grouping.ts) are
 * combined into one call. The laboratory's final interpretation (a separate interpretation record) is its conclusion
 * and is used where the algorithm explains it: where the components alone are not conclusive (groups 2-4 awaiting
 * work-up or recount, IHC 2+). Where the components are conclusive and the interpretation says the opposite, no
 * guideline path reaches the lab's call from the same record's numbers: the specimen is indeterminate and the
 * contradiction is an action (`interpretation-mismatch`: pathology review or an amended report). Rules 1.2.0, Wolff
 * 2018 Figs. 1-6 (every final call follows from the IHC score and ISH group) and Wolff 2023 (the 2018 algorithm
 * affirmed). A call reported ON an IHC or ISH record that contradicts that record's own score or numbers is an error
 * in the record, not a conclusion: the record is then not conclusive (IHC 2+ stays equivocal, anything else is
 * indeterminate) and the contradiction is an action (`interpretation-mismatch`). IHC and ISH on the same specimen that
 * point opposite ways (IHC 3+ with ISH negative, IHC 0/1+ with dual-probe group 1 or single-probe >= 6.0) keep the
 * guideline's call (positive by either test, Wolff 2018 Figs. 1-3) and are flagged for review (`discordant-results`).
 */
import {
  asCall,
  type Call,
  CALLS,
  isConclusive,
  type Need,
  type Outcome,
  OutcomeCache,
  reasonValue,
  TextOutcome,
} from "./calls";
import { combine, type DualView, type SingleView, type SpecimenView } from "./combine";
import { byText, newestFirst } from "./dates";
import { en, text, type Text, type TextValue } from "./text";
import { statusRank, testDate } from "./records";
import { callText, readIhc, type IhcReading, type ReadingText, sharedReading } from "./ihc";
import { type DualReading, readDualIsh, readSingleIsh, type SingleReading } from "./ish";
import type { ReadableRecord, SpecimenGroup } from "./grouping";
import type {
  DualIshRecord,
  Her2TestRecord,
  IhcRecord,
  IhcScore,
  IhcZeroDetail,
  InterpretationRecord,
  ResourceRef,
  SingleIshRecord,
} from "./types";

export interface Mismatch {
  message: Text;
  evidence: ResourceRef[];
  /** The next step: what to ask, of whom (issue 18.1). */
  action: Text;
  /** "action" for a record contradicting itself; the code's usual severity otherwise. */
  severity?: "action";
}

export interface SpecimenResult {
  group: SpecimenGroup;
  call: Call;
  reason: string;
  /** The reason as a message when it is one (`reason` is its English rendering; calls.ts `reasonValue`). */
  reasonText?: Text;
  /** Work still needed for a final result (none when a pending test will supply it or the lab gave a final call). */
  need?: Need;
  /** The newest IHC 2+ record, for the reflex-ISH action text. */
  ihcEquivocal?: IhcRecord;
  ihcScore?: IhcScore;
  zeroDetail?: IhcZeroDetail;
  /** True when an ISH on this specimen is negative (what makes an IHC 2+ HER2-low). */
  negativeIsh: boolean;
  /** Records replaced by a newer record of the same method on this specimen. */
  superseded: ReadonlySet<ResourceRef>;
  mismatches: Mismatch[];
  /** Disagreeing records of one method on this specimen (`discordant-results`). */
  discordances: readonly Discordance[];
  /** The kept record of each method and what it was read as, so the evidence list reads no record twice. */
  latest: Latest;
  readings: Readings;
}

/** The newest record of each method on a specimen; older ones of the same method are superseded. */
interface Latest {
  ihc?: IhcRecord;
  dual?: DualIshRecord;
  single?: SingleIshRecord;
  interpretation?: InterpretationRecord;
  superseded: ReadonlySet<ResourceRef>;
  /** Disagreements between records of one method on this specimen (none in the usual case). */
  discordances: readonly Discordance[];
}

/**
 * Two records of one method on one specimen that disagree. "action" when neither supersedes the other (same date and
 * status): the specimen is then not conclusive. "warning" when a later or corrected record replaced one that said
 * the opposite: the later one is used, and the disagreement is still shown.
 */
export interface Discordance {
  message: Text;
  evidence: ResourceRef[];
  /** The next step: what to ask, of whom (issue 18.1). */
  action: Text;
  severity: "action" | "warning";
}

const NONE_SUPERSEDED: ReadonlySet<ResourceRef> = new Set();
const NO_DISCORDANCE: readonly Discordance[] = [];

/** What one record says on its own, for comparing records of one method: `key` equal means the same result. */
interface OwnResult {
  key: string;
  call: Call;
}

function ownResult(record: ReadableRecord): OwnResult {
  switch (record.method) {
    case "ihc": {
      const reading = readIhc(record);
      const call = reading.scoreCall ?? reading.reportedCall ?? "indeterminate";
      return { key: reading.score ?? call, call };
    }
    case "ish-dual": {
      const call = combine({ dual: dualView(readDualIsh(record), false) }).call;
      return { key: call, call };
    }
    case "ish-single": {
      const call = combine({ single: singleView(readSingleIsh(record), false) }).call;
      return { key: call, call };
    }
    case "interpretation": {
      const call = asCall(record.reported) ?? "indeterminate";
      return { key: call, call };
    }
  }
}

/** A method in words (`method.<method>`). */
const methodName = (method: ReadableRecord["method"]): Text => text(`method.${method}`);

/** A call in words (`call.<call>`). */
const callWords = (call: Call): Text => text(`call.${call}`);

/**
 * Compares an older (or same-date) record with the one kept for its method. A record replaces another only when it
 * is dated strictly later or is an amended / corrected result of a final one, never by its id: two different results
 * of one method, same date and status, on one specimen are a conflict the rules cannot settle.
 */
function compareWithKept(
  kept: ReadableRecord,
  other: ReadableRecord,
  group: SpecimenGroup,
): Discordance | "superseded" {
  const a = ownResult(kept);
  const b = ownResult(other);
  const replaces = isLater(kept, other) || statusRank(kept) < statusRank(other);
  if (a.key === b.key) return "superseded";
  const method = methodName(kept.method);
  const specimen = capitalisedNameText(group);
  const name = specimenNameText(group);
  if (!replaces) {
    return {
      severity: "action",
      message: text("flag.conflict.message", {
        specimen,
        method,
        other: other.source,
        otherReading: readRecord(other),
        kept: kept.source,
        keptReading: readRecord(kept),
      }),
      action: text("flag.conflict.action", { method, name }),
      evidence: [kept.source, other.source],
    };
  }
  if (isConclusive(a.call) && isConclusive(b.call) && a.call !== b.call) {
    return {
      severity: "warning",
      message: text("flag.repeat.message", {
        specimen,
        method,
        other: other.source,
        otherCall: callWords(b.call),
        kept: kept.source,
        keptCall: callWords(a.call),
      }),
      action: text("flag.repeat.action", { method, name }),
      evidence: [kept.source, other.source],
    };
  }
  return "superseded";
}

function isLater(a: ReadableRecord, b: ReadableRecord): boolean {
  const dateA = testDate(a);
  const dateB = testDate(b);
  return dateA !== undefined && dateB !== undefined && dateA > dateB;
}

function latestByMethod(records: readonly ReadableRecord[], group: SpecimenGroup): Latest {
  // Records arrive newest first (corrected before final on a date): the first of each method is kept, and each later
  // one of that method is compared with it.
  const latest: Latest = { superseded: NONE_SUPERSEDED, discordances: NO_DISCORDANCE };
  let superseded: Set<ResourceRef> | undefined;
  let discordances: Discordance[] | undefined;
  for (const r of records) {
    const kept = keptFor(latest, r);
    if (!kept) continue;
    const outcome = compareWithKept(kept, r, group);
    if (outcome === "superseded" || outcome.severity === "warning") (superseded ??= new Set()).add(r.source);
    if (outcome !== "superseded") (discordances ??= []).push(outcome);
  }
  if (superseded) latest.superseded = superseded;
  if (discordances) latest.discordances = discordances;
  return latest;
}

/** The record already kept for this record's method; when none, keeps this one and returns undefined. */
function keptFor(latest: Latest, record: ReadableRecord): ReadableRecord | undefined {
  switch (record.method) {
    case "ihc":
      if (latest.ihc) return latest.ihc;
      latest.ihc = record;
      return undefined;
    case "ish-dual":
      if (latest.dual) return latest.dual;
      latest.dual = record;
      return undefined;
    case "ish-single":
      if (latest.single) return latest.single;
      latest.single = record;
      return undefined;
    case "interpretation":
      if (latest.interpretation) return latest.interpretation;
      latest.interpretation = record;
      return undefined;
  }
}

interface Readings {
  ihc?: IhcReading;
  dual?: DualReading;
  single?: SingleReading;
  interpretation?: Call;
}

function ihcView(
  reading: IhcReading | undefined,
  preferReported: boolean,
): Pick<SpecimenView, "ihc" | "ihcMissing" | "ihcUnscored" | "ihcScore"> {
  if (!reading) return {};
  // A record contradicting itself: a 2+ stays equivocal (its score needs ISH anyway), any other is unusable.
  if (reading.mismatch)
    return reading.score === "2+" ? { ihc: "equivocal" } : { ihcMissing: reading.message };
  if (
    reading.score === undefined &&
    reading.reportedCall !== undefined &&
    reading.reportedCall !== "indeterminate"
  ) {
    const call = reading.reportedCall;
    return {
      ihc: call,
      ihcUnscored: text("reason.ihc-unscored", { reading: reading.message, call: callText(call) }),
    };
  }
  const call = preferReported
    ? (reading.reportedCall ?? reading.scoreCall)
    : (reading.scoreCall ?? reading.reportedCall);
  if (call === undefined || call === "indeterminate") return { ihcMissing: reading.message };
  return reading.score !== undefined && reading.scoreCall === call
    ? { ihc: call, ihcScore: reading.score }
    : { ihc: call };
}

function dualView(reading: DualReading | undefined, preferReported: boolean): DualView | undefined {
  if (!reading) return undefined;
  if (reading.mismatch) return { kind: "missing", reason: reading.message };
  // Rules 2.0.0 (issue 12.5): "equivocal" is the 2013 ISH category that Wolff 2018 replaced with groups 2-4 and their
  // IHC work-up; with the ratio and HER2 copy number on record the 2018 group decides (a recount on record counts).
  const equivocal2013 = reading.reportedCall === "equivocal" && reading.row !== undefined;
  if (preferReported && reading.reportedCall && !equivocal2013)
    return { kind: "call", call: reading.reportedCall };
  if (reading.row) return { kind: "group", row: reading.row, recount: reading.recount };
  if (reading.reportedCall) return { kind: "call", call: reading.reportedCall };
  return { kind: "missing", reason: reading.missingText ?? "no usable values" };
}

function singleView(reading: SingleReading | undefined, preferReported: boolean): SingleView | undefined {
  if (!reading) return undefined;
  if (reading.mismatch) return { kind: "missing", reason: reading.message };
  if (preferReported && reading.reportedCall) return { kind: "call", call: reading.reportedCall };
  if (reading.row) return { kind: "band", row: reading.row };
  if (reading.reportedCall) return { kind: "call", call: reading.reportedCall };
  return { kind: "missing", reason: reading.missingText ?? "no usable values" };
}

/** The specimen as its numbers and scores say (measured), or as the laboratory reported each test (reported). */
function view(readings: Readings, preferReported: boolean): SpecimenView {
  const ihc = ihcView(readings.ihc, preferReported);
  return {
    ihc: ihc.ihc,
    ihcMissing: ihc.ihcMissing,
    ihcUnscored: ihc.ihcUnscored,
    ihcScore: ihc.ihcScore,
    dual: dualView(readings.dual, preferReported),
    single: singleView(readings.single, preferReported),
  };
}

function hasReportedCall(readings: Readings): boolean {
  return (
    readings.ihc?.reportedCall !== undefined ||
    readings.dual?.reportedCall !== undefined ||
    readings.single?.reportedCall !== undefined
  );
}

function componentMismatches(latest: Latest, readings: Readings, group: SpecimenGroup): Mismatch[] {
  const out: Mismatch[] = [];
  addMismatch(out, latest.ihc, readings.ihc, group);
  addMismatch(out, latest.dual, readings.dual, group);
  addMismatch(out, latest.single, readings.single, group);
  return out;
}

function addMismatch(
  out: Mismatch[],
  record: Her2TestRecord | undefined,
  reading: { mismatch: boolean; message: TextValue } | undefined,
  group: SpecimenGroup,
): void {
  if (record && reading?.mismatch) {
    out.push({
      message: text("flag.self-contradiction.message", {
        specimen: capitalisedNameText(group),
        reading: reading.message,
      }),
      action: text("flag.self-contradiction.action", { name: specimenNameText(group) }),
      evidence: [record.source],
      severity: "action",
    });
  }
}

/**
 * IHC and ISH on the same specimen pointing opposite ways: IHC 3+ with a negative ISH (dual-probe group 5 or
 * single-probe < 4.0), or IHC 0/1+ with a positive ISH (group 1 or single-probe >= 6.0). Positive by either test is
 * HER2-positive (Wolff 2018, Figs. 1-3), so the call stands, but the disagreement is reviewed, not hidden.
 */
function withIhcIshDiscordance(
  discordances: readonly Discordance[],
  readings: Readings,
  latest: Latest,
  group: SpecimenGroup,
): readonly Discordance[] {
  const ihc = ihcView(readings.ihc, false).ihc;
  if (!latest.ihc || (ihc !== "positive" && ihc !== "negative")) return discordances;
  // The ISH read without the IHC: groups 2-4 and single-probe 4.0-6.0 then need work-up and are not opposite.
  const ish = combine({ dual: dualView(readings.dual, false), single: singleView(readings.single, false) });
  const ishRecord = latest.dual ?? latest.single;
  if (!ishRecord || !isConclusive(ish.call) || ish.call === ihc) return discordances;
  const ihcText: TextValue = readings.ihc?.message ?? "IHC";
  return [
    ...discordances,
    {
      severity: "warning",
      message: text("flag.ihc-ish.message", {
        specimen: capitalisedNameText(group),
        ihc: latest.ihc.source,
        ihcReading: ihcText,
        ish: ishRecord.source,
        ishReason: reasonValue(ish),
      }),
      action: text("flag.ihc-ish.action", { name: specimenNameText(group) }),
      evidence: [latest.ihc.source, ishRecord.source],
    },
  ];
}

function componentSources(latest: Latest): ResourceRef[] {
  const sources: ResourceRef[] = [];
  if (latest.ihc) sources.push(latest.ihc.source);
  if (latest.dual) sources.push(latest.dual.source);
  if (latest.single) sources.push(latest.single.source);
  return sources;
}

const LAB_OUTCOMES = new OutcomeCache();

/** The laboratory's own call as the specimen's, with what the tests (as reported) still need. */
function labOutcome(call: Call, need: Need | undefined): Outcome {
  return LAB_OUTCOMES.get(
    call,
    need ?? "",
    () => new TextOutcome(call, text("reason.lab-interpretation", { call: callWords(call) }), need),
  );
}

/** Drops a need that a pending test on the same specimen will meet, saying so in the reason. */
function withPending(
  need: Need | undefined,
  final: Outcome,
  group: SpecimenGroup,
): { need?: Need; reason: string; reasonText?: Text } {
  const { reason, reasonText } = final;
  if (!need) return { reason, reasonText };
  const pendingMethods = new Set(group.pending.map((r) => r.method));
  const pendingIsh = pendingMethods.has("ish-dual") || pendingMethods.has("ish-single");
  const met =
    (need === "reflex-ish" && pendingIsh) ||
    (need === "ihc-workup" && pendingMethods.has("ihc")) ||
    (need === "dual-probe" && pendingMethods.has("ish-dual")) ||
    ((need === "recount" || need === "recount-adjudication") &&
      (pendingMethods.has("ish-dual") || pendingMethods.has("interpretation")));
  if (!met) return { need, reason, reasonText };
  const pending = text("reason.pending", { reason: reasonValue(final) });
  return { reason: en(pending), reasonText: pending };
}

/** The text with its first letter in upper case, for messages that start with a specimen name. */
export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * specimenName with its first letter in upper case, for the start of a message. Written directly rather than by
 * capitalisedName(group), which would copy the joined text once more.
 */
export function capitalisedName(group: SpecimenGroup): string {
  return en(capitalisedNameText(group));
}

/** capitalisedName as a message descriptor (a reference is a value as it is). */
export function capitalisedNameText(group: SpecimenGroup): TextValue {
  if (group.label) return text("specimen.name.label.start", { label: group.label });
  if (group.reference) return capitalise(group.reference);
  return group.date ? text("specimen.name.dated.start", { date: group.date }) : UNDATED_START;
}

/** A short name for a specimen in messages: its label, else its reference, else its date. */
export function specimenName(group: SpecimenGroup): string {
  return en(specimenNameText(group));
}

/** specimenName as a message descriptor. */
export function specimenNameText(group: SpecimenGroup): TextValue {
  if (group.label) return text("specimen.name.label", { label: group.label });
  if (group.reference) return group.reference;
  return group.date ? text("specimen.name.dated", { date: group.date }) : UNDATED;
}

const UNDATED = text("specimen.name.undated");
const UNDATED_START = text("specimen.name.undated.start");

function readAll(latest: Latest): Readings {
  return {
    ihc: latest.ihc && readIhc(latest.ihc),
    dual: latest.dual && readDualIsh(latest.dual),
    single: latest.single && readSingleIsh(latest.single),
    interpretation: asCall(latest.interpretation?.reported),
  };
}

/** What an interpretation record reads as, by its call, written once (an evidence list often has several). */
const INTERPRETATION_TEXTS: ReadonlyMap<Call | undefined, ReadingText> = new Map(
  CALLS.map((call) => [call, sharedReading(text("reading.interpretation", { call: callText(call) }))]),
);
const NO_CALL = sharedReading(text("reading.interpretation.none"));

/** The reading of one record on its own, for the evidence list: English and its message. */
export function recordReading(record: ReadableRecord): { text: string; message: TextValue } {
  switch (record.method) {
    case "ihc":
      return readIhc(record);
    case "ish-dual":
      return readDualIsh(record);
    case "ish-single":
      return readSingleIsh(record);
    case "interpretation":
      return INTERPRETATION_TEXTS.get(asCall(record.reported)) ?? NO_CALL;
  }
}

/** The reading of one record on its own, in English. */
export function readRecord(record: ReadableRecord): string {
  return recordReading(record).text;
}

/**
 * What the rules read a record as: for a record its specimen kept, the reading the specimen's call rests on (already
 * made); for any other, its own reading.
 */
export function readingText(
  record: ReadableRecord,
  result: SpecimenResult | undefined,
): { text: string; message: TextValue } {
  if (result) {
    const { latest, readings } = result;
    if (record === latest.ihc && readings.ihc) return readings.ihc;
    if (record === latest.dual && readings.dual) return readings.dual;
    if (record === latest.single && readings.single) return readings.single;
  }
  return recordReading(record);
}

/** Combines one specimen's tests into its call, with the laboratory's call taken as final where present. */
export function assessSpecimen(group: SpecimenGroup): SpecimenResult {
  // The specimen's name is built only when a message needs it.
  const latest = latestByMethod(group.records, group);
  const readings = readAll(latest);
  const measuredOutcome = combine(view(readings, false));
  const interpretation = readings.interpretation;
  // A conclusive interpretation is final as it stands; otherwise the tests (as reported) say what is still needed.
  const reportedOutcome =
    interpretation && isConclusive(interpretation)
      ? undefined
      : hasReportedCall(readings)
        ? combine(view(readings, true))
        : measuredOutcome;
  const final: Outcome = interpretation
    ? labOutcome(interpretation, reportedOutcome?.need)
    : (reportedOutcome ?? measuredOutcome);
  const mismatches = componentMismatches(latest, readings, group);
  const evidence = [
    ...(latest.interpretation ? [latest.interpretation.source] : []),
    ...componentSources(latest),
  ];
  // One flag per contradiction: a test whose own call contradicts its numbers already explains the specimen's.
  const contradicted =
    mismatches.length === 0 && isConclusive(measuredOutcome.call) && final.call !== measuredOutcome.call;
  // A conclusive lab call opposite to conclusive components: no guideline path reaches it (Wolff 2018, Figs. 1-6).
  const unreachable = contradicted && isConclusive(final.call);
  if (unreachable) {
    mismatches.push({
      message: text("flag.unreachable.message", {
        specimen: capitalisedNameText(group),
        call: callWords(final.call),
        reason: reasonValue(measuredOutcome),
      }),
      action: text("flag.unreachable.action", { name: specimenNameText(group) }),
      evidence,
      severity: "action",
    });
    const reasonText = text("reason.unreachable", {
      call: callWords(final.call),
      reason: reasonValue(measuredOutcome),
    });
    return {
      group,
      call: "indeterminate",
      reason: en(reasonText),
      reasonText,
      superseded: latest.superseded,
      mismatches,
      discordances: withIhcIshDiscordance(latest.discordances, readings, latest, group),
      negativeIsh: false,
      latest,
      readings,
    };
  }
  if (contradicted) {
    mismatches.push({
      message: text("flag.contradicted.message", {
        specimen: capitalisedNameText(group),
        call: callWords(final.call),
        reason: reasonValue(measuredOutcome),
      }),
      action: text("flag.contradicted.action", { name: specimenNameText(group) }),
      evidence,
    });
  }
  // A conclusive laboratory call includes work the data may not show (a recount, the IHC work-up).
  const need = isConclusive(final.call) ? undefined : final.need;
  const pending = withPending(need, final, group);
  const conflict = latest.discordances.find((d) => d.severity === "action");
  if (conflict) {
    // Which of two same-date results is valid is for the laboratory to say: never a conclusive call from either.
    const reasonText = text("reason.conflict", { evidence: conflict.evidence.join(", ") });
    return {
      group,
      call: "indeterminate",
      reason: en(reasonText),
      reasonText,
      superseded: latest.superseded,
      mismatches,
      discordances: latest.discordances,
      negativeIsh: false,
      latest,
      readings,
    };
  }
  return {
    group,
    call: final.call,
    reason: pending.reason,
    reasonText: pending.reasonText,
    need: pending.need,
    ihcEquivocal: readings.ihc?.score === "2+" ? latest.ihc : undefined,
    ihcScore: readings.ihc?.score,
    zeroDetail: readings.ihc?.zeroDetail,
    superseded: latest.superseded,
    mismatches,
    discordances: withIhcIshDiscordance(latest.discordances, readings, latest, group),
    // An ISH was done and the specimen's final call is negative (a group 2-4 the laboratory adjudicated included),
    // unless the ISH's own numbers say positive.
    negativeIsh:
      (latest.dual !== undefined || latest.single !== undefined) &&
      final.call === "negative" &&
      measuredOutcome.call !== "positive",
    latest,
    readings,
  };
}

const CALL_RANK: Record<string, number> = { positive: 0, negative: 1, equivocal: 2, indeterminate: 3 };

/**
 * Most recent specimen first. On the same date a positive before a negative (positive by either test is
 * HER2-positive; the disagreement is flagged as discordant), then by key so input order never matters.
 */
export function bySpecimenRecency(a: SpecimenResult, b: SpecimenResult): number {
  return (
    newestFirst(a.group.date, b.group.date) ||
    (CALL_RANK[a.call] ?? 9) - (CALL_RANK[b.call] ?? 9) ||
    byText(a.group.key, b.group.key)
  );
}

/** The specimen for messages: name, body site and date, e.g. "specimen S-24-1234 (Liver, 2024-03-02)". */
export function specimenDescription(group: SpecimenGroup): string {
  return en(specimenDescriptionText(group));
}

/** specimenDescription with its first letter in upper case, for the start of a message. */
export function capitalisedDescription(group: SpecimenGroup): string {
  return en(capitalisedDescriptionText(group));
}

/** specimenDescription as a message descriptor. */
export function specimenDescriptionText(group: SpecimenGroup): TextValue {
  return describeSpecimen(group, specimenNameText(group));
}

/** capitalisedDescription as a message descriptor. */
export function capitalisedDescriptionText(group: SpecimenGroup): TextValue {
  return describeSpecimen(group, capitalisedNameText(group));
}

function describeSpecimen(group: SpecimenGroup, name: TextValue): TextValue {
  // specimenName already names the date when the specimen has no label or reference.
  const named = group.label !== undefined || group.reference !== undefined;
  const date = named ? group.date : undefined;
  // The body site is the record's own words, a value as it is.
  const details =
    group.bodySite && date
      ? text("specimen.details", { site: group.bodySite, date })
      : (group.bodySite ?? date);
  return details ? text("specimen.described", { name, details }) : name;
}

/** The records the specimen's call rests on (those not superseded on the same specimen). */
export function usedSources(result: SpecimenResult): ResourceRef[] {
  const sources: ResourceRef[] = [];
  for (const r of result.group.records) if (!result.superseded.has(r.source)) sources.push(r.source);
  return sources;
}
