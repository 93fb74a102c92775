import type { LaunchFailure } from "./ready";

/**
 * The last launch failure of this browser tab, kept in sessionStorage so that a reload of index.html shows the same
 * failure again instead of a misleading later one ("No patient selected" after a refused sign-in, or an assessment
 * from a dead token). launch.html forgets it: a new launch starts clean.
 */
const KEY = "her2-launch-failure";

const KINDS: ReadonlySet<string> = new Set<LaunchFailure["kind"]>([
  "denied",
  "configuration",
  "token-failed",
  "timeout",
  "session-ended",
  "blocked",
]);

function storage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    // Storage may be disabled (privacy settings): nothing is remembered, and nothing breaks.
    return undefined;
  }
}

export function rememberLaunchFailure(failure: LaunchFailure): void {
  if (!KINDS.has(failure.kind)) return;
  try {
    storage()?.setItem(KEY, JSON.stringify(failure));
  } catch {
    // Quota or disabled storage: the failure is still shown on this page load.
  }
}

/** The remembered failure, or undefined when none (or when what is stored is not one of ours). */
export function rememberedLaunchFailure(): LaunchFailure | undefined {
  const text = storage()?.getItem(KEY);
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    if (
      typeof value === "object" &&
      value !== null &&
      KINDS.has(String((value as { kind?: unknown }).kind))
    ) {
      return value as LaunchFailure;
    }
  } catch {
    // Not ours or corrupted: ignored.
  }
  return undefined;
}

export function forgetLaunchFailure(): void {
  storage()?.removeItem(KEY);
}
