import { randomBytes } from "node:crypto";
import { type Failure, formatFailure } from "./failures.ts";

/** What an EHR launch id stands for: the patient in context and any injected faults. */
export interface LaunchContext {
  readonly patientId: string;
  readonly failures: readonly Failure[];
}

/**
 * Server-side map of opaque launch ids, as an EHR keeps them: the app only sees a random string and cannot
 * choose the patient by editing it. The same patient and faults always get the same id while the server runs,
 * so a page reload relaunches the same context.
 */
export class LaunchRegistry {
  private readonly byId = new Map<string, LaunchContext>();
  private readonly idByKey = new Map<string, string>();

  /** Returns the launch id for this patient and faults, creating it on first use. */
  launchFor(patientId: string, failures: readonly Failure[] = []): string {
    const key = JSON.stringify([patientId, failures.map(formatFailure).sort()]);
    const known = this.idByKey.get(key);
    if (known !== undefined) return known;
    const id = randomBytes(12).toString("base64url");
    this.byId.set(id, { patientId, failures: [...failures] });
    this.idByKey.set(key, id);
    return id;
  }

  /** Resolves a launch id sent by the app; undefined for an unknown or forged id. */
  resolve(launchId: string): LaunchContext | undefined {
    return this.byId.get(launchId);
  }
}
