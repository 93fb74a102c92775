import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Assessment, Her2Category, Her2Status, Setting } from "../../src/domain/types";
import {
  ALL_FLAGS,
  DENIED_OBSERVATION,
  DOCREF_UNSUPPORTED,
  EVERY_FLAG_CODE,
  IHC_2PLUS,
  MEDICATION_TIMEOUT,
  METASTATIC_POSITIVE_EVIDENCE,
  PATIENT,
  RESOURCES,
  assessment,
  evidence,
  metastaticPositive,
} from "./fixtures";
import { pretendWideScreen, renderPanel } from "./render";

const ready = (a: Assessment) => ({ kind: "ready" as const, assessment: a });

afterEach(() => {
  vi.restoreAllMocks();
});

describe("page structure", () => {
  it("has one main landmark, an h1 and an h2 per section", () => {
    renderPanel({ state: ready(assessment()) });
    expect(screen.getAllByRole("main")).toHaveLength(1);
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("HER2 status");
    const h2 = screen.getAllByRole("heading", { level: 2 }).map((h) => h.textContent);
    expect(h2).toEqual([
      "Flags (1)",
      "Guideline suggestion",
      "Timeline",
      "Evidence (1 result)",
      "Data completeness",
    ]);
    // Each section is a region named by its heading.
    expect(screen.getByRole("region", { name: "Guideline suggestion" })).toBeInTheDocument();
  });
});

describe("status header", () => {
  it("shows each tumour's own status when there are bilateral tumours", () => {
    const tumours: Assessment["tumours"] = [
      {
        tumour: "left breast",
        status: "positive",
        category: "her2-positive",
        statusReason: "IHC 3+.",
        basis: { specimenLabel: "S23-02210", date: "2023-04-18", evidence: ["Observation/l"] },
      },
      {
        tumour: "right breast",
        status: "negative",
        category: "her2-low",
        statusReason: "IHC 1+.",
        basis: { specimenLabel: "S25-03318", date: "2025-05-12", evidence: ["Observation/r"] },
      },
    ];
    renderPanel({ state: ready(assessment({ status: "positive", category: "her2-positive", tumours })) });
    const items = within(screen.getByTestId("tumour-list")).getAllByRole("listitem");
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent(/left breast.*HER2-positive.*S23-02210/);
    expect(items[1]).toHaveTextContent(/right breast.*HER2-negative.*HER2-low.*S25-03318/);
  });

  it("shows no tumour list for one tumour", () => {
    renderPanel({ state: ready(assessment()) });
    expect(screen.queryByTestId("tumour-list")).toBeNull();
  });

  const statuses: [Her2Status, string][] = [
    ["positive", "HER2-positive"],
    ["negative", "HER2-negative"],
    ["equivocal", "HER2 equivocal"],
    ["indeterminate", "HER2 indeterminate"],
    ["no-result", "No HER2 result"],
  ];
  it.each(statuses)("says status %s in words (%s) beside its symbol", (status, words) => {
    renderPanel({ state: ready(assessment({ status })) });
    const header = screen.getByTestId("status-header");
    expect(within(header).getByText(words)).toBeInTheDocument();
  });

  it("gives each status a different symbol, hidden from screen readers", () => {
    const symbols = new Set<string>();
    for (const [status] of statuses) {
      const { unmount } = renderPanel({ state: ready(assessment({ status })) });
      const symbol = screen.getByTestId("status-header").querySelector('[aria-hidden="true"]');
      expect(symbol?.textContent).toMatch(/\S/);
      symbols.add(symbol?.textContent ?? "");
      unmount();
    }
    expect(symbols.size).toBe(statuses.length);
  });

  const categories: [Her2Category, RegExp][] = [
    ["her2-positive", /HER2-positive: IHC 3\+ or ISH positive/],
    ["her2-low", /HER2-low: IHC 1\+, or IHC 2\+ with negative ISH/],
    ["her2-ultralow", /HER2-ultralow: IHC 0 with faint, incomplete membrane staining/],
    ["her2-0", /HER2 0: IHC 0/],
    // Which test gave the negative is checked through the rules in category-wording.test.tsx (issue 17.5).
    [
      "her2-negative",
      /HER2-negative \(no IHC score\): Negative.*; no IHC score to separate HER2-low from HER2 0\./,
    ],
    ["unknown", /Category not determined/],
  ];
  it.each(categories)("explains category %s in words", (category, words) => {
    renderPanel({ state: ready(assessment({ status: "negative", category })) });
    expect(within(screen.getByTestId("status-header")).getByText(words)).toBeInTheDocument();
  });

  const settings: [Setting, string][] = [
    ["early", "Early breast cancer"],
    ["metastatic", "Metastatic or recurrent disease"],
    ["unknown", "Disease setting not recorded"],
  ];
  it.each(settings)("names the setting %s", (setting, words) => {
    renderPanel({ state: ready(assessment({ setting })) });
    expect(within(screen.getByTestId("status-header")).getByText(words)).toBeInTheDocument();
  });

  it("shows the specimen, site and date the status rests on, and the rules' reason", () => {
    renderPanel({ state: ready(metastaticPositive), patient: { ...PATIENT, reference: "Patient/p-met" } });
    const header = screen.getByTestId("status-header");
    // No collection date on record: the date is the test date, and says so (issue 18.3).
    expect(within(header).getByText("Specimen S-25-0456, Liver, tested 2025-06-10")).toBeInTheDocument();
    expect(
      within(header).getByText("IHC 3+ on the most recent specimen (liver, 2025-06-10)."),
    ).toBeInTheDocument();
  });

  it("labels a collection date, and the Why gives the result without restating the specimen (issue 18.3)", () => {
    renderPanel({
      state: ready(
        assessment({
          status: "positive",
          category: "her2-positive",
          basis: {
            specimen: "Specimen/s1",
            specimenLabel: "S-24-1",
            bodySite: "Liver structure",
            date: "2024-01-20",
            collected: "2024-01-20",
            evidence: ["Observation/ihc-1"],
          },
          statusReason:
            "Based on the most recent conclusive specimen, specimen S-24-1 (Liver structure, 2024-01-20): IHC 3+ is positive.",
        }),
      ),
    });
    const header = screen.getByTestId("status-header");
    expect(within(header).getByText("Specimen S-24-1, Liver, collected 2024-01-20")).toBeInTheDocument();
    expect(
      within(header).getByText("IHC 3+ is positive, on the most recent conclusive specimen."),
    ).toBeInTheDocument();
    expect(header).not.toHaveTextContent("structure");
  });

  it("puts the most urgent next step in the status box, in clinical words", () => {
    renderPanel({ state: ready(assessment({ flags: ALL_FLAGS, evidence: [IHC_2PLUS] })) });
    const step = within(screen.getByTestId("status-header")).getByTestId("first-next-step");
    const first = ALL_FLAGS.find((f) => f.severity === "action" && f.action);
    expect(step).toHaveTextContent(first?.action ?? "missing");
    expect(step).toHaveTextContent(`${String(ALL_FLAGS.length - 1)} more flags below.`);
  });

  it("says plainly when no specimen supports a status", () => {
    renderPanel({
      state: ready(assessment({ status: "no-result", basis: undefined, evidence: [], flags: [] })),
    });
    expect(
      within(screen.getByTestId("status-header")).getByText("No conclusive specimen."),
    ).toBeInTheDocument();
  });
});

