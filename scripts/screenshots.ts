/**
 * Screenshots of the panel at 360 px (a narrow EHR sidebar) for the README: builds the app as it ships, serves it
 * with the embedded sandbox on an ephemeral port, EHR-launches each patient in Debian's Chromium (playwright-core,
 * never a downloaded browser) and writes docs/screenshots/<patient>-360px.png. Also the quality report
 * (`her2 review sandbox/patients --format html`, opened from disk): docs/screenshots/quality-report.png, the top of the
 * page (run and quality measures).
 *
 *   npx tsx scripts/screenshots.ts [patient-id ... | quality-report]
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { Writable } from "node:stream";
import { pathToFileURL } from "node:url";
import { review } from "../src/cli/review";
import { ehrLaunch, sandboxPatients, waitForPanel } from "../test/browser/app-driver";
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

async function main(): Promise<void> {
  const root = resolve(import.meta.dirname, "..");
  const ids = process.argv.slice(2).length > 0 ? process.argv.slice(2) : [...DEFAULT_PATIENTS, REPORT];
  const patients = sandboxPatients().filter((p) => ids.includes(p.id));
  const target = resolve(root, "docs/screenshots");
  mkdirSync(target, { recursive: true });
  const browser = await launchChromium();
  try {
    if (ids.includes(REPORT)) await reportScreenshot(root, browser, target);
  } catch (error) {
    await browser.close();
    throw error;
  }
  if (patients.length === 0) {
    await browser.close();
    return;
  }
  const outDir = resolve(root, "artifacts/screenshots-dist");
  const app = await buildAndServe(root, outDir);
  const baseUrl = app.baseUrl;
  try {
    for (const patient of patients) {
      const page = await browser.context.newPage();
      await page.setViewportSize(VIEWPORT);
      await ehrLaunch(page, baseUrl, patient);
      await waitForPanel(page);
      const path = resolve(target, `${patient.id}-360px.png`);
      await page.screenshot({ path });
      console.log(path);
      await page.close();
    }
  } finally {
    await browser.close();
    await app.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}

await main();
