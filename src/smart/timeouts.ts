/**
 * Time limits for the SMART exchanges fhirclient runs itself (discovery on launch.html, the token exchange on
 * index.html): like the FHIR queries (20 s per query), a server that never answers must end in a screen that says
 * what failed, never in an endless spinner (issue 16.3).
 */
export const SMART_TIMEOUT_MS = 20_000;

/** A SMART step got no answer in time; `step` names it for the screen. */
export class SmartTimeoutError extends Error {
  constructor(
    readonly step: string,
    readonly timeoutMs: number,
  ) {
    super(`${step}: no answer within ${String(timeoutMs / 1000)} s`);
    this.name = "SmartTimeoutError";
  }
}

/** Settles with `work`, or rejects with SmartTimeoutError after `timeoutMs` (the work itself cannot be cancelled). */
export function withTimeout<T>(work: Promise<T>, timeoutMs: number, step: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new SmartTimeoutError(step, timeoutMs));
    }, timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => {
    clearTimeout(timer);
  });
}
