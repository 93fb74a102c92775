/**
 * In-situ-only specimens (issue 12, point 1; rules 2.0.0). Expected values from the guideline: ASCO/CAP 2018
 * (reaffirming 2013 recommendation 1) determines HER2 status on invasive breast cancer and scores IHC on invasive
 * tumour cells; HER2 testing of DCIS is not an ASCO/CAP indication. So a DCIS result is information only, the status
 * comes from invasive tissue, and with only DCIS results the status cannot be determined.
 */
import { describe, expect, it } from "vitest";
import { codes, dual, event, ihc, run, specimen } from "./build";
import type { Her2Status, IhcScore } from "../../src/domain";

const DCIS = { ...specimen("S-25-410", "2025-02-03", "Left breast"), inSituOnly: true };
const INVASIVE = specimen("S-25-520", "2025-04-14", "Left breast");

describe("in-situ-only specimens: decision table", () => {
  // DCIS result | invasive result | expected status | category
  it.each<[IhcScore, IhcScore | undefined, Her2Status, string]>([
    ["3+", undefined, "indeterminate", "unknown"],
    ["0", undefined, "indeterminate", "unknown"],
    ["2+", undefined, "indeterminate", "unknown"],
    ["3+", "1+", "negative", "her2-low"],
    ["0", "3+", "positive", "her2-positive"],
    ["1+", "0", "negative", "her2-0"],
  ])("DCIS IHC %s with invasive IHC %s gives %s / %s", (dcis, invasive, status, category) => {
    const tests = [ihc(dcis, { specimen: DCIS, date: "2025-02-04" })];
    if (invasive) tests.push(ihc(invasive, { specimen: INVASIVE, date: "2025-04-15" }));
    const a = run(tests, { events: [event("primary", "2025-04-15")] });
    expect(a.status).toBe(status);
    expect(a.category).toBe(category);
    // The DCIS result is listed as information, never used.
    const dcisItem = a.evidence.find((e) => e.specimen === DCIS.reference);
    expect(dcisItem?.used).toBe(false);
    expect(dcisItem?.notUsedReason).toContain("carcinoma in situ");
  });

  it("says why it cannot determine the status when only DCIS was tested", () => {
    const a = run([ihc("3+", { specimen: DCIS, date: "2025-02-04" })]);
    expect(a.status).toBe("indeterminate");
    expect(a.statusReason).toContain("cannot be determined");
    expect(a.statusReason).toContain("carcinoma in situ");
    expect(a.basis).toBeUndefined();
  });

  it("governs by the invasive specimen even when the DCIS one is more recent", () => {
    // Invasive core biopsy IHC 1+ (2024), later DCIS-only excision IHC 3+ (2025): still HER2-low, not positive.
    const core = specimen("S-24-100", "2024-11-02", "Left breast");
    const a = run([
      ihc("1+", { specimen: core, date: "2024-11-03" }),
      ihc("3+", { specimen: DCIS, date: "2025-02-04" }),
    ]);
    expect(a.status).toBe("negative");
    expect(a.category).toBe("her2-low");
    expect(a.basis?.specimenLabel).toBe("S-24-100");
    expect(a.statusReason).toContain("shown as information");
    // DCIS disagreeing with invasive tissue is not a discordance between tumour results.
    expect(codes(a)).not.toContain("discordant-results");
  });

  it("raises no work-up flag for DCIS tissue (no reflex ISH for a DCIS IHC 2+)", () => {
    const a = run([ihc("2+", { specimen: DCIS, date: "2025-02-04" })]);
    expect(codes(a)).not.toContain("reflex-ish-missing");
  });

  it("does not let an in-situ ISH settle an invasive IHC 2+", () => {
    const a = run([
      ihc("2+", { specimen: INVASIVE, date: "2025-04-15" }),
      dual(2.6, 6.2, { specimen: DCIS, date: "2025-02-05" }),
    ]);
    expect(a.status).toBe("equivocal");
    expect(codes(a)).toContain("reflex-ish-missing");
  });
});

describe("in-situ-only recommendation", () => {
  it("does not ask to complete testing that the in-situ results do not miss", () => {
    const a = run([ihc("3+", { specimen: DCIS, date: "2025-02-04" })]);
    expect(a.recommendation.text).toContain("carcinoma in situ");
    expect(a.recommendation.text).not.toContain("see the flags");
  });
});

describe("in-situ results beside a pending invasive result", () => {
  it("keeps the pending reason and recommendation: the in-situ one is not the only HER2 result", () => {
    const a = run([
      ihc("3+", { specimen: DCIS, date: "2025-02-04" }),
      ihc(undefined, { specimen: INVASIVE, date: "2025-04-15", status: "registered" }),
    ]);
    expect(a.status).toBe("indeterminate");
    expect(a.statusReason).toContain("1 pending");
    expect(a.statusReason).toContain("shown as information");
    expect(a.recommendation.text).not.toContain("carcinoma in situ (DCIS) only");
    expect(codes(a)).toContain("result-pending");
  });
});
