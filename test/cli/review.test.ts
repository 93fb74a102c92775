// @vitest-environment node
/**
 * `review` end to end in-process: output equals the app's own `assess(buildPatientInput(...))` for the same resources,
 * in every format, with filters and the summary line.
 */
import type { Resource } from "fhir/r4";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { review } from "../../src/cli/review";
import { FLAG_CODES, STATUSES } from "../../src/cli/filters";
import {
  AS_OF,
  breastCancer,
  expectedAssessment,
  hemoglobin,
  ihc,
  medicationRequest,
  parseCsv,
  patient,
  runReview,
  Sink,
  specimen,
  tempDir,
  trastuzumab,
  writeJson,
  writeNdjson,
} from "./helpers";

/** Three patients in a Bulk Data folder, with what each one's resources are (written by hand, not by the CLI). */
function population(): { dir: string; resources: Record<string, Resource[]> } {
  const dir = tempDir();
  const med = trastuzumab("t");
  writeNdjson(dir, "Patient.ndjson", [patient("neg"), patient("pos"), patient("none")]);
  writeNdjson(dir, "Observation.ndjson", [
    ihc("pos-ihc", "Patient/pos", "3+"),
    ihc("neg-ihc", "Patient/neg", "0"),
    hemoglobin("none-hb", "Patient/none"),
  ]);
  writeNdjson(dir, "Specimen.ndjson", [specimen("pos-s", "Patient/pos")]);
  writeNdjson(dir, "Condition.ndjson", [
    breastCancer("pos-c", "Patient/pos"),
    breastCancer("neg-c", "Patient/neg"),
  ]);
  writeNdjson(dir, "Medication.ndjson", [med]);
  writeNdjson(dir, "MedicationRequest.ndjson", [medicationRequest("pos-mr", "Patient/pos", "Medication/t")]);
  return {
    dir,
    resources: {
      "Patient/neg": [
        breastCancer("neg-c", "Patient/neg"),
        ihc("neg-ihc", "Patient/neg", "0"),
        patient("neg"),
      ],
      "Patient/none": [hemoglobin("none-hb", "Patient/none"), patient("none")],
      "Patient/pos": [
        breastCancer("pos-c", "Patient/pos"),
        medicationRequest("pos-mr", "Patient/pos", "Medication/t"),
        ihc("pos-ihc", "Patient/pos", "3+"),
        patient("pos"),
        specimen("pos-s", "Patient/pos"),
        med,
      ],
    },
  };
}

