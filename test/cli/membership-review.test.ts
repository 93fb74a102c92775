/**
 * Independent review of patient membership in the CLI (Bundles, NDJSON, shared Medications): probes for a resource of
 * another patient, or another source's copy of a shared resource, reaching an assessment.
 */
import type { Medication, OperationOutcome, Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import type { DataGap } from "../../src/domain";
import {
  AS_OF,
  breastCancer,
  bundle,
  expectedAssessment,
  ihc,
  medicationRequest,
  patient,
  runReview,
  tempDir,
  trastuzumab,
  writeJson,
  writeNdjson,
} from "./helpers";

const TAMOXIFEN: Medication = {
  resourceType: "Medication",
  id: "m1",
  code: {
    coding: [{ system: "http://www.nlm.nih.gov/research/umls/rxnorm", code: "10324", display: "tamoxifen" }],
  },
};

function patientBundle(resources: readonly Resource[]) {
  return bundle(
    "collection",
    resources.map((resource) => ({ resource })),
  );
}

describe("a Medication id shared by two files with different contents", () => {
  it("neither copy is used silently: each patient is judged with both copies, as the FHIR layer judges copies", async () => {
    const dir = tempDir();
    const a = [patient("a"), ihc("a-ihc", "Patient/a", "3+"), breastCancer("a-c", "Patient/a")];
    const b = [patient("b"), ihc("b-ihc", "Patient/b", "3+"), breastCancer("b-c", "Patient/b")];
    const aOrder = medicationRequest("a-mr", "Patient/a", "Medication/m1");
    const bOrder = medicationRequest("b-mr", "Patient/b", "Medication/m1");
    const herceptin = trastuzumab("m1");
    writeJson(dir, "a.json", patientBundle([...a, aOrder, herceptin]));
    writeJson(dir, "b.json", patientBundle([...b, bOrder, TAMOXIFEN]));
    const run = await runReview([dir]);
    expect(run.assessments).toEqual([
      expectedAssessment("Patient/a", [...a, aOrder, herceptin, TAMOXIFEN]),
      expectedAssessment("Patient/b", [...b, bOrder, herceptin, TAMOXIFEN]),
    ]);
  });

  it.each([
    ["in process", undefined],
    ["in worker threads", { workers: 1, parallelFrom: 0 }],
  ])("the same for two NDJSON Medication files (%s)", async (_label, tuning) => {
    const dir = tempDir();
    const a = [patient("a"), ihc("a-ihc", "Patient/a", "3+"), breastCancer("a-c", "Patient/a")];
    const order = medicationRequest("a-mr", "Patient/a", "Medication/m1");
    const herceptin = trastuzumab("m1");
    writeNdjson(dir, "Patient.ndjson", [a[0]]);
    writeNdjson(dir, "Observation.ndjson", [a[1]]);
    writeNdjson(dir, "Condition.ndjson", [a[2]]);
    writeNdjson(dir, "MedicationRequest.ndjson", [order]);
    writeNdjson(dir, "Medication.ndjson", [herceptin]);
    writeNdjson(dir, "Medication.2.ndjson", [TAMOXIFEN, { ...herceptin, meta: undefined }]);
    const run = await runReview([dir], {}, tuning);
    expect(run.assessments).toEqual([expectedAssessment("Patient/a", [...a, order, herceptin, TAMOXIFEN])]);
  });
});

describe("a Bundle whose entries of two servers share one Type/id", () => {
  it.each([
    [
      "two servers' absolute fullUrls",
      "https://a.example.test/fhir/Patient/1",
      "https://b.example.test/fhir/Patient/1",
    ],
    [
      "two urn:uuid entries that carry one id",
      "urn:uuid:0b8a1c4e-3f2d-4c6b-9a7e-1d2c3b4a5f60",
      "urn:uuid:7e6d5c4b-3a29-4817-8f6e-5d4c3b2a1908",
    ],
  ])(
    "%s: a reference by one fullUrl does not reach the other patient of the same id",
    async (_label, A, B) => {
      const dir = tempDir();
      writeJson(
        dir,
        "merged.json",
        bundle("collection", [
          { fullUrl: A, resource: patient("1") },
          { fullUrl: B, resource: patient("1") },
          { resource: ihc("o-a", A, "0") },
          { resource: ihc("o-b", B, "3+") },
        ]),
      );
      const run = await runReview([dir]);
      // Which of the two "Patient/1" is cannot be told: neither result is grouped with it, both are named on stderr.
      expect(run.assessments).toEqual([expectedAssessment("Patient/1", [patient("1")])]);
      expect(run.stderr).toContain("Observation/o-a");
      expect(run.stderr).toContain("Observation/o-b");
    },
  );

  it("one fullUrl per Type/id is still resolved", async () => {
    const dir = tempDir();
    const A = "https://a.example.test/fhir/Patient/1";
    writeJson(
      dir,
      "one.json",
      bundle("collection", [{ fullUrl: A, resource: patient("1") }, { resource: ihc("o-a", A, "0") }]),
    );
    const run = await runReview([dir]);
    expect(run.assessments).toEqual([
      expectedAssessment("Patient/1", [patient("1"), ihc("o-a", "Patient/1", "0")]),
    ]);
  });
});

const TRUNCATED: OperationOutcome = {
  resourceType: "OperationOutcome",
  issue: [{ severity: "error", code: "too-costly", diagnostics: "results truncated" }],
};

describe("a saved search page that says it is not complete", () => {
  it("an error OperationOutcome, a next page and a short count are a gap of the patient, not a silent 'negative'", async () => {
    const dir = tempDir();
    const own = [patient("1"), ihc("o-a", "Patient/1", "0")];
    writeJson(dir, "page1.json", {
      ...bundle("searchset", [
        ...own.map((resource) => ({ resource, search: { mode: "match" as const } })),
        { resource: TRUNCATED, search: { mode: "outcome" as const } },
      ]),
      total: 5,
      link: [{ relation: "next", url: "https://s.example.test/fhir/Observation?patient=1&page=2" }],
    });
    const run = await runReview([dir]);
    const gap = run.assessments[0]?.dataGaps.find((g) => g.resourceType === "unknown");
    expect(gap?.reason).toBe(
      "a Bundle of the input says its results are not complete (Bundle): error reported inside the results: results truncated; error reported inside the results: the server counted 5 but sent 2; the search has more pages, which are not in the input (next: https://s.example.test/fhir/Observation?patient=1&page=2)",
    );
    expect(gap?.kind).toBe("partial");
    expect(run.assessments).toEqual([expectedAssessment("Patient/1", own, AS_OF, [gap as DataGap])]);
  });

  it("in a batch-response, a nested search page's error is named by its place", async () => {
    const dir = tempDir();
    const own = [patient("1"), ihc("o-a", "Patient/1", "0")];
    writeJson(
      dir,
      "batch.json",
      bundle("batch-response", [
        {
          resource: bundle("searchset", [...own.map((resource) => ({ resource })), { resource: TRUNCATED }]),
        },
      ]),
    );
    const run = await runReview([dir]);
    expect(run.assessments[0]?.dataGaps.map((g) => g.reason)).toEqual([
      "a Bundle of the input says its results are not complete (entry[0].resource): error reported inside the results: results truncated",
    ]);
  });

  it("a complete page, or a warning only, gives no gap", async () => {
    const dir = tempDir();
    const own = [patient("1"), ihc("o-a", "Patient/1", "0")];
    const note: OperationOutcome = {
      resourceType: "OperationOutcome",
      issue: [{ severity: "information", code: "informational", diagnostics: "2 results" }],
    };
    writeJson(dir, "page.json", {
      ...bundle("searchset", [...own.map((resource) => ({ resource })), { resource: note }]),
      total: 2,
      link: [{ relation: "self", url: "https://s.example.test/fhir/Observation?patient=1" }],
    });
    const run = await runReview([dir]);
    expect(run.assessments).toEqual([expectedAssessment("Patient/1", own)]);
  });
});

describe("NDJSON lines whose patient reference is not plain (probes)", () => {
  it("each line goes to the patient its subject names, or to none, named on stderr", async () => {
    const dir = tempDir();
    const a = patient("a");
    const b = patient("b");
    const versioned = ihc("v", "Patient/a/_history/2", "0");
    // Names Patient/a only in a performer: the raw scan must not take it for a's.
    const performer = ihc("perf", "Patient/b", "3+", { performer: [{ reference: "Patient/a" }] });
    const group = ihc("grp", "Group/a", "3+");
    const identifier = ihc("idf", "Patient/a", "3+", { subject: { identifier: { value: "a" } } });
    const disagree = ihc("dis", "Patient/a", "3+", { patient: { reference: "Patient/b" } } as object);
    const containedPatient = ihc("cp", "#a", "3+", { contained: [patient("a")] });
    writeNdjson(dir, "Patient.ndjson", [a, b]);
    writeNdjson(dir, "Observation.ndjson", [
      versioned,
      performer,
      group,
      identifier,
      disagree,
      containedPatient,
    ]);
    const run = await runReview([dir]);
    expect(run.assessments).toEqual([
      expectedAssessment("Patient/a", [a, versioned]),
      expectedAssessment("Patient/b", [b, performer]),
    ]);
    for (const id of ["grp", "idf", "dis", "cp"])
      expect(run.stderr).toContain(`Observation/${id} cannot be proven`);
    expect(run.stderr.match(/cannot be proven to belong to a patient/g)?.length).toBe(4);
  });
});

describe("a Bundle on an NDJSON line that says it is not complete", () => {
  it("gives its patients the same gaps as the Bundle in a file of its own", async () => {
    const own = [patient("1"), ihc("o-a", "Patient/1", "0")];
    const page = {
      ...bundle("searchset", [...own.map((resource) => ({ resource })), { resource: TRUNCATED }]),
      total: 3,
    };
    const failed = bundle("batch-response", [{ response: { status: "503 Service Unavailable" } }]);
    const asFile = tempDir();
    writeJson(asFile, "page.json", page);
    writeJson(asFile, "failed.json", { ...failed, entry: [...(failed.entry ?? []), { resource: own[0] }] });
    const asLines = tempDir();
    writeNdjson(asLines, "bundles.ndjson", [
      page,
      { ...failed, entry: [...(failed.entry ?? []), { resource: own[0] }] },
    ]);
    const fromFiles = await runReview([asFile]);
    const fromLines = await runReview([asLines]);
    expect(fromFiles.assessments[0]?.dataGaps.length).toBe(2);
    expect(fromLines.assessments.map((a) => a.dataGaps.map((g) => g.reason).sort())).toEqual(
      fromFiles.assessments.map((a) => a.dataGaps.map((g) => g.reason).sort()),
    );
  });
});
