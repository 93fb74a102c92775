/** The evidence list: one item per HER2 record, what the rules read it as, and whether the status rests on it. */
import { reasonValue } from "./calls";
import { ishValue } from "./ish";
import type { RecordUse, Triaged } from "./records";
import { bySpecimenRecency, readingText, type SpecimenResult } from "./specimen";
import { en, type Text, text, type TextValue } from "./text";
import type { EvidenceItem, EvidenceTexts, Her2TestRecord, IsoDate } from "./types";

/**
 * The recorded value in short: "2+", "ratio 2.3, HER2 4.5/cell", "positive", with the rules' message when the words
 * are the rules' own ("no score", "no call").
 */
export function recordValue(record: Her2TestRecord): { text: string; message?: Text } | undefined {
  switch (record.method) {
    case "ihc":
      return typeof record.score === "string"
        ? { text: record.score }
        : recorded(record.reported ?? record.rawValue, NO_SCORE);
    case "ish-dual":
    case "ish-single":
      // The English shorthand ("ratio 2.3, HER2 4.5/cell") with its words as a message beside it (ish.ts).
      return ishValue(record);
    case "interpretation":
      return recorded(record.reported ?? record.rawValue, NO_CALL);
    case "unreadable":
      return recorded(record.rawValue, UNREADABLE_VALUE);
  }
  // A method outside the type (data from outside TypeScript): no value, as before the value was a message.
  return undefined;
}

/** The value as recorded, or the rules' words for its absence. */
function recorded(value: string | undefined, absent: { text: string; message: Text }) {
  return value === undefined ? absent : { text: value };
}

function valueText(message: Text): { text: string; message: Text } {
  return { text: en(message), message };
}
const NO_SCORE = valueText(text("value.no-score"));
const NO_CALL = valueText(text("value.no-call"));
const UNREADABLE_VALUE = valueText(text("value.unreadable"));

export interface Usage {
  used: boolean;
  notUsedReason?: string;
  /** `notUsedReason` as a message descriptor, when the rules wrote it. */
  reasonText?: Text;
}

/** A usage "not used" for a reason the rules wrote: `notUsedReason` is the message's English rendering. */
export function notUsed(message: Text): Usage {
  return { used: false, notUsedReason: en(message), reasonText: message };
}

/**
 * One evidence item for a record. Every item has the same fields in the same order (absent ones undefined, which
 * JSON leaves out): one object shape keeps building fifty of them cheap.
 */
export function evidenceItem(
  record: Her2TestRecord,
  date: IsoDate | undefined,
  usage: Usage,
  interpretation: { text: string; message: TextValue } | undefined,
): EvidenceItem {
  const s = record.specimen;
  const value = recordValue(record);
  return {
    resource: record.source,
    method: record.method,
    value: value?.text as string,
    date,
    specimen: s?.reference ?? s?.label,
    specimenLabel: s?.label,
    bodySite: s?.bodySite,
    status: record.status,
    interpretation: interpretation?.text,
    readAs: record.readAs,
    rawValue: record.rawValue,
    used: usage.used,
    notUsedReason: usage.notUsedReason,
    textOnly: record.textOnly,
    i18n: evidenceTexts(value?.message, interpretation?.message, usage.reasonText, record.readAsText),
  };
}

/** The item's texts as messages, present when the rules wrote one of them. */
function evidenceTexts(
  value: Text | undefined,
  interpretation: TextValue | undefined,
  notUsedReason: Text | undefined,
  readAs: Text | undefined,
): EvidenceTexts | undefined {
  const reading = typeof interpretation === "object" ? interpretation : undefined;
  if (!value && !reading && !notUsedReason && !readAs) return undefined;
  const texts: EvidenceTexts = {};
  if (value) texts.value = value;
  if (reading) texts.interpretation = reading;
  if (notUsedReason) texts.notUsedReason = notUsedReason;
  if (readAs) texts.readAs = readAs;
  return texts;
}

