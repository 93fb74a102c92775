/**
 * The patient page's dates in the reader's language (issue 15.2): `2024-03-02` reads "March 2, 2024",
 * "2 de marzo de 2024" or "2024年3月2日". Only the calendar date as the record wrote it is formatted, in UTC, so a
 * dateTime such as `2024-03-02T23:30:00-05:00` stays 2 March in every time zone. Partial dates keep their precision
 * (`2024-03` is "March 2024"); a date that is not a real calendar date is shown as written.
 */
import type { Locale } from "../../i18n/locales";

const ISO_CALENDAR = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/;

export function formatPatientDate(iso: string | undefined, locale: Locale): string | undefined {
  const match = ISO_CALENDAR.exec(iso ?? "");
  if (!match) return undefined;
  const [written, y, mo, d] = match;
  const month = mo === undefined ? 0 : Number(mo) - 1;
  const day = d === undefined ? 1 : Number(d);
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  date.setUTCFullYear(Number(y), month, day);
  if (date.getUTCMonth() !== month || date.getUTCDate() !== day) return written;
  const options: Intl.DateTimeFormatOptions =
    d !== undefined
      ? { dateStyle: "long", timeZone: "UTC" }
      : mo !== undefined
        ? { year: "numeric", month: "long", timeZone: "UTC" }
        : { year: "numeric", timeZone: "UTC" };
  return new Intl.DateTimeFormat(locale, options).format(date);
}
