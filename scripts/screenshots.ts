/**
 * Screenshots for the README: builds the app as it ships, serves it with the embedded sandbox on an ephemeral port,
 * EHR-launches each patient in Debian's Chromium (playwright-core, never a downloaded browser) and writes
 * - the panel at 360 px (a narrow EHR sidebar): docs/screenshots/<patient>-360px.png;
 * - the patient page (issue 15) of three scenarios in en, es and zh-CN at 800 px, the whole page:
 *   docs/screenshots/patient-<patient>-<locale>.png (the Chinese one needs a CJK font, e.g. Debian's
 *   fonts-wqy-microhei or fonts-noto-cjk).
 *
 *   npx tsx scripts/screenshots.ts [patient-id ...]    panels of these patients (default: three) and the patient pages
 *   npx tsx scripts/screenshots.ts --patient-pages      the patient pages only
 */
import { mkdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import type { BrowserContext } from "playwright-core";
import type { Locale } from "../src/i18n/locales";
import { type SandboxPatient, ehrLaunch, sandboxPatients, waitForPanel } from "../test/browser/app-driver";
import { launchChromium } from "../test/browser/chromium";
import { buildAndServe } from "../test/browser/serve-app";

const DEFAULT_PATIENTS = ["her2-ihc2-no-ish", "her2-met-discordant", "her2-ihc3"];
const VIEWPORT = { width: 360, height: 740 };
/** HER2-positive in English, HER2-low in Spanish, equivocal awaiting reflex ISH in Simplified Chinese. */
const PATIENT_PAGES: readonly { patient: string; locale: Locale }[] = [
  { patient: "her2-ihc3", locale: "en" },
  { patient: "her2-ihc1-low", locale: "es" },
  { patient: "her2-ihc2-no-ish", locale: "zh-CN" },
];
const PATIENT_PAGE_VIEWPORT = { width: 800, height: 900 };

function byId(id: string): SandboxPatient {
  const patient = sandboxPatients().find((p) => p.id === id);
  if (!patient) throw new Error(`no sandbox patient ${id}`);
  return patient;
}

async function panel(context: BrowserContext, baseUrl: string, patient: SandboxPatient, path: string) {
  const page = await context.newPage();
  await page.setViewportSize(VIEWPORT);
  await ehrLaunch(page, baseUrl, patient);
  await waitForPanel(page);
  await page.screenshot({ path });
  await page.close();
}

/** The patient page as the clinician opens it from the panel, switched to the locale with the page's own menu. */
async function patientPage(
  context: BrowserContext,
  baseUrl: string,
  patient: SandboxPatient,
  locale: Locale,
  path: string,
) {
  const page = await context.newPage();
  await page.setViewportSize(PATIENT_PAGE_VIEWPORT);
  await ehrLaunch(page, baseUrl, patient);
  await waitForPanel(page);
  await page.getByRole("button", { name: "Explain to the patient" }).click();
  await page.getByTestId("patient-explanation").waitFor();
  await page.getByRole("combobox").selectOption(locale);
  await page.locator(`[data-testid="patient-explanation"][lang="${locale}"]`).waitFor();
  // The heading takes focus when the page opens; its outline is not part of the picture.
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
  });
  await page.screenshot({ path, fullPage: true });
  await page.close();
}

async function main(): Promise<void> {
  const root = resolve(import.meta.dirname, "..");
  const args = process.argv.slice(2);
  const onlyPatientPages = args.includes("--patient-pages");
  const ids = args.filter((a) => !a.startsWith("--"));
  const panels = onlyPatientPages ? [] : (ids.length > 0 ? ids : DEFAULT_PATIENTS).map(byId);
  const outDir = resolve(root, "artifacts/screenshots-dist");
  const app = await buildAndServe(root, outDir);
  const browser = await launchChromium();
  const target = resolve(root, "docs/screenshots");
  mkdirSync(target, { recursive: true });
  try {
    for (const patient of panels) {
      const path = resolve(target, `${patient.id}-360px.png`);
      await panel(browser.context, app.baseUrl, patient, path);
      console.log(path);
    }
    if (ids.length === 0)
      for (const { patient, locale } of PATIENT_PAGES) {
        const path = resolve(target, `patient-${patient}-${locale}.png`);
        await patientPage(browser.context, app.baseUrl, byId(patient), locale, path);
        console.log(path);
      }
  } finally {
    await browser.close();
    await app.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}

await main();
