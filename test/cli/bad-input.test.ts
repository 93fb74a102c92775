// @vitest-environment node
/**
 * Bad input: every problem is reported with its file and line, nothing else is lost, and the exit code follows the
 * contract (0 when the inputs were read, 2 for a usage error or a file that is not FHIR JSON / NDJSON at all).
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  breastCancer,
  expectedAssessment,
  hemoglobin,
  ihc,
  patient,
  runReview,
  tempDir,
  writeJson,
  writeNdjson,
  writeText,
} from "./helpers";

/** stderr lines other than the final summary. */
function messages(stderr: string): string[] {
  return stderr
    .trimEnd()
    .split("\n")
    .filter((l) => !l.startsWith("her2 review: "));
}

describe("bad lines are warnings with file:line, and the rest is read (exit 3: data skipped)", () => {
  it("a line that is not JSON", async () => {
    const dir = tempDir();
    const good = ihc("o1", "Patient/a", "3+");
    const path = writeText(dir, "Observation.ndjson", `${JSON.stringify(good)}\n{"resourceType":"Obs\n\n`);
    const run = await runReview([path]);
    expect(run.result.exitCode).toBe(3);
    expect(messages(run.stderr)).toEqual([
      expect.stringMatching(new RegExp(`^${path}:2: warning: not valid JSON \\(.+\\); line skipped$`)),
    ]);
    expect(run.assessments).toEqual([expectedAssessment("Patient/a", [good])]);
    expect(run.stderr).toMatch(/; 1 warning$/m);
  });

  it("a truncated line that looks canonical is caught when it is read again", async () => {
    const dir = tempDir();
    const good = ihc("o1", "Patient/a", "3+");
    const truncated = JSON.stringify(ihc("o2", "Patient/a", "0")).slice(0, -20);
    const path = writeText(dir, "Observation.ndjson", `${JSON.stringify(good)}\n${truncated}\n`);
    const run = await runReview([path]);
    expect(run.result.exitCode).toBe(3);
    expect(messages(run.stderr)).toEqual([
      expect.stringMatching(new RegExp(`^${path}:2: warning: not valid JSON`)),
    ]);
    expect(run.assessments).toEqual([expectedAssessment("Patient/a", [good])]);
  });

  it("a subject reference nested in a component is not taken for the resource's patient", async () => {
    const dir = tempDir();
    const nested =
      '{"resourceType":"Observation","id":"n","code":{"text":"HER2 IHC"},"component":[{"subject":{"reference":"Patient/b"}}]}';
    const path = writeText(dir, "Observation.ndjson", `${JSON.stringify(patient("a"))}\n${nested}\n`);
    const run = await runReview([path]);
    expect(run.result.exitCode).toBe(3);
    expect(messages(run.stderr)).toEqual([
      `${path}:2: warning: Observation cannot be proven to belong to a patient (it has no subject or patient reference); skipped`,
    ]);
    expect(run.assessments.map((a) => a.patient)).toEqual(["Patient/a"]);
  });

  it("an Observation line that cannot matter is not parsed, unless it is cut short", async () => {
    const dir = tempDir();
    const lab = JSON.stringify(hemoglobin("h1", "Patient/a"));
    writeNdjson(dir, "Condition.ndjson", [breastCancer("c1", "Patient/a")]);
    const path = writeText(
      dir,
      "Observation.ndjson",
      `${lab}\n${lab.slice(0, -20)}\n${lab.replace('"final"', "final")}\n`,
    );
    const run = await runReview([dir]);
    expect(run.result.exitCode).toBe(3);
    // Line 3 is broken inside (an unquoted string) but has nothing the rules read, and the patient has other data
    // (the Condition): not parsed, so not reported.
    expect(messages(run.stderr)).toEqual([
      expect.stringMatching(new RegExp(`^${path}:2: warning: not valid JSON`)),
    ]);
    expect(run.assessments.map((a) => [a.patient, a.status])).toEqual([["Patient/a", "no-result"]]);
  });

  it("a patient whose only lines cannot matter has them checked: a broken line is reported, no patient is invented", async () => {
    const dir = tempDir();
    const lab = JSON.stringify(hemoglobin("h1", "Patient/c"));
    const path = writeText(dir, "Observation.ndjson", `${lab.replace('"final"', "final")}\n`);
    const run = await runReview([dir]);
    expect(run.result.exitCode).toBe(3);
    expect(messages(run.stderr)).toEqual([
      expect.stringMatching(new RegExp(`^${path}:1: warning: not valid JSON`)),
    ]);
    expect(run.assessments).toEqual([]);
  });

  it("a broken line says the same whichever pass reads it: one found when lines are read again too", async () => {
    const dir = tempDir();
    // The same cut twice: in a Condition the first pass parses (not canonical: a space), and in an Observation the
    // first pass files by string search and the second pass reads again.
    const condition = JSON.stringify(breastCancer("c1", "Patient/a")).replace(
      '{"resourceType"',
      '{ "resourceType"',
    );
    const observation = JSON.stringify(ihc("o1", "Patient/a", "3+"));
    const cut = (line: string): string => `${line.slice(0, line.lastIndexOf('"value'))}"valueString":3+"}`;
    const good = JSON.stringify(breastCancer("c0", "Patient/b"));
    const conditions = writeText(dir, "Condition.ndjson", `${good}\n${cut(condition)}\n`);
    const observations = writeText(dir, "Observation.ndjson", `${cut(observation)}\n`);
    const run = await runReview([dir]);
    const [first, second] = messages(run.stderr);
    expect(first).toMatch(new RegExp(`^${conditions}:2: warning: not valid JSON \\(`));
    expect(second).toMatch(new RegExp(`^${observations}:1: warning: not valid JSON \\(`));
    // The parser's own words in both, not the error's class name in one of them.
    const reason = (line = ""): string =>
      line.slice(line.indexOf("not valid JSON")).replace(/position \d+/, "");
    expect(reason(second)).toBe(reason(first));
  });

  it("a broken Patient line is reported at its line, even when its patient has other data", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Observation.ndjson", [ihc("o1", "Patient/a", "3+")]);
    const broken = JSON.stringify(patient("a")).replace('"female"', "female");
    const path = writeText(dir, "Patient.ndjson", `${JSON.stringify(patient("b"))}\n${broken}\n`);
    const run = await runReview([dir]);
    expect(run.result.exitCode).toBe(3);
    expect(messages(run.stderr)).toEqual([
      expect.stringMatching(new RegExp(`^${path}:2: warning: not valid JSON`)),
    ]);
    expect(run.assessments.map((a) => [a.patient, a.status])).toEqual([
      ["Patient/a", "positive"],
      ["Patient/b", "no-result"],
    ]);
  });

  it("a key spelt with a \\u escape is read as JSON.parse reads it: a repeated subject names the patient", async () => {
    const dir = tempDir();
    // JSON.parse decodes "subj\u0065ct" to "subject" and keeps the last of two: the result is Patient/z's.
    const line = JSON.stringify(ihc("o1", "Patient/a", "3+")).replace(
      /}$/,
      ',"subj\\u0065ct":{"reference":"Patient/z"}}',
    );
    writeText(dir, "Observation.ndjson", `${line}\n`);
    const run = await runReview([dir]);
    expect(run.result.exitCode).toBe(0);
    expect(messages(run.stderr)).toEqual([]);
    expect(run.assessments.map((a) => [a.patient, a.status])).toEqual([["Patient/z", "positive"]]);
  });

  it("a line with a contained resource is never deferred: a subject inside it is not taken for the line's patient", async () => {
    const dir = tempDir();
    const weight = {
      resourceType: "Observation",
      id: "w",
      status: "final",
      code: { text: "Body weight" },
      contained: [{ resourceType: "Specimen", id: "s", subject: { reference: "Patient/b" } }],
      valueQuantity: { value: 70, unit: "kg" },
    };
    const path = writeNdjson(dir, "Observation.ndjson", [weight]);
    const run = await runReview([dir]);
    // It names resourceType twice, so the first pass parses it (raw-scan.ts) and finds no patient of its own.
    expect(messages(run.stderr)).toEqual([
      `${path}:1: warning: Observation/w cannot be proven to belong to a patient (it has no subject or patient reference); skipped`,
    ]);
    expect(run.assessments).toEqual([]);
  });

  it("a line that names its resourceType twice is parsed (JSON.parse keeps the last one), not deferred", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Condition.ndjson", [breastCancer("c1", "Patient/a")]);
    const bone = JSON.stringify({
      ...breastCancer("c2", "Patient/a"),
      code: {
        coding: [
          {
            system: "http://snomed.info/sct",
            code: "94222008",
            display: "Secondary malignant neoplasm of bone",
          },
        ],
      },
    })
      .replace('{"resourceType":"Condition",', '{"resourceType":"Observation",')
      .replace(/}$/, ',"resourceType":"Condition"}');
    writeText(dir, "mixed.ndjson", `${bone}\n`);
    const run = await runReview([dir]);
    expect(run.assessments.map((a) => [a.patient, a.setting])).toEqual([["Patient/a", "metastatic"]]);
  });

  it("JSON that is not a FHIR resource, a resource without a patient, and a Medication without an id", async () => {
    const dir = tempDir();
    const path = writeNdjson(dir, "mixed.ndjson", [
      patient("a"),
      { hello: "world" },
      ihc("orphan", "Group/cohort-1", "3+"),
      { resourceType: "Observation", id: "nobody", status: "final", code: { text: "HER2" } },
      { resourceType: "Medication", code: { text: "trastuzumab" } },
    ]);
    const run = await runReview([path]);
    expect(run.result.exitCode).toBe(3);
    expect(messages(run.stderr)).toEqual([
      `${path}:2: warning: not a FHIR resource (no resourceType); line skipped`,
      `${path}:3: warning: Observation/orphan cannot be proven to belong to a patient (its subject "Group/cohort-1" names a Group, not a patient); skipped`,
      `${path}:4: warning: Observation/nobody cannot be proven to belong to a patient (it has no subject or patient reference); skipped`,
      `${path}:5: warning: Medication (no id) has no id, so no resource can reference it; skipped`,
    ]);
    expect(run.assessments.map((a) => a.patient)).toEqual(["Patient/a"]);
  });

  it("unknown or unused resource types are skipped with one note per type and file, naming the first line", async () => {
    const dir = tempDir();
    const path = writeNdjson(dir, "everything.ndjson", [
      { resourceType: "Encounter", id: "e1", subject: { reference: "Patient/a" } },
      patient("a"),
      { resourceType: "Encounter", id: "e2", subject: { reference: "Patient/a" } },
      { resourceType: "NotAFhirType", id: "x" },
    ]);
    const run = await runReview([path]);
    expect(run.result.exitCode).toBe(0);
    expect(messages(run.stderr)).toEqual([
      `${path}:1: note: skipped 2 Encounter resources (type not used by the HER2 rules), first here`,
      `${path}:4: note: skipped 1 NotAFhirType resource (type not used by the HER2 rules)`,
    ]);
    expect(run.assessments.map((a) => a.patient)).toEqual(["Patient/a"]);
  });

  it("a Bulk Data file of an unused type is skipped without being read", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("a")]);
    writeText(dir, "Claim.ndjson", "this file is never read\n");
    const run = await runReview([dir]);
    expect(run.result.exitCode).toBe(0);
    expect(messages(run.stderr)).toEqual([
      `${join(dir, "Claim.ndjson")}: note: skipped (Claim resources are not used by the HER2 rules)`,
    ]);
  });

  it("an empty file is a warning; the other inputs are still read", async () => {
    const dir = tempDir();
    writeText(dir, "Condition.ndjson", "");
    writeText(dir, "Specimen.ndjson", "\n  \n");
    writeNdjson(dir, "Patient.ndjson", [patient("a")]);
    const run = await runReview([dir]);
    expect(run.result.exitCode).toBe(0);
    expect(messages(run.stderr)).toEqual([
      `${join(dir, "Condition.ndjson")}: warning: empty file; nothing read`,
      `${join(dir, "Specimen.ndjson")}: warning: empty file; nothing read`,
    ]);
    expect(run.assessments.map((a) => a.patient)).toEqual(["Patient/a"]);
  });

  it("caps warnings per file and says how many were not shown", async () => {
    const dir = tempDir();
    const path = writeText(
      dir,
      "Observation.ndjson",
      `${JSON.stringify(patient("a"))}\n${"oops\n".repeat(25)}`,
    );
    const run = await runReview([path]);
    const shown = messages(run.stderr);
    expect(shown).toHaveLength(21);
    expect(shown.at(-1)).toBe(`${path}: warning: 5 more warnings like these were not shown`);
    expect(run.stderr).toMatch(/; 25 warnings$/m);
  });

  it("also says how many of the warnings found when lines are read again were not shown", async () => {
    // Canonical-looking lines cut short: indexed by the first pass, caught by the second (after the file's end).
    const dir = tempDir();
    const truncated = Array.from({ length: 25 }, (_, i) =>
      JSON.stringify(ihc(`cut${i}`, `Patient/p${i}`, "0")).slice(0, -20),
    );
    const path = writeText(
      dir,
      "Observation.ndjson",
      `${JSON.stringify(ihc("o", "Patient/a", "3+"))}\n${truncated.join("\n")}\n`,
    );
    const run = await runReview([path]);
    const shown = messages(run.stderr);
    expect(shown.filter((l) => l.includes("not valid JSON"))).toHaveLength(20);
    expect(shown.at(-1)).toBe(`${path}: warning: 5 more warnings like these were not shown`);
    expect(run.stderr).toMatch(/; 25 warnings$/m);
  });
});

