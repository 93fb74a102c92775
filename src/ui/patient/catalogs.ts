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

/**
 * A catalog's load, marked with its outcome the way React's use() reads a thenable (`status` / `value`): a loaded
 * catalog is then read in the same render, without suspending again.
 */
type CatalogLoad = Promise<PatientCatalog>;
const markFulfilled = (load: CatalogLoad, catalog: PatientCatalog): void => {
  const marked = load as CatalogLoad & { status?: "fulfilled"; value?: PatientCatalog };
  marked.status = "fulfilled";
  marked.value = catalog;
};

const loads = new Map<Locale, CatalogLoad>();

function settled(catalog: PatientCatalog): CatalogLoad {
  const load = Promise.resolve(catalog);
  markFulfilled(load, catalog);
  return load;
}
loads.set("en", settled(PATIENT_MESSAGES));

/** The catalog of `locale`, loading its chunk once (a failed load is tried again on the next call). */
export function loadPatientCatalog(locale: Locale): Promise<PatientCatalog> {
  return catalogLoad(locale);
}

function catalogLoad(locale: Locale): CatalogLoad {
  let load = loads.get(locale);
  if (!load && locale !== "en") {
    const started: CatalogLoad = LOADERS[locale]().then(
      (catalog) => {
        markFulfilled(started, catalog);
        return catalog;
      },
      (error: unknown) => {
        loads.delete(locale);
        throw error;
      },
    );
    load = started;
    loads.set(locale, load);
  }
  return load ?? settled(PATIENT_MESSAGES);
}

/** The catalog of `locale` for a component: at once when loaded, else it suspends until its chunk is in. */
export function usePatientCatalog(locale: Locale): PatientCatalog {
  return use(catalogLoad(locale));
}
