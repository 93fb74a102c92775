/**
 * Screenshots of the panel at 360 px (a narrow EHR sidebar) for the README: builds the app as it ships, serves it
 * with the embedded sandbox on an ephemeral port, EHR-launches each patient in Debian's Chromium (playwright-core,
 * never a downloaded browser) and writes docs/screenshots/<patient>-360px.png.
 *
 *   npx tsx scripts/screenshots.ts [patient-id ...]
 */
import { mkdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { ehrLaunch, sandboxPatients, waitForPanel } from "../test/browser/app-driver";
import { launchChromium } from "../test/browser/chromium";
import { buildAndServe } from "../test/browser/serve-app";

const DEFAULT_PATIENTS = ["her2-ihc2-no-ish", "her2-met-discordant", "her2-ihc3"];
const VIEWPORT = { width: 360, height: 740 };

async function main(): Promise<void> {
  const root = resolve(import.meta.dirname, "..");
  const ids = process.argv.slice(2).length > 0 ? process.argv.slice(2) : DEFAULT_PATIENTS;
  const patients = sandboxPatients().filter((p) => ids.includes(p.id));
  const outDir = resolve(root, "artifacts/screenshots-dist");
  const app = await buildAndServe(root, outDir);
  const baseUrl = app.baseUrl;
  const browser = await launchChromium();
  const target = resolve(root, "docs/screenshots");
  mkdirSync(target, { recursive: true });
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
