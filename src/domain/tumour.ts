/**
 * The tumour behind each specimen (issue 12, point 1). A specimen's body site says which breast it came from (left /
 * right) or that it is distant tissue. Bilateral primaries are separate tumours: each gets its own status, and one
 * tumour's result never overrides the other's (Wolff 2018: each invasive tumour is tested and reported on its own).
 * After neoadjuvant anti-HER2 therapy the pre-treatment biopsy governs and a post-treatment breast result is residual
 * disease, shown as information (KATHERINE, von Minckwitz 2019).
 */
import { isConclusive } from "./calls";
import { byText, calendarDate, daysBefore } from "./dates";
import type { SpecimenResult } from "./specimen";
import { en, text, type Text } from "./text";
import type { AntiHer2Therapy, DiseaseEvent, IsoDate, ResourceRef } from "./types";

export type Side = "left" | "right";
export type SiteKind = "breast" | "regional-node" | "distant" | "unknown";

const LEFT = /\b(left|lt)\b|\bsinistr/i;
const RIGHT = /\b(right|rt)\b|\bdextr/i;
const BREAST = /breast|mammary gland|\bnipple|\bareola/i;
// Regional nodes for breast (ICD-10 C77.3 axillary; internal mammary; supra- and infraclavicular).
const REGIONAL_NODE = /axill|sentinel|internal mammary|clavicular/i;

/** Left or right, when the body site says so unambiguously. */
export function sideOf(bodySite: string | undefined): Side | undefined {
  if (!bodySite) return undefined;
  const left = LEFT.test(bodySite);
  const right = RIGHT.test(bodySite);
  return left === right ? undefined : left ? "left" : "right";
}

/** Breast, regional node, other (distant) tissue, or unknown when no body site is recorded. */
export function siteKind(bodySite: string | undefined): SiteKind {
  if (!bodySite?.trim()) return "unknown";
  if (REGIONAL_NODE.test(bodySite)) return "regional-node";
  if (BREAST.test(bodySite)) return "breast";
  return "distant";
}

/** The breast tumour a specimen belongs to (breast or regional node with a side), else undefined. */
export function breastTumourOf(result: SpecimenResult): Side | undefined {
  const site = result.group.bodySite;
  const kind = siteKind(site);
  return kind === "breast" || kind === "regional-node" ? sideOf(site) : undefined;
}

export interface TumourSplit {
  side: Side;
  /** How the tumour is named: "left breast", or "left breast, new primary of 2025-03-04" beside an earlier one. */
  name: string;
  /** `name` as a message descriptor (`tumour.<side>…`). */
  nameText: Text;
  results: SpecimenResult[];
}

/** A later primary in one breast that is its own tumour (`ipsilateralNewPrimaries`). */
export interface NewPrimary {
  side: Side;
  date: IsoDate;
  source: ResourceRef;
}

function primarySide(e: DiseaseEvent): Side | undefined {
  return sideOf(e.bodySite) ?? sideOf(e.description);
}

/**
 * Ipsilateral new primaries (issue 12, point 1/3; rules 2.0.0): a later primary Condition in the same breast is its own
 * tumour, not a recurrence of the first nor discordant with it, when the record names it a new (second,
 * metachronous) primary or gives it another histology than the tumour before it (Wolff 2018: each invasive tumour is
 * tested and reported on its own; SEER multiple primary rules: another histology in the same breast is a separate
 * primary). Its date must be more than RETEST_WINDOW_DAYS after the tumour before it, so the tumours' specimens can be
 * told apart by date; two primaries closer than that (synchronous), or a second Condition with no such sign (often
 * the same tumour recorded twice), stay one tumour history, and disagreement is then flagged, not hidden.
 */
