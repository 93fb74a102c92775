/**
 * The panel in Spanish and Chinese (issue 15.3-4): catalogs fetched only when needed, the skeleton until they are
 * there, the switcher by keyboard, `<html lang>`, and no English chrome left on a translated panel. The expected
 * words are the clinical terms the brief asks for, written here, not read from the catalogs.
 */
import { ThemeProvider } from "@mui/material/styles";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Locale } from "../../src/i18n/locales";
import { Her2Panel } from "../../src/ui/Her2Panel";
import { type UiCatalog, loadCatalog } from "../../src/ui/i18n/catalogs";
import { I18nProvider } from "../../src/ui/i18n/I18nProvider";
import { her2Theme } from "../../src/ui/theme";
import en from "../../src/ui/messages/en.json";
import { IHC_2PLUS, PATIENT, assessment, metastaticPositive } from "./fixtures";

/** A whole panel rendered in jsdom after a catalog chunk resolves: seconds on a loaded 2-core CI machine, not 1 s. */
const SLOW = { timeout: 10_000 };
vi.setConfig({ testTimeout: 20_000 });

function renderIn(locale: Locale, load: (l: Locale) => Promise<UiCatalog> = loadCatalog) {
  return render(
    <ThemeProvider theme={her2Theme}>
      <I18nProvider initialLocale={locale} load={load}>
        <Her2Panel
          patient={{ ...PATIENT, reference: metastaticPositive.patient }}
          showPatientBanner
          state={{ kind: "ready", assessment: metastaticPositive }}
          sourceLabel="ehr.example.org"
        />
      </I18nProvider>
    </ThemeProvider>,
  );
}

afterEach(() => {
  sessionStorage.clear();
  document.documentElement.lang = "";
});

describe("catalog loading", () => {
  it("English needs no fetch: the panel shows at once, and no other catalog is asked for", () => {
    const load = vi.fn(loadCatalog);
    renderIn("en", load);
    expect(screen.getByRole("heading", { level: 1, name: "HER2 status" })).toBeTruthy();
    expect(load).not.toHaveBeenCalled();
    expect(document.documentElement.lang).toBe("en");
  });

  it("Spanish shows the skeleton until its catalog is there, then the Spanish panel (no English flash)", async () => {
    let resolve: (c: UiCatalog) => void = () => undefined;
    const load = vi.fn(
      (l: Locale) =>
        new Promise<UiCatalog>((r) => {
          resolve = (c) => {
            r(c);
          };
          expect(l).toBe("es");
        }),
    );
    renderIn("es", load);
    expect(screen.getByTestId("panel-skeleton")).toBeTruthy();
    expect(screen.queryByRole("heading", { level: 1 })).toBeNull();
    expect(load).toHaveBeenCalledTimes(1);
    resolve(await loadCatalog("es"));
    expect(await screen.findByRole("heading", { level: 1, name: "Estado de HER2" }, SLOW)).toBeTruthy();
    expect(document.documentElement.lang).toBe("es");
  });

  it("a catalog that cannot be fetched leaves the page in English, labelled English", async () => {
    renderIn("zh-CN", () => Promise.reject(new Error("chunk failed")));
    expect(await screen.findByRole("heading", { level: 1, name: "HER2 status" }, SLOW)).toBeTruthy();
    expect(document.documentElement.lang).toBe("en");
  });
});

describe("the switcher", () => {
  it("is reached with Tab, labelled, lists each language in its own name, and switches the page", async () => {
    const user = userEvent.setup();
    renderIn("en");
    const select = screen.getByLabelText<HTMLSelectElement>("Language");
    expect([...select.options].map((o) => o.textContent)).toEqual(["English", "Español", "简体中文"]);
    // Keyboard: Tab through the header until the select has focus.
    for (let i = 0; i < 10 && document.activeElement !== select; i++) await user.tab();
    expect(document.activeElement).toBe(select);
    await user.selectOptions(select, "zh-CN");
    expect(await screen.findByRole("heading", { level: 1, name: /HER2 \(C-erbB-2\)/ }, SLOW)).toBeTruthy();
    expect(document.documentElement.lang).toBe("zh-CN");
    expect(sessionStorage.getItem("her2.locale")).toBe("zh-CN");
    expect(screen.getByLabelText<HTMLSelectElement>("语言").value).toBe("zh-CN");
  });
});

