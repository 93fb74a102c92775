/**
 * The patient page's message catalogs (src/domain/patient-page/messages/): English is bundled with the page; Spanish
 * and Simplified Chinese load on demand as their own chunks, so neither reaches the index bundle or the English
 * reader. Typing each catalog as a PatientCatalog makes a missing id a compile error as well as a test failure
 * (test/i18n/catalogs.test.ts).
 */
import { use } from "react";
import { PATIENT_MESSAGES, type PatientMessageId } from "../../domain/patient-texts";
import type { Locale } from "../../i18n/locales";

export type PatientCatalog = Readonly<Record<PatientMessageId, string>>;

const LOADERS: Readonly<Record<Exclude<Locale, "en">, () => Promise<PatientCatalog>>> = {
  es: () => import("../../domain/patient-page/messages/es.json").then((m) => m.default),
  "zh-CN": () => import("../../domain/patient-page/messages/zh-CN.json").then((m) => m.default),
};

const loaded = new Map<Locale, PatientCatalog>([["en", PATIENT_MESSAGES]]);
const pending = new Map<Locale, Promise<PatientCatalog>>();

/** The catalog of `locale`, loading its chunk once (a failed load is retried on the next call). */
export function loadPatientCatalog(locale: Locale): Promise<PatientCatalog> {
  const ready = loaded.get(locale);
  if (ready) return Promise.resolve(ready);
  if (locale === "en") return Promise.resolve(PATIENT_MESSAGES);
  let promise = pending.get(locale);
  if (!promise) {
    promise = LOADERS[locale]().then(
      (catalog) => {
        loaded.set(locale, catalog);
        return catalog;
      },
      (error: unknown) => {
        pending.delete(locale);
        throw error;
      },
    );
    pending.set(locale, promise);
  }
  return promise;
}

/** The catalog of `locale` for a component: at once when loaded, else it suspends until its chunk is in. */
export function usePatientCatalog(locale: Locale): PatientCatalog {
  return loaded.get(locale) ?? use(loadPatientCatalog(locale));
}
