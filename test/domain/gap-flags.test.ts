/**
 * Issue 18, points 4 and 5: nothing a failed query hid reads as "no flags"; a breast cancer with no HER2 test is an
 * action; a status resting on an undated result says so. Expected values from Wolff 2018 (HER2 testing on every
 * primary invasive breast cancer; the most recent conclusive specimen governs; retest on metastatic tissue).
 */
import { describe, expect, it } from "vitest";
import type { DataGap, Flag } from "../../src/domain";
import { CITATIONS } from "../../src/domain";
import { codes, event, ihc, dual, run, therapy } from "./build";

const gap = (
  resourceType: string,
  kind: DataGap["kind"] = "timeout",
  reason = "no answer in 20 s",
): DataGap => ({
  resourceType,
  kind,
  reason,
  affectsAssessment: true,
});

const notChecked = (flags: readonly Flag[]): string[] =>
  flags.filter((f) => f.state === "not-checked").map((f) => f.code);
const raised = (flags: readonly Flag[]): string[] =>
  flags.filter((f) => f.state === undefined).map((f) => f.code);

describe("her2-test-missing (Wolff 2018: HER2 testing on every primary invasive breast cancer)", () => {
  it("breast cancer recorded and no HER2 test: an action flag naming the diagnosis", () => {
    const dx = event("primary", "2025-02-01");
    const a = run([], { events: [dx], therapies: [] });
    expect(a.status).toBe("no-result");
    expect(codes(a)).toEqual(["her2-test-missing"]);
    const flag = a.flags[0];
    expect(flag?.severity).toBe("action");
    expect(flag?.state).toBeUndefined();
    expect(flag?.evidence).toEqual([dx.source]);
    expect(flag?.action).toMatch(/Order HER2 testing/);
    expect(flag?.references).toContain(CITATIONS.wolff2018.text);
  });

  it("metastatic disease without any HER2 test: the action names metastatic tissue too", () => {
    const a = run([], { events: [event("primary", "2019-01-01"), event("metastasis", "2025-01-01")] });
    expect(a.flags.find((f) => f.code === "her2-test-missing")?.action).toMatch(/metastatic tissue/);
  });

  it("no breast cancer recorded and nothing missing: no flag (no diagnosis to test)", () => {
    expect(codes(run([], { therapies: [] }))).toEqual([]);
  });

  it("a pending HER2 test is not a missing one", () => {
    const a = run([ihc(undefined, { status: "registered" })], { events: [event("primary", "2025-02-01")] });
    expect(codes(a)).not.toContain("her2-test-missing");
  });

  it("HER2 results that did not load: not checked, never 'no test'", () => {
    const a = run([], {
      events: [event("primary", "2025-02-01")],
      dataGaps: [gap("Observation", "error", "500")],
    });
    expect(a.status).toBe("indeterminate");
    expect(raised(a.flags)).not.toContain("her2-test-missing");
    const flag = a.flags.find((f) => f.code === "her2-test-missing");
    expect(flag?.state).toBe("not-checked");
    expect(flag?.message).toMatch(/could not check, observations did not load \(500\)/);
  });

  it("no result and conditions did not load: whether breast cancer is recorded is not checked", () => {
    const a = run([], { therapies: [], dataGaps: [gap("Condition")] });
    expect(notChecked(a.flags)).toContain("her2-test-missing");
  });
});

describe("checks a failed query kept from being made (not-checked)", () => {
  it("conditions timed out: the metastatic retest is not checked, with the reason", () => {
    const a = run([ihc("1+")], { dataGaps: [gap("Condition")] });
    expect(raised(a.flags)).toEqual([]);
    const flag = a.flags.find((f) => f.code === "metastatic-retest-missing");
    expect(flag?.state).toBe("not-checked");
    expect(flag?.severity).toBe("warning");
    expect(flag?.message).toMatch(/^Metastatic retest: could not check, conditions did not load in time/);
    expect(flag?.message).toMatch(/no answer in 20 s/);
  });

  it("a retest flag the loaded events raise stays raised, not doubled as not-checked", () => {
    const a = run([ihc("0", { date: "2018-01-02", specimen: { label: "P", collected: "2018-01-01" } })], {
      events: [event("metastasis", "2023-08-03")],
      dataGaps: [gap("Condition", "partial", "page 2 failed")],
    });
    const retest = a.flags.filter((f) => f.code === "metastatic-retest-missing");
    expect(retest).toHaveLength(1);
    expect(retest[0]?.state).toBeUndefined();
  });

  it("positive and medication orders denied with none on record: therapy not checked, not 'not found'", () => {
    const a = run([ihc("3+")], { therapies: [], dataGaps: [gap("MedicationRequest", "denied", "403")] });
    const flag = a.flags.find((f) => f.code === "anti-her2-therapy-not-found");
    expect(flag?.state).toBe("not-checked");
    expect(flag?.message).toMatch(/medication orders were not shared \(access denied\) \(403\)/);
    expect(flag?.evidence.length).toBeGreaterThan(0);
  });

  it("positive, a finished course and conditions missing: current therapy for metastatic disease not checked", () => {
    const done = therapy("trastuzumab", { status: "completed", start: "2020-01-01", end: "2021-01-01" });
    const a = run([ihc("3+")], { therapies: [done], dataGaps: [gap("Condition")] });
    const therapyFlags = a.flags.filter((f) => f.code === "anti-her2-therapy-not-found");
    expect(therapyFlags.map((f) => f.state)).toEqual(["not-checked"]);
  });

  it("negative without an IHC score and conditions missing: the IHC score check is not made", () => {
    expect(notChecked(run([dual(1.2, 2.5)], { dataGaps: [gap("Condition")] }).flags)).toContain(
      "ihc-score-needed",
    );
  });

  it("IHC 0 and conditions missing: the ultralow review is not made", () => {
    expect(notChecked(run([ihc("0")], { dataGaps: [gap("Condition")] }).flags)).toContain("ihc-zero-review");
  });

  it("no gap: no not-checked flag", () => {
    for (const tests of [[ihc("1+")], [ihc("3+")], [dual(1.2, 2.5)], []]) {
      expect(notChecked(run(tests, { events: [event("primary", "2024-01-01")] }).flags)).toEqual([]);
    }
  });
});

describe("undated-result (Wolff 2018: the most recent conclusive specimen governs)", () => {
  const undated = { date: undefined, specimen: undefined };

  it("a conclusive result with no date and no specimen: flagged, and the reason says so", () => {
    const a = run([ihc("3+", undated)]);
    expect(a.status).toBe("positive");
    expect(a.statusReason).toMatch(/^Rests on an undated result with no specimen/);
    expect(a.statusReason).not.toMatch(/most recent/);
    const flag = a.flags.find((f) => f.code === "undated-result");
    expect(flag?.severity).toBe("warning");
    expect(flag?.evidence).toHaveLength(1);
    expect(flag?.message).toMatch(/no test or collection date and no specimen/);
  });

  it("a labelled specimen with no date: flagged; the reason names the missing date only", () => {
    const a = run([ihc("1+", { date: undefined, specimen: { label: "S-1" } })]);
    expect(codes(a)).toContain("undated-result");
    expect(a.statusReason).toMatch(/^Rests on an undated result \(no test or collection date/);
  });

  it("a dated result is not flagged, and an undated equivocal one is left to its work-up flag", () => {
    expect(codes(run([ihc("3+")]))).not.toContain("undated-result");
    expect(codes(run([ihc("2+", undated)]))).not.toContain("undated-result");
  });
});
