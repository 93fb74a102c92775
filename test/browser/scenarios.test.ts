import { mkdirSync } from "node:fs";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { categoryLabel, settingLabel, statusLabel } from "../../src/ui/labels";
import type { Her2Category, Her2Status, Setting } from "../../src/domain/types";
import { ehrLaunch, expectAccessible, sandboxPatients, waitForPanel, watchedPage } from "./app-driver";
import { SKIP_BROWSER_TESTS, chromiumForSuite } from "./chromium";

/** Where the browser tests write screenshots (not committed; see README). */
export const SCREENSHOT_DIR = "artifacts/screenshots";

const baseUrl = inject("baseUrl");
const NARROW = { width: 360, height: 900 };
const WIDE = { width: 1280, height: 900 };

/**
 * Every sandbox patient, launched for real: the panel must say what the manifest expects. The expectations in
 * sandbox/patients/index.json were written from the guideline, not from the code.
 */
describe.skipIf(SKIP_BROWSER_TESTS)("every sandbox scenario in Chromium at 1280 px and 360 px", () => {
  const browser = chromiumForSuite();
  beforeAll(() => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });

  it.each(sandboxPatients().map((p) => [p.id, p] as const))("%s", async (id, patient) => {
    const { page, watch } = await watchedPage(browser.context);
    await page.setViewportSize(WIDE);
    await ehrLaunch(page, baseUrl, patient);
    await waitForPanel(page);

    for (const viewport of [WIDE, NARROW]) {
      await page.setViewportSize(viewport);
      const header = await page.getByTestId("status-header").innerText();
      expect(header).toContain(statusLabel[patient.expected.status as Her2Status]);
      expect(header).toContain(categoryLabel[patient.expected.category as Her2Category]);
      expect(header).toContain(settingLabel[patient.expected.setting as Setting]);
      const flags = await page
        .locator("[data-flag-code]")
        .evaluateAll((els) => els.map((e) => e.getAttribute("data-flag-code") ?? ""));
      expect([...new Set(flags)].sort()).toEqual([...patient.expected.flags].sort());
      // Nothing overflows the narrow EHR sidebar horizontally.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `horizontal overflow at ${viewport.width}px`).toBeLessThanOrEqual(0);
      await expectAccessible(page, `${id} at ${viewport.width}px`);
    }

    if (patient.expected.setting === "metastatic" && patient.expected.flags.length > 0) {
      for (const viewport of [NARROW, WIDE]) {
        await page.setViewportSize(viewport);
        await page.screenshot({ path: `${SCREENSHOT_DIR}/${id}-${viewport.width}px.png`, fullPage: true });
      }
    }
    expect(watch.consoleProblems.filter((m) => m.startsWith("pageerror"))).toEqual([]);
    await page.close();
  });
});
