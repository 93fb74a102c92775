import { describe, expect, it } from "vitest";
import { supportedEnd, therapyCourses } from "../../src/domain/therapy";
import { codes, event, ihc, run, therapy } from "./build";

const early = { events: [event("primary", "2023-01-10")] };

/** Three-weekly administrations of one drug from a start date, `n` doses. */
function cycles(drug: string, start: string, n: number) {
  const day0 = Date.parse(`${start}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) =>
    therapy(drug, {
      start: new Date(day0 + i * 21 * 86_400_000).toISOString().slice(0, 10),
      status: "completed",
      source: `MedicationAdministration/${drug}-${String(i)}`,
    }),
  );
}

describe("therapy courses: only as long as the record supports", () => {
  it("an open order without an end or a duration is supported on its issue date only, not to today", () => {
    expect(supportedEnd(therapy("trastuzumab", { start: "2025-03-01", status: "active" }))).toBe(
      "2025-03-01",
    );
    expect(supportedEnd(therapy("trastuzumab", { start: "2025-03-01", recordedUntil: "2026-02-20" }))).toBe(
      "2026-02-20",
    );
    expect(supportedEnd(therapy("trastuzumab", { start: "2025-03-01", end: "2025-12-01" }))).toBe(
      "2025-12-01",
    );
  });

  it("joins three-weekly administrations of one drug into one course, and keeps other drugs apart", () => {
    const courses = therapyCourses([
      ...cycles("trastuzumab", "2024-01-05", 18),
      ...cycles("pertuzumab", "2024-01-05", 2),
    ]);
    expect(courses.map((c) => [c.drug, c.start, c.end, c.sources.length])).toEqual([
      ["pertuzumab", "2024-01-05", "2024-01-26", 2],
      ["trastuzumab", "2024-01-05", "2024-12-27", 18],
    ]);
  });

  it("a gap of more than two missed cycles starts a new course", () => {
    const first = cycles("trastuzumab", "2020-01-01", 3);
    const later = cycles("trastuzumab", "2020-09-01", 2);
    expect(therapyCourses([...later, ...first]).map((c) => [c.start, c.end])).toEqual([
      ["2020-01-01", "2020-02-12"],
      ["2020-09-01", "2020-09-22"],
    ]);
  });
});

describe("therapy-duration-exceeds (one year of trastuzumab in early disease)", () => {
  it("21 months of documented trastuzumab in early disease is pointed out, citing HERA", () => {
    // 32 three-weekly doses: 2023-02-01 to 2024-11-13 (651 days), about 21 months.
    const a = run([ihc("3+")], { ...early, therapies: cycles("trastuzumab", "2023-02-01", 32) });
    expect(codes(a)).toEqual(["therapy-duration-exceeds"]);
    const flag = a.flags[0];
    expect(flag?.severity).toBe("info");
    expect(flag?.message).toContain("trastuzumab from 2023-02-01 to 2024-11-13 (21 months)");
    expect(flag?.evidence).toHaveLength(32);
    expect(flag?.references?.some((r) => r.includes("HERA"))).toBe(true);
  });

  it("one year of trastuzumab (18 cycles) is not pointed out", () => {
    expect(codes(run([ihc("3+")], { ...early, therapies: cycles("trastuzumab", "2023-02-01", 18) }))).toEqual(
      [],
    );
  });

  it("an order still open 21 months after it was issued is not a 21-month course", () => {
    const open = therapy("trastuzumab", { start: "2025-03-01", status: "active" });
    expect(codes(run([ihc("3+")], { ...early, therapies: [open] }))).toEqual([]);
  });

  it("a documented period longer than 13 months counts; the same in metastatic disease does not", () => {
    const long = therapy("trastuzumab", { start: "2022-01-01", end: "2023-06-01", status: "completed" });
    expect(codes(run([ihc("3+")], { ...early, therapies: [long] }))).toEqual(["therapy-duration-exceeds"]);
    const metastatic = { events: [event("primary", "2019-01-01"), event("metastasis", "2021-12-01")] };
    expect(codes(run([ihc("3+")], { ...metastatic, therapies: [long] }))).not.toContain(
      "therapy-duration-exceeds",
    );
  });

  it("T-DM1 for residual disease is not held to the trastuzumab year", () => {
    const tdm1 = therapy("ado-trastuzumab emtansine", { start: "2022-01-01", end: "2023-06-01" });
    expect(codes(run([ihc("3+")], { ...early, therapies: [tdm1] }))).toEqual([]);
  });
});
