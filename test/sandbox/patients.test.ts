// @vitest-environment node
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateResource } from "@medplum/core";
import type { Resource } from "@medplum/fhirtypes";
import { beforeAll, describe, expect, it } from "vitest";
import { type FhirStore, indexFhirDefinitions, loadFhirStore } from "../../sandbox/fhir-store";
import { readManifest } from "../../sandbox/manifest";
import { FLAG_CODES } from "../../src/domain/codes";

const DIR = "sandbox/patients";
const manifest = readManifest(join(DIR, "index.json"));

interface Entry {
  fullUrl?: string;
  resource: Resource & Record<string, unknown>;
}
const bundleOf = (file: string): { type: string; entry: Entry[] } =>
  JSON.parse(readFileSync(join(DIR, file), "utf8")) as { type: string; entry: Entry[] };

let store: FhirStore;
beforeAll(async () => {
  store = await loadFhirStore(DIR);
});

describe("patient files", () => {
  it("loads every file, and the manifest lists every file", () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith(".json") && f !== "index.json");
    expect([...store.loadedByFile.keys()].sort()).toEqual(files.sort());
    expect(manifest.patients.map((p) => p.file).sort()).toEqual(files.sort());
  });

  it("has one patient per file, whose name and birth date match the manifest", async () => {
    for (const entry of manifest.patients) {
      const patients = bundleOf(entry.file).entry.filter((e) => e.resource.resourceType === "Patient");
      expect(
        patients.map((p) => p.resource.id),
        entry.file,
      ).toEqual([entry.id]);
      const patient = await store.repo.readResource<
        Resource & { name: { text: string }[]; birthDate: string }
      >("Patient", entry.id);
      expect(patient.name[0]?.text).toBe(entry.name);
      expect(patient.birthDate).toBe(entry.birthDate);
    }
  });

  it("gives every resource a unique id, so no file overwrites another", () => {
    const all = manifest.patients.flatMap((p) =>
      bundleOf(p.file).entry.map((e) => `${e.resource.resourceType}/${e.resource.id ?? ""}`),
    );
    expect(new Set(all).size).toBe(all.length);
    const loaded = [...store.loadedByFile.values()].reduce((a, b) => a + b, 0);
    expect(loaded).toBe(all.length);
  });

  it("keeps every resource in its own patient's compartment after urn:uuid references are rewritten", async () => {
    for (const entry of manifest.patients) {
      for (const type of [
        "Observation",
        "Condition",
        "Specimen",
        "MedicationRequest",
        "MedicationStatement",
      ]) {
        const found = await store.repo.searchResources({ resourceType: type as "Observation" });
        const mine = bundleOf(entry.file)
          .entry.filter((e) => e.resource.resourceType === type)
          .map((e) => e.resource.id);
        for (const resource of found.filter((r) => mine.includes(r.id))) {
          expect(
            (resource as { subject?: { reference?: string } }).subject?.reference,
            `${type}/${resource.id}`,
          ).toBe(`Patient/${entry.id}`);
        }
      }
    }
  });

  it("is valid FHIR R4 once loaded (Medplum's validator against the base StructureDefinitions)", async () => {
    indexFhirDefinitions();
    const problems: string[] = [];
    for (const entry of manifest.patients) {
      for (const { resource } of bundleOf(entry.file).entry) {
        const loaded = await store.repo.readResource(resource.resourceType, resource.id ?? "");
        try {
          validateResource(loaded);
        } catch (error) {
          problems.push(`${entry.file} ${resource.resourceType}/${resource.id ?? ""}: ${String(error)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("describes specimens with an accession number, a body site and a collection date", () => {
    const specimens = manifest.patients.flatMap((p) =>
      bundleOf(p.file).entry.filter((e) => e.resource.resourceType === "Specimen"),
    );
    expect(specimens.length).toBeGreaterThan(20);
    for (const { resource } of specimens) {
      expect(resource).toMatchObject({
        accessionIdentifier: { value: expect.any(String) as unknown },
        collection: {
          collectedDateTime: expect.any(String) as unknown,
          bodySite: expect.anything() as unknown,
        },
      });
    }
  });

  it("uses each HER2 LOINC code of the brief somewhere", () => {
    const codes = new Set(
      manifest.patients.flatMap((p) =>
        bundleOf(p.file)
          .entry.filter((e) => e.resource.resourceType === "Observation")
          .flatMap((e) => {
            const o = e.resource as {
              code: { coding?: { code?: string }[] };
              component?: { code: { coding?: { code?: string }[] } }[];
            };
            return [o.code, ...(o.component ?? []).map((c) => c.code)].flatMap((c) =>
              (c.coding ?? []).map((x) => x.code),
            );
          }),
      ),
    );
    for (const code of [
      "85319-2",
      "18474-7",
      "85318-4",
      "31150-6",
      "49683-6",
      "74860-8",
      "74861-6",
      "48676-1",
    ]) {
      expect(codes, code).toContain(code);
    }
  });
});

describe("manifest coverage (HER2-GUIDELINE.md, DESIGN.md flag table)", () => {
  it("is documented: the README table has a row for every patient with its expected status", () => {
    const readme = readFileSync("sandbox/README.md", "utf8");
    for (const p of manifest.patients) {
      const row = readme.split("\n").find((line) => line.startsWith(`| \`${p.id}\``));
      expect(row, p.id).toBeDefined();
      expect(row).toContain(`${p.expected.status} / ${p.expected.category} / ${p.expected.setting}`);
    }
  });

  it("has at least one patient for every flag, status and setting", () => {
    const flags = new Set(manifest.patients.flatMap((p) => p.expected.flags));
    // The domain's list: a flag added to the rules needs a sandbox patient that raises it.
    for (const flag of FLAG_CODES) {
      expect(flags, flag).toContain(flag);
    }
    const statuses = new Set(manifest.patients.map((p) => p.expected.status));
    expect([...statuses].sort()).toEqual(["equivocal", "indeterminate", "negative", "no-result", "positive"]);
    const categories = new Set(manifest.patients.map((p) => p.expected.category));
    expect([...categories].sort()).toEqual([
      "her2-0",
      "her2-low",
      "her2-negative",
      "her2-positive",
      "her2-ultralow",
      "unknown",
    ]);
    // "unknown": no invasive cancer on record (her2-dcis-only; rules 2.0.0).
    expect(new Set(manifest.patients.map((p) => p.expected.setting))).toEqual(
      new Set(["early", "metastatic", "unknown"]),
    );
  });

  /** Dual-probe ISH group from the 2018 table, written here from the guideline (thresholds inclusive). */
  const ishGroup = (ratio: number, copies: number): number =>
    ratio >= 2 ? (copies >= 4 ? 1 : 2) : copies >= 6 ? 3 : copies >= 4 ? 4 : 5;

  it("puts ratio and copy numbers in the ISH group that each patient's id and scenario name", () => {
    const valueOf = (entries: Entry[], code: string): number | undefined => {
      for (const { resource } of entries) {
        const o = resource as {
          resourceType: string;
          code?: { coding?: { code?: string }[] };
          valueQuantity?: { value?: number };
          component?: { code: { coding?: { code?: string }[] }; valueQuantity?: { value?: number } }[];
        };
        if (o.resourceType !== "Observation") continue;
        if (o.code?.coding?.some((c) => c.code === code)) return o.valueQuantity?.value;
        const component = o.component?.find((c) => c.code.coding?.some((x) => x.code === code));
        if (component) return component.valueQuantity?.value;
      }
      return undefined;
    };
    let checked = 0;
    for (const p of manifest.patients) {
      const entries = bundleOf(p.file).entry;
      const ratio = valueOf(entries, "49683-6");
      const copies = valueOf(entries, "74860-8");
      if (ratio === undefined || copies === undefined) continue;
      const group = ishGroup(ratio, copies);
      const named = /-g(\d)-/.exec(p.id)?.[1];
      if (named !== undefined) expect(group, p.id).toBe(Number(named));
      expect(p.scenario, p.id).toContain(`group ${group}`);
      checked += 1;
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });
});

describe("manifest maxPageSize", () => {
  const withPageSize = (maxPageSize: unknown): string => {
    const raw = JSON.parse(readFileSync(join(DIR, "index.json"), "utf8")) as { patients: object[] };
    raw.patients = [{ ...raw.patients[0], maxPageSize }];
    const path = join(mkdtempSync(join(tmpdir(), "her2-manifest-")), "index.json");
    writeFileSync(path, JSON.stringify(raw));
    return path;
  };

  it("is read for her2-paged, the patient whose HER2 search must span pages", () => {
    expect(manifest.patients.find((p) => p.id === "her2-paged")?.maxPageSize).toBe(2);
    expect(readManifest(withPageSize(3)).patients[0]?.maxPageSize).toBe(3);
  });

  it.each([0, -1, 1.5, "2"])("refuses maxPageSize %j", (value) => {
    expect(() => readManifest(withPageSize(value))).toThrow(/maxPageSize must be a whole number above 0/);
  });
});
