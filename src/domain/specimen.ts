/**
 * Specimen-level interpretation: each specimen's IHC, ISH and reported interpretation (grouped in grouping.ts) are
 * combined into one call. The laboratory's own call (an interpretation record, or `reported` on a
 * test) is its conclusion and is used; where it contradicts the components, it is still used and the contradiction
 * is reported (`interpretation-mismatch`).
 */
import { asCall, type Call, isConclusive, type Need, type Outcome } from "./calls";
import { combine, type DualView, type SingleView, type SpecimenView } from "./combine";
import { byText, newestFirst } from "./dates";
import { readIhc, type IhcReading } from "./ihc";
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
  message: string;
  evidence: ResourceRef[];
}

export interface SpecimenResult {
  group: SpecimenGroup;
  call: Call;
  reason: string;
  /** Work still needed for a final result (none when a pending test will supply it or the lab gave a final call). */
  need?: Need;
  /** The newest IHC 2+ record, for the reflex-ISH action text. */
  ihcEquivocal?: IhcRecord;
  ihcScore?: IhcScore;
  zeroDetail?: IhcZeroDetail;
  /** Records replaced by a newer record of the same method on this specimen. */
  superseded: ReadonlySet<ResourceRef>;
  mismatches: Mismatch[];
}

/** The newest record of each method on a specimen; older ones of the same method are superseded. */
interface Latest {
  ihc?: IhcRecord;
  dual?: DualIshRecord;
  single?: SingleIshRecord;
  interpretation?: InterpretationRecord;
  superseded: ReadonlySet<ResourceRef>;
}

const NONE_SUPERSEDED: ReadonlySet<ResourceRef> = new Set();

function latestByMethod(records: readonly ReadableRecord[]): Latest {
  // Records arrive newest first: the first of each method is the latest, the rest are superseded.
  const latest: Latest = { superseded: NONE_SUPERSEDED };
  let superseded: Set<ResourceRef> | undefined;
  for (const r of records) {
    if (!takeIfFirst(latest, r)) (superseded ??= new Set()).add(r.source);
  }
  if (superseded) latest.superseded = superseded;
  return latest;
}

