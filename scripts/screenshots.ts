/**
 * Screenshots for the README: builds the app as it ships, serves it with the embedded sandbox on an ephemeral port,
 * EHR-launches each patient in Debian's Chromium (playwright-core, never a downloaded browser) and writes
 * - the panel at 360 px (a narrow EHR sidebar): docs/screenshots/<patient>-360px.png;
 * - the patient page (issue 15) of three scenarios in en, es and zh-CN at 800 px, the whole page:
 *   docs/screenshots/patient-<patient>-<locale>.png (the Chinese one needs a CJK font, e.g. Debian's
 *   fonts-wqy-microhei or fonts-noto-cjk);
 * - the quality report (`her2 review sandbox/patients --format html`, opened from disk):
 *   docs/screenshots/quality-report.png, the top of the page (run and quality measures).
 *
 *   npx tsx scripts/screenshots.ts [patient-id ... | quality-report]   these (default: three panels, the patient
 *                                                                       pages and the quality report)
 *   npx tsx scripts/screenshots.ts --patient-pages                     the patient pages only
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { Writable } from "node:stream";
import { pathToFileURL } from "node:url";
import type { BrowserContext } from "playwright-core";
import { review } from "../src/cli/review";
import type { Locale } from "../src/i18n/locales";
import { type SandboxPatient, ehrLaunch, sandboxPatients, waitForPanel } from "../test/browser/app-driver";
import { type Browser, launchChromium } from "../test/browser/chromium";
import { buildAndServe } from "../test/browser/serve-app";

const REPORT = "quality-report";
/** The as-of date of the README's review examples, so the report matches them. */
const REPORT_AS_OF = "2026-11-25";

/** Writes docs/screenshots/quality-report.png: the sandbox's quality report, as a reviewer opens it from disk. */
async function reportScreenshot(root: string, browser: Browser, target: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "her2-report-"));
  const file = join(dir, "report.html");
  const quiet = new Writable({
    write: (_chunk, _encoding, done) => {
      done();
    },
  });
  try {
    const result = await review(
      {
        // Relative, as a reviewer types it: the run section shows the input.
        inputs: [relative(process.cwd(), resolve(root, "sandbox/patients")) || "."],
        format: "html",
        asOf: REPORT_AS_OF,
        flags: [],
        statuses: [],
        outFile: file,
      },
      { stdout: quiet, stderr: quiet },
    );
    if (result.exitCode !== 0) throw new Error(`her2 review --format html: exit ${String(result.exitCode)}`);
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1100, height: 1500 });
    await page.goto(pathToFileURL(file).href);
    const path = resolve(target, `${REPORT}.png`);
    await page.screenshot({ path });
    console.log(path);
    await page.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

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
  const wanted = ids.length > 0 ? ids : [...DEFAULT_PATIENTS, REPORT];
  const panels = onlyPatientPages ? [] : wanted.filter((id) => id !== REPORT).map(byId);
  const target = resolve(root, "docs/screenshots");
  mkdirSync(target, { recursive: true });
  const browser = await launchChromium();
  if (!onlyPatientPages && wanted.includes(REPORT)) {
    try {
      await reportScreenshot(root, browser, target);
    } catch (error) {
      await browser.close();
      throw error;
    }
  }
  const outDir = resolve(root, "artifacts/screenshots-dist");
  const app = await buildAndServe(root, outDir);
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
