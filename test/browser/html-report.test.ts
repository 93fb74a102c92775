/**
 * The quality report (`her2 review --format html`, issue 14.4) opened from disk in Chromium: it loads nothing (strict
 * CSP, no network), passes axe with colour contrast (which jsdom cannot check), and prints.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { review } from "../../src/cli/review";
import { expectAccessible, watchedPage } from "./app-driver";
import {
  type Browser,
  MISSING_CHROMIUM_MESSAGE,
  SKIP_BROWSER_TESTS,
  chromiumPath,
  launchChromium,
} from "./chromium";

class Sink extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

describe.skipIf(SKIP_BROWSER_TESTS)("HTML quality report in Chromium (issue 14.4)", () => {
  let browser: Browser;
  let dir: string;
  let file: string;
  beforeAll(async () => {
    if (!chromiumPath()) throw new Error(MISSING_CHROMIUM_MESSAGE);
    dir = mkdtempSync(join(tmpdir(), "her2-report-"));
    file = join(dir, "report.html");
    const stdout = new Sink();
    const result = await review(
      {
        inputs: [join(import.meta.dirname, "../../sandbox/patients")],
        format: "html",
        asOf: "2026-11-25",
        flags: [],
        statuses: [],
      },
      { stdout, stderr: new Sink() },
    );
    expect(result.exitCode).toBe(0);
    writeFileSync(file, stdout.text);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("opens from disk without a request or a CSP complaint, passes axe (WCAG 2.1 AA, contrast included) and prints", async () => {
    const { page, watch } = await watchedPage(browser.context);
    await page.goto(pathToFileURL(file).href);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toContain("quality report");
    await expect(page.getByRole("img", { name: /HER2 status/ }).count()).resolves.toBe(1);
    expect(watch.urls).toEqual([pathToFileURL(file).href]);
    expect(watch.consoleProblems).toEqual([]);
    await expectAccessible(page, "the HTML quality report");
    await page.emulateMedia({ media: "print" });
    const pdf = await page.pdf({ format: "A4" });
    expect(pdf.length).toBeGreaterThan(1000);
    await page.close();
  });
});