describe("usage errors and files that are not FHIR: one line on stderr, exit 2, nothing on stdout", () => {
  async function expectExit2(inputs: string[], message: RegExp): Promise<void> {
    const run = await runReview(inputs);
    expect(run.result.exitCode).toBe(2);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  }

  it("a missing file, even next to good inputs", async () => {
    const dir = tempDir();
    const good = writeNdjson(dir, "Patient.ndjson", [patient("a")]);
    await expectExit2(
      [good, join(dir, "missing.ndjson")],
      /^her2: no such file or folder: .*missing\.ndjson$/,
    );
  });

  it("a folder without FHIR files", async () => {
    const dir = tempDir();
    writeText(dir, "notes.txt", "hello");
    await expectExit2([dir], /^her2: no \.ndjson, \.jsonl or \.json file in folder: /);
  });

  it("an NDJSON file in which no line is FHIR (a CSV, say)", async () => {
    const dir = tempDir();
    const path = writeText(dir, "patients.ndjson", "id,name\n1,Ann\n2,Bea\n");
    await expectExit2(
      [path],
      new RegExp(`^her2: ${path}: not FHIR NDJSON: no line is a FHIR resource \\(line 1: not valid JSON`),
    );
  });

  it("a .json file that is not JSON, and one that is JSON but not FHIR", async () => {
    const dir = tempDir();
    await expectExit2(
      [writeText(dir, "broken.json", '{"resourceType": "Bundle", ')],
      /^her2: .*broken\.json: not FHIR JSON or NDJSON \(/,
    );
    await expectExit2(
      [writeJson(dir, "config.json", { port: 8080 })],
      /^her2: .*config\.json: no resourceType: not a FHIR resource or Bundle$/,
    );
  });

  it("a Bulk Data manifest named on the command line (inside a folder it is skipped with a note)", async () => {
    const dir = tempDir();
    const manifest = {
      transactionTime: "2026-11-25T00:00:00Z",
      request: "x",
      output: [{ type: "Patient", url: "Patient.ndjson" }],
    };
    const path = writeJson(dir, "manifest.json", manifest);
    await expectExit2(
      [path],
      /manifest\.json: a Bulk Data manifest, not FHIR data: pass the export folder instead$/,
    );

    writeNdjson(dir, "Patient.ndjson", [patient("a")]);
    const run = await runReview([dir]);
    expect(run.result.exitCode).toBe(0);
    expect(run.stderr).toContain(`${path}: note: skipped: a Bulk Data manifest`);
    expect(run.assessments.map((a) => a.patient)).toEqual(["Patient/a"]);
  });
});
