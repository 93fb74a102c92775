/**
 * The patient page in Spanish and Simplified Chinese in Chromium (issue 15): one sandbox patient per locale at
 * 360 px, switched from the page's language menu (the catalog's chunk loads then, not before), passes axe on screen
 * and in print view, and the index bundle carries neither catalog.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { measurePage } from "../../scripts/bundle-size";
import en from "../../src/domain/patient-page/messages/en.json";
import es from "../../src/domain/patient-page/messages/es.json";
import zh from "../../src/domain/patient-page/messages/zh-CN.json";
import {
  ehrLaunch,
  expectAccessible,
  expectOnlyHost,
  sandboxPatients,
  waitForPanel,
  watchedPage,
} from "./app-driver";
import { SKIP_BROWSER_TESTS, chromiumForSuite } from "./chromium";

const baseUrl = inject("baseUrl");
const dist = inject("distDir");

const CASES = [
  // HER2-low in Spanish; equivocal awaiting reflex ISH in Chinese.
  { locale: "es", patient: "her2-ihc1-low", catalog: es, result: es["result.low"], next: es["next.none"] },
  {
    locale: "zh-CN",
    patient: "her2-ihc2-no-ish",
    catalog: zh,
    result: zh["result.equivocal"],
    next: zh["next.reflex-ish-missing"],
  },
] as const;

describe.skipIf(SKIP_BROWSER_TESTS)("patient page in es and zh-CN in Chromium (issue 15)", () => {
  const browser = chromiumForSuite();

  it("keeps the Spanish and Chinese texts out of the index bundle", () => {
    const index = measurePage(dist, "index.html");
    const js = index.files.map((f) => readFileSync(join(dist, f.replace(/^\//, "")), "utf8")).join("\n");
    // JSON in a bundle keeps non-ASCII as is or escapes it; look for an ASCII-only stretch of each catalog too.
    expect(js).not.toContain(es["result.low"]);
    expect(js).not.toContain("hibridaci");
    expect(js).not.toContain(zh["page.title"]);
    expect(js.toLowerCase()).not.toContain("\\u60a8\\u7684");
    // The English texts are not there either: the whole page is a lazy chunk.
    expect(js).not.toContain(en["what.protein"]);
  });

  it.each(CASES)(
    "$locale: $patient at 360 px, switched on the page, passes axe on screen and in print",
    async (c) => {
      const patient = sandboxPatients().find((p) => p.id === c.patient);
      if (!patient) throw new Error(`no sandbox patient ${c.patient}`);
      const { page, watch } = await watchedPage(browser.context);
      await page.setViewportSize({ width: 360, height: 740 });
      await ehrLaunch(page, baseUrl, patient);
      await waitForPanel(page);
      await page.getByRole("button", { name: "Explain to the patient" }).click();
      const main = page.getByTestId("patient-explanation");
      await main.waitFor();
      expect(await main.getAttribute("lang")).toBe("en");

      const before = watch.urls.length;
      await page.getByRole("combobox", { name: en["page.language"] }).selectOption(c.locale);
      await page.locator(`[data-testid="patient-explanation"][lang="${c.locale}"]`).waitFor();
      // The catalog arrived as its own script, fetched when asked for.
      expect(watch.urls.slice(before).some((u) => u.endsWith(".js"))).toBe(true);

      expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe(c.catalog["page.title"]);
      const text = await main.innerText();
      expect(text).toContain(c.catalog["page.for"].replace("{name}", patient.name));
      expect(text).toContain(c.result);
      expect(text).toContain(c.next);
      expect(text).toContain(c.catalog["page.disclaimer"]);
      expect(text).not.toContain(en["page.disclaimer"]);
      // Nothing wider than the narrow sidebar: no sideways scrolling.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await expectAccessible(page, `patient page in ${c.locale} at 360 px`);

      await page.emulateMedia({ media: "print" });
      expect(await page.getByRole("button", { name: c.catalog["page.print"] }).isVisible()).toBe(false);
      expect(await page.getByRole("combobox").isVisible()).toBe(false);
      expect(await page.getByRole("heading", { level: 1 }).isVisible()).toBe(true);
      await expectAccessible(page, `patient page in ${c.locale}, print view`);
      const pdf = await page.pdf({ format: "A4" });
      expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");

      expectOnlyHost(watch, baseUrl);
      expect(watch.consoleProblems).toEqual([]);
      await page.close();
    },
  );
});
