/**
 * Patient-level flags (DESIGN.md flag codes): missing work-up per specimen, discordance between specimens, pending and
 * unreadable results, the metastatic retest and anti-HER2 therapy. Each flag has its message, evidence and sources.
 */
import { isConclusive, type Need, reasonValue } from "./calls";
import type { SpecimenGroup } from "./grouping";
import { byText, calendarDate } from "./dates";
import { makeFlag, sortFlags } from "./flags";
import { her2TestMissingFlag, medicationGap, notCheckedFlags, undatedResultFlag } from "./gap-flags";
import { type Triaged, testDate } from "./records";
import { firstDistantDate, retestFlag } from "./setting";
import { therapyDurationFlag } from "./therapy";
import { wasGiven } from "./tumour";
import {
  bySpecimenRecency,
  capitalisedDescriptionText,
  specimenDescriptionText,
  specimenNameText,
  type SpecimenResult,
  usedSources,
} from "./specimen";
import { joinTexts, text, type Text, type TextValue } from "./text";
import type {
  AntiHer2Therapy,
  DataGap,
  DiseaseEvent,
  Flag,
  FlagCode,
  Her2Category,
  Her2Status,
  Her2TestRecord,
  IhcScore,
  IsoDate,
  ResourceRef,
  Setting,
} from "./types";

const NEED_FLAGS: Record<Need, FlagCode> = {
  "reflex-ish": "reflex-ish-missing",
  "ihc-workup": "ihc-workup-needed",
  recount: "recount-needed",
  "recount-adjudication": "recount-needed",
  "dual-probe": "dual-probe-ish-needed",
};

/**
 * What the guideline asks for, added after the specimen's reason (which already names the missing step):
 * `flag.need.rule.<need>` in messages/en.json.
 */
const needRule = (need: Need): Text => text(`flag.need.rule.${need}`);

function needAction(need: Need, result: SpecimenResult): Text {
  const specimen = specimenNameText(result.group);
  if (need === "reflex-ish") {
    const date = result.ihcEquivocal ? testDate(result.ihcEquivocal) : undefined;
    return date
      ? text("flag.need.action.reflex-ish.dated", { specimen, date })
      : text("flag.need.action.reflex-ish", { specimen });
  }
  return text(`flag.need.action.${need}`, { specimen });
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
  const values = {
    specimen: capitalisedDescriptionText(result.group),
    reason: reasonValue(result),
    rule: needRule(need),
  };
  return makeFlag(NEED_FLAGS[need], {
    message: superseded
      ? text("flag.need.message.superseded", { ...values, later: specimenDescriptionText(governing.group) })
      : text("flag.need.message", values),
    action: needAction(need, result),
    evidence: usedSources(result),
    severity: superseded ? "info" : undefined,
  });
}

/**
 * IHC 2+ with a final negative call but no negative ISH on record: the status stands (the laboratory's call), but
 * HER2-low rests on the ISH, so the missing reflex ISH is noted as information.
 */
function unconfirmedLowFlag(result: SpecimenResult, groups: readonly SpecimenGroup[]): Flag | undefined {
  if (result.call !== "negative" || result.ihcScore !== "2+" || result.negativeIsh) return undefined;
  if (reflexFoundWithoutSpecimen(result, groups)) return undefined;
  return makeFlag("reflex-ish-missing", {
    message: text(
      ishOnRecord(result) ? "flag.unconfirmed-low.ish-not-negative" : "flag.unconfirmed-low.no-ish",
      {
        specimen: capitalisedDescriptionText(result.group),
      },
    ),
    action: needAction("reflex-ish", result),
    evidence: usedSources(result),
    severity: "info",
  });
}

/** Whether an ISH on the specimen is on record (a message must never say "no ISH" when one is). */
function ishOnRecord(result: SpecimenResult): boolean {
  return result.latest.dual !== undefined || result.latest.single !== undefined;
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
    message: text("flag.discordant.message", {
      positive: specimenDescriptionText(positive.group),
      negative: specimenDescriptionText(negative.group),
      governing: specimenDescriptionText(governing.group),
    }),
    action: text("flag.discordant.action", {
      positive: specimenNameText(positive.group),
      negative: specimenNameText(negative.group),
    }),
    // The governing specimen is usually one of the two: its sources are then listed (and sorted) once.
    evidence:
      governing === positive || governing === negative
        ? [...usedSources(positive), ...usedSources(negative)]
        : [...usedSources(positive), ...usedSources(negative), ...usedSources(governing)],
  });
}

