import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export interface SandboxPatient {
  id: string;
  name: string;
  birthDate?: string;
  scenario: string;
  expected: { status: string; category: string; setting: string; flags: string[] };
}

export function sandboxPatients(): SandboxPatient[] {
  const manifest = JSON.parse(readFileSync("sandbox/patients/index.json", "utf8")) as {
    patients: SandboxPatient[];
  };
  return manifest.patients;
}

/** Everything a page did that a security review cares about. */
export interface PageWatch {
  hosts: Set<string>;
  urls: string[];
  consoleProblems: string[];
}

export async function watchedPage(context: BrowserContext): Promise<{ page: Page; watch: PageWatch }> {
  const page = await context.newPage();
  const watch: PageWatch = { hosts: new Set(), urls: [], consoleProblems: [] };
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol === "data:") return;
    watch.hosts.add(url.host);
    watch.urls.push(request.url());
  });
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning")
      watch.consoleProblems.push(message.text());
  });
  page.on("pageerror", (error) => watch.consoleProblems.push(`pageerror: ${error.message}`));
  return { page, watch };
}

/** EHR launch from the sandbox page, as a tester clicks it; resolves when the panel (or a screen) is shown. */
export async function ehrLaunch(page: Page, baseUrl: string, patient: SandboxPatient): Promise<void> {
  await page.goto(`${baseUrl}/sandbox/`);
  const row = page.locator("tr", { has: page.locator(`code:text-is("${patient.id}")`) });
  await row.getByRole("link", { name: /EHR launch/ }).click();
  await page.waitForURL(/\/index\.html/);
}

/** EHR launch with injected faults through the sandbox's fault form. */
export async function ehrLaunchWithFaults(page: Page, baseUrl: string, patientId: string, faults: string) {
  await page.goto(`${baseUrl}/sandbox/`);
  await page.getByLabel("Patient").selectOption(patientId);
  await page.getByLabel(/Faults/).fill(faults);
  await page.getByRole("button", { name: "Launch" }).click();
}

export async function waitForPanel(page: Page): Promise<void> {
  await page.getByTestId("status-header").waitFor({ timeout: 30_000 });
  // The panel shows what has arrived while slow queries run (issue 18.4): wait for the whole answer.
  await page.getByTestId("data-loading-alert").waitFor({ state: "detached", timeout: 30_000 });
}

/** Runs axe-core (WCAG 2.1 A/AA rules) in the page and fails with the violations listed. */
export async function expectAccessible(page: Page, context: string): Promise<void> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<unknown> } })
      .axe;
    const result = (await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    })) as { violations: { id: string; help: string; nodes: { target: unknown }[] }[] };
    return result.violations.map(
      (v) => `${v.id}: ${v.help} (${JSON.stringify(v.nodes.map((n) => n.target))})`,
    );
  });
  expect(violations, `axe violations on ${context}`).toEqual([]);
}

/** The app talked only to its own origin (which serves the FHIR and authorisation endpoints in the sandbox). */
export function expectOnlyHost(watch: PageWatch, baseUrl: string): void {
  expect([...watch.hosts]).toEqual([new URL(baseUrl).host]);
}

export async function expectNoSecretsInBrowserStorage(page: Page): Promise<void> {
  const local = await page.evaluate(() => Object.keys(localStorage).length);
  expect(local, "localStorage must stay empty").toBe(0);
  expect(page.url()).not.toMatch(/[?&](code|access_token|state)=/);
}
