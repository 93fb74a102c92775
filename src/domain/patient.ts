/**
 * Patient-level assessment: the current HER2 status from the most recent conclusive specimen, the category and
 * setting, the flags, the recommendation and the evidence list (DESIGN.md, "Contract: the assessment").
 */
import { isConclusive, reasonValue } from "./calls";
import { categoryOf } from "./category";
import { calendarDate, sortInPlace } from "./dates";
import { evidenceList, notUsed, type Usage } from "./evidence";
import { makeFlag } from "./flags";
import { undatedNote } from "./gap-flags";
import {
  groupBySpecimen,
  groupKey,
  labelReferences,
  type ReadableRecord,
  type SpecimenGroup,
  specimenKey,
} from "./grouping";
import { collectFlags } from "./patient-flags";
import { newestRecordFirst, statusRank, type Triaged, testDate, triage } from "./records";
import { cite } from "./citations";
import { recommend, type Recommendation, recommendWithSettingGap } from "./recommendation";
import { en, joinTexts, text, type Text, type TextValue } from "./text";
import { eventsGap, settingOf } from "./setting";
import { isCurrent, therapyNote, type TherapyNote } from "./therapy-note";
import {
  currentPrimaryIndex,
  siteKind,
  firstTherapyStart,
  residualUntil,
  isInSituOnly,
  RETEST_WINDOW_DAYS,
  residualSpecimens,
  tumoursOf,
} from "./tumour";
import {
  assessSpecimen,
  bySpecimenRecency,
  capitalisedDescriptionText,
  specimenDescriptionText,
  specimenNameText,
  type SpecimenResult,
  usedSources,
} from "./specimen";
import type {
  AntiHer2Therapy,
  Assessment,
  DataGap,
  Flag,
  Her2Category,
  DiseaseEvent,
  Her2Status,
  Her2TestRecord,
  IsoDate,
  PatientInput,
  ResourceRef,
  TumourAssessment,
} from "./types";

export const GUIDELINE = "ASCO/CAP 2018, 2023 update";
/**
 * Semantic version of the rule set: bump the minor for a new rule, the major when a rule changes a status (2.0.0: the
 * current primary governs over an earlier treated one; in-situ tissue no longer sets the invasive status; 2.1.0: the
 * texts carry message descriptors, `i18n`, beside their unchanged English; no status changes; 3.0.0: planned therapy
 * is not neoadjuvant treatment, residual disease ends at a later recurrence or metastasis or 90 days after therapy
 * ended, tissue collected after the assessment date is unreadable).
 */
export const RULES_VERSION = "3.0.0";

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

/** A note when a more recent specimen exists but is not conclusive, so the clinician sees it beside the status. */
function withNewerInconclusive(
  reason: Text,
  governing: SpecimenResult,
  results: readonly SpecimenResult[],
): Text {
  const newer = results.find((r) => r !== governing && bySpecimenRecency(r, governing) < 0);
  if (!newer) return reason;
  const note = text("status.newer-inconclusive", {
    specimen: specimenDescriptionText(newer.group),
    reason: reasonValue(newer),
  });
  return text("join.space", { first: reason, rest: note });
}

function statusReason(
  status: Her2Status,
  governing: SpecimenResult | undefined,
  results: readonly SpecimenResult[],
  triaged: readonly Triaged[],
): Text {
  if (status === "no-result") return text("status.no-result");
  if (!governing) {
    const pending = triaged.filter((t) => t.use.use === "pending").length;
    const unreadable = triaged.filter((t) => t.use.use === "unreadable").length;
    return text("status.none-usable", { pending, unreadable });
  }
  const reason = reasonValue(governing);
  if (status === "positive" || status === "negative") {
    const basis = text("status.basis", { specimen: specimenDescriptionText(governing.group), reason });
    // An undated result cannot be shown to be the most recent: the reason says what the status rests on (18.5).
    const undated = undatedNote(governing);
    const based = undated
      ? text("status.based-on.undated", { undated, basis })
      : text("status.based-on", { basis });
    return withNewerInconclusive(based, governing, results);
  }
  const basis = text("status.basis", { specimen: capitalisedDescriptionText(governing.group), reason });
  return text(status === "equivocal" ? "status.equivocal" : "status.inconclusive", { basis });
}