describe("her2 review (in-process)", () => {
  it("prints, as NDJSON, exactly the app's assessment of each patient, sorted by patient id", async () => {
    const { dir, resources } = population();
    const run = await runReview([dir]);
    expect(run.result.exitCode).toBe(0);
    expect(run.assessments).toEqual(
      Object.entries(resources).map(([key, list]) => expectedAssessment(key, list)),
    );
    expect(run.assessments.map((a) => a.patient)).toEqual(["Patient/neg", "Patient/none", "Patient/pos"]);
    expect(run.assessments.every((a) => a.asOf === AS_OF)).toBe(true);
  });

  it("passes --as-of to the rules", async () => {
    const { dir, resources } = population();
    const run = await runReview([dir], { asOf: "2030-01-31" });
    expect(run.assessments[0]).toEqual(
      expectedAssessment("Patient/neg", resources["Patient/neg"] ?? [], "2030-01-31"),
    );
  });

  it("writes a summary line on stderr with patients, resources, results and counts per status and flag", async () => {
    const { dir, resources } = population();
    const run = await runReview([dir]);
    const expected = Object.entries(resources).map(([key, list]) => expectedAssessment(key, list));
    const results = expected.reduce((n, a) => n + a.evidence.length, 0);
    const unreadable = expected.reduce((n, a) => n + a.unreadable.length, 0);
    const summary = run.stderr.trim().split("\n").at(-1) ?? "";
    expect(summary).toMatch(/^her2 review: 3 patients, 11 resources read, /);
    expect(summary).toContain(`${results} HER2 result${results === 1 ? "" : "s"}, ${unreadable} unreadable;`);
    for (const status of STATUSES) {
      expect(summary).toContain(`${status} ${expected.filter((a) => a.status === status).length}`);
    }
    for (const code of FLAG_CODES) {
      const n = expected.filter((a) => a.flags.some((f) => f.code === code)).length;
      if (n > 0) expect(summary).toContain(`${code} ${n}`);
      else expect(summary).not.toContain(code);
    }
    expect(summary).toMatch(/; 0 warnings$/);
  });

  it("--status keeps only patients with that status; the summary still counts everyone", async () => {
    const { dir, resources } = population();
    const expected = Object.entries(resources).map(([key, list]) => expectedAssessment(key, list));
    const wanted = expected[1]?.status ?? "no-result";
    const run = await runReview([dir], { statuses: [wanted] });
    expect(run.assessments.map((a) => a.patient)).toEqual(
      expected.filter((a) => a.status === wanted).map((a) => a.patient),
    );
    expect(run.stderr).toContain(`her2 review: 3 patients (${run.assessments.length} shown)`);
  });

  it("--flag with a flag no patient has prints no patient", async () => {
    const { dir, resources } = population();
    const expected = Object.entries(resources).map(([key, list]) => expectedAssessment(key, list));
    const unused = FLAG_CODES.find((code) => !expected.some((a) => a.flags.some((f) => f.code === code)));
    expect(unused).toBeDefined();
    const run = await runReview([dir], { flags: unused ? [unused] : [] });
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("her2 review: 3 patients (0 shown)");
  });

  it("--format csv: a header and one row per patient, with one 0/1 column per flag", async () => {
    const { dir, resources } = population();
    const expected = Object.entries(resources).map(([key, list]) => expectedAssessment(key, list));
    const run = await runReview([dir], { format: "csv" });
    const rows = parseCsv(run.stdout);
    expect(rows).toHaveLength(3);
    expected.forEach((a, i) => {
      const row = rows[i] ?? {};
      expect(row["patient"]).toBe(a.patient);
      expect(row["status"]).toBe(a.status);
      expect(row["category"]).toBe(a.category);
      expect(row["setting"]).toBe(a.setting);
      expect(row["status_reason"]).toBe(a.statusReason);
      for (const code of FLAG_CODES) {
        expect(row[code]).toBe(a.flags.some((f) => f.code === code) ? "1" : "0");
      }
    });
  });

  it("--format table: a header and one aligned line per patient", async () => {
    const { dir, resources } = population();
    const expected = Object.entries(resources).map(([key, list]) => expectedAssessment(key, list));
    const run = await runReview([dir], { format: "table" });
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^PATIENT\s+STATUS\s+CATEGORY\s+SETTING\s+FLAGS$/);
    expect(lines).toHaveLength(4);
    expected.forEach((a, i) => {
      expect((lines[i + 1] ?? "").split(/\s+/).slice(0, 4)).toEqual([
        a.patient,
        a.status,
        a.category,
        a.setting,
      ]);
    });
    const statusColumn = (lines[0] ?? "").indexOf("STATUS");
    expect(lines.slice(1).every((l) => l.indexOf(" ") < statusColumn && l[statusColumn - 1] === " ")).toBe(
      true,
    );
  });

  it("writes all output through a slow stdout (back-pressure) without losing a line", async () => {
    const dir = tempDir();
    const many = Array.from({ length: 3000 }, (_, i) => patient(`p${String(i).padStart(4, "0")}`));
    writeNdjson(dir, "Patient.ndjson", many);

    let text = "";
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        text += chunk.toString();
        setImmediate(callback);
      },
    });
    const result = await review(
      { inputs: [dir], format: "ndjson", asOf: AS_OF, flags: [], statuses: [] },
      { stdout: slow, stderr: new Sink() },
    );
    expect(result.exitCode).toBe(0);
    const lines = text.trimEnd().split("\n");
    expect(lines).toHaveLength(3000);
    expect(JSON.parse(lines[2999] ?? "{}")).toMatchObject({ patient: "Patient/p2999" });
  });
});

