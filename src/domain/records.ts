/**
 * Which HER2 records the rules may use, by their result status (FHIR Observation.status) and date.
 * registered / preliminary: pending (flagged, never used for the status); final / amended / corrected: used;
 * cancelled / entered-in-error, or superseded by an amended or corrected result: never used, listed as not used so
 * adding one can never change the status;
 * status unknown, a record the FHIR layer could not read, an ISH record with a number outside its plausible range
 * (`PLAUSIBLE_ISH_RANGES`), or one dated (or its specimen collected) after the assessment date: unreadable.
 */
import { byText, calendarDate, newestFirst } from "./dates";
import { implausibleIshNumbers } from "./ish";
import { en, type MessageId, text, type TextValue } from "./text";
import type { Her2TestRecord, IsoDate } from "./types";

export type RecordUse =
  | { use: "active" }
  | { use: "pending" }
  | { use: "ignored"; reason: string; text: TextValue }
  | { use: "unreadable"; reason: string; text: TextValue };

const ACTIVE: RecordUse = { use: "active" };
const PENDING: RecordUse = { use: "pending" };

function ignoredUse(id: MessageId): RecordUse {
  const message = text(id);
  return { use: "ignored", reason: en(message), text: message };
}

// Shared, never modified (one of these per cancelled record).
const IGNORED: Partial<Record<string, RecordUse>> = {
  cancelled: ignoredUse("record.cancelled"),
  "entered-in-error": ignoredUse("record.entered-in-error"),
};

/**
 * The use of a record whose reason is a message (`text`; `reason` is its English rendering). A value a record or the
 * FHIR layer wrote stays a plain string inside it.
 */
function withReason(use: "ignored" | "unreadable", message: TextValue): RecordUse {
  return { use, reason: en(message), text: message };
}

/** Why a record with this status is not used, when it is cancelled or entered in error. */
function ignoredReason(status: string): RecordUse | undefined {
  switch (status) {
    // The usual statuses answered without a table look-up (this runs for every record).
    case "final":
    case "amended":
    case "corrected":
    case "registered":
    case "preliminary":
      return undefined;
    default:
      return IGNORED[status];
  }
}

// Guards data from outside TypeScript: a method the rules do not know is never guessed at.
function isReadableMethod(method: unknown): boolean {
  switch (method) {
    case "ihc":
    case "ish-dual":
    case "ish-single":
    case "interpretation":
      return true;
    default:
      return false;
  }
}

/** The calendar date of the test (effective date, else the specimen's collection date). */
export function testDate(record: Her2TestRecord): IsoDate | undefined {
  return calendarDate(record.date) ?? calendarDate(record.specimen?.collected);
}

/** Decides whether a record is used, pending, ignored or unreadable as of the assessment date. */
export function triage(
  record: Her2TestRecord,
  asOf: IsoDate | undefined,
  date: IsoDate | undefined = testDate(record),
): RecordUse {
  const ignored = ignoredReason(record.status);
  if (ignored) return ignored;
  // Issue 12 point 5 (rules 2.0.0): HER2 status is an IHC / ISH result on invasive tumour tissue (Wolff 2018, affirmed
  // by Wolff 2023); a serum HER2 level or an ERBB2 variant is listed with its reason, never used.
  if (typeof record.notTissueHer2 === "string") {
    // The FHIR layer writes the reason on an unreadable record, as its `reason` and `reasonText`.
    const reason =
      record.method === "unreadable" && record.reason === record.notTissueHer2
        ? (record.reasonText ?? record.reason)
        : record.notTissueHer2;
    return withReason("ignored", text("record.not-tissue-her2", { reason }));
  }
  // Issue 12 point 5: an amended or corrected version replaces the result it amends, however the EHR stores it.
  if (typeof record.supersededBy === "string") {
    return withReason("ignored", text("record.superseded-by", { resource: record.supersededBy }));
  }
  if (record.method === "unreadable") {
    // The FHIR layer's reason, with its descriptor where it wrote one.
    return record.reason
      ? { use: "unreadable", reason: record.reason, text: record.reasonText ?? record.reason }
      : withReason("unreadable", text("record.not-interpreted"));
  }
  const method: unknown = record.method;
  if (!isReadableMethod(method)) {
    return withReason("unreadable", text("record.unknown-method", { method: String(method) }));
  }
  if (record.method === "ish-dual" || record.method === "ish-single") {
    // A number no count can give is a data error: never a group, never the laboratory's call beside it.
    const implausible = implausibleIshNumbers(record);
    if (implausible) return withReason("unreadable", implausible);
  }
  // The specimen's collection date too: it dates the specimen the status rests on ("most recent"), so tissue
  // collected after "today" is the same data error as a test dated after it.
  const late = asOf === undefined ? undefined : laterThan(asOf, date, record.specimen?.collected);
  if (asOf !== undefined && late !== undefined) {
    // Never dropped silently (that could read as "no result"), and never used either: a date after "today" is a
    // data error or a time-zone skew the rules cannot tell apart, so the conservative reading is "cannot be read"
    // (listed and flagged) rather than a one-day tolerance that would base a status on it.
    return withReason("unreadable", text("record.dated-after", { date: late, asOf }));
  }
  switch (record.status) {
    case "registered":
    case "preliminary":
      return PENDING;
    case "final":
    case "amended":
    case "corrected":
      return ACTIVE;
    default:
      return withReason("unreadable", text("record.status-not-final", { status: record.status }));
  }
}

const STATUS_RANK: Partial<Record<string, number>> = { corrected: 0, amended: 0, final: 1 };

/** A record with its test date read once, for sorting. */
export interface DatedRecord {
  record: Her2TestRecord;
  date: IsoDate | undefined;
  /** statusRank(record), read once. */
  rank: number;
}

/** Same-date order of result statuses: a corrected or amended result before a final one. */
export function statusRank(record: Her2TestRecord): number {
  switch (record.status) {
    // The usual statuses answered without a table look-up (this runs for every record).
    case "final":
      return 1;
    case "amended":
    case "corrected":
      return 0;
    case "registered":
    case "preliminary":
    case "cancelled":
    case "entered-in-error":
      return 2;
    default:
      return STATUS_RANK[record.status] ?? 2;
  }
}

/**
 * Newest first; on the same date a corrected or amended result before a final one; then by source so the order
 * never depends on the input order.
 */
export function newestRecordFirst(a: DatedRecord, b: DatedRecord): number {
  return newestFirst(a.date, b.date) || a.rank - b.rank || byText(a.record.source, b.record.source);
}

/** A record with its date and use, as the patient-level rules see it. */
export interface Triaged extends DatedRecord {
  use: RecordUse;
}

/** The first of the test date and the collection date that is after `asOf` (no array or closure: run per record). */
function laterThan(
  asOf: IsoDate,
  date: IsoDate | undefined,
  collected: string | undefined,
): IsoDate | undefined {
  if (date !== undefined && date > asOf) return date;
  if (collected === undefined) return undefined;
  const day = calendarDate(collected);
  return day !== undefined && day > asOf ? day : undefined;
}
