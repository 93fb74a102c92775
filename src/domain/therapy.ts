/**
 * Anti-HER2 therapy courses: the records of one drug (orders, statements, administrations) joined into the spans the
 * record supports, and the rule that points out a documented course longer than the guideline's duration.
 */
import { calendarDate } from "./dates";
import { makeFlag } from "./flags";
import { wasGiven } from "./tumour";
import { joinTexts, text } from "./text";
import type { AntiHer2Therapy, Flag, IsoDate, ResourceRef, Setting } from "./types";

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a calendar date; a year- or month-only date counts from its first day. */
export function dayOf(value: IsoDate | undefined): number | undefined {
  const d = calendarDate(value);
  if (d === undefined) return undefined;
  return (
    Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7) || "1") - 1, Number(d.slice(8, 10) || "1")) / DAY_MS
  );
}

/**
 * The last date the record supports a therapy up to: its end; else the last date it was documented (an
 * administration's date, an order's authoredOn plus its expected supply, a statement's assertion); else its start.
 * Never the assessment date: an order left open is not evidence that the drug was given until today.
 */
export function supportedEnd(t: AntiHer2Therapy): IsoDate | undefined {
  return calendarDate(t.end) ?? calendarDate(t.recordedUntil) ?? calendarDate(t.start);
}

export interface TherapyCourse {
  drug: string;
  start: IsoDate;
  /** The last date the records support (see supportedEnd). */
  end: IsoDate;
  /** No record of the course has an end date and none is completed or stopped: the order may still be open. */
  open: boolean;
  sources: ResourceRef[];
}

/**
 * Records of the same drug less than this many days apart are one course: three-weekly cycles with a delayed or
 * unrecorded dose (up to two missed cycles) stay one bar, one duration.
 */
const COURSE_GAP_DAYS = 63;

const FINISHED: ReadonlySet<string> = new Set(["completed", "stopped"]);

/** Given therapies with a start date, joined per drug into courses, oldest first. */
export function therapyCourses(therapies: readonly AntiHer2Therapy[]): TherapyCourse[] {
  const spans = therapies
    .filter(wasGiven)
    .flatMap((t) => {
      const start = calendarDate(t.start);
      const end = supportedEnd(t);
      if (start === undefined || end === undefined) return [];
      const open = calendarDate(t.end) === undefined && !FINISHED.has(String(t.status));
      return [{ t, start, end: end < start ? start : end, open }];
    })
    .sort((a, b) =>
      a.t.drug === b.t.drug
        ? a.start < b.start
          ? -1
          : a.start > b.start
            ? 1
            : 0
        : a.t.drug < b.t.drug
          ? -1
          : 1,
    );
  const courses: TherapyCourse[] = [];
  for (const s of spans) {
    const last = courses.at(-1);
    const startDay = dayOf(s.start) ?? 0;
    if (last && last.drug === s.t.drug && startDay - (dayOf(last.end) ?? 0) <= COURSE_GAP_DAYS) {
      if (s.end > last.end) {
        last.end = s.end;
        last.open = s.open;
      } else if (s.end === last.end) last.open = last.open || s.open;
      last.sources.push(s.t.source);
      continue;
    }
    courses.push({ drug: s.t.drug, start: s.start, end: s.end, open: s.open, sources: [s.t.source] });
  }
  return courses.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

/** Whole months between two calendar dates (rounded down), for messages. */
function monthsBetween(start: IsoDate, end: IsoDate): number {
  return Math.floor(((dayOf(end) ?? 0) - (dayOf(start) ?? 0)) / 30.44);
}

/**
 * Drugs given for one year in total in early disease: trastuzumab (Romond 2005; HERA, Goldhirsch 2013: two years no
 * better than one) and pertuzumab with it (APHINITY, von Minckwitz 2017), in any product. Not the conjugates: T-DM1
 * after residual disease is 14 cycles (KATHERINE) and trastuzumab deruxtecan is not an early-disease drug here.
 */
const ONE_YEAR_DRUG = /\b(trastuzumab|pertuzumab)\b/i;
const CONJUGATE = /emtansine|deruxtecan/i;

/**
 * One year of trastuzumab is 52 weeks (17-18 three-weekly cycles); a course documented over more than 13 months
 * (one year plus a month for delayed cycles) runs longer than the guideline's duration.
 */
const ONE_YEAR_LIMIT_DAYS = 396;

/**
 * `therapy-duration-exceeds` (info, rules 2.0.0): in early disease, a trastuzumab or pertuzumab course that the
 * record documents over more than 13 months. Guideline: trastuzumab for one year in total (HER2-GUIDELINE.md,
 * treatment recommendation; Romond 2005; HERA, Goldhirsch 2013; APHINITY, von Minckwitz 2017). Only what the record
 * supports counts: an order left open is not a longer course (see supportedEnd).
 */
export function therapyDurationFlag(
  therapies: readonly AntiHer2Therapy[],
  setting: Setting | undefined,
): Flag | undefined {
  if (setting !== "early") return undefined;
  const long = therapyCourses(therapies).filter(
    (c) =>
      ONE_YEAR_DRUG.test(c.drug) &&
      !CONJUGATE.test(c.drug) &&
      (dayOf(c.end) ?? 0) - (dayOf(c.start) ?? 0) > ONE_YEAR_LIMIT_DAYS,
  );
  if (long.length === 0) return undefined;
  const courses = joinTexts(
    long.map((c) =>
      text("flag.duration.course", {
        drug: c.drug,
        start: c.start,
        end: c.end,
        months: text("flag.duration.months", { months: monthsBetween(c.start, c.end) }),
      }),
    ),
    "join.semicolon",
  );
  return makeFlag("therapy-duration-exceeds", {
    message: text("flag.duration.message", { courses }),
    action: text("flag.duration.action"),
    evidence: long.flatMap((c) => c.sources),
  });
}
