// @vitest-environment node
/**
 * The first pass over exported files scanned while they downloaded (src/cli/export-prescan.ts): the review of a folder
 * from those scans is the review of the folder read as usual, messages included, and a file that changed after its
 * scan is read again.
 */
import { appendFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { EMPTY_CODE_MAP } from "../../src/fhir/code-map";
import { type PrescannedFiles, startExportPrescan } from "../../src/cli/export-prescan";
import {
  breastCancer,
  hemoglobin,
  ihc,
  medicationRequest,
  patient,
  runReview,
  specimen,
  tempDir,
  trastuzumab,
  writeJson,
  writeNdjson,
  writeText,
} from "./helpers";

/** A Bulk Data style folder with the awkward lines the first pass reports, and ordinary patients. */
function exportFolder(): { dir: string; paths: string[] } {
  const dir = tempDir();
  const paths = [
    writeNdjson(dir, "Condition.000.ndjson", [
      breastCancer("c1", "Patient/p1"),
      breastCancer("c2", "Patient/p2"),
    ]),
    writeNdjson(dir, "Medication.000.ndjson", [trastuzumab("m1")]),
    writeNdjson(dir, "MedicationRequest.000.ndjson", [
      medicationRequest("mr1", "Patient/p1", "Medication/m1"),
    ]),
    // Problems before the first FHIR line (held back until one is seen), blank lines, a type the rules do not read,
    // a line that is not a resource, a resource without a patient, and a last line without its newline.
    writeText(
      dir,
      "Observation.000.ndjson",
      [
        "{not json",
        "",
        JSON.stringify(ihc("o1", "Patient/p1", "3+")),
        JSON.stringify(hemoglobin("o2", "Patient/p2")),
        JSON.stringify({ resourceType: "Encounter", id: "e1", subject: { reference: "Patient/p1" } }),
        '["an array"]',
        JSON.stringify({ ...ihc("o3", "Patient/p2", "2+"), subject: undefined }),
        "   ",
        JSON.stringify(ihc("o4", "Patient/p2", "1+")),
      ].join("\n"),
    ),
    writeNdjson(dir, "Patient.000.ndjson", [patient("p1"), patient("p2"), patient("p3")]),
    writeNdjson(dir, "Specimen.000.ndjson", [specimen("s1", "Patient/p1")]),
  ];
  return { dir, paths };
}

async function prescan(paths: readonly string[], worker = false): Promise<PrescannedFiles> {
  const scan = startExportPrescan(EMPTY_CODE_MAP, worker);
  for (const path of paths) scan.add(path);
  return scan.done();
}

describe("the first pass from an export's scans (her2 review --from)", () => {
  it.each([
    ["on the main thread", false],
    ["in a scan worker", true],
  ])(
    "gives the review of the folder read as usual, scanned %s: the same output, warnings and summary",
    async (_, worker) => {
      const { dir, paths } = exportFolder();
      const plain = await runReview([dir], {}, { workers: 0 });
      expect(plain.stderr).toContain("not valid JSON");
      const prescanned = await prescan(paths, worker);
      expect(prescanned.size).toBe(paths.length);
      const used = vi.spyOn(prescanned, "resultFor");
      const fromScans = await runReview([dir], {}, { workers: 0, prescanned });
      expect(used.mock.results.filter((r) => r.value !== undefined)).toHaveLength(paths.length);
      expect(fromScans.stdout).toBe(plain.stdout);
      expect(fromScans.stderr).toBe(plain.stderr);
      const counts = ({ exitCode, patients, resources, warnings }: typeof plain.result): number[] => [
        exitCode,
        patients,
        resources,
        warnings,
      ];
      expect(counts(fromScans.result)).toEqual(counts(plain.result));
      expect(fromScans.assessments.map((a) => a.patient)).toEqual(["Patient/p1", "Patient/p2", "Patient/p3"]);
    },
  );

  it("with worker threads too (no scan worker is started for files already scanned)", async () => {
    const { dir, paths } = exportFolder();
    const tuning = { workers: 1, parallelFrom: 1, parallelScanFromBytes: 1 };
    const plain = await runReview([dir], {}, tuning);
    const fromScans = await runReview([dir], {}, { ...tuning, prescanned: await prescan(paths) });
    expect(plain.result.scanWorkers).toBe(1);
    expect(fromScans.result.scanWorkers).toBe(0);
    expect(fromScans.stdout).toBe(plain.stdout);
    expect(fromScans.stderr).toBe(plain.stderr);
  });

  it("reads a file again that changed after its scan, and one that was never scanned", async () => {
    const { dir, paths } = exportFolder();
    const prescanned = await prescan(paths.filter((p) => !p.endsWith("Specimen.000.ndjson")));
    // Grown after its scan: the scan no longer describes it.
    appendFileSync(join(dir, "Patient.000.ndjson"), `${JSON.stringify(patient("p4"))}\n`);
    // Same size, other content (c1 moves from p1 to p3): caught by its modification time.
    const conditions = join(dir, "Condition.000.ndjson");
    writeFileSync(
      conditions,
      [breastCancer("c1", "Patient/p3"), breastCancer("c2", "Patient/p2")]
        .map((r) => JSON.stringify(r))
        .join("\n") + "\n",
    );
    const now = new Date(Date.now() + 5_000);
    utimesSync(conditions, now, now);
    const plain = await runReview([dir], {}, { workers: 0 });
    const fromScans = await runReview([dir], {}, { workers: 0, prescanned });
    expect(plain.assessments.map((a) => a.patient)).toContain("Patient/p4");
    expect(fromScans.stdout).toBe(plain.stdout);
    expect(fromScans.stderr).toBe(plain.stderr);
  });

  it("is not used by a review with another code map than the one the files were scanned with", async () => {
    // A result under a local code only: without the map its line is left unread (deferred) by the first pass.
    const dir = tempDir();
    const local = {
      ...ihc("o5", "Patient/p5", "3+"),
      code: { coding: [{ system: "urn:oid:1.2.3.4", code: "LAB-11", display: "IHC SCORE (LAB 11)" }] },
    };
    const paths = [
      writeNdjson(dir, "Condition.000.ndjson", [breastCancer("c5", "Patient/p5")]),
      writeNdjson(dir, "Observation.000.ndjson", [local]),
      writeNdjson(dir, "Patient.000.ndjson", [patient("p5")]),
    ];
    const codeMapFile = writeJson(tempDir(), "code-map.json", {
      description: "Example Health",
      observations: [
        { system: "urn:oid:1.2.3.4", code: "LAB-11", concept: "ihc", display: "HER2 IHC SCORE" },
      ],
    });
    const prescanned = await prescan(paths);
    const used = vi.spyOn(prescanned, "resultFor");
    const plain = await runReview([dir], { codeMapFile }, { workers: 0 });
    const fromScans = await runReview([dir], { codeMapFile }, { workers: 0, prescanned });
    expect(plain.assessments.map((a) => a.status)).toEqual(["positive"]);
    expect(used).not.toHaveBeenCalled();
    expect(fromScans.stdout).toBe(plain.stdout);
  });
});
