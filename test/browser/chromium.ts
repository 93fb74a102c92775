import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";
import { afterAll, beforeAll } from "vitest";

/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser). CHROME_PATH overrides the path.
 * Without a browser the tests fail with install instructions, unless HER2_SKIP_BROWSER_TESTS=1 (CI never sets it).
 */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROME_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  return candidates.find((p): p is string => typeof p === "string" && p !== "" && existsSync(p));
}

export const SKIP_BROWSER_TESTS = process.env.HER2_SKIP_BROWSER_TESTS === "1";

export const MISSING_CHROMIUM_MESSAGE =
  "Browser tests need Chromium: install Debian's package (apt-get update && apt-get install -y chromium) " +
  "or set CHROME_PATH to a Chromium/Chrome binary. To skip them deliberately, set HER2_SKIP_BROWSER_TESTS=1.";

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error(MISSING_CHROMIUM_MESSAGE);
  const userDataDir = mkdtempSync(join(tmpdir(), "her2-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One Chromium for the enclosing `describe` block: started before its tests, closed after them. The returned object's
 * `context` is the running browser's, read when a test asks for it.
 */
export function chromiumForSuite(): Pick<Browser, "context"> {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get context(): BrowserContext {
      if (!browser)
        throw new Error("Chromium is not running: chromiumForSuite() is used outside its describe block");
      return browser.context;
    },
  };
}
