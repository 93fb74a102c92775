// Runs in the unit project's jsdom: the pages are plain HTML strings, so no server is needed.
import axe from "axe-core";
import { describe, expect, it } from "vitest";
import { readManifest } from "../../sandbox/manifest";
import { cdsCardsPage } from "../../sandbox/cds";
import { errorPage, patientPickerPage, sandboxHomePage } from "../../sandbox/pages";

const patients = readManifest("sandbox/patients/index.json").patients;

/** Loads a whole HTML page into jsdom and returns axe's violations (colour contrast needs a real browser). */
async function violations(html: string): Promise<string[]> {
  const parsed = new DOMParser().parseFromString(html, "text/html");
  document.replaceChild(document.importNode(parsed.documentElement, true), document.documentElement);
  const result = await axe.run(document, {
    rules: { "color-contrast": { enabled: false } },
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

describe("sandbox pages are accessible (axe)", { timeout: 60_000 }, () => {
  it("the home page", async () => {
    const html = sandboxHomePage({
      origin: "http://127.0.0.1:5173",
      patients,
      launchUrl: (id) => `http://127.0.0.1:5173/launch.html?launch=${id}`,
    });
    expect(await violations(html)).toEqual([]);
    expect(document.querySelector("h1")?.textContent).toBe("HER2 SMART sandbox");
    // Every launch link names its patient for screen readers, not only "EHR launch".
    const launches = [...document.querySelectorAll("a")].filter((a) =>
      a.textContent.startsWith("EHR launch"),
    );
    expect(launches).toHaveLength(patients.length);
    expect(launches[0]?.textContent).toBe(`EHR launch ${patients[0]?.name ?? ""}`);
  });

  it("the patient picker, with every radio button labelled", async () => {
    const html = patientPickerPage(
      { client_id: "her2-smart-sandbox", scope: "launch/patient", state: "s" },
      patients,
    );
    expect(await violations(html)).toEqual([]);
    const radios = [...document.querySelectorAll<HTMLInputElement>("input[type=radio]")];
    expect(radios).toHaveLength(patients.length);
    for (const radio of radios) expect(document.querySelector(`label[for="${radio.id}"]`)).not.toBeNull();
  });

  it.each(["es", "zh-CN"] as const)("the home page, the picker and the card view in %s", async (locale) => {
    const home = sandboxHomePage({
      origin: "http://127.0.0.1:5173",
      patients,
      locale,
      launchUrl: (id) => `http://127.0.0.1:5173/launch.html?launch=${id}`,
    });
    expect(await violations(home)).toEqual([]);
    expect(document.documentElement.lang).toBe(locale);
    // The switcher is a labelled navigation landmark with one link per locale, the current one marked.
    const nav = document.querySelector("nav");
    expect(nav?.getAttribute("aria-label")).toBe(locale === "es" ? "Idioma" : "语言");
    expect(nav?.querySelectorAll("a")).toHaveLength(3);
    expect(nav?.querySelector('a[aria-current="true"]')?.getAttribute("hreflang")).toBe(locale);
    const picker = patientPickerPage(
      { client_id: "c", scope: "launch/patient", state: "s" },
      patients,
      undefined,
      locale,
    );
    expect(await violations(picker)).toEqual([]);
    const cards = cdsCardsPage(
      "her2-ihc2-no-ish",
      200,
      [
        {
          uuid: "u",
          summary: "s",
          detail: "d",
          indicator: "warning",
          overrideReasons: [{ code: "c", display: "d" }],
        },
      ],
      undefined,
      locale,
    );
    expect(await violations(cards)).toEqual([]);
  });

  it("the picker's error state and the error page announce the problem", async () => {
    expect(await violations(patientPickerPage({}, patients, "Choose a patient, then press Allow."))).toEqual(
      [],
    );
    expect(document.querySelector('[role="alert"]')?.textContent).toBe("Choose a patient, then press Allow.");
    expect(await violations(errorPage("Unknown app", "The client_id is not registered."))).toEqual([]);
    expect(document.querySelector('[role="alert"]')?.textContent).toBe("The client_id is not registered.");
  });
});