export function ipsilateralNewPrimaries(events: readonly DiseaseEvent[]): NewPrimary[] {
  const found: NewPrimary[] = [];
  for (const side of ["left", "right"] as const) {
    const primaries = events
      .filter((e) => e.kind === "primary" && primarySide(e) === side)
      .map((e) => ({ e, date: calendarDate(e.date) }))
      .filter((p): p is { e: DiseaseEvent; date: IsoDate } => p.date !== undefined)
      .sort((a, b) => byText(a.date, b.date) || byText(a.e.source, b.e.source));
    const [first, ...later] = primaries;
    if (!first) continue;
    let since = first.date;
    let morphology = first.e.morphology;
    for (const { e, date } of later) {
      const otherHistology =
        e.morphology !== undefined && morphology !== undefined && e.morphology !== morphology;
      if ((e.newPrimary === true || otherHistology) && daysBefore(date, RETEST_WINDOW_DAYS) > since) {
        found.push({ side, date, source: e.source });
        since = date;
        morphology = e.morphology;
      } else {
        morphology ??= e.morphology;
      }
    }
  }
  return found;
}

/**
 * One breast's specimens split at its new primaries: a specimen collected on or after a new primary's date minus
 * RETEST_WINDOW_DAYS (the biopsy that made the diagnosis comes before the Condition) belongs to it; earlier ones to
 * the tumour before. Undated specimens cannot be placed and are left out.
 */
function splitByPrimary(
  side: Side,
  results: readonly SpecimenResult[],
  starts: readonly NewPrimary[],
): TumourSplit[] {
  if (starts.length === 0) {
    const nameText = text(`tumour.${side}`);
    return results.length > 0 ? [{ side, name: en(nameText), nameText, results: [...results] }] : [];
  }
  const from = starts.map((p) => daysBefore(p.date, RETEST_WINDOW_DAYS));
  const buckets: SpecimenResult[][] = [[], ...starts.map(() => [])];
  for (const r of results) {
    const date = r.group.date === undefined ? undefined : calendarDate(r.group.date);
    if (date === undefined) continue;
    let at = 0;
    from.forEach((f, i) => {
      if (date >= f) at = i + 1;
    });
    buckets[at]?.push(r);
  }
  const names = [
    text(`tumour.${side}.first`),
    ...starts.map((p) => text(`tumour.${side}.new`, { date: p.date })),
  ];
  return buckets.flatMap((b, i) => {
    const nameText = names[i] ?? text(`tumour.${side}`);
    return b.length > 0 ? [{ side, name: en(nameText), nameText, results: b }] : [];
  });
}

/**
 * The breast tumours when the patient has more than one (bilateral primaries, or an ipsilateral new primary), each
 * with its specimens (most recent first, as given); undefined when there is one tumour history. Specimens with no side
 * (distant tissue, or no body site), and in a breast with a new primary undated ones, are left out of all: which tumour
 * they came from cannot be told.
 */
export function tumoursOf(
  results: readonly SpecimenResult[],
  events: readonly DiseaseEvent[] = [],
): { tumours: TumourSplit[]; ipsilateral: boolean } | undefined {
  const left: SpecimenResult[] = [];
  const right: SpecimenResult[] = [];
  for (const r of results) {
    const side = breastTumourOf(r);
    if (side === "left") left.push(r);
    else if (side === "right") right.push(r);
  }
  const starts = ipsilateralNewPrimaries(events);
  const tumours = [
    ...splitByPrimary(
      "left",
      left,
      starts.filter((p) => p.side === "left"),
    ),
    ...splitByPrimary(
      "right",
      right,
      starts.filter((p) => p.side === "right"),
    ),
  ];
  if (tumours.length < 2) return undefined;
  return { tumours, ipsilateral: tumours.some((t) => t.nameText.id !== `tumour.${t.side}`) };
}

/**
 * The current primary among metachronous tumours (rules 2.0.0): the tumour whose first dated specimen comes more than
 * RETEST_WINDOW_DAYS after the last dated specimen of every other tumour, so the others are earlier tumours with no
 * specimen near the new diagnosis. Wolff 2018 tests and reports each invasive tumour on its own, and the most recent
 * tumour's result governs the current status (HER2-GUIDELINE.md, patient-level rules): an earlier, treated tumour's
 * result does not decide the therapy of a later primary. Undefined for synchronous tumours (specimens within the window of each other), when a tumour has no
 * dated specimen, or when two tumours start on the same day.
 */
