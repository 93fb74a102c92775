/** The evidence list: one item per HER2 record, what the rules read it as, and whether the status rests on it. */
import { ishValue } from "./ish";
import { testDate } from "./records";
import type { EvidenceItem, Her2TestRecord } from "./types";

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

/** One evidence item for a record. */
export function evidenceItem(record: Her2TestRecord, usage: Usage): EvidenceItem {
  const s = record.specimen;
  const item: EvidenceItem = {
    resource: record.source,
    method: record.method,
    value: recordValue(record),
    status: record.status,
    used: usage.used,
  };
  const date = testDate(record);
  if (date) item.date = date;
  const specimen = s?.reference ?? s?.label;
  if (specimen) item.specimen = specimen;
  if (s?.label) item.specimenLabel = s.label;
  if (s?.bodySite) item.bodySite = s.bodySite;
  if (usage.interpretation) item.interpretation = usage.interpretation;
  if (record.readAs) item.readAs = record.readAs;
  if (record.rawValue) item.rawValue = record.rawValue;
  if (usage.notUsedReason) item.notUsedReason = usage.notUsedReason;
  return item;
}