describe("flags", () => {
  it("lists every flag code, most urgent first, with message, concerned result and next step", () => {
    renderPanel({
      state: ready(assessment({ flags: ALL_FLAGS, evidence: [IHC_2PLUS, ...METASTATIC_POSITIVE_EVIDENCE] })),
    });
    const region = screen.getByRole("region", { name: /Flags/ });
    const rows = region.querySelectorAll("li[data-flag-code]");
    const codes = [...rows].map((r) => r.getAttribute("data-flag-code"));
    expect([...codes].sort()).toEqual([...EVERY_FLAG_CODE].sort());
    // Severity order: the seven actions, then five warnings, then five notes.
    const badges = [...rows].map((r) => r.querySelector("span span:last-child")?.textContent);
    expect(badges).toEqual([
      ...Array<string>(7).fill("Action needed"),
      ...Array<string>(5).fill("Warning"),
      ...Array<string>(5).fill("Note"),
    ]);
    const reflex = region.querySelector('li[data-flag-code="reflex-ish-missing"]') as HTMLElement;
    expect(reflex).toHaveTextContent("The IHC 2+ result on specimen S-24-1234 has no ISH result.");
    expect(reflex).toHaveTextContent("Concerns: IHC 2+, 2024-03-02, specimen S-24-1234");
    expect(reflex).toHaveTextContent(
      "Next step: Order reflex ISH on specimen S-24-1234 (IHC 2+ on 2024-03-02)",
    );
    // A flag resting on a resource that is not a HER2 result names its kind, never the resource id (issue 18.2).
    const retest = region.querySelector('li[data-flag-code="metastatic-retest-missing"]') as HTMLElement;
    expect(retest).toHaveTextContent("Concerns: a diagnosis");
    expect(retest).not.toHaveTextContent("Condition/c2");
  });

  it("a check that could not be made is shown as 'Not checked' with its reason (issue 18.4)", () => {
    const notChecked = {
      code: "metastatic-retest-missing" as const,
      severity: "warning" as const,
      state: "not-checked" as const,
      message: "Metastatic retest: could not check, conditions did not load in time (no answer in 20 s).",
      action: "Check the chart for a recurrence or metastasis, and for a HER2 test on that tissue.",
      evidence: [],
    };
    const gap = {
      resourceType: "Condition",
      kind: "timeout" as const,
      reason: "no answer in 20 s",
      affectsAssessment: true,
    };
    renderPanel({ state: ready(assessment({ flags: [notChecked], dataGaps: [gap] })) });
    const item = document.querySelector('li[data-flag-code="metastatic-retest-missing"]') as HTMLElement;
    expect(item).toHaveAttribute("data-flag-state", "not-checked");
    expect(item).toHaveTextContent(/^!?Not checked/);
    expect(item).not.toHaveTextContent("Warning");
    expect(item).toHaveTextContent("could not check, conditions did not load");
    expect(screen.queryByTestId("no-flags")).not.toBeInTheDocument();
  });

  it("no flags while data that matters did not load: never a plain 'nothing needs follow-up'", () => {
    renderPanel({ state: ready(assessment({ flags: [], dataGaps: [MEDICATION_TIMEOUT] })) });
    expect(screen.getByTestId("no-flags")).toHaveTextContent(/a flag may be missing/);
    expect(screen.getByTestId("no-flags")).not.toHaveTextContent(
      /nothing in the HER2 results needs follow-up/,
    );
  });

  it("says so when there are no flags", () => {
    renderPanel({ state: ready(assessment({ flags: [] })) });
    expect(screen.getByTestId("no-flags")).toHaveTextContent(/^No flags/);
    expect(screen.getByRole("heading", { level: 2, name: "Flags" })).toBeInTheDocument();
  });
});

