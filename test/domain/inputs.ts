/**
 * Inputs for tests over "every text the rules can produce": the sandbox patients (read from their bundles, with
 * urn:uuid references resolved as the FHIR server does on upload), each also with a data gap per resource type, and
 * hand-built cases for the flags the sandbox does not raise.
 */
import { readdirSync, readFileSync } from "node:fs";
import type { DataGap, Her2TestRecord, PatientInput } from "../../src/domain";
import { buildPatientInput } from "../../src/fhir/normalise";
import type { Resource } from "fhir/r4";
import { AS_OF, dual, event, ihc, interpretation, patient, specimen, therapy, unreadable } from "./build";

const ROOT = "sandbox/patients";

function bundleResources(file: string): Resource[] {
  let raw = readFileSync(`${ROOT}/${file}`, "utf8");
  const bundle = JSON.parse(raw) as {
    entry: { fullUrl?: string; resource: { resourceType: string; id: string } }[];
  };
  for (const e of bundle.entry) {
    if (e.fullUrl) raw = raw.split(`"${e.fullUrl}"`).join(`"${e.resource.resourceType}/${e.resource.id}"`);
  }
  return (JSON.parse(raw) as { entry: { resource: Resource }[] }).entry.map((e) => e.resource);
}

const GAPS: readonly DataGap[] = [
  { resourceType: "Observation", kind: "timeout", reason: "timeout after 20 s", affectsAssessment: true },
  { resourceType: "Condition", kind: "error", reason: "500 Internal Server Error", affectsAssessment: true },
  { resourceType: "MedicationRequest", kind: "denied", reason: "403 Forbidden", affectsAssessment: true },
];

/** Every sandbox patient as of the index's date, alone and with each data gap. */
export function sandboxInputs(): { name: string; input: PatientInput }[] {
  const index = JSON.parse(readFileSync(`${ROOT}/index.json`, "utf8")) as { asOf: string };
  const out: { name: string; input: PatientInput }[] = [];
  for (const file of readdirSync(ROOT).filter((f) => f.endsWith(".json") && f !== "index.json")) {
    const resources = bundleResources(file);
    const id = resources.find((r) => r.resourceType === "Patient")?.id ?? file;
    for (const gap of [undefined, ...GAPS]) {
      out.push({
        name: `${file}${gap ? ` + ${gap.resourceType} ${gap.kind}` : ""}`,
        input: buildPatientInput({
          patient: `Patient/${id}`,
          resources,
          asOf: index.asOf,
          dataGaps: gap ? [gap] : [],
        }),
      });
    }
  }
  return out;
}

const positive = () =>
  ihc("3+", { date: "2024-03-02", specimen: specimen("S-1", "2024-03-01", "Left breast") });

/** Cases for texts the sandbox does not reach (recount, decalcified bone, long therapy, finished courses, …). */
export function builtInputs(): { name: string; input: PatientInput }[] {
  const bone = { ...specimen("S-B", "2025-05-01", "Bone"), decalcified: true };
  const medGap: DataGap = {
    resourceType: "MedicationStatement",
    kind: "partial",
    reason: "page 2 failed",
    affectsAssessment: true,
  };
  const cases: [string, PatientInput][] = [
    ["recount", patient([ihc("2+"), dual(1.8, 4.5)])],
    ["adjudication", patient([ihc("2+"), dual(2.1, 3.5, { recount: { ratio: 1.9, her2PerCell: 3.6 } })])],
    [
      "decalcified",
      patient([ihc("0", { specimen: bone, date: "2025-05-02" })], {
        events: [event("metastasis", "2025-04-20")],
      }),
    ],
    [
      "long trastuzumab",
      patient([positive()], {
        events: [event("primary", "2024-02-20")],
        therapies: [therapy("trastuzumab", { start: "2024-03-10", end: "2025-09-10", status: "completed" })],
      }),
    ],
    [
      "finished course before metastasis, medication gap",
      patient([positive()], {
        events: [event("metastasis", "2026-01-10")],
        therapies: [therapy("trastuzumab", { start: "2024-03-10", end: "2025-03-01", status: "completed" })],
        dataGaps: [medGap],
      }),
    ],
    [
      "positive, medications denied",
      patient([positive()], { therapies: [], dataGaps: [{ ...medGap, kind: "denied" }] }),
    ],
    [
      "T-DM1 and T-DXd current",
      patient([positive()], {
        events: [event("primary", "2024-02-20")],
        therapies: [therapy("ado-trastuzumab emtansine", { start: "2026-06-01", status: "active" })],
      }),
    ],
    [
      "metastatic T-DXd, subcutaneous",
      patient([positive()], {
        events: [event("metastasis", "2025-01-10")],
        therapies: [
          therapy("fam-trastuzumab deruxtecan", { start: "2026-02-01", status: "active" }),
          therapy("pertuzumab, trastuzumab and hyaluronidase", { start: "2026-02-01", status: "active" }),
          therapy("trastuzumab and hyaluronidase", { status: "active" }),
        ],
      }),
    ],
    [
      "unreadable, many",
      patient([1, 2, 3, 4, 5].map((i) => unreadable(`value ${String(i)} not understood`))),
    ],
    ["self-contradicting IHC", patient([ihc("3+", { reported: "negative" })])],
    ["interpretation against components", patient([ihc("0"), interpretation("positive")])],
    [
      "conflicting same-date IHC",
      patient([ihc("3+", { date: "2024-03-02" }), ihc("0", { date: "2024-03-02" })]),
    ],
    [
      // Every reason the rules themselves give for not reading or not using a record (evidence and unreadable list).
      "not used, each rules' reason",
      patient([
        ihc("3+", { source: "Observation/future", date: "2026-11-26" }),
        ihc("2+", { source: "Observation/unknown-status", status: "unknown" }),
        { ...ihc("1+", { source: "Observation/odd" }), method: "fish-magic" } as unknown as Her2TestRecord,
        unreadable("", { source: "Observation/blank-reason" }),
        dual(0, 4.5, { source: "Observation/zero-ratio" }),
        ihc("0", { source: "Observation/cancelled", status: "cancelled" }),
        ihc("0", { source: "Observation/in-error", status: "entered-in-error" }),
        ihc("1+", { source: "Observation/old", supersededBy: "Observation/new" }),
        ihc("2+", { source: "Observation/serum", notTissueHer2: "serum HER2 protein" }),
      ]),
    ],
  ];
  return cases.map(([name, input]) => ({ name, input: { ...input, asOf: input.asOf || AS_OF } }));
}
