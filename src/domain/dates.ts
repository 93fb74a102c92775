/**
 * Calendar dates as the rules compare them. FHIR dates come as `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or a dateTime; the
 * rules use the calendar-date prefix as written (no time-zone shift: the date the EHR shows is the date a clinician
 * reads). ISO prefixes compare correctly as strings; a coarser date sorts before any finer date in the same period,
 * which makes "on or after" checks conservative (`2024` is not taken as on or after `2024-03-02`).
 */
import type { IsoDate } from "./types";

const CALENDAR_PREFIX = /^(\d{4})(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?/;

/** The calendar-date prefix of an ISO date or dateTime, or undefined when it is missing or not a date. */
export function calendarDate(value: unknown): IsoDate | undefined {
  if (typeof value !== "string") return undefined;
  // Fast path for the common full date (the rules call this often; a regex per call is measurable).
  if (value.length === 10 && isFullDate(value)) return value;
  const match = CALENDAR_PREFIX.exec(value);
  return match ? match[0] : undefined;
}

const DIGIT_0 = 48;
const DIGIT_9 = 57;
const DASH = 45;

function isDigitAt(value: string, i: number): boolean {
  const c = value.charCodeAt(i);
  return c >= DIGIT_0 && c <= DIGIT_9;
}

function twoDigits(value: string, i: number): number {
  return (value.charCodeAt(i) - DIGIT_0) * 10 + (value.charCodeAt(i + 1) - DIGIT_0);
}

/** `YYYY-MM-DD` with month 01-12 and day 01-31, checked without a regex. */
function isFullDate(value: string): boolean {
  if (value.charCodeAt(4) !== DASH || value.charCodeAt(7) !== DASH) return false;
  // Unrolled (no loop over positions): this runs for every date of every record.
  if (!isDigitAt(value, 0) || !isDigitAt(value, 1) || !isDigitAt(value, 2) || !isDigitAt(value, 3))
    return false;
  if (!isDigitAt(value, 5) || !isDigitAt(value, 6) || !isDigitAt(value, 8) || !isDigitAt(value, 9))
    return false;
  const month = twoDigits(value, 5);
  const day = twoDigits(value, 8);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** Orders two optional calendar dates, newest first; undated sorts last. */
export function newestFirst(a: IsoDate | undefined, b: IsoDate | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? 1 : -1;
}

/** True when `date` is known and on or after `reference` (both calendar dates). */
export function onOrAfter(date: IsoDate | undefined, reference: IsoDate): boolean {
  return date !== undefined && date >= reference;
}

/** The calendar date `days` days before `date` (YYYY-MM-DD); a year- or month-only date is returned as it is. */
export function daysBefore(date: IsoDate, days: number): IsoDate {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  const day = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return new Date(day - days * 86_400_000).toISOString().slice(0, 10);
}

/** The later of two optional calendar dates. */
export function later(a: IsoDate | undefined, b: IsoDate | undefined): IsoDate | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a >= b ? a : b;
}

/** Deterministic string order, independent of locale. */
export function byText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * Sorts in place, like `list.sort(compare)` with the same (stable) result, but without the sort when the list is
 * already in order, and by reversing it when it is in strictly reverse order (no ties, so stability is unaffected).
 * Lists often arrive by date, oldest or newest first: one pass then replaces the sort.
 */
export function sortInPlace<T>(list: T[], compare: (a: T, b: T) => number): T[] {
  let ascending = true;
  let strictlyDescending = true;
  for (let i = 1; i < list.length && (ascending || strictlyDescending); i++) {
    const order = compare(list[i - 1] as T, list[i] as T);
    if (order > 0) ascending = false;
    else strictlyDescending = false;
  }
  if (ascending) return list;
  if (strictlyDescending) return list.reverse();
  return list.sort(compare);
}
