/**
 * Institution code maps: a hospital's local codes mapped to the concepts the FHIR layer understands. Part of the
 * per-issuer configuration; validated at load so a typo fails loudly instead of silently hiding results.
 * The JSON format is documented in src/fhir/README.md.
 */
import type { IhcScore, IhcZeroDetail, ReportedCall } from "../domain/types";
import { ANTI_HER2_DRUGS } from "./terminology/medications";
import { HER2_CONCEPTS, type Her2Concept } from "./terminology/her2-codes";

/** What a local answer code means. */
export type AnswerMeaning =
  | ReportedCall
  | "ihc-0"
  | "ihc-0-null"
  | "ihc-0-ultralow"
  | "ihc-1+"
  | "ihc-2+"
  | "ihc-3+"
  | "amplified"
  | "not-amplified";

export const ANSWER_MEANINGS: readonly AnswerMeaning[] = [
  "positive",
  "negative",
  "equivocal",
  "indeterminate",
  "ihc-0",
  "ihc-0-null",
  "ihc-0-ultralow",
  "ihc-1+",
  "ihc-2+",
  "ihc-3+",
  "amplified",
  "not-amplified",
];

export interface LocalObservationCode {
  system: string;
  code: string;
  concept: Her2Concept;
  display?: string;
}
export interface LocalAnswerCode {
  system: string;
  code: string;
  meaning: AnswerMeaning;
  display?: string;
}
export interface LocalMedicationCode {
  system: string;
  code: string;
  /** One of the anti-HER2 drug names of terminology/medications.ts, e.g. "trastuzumab". */
  drug: string;
  display?: string;
}

export interface CodeMap {
  observations: readonly LocalObservationCode[];
  answers: readonly LocalAnswerCode[];
  medications: readonly LocalMedicationCode[];
}

export const EMPTY_CODE_MAP: CodeMap = { observations: [], answers: [], medications: [] };

/** What an answer meaning says in the rules' terms. */
export function answerMeaningToValue(meaning: AnswerMeaning): {
  call?: ReportedCall;
  score?: IhcScore;
  zeroDetail?: IhcZeroDetail;
} {
  switch (meaning) {
    case "ihc-0":
      return { score: "0" };
    case "ihc-0-null":
      return { score: "0", zeroDetail: "null" };
    case "ihc-0-ultralow":
      return { score: "0", zeroDetail: "ultralow" };
    case "ihc-1+":
      return { score: "1+" };
    case "ihc-2+":
      return { score: "2+" };
    case "ihc-3+":
      return { score: "3+" };
    case "amplified":
      return { call: "positive" };
    case "not-amplified":
      return { call: "negative" };
    default:
      return { call: meaning };
  }
}

const DRUG_NAMES = ANTI_HER2_DRUGS.map((d) => d.drug);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}

function fail(path: string, message: string): never {
  throw new Error(`Invalid code map: ${path}: ${message}`);
}

function requireString(item: Json, key: string, path: string): string {
  const value = item[key];
  if (typeof value !== "string" || value.trim() === "") {
    fail(`${path}.${key}`, `expected a non-empty string, got ${show(value)}`);
  }
  return value;
}

function optionalString(item: Json, key: string, path: string): string | undefined {
  const value = item[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string") fail(`${path}.${key}`, `expected a string, got ${JSON.stringify(value)}`);
  return value;
}

function requireOneOf<T extends string>(item: Json, key: string, path: string, allowed: readonly T[]): T {
  const value = item[key];
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    fail(`${path}.${key}`, `expected one of ${allowed.join(", ")}; got ${show(value)}`);
  }
  return value as T;
}

function rejectUnknownKeys(item: Json, path: string, known: readonly string[]): void {
  for (const key of Object.keys(item)) {
    if (!known.includes(key)) fail(`${path}.${key}`, `unknown field (expected ${known.join(", ")})`);
  }
}

function readList<T>(root: Json, key: string, read: (item: Json, path: string) => T): T[] {
  const list = root[key];
  if (list === undefined) return [];
  if (!Array.isArray(list)) fail(`codeMap.${key}`, "expected an array");
  return list.map((item: unknown, index) => {
    const path = `codeMap.${key}[${index}]`;
    if (!isObject(item)) fail(path, "expected an object");
    return read(item, path);
  });
}

/**
 * Validates an institution code map read from JSON.
 * @param json the parsed JSON (`unknown`: nothing is trusted)
 * @returns the typed code map
 * @throws Error whose message names the offending path, e.g. `codeMap.observations[1].concept`
 */
export function parseCodeMap(json: unknown): CodeMap {
  if (!isObject(json)) fail("codeMap", "expected an object with observations, answers and/or medications");
  rejectUnknownKeys(json, "codeMap", ["observations", "answers", "medications", "description"]);
  const observations = readList(json, "observations", (item, path): LocalObservationCode => {
    rejectUnknownKeys(item, path, ["system", "code", "concept", "display"]);
    return {
      system: requireString(item, "system", path),
      code: requireString(item, "code", path),
      concept: requireOneOf(item, "concept", path, HER2_CONCEPTS),
      display: optionalString(item, "display", path),
    };
  });
  const answers = readList(json, "answers", (item, path): LocalAnswerCode => {
    rejectUnknownKeys(item, path, ["system", "code", "meaning", "display"]);
    return {
      system: requireString(item, "system", path),
      code: requireString(item, "code", path),
      meaning: requireOneOf(item, "meaning", path, ANSWER_MEANINGS),
      display: optionalString(item, "display", path),
    };
  });
  const medications = readList(json, "medications", (item, path): LocalMedicationCode => {
    rejectUnknownKeys(item, path, ["system", "code", "drug", "display"]);
    return {
      system: requireString(item, "system", path),
      code: requireString(item, "code", path),
      drug: requireOneOf(item, "drug", path, DRUG_NAMES),
      display: optionalString(item, "display", path),
    };
  });
  const seen = new Map<string, string>();
  observations.forEach((entry, index) => {
    const key = `${entry.system}|${entry.code}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      fail(`codeMap.observations[${index}]`, `duplicate of ${earlier} (${key})`);
    }
    seen.set(key, `codeMap.observations[${index}]`);
  });
  return { observations, answers, medications };
}