/** The list, without holes: callers outside TypeScript may pass null or a non-array. */
function listOf<T>(value: readonly T[] | undefined): T[] {
  if (!Array.isArray(value)) return [];
  const list: readonly T[] = value;
  return list.filter((v) => typeof v === "object" && v !== null);
}

/** Each record's date read once, its use decided, newest first (every list below then ignores input order). */
function triageAll(tests: readonly Her2TestRecord[] | undefined, asOf: IsoDate | undefined): Triaged[] {
  const triaged: Triaged[] = [];
  if (!Array.isArray(tests)) return triaged;
  // Read in place (no filtered copy, as listOf makes): holes and non-objects are skipped alike.
  for (const item of tests as readonly unknown[]) {
    if (typeof item !== "object" || item === null) continue;
    const record = item as Her2TestRecord;
    const date = testDate(record);
    triaged.push({ record, date, rank: statusRank(record), use: triage(record, asOf, date) });
  }
  return sortInPlace(triaged, newestRecordFirst);
}

function unreadableList(triaged: readonly Triaged[]): Assessment["unreadable"] {
  const list: Assessment["unreadable"] = [];
  for (const t of triaged)
    if (t.use.use === "unreadable") list.push({ resource: t.record.source, reason: t.use.reason });
  return list;
}

/** The unreadable list's reasons as descriptors, in its order (Assessment.i18n.unreadable). */
function unreadableTexts(triaged: readonly Triaged[]): TextValue[] {
  const list: TextValue[] = [];
  for (const t of triaged) if (t.use.use === "unreadable") list.push(t.use.text);
  return list;
}

/**
 * The specimens with used results, assessed, most recent first; and each triaged record's specimen result (by
 * position in `triaged`; undefined for a record not used).
 */
function assessSpecimens(triaged: readonly Triaged[]): {
  groups: SpecimenGroup[];
  results: SpecimenResult[];
  resultOf: (SpecimenResult | undefined)[];
} {
  const active: ReadableRecord[] = [];
  const activeAt: number[] = []; // where each used record sits in `triaged`
  const pending: ReadableRecord[] = [];
  for (let i = 0; i < triaged.length; i++) {
    const { record, use } = triaged[i] as Triaged;
    if (record.method === "unreadable") continue;
    if (use.use === "active") {
      active.push(record);
      activeAt.push(i);
    } else if (use.use === "pending") pending.push(record);
  }
  const { groups, groupOf } = groupBySpecimen(active, pending);
  const blocked = conflictingCopyKeys(triaged, active, pending);
  // Each group's result by the group's position (pending-only groups have none).
  const byGroup: (SpecimenResult | undefined)[] = [];
  const results: SpecimenResult[] = [];
  for (const group of groups) {
    const assessed = group.records.length === 0 ? undefined : assessSpecimen(group);
    const copies = blocked.get(group.key);
    const result = assessed && copies ? notConclusive(assessed, copies) : assessed;
    byGroup.push(result);
    if (result) results.push(result);
  }
  const resultOf = new Array<SpecimenResult | undefined>(triaged.length).fill(undefined);
  for (let i = 0; i < active.length; i++) resultOf[activeAt[i] as number] = byGroup[groupOf[i] as number];
  return { groups, results: sortInPlace(results, bySpecimenRecency), resultOf };
}

/**
 * Specimen keys (grouping.ts) of results received twice under one id with differing contents, with those results:
 * whichever copy is right could change the specimen's call, so the specimen is not conclusive (issue 16, point 2).
 */
