/**
 * Patient-level assessment: the current HER2 status from the most recent conclusive specimen, the category and
 * setting, the flags, the recommendation and the evidence list (DESIGN.md, "Contract: the assessment").
 */
import { isConclusive, type Need } from "./calls";
import { categoryOf } from "./category";
import { byText, calendarDate, newestFirst } from "./dates";
import { evidenceItem, type Usage } from "./evidence";
import { makeFlag, sortFlags } from "./flags";
import { newestRecordFirst, type RecordUse, testDate, triage } from "./records";
import { recommend } from "./recommendation";
import { retestFlag, settingOf } from "./setting";
import {
  assessSpecimen,
  groupBySpecimen,
  type ReadableRecord,
  readRecord,
  type SpecimenGroup,
  specimenName,
  type SpecimenResult,
} from "./specimen";
import type {
  AntiHer2Therapy,
  Assessment,
  DataGap,
  DiseaseEvent,
  IsoDate,
  Flag,
  FlagCode,
  Her2Status,
  Her2TestRecord,
  PatientInput,
  ResourceRef,
} from "./types";

export const GUIDELINE = "ASCO/CAP 2018, 2023 update";
/** Semantic version of the rule set: bump the minor for a new rule, the major when a rule changes a status. */
export const RULES_VERSION = "1.0.0";

const CALL_RANK: Record<string, number> = { positive: 0, negative: 1, equivocal: 2, indeterminate: 3 };

/**
 * Most recent specimen first. On the same date a positive before a negative (positive by either test is
 * HER2-positive; the disagreement is flagged as discordant), then by key so input order never matters.
 */
function bySpecimenRecency(a: SpecimenResult, b: SpecimenResult): number {
  return (
    newestFirst(a.group.date, b.group.date) ||
    (CALL_RANK[a.call] ?? 9) - (CALL_RANK[b.call] ?? 9) ||
    byText(a.group.key, b.group.key)
  );
}

/** The specimen the status rests on: the most recent conclusive one, else the most recent equivocal, else the newest. */
function governingSpecimen(results: readonly SpecimenResult[]): SpecimenResult | undefined {
  return (
    results.find((r) => isConclusive(r.call)) ?? results.find((r) => r.call === "equivocal") ?? results[0]
  );
}

function statusOf(governing: SpecimenResult | undefined, anyRecord: boolean): Her2Status {
  if (!governing) return anyRecord ? "indeterminate" : "no-result";
  if (governing.call === "positive" || governing.call === "negative" || governing.call === "equivocal") {
    return governing.call;
  }
  return "indeterminate";
}

function where(group: SpecimenGroup): string {
  // specimenName already names the date when the specimen has no label or reference.
  const named = group.label !== undefined || group.reference !== undefined;
  const date = named ? group.date : undefined;
  const details = group.bodySite && date ? `${group.bodySite}, ${date}` : (group.bodySite ?? date);
  return details ? `${specimenName(group)} (${details})` : specimenName(group);
}

/** A note when a more recent specimen exists but is not conclusive, so the clinician sees it beside the status. */
function newerInconclusive(governing: SpecimenResult, results: readonly SpecimenResult[]): string {
  const newer = results.find((r) => r !== governing && bySpecimenRecency(r, governing) < 0);
  return newer ? ` A more recent specimen, ${where(newer.group)}, is not conclusive: ${newer.reason}.` : "";
}

