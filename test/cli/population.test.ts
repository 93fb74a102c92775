// @vitest-environment node
/** Grouping by patient for every input kind: the resources the CLI hands to the FHIR layer for each patient. */
import type { Bundle, Medication, Observation, OperationOutcome, Resource, Specimen } from "fhir/r4";
import { readdirSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Diagnostics } from "../../src/cli/diagnostics";
import { readPopulation, type PatientResourceSet } from "../../src/cli/population";
import {
  breastCancer,
  bundle,
  hemoglobin,
  ihc,
  medicationRequest,
  patient,
  Sink,
  specimen,
  tempDir,
  trastuzumab,
  writeJson,
  writeNdjson,
  writeText,
} from "./helpers";

async function groups(
  paths: string[],
  bundleCacheBytes?: number,
  memoryBytes?: number,
): Promise<{ patients: PatientResourceSet[]; stderr: string; resources: number; patientCount: number }> {
  const stderr = new Sink();
  const population = await readPopulation(paths, new Diagnostics(stderr), { bundleCacheBytes, memoryBytes });
  const patients = [...population.patients()];
  population.close();
  return {
    patients,
    stderr: stderr.text,
    resources: population.resources,
    patientCount: population.patientCount,
  };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

function byPatient(sets: PatientResourceSet[]): Record<string, Resource[]> {
  return Object.fromEntries(sets.map((s) => [s.patient, s.resources]));
}

describe("Bulk Data export folder", () => {
  it("groups per-type files (several per type) by patient, sorted by id, with shared Medications", async () => {
    const dir = tempDir();
    const med = trastuzumab("med-t");
    writeNdjson(dir, "Patient.ndjson", [patient("p2"), patient("p10"), patient("p1")]);
    writeNdjson(dir, "Observation.000.ndjson", [
      ihc("o1", "Patient/p1", "3+"),
      hemoglobin("h2", "Patient/p2"),
    ]);
    writeNdjson(dir, "Observation.001.ndjson", [ihc("o2", "Patient/p2", "0"), ihc("o3", "Patient/p1", "3+")]);
    writeNdjson(dir, "Specimen.ndjson", [specimen("s1", "Patient/p1")]);
    writeNdjson(dir, "Condition.ndjson", [breastCancer("c1", "Patient/p1")]);
    writeNdjson(dir, "Medication.ndjson", [med, trastuzumab("med-unused")]);
    writeNdjson(dir, "MedicationRequest.ndjson", [
      medicationRequest("mr1", "Patient/p1", "Medication/med-t"),
      medicationRequest("mr2", "Patient/p10", "Medication/med-t"),
    ]);

    const { patients, resources } = await groups([dir]);

    // Code-unit order of ids: "p1" < "p10" < "p2".
    expect(patients.map((p) => p.patient)).toEqual(["Patient/p1", "Patient/p10", "Patient/p2"]);
    const grouped = byPatient(patients);
    // Files in name order, lines in order; referenced Medications last.
    expect(grouped["Patient/p1"]).toEqual([
      breastCancer("c1", "Patient/p1"),
      medicationRequest("mr1", "Patient/p1", "Medication/med-t"),
      ihc("o1", "Patient/p1", "3+"),
      ihc("o3", "Patient/p1", "3+"),
      specimen("s1", "Patient/p1"),
      med,
    ]);
    expect(grouped["Patient/p10"]).toEqual([
      medicationRequest("mr2", "Patient/p10", "Medication/med-t"),
      med,
    ]);
    // Patient lines (parsed in the first pass; the FHIR layer does not read them) and the haemoglobin result (it cannot
    // matter to the rules) are counted but not read again: see the next tests.
    expect(grouped["Patient/p2"]).toEqual([ihc("o2", "Patient/p2", "0")]);
    expect(resources).toBe(13);
  });

  it("reads Observations that cannot matter only when the patient has a panel, whose members may be among them", async () => {
    const dir = tempDir();
    const member: Observation = {
      ...hemoglobin("m1", "Patient/p1"),
      code: { coding: [{ system: "http://loinc.org", code: "99999-9" }], text: "Ratio" },
    };
    const panel: Observation = {
      ...hemoglobin("panel", "Patient/p1"),
      code: { text: "HER2 FISH panel" },
      hasMember: [{ reference: "Observation/m1" }],
    };
    delete panel.valueQuantity;
    writeNdjson(dir, "Observation.ndjson", [
      member,
      hemoglobin("h1", "Patient/p1"),
      panel,
      hemoglobin("h2", "Patient/p2"),
    ]);
    const grouped = byPatient((await groups([dir])).patients);
    // Read in input order, as if nothing had been deferred.
    expect(grouped["Patient/p1"]).toEqual([member, hemoglobin("h1", "Patient/p1"), panel]);
    // A patient with nothing else is read too: its lines must be checked before the patient is assessed.
    expect(grouped["Patient/p2"]).toEqual([hemoglobin("h2", "Patient/p2")]);
  });

  it("keeps a patient whose only resources cannot matter (assessed as no result), and one whose panel is in a Bundle", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Observation.ndjson", [
      hemoglobin("h1", "Patient/lab-only"),
      hemoglobin("m1", "Patient/b"),
    ]);
    const panel: Observation = {
      ...hemoglobin("panel", "Patient/b"),
      code: { text: "HER2 panel" },
      hasMember: [{ reference: "Observation/m1" }],
    };
    writeJson(dir, "panel.json", bundle("collection", [{ resource: panel }]));
    const { patients } = await groups([dir]);
    expect(patients.map((p) => p.patient)).toEqual(["Patient/b", "Patient/lab-only"]);
    // NDJSON lines first (in input order), then Bundle entries, as for lines that were never deferred.
    expect(byPatient(patients)["Patient/b"]).toEqual([hemoglobin("m1", "Patient/b"), panel]);
  });

  it("reads lines back correctly from CRLF files, adjacent or not", async () => {
    const dir = tempDir();
    const lines = [
      ihc("o1", "Patient/a", "1+"),
      ihc("o2", "Patient/a", "2+"),
      patient("b"),
      ihc("o3", "Patient/a", "3+"),
    ];
    writeText(dir, "all.ndjson", "\r\n" + lines.map((r) => JSON.stringify(r)).join("\r\n\r\n") + "\r\n");
    const { patients } = await groups([dir]);
    expect(byPatient(patients)).toEqual({
      "Patient/a": [ihc("o1", "Patient/a", "1+"), ihc("o2", "Patient/a", "2+"), ihc("o3", "Patient/a", "3+")],
      "Patient/b": [patient("b")],
    });
    writeText(dir, "all.ndjson", lines.map((r) => JSON.stringify(r)).join("\r\n"));
    expect(byPatient((await groups([dir])).patients)["Patient/a"]).toHaveLength(3);
  });

  it("finds a patient by reference even without a Patient resource, and by a versioned reference", async () => {
    const dir = tempDir();
    const versioned = ihc("o2", "Patient/p7/_history/3", "1+");
    writeNdjson(dir, "Observation.ndjson", [ihc("o1", "Patient/p7", "1+"), versioned]);
    const { patients } = await groups([dir]);
    expect(patients).toEqual([
      { patient: "Patient/p7", resources: [ihc("o1", "Patient/p7", "1+"), versioned] },
    ]);
  });

  it("never merges an absolute reference into the patient of the same id: an export names no FHIR base", async () => {
    const dir = tempDir();
    const path = writeNdjson(dir, "Observation.ndjson", [
      ihc("o1", "Patient/p7", "1+"),
      ihc("o2", "https://other.example.org/fhir/Patient/p7", "3+"),
      ihc("o3", "https://other.example.org/fhir/Patient/p7/", "3+"),
    ]);
    const { patients, stderr } = await groups([dir]);
    expect(patients).toEqual([{ patient: "Patient/p7", resources: [ihc("o1", "Patient/p7", "1+")] }]);
    expect(stderr).toContain(
      `${path}:2: warning: Observation/o2 cannot be proven to belong to a patient (its patient reference "https://other.example.org/fhir/Patient/p7" is absolute and the data's FHIR base is not known, so it cannot be matched); skipped`,
    );
    expect(stderr).toContain(`${path}:3: warning: Observation/o3 cannot be proven to belong to a patient`);
  });

  it("reads the patient of resources written in any key order or with whitespace (not the canonical shape)", async () => {
    const dir = tempDir();
    const observation = ihc("o1", "Patient/p1", "2+");
    const { resourceType, ...rest } = observation;
    const lines = [
      JSON.stringify({ ...rest, resourceType }),
      JSON.stringify(observation, null, 1).replace(/\n/g, " "),
      JSON.stringify({ ...observation, subject: { type: "Patient", reference: "Patient/p1" } }),
    ];
    const path = writeText(dir, "mixed.ndjson", lines.join("\n"));
    const { patients } = await groups([path]);
    expect(patients.map((p) => p.patient)).toEqual(["Patient/p1"]);
    expect(patients[0]?.resources).toHaveLength(3);
  });
});