// Shared, never modified: most records have one of these usages, and evidenceItem copies the fields.
const USED: Usage = { used: true };
const PENDING = notUsed(text("evidence.pending"));
const UNREADABLE = notUsed(text("evidence.unreadable"));
const SUPERSEDED_ON_SPECIMEN = notUsed(text("evidence.superseded-on-specimen"));
const SAME_DATE_GOVERNS = notUsed(text("evidence.same-date-governs"));
const SUPERSEDED_BY_SPECIMEN = notUsed(text("evidence.superseded-by-specimen"));

/** Why the records of a specimen that does not set the status are not used: the same for each of its records. */
function otherSpecimenUsage(result: SpecimenResult, governing: SpecimenResult | undefined): Usage {
  if (governing && bySpecimenRecency(governing, result) < 0) {
    return governing.group.date === result.group.date ? SAME_DATE_GOVERNS : SUPERSEDED_BY_SPECIMEN;
  }
  // The specimen's reason as a message where the rules wrote one (combine.ts, ish.ts's group and band reasons).
  return notUsed(text("evidence.not-conclusive", { reason: reasonValue(result) }));
}

/**
 * What the rules read a record as: the specimen rules' reading when they made one, else the record's own. `result` is
 * the record's specimen result, when the record is used.
 */
export function interpretationOf(
  record: Her2TestRecord,
  result: SpecimenResult | undefined,
): { text: string; message: TextValue } | undefined {
  // The FHIR layer's reason for an unreadable record, with its descriptor where it wrote one.
  return record.method === "unreadable"
    ? plainReading(record.reason, record.reasonText)
    : readingText(record, result);
}

function plainReading(
  reason: string | undefined,
  message: Text | undefined,
): { text: string; message: TextValue } | undefined {
  return reason === undefined ? undefined : { text: reason, message: message ?? reason };
}

/** The last specimen whose records were listed, with its usage when it does not set the status. */
interface LastSpecimen {
  result: SpecimenResult | undefined;
  usage: Usage;
}

/**
 * Whether the status rests on a record, and if not, why not (the returned object may be shared: do not modify).
 * `result` is the record's specimen result, when the record is used.
 */
function usageOf(
  record: Her2TestRecord,
  use: RecordUse,
  result: SpecimenResult | undefined,
  governing: SpecimenResult | undefined,
  last: LastSpecimen,
  tumours: TumourUsage,
): Usage {
  if (use.use === "pending") return PENDING;
  if (use.use === "ignored") {
    return typeof use.text === "object"
      ? { used: false, notUsedReason: use.reason, reasonText: use.text }
      : { used: false, notUsedReason: use.reason };
  }
  if (use.use === "unreadable" || record.method === "unreadable" || !result) return UNREADABLE;
  if (result === governing || tumours.governing.has(result)) {
    return result.superseded.has(record.source) ? SUPERSEDED_ON_SPECIMEN : USED;
  }
  if (result !== last.result) {
    last.result = result;
    last.usage = tumours.notes.get(result) ?? otherSpecimenUsage(result, governing);
  }
  return last.usage;
}

/**
 * Specimens that govern a tumour of their own besides the patient's governing specimen (bilateral primaries), and
 * specimens with a reason of their own for not being used (residual disease after neoadjuvant therapy).
 */
export interface TumourUsage {
  governing: ReadonlySet<SpecimenResult>;
  notes: ReadonlyMap<SpecimenResult, Usage>;
}

const ONE_TUMOUR: TumourUsage = { governing: new Set(), notes: new Map() };

/**
 * The evidence list: one item per record, in the order given (newest first). `resultOf[i]` is the specimen result of
 * `triaged[i]` when that record is used.
 */
export function evidenceList(
  triaged: readonly Triaged[],
  resultOf: readonly (SpecimenResult | undefined)[],
  governing: SpecimenResult | undefined,
  tumours: TumourUsage = ONE_TUMOUR,
): EvidenceItem[] {
  // A specimen's records usually sit together: the usage of one that does not set the status is worked out once.
  const last: LastSpecimen = { result: undefined, usage: UNREADABLE };
  const list: EvidenceItem[] = [];
  for (let i = 0; i < triaged.length; i++) {
    const { record, date, use } = triaged[i] as Triaged;
    const result = resultOf[i];
    const usage = usageOf(record, use, result, governing, last, tumours);
    list.push(evidenceItem(record, date, usage, interpretationOf(record, result)));
  }
  return list;
}