/** Keeps the record as its method's latest when it is the first of its method; false when one was already kept. */
function takeIfFirst(latest: Latest, record: ReadableRecord): boolean {
  switch (record.method) {
    case "ihc":
      if (latest.ihc) return false;
      latest.ihc = record;
      return true;
    case "ish-dual":
      if (latest.dual) return false;
      latest.dual = record;
      return true;
    case "ish-single":
      if (latest.single) return false;
      latest.single = record;
      return true;
    case "interpretation":
      if (latest.interpretation) return false;
      latest.interpretation = record;
      return true;
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
): Pick<SpecimenView, "ihc" | "ihcMissing"> {
  if (!reading) return {};
  const call = preferReported
    ? (reading.reportedCall ?? reading.scoreCall)
    : (reading.scoreCall ?? reading.reportedCall);
  if (call === undefined || call === "indeterminate") return { ihcMissing: reading.text };
  return { ihc: call };
}

function dualView(reading: DualReading | undefined, preferReported: boolean): DualView | undefined {
  if (!reading) return undefined;
  if (preferReported && reading.reportedCall) return { kind: "call", call: reading.reportedCall };
  if (reading.row) return { kind: "group", row: reading.row, recount: reading.recount };
  if (reading.reportedCall) return { kind: "call", call: reading.reportedCall };
  return { kind: "missing", reason: reading.missing ?? "no usable values" };
}

function singleView(reading: SingleReading | undefined, preferReported: boolean): SingleView | undefined {
  if (!reading) return undefined;
  if (preferReported && reading.reportedCall) return { kind: "call", call: reading.reportedCall };
  if (reading.row) return { kind: "band", row: reading.row };
  if (reading.reportedCall) return { kind: "call", call: reading.reportedCall };
  return { kind: "missing", reason: reading.missing ?? "no usable values" };
}

/** The specimen as its numbers and scores say (measured), or as the laboratory reported each test (reported). */
function view(readings: Readings, preferReported: boolean): SpecimenView {
  const ihc = ihcView(readings.ihc, preferReported);
  return {
    ihc: ihc.ihc,
    ihcMissing: ihc.ihcMissing,
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

function componentMismatches(latest: Latest, readings: Readings, where: string): Mismatch[] {
  const out: Mismatch[] = [];
  addMismatch(out, latest.ihc, readings.ihc, where);
  addMismatch(out, latest.dual, readings.dual, where);
  addMismatch(out, latest.single, readings.single, where);
  return out;
}

function addMismatch(
  out: Mismatch[],
  record: Her2TestRecord | undefined,
  reading: { mismatch: boolean; text: string } | undefined,
  where: string,
): void {
  if (record && reading?.mismatch) {
    out.push({
      message: `${capitalise(where)}: ${reading.text}. The laboratory's call is used; check it with the laboratory.`,
      evidence: [record.source],
    });
  }
}

function componentSources(latest: Latest): ResourceRef[] {
  const sources: ResourceRef[] = [];
  if (latest.ihc) sources.push(latest.ihc.source);
  if (latest.dual) sources.push(latest.dual.source);
  if (latest.single) sources.push(latest.single.source);
  return sources;
}

/** Drops a need that a pending test on the same specimen will meet, saying so in the reason. */
function withPending(
  need: Need | undefined,
  reason: string,
  group: SpecimenGroup,
): { need?: Need; reason: string } {
  if (!need) return { reason };
  const pendingMethods = new Set(group.pending.map((r) => r.method));
  const pendingIsh = pendingMethods.has("ish-dual") || pendingMethods.has("ish-single");
  const met =
    (need === "reflex-ish" && pendingIsh) ||
    (need === "ihc-workup" && pendingMethods.has("ihc")) ||
    (need === "dual-probe" && pendingMethods.has("ish-dual")) ||
    ((need === "recount" || need === "recount-adjudication") &&
      (pendingMethods.has("ish-dual") || pendingMethods.has("interpretation")));
  return met ? { reason: `${reason}; a result on this specimen is pending` } : { need, reason };
}

/** The text with its first letter in upper case, for messages that start with a specimen name. */
export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A short name for a specimen in messages: its label, else its reference, else its date. */
export function specimenName(group: SpecimenGroup): string {
  if (group.label) return `specimen ${group.label}`;
  if (group.reference) return group.reference;
  return group.date ? `the specimen of ${group.date}` : "an undated specimen";
}

/** Keeps the readings' texts for the evidence list, so no record is read twice. */
function keepTexts(texts: Map<ReadableRecord, string>, latest: Latest, readings: Readings): void {
  if (latest.ihc && readings.ihc) texts.set(latest.ihc, readings.ihc.text);
  if (latest.dual && readings.dual) texts.set(latest.dual, readings.dual.text);
  if (latest.single && readings.single) texts.set(latest.single, readings.single.text);
}

function readAll(latest: Latest): Readings {
  return {
    ihc: latest.ihc && readIhc(latest.ihc),
    dual: latest.dual && readDualIsh(latest.dual),
    single: latest.single && readSingleIsh(latest.single),
    interpretation: asCall(latest.interpretation?.reported),
  };
}

/** The reading of one record on its own, for the evidence list. */
export function readRecord(record: ReadableRecord): string {
  switch (record.method) {
    case "ihc":
      return readIhc(record).text;
    case "ish-dual":
      return readDualIsh(record).text;
    case "ish-single":
      return readSingleIsh(record).text;
    case "interpretation": {
      const call = asCall(record.reported);
      return call ? `Reported interpretation: ${call}` : "Interpretation without a usable call";
    }
  }
}

/** Combines one specimen's tests into its call, with the laboratory's call taken as final where present. */
export function assessSpecimen(group: SpecimenGroup, texts?: Map<ReadableRecord, string>): SpecimenResult {
  const latest = latestByMethod(group.records);
  const readings = readAll(latest);
  if (texts) keepTexts(texts, latest, readings);
  const where = specimenName(group);
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
    ? {
        call: interpretation,
        reason: `laboratory interpretation: ${interpretation}`,
        need: reportedOutcome?.need,
      }
    : (reportedOutcome ?? measuredOutcome);
  const mismatches = componentMismatches(latest, readings, where);
  // One flag per contradiction: a test whose own call contradicts its numbers already explains the specimen's.
  if (mismatches.length === 0 && isConclusive(measuredOutcome.call) && final.call !== measuredOutcome.call) {
    mismatches.push({
      message: `${capitalise(where)}: the laboratory's call (${final.call}) contradicts its components (${measuredOutcome.reason}). The laboratory's call is used; check it with the laboratory.`,
      evidence: [
        ...(latest.interpretation ? [latest.interpretation.source] : []),
        ...componentSources(latest),
      ],
    });
  }
  // A conclusive laboratory call includes work the data may not show (a recount, the IHC work-up).
  const need = isConclusive(final.call) ? undefined : final.need;
  const pending = withPending(need, final.reason, group);
  return {
    group,
    call: final.call,
    reason: pending.reason,
    need: pending.need,
    ihcEquivocal: readings.ihc?.score === "2+" ? latest.ihc : undefined,
    ihcScore: readings.ihc?.score,
    zeroDetail: readings.ihc?.zeroDetail,
    superseded: latest.superseded,
    mismatches,
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
  // specimenName already names the date when the specimen has no label or reference.
  const named = group.label !== undefined || group.reference !== undefined;
  const date = named ? group.date : undefined;
  const details = group.bodySite && date ? `${group.bodySite}, ${date}` : (group.bodySite ?? date);
  return details ? `${specimenName(group)} (${details})` : specimenName(group);
}

/** The records the specimen's call rests on (those not superseded on the same specimen). */
export function usedSources(result: SpecimenResult): ResourceRef[] {
  const sources: ResourceRef[] = [];
  for (const r of result.group.records) if (!result.superseded.has(r.source)) sources.push(r.source);
  return sources;
}
