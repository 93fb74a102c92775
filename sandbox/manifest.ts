import { readFileSync } from "node:fs";
import {
  CATEGORIES as CONTRACT_CATEGORIES,
  FLAG_CODES,
  SETTINGS as CONTRACT_SETTINGS,
  STATUSES as CONTRACT_STATUSES,
} from "../src/domain/codes.ts";
import type { FlagCode, Her2Category, Her2Status, Setting } from "../src/domain/types.ts";

/** What the HER2 rules should conclude for a synthetic patient (DESIGN.md, "Contract: the assessment"). */
export interface ExpectedAssessment {
  readonly status: Her2Status;
  readonly category: Her2Category;
  readonly setting: Setting;
  readonly flags: readonly FlagCode[];
}

/** One row of `sandbox/patients/index.json`. */
export interface ManifestPatient {
  readonly id: string;
  readonly file: string;
  readonly name: string;
  readonly birthDate: string;
  readonly scenario: string;
  readonly expected: ExpectedAssessment;
  /** Why the expectation is what it is, where the guideline needs a reading (optional). */
  readonly rationale?: string;
  /**
   * The most matches per page the sandbox serves in this patient's searches, whatever `_count` asks (optional;
   * default MAX_PAGE_SIZE), so that a patient's few results still span pages as on a server with a small cap.
   */
  readonly maxPageSize?: number;
}

/** `sandbox/patients/index.json`: the list that the sandbox page, the README and the browser tests read. */
export interface PatientManifest {
  readonly asOf: string;
  readonly patients: readonly ManifestPatient[];
}

const STATUSES = new Set<string>(CONTRACT_STATUSES);
const CATEGORIES = new Set<string>(CONTRACT_CATEGORIES);
const SETTINGS = new Set<string>(CONTRACT_SETTINGS);
const FLAGS = new Set<string>(FLAG_CODES);

/**
 * Reads and checks the manifest, failing loudly with the offending entry.
 * @throws Error when a field is missing or a status, category, setting or flag is not a contract value
 */
export function readManifest(path: string): PatientManifest {
  const raw = JSON.parse(readFileSync(path, "utf8")) as unknown;
  const fail = (what: string): never => {
    throw new Error(`${path}: ${what}`);
  };
  if (!isRecord(raw) || typeof raw.asOf !== "string" || !Array.isArray(raw.patients)) {
    return fail("expected { asOf, patients: [...] }");
  }
  const patients = raw.patients.map((p: unknown, i): ManifestPatient => {
    if (!isRecord(p)) return fail(`patients[${i}] is not an object`);
    for (const key of ["id", "file", "name", "birthDate", "scenario"]) {
      if (typeof p[key] !== "string" || p[key] === "") fail(`patients[${i}].${key} is missing`);
    }
    const e = p.expected;
    if (!isRecord(e)) return fail(`patients[${i}].expected is missing`);
    if (typeof e.status !== "string" || !STATUSES.has(e.status))
      fail(`patients[${i}].expected.status is invalid`);
    if (typeof e.category !== "string" || !CATEGORIES.has(e.category))
      fail(`patients[${i}].expected.category is invalid`);
    if (typeof e.setting !== "string" || !SETTINGS.has(e.setting))
      fail(`patients[${i}].expected.setting is invalid`);
    if (!Array.isArray(e.flags) || !e.flags.every((f) => typeof f === "string" && FLAGS.has(f))) {
      fail(`patients[${i}].expected.flags has an unknown flag code`);
    }
    const maxPageSize = p.maxPageSize;
    if (maxPageSize !== undefined && !(Number.isInteger(maxPageSize) && (maxPageSize as number) > 0))
      fail(`patients[${i}].maxPageSize must be a whole number above 0`);
    return p as unknown as ManifestPatient;
  });
  const ids = new Set<string>();
  for (const p of patients) {
    if (ids.has(p.id)) fail(`duplicate patient id ${p.id}`);
    ids.add(p.id);
  }
  return { asOf: raw.asOf, patients };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
