/** Test helpers for the CLI: temporary input folders, FHIR resource builders, and an in-process `review` run. */
import type {
  Bundle,
  Condition,
  Medication,
  MedicationRequest,
  Observation,
  Patient,
  Resource,
  Specimen,
} from "fhir/r4";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach } from "vitest";
import type { Assessment, DataGap } from "../../src/domain";
import { assess } from "../../src/domain";
import { buildPatientInput } from "../../src/fhir/normalise";
import { review, type ReviewOptions, type ReviewResult, type ReviewTuning } from "../../src/cli/review";

export const AS_OF = "2026-11-25";

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "her2-cli-"));
  made.push(dir);
  return dir;
}

/** Writes resources as NDJSON (one JSON.stringify per line) and returns the path. */
export function writeNdjson(dir: string, name: string, resources: readonly unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, resources.map((r) => JSON.stringify(r)).join("\n") + "\n");
  return path;
}

export function writeText(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

export function writeJson(dir: string, name: string, value: unknown): string {
  return writeText(dir, name, JSON.stringify(value, null, 2));
}

/** A Writable that keeps what was written. */
export class Sink extends Writable {
  text = "";
  isTTY?: boolean;
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

export interface ReviewRun {
  result: ReviewResult;
  stdout: string;
  stderr: string;
  /** stdout NDJSON lines, parsed. */
  assessments: Assessment[];
}

/**
 * Runs `review` in-process with the given inputs and options (default: NDJSON, as of AS_OF, no filters).
 * @param tuning how the second pass runs (worker threads); the command line's defaults when absent
 */
export async function runReview(
  inputs: readonly string[],
  options: Partial<ReviewOptions> = {},
  tuning?: ReviewTuning,
): Promise<ReviewRun> {
  const stdout = new Sink();
  const stderr = new Sink();
  const result = await review(
    { inputs, format: "ndjson", asOf: AS_OF, flags: [], statuses: [], ...options },
    { stdout, stderr },
    tuning,
  );
  const assessments =
    (options.format ?? "ndjson") === "ndjson"
      ? stdout.text
          .split("\n")
          .filter((l) => l !== "")
          .map((l) => JSON.parse(l) as Assessment)
      : [];
  return { result, stdout: stdout.text, stderr: stderr.text, assessments };
}

/** What the app's own modules say for these resources: the expected CLI output for one patient. */
export function expectedAssessment(
  patient: string,
  resources: readonly Resource[],
  asOf = AS_OF,
  dataGaps: DataGap[] = [],
): Assessment {
  // Round-trip through JSON like the CLI output, so undefined fields compare as absent.
  return JSON.parse(
    JSON.stringify(assess(buildPatientInput({ patient, resources, asOf, dataGaps }))),
  ) as Assessment;
}

// ---------------------------------------------------------------------------------------------------------------
// Resource builders (shapes as LOINC / TERMINOLOGY.md describe them).

const LOINC = "http://loinc.org";

export function patient(id: string): Patient {
  return { resourceType: "Patient", id, gender: "female", birthDate: "1970-01-01" };
}

/** HER2 IHC result (LOINC 85319-2) with the score as text, e.g. "3+". */
export function ihc(
  id: string,
  subject: string,
  score: string,
  extra: Partial<Observation> = {},
): Observation {
  return {
    resourceType: "Observation",
    id,
    status: "final",
    code: {
      coding: [
        {
          system: LOINC,
          code: "85319-2",
          display: "HER2 [Presence] in Breast cancer specimen by Immune stain",
        },
      ],
    },
    subject: { reference: subject },
    effectiveDateTime: "2026-03-02",
    valueString: score,
    ...extra,
  };
}

/** A non-HER2 laboratory Observation, which the rules must ignore. */
export function hemoglobin(id: string, subject: string): Observation {
  return {
    resourceType: "Observation",
    id,
    status: "final",
    code: { coding: [{ system: LOINC, code: "718-7", display: "Hemoglobin" }] },
    subject: { reference: subject },
    effectiveDateTime: "2026-03-01",
    valueQuantity: { value: 12.5, unit: "g/dL" },
  };
}

export function specimen(id: string, subject: string): Specimen {
  return {
    resourceType: "Specimen",
    id,
    subject: { reference: subject },
    collection: { collectedDateTime: "2026-03-01" },
  };
}

export function breastCancer(id: string, subject: string): Condition {
  return {
    resourceType: "Condition",
    id,
    subject: { reference: subject },
    code: {
      coding: [
        { system: "http://snomed.info/sct", code: "254837009", display: "Malignant neoplasm of breast" },
      ],
    },
    onsetDateTime: "2026-02-15",
  };
}

export function trastuzumab(id: string): Medication {
  return {
    resourceType: "Medication",
    id,
    code: {
      coding: [
        { system: "http://www.nlm.nih.gov/research/umls/rxnorm", code: "224905", display: "trastuzumab" },
      ],
    },
  };
}

export function medicationRequest(id: string, subject: string, medication: string): MedicationRequest {
  return {
    resourceType: "MedicationRequest",
    id,
    status: "active",
    intent: "order",
    subject: { reference: subject },
    medicationReference: { reference: medication },
    authoredOn: "2026-04-01",
  };
}

export function bundle(type: Bundle["type"], entries: Bundle["entry"]): Bundle {
  return { resourceType: "Bundle", type, ...(entries ? { entry: entries } : {}) };
}

/**
 * Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF) into rows keyed by the header. Only for checking the
 * CLI's CSV in tests: no CSV parser is installed, and csv-stringify is what the CLI writes with.
 */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  const [header = [], ...body] = rows;
  return body.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ""])));
}
