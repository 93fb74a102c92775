/**
 * Grouping of HER2 records by specimen: the tissue a result was obtained on is what the guideline's rules combine
 * (IHC with ISH on the same specimen), and what "most recent specimen" compares.
 */
import { calendarDate } from "./dates";
import { testDate } from "./records";
import type {
  DualIshRecord,
  Her2TestRecord,
  IhcRecord,
  InterpretationRecord,
  IsoDate,
  ResourceRef,
  SingleIshRecord,
} from "./types";

/** Records the rules can read (everything but `unreadable`). */
export type ReadableRecord = IhcRecord | DualIshRecord | SingleIshRecord | InterpretationRecord;

export interface SpecimenGroup {
  key: string;
  reference?: ResourceRef;
  label?: string;
  bodySite?: string;
  /** Collection date, when any record gives it. */
  collected?: IsoDate;
  /** True when any record's specimen says it was decalcified. */
  decalcified: boolean;
  /** True when any record's specimen says carcinoma in situ only (DCIS; tumour.ts `isInSituOnly`). */
  inSituOnly: boolean;
  /** False when grouped by date only (no Specimen reference or label). */
  hasSpecimenData: boolean;
  /** Collection date, else the latest test date: the date "most recent specimen" is judged by. */
  date?: IsoDate;
  /** Used (final / amended / corrected) records, newest first. */
  records: ReadableRecord[];
  /** Registered / preliminary records on this specimen. */
  pending: ReadableRecord[];
}

/** How a specimen is identified: by Specimen reference, accession label, date, or not at all (one record). */
export type SpecimenKeyKind = "ref" | "label" | "date" | "record";

/**
 * The key a record is grouped under. A Specimen reference identifies the tissue; else its accession label (a label
 * seen beside a reference elsewhere joins that reference's group); else, without specimen data, the collection or
 * test date: results of one day are taken as one specimen, which is how a report without Specimen links reads.
 * Results on different days without specimen data stay apart (a reflex ISH reported days later is then matched by
 * the "ISH on or after the IHC date" rule, not merged, so no combined call is guessed). Undated, unlinked records
 * stand alone.
 */
export function specimenKey(
  record: Her2TestRecord,
  labelToReference: ReadonlyMap<string, string>,
): { kind: SpecimenKeyKind; value: string } {
  const s = record.specimen;
  if (s?.reference) return { kind: "ref", value: s.reference };
  if (s?.label) {
    const reference = labelToReference.get(s.label);
    return reference ? { kind: "ref", value: reference } : { kind: "label", value: s.label };
  }
  const date = calendarDate(s?.collected) ?? calendarDate(record.date);
  return date ? { kind: "date", value: date } : { kind: "record", value: record.source };
}

/** Labels seen beside a Specimen reference, so label-only records join the referenced specimen. */
export function labelReferences(...lists: (readonly Her2TestRecord[])[]): Map<string, string> {
  const map = new Map<string, string>();
  // Records of one specimen usually share one SpecimenInfo object: each distinct one is read once.
  let previous: Her2TestRecord["specimen"];
  for (const records of lists) {
    for (const r of records) {
      const s = r.specimen;
      if (s === previous) continue;
      previous = s;
      if (s?.reference && s.label) {
        const known = map.get(s.label);
        if (known === undefined || s.reference < known) map.set(s.label, s.reference);
      }
    }
  }
  return map;
}

/** A group's `key`: what `specimenKey` gives, as one string. */
export function groupKey(kind: SpecimenKeyKind, value: string): string {
  return `${kind}:${value}`;
}

function emptyGroup(kind: SpecimenKeyKind, value: string): SpecimenGroup {
  // Every field present from the start (filled in by describe), so all groups share one object shape.
  return {
    key: groupKey(kind, value),
    reference: undefined,
    label: undefined,
    bodySite: undefined,
    collected: undefined,
    decalcified: false,
    inSituOnly: false,
    hasSpecimenData: kind === "ref" || kind === "label",
    date: undefined,
    records: [],
    pending: [],
  };
}

