/**
 * One launch reads smart-config.json once: launch.html validates it and, just before redirecting to the EHR, hands
 * it to index.html through sessionStorage (same tab, same origin). index.html takes it once and removes it, so a
 * reload or a later visit fetches the file afresh; a missing, old or unreadable hand-over also falls back to a fetch.
 */
import { type AppConfig, loadAppConfig, parseAppConfig } from "./config";

const HANDOVER_KEY = "her2.app-config";
/** Longer than a sign-in at the EHR normally takes; an older hand-over is not trusted to be current. */
const HANDOVER_MAX_AGE_MS = 10 * 60 * 1000;

interface Handover {
  savedAt: number;
  config: AppConfig;
}

function sessionStore(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined; // storage blocked (some embedded browsers): every page fetches the file
  }
}

/** Called by launch.html right before it redirects to the EHR's authorize endpoint. */
export function handOverAppConfig(config: AppConfig, now = Date.now(), storage = sessionStore()): void {
  try {
    storage?.setItem(HANDOVER_KEY, JSON.stringify({ savedAt: now, config } satisfies Handover));
  } catch {
    // Quota or privacy mode: index.html fetches the file itself.
  }
}

/**
 * index.html's configuration: the one launch.html handed over (validated again), else smart-config.json.
 * @throws ConfigError as loadAppConfig does, when the file has to be fetched and is invalid
 */
export async function takeAppConfig(
  now = Date.now(),
  storage = sessionStore(),
  load: () => Promise<AppConfig> = () => loadAppConfig(),
): Promise<AppConfig> {
  const saved = storage?.getItem(HANDOVER_KEY) ?? null;
  storage?.removeItem(HANDOVER_KEY);
  if (saved !== null) {
    try {
      const handover = JSON.parse(saved) as Partial<Handover>;
      const age = now - (handover.savedAt ?? Number.NaN);
      if (age >= 0 && age <= HANDOVER_MAX_AGE_MS) return parseAppConfig(handover.config);
    } catch {
      // Not what launch.html writes: fetch the file instead.
    }
  }
  return load();
}
