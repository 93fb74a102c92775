/**
 * Every flag names its next step, as an order the clinician can act on: what to ask, of whom (issue 18.1). The panel
 * puts the most urgent one on the first screen, so a flag without one would leave the clinician with nothing to do.
 */
import { describe, expect, it } from "vitest";
import type { Assessment } from "../../src/domain";
import { dual, ihc, interpretation, run, specimen, therapy, unreadable, event } from "./build";

function actionOf(a: Assessment, code: string): string | undefined {
  return a.flags.find((f) => f.code === code)?.action;
}

describe("next step on every flag", () => {
  it("IHC 3+ and ISH group 5 on one specimen: review the discordance with the pathologist", () => {
    const a = run([ihc("3+"), dual(1.2, 2.0)]);
    expect(actionOf(a, "discordant-results")).toMatch(/pathologist/);
  });

  it("two same-date IHC results that disagree: ask the laboratory which is valid", () => {
    const a = run([ihc("3+"), ihc("0")]);
    expect(actionOf(a, "discordant-results")).toMatch(/laboratory which/);
  });

  it("positive on one specimen, negative on a later one: the pathologist reviews both", () => {
    const a = run([
      ihc("3+", { specimen: specimen("S-19-1", "2019-01-01"), date: "2019-01-02" }),
      ihc("1+", { specimen: specimen("S-24-2", "2024-01-01"), date: "2024-01-02" }),
    ]);
    expect(actionOf(a, "discordant-results")).toMatch(/pathologist.*S-19-1.*S-24-2/);
  });

  it("a laboratory interpretation no guideline path reaches: pathology review or an amended report", () => {
    const a = run([ihc("0"), interpretation("positive")]);
    expect(actionOf(a, "interpretation-mismatch")).toMatch(/amended report/);
  });

  it("pending and unreadable results: ask the pathology laboratory", () => {
    const pending = run([ihc("2+", { status: "preliminary" })]);
    expect(actionOf(pending, "result-pending")).toMatch(/laboratory when the final/);
    const unread = run([unreadable("value not understood")]);
    expect(actionOf(unread, "result-unreadable")).toMatch(/readable form|pathology report/);
  });

  it("HER2-positive without anti-HER2 therapy: ask the treating oncologist", () => {
    const a = run([ihc("3+")], { therapies: [] });
    expect(actionOf(a, "anti-her2-therapy-not-found")).toMatch(/oncologist/);
  });

  it("every flag in a busy record has a next step", () => {
    const a = run([ihc("3+"), dual(1.2, 2.0), ihc("2+", { status: "preliminary" }), unreadable("?")], {
      events: [event("metastasis", "2025-01-01")],
      therapies: [therapy("trastuzumab", { status: "completed", end: "2024-12-01" })],
    });
    expect(a.flags.length).toBeGreaterThan(2);
    for (const flag of a.flags) expect(flag.action, flag.code).toBeTruthy();
  });
});
