import { randomBytes } from "node:crypto";
import type { Locale } from "../src/i18n/locales.ts";
import { type Failure, formatFailure } from "./failures.ts";

/**
 * What an EHR launch id stands for: the patient in context, any injected faults, and the clinician's language (the
 * sandbox page's), which the token response passes to the app as `locale`.
 */
export interface LaunchContext {
  readonly patientId: string;
  readonly failures: readonly Failure[];
  readonly locale?: Locale;
}

/**
 * Server-side map of opaque launch ids, as an EHR keeps them: the app only sees a random string and cannot
 * choose the patient by editing it. The same patient and faults always get the same id while the server runs,
 * so a page reload relaunches the same context.
 */
export class LaunchRegistry {
  private readonly byId = new Map<string, LaunchContext>();
  private readonly idByKey = new Map<string, string>();

  /** Returns the launch id for this patient, faults and locale, creating it on first use. */
  launchFor(patientId: string, failures: readonly Failure[] = [], locale?: Locale): string {
    const key = JSON.stringify([patientId, failures.map(formatFailure).sort(), locale ?? null]);
    const known = this.idByKey.get(key);
    if (known !== undefined) return known;
    const id = randomBytes(12).toString("base64url");
    this.byId.set(id, { patientId, failures: [...failures], ...(locale === undefined ? {} : { locale }) });
    this.idByKey.set(key, id);
    return id;
  }

  /** Resolves a launch id sent by the app; undefined for an unknown or forged id. */
  resolve(launchId: string): LaunchContext | undefined {
    return this.byId.get(launchId);
  }
}