function conflictingCopyKeys(
  triaged: readonly Triaged[],
  active: readonly ReadableRecord[],
  pending: readonly ReadableRecord[],
): Map<string, ResourceRef[]> {
  const keys = new Map<string, ResourceRef[]>();
  const copies = triaged.filter((t) => t.record.method === "unreadable" && t.record.conflictingCopy === true);
  if (copies.length === 0) return keys;
  const labels = labelReferences(active, pending);
  for (const { record } of copies) {
    const { kind, value } = specimenKey(record, labels);
    const key = groupKey(kind, value);
    const list = keys.get(key) ?? [];
    if (!list.includes(record.source)) list.push(record.source);
    keys.set(key, list);
  }
  return keys;
}

function notConclusive(result: SpecimenResult, copies: readonly ResourceRef[]): SpecimenResult {
  if (!isConclusive(result.call)) return result;
  // The old reason nested in the new one, as a message where it is one (its descriptor must not stand in for this).
  const reasonText = text("reason.conflicting-copies", {
    copies: joinTexts(copies, "join.comma"),
    reason: reasonValue(result),
  });
  return { ...result, call: "indeterminate", need: undefined, reason: en(reasonText), reasonText };
}

function basisOf(governing: SpecimenResult): NonNullable<Assessment["basis"]> {
  const g = governing.group;
  const basis: NonNullable<Assessment["basis"]> = { evidence: usedSources(governing) };
  const specimen = g.reference ?? g.label;
  if (specimen) basis.specimen = specimen;
  if (g.label) basis.specimenLabel = g.label;
  if (g.bodySite) basis.bodySite = g.bodySite;
  if (g.date) basis.date = g.date;
  // Whether that date is the collection date (else the latest test date), so the panel can label it (issue 18.3).
  if (g.collected) basis.collected = g.collected;
  return basis;
}

const RESULT_SOURCES: ReadonlySet<string> = new Set(["Observation", "DiagnosticReport"]);

/**
 * Data that could not be loaded. Without HER2 results loaded, "no result" would be a confident claim the data does
 * not support: the status is then indeterminate. Any gap that matters is named in the reason.
 */
function withDataGaps(
  status: Her2Status,
  reason: Text,
  dataGaps: readonly DataGap[],
): { status: Her2Status; reason: Text } {
  const gaps = dataGaps.filter((g) => g.affectsAssessment);
  if (gaps.length === 0) return { status, reason };
  const resultsGap = gaps.find((g) => RESULT_SOURCES.has(g.resourceType));
  if (status === "no-result" && resultsGap) {
    if (resultsGap.kind === "loading")
      return { status: "indeterminate", reason: text("status.results-loading") };
    return {
      status: "indeterminate",
      reason: text(resultsGap.kind === "excluded" ? "status.results-excluded" : "status.results-not-loaded", {
        resourceType: resultsGap.resourceType,
        reason: reasonValue(resultsGap),
      }),
    };
  }
  // Queries that have not answered yet (the app's progressive display): named as still loading, not as failed.
  const loading = gaps.filter((g) => g.kind === "loading").map((g) => g.resourceType);
  const failed = gaps.filter((g) => g.kind !== "loading");
  let out = reason;
  if (failed.length > 0) {
    const named = joinTexts(
      failed.map((g) => text("status.gap", { resourceType: g.resourceType, reason: reasonValue(g) })),
      "join.semicolon",
    );
    out = text("join.space", { first: out, rest: text("status.some-not-loaded", { gaps: named }) });
  }
  if (loading.length > 0) {
    const types = joinTexts(loading, "join.comma");
    out = text("join.space", { first: out, rest: text("status.still-loading", { types }) });
  }
  return { status, reason: out };
}

const ISH_METHODS: ReadonlySet<string> = new Set(["ish-dual", "ish-single"]);

/**
 * The IHC an ISH-only specimen without specimen data was the reflex test of, for the category: the most recent IHC
 * without specimen data dated on or before the ISH (the rule `reflex-ish-missing` uses). Without it a HER2-low
 * (IHC 2+ with negative ISH) reported on separate days would read as a negative with no IHC score.
 */