/** Fills in the specimen's identity from its records (the smallest value wins, so input order never matters). */
function describe(group: SpecimenGroup): void {
  // Records of one specimen usually share one SpecimenInfo object: each distinct one is read once.
  let previous: ReadableRecord["specimen"];
  for (const r of group.records) {
    if (r.specimen !== previous) takeSpecimen(group, r);
    previous = r.specimen;
  }
  for (const r of group.pending) {
    if (r.specimen !== previous) takeSpecimen(group, r);
    previous = r.specimen;
  }
  // Sorted newest first, so the first record carries the latest test date.
  const newest = group.records[0] ?? group.pending[0];
  group.date = group.collected ?? (newest && testDate(newest));
}

function smallest(a: string | undefined, b: string | undefined): string | undefined {
  return a === undefined ? b : b === undefined || a <= b ? a : b;
}

function takeSpecimen(group: SpecimenGroup, record: ReadableRecord): void {
  const s = record.specimen;
  if (!s) return;
  group.reference = smallest(group.reference, s.reference);
  group.label = smallest(group.label, s.label);
  group.bodySite = smallest(group.bodySite, s.bodySite);
  group.collected = smallest(group.collected, calendarDate(s.collected));
  if (s.decalcified === true) group.decalcified = true;
  if (s.inSituOnly === true) group.inSituOnly = true;
}

/** The specimens, and the specimen of each used record (by position, so callers need no look-up by record). */
export interface Grouping {
  groups: SpecimenGroup[];
  /** `groupOf[i]` is the position in `groups` of the group of `active[i]`. */
  groupOf: number[];
}

/** Groups used and pending records by specimen. Both lists must be sorted newest first; groups keep that order. */
export function groupBySpecimen(
  active: readonly ReadableRecord[],
  pending: readonly ReadableRecord[],
): Grouping {
  const index: GroupIndex = {
    lists: [active, pending],
    labels: undefined,
    // One map per kind of key, so no key string is built per record; each made when first needed.
    maps: { ref: undefined, label: undefined, date: undefined, record: undefined },
    groups: [],
    lastSpecimen: undefined,
    lastPosition: -1,
  };
  const groupOf: number[] = [];
  for (const r of active) {
    const position = addToGroup(index, r);
    index.groups[position]?.records.push(r);
    groupOf.push(position);
  }
  for (const r of pending) index.groups[addToGroup(index, r)]?.pending.push(r);
  index.groups.forEach(describe);
  return { groups: index.groups, groupOf };
}

const NO_LABELS: ReadonlyMap<string, string> = new Map();

interface GroupIndex {
  lists: readonly (readonly ReadableRecord[])[];
  /** labelReferences of `lists`, made when a record with a label and no reference first needs it. */
  labels: ReadonlyMap<string, string> | undefined;
  /** Group positions by key, one map per kind of key. */
  maps: Record<SpecimenKeyKind, Map<string, number> | undefined>;
  groups: SpecimenGroup[];
  /** The previous record's SpecimenInfo object and its group's position. */
  lastSpecimen: ReadableRecord["specimen"];
  lastPosition: number;
}

/** The position of the record's group in `index.groups`, adding the group when it is new. */
function addToGroup(index: GroupIndex, record: ReadableRecord): number {
  const s = record.specimen;
  // A record sharing the previous record's SpecimenInfo object, with a reference or label, has the same key.
  if (s !== undefined && s === index.lastSpecimen && (s.reference || s.label) && index.lastPosition >= 0) {
    return index.lastPosition;
  }
  const labelOnly = !s?.reference && s?.label;
  const labels = labelOnly ? (index.labels ??= labelReferences(...index.lists)) : NO_LABELS;
  const { kind, value } = specimenKey(record, labels);
  const map = (index.maps[kind] ??= new Map<string, number>());
  let position = map.get(value);
  if (position === undefined) {
    position = index.groups.length;
    index.groups.push(emptyGroup(kind, value));
    map.set(value, position);
  }
  index.lastSpecimen = s;
  index.lastPosition = position;
  return position;
}
