/**
 * The first pass's reading of one NDJSON line: what it is (a patient's resource, a shared Medication, a type the rules
 * do not use, or a problem) and whether the second pass may leave it unread. Reports through a `LineSink`, so the main
 * thread (straight into the index) and a scan worker (into buffers it sends back, see scan-worker.ts) read lines by
 * the very same code.
 */
import type { Resource } from "fhir/r4";
import type { CodeMap } from "../fhir/code-map";
import { observationTextMayMatter } from "../fhir/observation-prefilter";
import { errorMessage } from "./diagnostics";
import { type CliText, cliText } from "./messages";
import type { NdjsonLine } from "./ndjson-reader";
import { namesOneResourceType, scanRawLine } from "./raw-scan";
import { readFhirJson } from "./bundle-reader";
import { placeResource } from "./references";

/** What the reading of a line reports, in line order. */
export interface LineSink {
  /** The line is a FHIR resource (of any type); called before anything else is reported for it. */
  fhirLine(): void;
  /** A resource of the patient `key` (`Patient/<id>`); `deferred`: the second pass need not read it (see below). */
  patientLine(key: string, line: NdjsonLine, deferred: boolean): void;
  /** A resource shared between patients (a Medication), by `Type/id`. */
  sharedResource(reference: string, resource: Resource): void;
  /** A resource of a type the rules do not use. */
  skippedType(resourceType: string, lineNo: number): void;
  /** A line that is skipped, with the reason. */
  warning(lineNo: number, message: CliText): void;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A line the second pass need not parse:
 * - a Patient: the first pass parsed it already (for its id), and the FHIR layer does not read Patient resources (the
 *   app leaves the Patient out too);
 * - an Observation whose text holds no HER2 or staging code and no HER2 word (`observationTextMayMatter`), that names
 *   one resourceType only, and that ends like a whole JSON object (a line cut short is parsed, so it is reported).
 * Deferred lines are still indexed, and read after all for a patient with a panel (its members are read whatever
 * their code) or with nothing else (see patient-resources.ts).
 */
function isDeferrable(resourceType: string, text: string, codeMap: CodeMap, oneTypeKnown = false): boolean {
  if (resourceType === "Patient") return true;
  return (
    resourceType === "Observation" &&
    text.trimEnd().endsWith("}") &&
    (oneTypeKnown || namesOneResourceType(text)) &&
    !observationTextMayMatter(text, codeMap)
  );
}

/**
 * Reads one NDJSON line and reports it to `sink`.
 * @returns false for a blank line (nothing reported), true otherwise.
 */
export function scanLine(line: NdjsonLine, codeMap: CodeMap, sink: LineSink): boolean {
  const text = line.text;
  if (text.trim() === "") return false;
  const scan = scanRawLine(text);
  if (scan?.kind === "skip") {
    sink.fhirLine();
    sink.skippedType(scan.resourceType, line.lineNo);
    return true;
  }
  if (scan?.kind === "patient") {
    sink.fhirLine();
    // The raw scan reads only lines that name one resourceType.
    sink.patientLine(scan.patient, line, isDeferrable(scan.resourceType, text, codeMap, true));
    return true;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    sink.warning(line.lineNo, cliText("line.notJson", { error: errorMessage(error) }));
    return true;
  }
  if (!isObject(value) || typeof value["resourceType"] !== "string") {
    sink.warning(line.lineNo, cliText("line.notResource"));
    return true;
  }
  sink.fhirLine();
  const resource = value as unknown as Resource;
  if (resource.resourceType === "Bundle") {
    scanBundleLine(value, line, sink);
    return true;
  }
  const placement = placeResource(resource);
  switch (placement.kind) {
    case "skip":
      sink.skippedType(placement.resourceType, line.lineNo);
      break;
    case "problem":
      sink.warning(line.lineNo, placement.message);
      break;
    case "shared":
      sink.sharedResource(placement.reference, resource);
      break;
    case "patient":
      sink.patientLine(placement.key, line, isDeferrable(resource.resourceType, text, codeMap));
      break;
  }
  return true;
}

/**
 * A Bundle on an NDJSON line is read as its entries, by the same rules as a Bundle file: the line is indexed under each
 * patient it holds resources of, and the second pass takes that patient's entries from it (patient-resources.ts).
 */
function scanBundleLine(value: Record<string, unknown>, line: NdjsonLine, sink: LineSink): void {
  const document = readFhirJson(value);
  if (document.kind === "invalid") {
    sink.warning(line.lineNo, cliText("line.skipped", { reason: document.reason }));
    return;
  }
  for (const problem of document.problems)
    sink.warning(line.lineNo, cliText("diag.at", { where: problem.where, message: problem.message }));
  const patients = new Set<string>();
  for (const { resource, where } of document.resources) {
    const placement = placeResource(resource);
    if (placement.kind === "skip") sink.skippedType(placement.resourceType, line.lineNo);
    else if (placement.kind === "problem")
      sink.warning(line.lineNo, cliText("diag.at", { where, message: placement.message }));
    else if (placement.kind === "shared") sink.sharedResource(placement.reference, resource);
    else if (!patients.has(placement.key)) {
      patients.add(placement.key);
      sink.patientLine(placement.key, line, false);
    }
  }
}