function pairedIhc(
  governing: SpecimenResult,
  results: readonly SpecimenResult[],
): SpecimenResult | undefined {
  if (governing.group.hasSpecimenData || governing.ihcScore !== undefined) return undefined;
  const ish = governing.group.records.find(
    (r) => ISH_METHODS.has(r.method) && !governing.superseded.has(r.source),
  );
  const ishDate = ish && testDate(ish);
  if (!ishDate) return undefined;
  // Results are most recent first: the first match is the newest IHC on or before the ISH.
  return results.find(
    (r) =>
      r !== governing &&
      !r.group.hasSpecimenData &&
      r.ihcScore !== undefined &&
      r.group.date !== undefined &&
      r.group.date <= ishDate,
  );
}

function pairingNote(paired: SpecimenResult, governing: SpecimenResult | undefined): Text {
  const values = {
    score: paired.ihcScore ?? "",
    date: paired.group.date ?? text("date.unknown"),
    sources: usedSources(paired).join(", "),
  };
  return governing
    ? text("status.pairing.specimen", { ...values, specimen: specimenNameText(governing.group) })
    : text("status.pairing", values);
}

/** One list of specimens judged: the governing specimen, its status and reason, and what the category rests on. */
interface Judgement {
  governing: SpecimenResult | undefined;
  found: Her2Status;
  reason: Text;
  /** Added after any data-gap note: the IHC pairing or the unconfirmed HER2-low. */
  suffix: Text | undefined;
  score: SpecimenResult | undefined;
  unconfirmedLow: boolean;
}

function judge(results: readonly SpecimenResult[], triaged: readonly Triaged[]): Judgement {
  const governing = governingSpecimen(results);
  const found = statusOf(
    governing,
    triaged.some((t) => t.use.use !== "ignored"),
  );
  const conclusive = governing && isConclusive(governing.call) ? governing : undefined;
  const paired = conclusive && pairedIhc(conclusive, results);
  const unconfirmedLow = !paired && conclusive?.ihcScore === "2+" && !conclusive.negativeIsh;
  const suffix = paired
    ? pairingNote(paired, conclusive)
    : unconfirmedLow && found === "negative"
      ? text("status.unconfirmed-low")
      : undefined;
  return {
    governing,
    found,
    reason: statusReason(found, governing, results, triaged),
    suffix,
    score: paired ?? conclusive,
    unconfirmedLow,
  };
}

// HER2-low for an IHC 2+ needs a negative ISH: a final negative call alone does not show one was done.
function categoryFor(status: Her2Status, j: Judgement): Her2Category {
  return categoryOf(status, j.unconfirmedLow ? undefined : j.score?.ihcScore, j.score?.zeroDetail);
}

/** A bilateral tumour judged on its own specimens. */
interface TumourJudgement extends Judgement {
  tumour: string;
  tumourText: Text;
  results: SpecimenResult[];
  category: Her2Category;
}

/**
 * Which tumour's status the top-level fields show when tumours differ: the one that decides treatment. HER2-positive
 * first (anti-HER2 therapy is indicated for that tumour), then one still needing work-up (equivocal, indeterminate),
 * then HER2-low before ultralow before 0 (more options). The others keep their own status in `tumours`.
 */
const STATUS_PRIORITY: Record<Her2Status, number> = {
  positive: 0,
  equivocal: 1,
  indeterminate: 2,
  negative: 3,
  "no-result": 4,
};
const CATEGORY_PRIORITY: Partial<Record<Her2Category, number>> = {
  "her2-low": 0,
  "her2-ultralow": 1,
  "her2-0": 2,
};

function byTreatmentPriority(a: TumourJudgement, b: TumourJudgement): number {
  return (
    STATUS_PRIORITY[a.found] - STATUS_PRIORITY[b.found] ||
    (CATEGORY_PRIORITY[a.category] ?? 9) - (CATEGORY_PRIORITY[b.category] ?? 9)
  );
}

/** How metastatic tissue beside several breast tumours is named among the tumours. */
const DISTANT_TISSUE = text("tumour.distant");

const UNASSIGNED = notUsed(text("evidence.unassigned-bilateral"));
const UNASSIGNED_IPSILATERAL = notUsed(text("evidence.unassigned-ipsilateral"));

