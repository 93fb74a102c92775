/**
 * Which HER2 results an amended or corrected version replaces (issue 12 point 5). EHRs store an amendment in several
 * ways; each is read here so the older version is listed as superseded and never used:
 * - a new Observation (status amended / corrected) whose `derivedFrom` names the result it amends (HL7 FHIR R4
 *   Observation.derivedFrom: "the target resource that represents a measurement from which this observation value is
 *   derived", the only R4 Observation element that can point at the version it corrects), or whose `replaces`
 *   extension names it;
 * - a DiagnosticReport with status amended / corrected that shares an identifier (the accession) with an older
 *   version of the report: the older report and the results it lists that the amended report no longer lists are
 *   replaced by the amended report.
 * The same id sent twice with different statuses is the loader's concern (duplicate ids), not this one's.
 */
import type { DiagnosticReport, Extension, Identifier, Observation, Reference } from "fhir/r4";
import type { ResourceRef } from "../domain/types";
import { normaliseReference, refOf } from "./fhir-utils";

const AMENDING = new Set(["amended", "corrected", "appended"]);

function isAmending(status: string | undefined): boolean {
  return status !== undefined && AMENDING.has(status);
}

/** The `replaces` extensions (the R5 cross-version and the workflow "replaces" shapes end their URL with it). */
function replacesReferences(extensions: readonly Extension[] | undefined): Reference[] {
  const found: Reference[] = [];
  for (const extension of extensions ?? []) {
    if (/[/.-]replaces$/i.test(extension.url) && extension.valueReference)
      found.push(extension.valueReference);
  }
  return found;
}

function identifierKeys(identifiers: readonly Identifier[] | undefined): string[] {
  const keys: string[] = [];
  for (const identifier of identifiers ?? []) {
    if (identifier.value) keys.push(`${identifier.system ?? ""}|${identifier.value}`);
  }
  return keys;
}

function reportResults(report: DiagnosticReport): Set<string> {
  const refs = new Set<string>();
  for (const result of report.result ?? []) {
    const ref = normaliseReference(result);
    if (ref) refs.add(ref);
  }
  return refs;
}

function amendedReports(
  reports: readonly DiagnosticReport[],
  add: (old: string, by: ResourceRef) => void,
): void {
  const byIdentifier = new Map<string, DiagnosticReport[]>();
  for (const report of reports) {
    for (const key of identifierKeys(report.identifier)) {
      const list = byIdentifier.get(key);
      if (list) list.push(report);
      else byIdentifier.set(key, [report]);
    }
  }
  for (const versions of byIdentifier.values()) {
    const amending = versions.filter((r) => isAmending(r.status));
    // Two amended versions of one report: which is the latest is not for this layer to guess.
    const [amended] = amending;
    if (amending.length !== 1 || !amended) continue;
    const by = refOf(amended);
    const kept = reportResults(amended);
    for (const older of versions) {
      if (older === amended) continue;
      add(refOf(older), by);
      for (const result of reportResults(older)) if (!kept.has(result)) add(result, by);
    }
  }
}

/**
 * The results replaced by an amended or corrected version, each with the version that replaces it. A pair that
 * names each other is left alone (neither is known to be the newer).
 */
export function supersededResults(
  observations: readonly Observation[],
  reports: readonly DiagnosticReport[],
): ReadonlyMap<string, ResourceRef> {
  const superseded = new Map<string, ResourceRef>();
  const add = (old: string, by: ResourceRef): void => {
    if (old !== by && !superseded.has(old)) superseded.set(old, by);
  };
  for (const observation of observations) {
    if (!isAmending(observation.status)) continue;
    const by = refOf(observation);
    for (const reference of [
      ...(observation.derivedFrom ?? []),
      ...replacesReferences(observation.extension),
    ]) {
      const old = normaliseReference(reference);
      if (old?.startsWith("Observation/")) add(old, by);
    }
  }
  for (const report of reports) {
    if (!isAmending(report.status)) continue;
    for (const reference of replacesReferences(report.extension)) {
      const old = normaliseReference(reference);
      if (old) add(old, refOf(report));
    }
  }
  amendedReports(reports, add);
  for (const [old, by] of superseded) {
    if (superseded.get(by) === old) {
      superseded.delete(old);
      superseded.delete(by);
    }
  }
  return superseded;
}
