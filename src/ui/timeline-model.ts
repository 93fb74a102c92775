/**
 * What the timeline shows, computed apart from the drawing, in pixels for the width it is drawn at: every mark with
 * its date written on it, the label boxes packed into lanes so no two overlap, axis labels that fit (months for a
 * short span, years for a long one), a one-sentence summary for the picture's accessible name, and a dated text
 * list. Dates are placed by calendar day in UTC (never shifted). Therapy is drawn only as far as the record
 * supports (domain/therapy.ts): an order left open is not drawn up to today.
 */
import { therapyCourses, type TherapyCourse } from "../domain/therapy";
import { wasGiven } from "../domain/tumour";
import type { AntiHer2Therapy, DiseaseEvent, EvidenceItem, IsoDate } from "../domain/types";
import { calendarDate, compareNewestFirst, dayNumber, displayDate } from "./dates";
import { labelIshValue } from "./clinical-text";
import { deferredEnglishT as englishT } from "./deferred/english";
import type { Translate } from "./i18n/translate";

/** Font size of mark labels and axis labels, in px, and the width estimate per character (no DOM measuring). */
export const FONT = 11;
const CHAR = 0.62 * FONT;
const GAP = 6;
/** Horizontal room kept free at both ends so end marks and their labels are not clipped. */
const SIDE = 8;
const TITLE_H = 16;
const MARK_LANE_H = 32;
const BAR_LANE_H = 30;
const AXIS_H = 26;
export const DEFAULT_WIDTH = 640;

export interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

interface Labelled {
  /** Centre (marks) or start (bars) in px. */
  x: number;
  /** Symbol centre (marks) or bar centre (bars) in px. */
  y: number;
  /** The words written on the mark: what and when. */
  text: string;
  /** Where the words are drawn (left edge, baseline) and the box they and the symbol take. */
  textX: number;
  textY: number;
  box: Box;
  /** The full sentence for the text list. */
  label: string;
}

export interface TestMark extends Labelled {
  used: boolean;
}
export interface EventMark extends Labelled {
  kind: DiseaseEvent["kind"];
}
export interface TherapyMark extends Labelled {
  /** The words on one line, or on two (drug; dates) when one line does not fit the width. */
  lines: string[];
  width: number;
  /** No end date and not completed or stopped: drawn to its last record, with an open end. */
  open: boolean;
}
export interface Tick {
  x: number;
  label: string;
}
export interface RowTitle {
  y: number;
  text: string;
}

export interface TimelineModel {
  width: number;
  height: number;
  tests: TestMark[];
  events: EventMark[];
  therapies: TherapyMark[];
  titles: RowTitle[];
  ticks: Tick[];
  axisY: number;
  /** Position of the assessment date ("today" for the rules). */
  asOfX: number;
  /** One-paragraph summary: the picture's accessible name. */
  summary: string;
  /** Every item in date order, oldest first, with undated items at the end. */
  entries: string[];
  /** Items on record that the picture cannot place (no date), in words, so none disappears silently. */
  undated: string[];
  /** True when nothing has a date, so there is nothing to draw. */
  empty: boolean;
}

/** The short word a test's mark shows: "IHC 2+", "ISH", "Report" (in `t`'s language). */
function shortTest(e: EvidenceItem, t: Translate): string {
  const word = t("timeline.mark.method", { method: e.method });
  return e.method === "ihc" ? `${word} ${e.value}` : word;
}

function testLabel(e: EvidenceItem, t: Translate): string {
  // Clinical words (issue 18.2): labelled ISH values, and the lab's specimen label, never a resource reference.
  const spec = e.specimenLabel;
  const values = { method: t(`method.${e.method}`), value: labelIshValue(e.value) };
  const text = spec
    ? t("timeline.item.testSpecimen", { ...values, specimen: spec })
    : t("timeline.item.test", values);
  return e.used ? text : t("timeline.item.notUsed", { text });
}

/** "Metastasis: Liver" (the kind in `t`'s words; the site as the record writes it). */
function eventWords(kind: DiseaseEvent["kind"], where: string | undefined, t: Translate): string {
  return where ? t("timeline.item.eventAt", { kind, where }) : t("timeline.item.event", { kind });
}

function eventLabel(e: DiseaseEvent, t: Translate): string {
  return eventWords(e.kind, e.description ?? e.bodySite, t);
}

/**
 * The course in words: its dates as the record supports them, and an open order said to be open (in `t`'s language,
 * dates written by `date`; English and ISO dates by default).
 */
