// @vitest-environment node
/**
 * Seeded fuzzing of the sandbox's patient Bundles through the CLI (issue 16): subjects swapped to other patients and
 * to every unprovable reference form, ids duplicated, fields of the wrong type, fields deleted. For every run: no
 * crash, every input patient is in the output or named in a warning, and no resource of another patient reaches an
 * assessment's evidence, in the CLI or in the app's normalise + rules.
 */
import type { Bundle, Resource } from "fhir/r4";
import fc from "fast-check";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assess } from "../../src/domain";
import { buildPatientInput } from "../../src/fhir/normalise";
import { AS_OF, runReview, tempDir, writeJson } from "./helpers";

const folder = join(import.meta.dirname, "../../sandbox/patients");
const BUNDLES: Bundle[] = readdirSync(folder)
  .filter((f) => f.startsWith("her2-") && f.endsWith(".json"))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(folder, f), "utf8")) as Bundle);

type Json = Record<string, unknown>;

/** What a mutation does to one entry's resource; `other` is another Bundle's patient id. */
const MUTATIONS: ((resource: Json, other: string) => void)[] = [
  (r, other) => (r["subject"] = { reference: `Patient/${other}` }),
  (r, other) => (r["subject"] = { display: other }),
  (r, other) => (r["subject"] = { identifier: { value: other } }),
  (r) => (r["subject"] = { reference: "#p" }),
  (r) => (r["subject"] = { reference: "Group/g1" }),
  (r, other) => (r["subject"] = { reference: `https://elsewhere.example/fhir/Patient/${other}` }),
  (r, other) => (r["subject"] = { reference: `patient/${other}` }),
  (r) => (r["subject"] = { reference: "urn:uuid:00000000-0000-0000-0000-000000000000" }),
  (r) => (r["subject"] = { reference: "Patient?identifier=x|1" }),
  (r) => delete r["subject"],
  (r) => delete r["code"],
  (r) => delete r["id"],
  (r) => (r["code"] = "85319-2"),
  (r) => (r["valueString"] = 3),
  (r) => (r["bodySite"] = { text: 5 }),
  (r) => (r["effectiveDateTime"] = ["2026-01-01"]),
  (r) => (r["subject"] = "Patient/x"),
  (r) => (r["note"] = [null]),
];

interface Mutation {
  bundle: number;
  entry: number;
  kind: number;
  other: number;
  /** Also add a copy of the entry (before the mutation): a duplicate id, identical or not. */
  duplicate: boolean;
}

function patientOf(bundle: Bundle): { id: string; fullUrl: string | undefined } {
  const entry = (bundle.entry ?? []).find((e) => e.resource?.resourceType === "Patient");
  return { id: entry?.resource?.id ?? "", fullUrl: entry?.fullUrl };
}

function mutate(chosen: number[], mutations: Mutation[]): Bundle[] {
  const bundles = chosen.map((i) => structuredClone(BUNDLES[i % BUNDLES.length] as Bundle));
  for (const m of mutations) {
    const bundle = bundles[m.bundle % bundles.length];
    const entries = bundle?.entry ?? [];
    const entry = entries[m.entry % Math.max(entries.length, 1)];
    if (!entry?.resource || entry.resource.resourceType === "Patient") continue;
    if (m.duplicate) entries.push(structuredClone(entry));
    const other = patientOf(BUNDLES[m.other % BUNDLES.length] as Bundle).id;
    MUTATIONS[m.kind % MUTATIONS.length]?.(entry.resource as unknown as Json, other);
  }
  return bundles;
}

