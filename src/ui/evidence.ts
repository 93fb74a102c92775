/**
 * Ordering and grouping of what the panel lists: evidence newest first and grouped by specimen (so the IHC and ISH
 * of one tissue sample sit together), flags most urgent first. Pure functions, tested without rendering.
 */
import type { EvidenceItem, EvidenceMethod, Flag, FlagSeverity, ResourceRef } from "../domain/types";
import { compareNewestFirst, displayDate } from "./dates";
import type { Translate } from "./i18n/translate";
import { methodLabel } from "./labels";

/** The results of one specimen (or one result without specimen data), newest first. */
export interface EvidenceGroup {
  /** Stable key: the specimen reference or label, or the result's own reference when no specimen is recorded. */
  key: string;
  /** False when the results carry no specimen: the group then holds exactly one result. */
  specimenKnown: boolean;
  /** Words a pathologist recognises: the accession label, else the Specimen reference. */
  specimenName: string;
  bodySite?: string;
  /** Date of the newest result in the group. */
  latestDate?: string;
  items: EvidenceItem[];
}

/** Within one specimen and date: screening test first, then its reflex tests, then the lab's conclusion. */
const methodOrder: Record<EvidenceMethod, number> = {
  ihc: 0,
  "ish-dual": 1,
  "ish-single": 2,
  interpretation: 3,
  unreadable: 4,
};

function specimenKey(item: EvidenceItem): string | undefined {
  return item.specimen ?? item.specimenLabel;
}

function compareItems(a: EvidenceItem, b: EvidenceItem): number {
  return compareNewestFirst(a.date, b.date) || methodOrder[a.method] - methodOrder[b.method];
}

/** Name of the specimen a result was obtained on, for display. */
export function specimenName(item: Pick<EvidenceItem, "specimen" | "specimenLabel">): string {
  return item.specimenLabel ?? item.specimen ?? "Specimen not recorded";
}

/**
 * Groups results by specimen and orders them newest first: groups by their newest result, results within a group by
 * date, then IHC before ISH before the reported interpretation. Results without specimen data are never merged with
 * each other (they may come from different tissue), each forms its own group.
 */
export function groupEvidence(items: readonly EvidenceItem[]): EvidenceGroup[] {
  const groups = new Map<string, EvidenceGroup>();
  for (const item of items) {
    const spec = specimenKey(item);
    const key = spec ? `specimen:${spec}` : `result:${item.resource}`;
    let group = groups.get(key);
    if (!group) {
      group = { key, specimenKnown: spec !== undefined, specimenName: specimenName(item), items: [] };
      groups.set(key, group);
    }
    group.items.push(item);
    // A later result may carry the label or site the first one lacked.
    if (item.specimenLabel) group.specimenName = item.specimenLabel;
    group.bodySite ??= item.bodySite;
  }
  const result = [...groups.values()];
  for (const group of result) {
    group.items.sort(compareItems);
    group.latestDate = group.items[0]?.date;
  }
  return result.sort((a, b) => compareNewestFirst(a.latestDate, b.latestDate) || a.key.localeCompare(b.key));
}

const severityRank: Record<FlagSeverity, number> = { action: 0, warning: 1, info: 2 };

/** Flags most urgent first (action, warning, info), keeping the rules' order within a severity. */
export function sortFlags(flags: readonly Flag[]): Flag[] {
  return [...flags].sort((a, b) => severityRank[a.severity] - severityRank[b.severity]);
}

/** One line naming a result, e.g. "IHC 2+, 2024-03-02, specimen S-24-1234" (English unless given the locale's). */
export function describeEvidence(
  item: EvidenceItem,
  t?: Translate,
  date: (iso: string | undefined) => string = displayDate,
): string {
  const method = t ? t(`method.${item.method}`) : methodLabel[item.method];
  const test = `${method} ${item.value}`.trim();
  const spec = item.specimenLabel ?? item.specimen;
  if (!t) return [test, date(item.date), ...(spec ? [`specimen ${spec}`] : [])].join(", ");
  return spec
    ? t("evidence.lineSpecimen", { test, date: date(item.date), specimen: spec })
    : t("evidence.line", { test, date: date(item.date) });
}

/** Looks up the evidence items a flag or basis refers to; references without an item are returned as-is. */
export function resolveRefs(
  refs: readonly ResourceRef[],
  evidence: readonly EvidenceItem[],
): { ref: ResourceRef; item?: EvidenceItem }[] {
  const byRef = new Map(evidence.map((e) => [e.resource, e]));
  return refs.map((ref) => ({ ref, item: byRef.get(ref) }));
}
