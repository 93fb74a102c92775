/** Invariants of the rules over any well-typed input (fast-check). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assess, CANNOT_ASSESS } from "../../src/domain";
import type { AntiHer2Therapy, DiseaseEvent, Her2TestRecord, PatientInput } from "../../src/domain";

const opt = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });

// Dates around the thresholds the rules compare, partial dates, a dateTime, one after the as-of date, and junk.
const date = opt(
  fc.constantFrom(
    "2019-05-02",
    "2021",
    "2023-06",
    "2023-06-01",
    "2024-03-02",
    "2024-03-02T10:00:00Z",
    "2027-01-01",
    "junk",
    "",
  ),
);
// Exact thresholds, both sides of them, and values no lab should send.
const num = opt(
  fc.oneof(
    fc.constantFrom(0, 1.99, 2.0, 3.99, 4.0, 5.99, 6.0, -1, Number.NaN, Infinity),
    fc.double({ min: 0, max: 12, noNaN: true }),
  ),
);
const status = fc.constantFrom(
  "registered",
  "preliminary",
  "final",
  "amended",
  "corrected",
  "cancelled",
  "entered-in-error",
  "unknown",
) satisfies fc.Arbitrary<Her2TestRecord["status"]>;
const reported = opt(
  fc.constantFrom<"positive" | "negative" | "equivocal" | "indeterminate">(
    "positive",
    "negative",
    "equivocal",
    "indeterminate",
  ),
);
const specimenInfo = opt(
  fc.record(
    {
      reference: fc.constantFrom("Specimen/a", "Specimen/b"),
      label: fc.constantFrom("A", "B", "C"),
      bodySite: fc.constantFrom("Liver", "Left breast", "Right breast"),
      collected: date.map((d) => d ?? "2024-03-01"),
    },
    { requiredKeys: [] },
  ),
);
const base = { source: fc.constant(""), status, date, specimen: specimenInfo, reported };

const record: fc.Arbitrary<Her2TestRecord> = fc.oneof(
  fc.record({
    ...base,
    method: fc.constant("ihc" as const),
    score: opt(fc.constantFrom<"0" | "1+" | "2+" | "3+">("0", "1+", "2+", "3+")),
    zeroDetail: opt(fc.constantFrom<"null" | "ultralow">("null", "ultralow")),
  }),
  fc.record({
    ...base,
    method: fc.constant("ish-dual" as const),
    ratio: num,
    her2PerCell: num,
    cep17PerCell: num,
    cellsCounted: num,
    recount: opt(fc.record({ ratio: num, her2PerCell: num })),
  }),
  fc.record({ ...base, method: fc.constant("ish-single" as const), her2PerCell: num, cellsCounted: num }),
  fc.record({ ...base, method: fc.constant("interpretation" as const) }),
  fc.record({
    ...base,
    method: fc.constant("unreadable" as const),
    reason: fc.constant("unparseable value"),
  }),
);

const diseaseEvent: fc.Arbitrary<DiseaseEvent> = fc.record({
  kind: fc.constantFrom<DiseaseEvent["kind"]>("primary", "recurrence", "metastasis"),
  date,
  bodySite: opt(fc.constantFrom("Liver", "Bone", "Left breast")),
  extent: opt(fc.constantFrom<"locoregional" | "uncertain">("locoregional", "uncertain")),
  source: fc.constant(""),
});
const therapy: fc.Arbitrary<AntiHer2Therapy> = fc.record({
  drug: fc.constantFrom("trastuzumab", "pertuzumab"),
  status: opt(fc.constantFrom("active", "completed", "entered-in-error")),
  start: date,
  source: fc.constant(""),
});

/** Unique sources, so evidence can be matched to records. */
const withSources = <T extends { source: string }>(items: T[], prefix: string): T[] =>
  items.map((item, i) => ({ ...item, source: `${prefix}/${prefix.toLowerCase()}${i}` }));

const patientInput: fc.Arbitrary<PatientInput> = fc
  .record({
    tests: fc.array(record, { maxLength: 8 }),
    events: fc.array(diseaseEvent, { maxLength: 3 }),
    therapies: fc.array(therapy, { maxLength: 2 }),
  })
  .map(({ tests, events, therapies }) => ({
    patient: "Patient/p",
    asOf: "2026-11-25",
    tests: withSources(tests, "Observation"),
    events: withSources(events, "Condition"),
    therapies: withSources(therapies, "MedicationRequest"),
  }));