describe("evidence", () => {
  const order = () => screen.getAllByTestId("evidence-item").map((el) => el.getAttribute("data-resource"));

  it("lists results newest first, grouped by specimen, as cards in a narrow pane", () => {
    renderPanel({ state: ready(metastaticPositive), patient: { ...PATIENT, reference: "Patient/p-met" } });
    expect(order()).toEqual(["Observation/ihc-liver", "Observation/ish-2019", "Observation/ihc-2019"]);
    const groups = screen.getAllByTestId("evidence-group");
    expect(groups).toHaveLength(2);
    expect(within(groups[1] as HTMLElement).getByRole("heading", { level: 3 })).toHaveTextContent(
      "Specimen S-19-0101 · Right breast",
    );
    expect(within(groups[1] as HTMLElement).getAllByTestId("evidence-item")).toHaveLength(2);
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
  });

  it("shows a table with a row group per specimen on a wide screen", () => {
    pretendWideScreen();
    try {
      renderPanel({ state: ready(metastaticPositive), patient: { ...PATIENT, reference: "Patient/p-met" } });
      const table = screen.getByRole("table", { name: /HER2 results/ });
      const headers = within(table)
        .getAllByRole("columnheader")
        .map((h) => h.textContent);
      expect(headers).toEqual(["Result date", "Method", "Result", "Read as", "Used", "Source"]);
      expect(
        within(table)
          .getAllByRole("rowheader")
          .map((h) => h.textContent),
      ).toEqual(["Specimen S-25-0456 · Liver", "Specimen S-19-0101 · Right breast"]);
      expect(order()).toEqual(["Observation/ihc-liver", "Observation/ish-2019", "Observation/ihc-2019"]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("shows date, method, raw value, how it was read, and why a result was not used", () => {
    renderPanel({
      state: ready(
        assessment({
          evidence: [
            IHC_2PLUS,
            evidence({
              resource: "Observation/cancelled",
              method: "ish-dual",
              value: "ratio 1.1",
              date: "2024-03-05T22:00:00-05:00",
              specimen: "Specimen/s-24-1234",
              status: "cancelled",
              used: false,
              notUsedReason: "cancelled",
            }),
          ],
        }),
      ),
    });
    const [cancelled, ihc] = screen.getAllByTestId("evidence-item") as [HTMLElement, HTMLElement];
    expect(ihc).toHaveTextContent("Result date2024-03-02");
    expect(ihc).toHaveTextContent("Read asIHC 2+ (equivocal)Result date");
    // The FHIR reading sits behind the "How it was read" disclosure, closed at first (issue 18.2).
    const how = within(ihc).getByTestId<HTMLDetailsElement>("how-read");
    expect(how.open).toBe(false);
    expect(how).toHaveTextContent("As recordedScore 2+ (equivocal)");
    expect(how).toHaveTextContent("Read fromvalueCodeableConcept LA LOINC answer read as IHC score");
    expect(ihc).toHaveTextContent("UsedUsed");
    // The dateTime keeps its recorded calendar date whatever the viewer's time zone.
    expect(cancelled).toHaveTextContent("Dual-probe ISHCancelled");
    expect(cancelled).toHaveTextContent("ResultHER2/CEP17 ratio 1.1");
    expect(cancelled).toHaveTextContent("Result date2024-03-05");
    expect(cancelled).toHaveTextContent("Not used: cancelled");
  });

  it("says so when no HER2 result was found", async () => {
    renderPanel({
      state: ready(assessment({ status: "no-result", evidence: [], flags: [], basis: undefined })),
    });
    expect(screen.getByTestId("no-evidence")).toHaveTextContent(
      "No HER2 test results were found in the record.",
    );
    expect(await screen.findByTestId("timeline-empty", {}, { timeout: 10_000 })).toBeInTheDocument();
  });

  it("folds away and back with a keyboard-reachable toggle", async () => {
    const user = userEvent.setup();
    renderPanel({ state: ready(assessment()) });
    const toggle = screen.getByRole("button", { name: "Hide evidence" });
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    toggle.focus();
    await user.keyboard("{Enter}");
    expect(screen.getByRole("button", { name: "Show evidence" })).toHaveAttribute("aria-expanded", "false");
  });
});

describe("source JSON viewer", () => {
  it("opens with the resource, copies it, and closes with Escape", async () => {
    const user = userEvent.setup();
    renderPanel({ state: ready(assessment()), resources: RESOURCES });
    // One button in the flag's "concerns" and one in the evidence list, both for the same resource.
    const buttons = screen.getAllByRole("button", { name: "Source JSON of Observation/ihc-1" });
    expect(buttons).toHaveLength(2);
    await user.click(buttons[1] as HTMLElement);
    const dialog = await screen.findByRole(
      "dialog",
      { name: "Source JSON: Observation/ihc-1" },
      { timeout: 5000 },
    );
    const json = within(dialog).getByTestId("source-json").textContent;
    expect(JSON.parse(json)).toMatchObject({
      resourceType: "Observation",
      id: "ihc-1",
      valueString: "Score 2+ (equivocal)",
    });
    await user.click(within(dialog).getByRole("button", { name: "Copy JSON" }));
    expect(within(dialog).getByRole("status")).toHaveTextContent("Copied to the clipboard.");
    expect(JSON.parse(await navigator.clipboard.readText())).toMatchObject({ id: "ihc-1" });
    await user.keyboard("{Escape}");
    await waitFor(() => {
      expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    });
    // Focus goes back to the button that opened it, so keyboard users keep their place.
    await waitFor(() => {
      expect(buttons[1]).toHaveFocus();
    });
  });

  it("offers no viewer for a resource that was not loaded, and shows its reference instead", () => {
    renderPanel({ state: ready(assessment()), resources: new Map() });
    expect(screen.queryByRole("button", { name: /Source JSON/ })).not.toBeInTheDocument();
    expect(screen.getByTestId("how-read")).toHaveTextContent("ResourceObservation/ihc-1");
  });
});

describe("recommendation", () => {
  it("states the suggestion with its citations, marked as decision support", () => {
    renderPanel({ state: ready(assessment()) });
    const region = screen.getByRole("region", { name: "Guideline suggestion" });
    expect(within(region).getAllByRole("link")).toHaveLength(2);
    expect(region).toHaveTextContent("Decision support");
    expect(region).toHaveTextContent(
      "Complete HER2 testing (reflex ISH) before anti-HER2 treatment decisions.",
    );
    const citations = within(region).getAllByRole("listitem");
    expect(citations).toHaveLength(2);
    expect(citations[0]).toHaveTextContent(/^Wolff AC et al\..*J Clin Oncol 2018;36:2105-2122\. doi\.org/);
    // Known citations carry their DOI link, written out so it survives printing.
    expect(within(citations[1] as HTMLElement).getByRole("link")).toHaveAttribute(
      "href",
      "https://doi.org/10.1200/JCO.22.02864",
    );
  });
});

describe("data completeness", () => {
  it("warns above the status when missing data could change it", () => {
    renderPanel({ state: ready(assessment({ dataGaps: [DENIED_OBSERVATION, DOCREF_UNSUPPORTED] })) });
    const alert = screen.getByTestId("data-gap-alert");
    expect(alert).toHaveTextContent("Incomplete data: the HER2 result below may change");
    expect(alert).toHaveTextContent(
      "Observation: Access denied. The EHR did not let the app read these records.",
    );
    // The FHIR layer's own words follow, as they are; an English page does not call them "(in English)".
    const reason = within(alert).getByTestId("gap-reason");
    expect(reason).toHaveTextContent(/^403 Forbidden: scope patient\/Observation\.rs/);
    expect(alert).toHaveTextContent("Detail from the app's connection to the EHR: 403 Forbidden");
    expect(alert).not.toHaveTextContent("(in English)");
    expect(alert).not.toHaveTextContent("DocumentReference");
    const status = screen.getByTestId("status-header");
    expect(alert.compareDocumentPosition(status) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    // The section lists every gap with what it means for the result.
    const section = screen.getByTestId("data-completeness");
    expect(section).toHaveTextContent("2 requests could not be completed");
    expect(section).toHaveTextContent("Could change the HER2 status or flags.");
    expect(section).toHaveTextContent("DocumentReference: Not supported by this server.");
    expect(section).toHaveTextContent("Does not change the HER2 status or flags.");
  });

  it("raises resources left out as not this patient's to the top alert, without a retry", () => {
    const excluded = {
      resourceType: "Observation",
      kind: "excluded" as const,
      reason:
        "2 Observation resource(s) left out of the assessment because they cannot be proven to be Patient/p-ihc2's (1 a display-only reference, 1 another patient)",
      affectsAssessment: true,
    };
    renderPanel({ state: ready(assessment({ dataGaps: [excluded] })), onRetry: vi.fn() });
    const alert = screen.getByTestId("data-gap-alert");
    expect(alert).toHaveTextContent("Observation: Left out: not proven to be this patient's.");
    expect(within(alert).getByTestId("gap-reason")).toHaveTextContent(/^2 Observation resource\(s\)/);
    expect(within(alert).queryByRole("button", { name: "Retry" })).not.toBeInTheDocument();
    const section = screen.getByTestId("data-completeness");
    expect(section).toHaveTextContent("All requested data was loaded");
    expect(section).toHaveTextContent("cannot be proven to be this patient's (not shown, not used)");
    expect(section).toHaveTextContent("Could change the HER2 status or flags.");
    expect(section).not.toHaveTextContent("Does not change");
  });

  it("says the HER2 results could not be loaded when the Observation query failed, not that tests were found", () => {
    renderPanel({
      state: ready(
        assessment({
          status: "indeterminate",
          category: "unknown",
          evidence: [],
          dataGaps: [DENIED_OBSERVATION],
        }),
      ),
    });
    const header = screen.getByTestId("status-header");
    expect(header).toHaveTextContent(
      "The HER2 results could not be loaded, so the status cannot be determined.",
    );
    expect(header).not.toHaveTextContent("HER2 tests were found");
  });

  it("keeps 'tests were found' for an indeterminate status resting on results that were loaded", () => {
    renderPanel({ state: ready(assessment({ status: "indeterminate", category: "unknown" })) });
    expect(screen.getByTestId("status-header")).toHaveTextContent("HER2 tests were found");
  });

  it("shows no warning above the status when the gaps cannot change it", () => {
    renderPanel({ state: ready(assessment({ dataGaps: [DOCREF_UNSUPPORTED] })) });
    expect(screen.queryByTestId("data-gap-alert")).not.toBeInTheDocument();
    expect(screen.getAllByTestId("data-gap")).toHaveLength(1);
  });

  it("offers a retry for affecting gaps", async () => {
    const user = userEvent.setup();
    const onRetry = vi.fn();
    renderPanel({ state: ready(assessment({ dataGaps: [MEDICATION_TIMEOUT] })), onRetry });
    await user.click(within(screen.getByTestId("data-gap-alert")).getByRole("button", { name: "Retry" }));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  it("says when everything loaded, and counts unreadable results", () => {
    renderPanel({
      state: ready(
        assessment({ unreadable: [{ resource: "Observation/odd-1", reason: "unparseable value" }] }),
      ),
      sourceLabel: "fhir.example.org",
    });
    const section = screen.getByTestId("data-completeness");
    expect(section).toHaveTextContent("All requested data was loaded from fhir.example.org.");
    expect(section).toHaveTextContent("One HER2 result could not be read");
  });
});

describe("loading and errors", () => {
  it("shows a skeleton and a status message while loading, without a print button", () => {
    renderPanel({ state: { kind: "loading" } });
    expect(screen.getByTestId("panel-skeleton")).toHaveAttribute("aria-busy", "true");
    expect(screen.getByRole("status")).toHaveTextContent("Loading HER2 results");
    expect(screen.queryByRole("button", { name: "Print summary" })).not.toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("HER2 status");
  });

  it("shows the error with its detail and retries on click", async () => {
    const user = userEvent.setup();
    const onRetry = vi.fn();
    renderPanel({
      state: {
        kind: "error",
        message: "The patient's data could not be loaded.",
        detail: "HTTP 500 on Observation",
      },
      onRetry,
    });
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("HER2 results could not be loaded");
    expect(alert).toHaveTextContent("The patient's data could not be loaded.");
    expect(alert).toHaveTextContent("HTTP 500 on Observation");
    await user.click(within(alert).getByRole("button", { name: "Retry" }));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  it("keeps the status when one section fails to render, and says which section failed", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const user = userEvent.setup();
    const onRetry = vi.fn();
    // Malformed data from an unexpected shape: an object where the contract promises a string.
    const broken = evidence({ resource: "Observation/bad", value: { odd: true } as unknown as string });
    renderPanel({ state: ready(assessment({ evidence: [broken] })), onRetry });
    expect(screen.getByTestId("status-header")).toHaveTextContent("HER2 equivocal");
    const evidenceRegion = screen.getByRole("region", { name: /Evidence/ });
    const alert = within(evidenceRegion).getByRole("alert");
    expect(alert).toHaveTextContent("The Evidence section could not be displayed.");
    await user.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });
});

describe("patient banner and print", () => {
  it("shows the patient's name and date of birth", () => {
    renderPanel({ state: ready(assessment()) });
    const banner = screen.getByRole("banner");
    expect(banner).toHaveTextContent("Maria Lopez · DOB 1961-04-12 · female");
  });

  it("is hidden when the EHR shows its own banner, but the print view still names the patient", () => {
    renderPanel({ state: ready(assessment()), showPatientBanner: false });
    expect(screen.queryByRole("banner")).not.toBeInTheDocument();
    expect(screen.queryByTestId("patient-banner")).not.toBeInTheDocument();
    const printLine = screen.getByText(/^Patient: Maria Lopez/);
    expect(printLine).toHaveAttribute("data-print", "only");
  });

  it("warns when the banner is required but no patient was read", () => {
    renderPanel({ state: ready(assessment()), patient: undefined });
    expect(screen.getByRole("banner")).toHaveTextContent("Patient name and date of birth could not be read");
  });

  it("says the patient is loading, without a warning, while the queries run", () => {
    renderPanel({ state: { kind: "loading" }, patient: undefined });
    const banner = screen.getByRole("banner");
    expect(banner).toHaveTextContent("Loading patient…");
    expect(banner).not.toHaveTextContent("could not be read");
  });

  it("refuses to show results that belong to another patient", () => {
    renderPanel({ state: ready(assessment({ patient: "Patient/someone-else" })) });
    expect(screen.getByRole("alert")).toHaveTextContent("Patient mismatch: results not shown");
    expect(screen.queryByTestId("status-header")).not.toBeInTheDocument();
  });

  it("accepts an absolute patient reference for the same patient", () => {
    renderPanel({
      state: ready(assessment()),
      patient: { ...PATIENT, reference: "https://ehr.example.org/fhir/Patient/p-ihc2" },
    });
    expect(screen.getByTestId("status-header")).toBeInTheDocument();
  });

  it("prints with the Print button and marks interactive chrome hidden in print", async () => {
    const user = userEvent.setup();
    const print = vi.spyOn(window, "print").mockImplementation(() => undefined);
    renderPanel({ state: ready(assessment()), resources: RESOURCES });
    const button = screen.getByRole("button", { name: "Print summary" });
    await user.click(button);
    expect(print).toHaveBeenCalledTimes(1);
    for (const b of screen.getAllByRole("button")) expect(b).toHaveAttribute("data-print", "hide");
  });
});
