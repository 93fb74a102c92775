/**
 * A cheap look at a raw NDJSON line, before (and usually instead of) JSON.parse in the first pass.
 *
 * The first pass only needs each line's resource type and patient. Parsing every line twice would make the review
 * at least twice as slow as reading the export once, so lines in the canonical Bulk Data shape (no whitespace,
 * `resourceType` first, one `"subject":{"reference":"Patient/<id>"` or `"patient":{…}`, nothing contained) are read
 * by string search. Anything else returns undefined and is parsed. The second pass parses every grouped line and
 * checks the patient again with `patientKeyOf`, so a line this scan misreads is caught there, never silently misfiled.
 */
import { isReadType, PATIENT_RESOURCE_TYPES } from "./references";

const TYPE_PREFIX = '{"resourceType":"';
const ID = /^[A-Za-z0-9\-.]{1,64}$/;

export type RawScan =
  /** A type the CLI does not read: skip the line without parsing it. */
  | { kind: "skip"; resourceType: string }
  /** A per-patient resource whose patient the scan could read. */
  | { kind: "patient"; resourceType: string; patient: string };

function countOf(line: string, needle: string): number {
  let count = 0;
  for (let at = line.indexOf(needle); at !== -1; at = line.indexOf(needle, at + needle.length)) count++;
  return count;
}

/**
 * Reads the type and patient of a canonical NDJSON line without parsing it.
 * @param line One NDJSON line (no trailing newline).
 * @returns What the scan could read, or undefined when the line must be parsed.
 */
export function scanRawLine(line: string): RawScan | undefined {
  if (!line.startsWith(TYPE_PREFIX)) return undefined;
  const typeEnd = line.indexOf('"', TYPE_PREFIX.length);
  if (typeEnd === -1) return undefined;
  const resourceType = line.slice(TYPE_PREFIX.length, typeEnd);
  if (!/^[A-Z][A-Za-z]+$/.test(resourceType)) return undefined;
  if (!isReadType(resourceType)) return { kind: "skip", resourceType };
  if (resourceType === "Patient" || !PATIENT_RESOURCE_TYPES.has(resourceType)) return undefined;
  if (line.includes('"contained"') || line.indexOf('"resourceType"', TYPE_PREFIX.length) !== -1)
    return undefined;

  const subjects = countOf(line, '"subject"');
  const patients = countOf(line, '"patient"');
  if (subjects + patients !== 1) return undefined;
  const prefix = subjects === 1 ? '"subject":{"reference":"' : '"patient":{"reference":"';
  const start = line.indexOf(prefix);
  if (start === -1) return undefined;
  const valueStart = start + prefix.length;
  const valueEnd = line.indexOf('"', valueStart);
  if (valueEnd === -1) return undefined;
  const reference = line.slice(valueStart, valueEnd);
  if (!reference.startsWith("Patient/")) return undefined;
  const id = reference.slice("Patient/".length);
  return ID.test(id) ? { kind: "patient", resourceType, patient: reference } : undefined;
}