function listFlag(
  code: "result-pending" | "result-unreadable",
  items: readonly { record: Her2TestRecord; reason?: TextValue }[],
): Flag | undefined {
  if (items.length === 0) return undefined;
  const count = items.length;
  const listed = joinTexts(
    items
      .slice(0, 3)
      .map((i) =>
        i.reason
          ? text("flag.list.item.reason", { source: i.record.source, reason: i.reason })
          : text("flag.list.item.status", { source: i.record.source, status: i.record.status }),
      ),
    "join.semicolon",
  );
  const details =
    count > 3
      ? text("flag.list.more", { details: listed, more: text("flag.list.more.count", { more: count - 3 }) })
      : listed;
  const which = code === "result-pending" ? "pending" : "unreadable";
  // The next step (issue 18.1): pending results come from the laboratory; an unreadable one is read at its source.
  return makeFlag(code, {
    message: text(`flag.${which}.message`, { results: text(`flag.${which}.count`, { count }), details }),
    action: text(`flag.${which}.action`, { count }),
    evidence: items.map((i) => i.record.source),
  });
}

/** The next step for HER2-positive disease without (current) anti-HER2 therapy on record (issue 18.1). */
const THERAPY_ACTION = text("flag.therapy.action");

const FINISHED: ReadonlySet<string> = new Set(["completed", "stopped"]);

/**
 * In metastatic disease, therapy for the metastatic disease: ongoing, or started on or after the first dated distant
 * event. A completed or stopped course that ended before it (the adjuvant year) is not current therapy: anti-HER2
 * therapy in metastatic disease continues until progression (Swain 2015, CLEOPATRA; rules 1.2.0).
 */
function isCurrentForMetastatic(t: AntiHer2Therapy, metastasisDate: IsoDate | undefined): boolean {
  const start = calendarDate(t.start);
  if (metastasisDate !== undefined && start !== undefined && start >= metastasisDate) return true;
  return !FINISHED.has(String(t.status)) && calendarDate(t.end) === undefined;
}

function therapyFlag(c: FlagContext, basis: readonly ResourceRef[]): Flag | undefined {
  if (c.status !== "positive") return undefined;
  const given = c.therapies.filter(wasGiven);
  const gap = c.dataGaps.find((g) => g.resourceType.startsWith("Medication"));
  const withGap = (message: Text): Text =>
    gap ? text("flag.therapy.gap", { text: message, reason: reasonValue(gap) }) : message;
  // Medications that did not load: the check is listed as not made (gap-flags.ts), never raised on missing data.
  if (given.length === 0 && medicationGap(c.dataGaps)) return undefined;
  if (given.length === 0) {
    return makeFlag("anti-her2-therapy-not-found", {
      message: withGap(text("flag.therapy.none")),
      action: THERAPY_ACTION,
      evidence: basis,
    });
  }
  if (c.setting !== "metastatic") return undefined;
  const metastasisDate = firstDistantDate(c.events);
  if (given.some((t) => isCurrentForMetastatic(t, metastasisDate))) return undefined;
  // The courses named, in an order of their own (start, drug, source), never the order the records came in.
  const named = [...given].sort(
    (a, b) =>
      byText(calendarDate(a.start) ?? "", calendarDate(b.start) ?? "") ||
      byText(a.drug, b.drug) ||
      byText(a.source, b.source),
  );
  const courses = joinTexts(
    named.slice(0, 3).map((t) => {
      const status = t.status ?? text("flag.therapy.status-not-recorded");
      return t.end
        ? text("flag.therapy.course.ended", { drug: t.drug, status, end: t.end })
        : text("flag.therapy.course", { drug: t.drug, status });
    }),
    "join.semicolon",
  );
  return makeFlag("anti-her2-therapy-not-found", {
    message: withGap(
      metastasisDate
        ? text("flag.therapy.finished.before", { date: metastasisDate, courses })
        : text("flag.therapy.finished", { courses }),
    ),
    action: THERAPY_ACTION,
    evidence: [...basis, ...given.map((t) => t.source)],
  });
}

/**
 * A negative call on decalcified tissue (usually bone) may be a false negative: ASCO/CAP 2018 warns that
 * decalcification can destroy HER2 antigen and DNA. The status stands, with a warning and a suggested retest.
 */
function decalcifiedNegativeFlag(result: SpecimenResult): Flag | undefined {
  if (result.call !== "negative" || !result.group.decalcified) return undefined;
  return makeFlag("decalcified-negative", {
    message: text("flag.decalcified.message", { specimen: capitalisedDescriptionText(result.group) }),
    action: text("flag.decalcified.action", { specimen: specimenNameText(result.group) }),
    evidence: usedSources(result),
  });
}

