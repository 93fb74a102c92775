import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import axe from "axe-core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LocaleContext } from "../../src/ui/i18n/locale-context";
import { PatientExplanation } from "../../src/ui/patient/PatientExplanation";
import { loadPatientCatalog } from "../../src/ui/patient/catalogs";
import { ALL_FLAGS, PATIENT, assessment, metastaticPositive } from "./fixtures";
import { renderPanel } from "./render";

afterEach(() => {
  vi.restoreAllMocks();
});

const ready = (a = assessment()) => ({ kind: "ready" as const, assessment: a });

describe("Explain to the patient (issue 15.1)", () => {
  it("opens the patient page from the panel, with the name and test date only, and Back returns", async () => {
    const user = userEvent.setup();
    renderPanel({ state: ready() });
    await user.click(screen.getByRole("button", { name: "Explain to the patient" }));
    const page = await screen.findByTestId("patient-explanation", {}, { timeout: 10_000 });
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Your HER2 test result");
    expect(screen.getByRole("heading", { level: 1 })).toHaveFocus();
    expect(page).toHaveTextContent(`This page is for ${PATIENT.name}.`);
    // The recorded calendar date, in words in the page's locale (en-US when no locale is provided).
    expect(page).toHaveTextContent("Test date: March 2, 2024");
    // IHC 2+ without ISH: equivocal, the reflex-ISH next step, no treatment claim.
    expect(page).toHaveTextContent("Your result is not clear yet.");
    expect(page).toHaveTextContent("Your sample needs a second test, called ISH, to be sure of the result.");
    expect(page).toHaveTextContent("Your treatment will depend on your final HER2 result.");
    expect(page).toHaveTextContent("This page does not replace your doctor's advice.");
    // No identifiers beyond the name and the test date: no birth date, reference, specimen label or banner.
    expect(page.textContent).not.toContain(PATIENT.birthDate ?? "");
    expect(document.body.textContent).not.toMatch(/Patient\/|Observation|Specimen|S-24-1234|DOB/);
    expect(screen.queryByTestId("patient-banner")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Back" }));
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("HER2 status");
    expect(screen.queryByTestId("patient-explanation")).toBeNull();
  });

  it("prints the page, hiding its buttons on paper", async () => {
    const user = userEvent.setup();
    const print = vi.spyOn(window, "print").mockImplementation(() => undefined);
    renderPanel({ state: ready(metastaticPositive), patient: { ...PATIENT, reference: "Patient/p-met" } });
    await user.click(screen.getByRole("button", { name: "Explain to the patient" }));
    await screen.findByTestId("patient-explanation", {}, { timeout: 10_000 });
    const printButton = screen.getByRole("button", { name: "Print" });
    expect(printButton.parentElement).toHaveAttribute("data-print", "hide");
    await user.click(printButton);
    expect(print).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId("patient-explanation")).toHaveTextContent(/CLEOPATRA.*56\.5 months/);
  });

  it("lists one next step per flag and the sources of the figures", async () => {
    const user = userEvent.setup();
    renderPanel({ state: ready(assessment({ flags: ALL_FLAGS })) });
    await user.click(screen.getByRole("button", { name: "Explain to the patient" }));
    const page = await screen.findByTestId("patient-explanation", {}, { timeout: 10_000 });
    const next = screen.getByRole("heading", { name: "What happens next" }).nextElementSibling;
    expect(next?.querySelectorAll("li")).toHaveLength(new Set(ALL_FLAGS.map((f) => f.code)).size);
    // The flag fixtures name resources; none reaches the patient page.
    expect(page.textContent).not.toMatch(/(?:Observation|Specimen|Condition)\/[\w.-]+/);
  });

  it("is not offered while loading, on an error or for a mismatched patient", () => {
    const { unmount } = renderPanel({ state: { kind: "loading" } });
    expect(screen.queryByRole("button", { name: "Explain to the patient" })).toBeNull();
    unmount();
    renderPanel({ state: ready(), patient: { ...PATIENT, reference: "Patient/other" } });
    expect(screen.queryByRole("button", { name: "Explain to the patient" })).toBeNull();
  });

  it("has no axe violations (colour contrast needs a real browser)", async () => {
    const user = userEvent.setup();
    renderPanel({ state: ready(assessment({ flags: ALL_FLAGS })) });
    await user.click(screen.getByRole("button", { name: "Explain to the patient" }));
    await screen.findByTestId("patient-explanation", {}, { timeout: 10_000 });
    const result = await axe.run(document.body, {
      rules: { "color-contrast": { enabled: false } },
      resultTypes: ["violations"],
    });
    expect(result.violations.map((v) => v.id)).toEqual([]);
    expect(screen.getAllByRole("main")).toHaveLength(1);
  });

  it("speaks the panel's locale, and its own menu switches the page to the patient's language", async () => {
    const user = userEvent.setup();
    // The Chinese catalog loads as its own chunk: the page suspends until it is in, then React renders it again.
    await act(async () => {
      render(
        <LocaleContext.Provider value="zh-CN">
          <PatientExplanation
            assessment={metastaticPositive}
            patientName={PATIENT.name}
            onBack={() => undefined}
          />
        </LocaleContext.Provider>,
      );
      await loadPatientCatalog("zh-CN");
    });
    const page = await screen.findByTestId("patient-explanation", {}, { timeout: 10_000 });
    expect(page).toHaveAttribute("lang", "zh-CN");
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("您的 HER2 检测结果");
    expect(page).toHaveTextContent("检测日期：2025年6月10日");
    expect(page).toHaveTextContent("您的结果是 HER2 阳性。");
    // The sources stay as published, marked as English for screen readers.
    expect(page.querySelector("ol")).toHaveAttribute("lang", "en");
    // In jsdom, act does not replay a transition that suspended after it returned: load the chunk first (the switch
    // while loading is checked in Chromium, test/browser/patient-locales.test.ts).
    await loadPatientCatalog("es");
    await user.selectOptions(screen.getByRole("combobox", { name: "阅读语言" }), "es");
    await waitFor(() => {
      expect(page).toHaveAttribute("lang", "es");
    });
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("El resultado de su prueba de HER2");
    expect(page).toHaveTextContent("Fecha de la prueba: 10 de junio de 2025");
    expect(page).toHaveTextContent("56,5 meses");
    expect(screen.getByRole("button", { name: "Imprimir" })).toBeVisible();
  });
});