describe("NDJSON file of mixed types", () => {
  it("groups a single file holding several patients' resources interleaved", async () => {
    const dir = tempDir();
    const path = writeNdjson(dir, "all.ndjson", [
      patient("b"),
      ihc("ob", "Patient/b", "3+"),
      patient("a"),
      ihc("oa", "Patient/a", "0"),
      specimen("sb", "Patient/b"),
    ]);
    const grouped = byPatient((await groups([path])).patients);
    expect(Object.keys(grouped)).toEqual(["Patient/a", "Patient/b"]);
    expect(grouped["Patient/b"]).toEqual([ihc("ob", "Patient/b", "3+"), specimen("sb", "Patient/b")]);
  });
});

describe("Bundles", () => {
  it("reads a collection Bundle and a searchset Bundle (ignoring its OperationOutcome)", async () => {
    const dir = tempDir();
    const collection = writeJson(
      dir,
      "collection.json",
      bundle("collection", [{ resource: patient("a") }, { resource: ihc("oa", "Patient/a", "3+") }]),
    );
    const searchset = writeJson(
      dir,
      "searchset.json",
      bundle("searchset", [
        {
          fullUrl: "https://ehr/fhir/Observation/ob",
          resource: ihc("ob", "Patient/b", "0"),
          search: { mode: "match" },
        },
        {
          resource: {
            resourceType: "OperationOutcome",
            issue: [{ severity: "information", code: "informational" }],
          } as OperationOutcome,
          search: { mode: "outcome" },
        },
      ]),
    );
    const { patients, stderr } = await groups([collection, searchset]);
    expect(byPatient(patients)).toEqual({
      "Patient/a": [patient("a"), ihc("oa", "Patient/a", "3+")],
      "Patient/b": [ihc("ob", "Patient/b", "0")],
    });
    expect(stderr).toContain(
      "searchset.json: entry[1] (OperationOutcome): note: skipped 1 OperationOutcome resource",
    );
  });

  it("resolves urn:uuid references of a transaction Bundle and gives id-less entries their uuid as id", async () => {
    const dir = tempDir();
    const pt = "urn:uuid:6f0e7a5c-1111-4e4e-9b9b-000000000001";
    const sp = "urn:uuid:6f0e7a5c-1111-4e4e-9b9b-000000000002";
    const md = "urn:uuid:6f0e7a5c-1111-4e4e-9b9b-000000000003";
    const observation: Observation = {
      ...ihc("x", pt, "2+"),
      specimen: { reference: sp },
    };
    delete observation.id;
    const transaction = bundle("transaction", [
      { fullUrl: pt, resource: { resourceType: "Patient" }, request: { method: "POST", url: "Patient" } },
      { fullUrl: sp, resource: { resourceType: "Specimen", subject: { reference: pt } } as Specimen },
      { fullUrl: md, resource: { resourceType: "Medication", code: { text: "Herceptin" } } as Medication },
      { fullUrl: "urn:uuid:6f0e7a5c-1111-4e4e-9b9b-000000000004", resource: observation },
      {
        fullUrl: "urn:uuid:6f0e7a5c-1111-4e4e-9b9b-000000000005",
        resource: { ...medicationRequest("mr", pt, md) },
      },
    ]);
    const { patients } = await groups([writeJson(dir, "transaction.json", transaction)]);
    expect(patients.map((p) => p.patient)).toEqual(["Patient/6f0e7a5c-1111-4e4e-9b9b-000000000001"]);
    const resources = patients[0]?.resources ?? [];
    const obs = resources.find((r) => r.resourceType === "Observation") as Observation;
    expect(obs.subject?.reference).toBe("Patient/6f0e7a5c-1111-4e4e-9b9b-000000000001");
    expect(obs.specimen?.reference).toBe("Specimen/6f0e7a5c-1111-4e4e-9b9b-000000000002");
    expect(resources.map((r) => r.resourceType)).toEqual([
      "Patient",
      "Specimen",
      "Observation",
      "MedicationRequest",
      "Medication",
    ]);
    expect(resources.at(-1)).toMatchObject({
      id: "6f0e7a5c-1111-4e4e-9b9b-000000000003",
      code: { text: "Herceptin" },
    });
  });

  it("flattens a batch-response of searchset Bundles; a failed entry is a data gap for its patients", async () => {
    const dir = tempDir();
    const inner = (resources: Resource[]): Bundle =>
      bundle(
        "searchset",
        resources.map((resource) => ({ resource })),
      );
    const batch = bundle("batch-response", [
      { resource: inner([patient("a")]), response: { status: "200 OK" } },
      {
        resource: inner([ihc("oa", "Patient/a", "1+"), ihc("ob", "Patient/b", "0")]),
        response: { status: "200" },
      },
      { response: { status: "403 Forbidden" } },
    ]);
    const path = writeJson(dir, "batch.json", batch);
    const { patients, stderr } = await groups([path]);
    expect(byPatient(patients)).toEqual({
      "Patient/a": [patient("a"), ihc("oa", "Patient/a", "1+")],
      "Patient/b": [ihc("ob", "Patient/b", "0")],
    });
    expect(stderr).toContain(`${path}: entry[2]: warning: the server answered "403 Forbidden"`);
    // Which patient the failed request was for is unknown: every patient of the Bundle may be missing data.
    for (const set of patients) {
      expect(set.dataGaps).toHaveLength(1);
      expect(set.dataGaps?.[0]).toMatchObject({ kind: "denied", affectsAssessment: true });
      expect(set.dataGaps?.[0]?.reason).toContain("403 Forbidden");
    }
    // The same Bundle after eviction from the cache still carries its gaps.
    const reread = await groups([path], 1);
    expect(reread.patients.map((p) => p.dataGaps?.length)).toEqual([1, 1]);
  });

  it("reads a single resource file and an NDJSON file named .json", async () => {
    const dir = tempDir();
    const single = writeJson(dir, "patient.json", patient("solo"));
    const ndjsonNamedJson = writeNdjson(dir, "export.json", [
      ihc("o1", "Patient/solo", "3+"),
      patient("other"),
    ]);
    const grouped = byPatient((await groups([single, ndjsonNamedJson])).patients);
    expect(grouped).toEqual({
      "Patient/other": [patient("other")],
      "Patient/solo": [ihc("o1", "Patient/solo", "3+"), patient("solo")],
    });
  });

  it("reads a file once even when it is named twice or also found in a named folder", async () => {
    const dir = tempDir();
    const file = writeNdjson(dir, "Observation.ndjson", [ihc("o1", "Patient/a", "2+")]);
    const { patients } = await groups([file, dir, `${dir}/./Observation.ndjson`]);
    expect(patients).toEqual([{ patient: "Patient/a", resources: [ihc("o1", "Patient/a", "2+")] }]);
  });

  it("reads Bundle files again when they no longer fit the cache, with the same grouping", async () => {
    const dir = tempDir();
    // Patients alternate between the files, so in id order each file is needed again after the other.
    writeJson(dir, "1.json", bundle("collection", [{ resource: patient("a") }, { resource: patient("c") }]));
    writeJson(
      dir,
      "2.json",
      bundle("collection", [{ resource: patient("b") }, { resource: ihc("oa", "Patient/a", "3+") }]),
    );
    const expected = {
      "Patient/a": [patient("a"), ihc("oa", "Patient/a", "3+")],
      "Patient/b": [patient("b")],
      "Patient/c": [patient("c")],
    };
    expect(byPatient((await groups([dir], 1)).patients)).toEqual(expected);
    expect(byPatient((await groups([dir])).patients)).toEqual(expected);
  });

  it("merges one patient's resources across a Bundle and NDJSON inputs", async () => {
    const dir = tempDir();
    const ndjson = writeNdjson(dir, "Observation.ndjson", [ihc("o1", "Patient/a", "2+")]);
    const bundlePath = writeJson(dir, "a.json", bundle("collection", [{ resource: patient("a") }]));
    const { patients } = await groups([ndjson, bundlePath]);
    expect(patients).toEqual([
      { patient: "Patient/a", resources: [ihc("o1", "Patient/a", "2+"), patient("a")] },
    ]);
  });
});

