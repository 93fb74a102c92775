/**
 * Deterministic synthetic Bulk Data export for the CLI benchmark: per-type NDJSON files (Observation split into
 * several files of at most 250,000 lines, as servers do), about 10.6 resources per patient, in the shapes real
 * exports use (LOINC-coded HER2 IHC / ISH results, other labs the rules must skip past, Specimens, Conditions,
 * MedicationRequests referencing shared Medications). Same seed, same bytes. Run alone:
 * `npx tsx bench/generate-export.ts <folder> [patients]`.
 */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const LOINC = "http://loinc.org";
const SNOMED = "http://snomed.info/sct";
const RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
const OBSERVATIONS_PER_FILE = 250_000;

/** mulberry32: a tiny seeded PRNG, so the export is identical on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Buffered writer of one NDJSON file (or a numbered series, for Observation). */
class NdjsonWriter {
  private chunks: string[] = [];
  private size = 0;
  private fd: number;
  private lines = 0;
  private part = 0;
  written = 0;

  constructor(
    private readonly dir: string,
    private readonly type: string,
    private readonly split: boolean,
  ) {
    this.fd = openSync(this.fileName(), "w");
  }

  private fileName(): string {
    const suffix = this.split ? `.${String(this.part).padStart(3, "0")}` : "";
    return join(this.dir, `${this.type}${suffix}.ndjson`);
  }

  add(resource: object): void {
    if (this.split && this.lines === OBSERVATIONS_PER_FILE) {
      this.flush();
      closeSync(this.fd);
      this.part++;
      this.lines = 0;
      this.fd = openSync(this.fileName(), "w");
    }
    const line = `${JSON.stringify(resource)}\n`;
    this.chunks.push(line);
    this.size += line.length;
    this.lines++;
    this.written++;
    if (this.size > 4 * 1024 * 1024) this.flush();
  }