function courseSpan(
  c: TherapyCourse,
  t: Translate = englishT,
  date: (iso: string) => string = (d) => d,
): string {
  const span =
    c.start === c.end
      ? c.open
        ? t("timeline.span.ordered", { date: date(c.start) })
        : date(c.start)
      : t("timeline.span.range", { start: date(c.start), end: date(c.end) });
  return c.open ? t("timeline.span.open", { span }) : span;
}

const textWidth = (text: string): number => text.length * CHAR;
const LINE_H = 13;

/** The words cut with an ellipsis to fit `width` px (the full words are in the text list). */
function fit(text: string, width: number): string {
  const max = Math.floor(width / CHAR);
  return text.length <= max ? text : `${text.slice(0, Math.max(max - 1, 1))}…`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The picture's own words in the page's language (the item texts are still English; the summary is in `t`'s). */
export interface TimelineWords {
  lanes: { tests: string; events: string; therapy: string };
  /** "Mar 2024": a month tick of the axis (month 0-11). */
  monthTick: (month: number, year: number) => string;
  /** The screen-reader summary's words and dates (English and ISO dates when absent). */
  t?: Translate;
  date?: (iso: string) => string;
}

export const ENGLISH_TIMELINE_WORDS: TimelineWords = {
  lanes: { tests: "HER2 tests", events: "Diagnosis, recurrence, metastasis", therapy: "Anti-HER2 therapy" },
  monthTick: (month, year) => `${MONTHS[month] ?? ""} ${String(year)}`,
};
const TICK_STEPS_MONTHS = [1, 2, 3, 6, 12, 24, 60, 120];

/** Axis ticks on month or year boundaries, as many as fit without their labels touching. */
function axisTicks(
  lo: number,
  hi: number,
  x: (day: number) => number,
  width: number,
  monthTick: TimelineWords["monthTick"],
): Tick[] {
  const start = new Date(lo * 86_400_000);
  const end = new Date(hi * 86_400_000);
  const months =
    (end.getUTCFullYear() - start.getUTCFullYear()) * 12 + end.getUTCMonth() - start.getUTCMonth();
  for (const step of TICK_STEPS_MONTHS) {
    const labelWidth = textWidth(step < 12 ? "Mmm 2000" : "2000") + 2 * GAP;
    if ((months / step) * labelWidth > width - 2 * SIDE) continue;
    const ticks: Tick[] = [];
    // First boundary after lo that is a multiple of the step (January for yearly steps).
    let y = start.getUTCFullYear();
    let m = start.getUTCMonth() + 1;
    const unit = Math.min(step, 12);
    m = Math.ceil(m / unit) * unit;
    for (;;) {
      y += Math.floor(m / 12);
      m %= 12;
      const day = Date.UTC(y, m, 1) / 86_400_000;
      if (day > hi) break;
      if (step < 12 || y % (step / 12) === 0) {
        const tx = x(day);
        const text = step < 12 ? monthTick(m, y) : String(y);
        if (tx - textWidth(text) / 2 >= 0 && tx + textWidth(text) / 2 <= width)
          ticks.push({ x: tx, label: text });
      }
      m += unit;
    }
    return ticks;
  }
  return [];
}

/**
 * Packs label boxes into lanes, left to right: an item goes to the first lane whose last box ends (plus a gap)
 * before it begins. Returns the lane of each item, in the input order.
 */
export function packLanes(spans: readonly { x0: number; x1: number }[]): number[] {
  const order = spans.map((s, i) => ({ ...s, i })).sort((a, b) => a.x0 - b.x0 || a.i - b.i);
  const laneEnds: number[] = [];
  const lanes = new Array<number>(spans.length).fill(0);
  for (const s of order) {
    let lane = laneEnds.findIndex((end) => end + GAP <= s.x0);
    if (lane === -1) {
      lane = laneEnds.length;
      laneEnds.push(s.x1);
    } else laneEnds[lane] = s.x1;
    lanes[s.i] = lane;
  }
  return lanes;
}

/** Keeps a label of `w` px centred on `cx` (or starting at it) inside the drawing. */
function clampLeft(left: number, w: number, width: number): number {
  return Math.max(0, Math.min(left, width - w));
}

interface Point<T> {
  day: number;
  text: string;
  label: string;
  /** What the mark carries besides its place and words (used or not, the kind of event). */
  extra: T;
}

/** Marks of one row: symbol at the date, its words below it, lanes stacked downwards from `top`. */
function markRow<T extends object>(
  points: readonly Point<T>[],
  x: (day: number) => number,
  width: number,
  top: number,
): { marks: (Labelled & T)[]; bottom: number } {
  const placed = points.map((p) => {
    const cx = x(p.day);
    const w = Math.max(textWidth(p.text), 12);
    const left = clampLeft(cx - w / 2, w, width);
    return { p, cx, left, w };
  });
  const lanes = packLanes(
    placed.map((q) => ({ x0: Math.min(q.left, q.cx - 7), x1: Math.max(q.left + q.w, q.cx + 7) })),
  );
  const laneCount = lanes.length === 0 ? 0 : Math.max(...lanes) + 1;
  const marks = placed.map((q, i) => {
    const y = top + (lanes[i] ?? 0) * MARK_LANE_H + 8;
    return {
      ...q.p.extra,
      label: q.p.label,
      x: q.cx,
      y,
      text: q.p.text,
      textX: q.left,
      textY: y + 19,
      box: { x0: Math.min(q.left, q.cx - 7), x1: Math.max(q.left + q.w, q.cx + 7), y0: y - 7, y1: y + 23 },
    };
  });
  return { marks, bottom: top + laneCount * MARK_LANE_H };
}

interface DatedGroup<T> {
  date: IsoDate;
  items: T[];
}

/** Items with a date, grouped by calendar date (several results of one day are one mark), oldest first. */
function byDate<T>(
  items: readonly T[],
  dateOf: (t: T) => IsoDate | undefined,
  key: (t: T) => string = () => "",
): DatedGroup<T>[] {
  const groups = new Map<string, DatedGroup<T>>();
  for (const item of items) {
    const date = calendarDate(dateOf(item));
    if (date === undefined || dayNumber(date) === undefined) continue;
    const k = `${date}|${key(item)}`;
    const g = groups.get(k);
    if (g) g.items.push(item);
    else groups.set(k, { date, items: [item] });
  }
  return [...groups.values()].sort((a, b) => -compareNewestFirst(a.date, b.date));
}

/** A disease event as the timeline shows it: a kind, a date (or none) and the sentence for the text list. */
interface ShownEvent {
  kind: DiseaseEvent["kind"];
  date?: IsoDate;
  /** The word on the mark (without the date). */
  word: string;
  label: string;
}

/**
 * The events to show. A breast-cancer Condition whose clinical status became "recurrence" gives a recurrence with no
 * date of its own; its onset is the primary diagnosis, so that is marked as a primary diagnosis, and the recurrence
 * is placed only when it was recorded later than the onset (else it is listed as undated, never drawn at the
 * primary's date).
 */
function shownEvents(events: readonly DiseaseEvent[], t: Translate): ShownEvent[] {
  const shown: ShownEvent[] = [];
  const primaryDates = new Set(
    events.filter((e) => e.kind === "primary").map((e) => calendarDate(e.date) ?? ""),
  );
  for (const e of events) {
    const diagnosed = e.kind === "recurrence" ? calendarDate(e.diagnosed) : undefined;
    if (diagnosed === undefined) {
      shown.push({
        kind: e.kind,
        date: e.date,
        word: t("timeline.item.event", { kind: e.kind }),
        label: eventLabel(e, t),
      });
      continue;
    }
    if (!primaryDates.has(diagnosed)) {
      primaryDates.add(diagnosed);
      const where = e.description?.replace(/ \(clinical status: recurrence[^)]*\)$/, "") ?? e.bodySite;
      shown.push({
        kind: "primary",
        date: diagnosed,
        word: t("timeline.item.event", { kind: "primary" }),
        label: t("timeline.item.laterRecurrence", { label: eventWords("primary", where, t) }),
      });
    }
    const recorded = calendarDate(e.date);
    shown.push({
      kind: "recurrence",
      date: recorded !== undefined && recorded > diagnosed ? recorded : undefined,
      word: t("timeline.mark.recurrenceRecorded"),
      label:
        recorded !== undefined && recorded > diagnosed
          ? eventLabel(e, t)
          : t("timeline.item.recurrenceUndated", { label: eventLabel(e, t) }),
    });
  }
  return shown;
}

/** Builds the timeline for one assessment, laid out for a drawing `width` px wide. */
export function buildTimeline(
  evidence: readonly EvidenceItem[],
  diseaseEvents: readonly DiseaseEvent[],
  therapies: readonly AntiHer2Therapy[],
  asOf: IsoDate,
  width: number = DEFAULT_WIDTH,
  words: TimelineWords = ENGLISH_TIMELINE_WORDS,
): TimelineModel {
  // The item texts (hidden list, undated line, mark labels) in `words.t`'s language; the drawn words stay short.
  const t = words.t ?? englishT;
  const events = shownEvents(diseaseEvents, t);
  const courses = therapyCourses(therapies);
  // Given therapies without a start cannot be drawn; the text list and the summary still name them.
  const undatedTherapies = therapies.filter((t) => wasGiven(t) && calendarDate(t.start) === undefined);
  const asOfDay = dayNumber(asOf);
  const days = [
    ...evidence.map((e) => dayNumber(e.date)),
    ...events.map((e) => dayNumber(e.date)),
    ...courses.flatMap((c) => [dayNumber(c.start), dayNumber(c.end)]),
  ].filter((d): d is number => d !== undefined);
  const empty = days.length === 0;
  if (asOfDay !== undefined) days.push(asOfDay);

  let lo = Math.min(...days);
  let hi = Math.max(...days);
  if (!Number.isFinite(lo)) lo = hi = 0;
  if (hi - lo < 180) {
    // A single date or a tight cluster: show at least six months, so the marks do not sit on the edges and the axis
    // has a few month labels.
    const pad = (180 - (hi - lo)) / 2;
    lo -= pad;
    hi += pad;
  }
  const x = (day: number): number => SIDE + ((width - 2 * SIDE) * (day - lo)) / (hi - lo);

  const titles: RowTitle[] = [];
  let top = 0;

  titles.push({ y: top + 11, text: words.lanes.tests });
  top += TITLE_H;
  const testGroups = byDate(evidence, (e) => e.date);
  const testRow = markRow(
    testGroups.map((g) => ({
      day: dayNumber(g.date) ?? 0,
      text: `${[...new Set(g.items.map((e) => shortTest(e, t)))].join(", ")} ${g.date}`,
      extra: { used: g.items.some((e) => e.used) },
      label: g.items.map((e) => testLabel(e, t)).join(t("timeline.sum.separator")),
    })),
    x,
    width,
    top,
  );
  top = Math.max(testRow.bottom, top + MARK_LANE_H);

  titles.push({ y: top + 11, text: words.lanes.events });
  top += TITLE_H;
  const eventGroups = byDate(
    events,
    (e) => e.date,
    (e) => e.kind,
  );
  const eventRow = markRow(
    eventGroups.map((g) => {
      const kind = g.items[0]?.kind ?? "primary";
      return {
        day: dayNumber(g.date) ?? 0,
        text: `${g.items[0]?.word ?? t("timeline.item.event", { kind })} ${g.date}`,
        extra: { kind },
        label: g.items.map((e) => e.label).join(t("timeline.sum.separator")),
      };
    }),
    x,
    width,
    top,
  );
  top = Math.max(eventRow.bottom, top + MARK_LANE_H);

  titles.push({ y: top + 11, text: words.lanes.therapy });
  top += TITLE_H;
  const bars = courses.map((c) => {
    const x0 = x(dayNumber(c.start) ?? lo);
    const x1 = Math.max(x(dayNumber(c.end) ?? lo), x0 + 4);
    const text = `${c.drug} ${courseSpan(c)}`;
    const lines = (textWidth(text) <= width ? [text] : [c.drug, courseSpan(c)]).map((l) => fit(l, width));
    const w = Math.max(...lines.map(textWidth));
    const textX = clampLeft(x0, w, width);
    // An open course gets a short open-end marker after its last record (not a bar to today).
    const end = Math.min(c.open ? x1 + 10 : x1, width);
    return { c, x0, x1, text, lines, textX, box: { x0: Math.min(x0, textX), x1: Math.max(end, textX + w) } };
  });
  const barLanes = packLanes(bars.map((b) => b.box));
  // Lane heights: a lane holding a two-line label is one text line taller.
  const laneTops: number[] = [];
  const laneLines = bars.reduce<number[]>((acc, b, i) => {
    const lane = barLanes[i] ?? 0;
    acc[lane] = Math.max(acc[lane] ?? 1, b.lines.length);
    return acc;
  }, []);
  let laneTop = top;
  for (const n of laneLines) {
    laneTops.push(laneTop);
    laneTop += BAR_LANE_H + (n - 1) * LINE_H;
  }
  const therapyMarks: TherapyMark[] = bars.map((b, i) => {
    const lane = barLanes[i] ?? 0;
    const laneY = laneTops[lane] ?? top;
    const textH = (laneLines[lane] ?? 1) * LINE_H;
    return {
      x: b.x0,
      width: b.x1 - b.x0,
      y: laneY + textH + 7,
      open: b.c.open,
      text: b.text,
      lines: b.lines,
      textX: b.textX,
      textY: laneY + 11,
      box: { ...b.box, y0: laneY, y1: laneY + textH + 12 },
      label: t("timeline.item.therapy", { drug: b.c.drug, span: courseSpan(b.c, t, words.date) }),
    };
  });
  top = bars.length === 0 ? top + BAR_LANE_H : laneTop;

  const axisY = top + 4;
  const ticks = axisTicks(lo, hi, x, width, words.monthTick);

  const dated: { date?: string; text: string }[] = [
    ...evidence.map((e) => ({ date: e.date, text: testLabel(e, t) })),
    ...events.map((e) => ({ date: e.date, text: e.label })),
    ...therapyMarks.map((m, i) => ({ date: courses[i]?.start, text: m.label })),
    ...undatedTherapies.map((u) => ({ text: t("timeline.item.therapyUndated", { drug: u.drug }) })),
  ];
  // Oldest first for a timeline; undated items last.
  dated.sort((a, b) => {
    if (!calendarDate(a.date)) return calendarDate(b.date) ? 1 : 0;
    if (!calendarDate(b.date)) return -1;
    return -compareNewestFirst(a.date, b.date);
  });
  const entryDate = (iso: string | undefined): string => {
    const date = calendarDate(iso);
    if (!words.date) return displayDate(iso);
    return date === undefined ? t("date.notRecorded") : words.date(date);
  };
  const entries = dated.map((d) => t("timeline.item.entry", { date: entryDate(d.date), text: d.text }));

  return {
    width,
    height: axisY + AXIS_H,
    tests: testRow.marks,
    events: eventRow.marks,
    therapies: therapyMarks,
    titles,
    ticks,
    axisY,
    asOfX: asOfDay === undefined ? width - SIDE : x(asOfDay),
    summary: summarise(evidence, events, courses, undatedTherapies, asOf, words),
    entries,
    undated: dated.filter((d) => calendarDate(d.date) === undefined).map((d) => d.text),
    empty,
  };
}

function latest(dates: (IsoDate | undefined)[]): string | undefined {
  return dates
    .map(calendarDate)
    .filter((d): d is string => d !== undefined)
    .sort()
    .at(-1);
}

/**
 * The sentence a screen-reader user hears for the picture: counts, the latest test, and any retest gap, in the
 * page's language (`words.t`), since the picture's accessible name is read in the page's `lang`.
 */
function summarise(
  evidence: readonly EvidenceItem[],
  events: readonly ShownEvent[],
  courses: readonly TherapyCourse[],
  undatedTherapies: readonly AntiHer2Therapy[],
  asOf: IsoDate,
  words: TimelineWords,
): string {
  const t = words.t ?? englishT;
  const date = words.date ?? ((d: string) => d);
  const parts: string[] = [];
  const lastTest = latest(evidence.map((e) => e.date));
  parts.push(
    evidence.length === 0
      ? t("timeline.sum.noTests")
      : lastTest
        ? t("timeline.sum.testsLatest", { count: evidence.length, date: date(lastTest) })
        : t("timeline.sum.tests", { count: evidence.length }),
  );
  const primary = latest(events.filter((e) => e.kind === "primary").map((e) => e.date));
  if (primary) parts.push(t("timeline.sum.primary", { date: date(primary) }));
  const spread = events.filter((e) => e.kind !== "primary");
  const lastSpread = latest(spread.map((e) => e.date));
  if (lastSpread) {
    const kind = spread.find((e) => calendarDate(e.date) === lastSpread)?.kind ?? "recurrence";
    const values = { kind, date: date(lastSpread) };
    parts.push(
      !lastTest || lastTest < lastSpread
        ? t("timeline.sum.latestEventNoTest", values)
        : t("timeline.sum.latestEvent", values),
    );
  }
  if (spread.some((e) => calendarDate(e.date) === undefined)) parts.push(t("timeline.sum.undatedEvent"));
  const therapyWords = [
    ...courses.map((c) => t("timeline.sum.course", { drug: c.drug, span: courseSpan(c, t, date) })),
    ...undatedTherapies.map((u) => t("timeline.sum.undatedTherapy", { drug: u.drug })),
  ];
  parts.push(
    therapyWords.length === 0
      ? t("timeline.sum.noTherapy")
      : t("timeline.sum.therapy", { list: therapyWords.join(t("timeline.sum.listSeparator")) }),
  );
  return t("timeline.sum.sentence", {
    date: words.date ? words.date(asOf) : displayDate(asOf),
    parts: parts.join(t("timeline.sum.separator")),
  });
}
