/**
 * Time limits for the launch's own requests (SMART discovery, the token exchange), which fhirclient sends without
 * one: a server that never answers must end in a screen that says what failed, not an endless spinner.
 */

/** As the FHIR queries' per-query timeout (src/fhir/query-runner.ts). */
export const DEFAULT_LAUNCH_TIMEOUT_MS = 20_000;

export class LaunchTimeout extends Error {
  override name = "LaunchTimeout";
  constructor(
    readonly step: string,
    readonly ms: number,
  ) {
    super(`${step}: no answer within ${String(ms / 1000)} s`);
  }
}

/** Resolves or rejects as `promise` does, or rejects with LaunchTimeout after `ms`; the caller ignores a late result. */
export function withTimeout<T>(promise: Promise<T>, ms: number, step: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new LaunchTimeout(step, ms));
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
