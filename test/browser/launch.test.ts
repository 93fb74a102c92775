import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import {
  type PageWatch,
  ehrLaunch,
  ehrLaunchWithFaults,
  expectAccessible,
  expectNoSecretsInBrowserStorage,
  expectOnlyHost,
  sandboxPatients,
  waitForPanel,
  watchedPage,
} from "./app-driver";
import { SKIP_BROWSER_TESTS, chromiumForSuite } from "./chromium";

const baseUrl = inject("baseUrl");
const patients = sandboxPatients();
const byId = (id: string) => {
  const patient = patients.find((p) => p.id === id);
  if (!patient) throw new Error(`sandbox patient ${id} missing from the manifest`);
  return patient;
};

describe.skipIf(SKIP_BROWSER_TESTS)("SMART launch in Chromium against the embedded sandbox", () => {
  const browser = chromiumForSuite();

  function expectCleanConsole(watch: PageWatch) {
    expect(watch.consoleProblems.filter((m) => /Content Security Policy|Refused to/i.test(m))).toEqual([]);
    expect(watch.consoleProblems.filter((m) => m.startsWith("pageerror"))).toEqual([]);
  }

  it("runs a real EHR launch and shows the patient's name, birth date and HER2 status", async () => {
    const patient = byId("her2-ihc3");
    const { page, watch } = await watchedPage(browser.context);
    await ehrLaunch(page, baseUrl, patient);
    await waitForPanel(page);
    const banner = page.getByTestId("patient-banner");
    await expect.poll(() => banner.innerText()).toContain(patient.name.split(" ")[1] ?? patient.name);
    expect(await banner.innerText()).toContain(patient.birthDate ?? "");
    expect(await page.getByTestId("status-header").innerText()).toMatch(/positive/i);

    // The PKCE code flow really ran: authorize then token, then FHIR calls with the bearer token.
    const paths = watch.urls.map((u) => new URL(u).pathname);
    expect(paths).toContain("/auth/authorize");
    expect(paths).toContain("/auth/token");
    const authorize = new URL(watch.urls.find((u) => u.includes("/auth/authorize")) ?? "");
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("state")).toBeTruthy();
    // One launch (launch.html, then index.html) reads the app's configuration once: the redirect page takes it
    // from the launch page instead of fetching it again.
    expect(paths.filter((p) => p.endsWith("/smart-config.json"))).toHaveLength(1);

    expectOnlyHost(watch, baseUrl);
    await expectNoSecretsInBrowserStorage(page);
    expectCleanConsole(watch);
    await expectAccessible(page, "her2-ihc3 panel");
    await page.close();
  });

  it("runs a standalone launch through the sandbox's patient picker", async () => {
    const { page, watch } = await watchedPage(browser.context);
    await page.goto(`${baseUrl}/launch.html`);
    await expectAccessible(page, "launch page without iss");
    await page.getByRole("link", { name: /Embedded sandbox/ }).click();
    await page.getByRole("radio", { name: /Julia Novak/ }).check();
    await page
      .getByRole("button", { name: /Allow|Continue|Launch|Select/ })
      .first()
      .click();
    await waitForPanel(page);
    expect(await page.getByTestId("patient-banner").innerText()).toContain("Novak");
    expect(
      await page
        .locator("[data-flag-code]")
        .evaluateAll((els) => els.map((e) => e.getAttribute("data-flag-code"))),
    ).toContain("reflex-ish-missing");
    expectOnlyHost(watch, baseUrl);
    expectCleanConsole(watch);
    await page.close();
  });

  it.each([
    ["deny", /Access was not granted/],
    ["token-error", /Sign-in could not be completed/],
    ["no-patient", /No patient selected/],
  ])("explains a launch with the %s fault", async (fault, title) => {
    const { page } = await watchedPage(browser.context);
    await ehrLaunchWithFaults(page, baseUrl, "her2-ihc3", fault);
    await expect.poll(() => page.getByRole("alert").innerText(), { timeout: 20_000 }).toMatch(title);
    await expectNoSecretsInBrowserStorage(page);
    await expectAccessible(page, `${fault} screen`);
    await page.close();
  });

  it("shows one session-expired screen, with no status and no print, when the EHR rejects the token (fhir-401)", async () => {
    const { page } = await watchedPage(browser.context);
    await ehrLaunchWithFaults(page, baseUrl, "her2-ihc3", "fhir-401");
    await expect
      .poll(() => page.getByRole("alert").innerText(), { timeout: 20_000 })
      .toMatch(/Session expired – relaunch from the chart/);
    expect(await page.getByTestId("status-header").count()).toBe(0);
    expect(await page.getByRole("button", { name: /print/i }).count()).toBe(0);
    await expectAccessible(page, "session-expired screen");
    await page.close();
  });

  it("shows a refused sign-in again after a reload, not 'No patient selected' (17.3)", async () => {
    const { page } = await watchedPage(browser.context);
    await ehrLaunchWithFaults(page, baseUrl, "her2-ihc3", "deny");
    await expect
      .poll(() => page.getByRole("alert").innerText(), { timeout: 20_000 })
      .toMatch(/Access was not granted/);
    await page.reload();
    const again = page.getByRole("alert");
    await expect.poll(() => again.innerText(), { timeout: 20_000 }).toMatch(/Access was not granted/);
    expect(await again.innerText()).toMatch(/Shown again after the page was reloaded/);
    expect(await again.innerText()).not.toMatch(/No patient selected|No launch in progress/);
    await expectNoSecretsInBrowserStorage(page);
    await page.close();
  });

  /** Serves smart-config.json with `online_access` added to the sandbox issuer, as a site asking for refresh tokens. */
  async function askForRefreshTokens(page: Page) {
    await page.route("**/smart-config.json", async (route) => {
      const response = await route.fetch();
      const config = (await response.json()) as { issuers: { id: string; extraScopes?: string[] }[] };
      for (const issuer of config.issuers)
        if (issuer.id === "sandbox") issuer.extraScopes = ["online_access"];
      await route.fulfill({ response, json: config });
    });
  }

  /** FHIR answers (status codes) the page received from the sandbox's data endpoints. */
  function watchFhirStatuses(page: Page): number[] {
    const statuses: number[] = [];
    page.on("response", (response) => {
      const path = new URL(response.url()).pathname;
      if (/^\/fhir\/(Patient|Observation|Condition|Medication|Specimen|DiagnosticReport)/.test(path))
        statuses.push(response.status());
    });
    return statuses;
  }

  async function expectSessionExpired(page: Page, shownAgain: boolean) {
    const alert = page.getByRole("alert");
    await expect
      .poll(() => alert.innerText(), { timeout: 30_000 })
      .toMatch(/Session expired – relaunch from the chart/);
    if (shownAgain) expect(await alert.innerText()).toMatch(/Shown again after the page was reloaded/);
    expect(await page.getByTestId("status-header").count()).toBe(0);
    expect(await page.getByRole("button", { name: /print/i }).count()).toBe(0);
  }

  // her2-paged's HER2 search takes two pages (2 results per page), and each answer waits 2.5 s: the token (2 s)
  // expires between the first page and the second.
  const EXPIRES_DURING_LOAD = "expire:2,slow:Observation:2500";

  it("a token that expires during the load, without a refresh token: session expired, also after a reload (17.1)", async () => {
    const { page } = await watchedPage(browser.context);
    const statuses = watchFhirStatuses(page);
    await ehrLaunchWithFaults(page, baseUrl, "her2-paged", EXPIRES_DURING_LOAD);
    await expectSessionExpired(page, false);
    expect(statuses).toContain(200);
    expect(statuses).toContain(401);
    await page.reload();
    await expectSessionExpired(page, true);
    await expectNoSecretsInBrowserStorage(page);
    await page.close();
  });

  it("a token that expires during the load, with a refresh token: refreshed, assessed, and again after a reload (17.1)", async () => {
    const { page } = await watchedPage(browser.context);
    await askForRefreshTokens(page);
    const refreshes: string[] = [];
    page.on("request", (request) => {
      if (request.url().endsWith("/auth/token") && /grant_type=refresh_token/.test(request.postData() ?? ""))
        refreshes.push(request.postData() ?? "");
    });
    await ehrLaunchWithFaults(page, baseUrl, "her2-paged", EXPIRES_DURING_LOAD);
    await waitForPanel(page);
    expect(await page.getByTestId("status-header").innerText()).toMatch(/positive/i);
    expect(refreshes.length).toBeGreaterThan(0);
    expect(refreshes[0]).toMatch(/client_id=her2-smart-sandbox/);
    await page.reload();
    await waitForPanel(page);
    expect(await page.getByTestId("status-header").innerText()).toMatch(/positive/i);
    await page.close();
  });

  it("a refused refresh ends the session: session expired, also after a reload (17.1)", async () => {
    const { page } = await watchedPage(browser.context);
    await askForRefreshTokens(page);
    await ehrLaunchWithFaults(page, baseUrl, "her2-paged", `${EXPIRES_DURING_LOAD},refresh-fail`);
    await expectSessionExpired(page, false);
    await page.reload();
    await expectSessionExpired(page, true);
    await page.close();
  });

  it("explains index.html opened without a launch, and launch.html from an unknown EHR", async () => {
    const { page, watch } = await watchedPage(browser.context);
    await page.goto(`${baseUrl}/index.html`);
    await expect.poll(() => page.getByRole("alert").innerText()).toMatch(/No launch in progress/);
    await page.goto(
      `${baseUrl}/launch.html?iss=${encodeURIComponent("https://unknown-ehr.example.org/fhir")}&launch=x`,
    );
    await expect.poll(() => page.locator("h1").innerText()).toMatch(/not configured/);
    expect([...watch.hosts]).not.toContain("unknown-ehr.example.org");
    await page.close();
  });

  it("a slow Conditions query (slow:Condition): shows what has arrived with the pending part marked (issue 18.4)", async () => {
    const { page } = await watchedPage(browser.context);
    await ehrLaunchWithFaults(page, baseUrl, "her2-met-no-retest", "slow:Condition:6000");
    const loading = page.getByTestId("data-loading-alert");
    await loading.waitFor({ timeout: 5_000 });
    expect(await loading.innerText()).toMatch(/Still loading: Condition/);
    const retest = page.locator('li[data-flag-code="metastatic-retest-missing"]');
    expect(await retest.getAttribute("data-flag-state")).toBe("not-checked");
    expect(await retest.innerText()).toMatch(/could not check, conditions are still loading/);
    // Then the whole answer: the retest flag is raised from the conditions.
    await loading.waitFor({ state: "detached", timeout: 20_000 });
    await expect.poll(() => retest.getAttribute("data-flag-state")).toBeNull();
    await page.close();
  });

  it("shows what could not be loaded when the EHR denies a resource type", async () => {
    const { page } = await watchedPage(browser.context);
    await ehrLaunchWithFaults(page, baseUrl, "her2-ihc3", "forbid:MedicationRequest");
    await waitForPanel(page);
    const completeness = page.getByTestId("data-completeness");
    await expect.poll(() => completeness.innerText()).toMatch(/MedicationRequest/);
    await page.close();
  });
});
