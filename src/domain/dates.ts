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
  const match = CALENDAR_PREFIX.exec(value);
  return match ? match[0] : undefined;
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
