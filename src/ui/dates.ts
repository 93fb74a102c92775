/**
 * Dates as the record wrote them. The panel never builds a local `Date` from an ISO string for display: a dateTime
 * such as `2024-03-02T23:30:00-05:00` must show as 2024-03-02 in every time zone, as the pathologist recorded it.
 */
import type { IsoDate } from "../domain/types";

const CALENDAR = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/;

/** The calendar-date part of an ISO date or dateTime (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), or undefined if unreadable. */
export function calendarDate(iso: IsoDate | undefined): string | undefined {
  if (!iso) return undefined;
  return CALENDAR.exec(iso)?.[0];
}

/** Text for a date cell: the calendar date as recorded, or a plain "date not recorded". */
export function displayDate(iso: IsoDate | undefined): string {
  return calendarDate(iso) ?? "date not recorded";
}

/**
 * Orders ISO dates newest first by their calendar-date prefix (string order equals time order for ISO dates).
 * Missing dates sort last, so undated results never push dated ones down.
 */
export function compareNewestFirst(a: IsoDate | undefined, b: IsoDate | undefined): number {
  const x = calendarDate(a);
  const y = calendarDate(b);
  if (x === y) return 0;
  if (x === undefined) return 1;
  if (y === undefined) return -1;
  return x < y ? 1 : -1;
}

/**
 * Days since 1970-01-01 for the start of the calendar date (partial dates take the first month / day), computed in
 * UTC so the timeline position never depends on the viewer's time zone.
 */
export function dayNumber(iso: IsoDate | undefined): number | undefined {
  if (!iso) return undefined;
  const m = CALENDAR.exec(iso);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = m[2] ? Number(m[2]) : 1;
  const day = m[3] ? Number(m[3]) : 1;
  return Date.UTC(year, month - 1, day) / 86_400_000;
}