function statusReason(
  status: Her2Status,
  governing: SpecimenResult | undefined,
  results: readonly SpecimenResult[],
  uses: readonly RecordUse[],
): string {
  if (status === "no-result") return "No HER2 test result on record.";
  if (!governing) {
    const pending = uses.filter((u) => u.use === "pending").length;
    const unreadable = uses.filter((u) => u.use === "unreadable").length;
    return `HER2 tests were found but none can be used yet: ${pending} pending, ${unreadable} unreadable.`;
  }
  const basis = `${where(governing.group)}: ${governing.reason}.`;
  if (status === "positive" || status === "negative") {
    return `Most recent conclusive specimen, ${basis}${newerInconclusive(governing, results)}`;
  }
  if (status === "equivocal") return `No conclusive HER2 result. ${basis}`;
  return `HER2 tests were found but none is conclusive. ${basis}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const NEED_FLAGS: Record<Need, FlagCode> = {
  "reflex-ish": "reflex-ish-missing",
  "ihc-workup": "ihc-workup-needed",
  recount: "recount-needed",
  "recount-adjudication": "recount-needed",
  "dual-probe": "dual-probe-ish-needed",
};

const NEED_RULE: Record<Need, string> = {
  "reflex-ish":
    "IHC 2+ is equivocal: ISH on the same specimen (or a new test on a new specimen) gives the final result.",
  "ihc-workup":
    "ISH groups 2 to 4 need IHC on the same tissue, read together with the ISH, for a final result.",
  recount:
    "ISH groups 2 to 4 with IHC 2+ need a recount by a second observer blinded to the first (at least 20 cells); no recount or final laboratory interpretation is on record.",
  "recount-adjudication":
    "The second-observer recount changed the ISH group; the guideline leaves the final category to the laboratory's adjudication, and no final interpretation is on record.",
  "dual-probe":
    "Single-probe ISH with 4.0 to <6.0 HER2 copies per cell needs dual-probe ISH (or a conclusive IHC 0, 1+ or 3+) on the same specimen.",
};

function needAction(need: Need, result: SpecimenResult): string {
  const name = specimenName(result.group);
  switch (need) {
    case "reflex-ish": {
      const ihcDate = result.ihcEquivocal ? testDate(result.ihcEquivocal) : undefined;
      return `Order reflex ISH on ${name} (IHC 2+${ihcDate ? ` on ${ihcDate}` : ""})`;
    }
    case "ihc-workup":
      return `Request HER2 IHC on the same tissue as the ISH (${name})`;
    case "recount":
      return `Ask the laboratory for the blinded second-observer ISH recount or its final interpretation (${name})`;
    case "recount-adjudication":
      return `Ask the laboratory for its final, adjudicated HER2 interpretation (${name})`;
    case "dual-probe":
      return `Request dual-probe ISH on ${name}`;
  }
}

function usedSources(result: SpecimenResult): ResourceRef[] {
  return result.group.records.filter((r) => !result.superseded.has(r.source)).map((r) => r.source);
}

/**
 * Without specimen data, an IHC 2+ has its reflex ISH when an ISH (used or pending) without specimen data is dated
 * on or after the IHC (DESIGN.md, reflex-ish-missing).
 */
function reflexFoundWithoutSpecimen(result: SpecimenResult, groups: readonly SpecimenGroup[]): boolean {
  if (result.group.hasSpecimenData || !result.ihcEquivocal) return false;
  const ihcDate = testDate(result.ihcEquivocal);
  if (!ihcDate) return false;
  return groups.some(
    (g) =>
      !g.hasSpecimenData &&
      [...g.records, ...g.pending].some((r) => {
        const date = testDate(r);
        return (
          (r.method === "ish-dual" || r.method === "ish-single") && date !== undefined && date >= ihcDate
        );
      }),
  );
}

function needFlag(
  result: SpecimenResult,
  governing: SpecimenResult | undefined,
  groups: readonly SpecimenGroup[],
): Flag | undefined {
  const need = result.need;
  if (!need || (need === "reflex-ish" && reflexFoundWithoutSpecimen(result, groups))) return undefined;
  // Work missing on a specimen that a later conclusive result superseded is still worth knowing (chart review),
  // but it is not what decides treatment now.
  const superseded =
    governing !== undefined &&
    governing !== result &&
    isConclusive(governing.call) &&
    bySpecimenRecency(governing, result) < 0;
  const later = superseded
    ? ` A later conclusive result (${where(governing.group)}) sets the current status.`
    : "";
  return makeFlag(NEED_FLAGS[need], {
    message: `${capitalise(where(result.group))}: ${result.reason}. ${NEED_RULE[need]}${later}`,
    action: needAction(need, result),
    evidence: usedSources(result),
    severity: superseded ? "info" : undefined,
  });
}

function discordantFlag(
  results: readonly SpecimenResult[],
  governing: SpecimenResult | undefined,
): Flag | undefined {
  // The most recent positive and the most recent negative specimen (results are sorted newest first).
  const positive = results.find((r) => r.call === "positive");
  const negative = results.find((r) => r.call === "negative");
  if (!positive || !negative || !governing) return undefined;
  return makeFlag("discordant-results", {
    message: `Conclusive HER2 results disagree between specimens: positive on ${where(positive.group)}, negative on ${where(negative.group)}. The most recent conclusive specimen (${where(governing.group)}) sets the current status; review the results with the pathologist.`,
    evidence: [...usedSources(positive), ...usedSources(negative), ...usedSources(governing)],
  });
}

function listFlag(
  code: "result-pending" | "result-unreadable",
  items: readonly { record: Her2TestRecord; reason?: string }[],
): Flag | undefined {
  if (items.length === 0) return undefined;
  const n = items.length;
  const plural = n === 1 ? "result is" : "results are";
  const details = items
    .slice(0, 3)
    .map((i) => `${i.record.source}${i.reason ? `: ${i.reason}` : ` (${i.record.status})`}`)
    .join("; ");
  const more = n > 3 ? `; and ${n - 3} more` : "";
  const message =
    code === "result-pending"
      ? `${n} HER2 ${plural} not final yet (registered or preliminary) and not used for the status: ${details}${more}.`
      : `${n} HER2 ${plural} could not be interpreted and not used: ${details}${more}.`;
  return makeFlag(code, { message, evidence: items.map((i) => i.record.source) });
}

const NOT_GIVEN: ReadonlySet<string> = new Set(["entered-in-error", "cancelled", "not-taken", "not-done"]);

function therapyFlag(
  status: Her2Status,
  therapies: readonly AntiHer2Therapy[],
  dataGaps: readonly DataGap[],
  basis: readonly ResourceRef[],
): Flag | undefined {
  if (status !== "positive" || therapies.some((t) => !NOT_GIVEN.has(String(t.status)))) return undefined;
  const gap = dataGaps.find((g) => g.resourceType.startsWith("Medication"));
  const gapText = gap ? ` Medication data may be incomplete (${gap.reason}).` : "";
  return makeFlag("anti-her2-therapy-not-found", {
    message: `HER2-positive, but no anti-HER2 medication (such as trastuzumab or pertuzumab) is on record.${gapText}`,
    evidence: basis,
  });
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

function usageOf(
  record: Her2TestRecord,
  use: RecordUse,
  resultOf: ReadonlyMap<Her2TestRecord, SpecimenResult>,
  governing: SpecimenResult | undefined,
): Usage {
  const interpretation = record.method === "unreadable" ? record.reason : readRecord(record);
  const result = resultOf.get(record);
  if (use.use === "pending") return { used: false, notUsedReason: "pending", interpretation };
  if (use.use === "ignored") return { used: false, notUsedReason: use.reason, interpretation };
  if (use.use === "unreadable" || record.method === "unreadable" || !result) {
    return { used: false, notUsedReason: "unreadable", interpretation };
  }
  const usage = specimenUsage(result, record, governing);
  usage.interpretation = interpretation;
  return usage;
}

/** The list, without holes: callers outside TypeScript may pass null or a non-array. */
function listOf<T>(value: readonly T[] | undefined): T[] {
  if (!Array.isArray(value)) return [];
  const list: readonly T[] = value;
  return list.filter((v) => typeof v === "object" && v !== null);
}

interface Triaged {
  record: Her2TestRecord;
  date: IsoDate | undefined;
  use: RecordUse;
}

/** Each record's date read once, its use decided, newest first (every list below then ignores input order). */
function triageAll(tests: readonly Her2TestRecord[], asOf: IsoDate | undefined): Triaged[] {
  return tests
    .map((record) => {
      const date = testDate(record);
      return { record, date, use: triage(record, asOf, date) };
    })
    .sort(newestRecordFirst);
}

/** The specimens with used results, assessed, most recent first. */
function assessSpecimens(triaged: readonly Triaged[]): {
  groups: SpecimenGroup[];
  results: SpecimenResult[];
} {
  const active: ReadableRecord[] = [];
  const pending: ReadableRecord[] = [];
  for (const { record, use } of triaged) {
    if (record.method === "unreadable") continue;
    if (use.use === "active") active.push(record);
    else if (use.use === "pending") pending.push(record);
  }
  const groups = groupBySpecimen(active, pending);
  const results = groups
    .filter((g) => g.records.length > 0)
    .map(assessSpecimen)
    .sort(bySpecimenRecency);
  return { groups, results };
}

interface FlagContext {
  triaged: readonly Triaged[];
  groups: readonly SpecimenGroup[];
  results: readonly SpecimenResult[];
  governing: SpecimenResult | undefined;
  status: Her2Status;
  events: readonly DiseaseEvent[];
  therapies: readonly AntiHer2Therapy[];
  dataGaps: readonly DataGap[];
}

function collectFlags(c: FlagContext): Flag[] {
  const flags = [
    ...c.results.map((r) => needFlag(r, c.governing, c.groups)),
    ...c.results.flatMap((r) => r.mismatches.map((m) => makeFlag("interpretation-mismatch", m))),
    discordantFlag(c.results, c.governing),
    listFlag(
      "result-pending",
      c.triaged.filter((t) => t.use.use === "pending"),
    ),
    listFlag(
      "result-unreadable",
      c.triaged.flatMap((t) =>
        t.use.use === "unreadable" ? [{ record: t.record, reason: t.use.reason }] : [],
      ),
    ),
    retestFlag(
      c.events,
      c.results.filter((r) => isConclusive(r.call)),
    ),
    therapyFlag(c.status, c.therapies, c.dataGaps, c.governing ? usedSources(c.governing) : []),
  ];
  return sortFlags(flags.filter((f): f is Flag => f !== undefined));
}

function basisOf(governing: SpecimenResult): NonNullable<Assessment["basis"]> {
  const g = governing.group;
  const basis: NonNullable<Assessment["basis"]> = { evidence: usedSources(governing) };
  const specimen = g.reference ?? g.label;
  if (specimen) basis.specimen = specimen;
  if (g.label) basis.specimenLabel = g.label;
  if (g.bodySite) basis.bodySite = g.bodySite;
  if (g.date) basis.date = g.date;
  return basis;
}

const RESULT_SOURCES: ReadonlySet<string> = new Set(["Observation", "DiagnosticReport"]);

/**
 * Data that could not be loaded. Without HER2 results loaded, "no result" would be a confident claim the data does
 * not support: the status is then indeterminate. Any gap that matters is named in the reason.
 */
function withDataGaps(
  status: Her2Status,
  reason: string,
  dataGaps: readonly DataGap[],
): { status: Her2Status; reason: string } {
  const gaps = dataGaps.filter((g) => g.affectsAssessment);
  if (gaps.length === 0) return { status, reason };
  const resultsGap = gaps.find((g) => RESULT_SOURCES.has(g.resourceType));
  if (status === "no-result" && resultsGap) {
    return {
      status: "indeterminate",
      reason: `HER2 results could not be loaded (${resultsGap.resourceType}: ${resultsGap.reason}), so whether any HER2 test exists cannot be told.`,
    };
  }
  const named = gaps.map((g) => `${g.resourceType}: ${g.reason}`).join("; ");
  return { status, reason: `${reason} Some data could not be loaded, so this may be incomplete (${named}).` };
}

/** Assesses one patient (see index.ts for the contract). */
export function assessPatient(input: PatientInput): Assessment {
  const triaged = triageAll(listOf(input.tests), calendarDate(input.asOf));
  const { groups, results } = assessSpecimens(triaged);
  const governing = governingSpecimen(results);
  const dataGaps = listOf(input.dataGaps);
  const found = statusOf(
    governing,
    triaged.some((t) => t.use.use !== "ignored"),
  );
  const foundReason = statusReason(
    found,
    governing,
    results,
    triaged.map((t) => t.use),
  );
  const { status, reason } = withDataGaps(found, foundReason, dataGaps);
  const events = listOf<DiseaseEvent>(input.events);
  const setting = settingOf(events);
  const conclusive = governing && isConclusive(governing.call) ? governing : undefined;
  const category = categoryOf(status, conclusive?.ihcScore, conclusive?.zeroDetail);
  const therapies = listOf(input.therapies);
  const resultOf = new Map<Her2TestRecord, SpecimenResult>();
  for (const r of results) for (const record of r.group.records) resultOf.set(record, r);

  const assessment: Assessment = {
    patient: input.patient,
    asOf: input.asOf,
    guideline: GUIDELINE,
    rulesVersion: RULES_VERSION,
    status,
    category,
    setting,
    statusReason: reason,
    flags: collectFlags({ triaged, groups, results, governing, status, events, therapies, dataGaps }),
    recommendation: recommend(status, category, setting),
    evidence: triaged.map((t) =>
      evidenceItem(t.record, t.date, usageOf(t.record, t.use, resultOf, governing)),
    ),
    unreadable: triaged.flatMap((t) =>
      t.use.use === "unreadable" ? [{ resource: t.record.source, reason: t.use.reason }] : [],
    ),
    dataGaps,
  };
  if (governing) assessment.basis = basisOf(governing);
  return assessment;
}