export interface FlagContext {
  triaged: readonly Triaged[];
  groups: readonly SpecimenGroup[];
  results: readonly SpecimenResult[];
  governing: SpecimenResult | undefined;
  status: Her2Status;
  events: readonly DiseaseEvent[];
  therapies: readonly AntiHer2Therapy[];
  dataGaps: readonly DataGap[];
  setting?: Setting;
  /** The category and the IHC score it rests on (none when the specimen has no score on record). */
  category?: Her2Category;
  ihcScore?: IhcScore;
  /**
   * The specimens compared for `discordant-results`: one list per tumour (bilateral primaries are not discordant
   * with each other), without residual disease after neoadjuvant therapy. All results when absent.
   */
  comparable?: readonly { results: readonly SpecimenResult[]; governing: SpecimenResult | undefined }[];
  /** Residual-disease flags (tumour.ts), added as they are. */
  residual?: readonly Flag[];
}

/**
 * Metastatic HER2-negative disease: the IHC score decides trastuzumab deruxtecan (HER2-low, DESTINY-Breast04, FDA
 * 2022; HER2-ultralow, DESTINY-Breast06, FDA 2025). Without a score it is needed (`ihc-score-needed`); an IHC 0 not
 * recorded as ultralow is worth re-reviewing for faint incomplete staining in <=10% of cells (`ihc-zero-review`).
 */
function metastaticScoreFlag(c: FlagContext): Flag | undefined {
  if (c.setting !== "metastatic" || c.status !== "negative" || !c.governing) return undefined;
  const specimen = specimenDescriptionText(c.governing.group);
  const evidence = usedSources(c.governing);
  if (c.ihcScore === undefined && !c.governing.ihcEquivocal) {
    return makeFlag("ihc-score-needed", {
      message: text("flag.score-needed.message", { specimen }),
      action: text("flag.score-needed.action"),
      evidence,
    });
  }
  if (c.ihcScore === "0" && c.category === "her2-0") {
    return makeFlag("ihc-zero-review", {
      message: text("flag.zero-review.message", { specimen }),
      action: text("flag.zero-review.action"),
      evidence,
    });
  }
  return undefined;
}

/** Every flag that applies, most urgent first. */
export function collectFlags(c: FlagContext): Flag[] {
  const flags: (Flag | undefined)[] = [];
  const conclusive: SpecimenResult[] = [];
  for (const r of c.results) {
    flags.push(
      needFlag(r, c.governing, c.groups),
      unconfirmedLowFlag(r, c.groups),
      decalcifiedNegativeFlag(r),
    );
    for (const m of r.mismatches) flags.push(makeFlag("interpretation-mismatch", m));
    for (const d of r.discordances) flags.push(makeFlag("discordant-results", d));
    if (isConclusive(r.call)) conclusive.push(r);
  }
  const pending: { record: Her2TestRecord; reason?: TextValue }[] = [];
  // An unreadable record's reason as the rules hold it: a descriptor (the rules' or the FHIR layer's), whose English
  // is `t.use.reason`.
  const unreadable: { record: Her2TestRecord; reason?: TextValue }[] = [];
  for (const t of c.triaged) {
    if (t.use.use === "pending") pending.push({ record: t.record });
    else if (t.use.use === "unreadable") unreadable.push({ record: t.record, reason: t.use.text });
  }
  for (const t of c.comparable ?? [c]) flags.push(discordantFlag(t.results, t.governing));
  flags.push(
    ...(c.residual ?? []),
    listFlag("result-pending", pending),
    listFlag("result-unreadable", unreadable),
    retestFlag(c.events, conclusive),
    therapyFlag(c, c.governing ? usedSources(c.governing) : []),
    metastaticScoreFlag(c),
    her2TestMissingFlag(
      c.status,
      c.triaged.some((t) => t.use.use !== "ignored"),
      c.events,
      c.dataGaps,
    ),
    undatedResultFlag(c.governing),
    therapyDurationFlag(c.therapies, c.setting),
  );
  const raised = flags.filter((f): f is Flag => f !== undefined);
  const given = c.therapies.filter(wasGiven);
  raised.push(
    ...notCheckedFlags({
      status: c.status,
      governing: c.governing,
      dataGaps: c.dataGaps,
      setting: c.setting,
      raised: new Set(raised.map((f) => f.code)),
      anyTherapyGiven: given.length > 0,
      ongoingTherapy: given.some((t) => isCurrentForMetastatic(t, undefined)),
      ihcScore: c.ihcScore,
      category: c.category,
    }),
  );
  return sortFlags(raised);
}