describe("data that could not be loaded", () => {
  it("a failed batch entry reaches the rules as a data gap of each patient of the Bundle", async () => {
    const dir = tempDir();
    const batch = {
      resourceType: "Bundle",
      type: "batch-response",
      entry: [
        { resource: patient("a"), response: { status: "200 OK" } },
        { resource: ihc("oa", "Patient/a", "0"), response: { status: "200 OK" } },
        { response: { status: "403 Forbidden" } },
      ],
    };
    const run = await runReview([writeJson(dir, "batch.json", batch)]);
    expect(run.result.exitCode).toBe(0);
    const gaps = run.assessments[0]?.dataGaps ?? [];
    expect(gaps).toEqual([expect.objectContaining({ kind: "denied", affectsAssessment: true })]);
    expect(run.assessments[0]).toEqual(
      expectedAssessment("Patient/a", [patient("a"), ihc("oa", "Patient/a", "0")], AS_OF, gaps),
    );
  });
});

/**
 * End-to-end expectations written from the guideline (ASCO/CAP 2018, 2023 update; HER2-GUIDELINE.md), not from the
 * code: they hold only once the real FHIR layer and rules have landed.
 */
describe("guideline expectations through the CLI", () => {
  it("IHC 3+ -> positive; IHC 0 -> negative; IHC 2+ with no ISH -> reflex-ish-missing; no HER2 test -> no-result", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("a3"), patient("b0"), patient("c2"), patient("d")]);
    writeNdjson(dir, "Observation.ndjson", [
      ihc("a3-ihc", "Patient/a3", "3+"),
      ihc("b0-ihc", "Patient/b0", "0"),
      ihc("c2-ihc", "Patient/c2", "2+"),
      hemoglobin("d-hb", "Patient/d"),
    ]);
    const run = await runReview([dir]);
    const status = Object.fromEntries(run.assessments.map((a) => [a.patient, a.status]));
    expect(status).toEqual({
      "Patient/a3": "positive",
      "Patient/b0": "negative",
      "Patient/c2": "equivocal",
      "Patient/d": "no-result",
    });
    const flagged = await runReview([dir], { flags: ["reflex-ish-missing"] });
    expect(flagged.assessments.map((a) => a.patient)).toEqual(["Patient/c2"]);
  });
});

describe("her2-test-missing through the CLI (issue 18, point 4)", () => {
  it("a breast cancer with no HER2 test gets the action flag; one with a HER2 test does not", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("untested"), patient("tested")]);
    writeNdjson(dir, "Condition.ndjson", [
      breastCancer("untested-c", "Patient/untested"),
      breastCancer("tested-c", "Patient/tested"),
    ]);
    writeNdjson(dir, "Observation.ndjson", [
      hemoglobin("untested-hb", "Patient/untested"),
      ihc("tested-ihc", "Patient/tested", "1+"),
    ]);
    const run = await runReview([dir], { flags: ["her2-test-missing"] });
    expect(run.assessments.map((a) => a.patient)).toEqual(["Patient/untested"]);
    const flag = run.assessments[0]?.flags.find((f) => f.code === "her2-test-missing");
    expect(flag).toMatchObject({ severity: "action", evidence: ["Condition/untested-c"] });
    expect(run.stderr).toContain("her2-test-missing 1");
  });
});

describe("one resource id twice (issue 16, point 2)", () => {
  it("never lets the last copy win: differing copies across files are both shown and neither is used", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Observation.000.ndjson", [ihc("o1", "Patient/p1", "3+")]);
    writeNdjson(dir, "Observation.001.ndjson", [ihc("o1", "Patient/p1", "1+"), ihc("o2", "Patient/p2", "0")]);
    const run = await runReview([dir]);
    const [p1, p2] = run.assessments;
    expect(p1?.status).toBe("indeterminate");
    expect(p1?.unreadable.map((u) => u.resource)).toEqual(["Observation/o1", "Observation/o1"]);
    expect(p2?.status).toBe("negative");
  });

  it("merges identical copies", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Observation.000.ndjson", [ihc("o1", "Patient/p1", "3+")]);
    writeNdjson(dir, "Observation.001.ndjson", [ihc("o1", "Patient/p1", "3+")]);
    const run = await runReview([dir]);
    expect(run.assessments.map((a) => [a.status, a.unreadable.length])).toEqual([["positive", 0]]);
  });
});
