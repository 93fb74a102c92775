// @vitest-environment node
/**
 * Issue 16 points 6 and 7: one bad file never aborts the run, and no patient's data is lost without a word. Each input
 * kind below stopped the run, crashed it, or dropped resources silently before.
 */
import { mkdirSync, rmSync, symlinkSync } from "node:fs";
import { Diagnostics } from "../../src/cli/diagnostics";
import { firstPass } from "../../src/cli/first-pass";
import { PatientIndex } from "../../src/cli/grouping";
import { discoverInputs } from "../../src/cli/inputs";
import { EMPTY_CODE_MAP } from "../../src/fhir/code-map";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  bundle,
  expectedAssessment,
  ihc,
  patient,
  runReview,
  Sink,
  tempDir,
  writeNdjson,
  writeText,
} from "./helpers";

describe("no silent population loss (NDJSON lines the scan and JSON.parse must read alike)", () => {
  it.each([
    ["compact", (value: unknown) => JSON.stringify(value)],
    ["spaced", (value: unknown) => JSON.stringify(value, null, 1).replace(/\n/g, "")],
  ])("a %s Bundle on an NDJSON line is read as its entries", async (_, write) => {
    const dir = tempDir();
    const result = ihc("o1", "Patient/a", "3+");
    const path = writeText(dir, "Bundle.ndjson", `${write(bundle("collection", [{ resource: result }]))}\n`);
    const run = await runReview([path]);
    expect(run.assessments).toEqual([expectedAssessment("Patient/a", [result])]);
  });

  it("a line whose first resourceType is unused but whose last (the one JSON.parse keeps) is an Observation", async () => {
    const dir = tempDir();
    const result = ihc("o1", "Patient/a", "3+");
    const text = JSON.stringify(result).replace(
      '{"resourceType":"Observation",',
      '{"resourceType":"Encounter",',
    );
    const line = text.replace(/}$/, ',"resourceType":"Observation"}');
    const path = writeText(dir, "mixed.ndjson", `${line}\n`);
    const run = await runReview([path]);
    expect(run.assessments.map((a) => a.patient)).toEqual(["Patient/a"]);
    expect(run.assessments[0]?.status).toBe("positive");
  });
});

describe("one bad file never aborts the run: a warning with its path, every other patient printed", () => {
  it("a dangling symlink and a looping symlink in a folder", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Observation.ndjson", [ihc("o1", "Patient/a", "3+")]);
    symlinkSync(join(dir, "gone.ndjson"), join(dir, "Dangling.ndjson"));
    symlinkSync(join(dir, "Loop.ndjson"), join(dir, "Loop.ndjson"));
    const run = await runReview([dir]);
    expect(run.result.exitCode).toBe(3);
    expect(run.assessments.map((a) => a.patient)).toEqual(["Patient/a"]);
    expect(run.stderr).toContain(`${join(dir, "Dangling.ndjson")}: warning: cannot be read`);
    expect(run.stderr).toContain(`${join(dir, "Loop.ndjson")}: warning: cannot be read`);
  });

  it("a folder named like a FHIR file is a warning, not silently passed over", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Observation.ndjson", [ihc("o1", "Patient/a", "3+")]);
    mkdirSync(join(dir, "odd.json"));
    const run = await runReview([dir]);
    expect(run.result.exitCode).toBe(3);
    expect(run.assessments.map((a) => a.patient)).toEqual(["Patient/a"]);
    expect(run.stderr).toContain(`${join(dir, "odd.json")}: warning: a folder, not a file; not read`);
  });

  it("a Bundle nested deeper than any stack is a warning; the other files are still read", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Observation.ndjson", [ihc("o1", "Patient/a", "3+")]);
    let nested = '{"resourceType":"Bundle","type":"collection","entry":[]}';
    for (let i = 0; i < 50_000; i++)
      nested = `{"resourceType":"Bundle","type":"collection","entry":[{"resource":${nested}}]}`;
    writeText(dir, "deep.json", nested);
    const run = await runReview([dir]);
    expect(run.assessments.map((a) => a.patient)).toEqual(["Patient/a"]);
    expect(run.stderr).toMatch(/deep\.json.*warning: .*nested/);
  });

  it("a resource nested deeper than any stack is read without a crash", async () => {
    const dir = tempDir();
    let deep = "{}";
    for (let i = 0; i < 50_000; i++) deep = `{"a":${deep}}`;
    const withDeepExtension = JSON.stringify(ihc("o2", "Patient/b", "0")).replace(/}$/, `,"x":${deep}}`);
    const document = JSON.stringify(
      bundle("collection", [{ fullUrl: "urn:uuid:1", resource: patient("b") }]),
    ).replace('"entry":[', `"entry":[{"resource":${withDeepExtension}},`);
    writeText(dir, "b.json", document);
    writeNdjson(dir, "Observation.ndjson", [ihc("o1", "Patient/a", "3+")]);
    const run = await runReview([dir]);
    expect(run.assessments.map((a) => a.patient)).toEqual(["Patient/a", "Patient/b"]);
  });
});

describe("a file that vanishes after it was listed", () => {
  it("is a warning counted as skipped; the other files are still indexed", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Observation.ndjson", [ihc("o1", "Patient/a", "3+")]);
    const gone = writeNdjson(dir, "Condition.ndjson", [ihc("o2", "Patient/b", "0")]);
    const goneJson = writeText(dir, "gone.json", "{}");
    const files = discoverInputs([dir]);
    rmSync(gone);
    rmSync(goneJson);
    const stderr = new Sink();
    const diagnostics = new Diagnostics(stderr);
    const index = new PatientIndex();
    await firstPass(files, {
      index,
      shared: new Map(),
      diagnostics,
      codeMap: EMPTY_CODE_MAP,
      resources: 0,
      onBundleGrouped: () => undefined,
      onBytes: () => undefined,
      onLine: undefined,
    });
    index.finish();
    expect([...index.groups()].map((g) => g.key)).toEqual(["Patient/a"]);
    expect(stderr.text).toContain(`${gone}: warning: cannot be read (ENOENT`);
    expect(stderr.text).toContain(`${goneJson}: warning: cannot be read (ENOENT`);
    expect(diagnostics.skipped).toBe(2);
    index.close();
  });
});
