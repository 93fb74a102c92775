import { describe, expect, inject, it } from "vitest";
import { FLAG_RULES } from "../../src/domain/flags";
import type { Her2Status } from "../../src/domain/types";
import { statusLabel } from "../../src/ui/labels";
import { ehrLaunch, expectAccessible, sandboxPatients, waitForPanel, watchedPage } from "./app-driver";
import { SKIP_BROWSER_TESTS, chromiumForSuite } from "./chromium";

const baseUrl = inject("baseUrl");
/** A phone-sized EHR sidebar; the first screen is its top 600 px (issue 18.1). */
const PHONE = { width: 360, height: 740 };
const FIRST_SCREEN = 600;

/**
 * What the clinician must not read outside the "How it was read" / source JSON disclosures (issue 18.2): FHIR element
 * names, resource references and ids, UCUM unit codes, internal flag codes, SMART scope strings, SNOMED "structure"
 * displays, the rules' jargon, and literal backticks (issue 18.9).
 */
const FORBIDDEN: readonly { what: string; pattern: RegExp }[] = [
  {
    what: "FHIR element name",
    pattern: /\bvalue(?:CodeableConcept|Quantity|String|Boolean|Integer|Ratio)\b/,
  },
  { what: "FHIR element path", pattern: /\bcomponent\[\d*\]|\bcoding\[|\beffective(?:DateTime|Period)\b/ },
  {
    what: "resource reference",
    pattern:
      /\b(?:Observation|DiagnosticReport|Condition|Medication(?:Request|Statement|Administration)|Specimen|Patient|Procedure)\/\S/,
  },
  { what: "sandbox resource id", pattern: /\bher2-[a-z0-9]+(?:-[a-z0-9]+)*/ },
  { what: "UCUM unit code", pattern: /\{[A-Za-z]+\}/ },
  {
    what: "internal flag code",
    pattern: new RegExp(`\\b(?:${Object.keys(FLAG_RULES).join("|")})\\b`),
  },
  { what: "scope string", pattern: /\b(?:patient|user|system)\/[A-Za-z*]+\.[a-z*]+/ },
  { what: "SNOMED body-structure display", pattern: /\bstructure\b/i },
  { what: "rules jargon", pattern: /governing specimen|the laboratory's call/i },
  { what: "literal backtick", pattern: /`/ },
];

/** The panel's visible text, without closed disclosures (innerText skips what is not rendered) and dialogs. */
async function visibleText(page: import("playwright-core").Page): Promise<string> {
  return page.evaluate(() => {
    const main = document.querySelector("main");
    const banner = document.querySelector("header");
    return [banner?.innerText ?? "", main?.innerText ?? ""].join("\n");
  });
}

describe.skipIf(SKIP_BROWSER_TESTS)("the first screen at 360 x 740 px (issue 18.1, 18.2)", () => {
  const browser = chromiumForSuite();

  it.each(sandboxPatients().map((p) => [p.id, p] as const))("%s", async (id, patient) => {
    const { page } = await watchedPage(browser.context);
    await page.setViewportSize(PHONE);
    await ehrLaunch(page, baseUrl, patient);
    await waitForPanel(page);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);

    // The status, in words, within the first screen.
    const header = page.getByTestId("status-header");
    const badge = header
      .getByText(statusLabel[patient.expected.status as Her2Status], { exact: true })
      .first();
    const badgeBox = await badge.boundingBox();
    expect(badgeBox, `${id}: status badge not rendered`).not.toBeNull();
    expect(badgeBox?.y ?? 0).toBeGreaterThanOrEqual(0);
    expect(
      (badgeBox?.y ?? 0) + (badgeBox?.height ?? 0),
      `${id}: status below the first screen`,
    ).toBeLessThanOrEqual(FIRST_SCREEN);

    // Every flagged patient: the most urgent next step, an order to act on, without scrolling.
    if (patient.expected.flags.length > 0) {
      const step = page.getByTestId("first-next-step");
      await expect.poll(() => step.count(), { message: `${id}: no next step on the first screen` }).toBe(1);
      const box = await step.boundingBox();
      expect(box?.y ?? 0).toBeGreaterThan(0);
      expect(
        (box?.y ?? 0) + (box?.height ?? 0),
        `${id}: next step below the first screen`,
      ).toBeLessThanOrEqual(FIRST_SCREEN);
      expect(await step.innerText()).toMatch(/^Next step/);
    }
    const text = await visibleText(page);
    const found = FORBIDDEN.flatMap(({ what, pattern }) => {
      const m = pattern.exec(text);
      return m ? [`${what}: "${m[0]}" in …${text.slice(Math.max(0, m.index - 40), m.index + 40)}…`] : [];
    });
    expect(found, `${id}: FHIR or internal words outside the disclosure`).toEqual([]);

    // The detail is one click away: opening "How it was read" shows the FHIR reading.
    const how = page.getByTestId("how-read").first();
    if ((await how.count()) > 0) {
      await how.locator("summary").click();
      expect(await how.innerText()).toMatch(/Resource\s+(Observation|DiagnosticReport)\//);
    }
    await page.close();
  });
});

/** What the focused element shows: its outline, and its size as a target. */
interface FocusState {
  tag: string;
  name: string;
  outline: string;
  outlineWidth: number;
  width: number;
  height: number;
  inlineLink: boolean;
}

describe.skipIf(SKIP_BROWSER_TESTS)("focus and targets at 360 px (issue 18.9, WCAG 2.4.7 and 2.5.8)", () => {
  const browser = chromiumForSuite();

  it.each(["her2-met-discordant", "her2-ihc2-no-ish"])(
    "%s: every control shows its focus at once",
    async (id) => {
      const patient = sandboxPatients().find((p) => p.id === id);
      if (!patient) throw new Error(`no sandbox patient ${id}`);
      const { page } = await watchedPage(browser.context);
      await page.setViewportSize(PHONE);
      await ehrLaunch(page, baseUrl, patient);
      await waitForPanel(page);
      const seen: FocusState[] = [];
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press("Tab");
        // Read at once: no waiting for a ripple or transition (2.4.7 "immediately").
        const state = await page.evaluate((): FocusState | null => {
          const el = document.activeElement as HTMLElement | null;
          // Back at a control already seen: the Tab order has wrapped round.
          if (!el || el === document.body || el.dataset["focusSeen"] === "1") return null;
          el.dataset["focusSeen"] = "1";
          const style = getComputedStyle(el);
          const box = el.getBoundingClientRect();
          return {
            tag: el.tagName.toLowerCase(),
            name: (el.getAttribute("aria-label") ?? el.textContent).trim().slice(0, 40),
            outline: style.outlineStyle,
            outlineWidth: parseFloat(style.outlineWidth),
            width: box.width,
            height: box.height,
            inlineLink: el.tagName === "A" && getComputedStyle(el).display === "inline",
          };
        });
        if (!state) break;
        seen.push(state);
      }
      expect(seen.length, "controls reached by Tab").toBeGreaterThan(3);
      const noOutline = seen.filter((s) => s.outline === "none" || s.outlineWidth < 2);
      expect(noOutline, "focused controls without a visible outline").toEqual([]);
      const small = seen.filter((s) => !s.inlineLink && (s.width < 24 || s.height < 24));
      expect(small, "targets smaller than 24 x 24 px").toEqual([]);
      await expectAccessible(page, `${id} at 360 px after tabbing`);
      await page.close();
    },
  );
});