export function currentPrimaryIndex(
  tumours: readonly { results: readonly SpecimenResult[] }[],
): number | undefined {
  const spans = tumours.map((t) => {
    const dates = t.results
      .map((r) => (r.group.date === undefined ? undefined : calendarDate(r.group.date)))
      .filter((d): d is IsoDate => d !== undefined)
      .sort(byText);
    return { first: dates[0], last: dates[dates.length - 1] };
  });
  if (tumours.length < 2 || spans.some((s) => s.first === undefined)) return undefined;
  let latest = 0;
  spans.forEach((s, i) => {
    if ((s.first as IsoDate) > (spans[latest]?.first as IsoDate)) latest = i;
  });
  const from = daysBefore(spans[latest]?.first as IsoDate, RETEST_WINDOW_DAYS);
  const earlierOnly = spans.every((s, i) => i === latest || (s.last as IsoDate) < from);
  return earlierOnly ? latest : undefined;
}

/** Therapy record statuses that mean the drug was not given. */
const NOT_GIVEN: ReadonlySet<string> = new Set(["entered-in-error", "cancelled", "not-taken", "not-done"]);

/** A record of therapy actually given: not entered in error, not taken, nor stopped before it started. */
export function wasGiven(t: AntiHer2Therapy): boolean {
  if (NOT_GIVEN.has(String(t.status))) return false;
  const start = calendarDate(t.start);
  const end = calendarDate(t.end);
  return !(t.status === "stopped" && start !== undefined && end !== undefined && end < start);
}

/**
 * Statuses of a therapy that is planned, not (yet) given (FHIR R4: MedicationRequest "draft", not yet actionable;
 * MedicationStatement "intended", to be taken in the future). Such a record still counts as anti-HER2 therapy on
 * record (the therapy flag), but never as neoadjuvant treatment that makes a later specimen residual disease.
 */
const PLANNED: ReadonlySet<string> = new Set(["draft", "intended"]);

/** The earliest start of an anti-HER2 therapy that was given (a planned one is not). */
export function firstTherapyStart(therapies: readonly AntiHer2Therapy[]): IsoDate | undefined {
  let first: IsoDate | undefined;
  for (const t of therapies) {
    if (!wasGiven(t) || PLANNED.has(String(t.status))) continue;
    const start = calendarDate(t.start);
    if (start && (first === undefined || start < first)) first = start;
  }
  return first;
}

/**
 * Residual-disease specimens: breast or regional-node tissue collected after the first anti-HER2 therapy, when a
 * conclusive specimen from before the therapy is on record (the pre-treatment biopsy that made the patient eligible).
 * KATHERINE (von Minckwitz 2019): residual invasive disease after neoadjuvant anti-HER2 therapy is treated with
 * T-DM1 on the strength of the pre-treatment HER2-positive result; HER2 loss in residual tumour is not a reason to
 * stop anti-HER2 therapy. A post-treatment specimen with no recorded site is not taken as residual disease (it may be
 * metastatic tissue): the usual most-recent rule then applies, as it does from `until` on (`residualUntil`).
 */
export function residualSpecimens(
  results: readonly SpecimenResult[],
  therapyStart: IsoDate | undefined,
  until?: IsoDate,
): Set<SpecimenResult> {
  const residual = new Set<SpecimenResult>();
  if (!therapyStart) return residual;
  const pretreatment = results.some(
    (r) => isConclusive(r.call) && r.group.date !== undefined && r.group.date < therapyStart,
  );
  if (!pretreatment) return residual;
  for (const r of results) {
    const kind = siteKind(r.group.bodySite);
    const local = kind === "breast" || kind === "regional-node";
    const date = r.group.date;
    if (local && date !== undefined && date > therapyStart && (until === undefined || date < until)) {
      residual.add(r);
    }
  }
  return residual;
}

/**
 * How long after the last recorded end of anti-HER2 therapy a breast or node specimen can still be the surgery that
 * follows neoadjuvant therapy: surgery comes weeks after the last neoadjuvant dose. 90 days is this project's choice
 * (data, not a guideline number), as RETEST_WINDOW_DAYS is.
 */