  flush(): void {
    if (this.chunks.length > 0) writeSync(this.fd, this.chunks.join(""));
    this.chunks = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

const MEDICATIONS = [
  { id: "med-trastuzumab", code: "224905", display: "trastuzumab" },
  { id: "med-pertuzumab", code: "1298944", display: "pertuzumab" },
  { id: "med-tdm1", code: "1371041", display: "ado-trastuzumab emtansine" },
  { id: "med-tdxd", code: "2267582", display: "fam-trastuzumab deruxtecan" },
  { id: "med-letrozole", code: "72965", display: "letrozole" },
  { id: "med-tamoxifen", code: "10324", display: "tamoxifen" },
];

function date(rand: () => number, fromYear: number): string {
  const year = fromYear + Math.floor(rand() * 6);
  const month = 1 + Math.floor(rand() * 12);
  const day = 1 + Math.floor(rand() * 28);
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function coded(system: string, code: string, display: string): object {
  return { coding: [{ system, code, display }], text: display };
}

function lab(
  id: string,
  subject: string,
  when: string,
  code: object,
  value: object,
  extra: object = {},
): object {
  return {
    resourceType: "Observation",
    id,
    meta: { lastUpdated: `${when}T10:00:00Z` },
    status: "final",
    category: [
      coded("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", "Laboratory"),
    ],
    code,
    subject: { reference: subject },
    effectiveDateTime: when,
    issued: `${when}T12:00:00Z`,
    ...value,
    ...extra,
  };
}

export interface GeneratedExport {
  patients: number;
  /** Resources written, by type. */
  byType: Record<string, number>;
  resources: number;
}

/** Receives the synthetic resources, patient by patient (the shared Medications first). */
export interface ResourceSink {
  add(resource: { resourceType: string; id: string }): void;
  /** After the last resource of one patient (the Medications come before the first patient). */
  endPatient?(patientId: string): void;
}

/**
 * Writes the export into `dir` (created if needed).
 * @param patients Number of patients (about 10.6 resources each).
 */
export function generateExport(dir: string, patients: number, seed = 20261125): GeneratedExport {
  mkdirSync(dir, { recursive: true });
  const writers = new Map<string, NdjsonWriter>();
  const sink: ResourceSink = {
    add(resource) {
      let writer = writers.get(resource.resourceType);
      if (writer === undefined) {
        writer = new NdjsonWriter(dir, resource.resourceType, resource.resourceType === "Observation");
        writers.set(resource.resourceType, writer);
      }
      writer.add(resource);
    },
  };
  generatePatients(patients, sink, seed);
  const byType: Record<string, number> = {};
  let resources = 0;
  for (const [type, writer] of writers) {
    writer.close();
    byType[type] = writer.written;
    resources += writer.written;
  }
  return { patients, byType, resources };
}

/**
 * The synthetic patients' resources, in a fixed order from a fixed seed: the same bytes on every run.
 * @param patients Number of patients (about 10.6 resources each).
 */
export function generatePatients(patients: number, sink: ResourceSink, seed = 20261125): void {
  const rand = random(seed);
  const add = (resource: object): void => {
    sink.add(resource as { resourceType: string; id: string });
  };
  const writers = {
    Patient: { add },
    Condition: { add },
    Specimen: { add },
    Observation: { add },
    DiagnosticReport: { add },
    MedicationRequest: { add },
    Medication: { add },
  };
  for (const m of MEDICATIONS) {
    writers.Medication.add({ resourceType: "Medication", id: m.id, code: coded(RXNORM, m.code, m.display) });
  }

  for (let n = 0; n < patients; n++) {
    // Ids in a different order from the files, so the review's sort does real work.
    const id = `${Math.floor(rand() * 0xffffffff)
      .toString(16)
      .padStart(8, "0")}-${n}`;
    const subject = `Patient/${id}`;
    const diagnosed = date(rand, 2018);
    writers.Patient.add({
      resourceType: "Patient",
      id,
      identifier: [{ system: "urn:oid:1.2.36.146.595.217.0.1", value: `MRN${n}` }],
      name: [{ family: `Family${n % 977}`, given: [`Given${n % 331}`] }],
      gender: "female",
      birthDate: date(rand, 1945),
    });
    writers.Condition.add({
      resourceType: "Condition",
      id: `${id}-c1`,
      clinicalStatus: coded("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active"),
      code: coded(SNOMED, "254837009", "Malignant neoplasm of breast"),
      subject: { reference: subject },
      onsetDateTime: diagnosed,
    });
    const metastatic = rand() < 0.2;
    if (metastatic) {
      writers.Condition.add({
        resourceType: "Condition",
        id: `${id}-c2`,
        code: coded(SNOMED, "94381002", "Secondary malignant neoplasm of liver"),
        subject: { reference: subject },
        onsetDateTime: date(rand, 2022),
      });
    }
    writers.Specimen.add({
      resourceType: "Specimen",
      id: `${id}-s1`,
      accessionIdentifier: { value: `S-${n}` },
      subject: { reference: subject },
      collection: { collectedDateTime: diagnosed, bodySite: coded(SNOMED, "80248007", "Left breast") },
    });
    const retested = metastatic && rand() < 0.5;
    if (retested) {
      writers.Specimen.add({
        resourceType: "Specimen",
        id: `${id}-s2`,
        subject: { reference: subject },
        collection: { collectedDateTime: "2025-06-01", bodySite: coded(SNOMED, "10200004", "Liver") },
      });
    }

    const roll = rand();
    const score = roll < 0.3 ? "0" : roll < 0.6 ? "1+" : roll < 0.8 ? "2+" : "3+";
    const specimenRef = { specimen: { reference: `Specimen/${id}-s1` } };
    const ihcCode = coded(LOINC, "85319-2", "HER2 [Presence] in Breast cancer specimen by Immune stain");
    writers.Observation.add(
      lab(`${id}-ihc`, subject, diagnosed, ihcCode, { valueString: score }, specimenRef),
    );
    if (score === "2+" && rand() < 0.7) {
      const ratio = Math.round((1 + rand() * 2) * 100) / 100;
      const ratioCode = coded(LOINC, "49683-6", "ERBB2/CEP17 ratio by FISH");
      writers.Observation.add(
        lab(
          `${id}-ish`,
          subject,
          diagnosed,
          ratioCode,
          { valueQuantity: { value: ratio, unit: "{ratio}" } },
          specimenRef,
        ),
      );
    }
    const hormone = (code: string, display: string, suffix: string): void => {
      const value = {
        valueCodeableConcept: coded(SNOMED, rand() < 0.7 ? "10828004" : "260385009", "Positive"),
      };
      writers.Observation.add(
        lab(`${id}-${suffix}`, subject, diagnosed, coded(LOINC, code, display), value, specimenRef),
      );
    };
    hormone("85337-4", "Estrogen receptor Ag [Presence] in Breast cancer specimen by Immune stain", "er");
    hormone("85339-0", "Progesterone receptor Ag [Presence] in Breast cancer specimen by Immune stain", "pr");
    const ki67 = { valueQuantity: { value: Math.round(rand() * 60), unit: "%" } };
    writers.Observation.add(lab(`${id}-ki67`, subject, diagnosed, coded(LOINC, "85330-9", "Ki-67 Ag"), ki67));
    const hb = { valueQuantity: { value: Math.round((10 + rand() * 5) * 10) / 10, unit: "g/dL" } };
    writers.Observation.add(lab(`${id}-hb`, subject, diagnosed, coded(LOINC, "718-7", "Hemoglobin"), hb));
    const weight = { valueQuantity: { value: Math.round(50 + rand() * 40), unit: "kg" } };
    writers.Observation.add(
      lab(`${id}-wt`, subject, diagnosed, coded(LOINC, "29463-7", "Body weight"), weight),
    );
    if (retested) {
      const again = lab(`${id}-ihc2`, subject, "2025-06-03", ihcCode, {
        valueString: score === "3+" ? "3+" : "1+",
      });
      writers.Observation.add({ ...again, specimen: { reference: `Specimen/${id}-s2` } });
    }

    writers.DiagnosticReport.add({
      resourceType: "DiagnosticReport",
      id: `${id}-dr`,
      status: "final",
      code: coded(LOINC, "22637-3", "Pathology report final diagnosis"),
      subject: { reference: subject },
      effectiveDateTime: diagnosed,
      result: [{ reference: `Observation/${id}-ihc` }],
      conclusion: `Invasive ductal carcinoma. HER2 IHC ${score}.`,
    });
    if (score === "3+" ? rand() < 0.85 : rand() < 0.05) {
      const medication = MEDICATIONS[Math.floor(rand() * 4)]?.id ?? "med-trastuzumab";
      writers.MedicationRequest.add({
        resourceType: "MedicationRequest",
        id: `${id}-mr`,
        status: "active",
        intent: "order",
        medicationReference: { reference: `Medication/${medication}` },
        subject: { reference: subject },
        authoredOn: diagnosed,
      });
    }
    sink.endPatient?.(id);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir = "bench/out/export", count = "1000"] = process.argv.slice(2);
  const result = generateExport(dir, Number(count));
  console.log(`${dir}: ${result.patients} patients, ${result.resources} resources`, result.byType);
}
