/** The evidence list: one item per HER2 record, what the rules read it as, and whether the status rests on it. */
import { ishValue } from "./ish";
import type { RecordUse } from "./records";
import type { ReadableRecord } from "./grouping";
import { bySpecimenRecency, readRecord, type SpecimenResult } from "./specimen";
import type { EvidenceItem, Her2TestRecord, IsoDate } from "./types";

/** The recorded value in short: "2+", "ratio 2.3, HER2 4.5/cell", "positive". */
export function recordValue(record: Her2TestRecord): string {
  switch (record.method) {
    case "ihc":
      return typeof record.score === "string"
        ? record.score
        : (record.reported ?? record.rawValue ?? "no score");
    case "ish-dual":
    case "ish-single":
      return ishValue(record);
    case "interpretation":
      return record.reported ?? record.rawValue ?? "no call";
    case "unreadable":
      return record.rawValue ?? "unreadable";
  }
}

export interface Usage {
  used: boolean;
  notUsedReason?: string;
  interpretation?: string;
}

/**
 * One evidence item for a record. Every item has the same fields in the same order (absent ones undefined, which
 * JSON leaves out): one object shape keeps building fifty of them cheap.
 */
export function evidenceItem(record: Her2TestRecord, date: IsoDate | undefined, usage: Usage): EvidenceItem {
  const s = record.specimen;
  return {
    resource: record.source,
    method: record.method,
    value: recordValue(record),
    date,
    specimen: s?.reference ?? s?.label,
    specimenLabel: s?.label,
    bodySite: s?.bodySite,
    status: record.status,
    interpretation: usage.interpretation,
    readAs: record.readAs,
    rawValue: record.rawValue,
    used: usage.used,
    notUsedReason: usage.notUsedReason,
  };
}

function specimenUsage(
  result: SpecimenResult,
  record: ReadableRecord,
  governing: SpecimenResult | undefined,
): Usage {
  if (result === governing) {
    return result.superseded.has(record.source)
      ? { used: false, notUsedReason: "superseded by a newer result on the same specimen" }
      : { used: true };
  }
  if (governing && bySpecimenRecency(governing, result) < 0) {
    const sameDate = governing.group.date === result.group.date;
    return {
      used: false,
      notUsedReason: sameDate
        ? "another specimen of the same date sets the status"
        : "superseded by a more recent specimen",
    };
  }
  return { used: false, notUsedReason: `not conclusive: ${result.reason}` };
}

/** What the specimen rules already worked out, by record: its specimen's result and its reading. */
export interface EvidenceIndex {
  resultOf: Map<Her2TestRecord, SpecimenResult>;
  texts: Map<ReadableRecord, string>;
}

/** Whether the status rests on a record, and if not, why not. */
export function usageOf(
  record: Her2TestRecord,
  use: RecordUse,
  index: EvidenceIndex,
  governing: SpecimenResult | undefined,
): Usage {
  const interpretation =
    record.method === "unreadable" ? record.reason : (index.texts.get(record) ?? readRecord(record));
  const result = index.resultOf.get(record);
  if (use.use === "pending") return { used: false, notUsedReason: "pending", interpretation };
  if (use.use === "ignored") return { used: false, notUsedReason: use.reason, interpretation };
  if (use.use === "unreadable" || record.method === "unreadable" || !result) {
    return { used: false, notUsedReason: "unreadable", interpretation };
  }
  const usage = specimenUsage(result, record, governing);
  usage.interpretation = interpretation;
  return usage;
}