export const RESIDUAL_AFTER_END_DAYS = 90;

/**
 * The first date from which a breast or node specimen is no longer residual disease after neoadjuvant therapy
 * (`residualSpecimens`), undefined when the record sets no such bound. Residual disease is what the surgery after
 * neoadjuvant therapy finds (KATHERINE, von Minckwitz 2019), so a later specimen is recurrent disease or a new tumour,
 * whose result governs (HER2-GUIDELINE.md: re-test a recurrence; the result on that tissue governs treatment):
 * - from a recurrence or metastasis dated after the therapy started; for a locoregional recurrence, less
 *   RETEST_WINDOW_DAYS (its diagnostic biopsy of breast or node tissue comes before the Condition);
 * - from RESIDUAL_AFTER_END_DAYS after the last end of anti-HER2 therapy, when every therapy given records its end
 *   (an open or undated course sets no bound: surgery may still be within it).
 */
export function residualUntil(
  therapies: readonly AntiHer2Therapy[],
  events: readonly DiseaseEvent[],
  therapyStart: IsoDate | undefined,
): IsoDate | undefined {
  if (therapyStart === undefined) return undefined;
  let until: IsoDate | undefined;
  const earlier = (date: IsoDate): void => {
    if (until === undefined || date < until) until = date;
  };
  for (const e of events) {
    const date = e.kind === "primary" ? undefined : calendarDate(e.date);
    if (date === undefined || date <= therapyStart) continue;
    // A locoregional recurrence is retested on breast or node tissue, often biopsied before the Condition is
    // recorded. A metastasis (or a recurrence of unknown reach) is retested on distant tissue: a breast or node
    // specimen before its diagnosis is most likely the surgery, which stays residual disease.
    earlier(e.extent === "locoregional" ? daysBefore(date, RETEST_WINDOW_DAYS) : date);
  }
  const given = therapies.filter((t) => wasGiven(t) && !PLANNED.has(String(t.status)));
  const ends = given.map((t) => calendarDate(t.end));
  if (ends.length > 0 && ends.every((end) => end !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(end))) {
    const last = (ends as IsoDate[]).reduce((a, b) => (a > b ? a : b));
    earlier(daysAfter(last, RESIDUAL_AFTER_END_DAYS));
  }
  return until;
}

function daysAfter(date: IsoDate, days: number): IsoDate {
  return daysBefore(date, -days);
}

/**
 * How long before a recurrence or metastasis was recorded a biopsy still counts as its retest: the biopsy is often
 * what made the diagnosis, and the Condition is recorded after the pathology report. 90 days is this project's choice
 * (data, not a guideline number): ASCO/CAP 2018 asks for HER2 retesting on the recurrent or metastatic tissue without
 * giving a window, and a diagnostic work-up, report and coding fall within it.
 */
export const RETEST_WINDOW_DAYS = 90;

/**
 * Whether a specimen can be the retest of recurrent or metastatic disease: any tissue but the breast. A new breast
 * specimen may be a new primary or the original tumour, so it does not clear the retest (Wolff 2018: retest the
 * recurrent or metastatic tumour); regional-node and distant tissue, and tissue with no recorded site, count.
 */
export function canBeRetest(result: SpecimenResult): boolean {
  return siteKind(result.group.bodySite) !== "breast";
}

/**
 * In-situ-only tissue (DCIS, LCIS; the FHIR layer reads it from the Specimen and the report): its HER2 result does
 * not decide the status of invasive cancer. ASCO/CAP 2018 (reaffirming 2013 recommendation 1) determines HER2 status
 * on invasive breast cancer, primary or recurrent, and scores IHC on invasive tumour cells; HER2 testing of DCIS is
 * not an ASCO/CAP indication. Such a result is shown as information; with only in-situ results the status is
 * "cannot determine" (rules 2.0.0).
 */
export function isInSituOnly(result: SpecimenResult): boolean {
  return result.group.inSituOnly;
}
