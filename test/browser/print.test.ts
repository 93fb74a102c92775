import { describe, expect, inject, it } from "vitest";
import { statusLabel } from "../../src/ui/labels";
import type { Her2Status } from "../../src/domain/types";
import { ehrLaunch, sandboxPatients, waitForPanel, watchedPage } from "./app-driver";
import { SKIP_BROWSER_TESTS, chromiumForSuite } from "./chromium";

const baseUrl = inject("baseUrl");

/** Every sandbox patient: the ones with the most evidence and flags (her2-paged, her2-ish-g3-ihc2-final, ...) included. */
const patients = sandboxPatients();

const FHIR_DETAIL =
  /\b(?:Observation|Specimen|Condition|DiagnosticReport|Medication\w*|Patient)\/[\w.-]+|value(?:CodeableConcept|Quantity|String)|component\[|\{copies\}|urn:uuid|\.rs\b/;

/** Pages in a PDF produced by Chromium (one `/Type /Page` object per page). */
function pdfPages(pdf: Buffer): number {
  return (pdf.toString("latin1").match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
}

describe.skipIf(SKIP_BROWSER_TESTS)("print summary in Chromium (issue 18.8)", () => {
  const browser = chromiumForSuite();

  it.each(patients.map((p) => [p.id, p] as const))(
    "%s prints on one page, in clinical words",
    async (_id, patient) => {
      const { page } = await watchedPage(browser.context);
      await page.setViewportSize({ width: 1280, height: 900 });
      await ehrLaunch(page, baseUrl, patient);
      await waitForPanel(page);
      await page.emulateMedia({ media: "print" });
      const summary = page.getByTestId("print-summary");
      // It loads just after the first screen (a lazy chunk).
      await summary.waitFor({ state: "visible" });
      // The screen panel is not printed.
      expect(await page.getByTestId("status-header").isVisible()).toBe(false);
      const text = await summary.innerText();
      expect(text).toContain(statusLabel[patient.expected.status as Her2Status]);
      expect(text).toMatch(/Next steps/);
      expect(text).toMatch(/Sources/);
      expect(text).not.toMatch(FHIR_DETAIL);
      for (const format of ["Letter", "A4"] as const) {
        const pdf = await page.pdf({ format });
        expect(pdfPages(pdf), `${patient.id} on ${format}`).toBe(1);
      }
      await page.close();
    },
  );

  it("still fits one page with a dozen results and the longest flag list of the sandbox", async () => {
    const patient = [...patients].sort((a, b) => b.expected.flags.length - a.expected.flags.length)[0];
    if (!patient) throw new Error("no sandbox patients");
    const { page } = await watchedPage(browser.context);
    await ehrLaunch(page, baseUrl, patient);
    await waitForPanel(page);
    await page.emulateMedia({ media: "print" });
    await page.getByTestId("print-summary").waitFor({ state: "visible" });
    // More results than any sandbox patient has: copy the table's rows until there are twelve.
    await page.evaluate(() => {
      const body = document.querySelector('[data-testid="print-summary"] tbody');
      const first = body?.querySelector("tr");
      while (body && first && body.querySelectorAll("tr").length < 12)
        body.appendChild(first.cloneNode(true));
    });
    expect(await page.getByTestId("print-summary").locator("tbody tr").count()).toBe(12);
    expect(pdfPages(await page.pdf({ format: "Letter" }))).toBe(1);
    await page.close();
  });
});
