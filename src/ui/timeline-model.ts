/**
 * What the timeline shows, computed apart from the drawing: positions on a 0-100 scale, a one-sentence summary for
 * the picture's accessible name, and a dated text list. Dates are placed by calendar day in UTC (never shifted).
 */
import type { AntiHer2Therapy, DiseaseEvent, EvidenceItem, IsoDate } from "../domain/types";
import { calendarDate, compareNewestFirst, dayNumber, displayDate } from "./dates";
import { eventKindLabel, methodLabel } from "./labels";

/** Left and right margins of the drawing area, in percent, so end markers and labels are not clipped. */
const INSET = 4;
const MAX_TICKS = 6;

export interface TestMark {
  x: number;
  used: boolean;
  label: string;
}
export interface EventMark {
  x: number;
  kind: DiseaseEvent["kind"];
  label: string;
}
export interface TherapyMark {
  x: number;
  width: number;
  ongoing: boolean;
  label: string;
}
export interface Tick {
  x: number;
  label: string;
}

export interface TimelineModel {
  tests: TestMark[];
  events: EventMark[];
  therapies: TherapyMark[];
  ticks: Tick[];
  /** Position of the assessment date ("today" for the rules). */
  asOfX: number;
  /** One-paragraph summary: the picture's accessible name. */
  summary: string;
  /** Every item in date order, oldest first, with undated items at the end. */
  entries: string[];
  /** True when nothing has a date, so there is nothing to draw. */
  empty: boolean;
}

function testLabel(e: EvidenceItem): string {
  const spec = e.specimenLabel ?? e.specimen;
  return `HER2 test: ${methodLabel[e.method]} ${e.value}${spec ? `, specimen ${spec}` : ""}${e.used ? "" : " (not used)"}`;
}

function eventLabel(e: DiseaseEvent): string {
  const where = e.description ?? e.bodySite;
  return `${eventKindLabel[e.kind]}${where ? `: ${where}` : ""}`;
}

function therapyLabel(t: AntiHer2Therapy, asOf: IsoDate): string {
  const end = t.end ? displayDate(t.end) : `ongoing as of ${displayDate(asOf)}`;
  return `Anti-HER2 therapy: ${t.drug}, ${t.start ? displayDate(t.start) : "start not recorded"} to ${end}`;
}

/** Builds the timeline for one assessment. */
export function buildTimeline(
  evidence: readonly EvidenceItem[],
  events: readonly DiseaseEvent[],
  therapies: readonly AntiHer2Therapy[],
  asOf: IsoDate,
): TimelineModel {
  const asOfDay = dayNumber(asOf);
  const days = [
    ...evidence.map((e) => dayNumber(e.date)),
    ...events.map((e) => dayNumber(e.date)),
    ...therapies.flatMap((t) => [dayNumber(t.start), dayNumber(t.end)]),
  ].filter((d): d is number => d !== undefined);
  const empty = days.length === 0;
  if (asOfDay !== undefined) days.push(asOfDay);

  let lo = Math.min(...days);
  let hi = Math.max(...days);
  if (!Number.isFinite(lo)) lo = hi = 0;
  if (hi - lo < 60) {
    // A single date or a tight cluster: give it some room so the marks do not sit on the edges.
    lo -= 90;
    hi += 90;
  }
  const x = (day: number): number => INSET + ((100 - 2 * INSET) * (day - lo)) / (hi - lo);

  const tests: TestMark[] = [];
  for (const e of evidence) {
    const d = dayNumber(e.date);
    if (d !== undefined) tests.push({ x: x(d), used: e.used, label: testLabel(e) });
  }
  const eventMarks: EventMark[] = [];
  for (const e of events) {
    const d = dayNumber(e.date);
    if (d !== undefined) eventMarks.push({ x: x(d), kind: e.kind, label: eventLabel(e) });
  }
  const therapyMarks: TherapyMark[] = [];
  for (const t of therapies) {
    const start = dayNumber(t.start);
    if (start === undefined) continue;
    const end = dayNumber(t.end) ?? asOfDay ?? start;
    therapyMarks.push({
      x: x(start),
      width: Math.max(x(Math.max(end, start)) - x(start), 0.8),
      ongoing: !t.end,
      label: therapyLabel(t, asOf),
    });
  }

  const ticks: Tick[] = [];
  const firstYear = new Date(lo * 86_400_000).getUTCFullYear() + 1;
  const lastYear = new Date(hi * 86_400_000).getUTCFullYear();
  const step = Math.max(1, Math.ceil((lastYear - firstYear + 1) / MAX_TICKS));
  for (let y = firstYear; y <= lastYear; y += step) {
    ticks.push({ x: x(Date.UTC(y, 0, 1) / 86_400_000), label: String(y) });
  }

  const dated: { date?: string; text: string }[] = [
    ...evidence.map((e) => ({ date: e.date, text: testLabel(e) })),
    ...events.map((e) => ({ date: e.date, text: eventLabel(e) })),
    ...therapies.map((t) => ({ date: t.start, text: therapyLabel(t, asOf) })),
  ];
  // Oldest first for a timeline; undated items last.
  dated.sort((a, b) => {
    if (!calendarDate(a.date)) return calendarDate(b.date) ? 1 : 0;
    if (!calendarDate(b.date)) return -1;
    return -compareNewestFirst(a.date, b.date);
  });
  const entries = dated.map((d) => `${displayDate(d.date)}: ${d.text}`);

  return {
    tests,
    events: eventMarks,
    therapies: therapyMarks,
    ticks,
    asOfX: asOfDay === undefined ? 100 - INSET : x(asOfDay),
    summary: summarise(evidence, events, therapies, asOf),
    entries,
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

/** The sentence a screen-reader user hears for the picture: counts, the latest test, and any retest gap. */
function summarise(
  evidence: readonly EvidenceItem[],
  events: readonly DiseaseEvent[],
  therapies: readonly AntiHer2Therapy[],
  asOf: IsoDate,
): string {
  const parts: string[] = [];
  const lastTest = latest(evidence.map((e) => e.date));
  parts.push(
    evidence.length === 0
      ? "No HER2 tests"
      : `${String(evidence.length)} HER2 test${evidence.length === 1 ? "" : "s"}${lastTest ? `, latest ${lastTest}` : ""}`,
  );
  const primary = latest(events.filter((e) => e.kind === "primary").map((e) => e.date));
  if (primary) parts.push(`primary diagnosis ${primary}`);
  const spread = events.filter((e) => e.kind !== "primary");
  const lastSpread = latest(spread.map((e) => e.date));
  if (lastSpread) {
    const kind = spread.find((e) => calendarDate(e.date) === lastSpread)?.kind ?? "recurrence";
    const gap = !lastTest || lastTest < lastSpread ? "; no HER2 test dated after it" : "";
    parts.push(`latest ${eventKindLabel[kind].toLowerCase()} ${lastSpread}${gap}`);
  }
  parts.push(
    therapies.length === 0
      ? "no anti-HER2 therapy on record"
      : `anti-HER2 therapy: ${therapies
          .map((t) => `${t.drug} from ${t.start ? displayDate(t.start) : "an unrecorded date"}`)
          .join(", ")}`,
  );
  return `HER2 timeline as of ${displayDate(asOf)}: ${parts.join("; ")}.`;
}