/** Could this record, on its own, ever support a positive call? (Written from the guideline, deliberately broad.) */
function supportsPositive(r: Her2TestRecord): boolean {
  if (r.reported === "positive") return true;
  switch (r.method) {
    case "ihc":
      return r.score === "3+";
    case "ish-dual":
      return [r, r.recount ?? {}].some(
        (n) => ((n.ratio ?? 0) >= 2 && (n.her2PerCell ?? 0) >= 4) || (n.her2PerCell ?? 0) >= 6,
      );
    case "ish-single":
      return (r.her2PerCell ?? 0) >= 6;
    default:
      return false;
  }
}

const RUNS = { numRuns: 300 };

describe("properties", () => {
  it("never throws and never falls back to the emergency result", () => {
    fc.assert(
      fc.property(patientInput, (input) => {
        const a = assess(input);
        expect(a.statusReason.startsWith(CANNOT_ASSESS)).toBe(false);
        expect(a.evidence).toHaveLength(input.tests.length);
      }),
      RUNS,
    );
  });

  it("never returns positive unless a used record supports it", () => {
    fc.assert(
      fc.property(patientInput, (input) => {
        const a = assess(input);
        if (a.status !== "positive") return;
        const bySource = new Map(input.tests.map((t) => [t.source, t]));
        const support = a.evidence.filter((e) => {
          const rec = bySource.get(e.resource);
          return e.used && rec !== undefined && supportsPositive(rec);
        });
        expect(support.length).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });

  it("adding a cancelled or entered-in-error result never changes the status, category, reason or flags", () => {
    fc.assert(
      fc.property(
        patientInput,
        record,
        fc.constantFrom("cancelled", "entered-in-error"),
        (input, extra, st) => {
          const before = assess(input);
          const after = assess({
            ...input,
            tests: [...input.tests, { ...extra, status: st, source: "Observation/extra" }],
          });
          expect(after.status).toBe(before.status);
          expect(after.category).toBe(before.category);
          expect(after.statusReason).toBe(before.statusReason);
          expect(after.flags).toEqual(before.flags);
        },
      ),
      RUNS,
    );
  });

  it("does not depend on the order of the input", () => {
    const shuffled = patientInput.chain((input) =>
      fc
        .tuple(
          fc.shuffledSubarray(input.tests, { minLength: input.tests.length }),
          fc.shuffledSubarray(input.events, { minLength: input.events.length }),
          fc.shuffledSubarray(input.therapies, { minLength: input.therapies.length }),
        )
        .map(([tests, events, therapies]) => [input, { ...input, tests, events, therapies }] as const),
    );
    fc.assert(
      fc.property(shuffled, ([input, reordered]) => {
        expect(assess(reordered)).toEqual(assess(input));
      }),
      RUNS,
    );
  });

  it("metastatic only with a distant event: locoregional or uncertain extents never make it so (rules 1.2.0)", () => {
    fc.assert(
      fc.property(patientInput, (input) => {
        const distant = input.events.some((e) => e.kind !== "primary" && e.extent === undefined);
        expect(assess(input).setting === "metastatic").toBe(distant);
      }),
      RUNS,
    );
  });

  it("with several tumours, the top level is one tumour's status and every tumour's basis is used", () => {
    fc.assert(
      fc.property(patientInput, (input) => {
        const a = assess(input);
        if (!a.tumours) return;
        expect(a.tumours.length).toBeGreaterThanOrEqual(2);
        const statuses = a.tumours.map((t) => t.status);
        expect(statuses).toContain(a.status);
        // A HER2-positive tumour is shown unless the current primary of metachronous tumours governs (rules 2.0.0), which
        // never happens in metastatic disease, whose origin the record does not settle.
        if (statuses.includes("positive") && a.status !== "positive") {
          expect(a.statusReason).toContain("the current primary");
          expect(a.setting).not.toBe("metastatic");
        }
        const used = new Set(a.evidence.filter((e) => e.used).map((e) => e.resource));
        for (const t of a.tumours) for (const ref of t.basis?.evidence ?? []) expect(used).toContain(ref);
      }),
      RUNS,
    );
  });

  it("a final interpretation opposite to a conclusive IHC 3+ or 0/1+ alone is never taken as the status", () => {
    const score = fc.constantFrom<"0" | "1+" | "3+">("0", "1+", "3+");
    fc.assert(
      fc.property(score, (s) => {
        const specimen = { reference: "Specimen/a", collected: "2024-03-01" };
        const opposite = s === "3+" ? "negative" : "positive";
        const input: PatientInput = {
          patient: "Patient/p",
          asOf: "2026-11-25",
          tests: [
            {
              method: "ihc",
              source: "Observation/i",
              status: "final",
              date: "2024-03-02",
              specimen,
              score: s,
            },
            {
              method: "interpretation",
              source: "Observation/f",
              status: "final",
              date: "2024-03-02",
              specimen,
              reported: opposite,
            },
          ],
          events: [],
          therapies: [],
        };
        expect(assess(input).status).toBe("indeterminate");
      }),
    );
  });
});
