/**
 * First pass: reads every input once, builds the patient index (see grouping.ts), keeps the shared resources
 * (Medication), and reports bad lines and entries with their file and line. Stops with a UsageError (exit 2) for a
 * file that is not FHIR JSON / NDJSON at all, before anything is written to stdout.
 */
import { readFile } from "node:fs/promises";
import type { Resource } from "fhir/r4";
import type { DataGap } from "../domain";
import { readFhirJson, type LocatedResource } from "./bundle-reader";
import { Diagnostics, errorMessage, SkippedTypes, UsageError } from "./diagnostics";
import type { PatientIndex } from "./grouping";
import type { InputFile } from "./inputs";
import { readNdjsonLines, type NdjsonLine } from "./ndjson-reader";
import { scanRawLine } from "./raw-scan";
import { isReadType, placeResource } from "./references";
import type { CodeMap } from "../fhir/code-map";
import { observationTextMayMatter } from "../fhir/observation-prefilter";

/**
 * A line the second pass need not parse:
 * - a Patient: the first pass parsed it already (for its id), and the FHIR layer does not read Patient resources (the
 *   app leaves the Patient out too);
 * - an Observation whose text holds no HER2 or staging code and no HER2 word (`observationTextMayMatter`), that names
 *   one resourceType only, and that ends like a whole JSON object (a line cut short is parsed, so it is reported).
 * Deferred lines are still indexed, and read after all for a patient with a panel (its members are read whatever
 * their code) or with nothing else (see patient-resources.ts).
 */
function isDeferrable(resourceType: string, text: string, codeMap: CodeMap): boolean {
  if (resourceType === "Patient") return true;
  return (
    resourceType === "Observation" &&
    text.trimEnd().endsWith("}") &&
    namesOneResourceType(text) &&
    !observationTextMayMatter(text, codeMap)
  );
}

/**
 * True when `"resourceType"` occurs once in the line. A second one is a contained resource (whose subject the raw scan
 * could take for the line's) or a repeated key (JSON.parse keeps the last, so the line may not be an Observation):
 * such a line is always parsed.
 */
function namesOneResourceType(text: string): boolean {
  const first = text.indexOf('resourceType"');
  if (first === -1) return false;
  // Searched by its rarer tail `Type"` (a capital letter), then checked: several times faster on JSON text.
  for (let at = text.indexOf('Type"', first + 13); at !== -1; at = text.indexOf('Type"', at + 1)) {
    if (text.startsWith("resource", at - 8)) return false;
  }
  return true;
}

/** Resources of one Bundle file, grouped by patient (`Patient/<id>` -> resources in file order). */
export type BundleGroups = Map<string, Resource[]>;

/** A Bundle file as the second pass uses it: its patients' resources, and the data gaps of all its patients. */
export interface GroupedBundle {
  groups: BundleGroups;
  gaps: DataGap[];
}