/** The panel's own English words (section titles, buttons, labels) that must not remain in another locale. */
const ENGLISH_CHROME = [
  "HER2 status",
  "Print summary",
  "Explain to the patient",
  "Flags",
  "Guideline suggestion",
  "Timeline",
  "Evidence",
  "Data completeness",
  "Why",
  "Based on",
  "Setting",
  "Category",
  "Metastatic or recurrent disease",
  "Decision support",
  "Language",
  "Result date",
  "Read as",
  "Used",
  "How it was read",
  "As recorded",
  "Source JSON",
];

describe.each([
  ["es", "Estado de HER2", "HER2 positivo", "Enfermedad metastásica o recurrente", "Alertas"],
  ["zh-CN", "HER2 (C-erbB-2) 状态", "HER2 阳性", "转移性或复发性疾病", "提示"],
] as const)("the %s panel", (locale, title, status, setting, flagsHeading) => {
  it("has the clinical words of the locale in the headings, status and setting", async () => {
    renderIn(locale);
    expect(await screen.findByRole("heading", { level: 1, name: title }, SLOW)).toBeTruthy();
    const header = screen.getByTestId("status-header");
    expect(within(header).getAllByText(status).length).toBeGreaterThan(0);
    expect(within(header).getByText(setting)).toBeTruthy();
    expect(screen.getByRole("heading", { level: 2, name: new RegExp(`^${flagsHeading}`) })).toBeTruthy();
  });

  it("leaves none of the English chrome in headings, buttons, labels and the status box", async () => {
    renderIn(locale);
    await screen.findByRole("heading", { level: 1, name: title }, SLOW);
    const chrome = [
      ...screen.getAllByRole("heading"),
      ...screen.getAllByRole("button"),
      ...document.querySelectorAll("dt, label, summary, th"),
    ].map((el) => el.textContent);
    for (const word of ENGLISH_CHROME) {
      expect(chrome.filter((text) => text.startsWith(word))).toEqual([]);
    }
  });
});

describe("dates", () => {
  it("a Spanish date in the status box is the recorded calendar date in Spanish words", async () => {
    render(
      <I18nProvider initialLocale="es">
        <Her2Panel
          patient={PATIENT}
          showPatientBanner
          state={{ kind: "ready", assessment: assessment({ evidence: [IHC_2PLUS] }) }}
        />
      </I18nProvider>,
    );
    await screen.findByRole("heading", { level: 1, name: "Estado de HER2" }, SLOW);
    // The banner's birth date 1961-04-12 and the assessment's basis date in the locale's form.
    expect(screen.getByTestId("patient-banner").textContent).toContain("12 abr 1961");
    // FHIR's gender code in words; the code itself stays in the data.
    expect(screen.getByTestId("patient-banner").textContent).toContain("mujer");
  });

  it("English keeps the ISO dates the existing panel shows", () => {
    expect(en["banner.dob"]).toBe("DOB {date}");
    renderIn("en");
    expect(screen.getByTestId("patient-banner").textContent).toContain("DOB 1961-04-12");
  });
});

describe("one English source", () => {
  it("the English flag titles are the domain's (shared with the CLI report), so they never drift apart", async () => {
    const { FLAG_TITLES } = await import("../../src/domain/flag-titles");
    for (const [code, title] of Object.entries(FLAG_TITLES))
      expect(en[`flag.${code}` as keyof typeof en]).toBe(title);
  });
});

describe("the timeline picture", () => {
  it("has its lane titles and month ticks in Chinese", async () => {
    renderIn("zh-CN");
    const svg = await screen.findByTestId("timeline-svg", undefined, SLOW);
    const text = svg.textContent;
    expect(text).toContain("HER2 检测");
    expect(text).toContain("抗 HER2 治疗");
    expect(text).not.toContain("HER2 tests");
    expect(text).not.toMatch(/\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}/);
  });
});
