/**
 * The panel's texts: `useT()` gives a function from a message id of src/ui/messages/en.json (typed, so a wrong id
 * fails the type check) to the text in the page's locale. Outside an I18nProvider (component tests, a section
 * rendered alone) it speaks English, the default.
 */
import { useCallback, useContext } from "react";
import { IntlContext, type IntlShape, createIntl } from "react-intl";
import type { Locale } from "../../i18n/locales";
import { calendarDate } from "../dates";
import type deferred from "../deferred/messages/en.json";
import en from "../messages/en.json";
import { LocaleContext } from "./locale-context";

/**
 * An id of the panel's catalog or of the deferred one (src/ui/deferred: the timeline's and the chart copy's texts,
 * which ship with those lazy sections; test/ui/deferred-messages.test.ts keeps their ids out of other modules).
 */
export type MessageId = keyof typeof en | keyof typeof deferred;
export type MessageValues = Readonly<Record<string, string | number>>;
export type Translate = (id: MessageId, values?: MessageValues) => string;

export const ENGLISH_MESSAGES: Readonly<Record<keyof typeof en, string>> = en;

const english = createIntl({ locale: "en", messages: en });

/** English, for code outside React (and the default of helpers that take a translator). */
export const englishT: Translate = (id, values) => english.formatMessage({ id }, values);

export function useT(): Translate {
  // react-intl types the context as always set; outside a provider it holds null.
  const intl = (useContext(IntlContext) as IntlShape | null) ?? english;
  return useCallback((id, values) => intl.formatMessage({ id }, values), [intl]);
}

const formats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(locale: Locale, parts: number): Intl.DateTimeFormat {
  const key = `${locale}/${String(parts)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      year: "numeric",
      ...(parts >= 2 ? { month: "short" } : {}),
      ...(parts >= 3 ? { day: "numeric" } : {}),
      // The date is built at UTC midnight and shown in UTC: never moved to the day before or after.
      timeZone: "UTC",
    });
    formats.set(key, format);
  }
  return format;
}

/**
 * A recorded date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD` or a dateTime) as the calendar date the record gives, in the
 * locale's words: "2 mar 2024" (es), "2024年3月2日" (zh-CN). English keeps the ISO form the panel has always shown
 * (unambiguous, and what the chart prints). Undefined for an unreadable date.
 */
export function formatRecordedDate(iso: string | undefined, locale: Locale): string | undefined {
  const date = calendarDate(iso);
  if (date === undefined || locale === "en") return date;
  const [year, month, day] = date.split("-").map(Number);
  const parts = date.split("-").length;
  const utc = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1));
  if (Number.isNaN(utc.getTime())) return date;
  return dateFormat(locale, parts).format(utc);
}

/** The panel's date cell: the recorded calendar date in the page's locale, or "date not recorded". */
export function useDisplayDate(): (iso: string | undefined) => string {
  const t = useT();
  const locale = useContext(LocaleContext);
  return useCallback((iso) => formatRecordedDate(iso, locale) ?? t("date.notRecorded"), [t, locale]);
}

/**
 * "Assessed as of <date> by the <guideline> rules (version <v>) [from data on <source>]. …": the panel's and the
 * paper's closing line (`panel.footer` / `print.footer`, each with a `…From` variant naming the data source).
 */
export function useAssessedLine(): (
  kind: "panel" | "print",
  assessment: { asOf: string; guideline: string; rulesVersion: string },
  source?: string,
) => string {
  const t = useT();
  const displayDate = useDisplayDate();
  return useCallback(
    (kind, assessment, source) => {
      const values = {
        date: displayDate(assessment.asOf),
        guideline: assessment.guideline,
        version: assessment.rulesVersion,
      };
      return source
        ? t(kind === "panel" ? "panel.footerFrom" : "print.footerFrom", { ...values, source })
        : t(kind === "panel" ? "panel.footer" : "print.footer", values);
    },
    [t, displayDate],
  );
}