/** `Type/id` -> the patient ids its copies name (a reference to the Bundle's Patient fullUrl or `Patient/<id>`). */
function ownersOf(bundles: readonly Bundle[]): Map<string, Set<string>> {
  const owners = new Map<string, Set<string>>();
  for (const bundle of bundles) {
    const fullUrls = new Map<string, string>();
    for (const e of bundle.entry ?? []) {
      if (e.fullUrl && e.resource?.id) fullUrls.set(e.fullUrl, `${e.resource.resourceType}/${e.resource.id}`);
    }
    for (const e of bundle.entry ?? []) {
      const r = e.resource;
      if (!r) continue;
      const raw = ((r as { subject?: unknown }).subject as { reference?: unknown } | undefined)?.reference;
      const reference = typeof raw === "string" ? (fullUrls.get(raw) ?? raw) : undefined;
      // As a transaction entry to be created, an entry without an id is named by its fullUrl's uuid.
      const id = r.id ?? /^urn:uuid:(.+)$/.exec(e.fullUrl ?? "")?.[1] ?? "(no id)";
      const ref = `${r.resourceType}/${id}`;
      const set = owners.get(ref) ?? new Set<string>();
      if (reference?.startsWith("Patient/")) set.add(reference.slice("Patient/".length));
      owners.set(ref, set);
    }
  }
  return owners;
}

/** The Bundle's resources with references to an entry's fullUrl rewritten to `Type/id`, as a server stores them. */
function resolvedResources(bundle: Bundle): Resource[] {
  const entries = structuredClone(bundle.entry ?? []);
  for (const e of entries) {
    const uuid = /^urn:uuid:(.+)$/.exec(e.fullUrl ?? "")?.[1];
    if (e.resource && e.resource.id === undefined && uuid !== undefined) e.resource.id = uuid;
  }
  let text = JSON.stringify(entries.flatMap((e) => (e.resource ? [e.resource] : [])));
  for (const e of entries) {
    if (e.fullUrl && e.resource?.id) {
      text = text.split(`"${e.fullUrl}"`).join(`"${e.resource.resourceType}/${e.resource.id}"`);
    }
  }
  return JSON.parse(text) as Resource[];
}

const mutation = fc.record({
  bundle: fc.nat(),
  entry: fc.nat(),
  kind: fc.nat(),
  other: fc.nat(),
  duplicate: fc.boolean(),
});

describe("fuzzed sandbox Bundles through the CLI", () => {
  it("never crashes, never loses a patient silently, never mixes patients", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.nat({ max: BUNDLES.length - 1 }), { minLength: 2, maxLength: 4 }),
        fc.array(mutation, { minLength: 1, maxLength: 12 }),
        async (chosen, mutations) => {
          const bundles = mutate(chosen, mutations);
          const dir = tempDir();
          try {
            bundles.forEach((b, i) => writeJson(dir, `b${String(i)}.json`, b));
            const run = await runReview([dir]);
            // 3: something was skipped (and named on stderr); never 2, which would mean the run itself failed.
            expect([0, 1, 3]).toContain(run.result.exitCode);
            const shown = new Set(run.assessments.map((a) => a.patient));
            for (const bundle of bundles) {
              const { id } = patientOf(bundle);
              if (!shown.has(`Patient/${id}`)) expect(run.stderr).toContain(id);
            }
            const owners = ownersOf(bundles);
            for (const assessment of run.assessments) {
              const id = assessment.patient.slice("Patient/".length);
              for (const item of assessment.evidence) {
                if (item.resource.startsWith("#")) continue;
                expect(owners.get(item.resource), `${item.resource} in ${assessment.patient}`).toContain(id);
              }
            }
            // The app's path: each Bundle as the launched patient's search results (references resolved as a server
            // would). Its assessment may only rest on that patient's own resources.
            for (const bundle of bundles) {
              const { id } = patientOf(bundle);
              const resources = resolvedResources(bundle);
              const assessment = assess(
                buildPatientInput({ patient: `Patient/${id}`, resources, asOf: AS_OF }),
              );
              for (const item of assessment.evidence) {
                if (item.resource.startsWith("#")) continue;
                expect(owners.get(item.resource), `app: ${item.resource} in Patient/${id}`).toContain(id);
              }
            }
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      { seed: 16, numRuns: 100 },
    );
  }, 30_000);
});
