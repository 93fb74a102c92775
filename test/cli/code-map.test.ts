// @vitest-environment node
/** `--code-map <file>`: a site's local HER2 codes reach the review's normalisation, as they reach the app's. */
import type { Observation } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { parseArgs } from "../../src/cli/args";
import { AS_OF, patient, runReview, Sink, tempDir, writeJson, writeNdjson, writeText } from "./helpers";

const LOCAL_LAB = "urn:oid:1.2.840.114350.1.13.861.1.7.2.768282";

/** An Epic-style result under a local code only: its text does not name HER2, so only the code map identifies it. */
function localIhc(id: string, subject: string, score: string): Observation {
  return {
    resourceType: "Observation",
    id,
    status: "final",
    code: { coding: [{ system: LOCAL_LAB, code: "768282-11", display: "IHC SCORE (LAB 11)" }] },
    subject: { reference: subject },
    effectiveDateTime: "2026-03-02",
    valueString: score,
  };
}

const CODE_MAP = {
  description: "Example Health (Epic)",
  observations: [{ system: LOCAL_LAB, code: "768282-11", concept: "ihc", display: "HER2 IHC SCORE" }],
};

describe("her2 review --code-map", () => {
  it("reads results under the site's local codes; without the map the same patient has no HER2 result", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("a")]);
    writeNdjson(dir, "Observation.ndjson", [localIhc("o1", "Patient/a", "3+")]);
    const codeMapFile = writeJson(tempDir(), "code-map.json", CODE_MAP);

    const without = await runReview([dir]);
    expect(without.assessments.map((a) => a.status)).toEqual(["no-result"]);

    const withMap = await runReview([dir], { codeMapFile });
    expect(withMap.result.exitCode).toBe(0);
    expect(withMap.assessments.map((a) => [a.status, a.evidence.map((e) => e.resource)])).toEqual([
      ["positive", ["Observation/o1"]],
    ]);
    expect(withMap.assessments[0]?.evidence[0]?.readAs).toMatch(
      /local code 768282-11 \(institution code map\)/,
    );
  });

  it.each([
    [
      "a missing file",
      (dir: string) => `${dir}/missing.json`,
      /^her2: code map .*missing\.json: cannot be read/,
    ],
    ["a file that is not JSON", (dir: string) => writeText(dir, "map.json", "{oops"), /: not JSON \(/],
    [
      "an invalid code map (a misspelt concept)",
      (dir: string) =>
        writeJson(dir, "map.json", {
          observations: [{ system: LOCAL_LAB, code: "1", concept: "ihc-score" }],
        }),
      /: Invalid code map: codeMap\.observations\[0\]\.concept: expected one of/,
    ],
  ])("stops with exit 2 and nothing on stdout for %s", async (_label, makeFile, expected) => {
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("a")]);
    const run = await runReview([dir], { codeMapFile: makeFile(tempDir()) });
    expect(run.result.exitCode).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(expected)]);
  });

  it("given twice is a usage error (exit 2), not the last file silently winning", () => {
    const io = { stdout: new Sink(), stderr: new Sink() };
    const parsed = parseArgs(["review", "x/", "--code-map", "a.json", "--code-map", "b.json"], io, AS_OF);
    expect(parsed).toEqual({ kind: "exit", code: 2 });
    expect(io.stderr.text).toMatch(/^her2: .*--code-map.*once/);
  });

  it("is an option of the command line", () => {
    const io = { stdout: new Sink(), stderr: new Sink() };
    const parsed = parseArgs(["review", "export/", "--code-map", "site.json"], io, AS_OF);
    expect(parsed).toMatchObject({ kind: "review", options: { codeMapFile: "site.json" } });
  });
});
