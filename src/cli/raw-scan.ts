/**
 * A cheap look at a raw NDJSON line, before (and usually instead of) JSON.parse in the first pass.
 *
 * The first pass only needs each line's resource type and patient. Parsing every line twice would make the review
 * at least twice as slow as reading the export once, so lines in the canonical Bulk Data shape (no whitespace,
 * `resourceType` first, exactly one `"subject"` or `"patient"` key in the whole line, written
 * `"subject":{"reference":"Patient/<id>"`) are read with a few string searches. Anything else returns
 * undefined and is parsed. The second pass parses every grouped line and checks its patient again with
 * `patientKeyOf`: with a single such key in the line, a key nested in a contained resource or an extension (the only
 * way the scan can misread) means the resource has no top-level patient, and the second pass reports it exactly as
 * the parsed path would. A line with a `\u` escape, which could spell a key the searches would miss, is parsed; so is a
 * line that names `resourceType` twice (JSON.parse keeps the last, the scan would read the first) and a Bundle (read
 * as its entries). Nothing is ever filed under the wrong patient, and no line is skipped that JSON.parse would read.
 */
import { isReadType, PATIENT_RESOURCE_TYPES } from "./references";

const TYPE_PREFIX = '{"resourceType":"';
const ID = /^[A-Za-z0-9\-.]{1,64}$/;

export type RawScan =
  /** A type the CLI does not read: skip the line without parsing it. */
  | { kind: "skip"; resourceType: string }
  /** A per-patient resource whose patient the scan could read. */
  | { kind: "patient"; resourceType: string; patient: string };

const CANONICAL_VALUE = ':{"reference":"';
const QUOTE = 34;

/** A key's name and closing quote: `subject"` stands for the key `"subject"`. */
const SUBJECT_TAIL = 'subject"';
const PATIENT_TAIL = 'patient"';

/**
 * Index of the next key `"<name>"` after `from` (given as its `tail`, `<name>"`), or -1. Searches for the tail and
 * checks the quote before it: V8 finds a pattern that starts with a letter several times faster than one that starts
 * with a quote, the most frequent character of JSON.
 */
function keyIndex(line: string, tail: string, from: number): number {
  for (let i = line.indexOf(tail, from + 1); i !== -1; i = line.indexOf(tail, i + 1)) {
    if (line.charCodeAt(i - 1) === QUOTE) return i - 1;
  }
  return -1;
}

/**
 * Where the value of the line's only `"subject"` or `"patient"` key starts, when it is written in the canonical
 * `{"reference":"` form; -1 when there is no such key, more than one, or another form. (String searches, not a
 * regular expression: this runs on every line of the export.)
 */
function canonicalReferenceStart(line: string): number {
  const subject = keyIndex(line, SUBJECT_TAIL, 0);
  const patient = keyIndex(line, PATIENT_TAIL, 0);
  if ((subject === -1) === (patient === -1)) return -1;
  const [at, tail] = subject !== -1 ? [subject, SUBJECT_TAIL] : [patient, PATIENT_TAIL];
  if (keyIndex(line, tail, at + 1) !== -1) return -1;
  const valueStart = at + 1 + tail.length;
  return line.startsWith(CANONICAL_VALUE, valueStart) ? valueStart + CANONICAL_VALUE.length : -1;
}

/**
 * Reads the type and patient of a canonical NDJSON line without parsing it.
 * @param line One NDJSON line (no trailing newline).
 * @returns What the scan could read, or undefined when the line must be parsed.
 */
export function scanRawLine(line: string): RawScan | undefined {
  if (!line.startsWith(TYPE_PREFIX)) return undefined;
  // A `\u` escape can spell a key's letters ("subj\u0065ct"), which JSON.parse decodes and the searches below would
  // not see: such a line is parsed. A backslash is rare in JSON text, so this search costs little.
  if (line.includes("\\u")) return undefined;
  const typeEnd = line.indexOf('"', TYPE_PREFIX.length);
  if (typeEnd === -1) return undefined;
  const resourceType = line.slice(TYPE_PREFIX.length, typeEnd);
  if (!/^[A-Z][A-Za-z]+$/.test(resourceType)) return undefined;
  if (resourceType === "Bundle" || !namesOneResourceType(line)) return undefined;
  if (!isReadType(resourceType)) return { kind: "skip", resourceType };
  if (resourceType === "Patient" || !PATIENT_RESOURCE_TYPES.has(resourceType)) return undefined;
  const valueStart = canonicalReferenceStart(line);
  if (valueStart === -1) return undefined;
  const valueEnd = line.indexOf('"', valueStart);
  if (valueEnd === -1) return undefined;
  const reference = line.slice(valueStart, valueEnd);
  if (!reference.startsWith("Patient/")) return undefined;
  const id = reference.slice("Patient/".length);
  return ID.test(id) ? { kind: "patient", resourceType, patient: reference } : undefined;
}

/**
 * True when `"resourceType"` occurs once in the line. A second one is a contained resource (whose subject the raw scan
 * could take for the line's) or a repeated key (JSON.parse keeps the last, so the line may not be of the type the scan
 * read first): such a line is parsed.
 */
export function namesOneResourceType(text: string): boolean {
  const first = text.indexOf('resourceType"');
  if (first === -1) return false;
  // Searched by its rarer tail `Type"` (a capital letter), then checked: several times faster on JSON text.
  for (let at = text.indexOf('Type"', first + 13); at !== -1; at = text.indexOf('Type"', at + 1)) {
    if (text.startsWith("resource", at - 8)) return false;
  }
  return true;
}
