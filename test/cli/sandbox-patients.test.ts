// @vitest-environment node
/**
 * Shared check with the app: for the sandbox's synthetic patient Bundles, the CLI's assessments equal
 * `assess(buildPatientInput(...))` for the same resources, and give the status, category, setting and flags that the
 * sandbox manifest expects for each scenario.
 */
import type { Bundle, Resource } from "fhir/r4";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectedAssessment, runReview } from "./helpers";

const folder = join(import.meta.dirname, "../../sandbox/patients");

interface ManifestRow {
  id: string;
  file: string;
  expected: { status: string; category: string; setting: string; flags: string[] };
}
const manifest = JSON.parse(readFileSync(join(folder, "index.json"), "utf8")) as {
  asOf: string;
  patients: ManifestRow[];
};

/** The Bundle's resources with `fullUrl` references replaced by `Type/id`, done here by plain text replacement. */
function resourcesOf(file: string): Resource[] {
  let text = readFileSync(join(folder, file), "utf8");
  const bundle = JSON.parse(text) as Bundle;
  for (const entry of bundle.entry ?? []) {
    if (entry.fullUrl && entry.resource?.id) {
      text = text.replaceAll(`"${entry.fullUrl}"`, `"${entry.resource.resourceType}/${entry.resource.id}"`);
    }
  }
  return ((JSON.parse(text) as Bundle).entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
}

describe("sandbox patients through the CLI", async () => {
  const run = await runReview([folder], { asOf: manifest.asOf });
  const byPatient = new Map(run.assessments.map((a) => [a.patient, a]));

  it("reads the folder (index.json is skipped with a note) and assesses every patient", () => {
    expect(run.result.exitCode).toBe(0);
    expect(run.stderr).toContain("index.json: note: skipped");
    expect([...byPatient.keys()].sort()).toEqual(manifest.patients.map((p) => `Patient/${p.id}`).sort());
  });

  for (const row of manifest.patients) {
    it(`${row.id}: same assessment as the app's modules give`, () => {
      expect(byPatient.get(`Patient/${row.id}`)).toEqual(
        expectedAssessment(`Patient/${row.id}`, resourcesOf(row.file), manifest.asOf),
      );
    });

    // The manifest's expectations are written from the guideline for each scenario.
    it(`${row.id}: status, category, setting and flags as the sandbox manifest expects`, () => {
      const a = byPatient.get(`Patient/${row.id}`);
      expect({
        status: a?.status,
        category: a?.category,
        setting: a?.setting,
        flags: [...new Set(a?.flags.map((f) => f.code))].sort(),
      }).toEqual({ ...row.expected, flags: [...row.expected.flags].sort() });
    });
  }
});
