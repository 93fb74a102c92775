// @vitest-environment node
/**
 * Shared check with the app: for the sandbox's synthetic patient Bundles, the CLI's assessments equal
 * `assess(buildPatientInput(...))` for the same resources. (Whether those assessments match the manifest's expected
 * values is the rules' and the sandbox's own tests' concern, through the same modules.)
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
      const resources = resourcesOf(row.file).filter(
        (r) =>
          r.resourceType !== "Medication" ||
          JSON.stringify(resourcesOf(row.file)).includes(`"Medication/${r.id}"`),
      );
      expect(byPatient.get(`Patient/${row.id}`)).toEqual(
        expectedAssessment(`Patient/${row.id}`, resources, manifest.asOf),
      );
    });
  }
});