describe("an index too large for memory", () => {
  it("spilled to temporary files: the same patients, resources and count; the files are gone after close()", async () => {
    const dir = tempDir();
    writeNdjson(
      dir,
      "Patient.ndjson",
      ["p3", "p1", "p20", "p2"].map((id) => patient(id)),
    );
    writeNdjson(dir, "Observation.ndjson", [
      ihc("o1", "Patient/p2", "3+"),
      ihc("o2", "Patient/p20", "0"),
      hemoglobin("h1", "Patient/p1"),
      ihc("o3", "Patient/p2", "1+"),
      ihc("o4", "Patient/p9", "2+"),
    ]);
    writeNdjson(dir, "Specimen.ndjson", [specimen("s1", "Patient/p20"), specimen("s2", "Patient/p3")]);
    writeJson(dir, "b.json", bundle("collection", [{ resource: ihc("o5", "Patient/p1", "2+") }]));
    const inMemory = await groups([dir]);
    const tmp = tempDir();
    vi.stubEnv("TMPDIR", tmp);
    const spilled = await groups([dir], undefined, 100);
    expect(spilled).toEqual(inMemory);
    expect(spilled.patientCount).toBe(5);
    expect(spilled.patients.map((p) => p.patient)).toEqual([
      "Patient/p1",
      "Patient/p2",
      "Patient/p20",
      "Patient/p3",
      "Patient/p9",
    ]);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("HER2_INDEX_MEMORY_BYTES sets the limit when the caller does not: a TMPDIR that cannot be used then fails", async () => {
    const dir = tempDir();
    writeNdjson(
      dir,
      "Patient.ndjson",
      ["a", "b", "c"].map((id) => patient(id)),
    );
    vi.stubEnv("TMPDIR", `${dir}/missing`);
    expect((await groups([dir])).patientCount).toBe(3);
    vi.stubEnv("HER2_INDEX_MEMORY_BYTES", "100");
    await expect(groups([dir])).rejects.toThrow(
      /^cannot create a temporary folder for the patient index in /,
    );
  });
});
