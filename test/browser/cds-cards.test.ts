import { describe, expect, inject, it } from "vitest";
import { expectAccessible, sandboxPatients, waitForPanel, watchedPage } from "./app-driver";
import { SKIP_BROWSER_TESTS, chromiumForSuite } from "./chromium";

/**
 * The sandbox as a CDS Hooks client (issue 13): a patient's patient-view cards appear on the sandbox's card view,
 * and the card's link launches the app through the real SMART flow to that patient's panel, with the same flag.
 */
const baseUrl = inject("baseUrl");

describe.skipIf(SKIP_BROWSER_TESTS)("CDS Hooks cards in the sandbox", () => {
  const browser = chromiumForSuite();

  it("shows a sandbox patient's card; its link launches the app to that patient's panel", async () => {
    const patient = sandboxPatients().find((p) => p.id === "her2-ihc2-no-ish");
    if (!patient) throw new Error("her2-ihc2-no-ish missing from the manifest");
    const { page } = await watchedPage(browser.context);
    await page.goto(`${baseUrl}/sandbox/`);
    const row = page.locator("tr", { has: page.locator(`code:text-is("${patient.id}")`) });
    await row.getByRole("link", { name: /CDS cards/ }).click();
    const card = page.getByRole("region", { name: "warning card" });
    await expect.poll(() => card.getByRole("heading").innerText()).toMatch(/order reflex ISH/);
    await expectAccessible(page, "sandbox CDS cards");
    await card.getByRole("link", { name: "Open the HER2 panel" }).click();
    await page.waitForURL(/\/index\.html/);
    await waitForPanel(page);
    const banner = page.getByTestId("patient-banner");
    await expect.poll(() => banner.innerText()).toContain(patient.name.split(" ")[1] ?? patient.name);
    await expect.poll(() => page.locator("body").innerText()).toMatch(/reflex ISH/i);
  });
});
