import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import axe from "axe-core";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Her2PanelProps } from "../../src/ui/Her2Panel";
import {
  ALL_FLAGS,
  DENIED_OBSERVATION,
  DOCREF_UNSUPPORTED,
  IHC_2PLUS,
  METASTATIC_EVENTS,
  METASTATIC_POSITIVE_EVIDENCE,
  RESOURCES,
  TRASTUZUMAB_2019,
  assessment,
} from "./fixtures";
import { pretendWideScreen, renderPanel } from "./render";

/** Runs axe on the whole document (the panel renders landmarks); colour contrast needs a real browser. */
async function violations(): Promise<string[]> {
  const result = await axe.run(document.body, {
    rules: { "color-contrast": { enabled: false } },
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

const busy: Her2PanelProps["state"] = {
  kind: "ready",
  assessment: assessment({
    flags: ALL_FLAGS,
    evidence: [IHC_2PLUS, ...METASTATIC_POSITIVE_EVIDENCE],
    dataGaps: [DENIED_OBSERVATION, DOCREF_UNSUPPORTED],
  }),
  events: METASTATIC_EVENTS,
  therapies: [TRASTUZUMAB_2019],
};

afterEach(() => {
  vi.unstubAllGlobals();
});

// axe walks the whole DOM; on a busy 2-core machine one run can take several seconds.
describe("axe (jsdom, without colour contrast)", { timeout: 30_000 }, () => {
  it("finds no violation in a full panel as cards (narrow pane)", async () => {
    renderPanel({ state: busy, resources: RESOURCES, sourceLabel: "fhir.example.org" });
    expect(await violations()).toEqual([]);
  });

  it("finds no violation in a full panel as a table (wide screen)", async () => {
    pretendWideScreen();
    renderPanel({ state: busy, resources: RESOURCES });
    expect(await violations()).toEqual([]);
  });

  it("finds no violation with the JSON dialog open", async () => {
    const user = userEvent.setup();
    renderPanel({ state: busy, resources: RESOURCES });
    await user.click(
      screen.getAllByRole("button", { name: "Source JSON of Observation/ihc-1" })[0] as HTMLElement,
    );
    await screen.findByRole("dialog", {}, { timeout: 5000 });
    expect(await violations()).toEqual([]);
  });

  it.each<[string, Her2PanelProps["state"]]>([
    ["loading", { kind: "loading" }],
    ["error", { kind: "error", message: "The patient's data could not be loaded.", detail: "HTTP 500" }],
    [
      "no result",
      { kind: "ready", assessment: assessment({ status: "no-result", evidence: [], flags: [] }) },
    ],
  ])("finds no violation while %s", async (_name, state) => {
    renderPanel({ state, onRetry: () => undefined });
    expect(await violations()).toEqual([]);
  });
});

describe("the axe check itself", { timeout: 30_000 }, () => {
  it("reports a real violation, so a clean run means something", async () => {
    document.body.innerHTML = '<main><h1>x</h1><button></button><img src="x.png"></main>';
    const found = await violations();
    expect(found.some((v) => v.startsWith("button-name"))).toBe(true);
    expect(found.some((v) => v.startsWith("image-alt"))).toBe(true);
    document.body.innerHTML = "";
  });
});