export interface FirstPassState {
  readonly index: PatientIndex;
  /** `Medication/<id>` -> resource, shared by all patients. */
  readonly shared: Map<string, Resource>;
  readonly diagnostics: Diagnostics;
  /** The institution's local codes: an Observation under one of them is never deferred. */
  readonly codeMap: CodeMap;
  /** Bundle files already grouped in this pass, offered for reuse in the second pass. */
  readonly onBundleGrouped: (file: number, bundle: GroupedBundle, bytes: number) => void;
  /** Called with the bytes of each file once read, for progress. */
  readonly onBytes: (bytes: number) => void;
  /** Called for every NDJSON line, for progress (undefined: no progress shown). */
  readonly onLine: ((file: InputFile, lineNo: number) => void) | undefined;
  /** Resources read (placed with a patient or shared). */
  resources: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads one NDJSON file into the index. */
async function indexNdjson(file: InputFile, fileNumber: number, state: FirstPassState): Promise<void> {
  const { index, shared, diagnostics } = state;
  const skipped = new SkippedTypes();
  let fhirLines = 0;
  let nonBlank = 0;
  // Warnings before the first FHIR line are held back: if no line is FHIR the file is rejected as a whole instead.
  const heldBack: { where: string; message: string }[] = [];
  const warn = (where: string, message: string): void => {
    if (fhirLines === 0) heldBack.push({ where, message });
    else diagnostics.warn(file.path, where, message);
  };
  const fhirLine = (): void => {
    if (fhirLines++ === 0)
      for (const w of heldBack.splice(0)) diagnostics.warn(file.path, w.where, w.message);
  };

  const onLine = (line: NdjsonLine): void => {
    state.onLine?.(file, line.lineNo);
    if (line.text.trim() === "") return;
    nonBlank++;
    const scan = scanRawLine(line.text);
    if (scan?.kind === "skip") {
      fhirLine();
      skipped.add(scan.resourceType, `${file.path}:${line.lineNo}`);
      return;
    }
    if (scan?.kind === "patient") {
      fhirLine();
      state.resources++;
      index.addLine(
        scan.patient,
        fileNumber,
        line.offset,
        line.byteLength,
        line.lineNo,
        isDeferrable(scan.resourceType, line.text, state.codeMap),
      );
      return;
    }
    // Built only off the fast path above: a string per line of a large export is measurable.
    const where = `${file.path}:${line.lineNo}`;
    let value: unknown;
    try {
      value = JSON.parse(line.text);
    } catch (error) {
      warn(where, `not valid JSON (${errorMessage(error)}); line skipped`);
      return;
    }
    if (!isObject(value) || typeof value["resourceType"] !== "string") {
      warn(where, "not a FHIR resource (no resourceType); line skipped");
      return;
    }
    fhirLine();
    const resource = value as unknown as Resource;
    if (resource.resourceType === "Bundle") {
      warn(where, "a Bundle on an NDJSON line is not supported (give it its own .json file); line skipped");
      return;
    }
    const placement = placeResource(resource);
    switch (placement.kind) {
      case "skip":
        skipped.add(placement.resourceType, where);
        return;
      case "problem":
        warn(where, placement.message);
        return;
      case "shared":
        state.resources++;
        shared.set(placement.reference, resource);
        return;
      case "patient":
        state.resources++;
        index.addLine(
          placement.key,
          fileNumber,
          line.offset,
          line.byteLength,
          line.lineNo,
          isDeferrable(resource.resourceType, line.text, state.codeMap),
        );
        return;
    }
  };

  let bytes: number;
  try {
    ({ bytes } = await readNdjsonLines(file.path, onLine));
  } catch (error) {
    throw new UsageError(`${file.path}: cannot be read (${errorMessage(error)})`);
  }
  state.onBytes(bytes);
  if (nonBlank === 0) diagnostics.warn(file.path, file.path, "empty file; nothing read");
  else if (fhirLines === 0) {
    const first = heldBack[0];
    throw new UsageError(
      `${file.path}: not FHIR NDJSON: no line is a FHIR resource${first ? ` (line 1: ${first.message})` : ""}`,
    );
  }
  skipped.report(diagnostics);
  diagnostics.endFile(file.path);
}

/** Groups a Bundle's resources by patient, by the same rule as NDJSON lines; reports problems when given diagnostics. */
export function groupBundle(
  path: string,
  resources: readonly LocatedResource[],
  shared: Map<string, Resource>,
  diagnostics: Diagnostics | undefined,
): BundleGroups {
  const groups: BundleGroups = new Map();
  const skipped = new SkippedTypes();
  for (const { resource, where } of resources) {
    const placement = placeResource(resource);
    const at = `${path}: ${where}`;
    if (placement.kind === "skip") skipped.add(placement.resourceType, at);
    else if (placement.kind === "problem") diagnostics?.warn(path, at, placement.message);
    else if (placement.kind === "shared") shared.set(placement.reference, resource);
    else {
      const group = groups.get(placement.key);
      if (group) group.push(resource);
      else groups.set(placement.key, [resource]);
    }
  }
  if (diagnostics) skipped.report(diagnostics);
  return groups;
}

/**
 * Parses a JSON file as a FHIR document. `ndjson` means the whole file is not one JSON value but its first line is a
 * resource: NDJSON saved with a `.json` name.
 * @throws UsageError when it is not FHIR JSON at all.
 */
export async function parseJsonFile(
  file: InputFile,
): Promise<{ kind: "document"; value: unknown } | { kind: "ndjson" } | { kind: "empty" }> {
  let text: string;
  try {
    text = await readFile(file.path, "utf8");
  } catch (error) {
    throw new UsageError(`${file.path}: cannot be read (${errorMessage(error)})`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "") return { kind: "empty" };
  try {
    return { kind: "document", value: JSON.parse(text) };
  } catch (error) {
    const firstLine = text.trimStart().split("\n", 1)[0] ?? "";
    try {
      const first: unknown = JSON.parse(firstLine);
      if (isObject(first) && typeof first["resourceType"] === "string") return { kind: "ndjson" };
    } catch {
      // not NDJSON either: reported below
    }
    throw new UsageError(`${file.path}: not FHIR JSON or NDJSON (${errorMessage(error)})`);
  }
}

async function indexJson(file: InputFile, fileNumber: number, state: FirstPassState): Promise<void> {
  const { diagnostics } = state;
  const parsed = await parseJsonFile(file);
  if (parsed.kind === "ndjson") {
    await indexNdjson(file, fileNumber, state);
    return;
  }
  state.onBytes(file.bytes);
  if (parsed.kind === "empty") {
    diagnostics.warn(file.path, file.path, "empty file; nothing read");
    return;
  }
  const document = readFhirJson(parsed.value);
  if (document.kind === "invalid") {
    // In a folder, other JSON files (a Bulk Data manifest, say) are expected; named on the command line, they are not.
    if (file.fromFolder) {
      diagnostics.note(file.path, `skipped: ${document.reason}`);
      return;
    }
    throw new UsageError(`${file.path}: ${document.reason}`);
  }
  for (const problem of document.problems)
    diagnostics.warn(file.path, `${file.path}: ${problem.where}`, problem.message);
  const groups = groupBundle(file.path, document.resources, state.shared, diagnostics);
  for (const [key, resources] of groups) {
    state.index.addBundleMember(key, fileNumber);
    state.resources += resources.length;
  }
  state.resources += document.resources.filter((r) => placeResource(r.resource).kind === "shared").length;
  state.onBundleGrouped(fileNumber, { groups, gaps: document.gaps }, file.bytes);
  diagnostics.endFile(file.path);
}

/**
 * Reads all inputs once, in order, into `state`.
 * @throws UsageError for a file that cannot be read or is not FHIR JSON / NDJSON at all.
 */
export async function firstPass(files: readonly InputFile[], state: FirstPassState): Promise<void> {
  for (const [fileNumber, file] of files.entries()) {
    if (file.typeFromName !== undefined && !isReadType(file.typeFromName)) {
      state.onBytes(file.bytes);
      state.diagnostics.note(
        file.path,
        `skipped (${file.typeFromName} resources are not used by the HER2 rules)`,
      );
      continue;
    }
    if (file.kind === "ndjson") await indexNdjson(file, fileNumber, state);
    else await indexJson(file, fileNumber, state);
  }
}
