/** Patient-level rules: specimens over time, setting and retest, pending / cancelled / unreadable, evidence, flags. */
import { describe, expect, it } from "vitest";
import { assess, type Her2TestRecord, RULES_VERSION } from "../../src/domain";
import {
  AS_OF,
  codes,
  dual,
  event,
  ihc,
  interpretation,
  patient,
  run,
  single,
  specimen,
  therapy,
  unreadable,
} from "./build";

const PRIMARY = specimen("S-19-0001", "2019-05-02", "Left breast");
const LIVER = specimen("S-23-0456", "2023-06-01", "Liver");

describe("no data and the contract basics", () => {
  it("reports no-result without any HER2 test", () => {
    const a = run([]);
    expect(a.status).toBe("no-result");
    expect(a.category).toBe("unknown");
    expect(a.setting).toBe("unknown");
    expect(a.statusReason).toMatch(/No HER2 test/);
    expect(a.recommendation.text).toMatch(/No HER2 result/);
    expect(a.rulesVersion).toBe(RULES_VERSION);
    expect(RULES_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    expect(a.guideline).toBe("ASCO/CAP 2018, 2023 update");
  });

  it("passes patient, as-of date and data gaps through", () => {
    const gap = {
      resourceType: "Condition",
      kind: "denied" as const,
      reason: "403",
      affectsAssessment: true,
    };
    const a = assess(patient([], { patient: "Patient/xyz", asOf: "2025-01-31", dataGaps: [gap] }));
    expect(a.patient).toBe("Patient/xyz");
    expect(a.asOf).toBe("2025-01-31");
    expect(a.dataGaps).toEqual([gap]);
  });
});

describe("multiple specimens over time: the most recent conclusive specimen governs", () => {
  it("a later positive metastasis overrides an earlier negative primary, and the disagreement is flagged", () => {
    const old = ihc("0", { specimen: PRIMARY, date: "2019-05-03" });
    const met = ihc("3+", { specimen: LIVER, date: "2023-06-02" });
    const a = run([old, met], { events: [event("metastasis", "2023-05-20")] });
    expect(a.status).toBe("positive");
    expect(a.basis?.specimen).toBe("Specimen/S-23-0456");
    expect(a.basis?.bodySite).toBe("Liver");
    expect(a.basis?.evidence).toEqual([met.source]);
    expect(codes(a)).toEqual(["discordant-results"]);
    expect(a.flags[0]?.evidence).toEqual([old.source, met.source].sort());
    const oldItem = a.evidence.find((e) => e.resource === old.source);
    expect(oldItem).toMatchObject({ used: false, notUsedReason: "superseded by a more recent specimen" });
  });

  it("a newer IHC 2+ without ISH does not override an older conclusive result, but is flagged and named", () => {
    const old = ihc("3+", { specimen: PRIMARY, date: "2019-05-03" });
    const newer = ihc("2+", { specimen: LIVER, date: "2023-06-02" });
    const a = run([old, newer]);
    expect(a.status).toBe("positive");
    expect(codes(a)).toEqual(["reflex-ish-missing"]);
    expect(a.flags[0]?.severity).toBe("action");
    expect(a.flags[0]?.action).toBe("Order reflex ISH on specimen S-23-0456 (IHC 2+ on 2023-06-02)");
    expect(a.statusReason).toMatch(/more recent specimen.*S-23-0456.*not conclusive/);
    expect(a.evidence.find((e) => e.resource === newer.source)?.notUsedReason).toMatch(/^not conclusive/);
  });

  it("an IHC 2+ without ISH superseded by a later conclusive specimen is still listed, as information", () => {
    const a = run([
      ihc("2+", { specimen: PRIMARY, date: "2019-05-03" }),
      ihc("1+", { specimen: LIVER, date: "2023-06-02" }),
    ]);
    expect(a.status).toBe("negative");
    expect(a.category).toBe("her2-low");
    expect(a.flags).toHaveLength(1);
    expect(a.flags[0]).toMatchObject({ code: "reflex-ish-missing", severity: "info" });
    expect(a.flags[0]?.message).toMatch(/later conclusive result/);
  });

  it("on one specimen a newer amended IHC replaces the older IHC", () => {
    const first = ihc("2+", { date: "2024-03-02" });
    const amended = ihc("3+", { date: "2024-03-04", status: "amended" });
    const a = run([first, amended]);
    expect(a.status).toBe("positive");
    expect(a.evidence.map((e) => e.resource)).toEqual([amended.source, first.source]);
    expect(a.evidence[1]).toMatchObject({
      used: false,
      notUsedReason: "superseded by a newer result on the same specimen",
    });
  });

  it("IHC 2+ and a reflex ISH on the same specimen are combined (HER2-low)", () => {
    const a = run([ihc("2+"), dual(1.3, 2.6)]);
    expect(a.status).toBe("negative");
    expect(a.category).toBe("her2-low");
    expect(a.evidence.every((e) => e.used)).toBe(true);
    expect(a.evidence.find((e) => e.method === "ish-dual")?.interpretation).toBe(
      "ISH group 5 (ratio <2.0, HER2 <4.0)",
    );
  });
});

describe("grouping without specimen data", () => {
  const bare = { specimen: undefined };

  it("results of the same date are read as one specimen", () => {
    const a = run([
      ihc("2+", { ...bare, date: "2024-03-02" }),
      dual(2.4, 5.0, { ...bare, date: "2024-03-02" }),
    ]);
    expect(a.status).toBe("positive");
    expect(codes(a)).toEqual([]);
  });

  it("an ISH on or after the IHC 2+ date counts as its reflex ISH (no flag), and the later ISH governs", () => {
    const a = run([
      ihc("2+", { ...bare, date: "2024-03-02" }),
      dual(1.3, 2.6, { ...bare, date: "2024-03-05" }),
    ]);
    expect(a.status).toBe("negative");
    // Not merged with the IHC, but paired with it by date for the category: IHC 2+ with negative ISH.
    expect(a.category).toBe("her2-low");
    expect(codes(a)).toEqual([]);
  });

  it("an ISH only before the IHC 2+ date is not its reflex ISH", () => {
    const a = run([
      ihc("2+", { ...bare, date: "2024-03-02" }),
      dual(1.3, 2.6, { ...bare, date: "2024-02-01" }),
    ]);
    expect(codes(a)).toEqual(["reflex-ish-missing"]);
    expect(a.flags[0]?.action).toBe("Order reflex ISH on the specimen of 2024-03-02 (IHC 2+ on 2024-03-02)");
  });

  it("a label seen beside a Specimen reference joins records that only carry the label", () => {
    const a = run([
      ihc("2+", { specimen: { reference: "Specimen/x", label: "S-9" } }),
      dual(2.4, 5.0, { specimen: { label: "S-9" }, date: "2024-04-01" }),
    ]);
    expect(a.status).toBe("positive");
    expect(codes(a)).toEqual([]);
  });
});

describe("setting and metastatic retest", () => {
  it("early with only a primary, unknown without events, metastatic with a recurrence", () => {
    expect(run([ihc("1+")], { events: [event("primary", "2019-05-01")] }).setting).toBe("early");
    expect(run([ihc("1+")]).setting).toBe("unknown");
    expect(run([ihc("1+")], { events: [event("primary"), event("recurrence", "2022-01-01")] }).setting).toBe(
      "metastatic",
    );
  });

  it("a locoregional recurrence is not metastatic disease, but is still retested (Wolff 2018; AJCC 8th)", () => {
    const local = event("recurrence", "2024-02-01", {
      extent: "locoregional",
      description: "Chest wall recurrence",
    });
    const a = run([ihc("3+", { specimen: PRIMARY, date: "2019-05-03" })], {
      events: [event("primary", "2019-05-01"), local],
      therapies: [therapy("trastuzumab", { start: "2019-06-01", end: "2020-06-01", status: "completed" })],
    });
    expect(a.setting).toBe("early");
    expect(a.recommendation.text).not.toMatch(/metastatic/i);
    expect(codes(a)).toContain("metastatic-retest-missing");
  });

  it("nodes the code cannot place as regional or distant make the setting unknown, without a retest flag", () => {
    const unplaced = event("metastasis", "2024-02-01", { extent: "uncertain" });
    const a = run([ihc("1+", { specimen: PRIMARY, date: "2019-05-03" })], {
      events: [event("primary", "2019-05-01"), unplaced],
    });
    expect(a.setting).toBe("unknown");
    expect(codes(a)).toEqual([]);
  });

  it("flags a missing retest when every conclusive specimen predates the metastasis", () => {
    const met = event("metastasis", "2023-05-20", { description: "Secondary malignant neoplasm of liver" });
    const a = run([ihc("1+", { specimen: PRIMARY, date: "2019-05-03" })], { events: [met] });
    expect(codes(a)).toEqual(["metastatic-retest-missing"]);
    expect(a.flags[0]?.severity).toBe("action");
    expect(a.flags[0]?.message).toMatch(
      /Secondary malignant neoplasm of liver \(onset, or recorded date when no onset is given: 2023-05-20\)/,
    );
    expect(a.flags[0]?.evidence).toEqual([met.source]);
    expect(a.flags[0]?.references?.[0]).toMatch(/Wolff AC .*2018/);
  });

  it("a conclusive test on a specimen collected on the metastasis date clears it", () => {
    const a = run([ihc("1+", { specimen: specimen("S-23-1", "2023-05-20", "Liver"), date: "2023-05-22" })], {
      events: [event("metastasis", "2023-05-20")],
    });
    expect(codes(a)).toEqual([]);
  });

  it("collection date governs: old tissue tested after the metastasis is not a retest", () => {
    // Collected seven months before the recurrence: older than the 90-day diagnostic-biopsy window (tumour.ts).
    const a = run([ihc("1+", { specimen: specimen("S-22-9", "2022-06-01"), date: "2023-06-01" })], {
      events: [event("recurrence", "2023-01-01")],
    });
    expect(codes(a)).toEqual(["metastatic-retest-missing"]);
  });

  it("without a collection date the test date is used", () => {
    const a = run([ihc("1+", { specimen: { label: "S-23-7" }, date: "2023-06-01" })], {
      events: [event("recurrence", "2023-01-01")],
    });
    expect(codes(a)).toEqual([]);
  });

  it("the earliest dated recurrence or metastasis is the reference date", () => {
    const a = run([ihc("1+", { specimen: LIVER, date: "2023-06-02" })], {
      events: [event("metastasis", "2024-01-01"), event("recurrence", "2023-05-01")],
    });
    expect(codes(a)).toEqual([]);
  });

  it("an inconclusive test after the metastasis is not a retest", () => {
    const a = run([ihc("2+", { specimen: LIVER, date: "2023-06-02" })], {
      events: [event("metastasis", "2023-05-20")],
    });
    expect(codes(a)).toEqual(["reflex-ish-missing", "metastatic-retest-missing"]);
  });

  it("an undated metastasis with a conclusive test is flagged as a warning that says why", () => {
    const a = run([ihc("1+", { specimen: PRIMARY, date: "2019-05-03" })], { events: [event("metastasis")] });
    expect(codes(a)).toEqual(["metastatic-retest-missing"]);
    expect(a.flags[0]?.severity).toBe("warning");
    expect(a.flags[0]?.message).toMatch(/without a date/);
    expect(a.flags[0]?.message).toMatch(/2019-05-02/);
  });

  it("an undated metastasis without any conclusive test is an action", () => {
    const a = run([], { events: [event("metastasis")] });
    expect(a.flags[0]).toMatchObject({ code: "metastatic-retest-missing", severity: "action" });
  });

  it("an undated liver metastasis is cleared by a conclusive test on liver tissue", () => {
    const a = run([ihc("1+", { specimen: LIVER, date: "2023-06-02" })], {
      events: [event("metastasis", undefined, { bodySite: "Liver" })],
    });
    expect(codes(a)).toEqual([]);
  });
});

describe("pending, cancelled, entered-in-error, unreadable", () => {
  it("a preliminary ISH on the IHC 2+ specimen: equivocal, pending, no reflex flag", () => {
    const pendingIsh = dual(2.4, 5.0, { status: "preliminary" });
    const a = run([ihc("2+"), pendingIsh]);
    expect(a.status).toBe("equivocal");
    expect(codes(a)).toEqual(["result-pending"]);
    expect(a.flags[0]?.severity).toBe("info");
    expect(a.statusReason).toMatch(/pending/);
    expect(a.evidence.find((e) => e.resource === pendingIsh.source)).toMatchObject({
      used: false,
      notUsedReason: "pending",
    });
  });

  it("only registered results: indeterminate with result-pending", () => {
    const a = run([ihc(undefined, { status: "registered" })]);
    expect(a.status).toBe("indeterminate");
    expect(codes(a)).toEqual(["result-pending"]);
    expect(a.statusReason).toMatch(/1 pending/);
  });

  it("a preliminary positive is not used for the status", () => {
    const a = run([ihc("1+", { date: "2024-01-01" }), ihc("3+", { status: "preliminary", specimen: LIVER })]);
    expect(a.status).toBe("negative");
  });

  it("cancelled and entered-in-error results are ignored but listed", () => {
    const cancelled = ihc("3+", { status: "cancelled" });
    const wrong = dual(2.5, 6.0, { status: "entered-in-error" });
    const a = run([cancelled, wrong]);
    expect(a.status).toBe("no-result");
    expect(a.flags).toEqual([]);
    expect(a.evidence.find((e) => e.resource === cancelled.source)).toMatchObject({
      used: false,
      notUsedReason: "cancelled",
    });
    expect(a.evidence.find((e) => e.resource === wrong.source)).toMatchObject({
      used: false,
      notUsedReason: "entered in error",
    });
  });

  it("unreadable results are listed, flagged, and make the status indeterminate when nothing else is there", () => {
    const bad = unreadable("valueString 'see report' is not a HER2 result");
    const a = run([bad]);
    expect(a.status).toBe("indeterminate");
    expect(a.unreadable).toEqual([
      { resource: bad.source, reason: "valueString 'see report' is not a HER2 result" },
    ]);
    expect(codes(a)).toEqual(["result-unreadable"]);
    expect(a.flags[0]?.message).toMatch(
      /^1 HER2 result could not be interpreted and is not used: .*see report/,
    );
    expect(a.evidence[0]).toMatchObject({ used: false, notUsedReason: "unreadable" });
  });

  it("a result with status unknown is not used and is listed as unreadable", () => {
    const a = run([ihc("3+", { status: "unknown" })]);
    expect(a.status).toBe("indeterminate");
    expect(a.unreadable[0]?.reason).toMatch(/unknown/);
  });

  it("safety rule: a result dated after the as-of date is never dropped: unreadable, flagged, never no-result", () => {
    // A time-zone offset can put a same-day result on the next calendar date.
    const future = ihc("3+", { date: "2026-11-26T08:00:00+14:00", specimen: undefined });
    const a = run([future]);
    expect(a.status).toBe("indeterminate");
    expect(a.unreadable).toEqual([
      {
        resource: future.source,
        reason: "dated after the assessment date (2026-11-26, assessed as of 2026-11-25)",
      },
    ]);
    expect(codes(a)).toEqual(["result-unreadable"]);
    expect(a.evidence[0]).toMatchObject({ used: false, notUsedReason: "unreadable" });
  });
});

describe("a specimen collected after the as-of date", () => {
  it("is a data error like a result dated after it: unreadable, never the most recent specimen", () => {
    // Tested (effective) on 2026-11-20, but its tissue collected on 2027-01-01, after "today".
    const older = ihc("1+", {
      specimen: specimen("S-24-1", "2024-01-01", "Left breast"),
      date: "2024-01-02",
    });
    const future = ihc("3+", {
      specimen: specimen("S-27-1", "2027-01-01", "Left breast"),
      date: "2026-11-20",
    });
    const a = run([older, future]);
    expect(a.status).toBe("negative");
    expect(a.basis?.specimenLabel).toBe("S-24-1");
    expect(a.unreadable).toEqual([
      {
        resource: future.source,
        reason: "dated after the assessment date (2027-01-01, assessed as of 2026-11-25)",
      },
    ]);
    expect(codes(a)).toEqual(["result-unreadable"]);
  });
});

describe("anti-HER2 therapy", () => {
  it("names finished courses in the same order whatever order the records came in (found by properties.test.ts)", () => {
    const courses = [
      therapy("trastuzumab", { status: "completed", start: undefined, source: "MedicationRequest/mr0" }),
      therapy("pertuzumab", { status: "completed", start: undefined, source: "MedicationRequest/mr1" }),
    ];
    const events = [event("metastasis", undefined)];
    const messages = [courses, [...courses].reverse()].map(
      (therapies) =>
        run([ihc("3+")], { therapies, events }).flags.find((f) => f.code === "anti-her2-therapy-not-found")
          ?.message,
    );
    expect(messages[0]).toContain("pertuzumab (completed); trastuzumab (completed)");
    expect(messages[1]).toBe(messages[0]);
  });

  it("positive without an anti-HER2 medication is flagged", () => {
    const a = run([ihc("3+")], { therapies: [] });
    expect(codes(a)).toEqual(["anti-her2-therapy-not-found"]);
    expect(a.flags[0]?.severity).toBe("warning");
  });

  it("a medication gap is named in the message", () => {
    const gap = {
      resourceType: "MedicationRequest",
      kind: "denied" as const,
      reason: "scope not granted",
      affectsAssessment: true,
    };
    const a = run([ihc("3+")], { therapies: [], dataGaps: [gap] });
    expect(a.flags[0]?.message).toMatch(/scope not granted/);
  });

  it("a therapy on record clears it; one entered in error does not", () => {
    expect(codes(run([ihc("3+")], { therapies: [therapy("pertuzumab")] }))).toEqual([]);
    expect(
      codes(run([ihc("3+")], { therapies: [therapy("trastuzumab", { status: "entered-in-error" })] })),
    ).toEqual(["anti-her2-therapy-not-found"]);
  });

  it("not flagged when HER2-negative", () => {
    expect(codes(run([ihc("0")], { therapies: [] }))).toEqual([]);
  });

  it("not-taken and stopped-before-start records are not therapy", () => {
    const notTaken = therapy("trastuzumab", { status: "not-taken" });
    const neverStarted = therapy("pertuzumab", { status: "stopped", start: "2024-05-01", end: "2024-04-20" });
    expect(codes(run([ihc("3+")], { therapies: [notTaken, neverStarted] }))).toEqual([
      "anti-her2-therapy-not-found",
    ]);
  });

  describe("metastatic: only a finished adjuvant course is no current anti-HER2 therapy (rules 1.2.0)", () => {
    const liver = specimen("S-24-0456", "2024-03-01", "Liver");
    const metastatic = { events: [event("primary", "2019-05-01"), event("metastasis", "2024-02-20")] };
    const adjuvant = therapy("trastuzumab", { status: "completed", start: "2019-06-01", end: "2020-06-01" });

    it("a completed course that ended before the metastasis is flagged, naming it", () => {
      const a = run([ihc("3+", { specimen: liver })], { ...metastatic, therapies: [adjuvant] });
      expect(a.setting).toBe("metastatic");
      expect(codes(a)).toEqual(["anti-her2-therapy-not-found"]);
      expect(a.flags[0]?.message).toMatch(/no current anti-HER2 therapy/);
      expect(a.flags[0]?.message).toMatch(/2024-02-20/);
      expect(a.flags[0]?.evidence).toContain(adjuvant.source);
    });

    it("therapy started after the metastasis, or ongoing, clears it", () => {
      const firstLine = therapy("pertuzumab", {
        status: "completed",
        start: "2024-03-10",
        end: "2024-09-01",
      });
      const ongoing = therapy("trastuzumab", { status: "active", start: "2019-06-01" });
      for (const t of [firstLine, ongoing]) {
        expect(
          codes(run([ihc("3+", { specimen: liver })], { ...metastatic, therapies: [adjuvant, t] })),
        ).toEqual([]);
      }
    });

    it("in early disease a completed course is therapy on record", () => {
      expect(
        codes(run([ihc("3+")], { events: [event("primary", "2019-05-01")], therapies: [adjuvant] })),
      ).toEqual([]);
    });
  });
});

describe("flags and evidence", () => {
  it("sorts flags action > warning > info", () => {
    const a = run(
      [
        ihc("0", { specimen: PRIMARY, date: "2019-05-03" }),
        ihc("3+", { specimen: LIVER, date: "2023-06-02" }),
        dual(2.2, 4.4, { status: "preliminary", specimen: LIVER }),
        single(5.0, { specimen: specimen("S-24-2", "2024-01-05"), date: "2024-01-06" }),
      ],
      { therapies: [], events: [event("metastasis", "2023-05-20")] },
    );
    const severities = a.flags.map((f) => f.severity);
    expect(severities).toEqual(
      [...severities].sort(
        (x, y) => ["action", "warning", "info"].indexOf(x) - ["action", "warning", "info"].indexOf(y),
      ),
    );
    expect(codes(a)).toEqual([
      "dual-probe-ish-needed",
      "discordant-results",
      "anti-her2-therapy-not-found",
      "result-pending",
    ]);
  });

  it("every flag has a plain-language message and references", () => {
    const a = run(
      [ihc("2+"), ihc("0", { specimen: LIVER, status: "final", date: "2023-06-02" }), unreadable("x")],
      {
        events: [event("metastasis", "2025-01-01")],
      },
    );
    expect(a.flags.length).toBeGreaterThan(2);
    for (const f of a.flags) {
      expect(f.message.length).toBeGreaterThan(20);
      expect(Array.isArray(f.references)).toBe(true);
    }
  });

  it("lists one evidence item per record, newest first, with what the rules read", () => {
    const a = run([
      ihc("2+", { date: "2024-03-02" }),
      dual(1.5, 4.8, { date: "2024-03-05", recount: { ratio: 1.6, her2PerCell: 4.9 } }),
      interpretation("negative", { date: "2024-03-06" }),
    ]);
    expect(a.evidence.map((e) => e.method)).toEqual(["interpretation", "ish-dual", "ihc"]);
    expect(a.evidence[1]?.interpretation).toBe(
      "ISH group 4 (ratio <2.0, HER2 ≥4.0 and <6.0); recount group 4",
    );
    expect(a.evidence[1]?.value).toBe("ratio 1.5, HER2 4.8/cell, 40 cells, recount ratio 1.6, HER2 4.9/cell");
    expect(a.evidence[2]).toMatchObject({
      value: "2+",
      interpretation: "IHC 2+ (equivocal)",
      specimen: "Specimen/s1",
      specimenLabel: "S-24-1234",
    });
    expect(a.status).toBe("negative");
    expect(codes(a)).toEqual([]);
  });

  it("notes a low cell count in the reading", () => {
    const a = run([ihc("0"), dual(1.2, 2.0, { cellsCounted: 12 })]);
    expect(a.evidence.find((e) => e.method === "ish-dual")?.interpretation).toMatch(/only 12 cells counted/);
  });

  it("on the same date, disagreeing specimens: positive governs and the discordance is flagged", () => {
    const a = run([
      ihc("3+", { specimen: specimen("A", "2024-03-01") }),
      ihc("0", { specimen: specimen("B", "2024-03-01") }),
    ]);
    expect(a.status).toBe("positive");
    expect(codes(a)).toEqual(["discordant-results"]);
    expect(a.evidence.find((e) => e.specimen === "Specimen/B")?.notUsedReason).toBe(
      "another specimen of the same date sets the status",
    );
  });
});

describe("data from outside TypeScript", () => {
  it("treats null lists and records of an unknown method as missing or unreadable, never guessing", () => {
    const odd = {
      method: "fish-magic",
      source: "Observation/odd",
      status: "final",
    } as unknown as Her2TestRecord;
    const a = assess({
      patient: "Patient/p1",
      asOf: AS_OF,
      tests: [odd, null] as unknown as Her2TestRecord[],
      events: null as unknown as [],
      therapies: undefined as unknown as [],
    });
    expect(a.status).toBe("indeterminate");
    expect(a.unreadable).toEqual([
      { resource: "Observation/odd", reason: 'unknown HER2 test method "fish-magic"' },
    ]);
    expect(a.setting).toBe("unknown");
  });
});

describe("data that could not be loaded", () => {
  const observationGap = {
    resourceType: "Observation",
    kind: "denied" as const,
    reason: "403 Forbidden: scope patient/Observation.rs was not granted",
    affectsAssessment: true,
  };

  it("without HER2 results loaded, 'no result' is not claimed: indeterminate, with the reason", () => {
    const a = run([], { dataGaps: [observationGap] });
    expect(a.status).toBe("indeterminate");
    expect(a.statusReason).toMatch(/could not be loaded.*403 Forbidden/);
    expect(a.recommendation.text).toMatch(/complete HER2 testing/);
  });

  it("a result found despite a gap keeps its status, and the reason says the data may be incomplete", () => {
    const a = run([ihc("0")], { dataGaps: [{ ...observationGap, kind: "partial" as const }] });
    expect(a.status).toBe("negative");
    expect(a.statusReason).toMatch(/may be incomplete/);
  });

  it("a gap that does not affect the assessment changes nothing", () => {
    const a = run([], {
      dataGaps: [{ ...observationGap, resourceType: "Practitioner", affectsAssessment: false }],
    });
    expect(a.status).toBe("no-result");
    expect(a.statusReason).toBe("No HER2 test result on record.");
  });
});

describe("safety rule: one specimen, one method, disagreeing results are never settled by record id", () => {
  const bare = { specimen: undefined, date: "2024-03-01" };

  it("same-day IHC 3+ and IHC 0 without specimen data: indeterminate either way round, discordant-results action", () => {
    for (const [first, second] of [
      ["Observation/a", "Observation/b"],
      ["Observation/b", "Observation/a"],
    ] as const) {
      const a = run([ihc("3+", { ...bare, source: first }), ihc("0", { ...bare, source: second })]);
      expect(a.status).toBe("indeterminate");
      expect(a.category).toBe("unknown");
      expect(a.statusReason).toMatch(/conflicting results/);
      expect(a.flags[0]).toMatchObject({
        code: "discordant-results",
        severity: "action",
        evidence: ["Observation/a", "Observation/b"],
      });
      expect(a.evidence.some((e) => e.notUsedReason?.startsWith("superseded"))).toBe(false);
    }
  });

  it("same-day conflicting IHC on one Specimen reference is not conclusive either", () => {
    const s = specimen("S-24-9", "2024-03-01");
    const a = run([
      ihc("3+", { specimen: s, date: "2024-03-01" }),
      ihc("0", { specimen: s, date: "2024-03-01" }),
    ]);
    expect(a.status).toBe("indeterminate");
    expect(codes(a)).toEqual(["discordant-results"]);
  });

  it("a newer conclusive result on a later date supersedes, but the disagreement is still flagged (warning)", () => {
    const s = specimen("S-24-9", "2024-03-01");
    const older = ihc("3+", { specimen: s, date: "2024-03-01", source: "Observation/z" });
    const newer = ihc("0", { specimen: s, date: "2024-03-04", source: "Observation/a" });
    const a = run([older, newer]);
    expect(a.status).toBe("negative");
    expect(a.flags).toEqual([
      expect.objectContaining({
        code: "discordant-results",
        severity: "warning",
        evidence: ["Observation/a", "Observation/z"],
      }),
    ]);
    expect(a.evidence.find((e) => e.resource === older.source)?.notUsedReason).toBe(
      "superseded by a newer result on the same specimen",
    );
  });

  it("identical same-day results are not a conflict", () => {
    const a = run([ihc("3+", bare), ihc("3+", bare)]);
    expect(a.status).toBe("positive");
    expect(codes(a)).toEqual([]);
  });

  it("a same-day corrected result replaces the final one without a conflict", () => {
    const a = run([ihc("3+", bare), ihc("2+", { ...bare, status: "corrected" }), dual(1.2, 2.0, bare)]);
    expect(a.status).toBe("negative");
    expect(codes(a)).not.toContain("discordant-results");
  });
});

describe("safety rule: the setting is never 'early' when disease events could not all be loaded", () => {
  const conditionGap = {
    resourceType: "Condition",
    kind: "partial" as const,
    reason: "second page of Conditions timed out",
    affectsAssessment: true,
  };

  it("a primary with a Condition gap and no metastasis is setting unknown, without the early-disease text", () => {
    const a = run([ihc("3+")], { events: [event("primary", "2019-05-01")], dataGaps: [conditionGap] });
    expect(a.setting).toBe("unknown");
    expect(a.recommendation.text).not.toMatch(/early breast cancer/);
    expect(a.recommendation.text).toMatch(
      /setting .* cannot be told: Condition .*second page of Conditions timed out/,
    );
    expect(a.statusReason).toMatch(/Condition: second page of Conditions timed out/);
  });

  it("an Observation gap (stage) also makes the setting unknown", () => {
    const gap = { ...conditionGap, resourceType: "Observation" };
    expect(run([ihc("1+")], { events: [event("primary")], dataGaps: [gap] }).setting).toBe("unknown");
  });

  it("a metastasis found despite the gap is still metastatic; a gap that does not affect the assessment changes nothing", () => {
    const events = [event("primary"), event("metastasis", "2023-01-01")];
    expect(run([ihc("1+")], { events, dataGaps: [conditionGap] }).setting).toBe("metastatic");
    const harmless = { ...conditionGap, affectsAssessment: false };
    expect(run([ihc("1+")], { events: [event("primary")], dataGaps: [harmless] }).setting).toBe("early");
  });
});

describe("guideline case: HER2-low is IHC 1+, or IHC 2+ with negative ISH, also when reported on separate days", () => {
  const bare = { specimen: undefined };
  const metastatic = { events: [event("metastasis", "2023-01-01")] };

  it("IHC 2+ on 03-01 and FISH not amplified on 03-05, no specimen data: HER2-low, paired by date, said so", () => {
    const score = ihc("2+", { ...bare, date: "2024-03-01" });
    const a = run([score, dual(1.3, 2.6, { ...bare, date: "2024-03-05" })], metastatic);
    expect(a.status).toBe("negative");
    expect(a.category).toBe("her2-low");
    expect(a.statusReason).toContain(`IHC 2+ of 2024-03-01 (${score.source}), paired with this ISH by date`);
    expect(a.recommendation.text).not.toMatch(/No IHC score/);
    expect(a.recommendation.text).toMatch(/HER2-low/);
  });

  it("IHC 1+ pairs to HER2-low and IHC 0 to HER2-0; an IHC after the ISH is not paired", () => {
    const ish = () => dual(1.3, 2.6, { ...bare, date: "2024-03-05" });
    expect(run([ihc("1+", { ...bare, date: "2024-03-01" }), ish()]).category).toBe("her2-low");
    expect(run([ihc("0", { ...bare, date: "2024-03-01" }), ish()]).category).toBe("her2-0");
    // The IHC then governs as the more recent test; it is not a pairing.
    const after = run([ihc("1+", { ...bare, date: "2024-03-09" }), ish()]);
    expect(after.statusReason).not.toMatch(/paired/);
  });

  it("an ISH with specimen data is not paired with an unlinked IHC", () => {
    const a = run([ihc("2+", { ...bare, date: "2024-03-01" }), dual(1.3, 2.6, { date: "2024-03-05" })]);
    expect(a.category).toBe("her2-negative");
    expect(a.statusReason).not.toMatch(/paired/);
  });
});

describe("safety rule: a call reported on an IHC or ISH record never overrides that record's own score or numbers", () => {
  it("IHC coded Positive with score 2+ is not positive, and the reason never says 3+", () => {
    const a = run([ihc("2+", { reported: "positive" })]);
    expect(a.status).toBe("equivocal");
    expect(a.statusReason).not.toMatch(/3\+/);
    expect(a.statusReason).toMatch(/IHC 2\+/);
    expect(a.flags).toContainEqual(
      expect.objectContaining({ code: "interpretation-mismatch", severity: "action" }),
    );
  });

  it("ISH 'Not amplified' with ratio 2.3 and 5.1 copies (group 1) is indeterminate, named by its numbers", () => {
    const a = run([dual(2.3, 5.1, { reported: "negative" })]);
    expect(a.status).toBe("indeterminate");
    expect(a.statusReason).toMatch(/ISH group 1 \(ratio ≥2\.0, HER2 ≥4\.0\); reported negative contradicts/);
    expect(a.flags[0]).toMatchObject({ code: "interpretation-mismatch", severity: "action" });
  });

  it("IHC 3+ reported negative is not conclusive either way", () => {
    const a = run([ihc("3+", { reported: "negative" })]);
    expect(a.status).toBe("indeterminate");
    expect(a.statusReason).toMatch(/IHC 3\+/);
  });

  it("an IHC reported positive without a score is used, and its reason does not invent a score", () => {
    const a = run([ihc(undefined, { reported: "positive" })]);
    expect(a.status).toBe("positive");
    expect(a.statusReason).not.toMatch(/3\+/);
  });

  it("a final interpretation no guideline path reaches from the components is indeterminate (action)", () => {
    const a = run([ihc("3+"), interpretation("negative")]);
    expect(a.status).toBe("indeterminate");
    expect(a.statusReason).toMatch(/pathology review or an amended report/);
    expect(a.flags[0]).toMatchObject({ code: "interpretation-mismatch", severity: "action" });
    expect(a.flags[0]?.message).toMatch(/ask for pathology review or an amended report/);
  });

  it("a final equivocal interpretation against conclusive components stays equivocal (warning)", () => {
    const a = run([ihc("3+"), interpretation("equivocal")]);
    expect(a.status).toBe("equivocal");
    expect(a.flags[0]).toMatchObject({ code: "interpretation-mismatch", severity: "warning" });
  });
});

describe("guideline case: HER2-low for IHC 2+ needs a negative ISH (Wolff 2023; DESTINY-Breast04)", () => {
  it("IHC 2+ with a final negative interpretation but no ISH: negative, her2-negative, reflex ISH noted as info", () => {
    const a = run([ihc("2+"), interpretation("negative")]);
    expect(a.status).toBe("negative");
    expect(a.category).toBe("her2-negative");
    expect(a.statusReason).toMatch(/HER2-low cannot be confirmed/);
    expect(a.flags).toEqual([expect.objectContaining({ code: "reflex-ish-missing", severity: "info" })]);
  });

  it("IHC 2+ with a negative ISH and a final negative interpretation stays HER2-low, without the flag", () => {
    const a = run([ihc("2+"), dual(1.3, 2.6), interpretation("negative")]);
    expect(a.category).toBe("her2-low");
    expect(codes(a)).toEqual([]);
  });
});

describe("flag messages are true of the evidence (issue 12, point 2)", () => {
  type Make = () => Her2TestRecord[];
  const ihcs: Make[] = [() => [], () => [ihc("0")], () => [ihc("1+")], () => [ihc("2+")], () => [ihc("3+")]];
  const ishs: Make[] = [
    () => [],
    () => [dual(2.2, 4.4)],
    () => [dual(2.2, 3.0)],
    () => [dual(1.5, 6.5)],
    () => [dual(1.5, 4.8)],
    () => [dual(1.2, 2.5)],
    () => [single(6.5)],
    () => [single(4.5)],
    () => [single(3.0)],
  ];
  const finals: Make[] = [
    () => [],
    () => [interpretation("positive")],
    () => [interpretation("negative")],
    () => [interpretation("equivocal")],
  ];
  const cases: Make[] = ihcs.flatMap((i) =>
    ishs.flatMap((s) => finals.map((f) => () => [...i(), ...s(), ...f()])),
  );

  it.each(cases.map((make, n) => [n, make] as const))("combination %i", (_n, make) => {
    const tests = make();
    const a = run(tests);
    const sources = new Set(tests.map((t) => t.source));
    const hasIsh = tests.some((t) => t.method === "ish-dual" || t.method === "ish-single");
    const hasIhc = tests.some((t) => t.method === "ihc");
    for (const flag of a.flags) {
      for (const ref of flag.evidence) expect(sources.has(ref)).toBe(true);
      if (hasIsh) expect(flag.message).not.toMatch(/no ISH/i);
      if (hasIhc) expect(flag.message).not.toMatch(/no IHC/i);
      // A message that says a record was used as the laboratory's call must match a conclusive status.
      if (/The laboratory's call is used/.test(flag.message)) expect(a.status).not.toBe("indeterminate");
    }
    // A status the components contradict is never confident (issue 12, point 2).
    if (a.flags.some((f) => f.code === "interpretation-mismatch" && f.severity === "action")) {
      expect(["indeterminate", "equivocal"]).toContain(a.status);
    }
  });
});

describe("metastatic HER2-negative: the IHC score matters for trastuzumab deruxtecan (rules 1.2.0)", () => {
  const liver = specimen("S-24-0456", "2024-03-01", "Liver");
  const metastatic = { events: [event("metastasis", "2024-02-20")] };

  it("no IHC score on record (ISH negative only): ihc-score-needed, an action", () => {
    const a = run([dual(1.2, 2.5, { specimen: liver })], metastatic);
    expect(a.status).toBe("negative");
    expect(a.category).toBe("her2-negative");
    expect(a.flags).toEqual([expect.objectContaining({ code: "ihc-score-needed", severity: "action" })]);
    expect(a.recommendation.text).toMatch(/trastuzumab deruxtecan/);
  });

  it("IHC 0 without staining detail: re-review for faint staining, as information", () => {
    const a = run([ihc("0", { specimen: liver })], metastatic);
    expect(a.flags).toEqual([expect.objectContaining({ code: "ihc-zero-review", severity: "info" })]);
    expect(a.flags[0]?.message).toMatch(/up to 10% of tumour cells/);
  });

  it("IHC 0 ultralow, IHC 1+ and early disease get neither flag", () => {
    expect(codes(run([ihc("0", { specimen: liver, zeroDetail: "ultralow" })], metastatic))).toEqual([]);
    expect(codes(run([ihc("1+", { specimen: liver })], metastatic))).toEqual([]);
    expect(codes(run([dual(1.2, 2.5)], { events: [event("primary", "2024-02-20")] }))).toEqual([]);
  });

  it("IHC 2+ with a negative ISH is scored: no ihc-score-needed", () => {
    expect(
      codes(run([ihc("2+", { specimen: liver }), dual(1.2, 2.5, { specimen: liver })], metastatic)),
    ).toEqual([]);
  });
});