/**
 * Category words for the rules' own texts: a clinician reads "HER2-low", not the code her2-low (issue 18.2):
 * `category.words.<category>`, and the status in words, `status.word.<status>`.
 */
const categoryWords = (category: Her2Category): Text => text(`category.words.${category}`);
const statusWords = (status: Her2Status): Text => text(`status.word.${status}`);

function bilateralNote(
  tumours: readonly TumourJudgement[],
  shown: TumourJudgement,
  unassigned: number,
  ipsilateral: boolean,
  governs: "priority" | "current" | "distant",
): Text {
  const each = joinTexts(
    tumours.map((t) =>
      text("bilateral.each", {
        tumour: t.tumourText,
        status: statusWords(t.found),
        category: categoryWords(t.category),
      }),
    ),
    "join.semicolon",
  );
  const differ = tumours.some((t) => t.found !== shown.found || t.category !== shown.category);
  const why =
    governs === "distant"
      ? text("bilateral.why.distant")
      : governs === "current"
        ? text("bilateral.why.current", { days: RETEST_WINDOW_DAYS })
        : text("bilateral.why.priority");
  const shownAs =
    governs === "distant"
      ? text("bilateral.shown.distant", { tumour: shown.tumourText })
      : text("bilateral.shown.tumour", { tumour: shown.tumourText });
  let note = text(ipsilateral ? "bilateral.ipsilateral" : "bilateral.bilateral", { each });
  if (differ)
    note = text("join.space", { first: note, rest: text("bilateral.differ", { shown: shownAs, why }) });
  if (unassigned > 0) {
    const count = text(ipsilateral ? "bilateral.unassigned.ipsilateral" : "bilateral.unassigned", {
      count: unassigned,
    });
    note = text("join.space", { first: note, rest: count });
  }
  return note;
}

/** A status reason with its suffix (the IHC pairing, the unconfirmed HER2-low) as one descriptor. */
function withSuffix(reason: Text, suffix: Text | undefined): Text {
  return suffix ? text("join.space", { first: reason, rest: suffix }) : reason;
}

function tumourAssessment(t: TumourJudgement): TumourAssessment {
  const reason = withSuffix(t.reason, t.suffix);
  const assessment: TumourAssessment = {
    tumour: t.tumour,
    status: t.found,
    category: t.category,
    statusReason: en(reason),
    i18n: { statusReason: reason, tumour: t.tumourText },
  };
  if (t.governing) assessment.basis = basisOf(t.governing);
  return assessment;
}

const IN_SITU = notUsed(text("evidence.in-situ"));

/** The recommendation when the only HER2 results are on in-situ carcinoma (ASCO/CAP 2018 tests invasive cancer). */
const IN_SITU_RECOMMENDATION: Recommendation = {
  text: en(text("recommendation.in-situ")),
  citations: cite("wolff2018"),
  i18n: { text: text("recommendation.in-situ") },
};

/**
 * The status and reason when HER2 results are on record only for in-situ carcinoma (tumour.ts `isInSituOnly`): the
 * status of invasive cancer cannot be determined from them; with invasive results too, a note names the in-situ ones.
 */
function inSituNote(inSitu: readonly SpecimenResult[], judged: Judgement, onlyInSitu: boolean): Judgement {
  if (inSitu.length === 0) return judged;
  const specimens = joinTexts(
    inSitu.map((r) => specimenDescriptionText(r.group)),
    "join.semicolon",
  );
  if (!onlyInSitu) {
    return { ...judged, reason: text("status.in-situ.note", { reason: judged.reason, specimens }) };
  }
  return { ...judged, found: "indeterminate", reason: text("status.in-situ.only", { specimens }) };
}

function residualUsage(start: IsoDate): Usage {
  return notUsed(text("evidence.residual", { start }));
}

function residualFlag(
  residual: SpecimenResult,
  governing: SpecimenResult | undefined,
  start: IsoDate,
  therapies: readonly AntiHer2Therapy[],
): Flag {
  const values = {
    specimen: capitalisedDescriptionText(residual.group),
    start,
    reason: reasonValue(residual),
  };
  return makeFlag("residual-disease-result", {
    message: governing
      ? text("flag.residual.message.governing", {
          ...values,
          governing: specimenDescriptionText(governing.group),
        })
      : text("flag.residual.message", values),
    action: text("flag.residual.action"),
    evidence: [...usedSources(residual), ...therapies.map((t) => t.source)],
  });
}

/** The recommendation with the current therapy on record taken into account (therapy-note.ts, issue 18.6). */
function withTherapy(base: Recommendation, note: TherapyNote): Recommendation {
  if (note.text === "" || !note.message) return base;
  const citations = [...base.citations];
  for (const c of note.citations) if (!citations.includes(c)) citations.push(c);
  const message = text("join.space", { first: base.i18n.text, rest: note.message });
  return { text: `${base.text} ${note.text}`, citations, i18n: { text: message } };
}

/** Assesses one patient (see index.ts for the contract). */
export function assessPatient(input: PatientInput): Assessment {
  const triaged = triageAll(input.tests, calendarDate(input.asOf));
  const assessed = assessSpecimens(triaged);
  const { groups, resultOf } = assessed;
  // In-situ-only specimens (DCIS) are information, never the status of invasive cancer (tumour.ts).
  const inSitu = assessed.results.filter(isInSituOnly);
  const results = assessed.results.filter((r) => !isInSituOnly(r));
  const therapies = listOf(input.therapies);
  const therapyStart = firstTherapyStart(therapies);
  const events = listOf<DiseaseEvent>(input.events);
  const residualEnd = residualUntil(therapies, events, therapyStart);
  const split = tumoursOf(results, events);
  // Distant (metastatic) tissue beside several breast tumours is not any breast tumour's specimen, but it is the
  // retest of metastatic disease: its own entry, and the result that governs treatment (HER2-GUIDELINE.md: "the result
  // on that tissue governs treatment"; Wolff 2018). Tissue with no recorded site stays unassigned.
  const distantResults = split ? results.filter((r) => siteKind(r.group.bodySite) === "distant") : [];
  const notes = new Map<SpecimenResult, Usage>();
  for (const r of inSitu) notes.set(r, IN_SITU);
  const residualFlags: Flag[] = [];
  // Residual disease is judged within each tumour: the other breast's biopsy is not this tumour's pre-treatment one.
  const eligibleOf = (list: readonly SpecimenResult[]): SpecimenResult[] => {
    const residual = residualSpecimens(list, therapyStart, residualEnd);
    const eligible = list.filter((r) => !residual.has(r));
    const pre = governingSpecimen(eligible);
    for (const r of residual) {
      notes.set(r, residualUsage(therapyStart as IsoDate));
      residualFlags.push(residualFlag(r, pre, therapyStart as IsoDate, therapies));
    }
    return eligible;
  };
  const judgeTumour = (name: Text, list: readonly SpecimenResult[]): TumourJudgement => {
    const eligible = eligibleOf(list);
    const j = judge(eligible, triaged);
    return { ...j, tumour: en(name), tumourText: name, results: eligible, category: categoryFor(j.found, j) };
  };
  const breastTumours = split?.tumours.map((t) => judgeTumour(t.nameText, t.results));
  const distantTumour = distantResults.length > 0 ? judgeTumour(DISTANT_TISSUE, distantResults) : undefined;
  const tumours = breastTumours && (distantTumour ? [...breastTumours, distantTumour] : breastTumours);
  let judged: Judgement;
  let note: Text | undefined;
  if (tumours && split) {
    // Metachronous tumours, outside metastatic disease and with no anti-HER2 therapy current: the current (latest)
    // primary governs (tumour.ts `currentPrimaryIndex`). Otherwise (synchronous tumours, metastatic disease whose
    // origin the record does not settle, or a course still running for the earlier tumour) the treatment priority.
    const asOf = calendarDate(input.asOf);
    const latest = currentPrimaryIndex(split.tumours);
    // Early disease, or no disease event at all; never when conditions did not load (a metastasis may be hidden).
    const eventGap = eventsGap(listOf(input.dataGaps));
    const known = settingOf(events, eventGap);
    const notMetastatic = known === "early" || (known === "unknown" && events.length === 0 && !eventGap);
    const currentIndex =
      latest !== undefined && notMetastatic && !therapies.some((t) => isCurrent(t, asOf))
        ? latest
        : undefined;
    const current = currentIndex === undefined ? undefined : breastTumours[currentIndex];
    const byPriority = [...breastTumours].sort(byTreatmentPriority)[0] as TumourJudgement;
    const shown = distantTumour ?? current ?? byPriority;
    const assigned = new Set(tumours.flatMap((t) => t.results));
    const unassigned = results.filter((r) => !assigned.has(r) && !notes.has(r));
    const ipsilateral = split.ipsilateral;
    for (const r of unassigned) notes.set(r, ipsilateral ? UNASSIGNED_IPSILATERAL : UNASSIGNED);
    judged = shown;
    const governs = distantTumour ? "distant" : current ? "current" : "priority";
    note = bilateralNote(tumours, shown, unassigned.length, ipsilateral, governs);
  } else {
    judged = judge(eligibleOf(results), triaged);
  }
  // Only in-situ results (nothing else used, pending or unreadable): no HER2 testing is missing from them, so
  // "complete the testing" would mislead.
  const inSituOnlyRecord =
    inSitu.length > 0 &&
    results.length === 0 &&
    !triaged.some((t) => t.use.use === "pending" || t.use.use === "unreadable");
  judged = inSituNote(inSitu, judged, inSituOnlyRecord);
  const governing = judged.governing;
  const dataGaps = listOf(input.dataGaps);
  const noted = note ? text("join.space", { first: judged.reason, rest: note }) : judged.reason;
  const { status, reason } = withDataGaps(judged.found, noted, dataGaps);
  const gap = eventsGap(dataGaps);
  const setting = settingOf(events, gap);
  const category = categoryFor(status, judged);
  // Metastatic tissue is compared with each breast tumour's governing result (one of them is its origin).
  const breastGoverning = new Set(breastTumours?.flatMap((t) => (t.governing ? [t.governing] : [])));
  const distantComparable = distantTumour
    ? [
        {
          results: results.filter((r) => distantTumour.results.includes(r) || breastGoverning.has(r)),
          governing: distantTumour.governing,
        },
      ]
    : [];
  const comparable = breastTumours
    ? [...breastTumours, ...distantComparable]
    : [{ results: results.filter((r) => !notes.has(r)), governing }];

  const statusText = withSuffix(reason, judged.suffix);
  const assessment: Assessment = {
    patient: input.patient,
    asOf: input.asOf,
    guideline: GUIDELINE,
    rulesVersion: RULES_VERSION,
    status,
    category,
    setting,
    statusReason: en(statusText),
    flags: collectFlags({
      triaged,
      groups,
      results,
      governing,
      status,
      events,
      therapies,
      dataGaps,
      setting,
      category,
      ihcScore: judged.score?.ihcScore,
      comparable,
      residual: residualFlags,
    }),
    recommendation: inSituOnlyRecord
      ? IN_SITU_RECOMMENDATION
      : withTherapy(
          setting === "unknown" && gap
            ? recommendWithSettingGap(status, category, gap)
            : recommend(status, category, setting),
          therapyNote(status, setting, therapies, calendarDate(input.asOf), residualFlags.length > 0),
        ),
    evidence: evidenceList(triaged, resultOf, governing, {
      governing: new Set(tumours?.flatMap((t) => (t.governing ? [t.governing] : [])) ?? []),
      notes,
    }),
    unreadable: unreadableList(triaged),
    dataGaps,
  };
  if (governing) assessment.basis = basisOf(governing);
  if (tumours) assessment.tumours = tumours.map(tumourAssessment);
  assessment.i18n =
    assessment.unreadable.length > 0
      ? { statusReason: statusText, unreadable: unreadableTexts(triaged) }
      : { statusReason: statusText };
  return assessment;
}
