/**
 * Second pass: gathers one patient's resources from the index (positioned reads of NDJSON lines, grouped Bundles)
 * plus the shared Medications they reference. Only the current patient's resources are parsed at any time; a small
 * cache keeps recently grouped Bundle files (bounded by file size) and a few open file descriptors.
 */
import { closeSync, openSync, readFileSync } from "node:fs";
import type { Resource } from "fhir/r4";
import { readFhirJson } from "./bundle-reader";
import { errorMessage, type Diagnostics } from "./diagnostics";
import type { DataGap } from "../domain";
import { groupBundle, type GroupedBundle } from "./first-pass";
import type { LineLocation, PatientGroup } from "./grouping";
import type { InputFile } from "./inputs";
import { cliText } from "./messages";
import { readRange } from "./ndjson-reader";
import { medicationReferencesOf, membershipDetail, patientKeyOf, patientReadingOf } from "./references";
import { hasPanelMembers } from "../fhir/observation-prefilter";

const MAX_OPEN_FILES = 64;
/**
 * Grouped Bundle files kept between patients, counted by file size (parsed JSON takes a few times more): enough for
 * a sizeable searchset, never the whole input.
 */
export const BUNDLE_CACHE_BYTES = 16 * 1024 * 1024;

export class PatientResources {
  private readonly fds = new Map<number, number>();
  private readonly bundles = new Map<number, { bundle: GroupedBundle; bytes: number }>();
  private bundleBytes = 0;

  constructor(
    private readonly files: readonly InputFile[],
    private readonly shared: ReadonlyMap<string, readonly Resource[]>,
    private readonly diagnostics: Pick<Diagnostics, "warn" | "skip">,
    private readonly bundleCacheBytes = BUNDLE_CACHE_BYTES,
  ) {}

  /** Offers a Bundle file grouped in the first pass, so small inputs are parsed only once. */
  keepBundle(file: number, bundle: GroupedBundle, bytes: number): void {
    const previous = this.bundles.get(file);
    if (previous) this.bundleBytes -= previous.bytes;
    this.bundles.delete(file);
    this.bundles.set(file, { bundle, bytes });
    this.bundleBytes += bytes;
    for (const [oldest, entry] of this.bundles) {
      if (this.bundleBytes <= this.bundleCacheBytes || oldest === file) break;
      this.bundles.delete(oldest);
      this.bundleBytes -= entry.bytes;
    }
  }

  /**
   * The resources of the patient that the rules may use (NDJSON lines in input order, then Bundle entries, then the
   * shared Medications they reference); the data gaps of the Bundles the patient is in (failed batch entries); and
   * whether the patient must not be assessed at all (`nothingToAssess`): every line it had failed its second reading
   * (reported as warnings), and "no-result" would wrongly say the patient has no HER2 test. Deferred lines left unread
   * on purpose (see first-pass.ts) do not count as failed: that patient is assessed.
   * A line that no longer parses or names another patient is reported and left out.
   */
  load(group: PatientGroup): { resources: Resource[]; dataGaps: DataGap[]; nothingToAssess: boolean } {
    const dataGaps: DataGap[] = [];
    const fromBundles: Resource[] = [];
    for (const file of group.bundleFiles) {
      const bundle = this.groupedBundle(file);
      fromBundles.push(...(bundle.groups.get(group.key) ?? []));
      dataGaps.push(...bundle.gaps);
    }
    const deferred = group.lines.filter((line) => line.deferred);
    const fromLines = this.readLines(
      deferred.length > 0 ? group.lines.filter((line) => !line.deferred) : group.lines,
      group.key,
      dataGaps,
    );
    let unread = deferred.length;
    // Deferred lines are read after all when a panel may have its members among them (they are read whatever their
    // code), or when the patient has nothing else: the lines must then be checked (JSON, patient) before the patient
    // is assessed at all.
    const nothingElse = fromLines.length + fromBundles.length === 0;
    if (
      unread > 0 &&
      (nothingElse || hasPanelMembers([...fromLines.map((l) => l.resource), ...fromBundles]))
    ) {
      fromLines.push(...this.readLines(deferred, group.key, dataGaps));
      // Back in input order, as if nothing had been deferred (two copies of one id are judged by the FHIR layer).
      fromLines.sort((a, b) => a.order - b.order);
      unread = 0;
    }
    const resources = [...fromLines.map((line) => line.resource), ...fromBundles];

    const medications = new Set<string>();
    for (const resource of resources) {
      for (const reference of medicationReferencesOf(resource)) medications.add(reference);
    }
    for (const reference of medications) {
      // Every distinct copy of the id (two files may differ): the FHIR layer then uses none of them.
      for (const medication of this.shared.get(reference) ?? []) resources.push(medication);
    }
    return { resources, dataGaps, nothingToAssess: resources.length === 0 && unread === 0 };
  }

  /**
   * Reads and parses lines (in input order): the resources that still belong to the patient, each with its line's
   * place in the input (`order`: file number, then offset). The data gaps of Bundle lines go to `gaps`.
   */
  private readLines(
    lines: readonly LineLocation[],
    key: string,
    gaps: DataGap[],
  ): { order: number; resource: Resource }[] {
    const read: { order: number; resource: Resource }[] = [];
    for (const run of contiguousRuns(lines)) {
      const first = run[0];
      const last = run.at(-1);
      const file = this.files[first?.file ?? -1];
      if (file === undefined || first === undefined || last === undefined) continue;
      // One read for lines that follow each other in the file (a patient's Observations usually do).
      let bytes: Buffer;
      try {
        bytes = readRange(this.fd(first.file), first.offset, last.offset + last.byteLength - first.offset);
      } catch (error) {
        // The file vanished or changed since the first pass: this patient's lines in it are reported, not lost.
        this.diagnostics.skip(
          file.path,
          `${file.path}:${first.lineNo}`,
          cliText("reread.failed", {
            error: errorMessage(error),
            key,
            count: run.length,
            n: String(run.length),
          }),
        );
        continue;
      }
      for (const location of run) {
        const start = location.offset - first.offset;
        const text = bytes.toString("utf8", start, start + location.byteLength);
        const order = location.file * 2 ** 40 + location.offset;
        for (const resource of this.parse(text, key, file.path, location.lineNo, gaps))
          read.push({ order, resource });
      }
    }
    return read;
  }

  /**
   * The line's resource, or the patient's entries when the line is a Bundle (see line-scan.ts), whose data gaps (failed
   * or incomplete results) go to `gaps` as a Bundle file's do; none when skipped.
   */
  private parse(text: string, key: string, path: string, lineNo: number, gaps: DataGap[]): Resource[] {
    let resource: Resource;
    try {
      resource = JSON.parse(text) as Resource;
    } catch (error) {
      this.diagnostics.skip(
        path,
        `${path}:${lineNo}`,
        cliText("line.notJson", { error: errorMessage(error) }),
      );
      return [];
    }
    if (resource.resourceType === "Bundle") {
      // Its problems were reported by the first pass.
      const document = readFhirJson(resource);
      if (document.kind === "invalid") return [];
      gaps.push(...document.gaps);
      return document.resources.map((r) => r.resource).filter((r) => patientKeyOf(r) === key);
    }
    // The first pass may have read the patient by string search (raw-scan.ts): confirm it on the parsed resource.
    const reading = patientReadingOf(resource);
    if (reading.kind !== "patient" || `Patient/${reading.id}` !== key) {
      const detail =
        reading.kind === "patient"
          ? cliText("membership.names", { patient: `Patient/${reading.id}` })
          : membershipDetail(reading, resource);
      this.diagnostics.skip(
        path,
        `${path}:${lineNo}`,
        cliText("resource.unproven", { label: resource.resourceType, detail }),
      );
      return [];
    }
    return [resource];
  }

  /** Closes the files opened by `load`. */
  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }

  private fd(file: number): number {
    const open = this.fds.get(file);
    if (open !== undefined) return open;
    if (this.fds.size >= MAX_OPEN_FILES) {
      const [oldest, fd] = this.fds.entries().next().value as [number, number];
      closeSync(fd);
      this.fds.delete(oldest);
    }
    const fd = openSync(this.files[file]?.readFrom ?? "", "r");
    this.fds.set(file, fd);
    return fd;
  }

  private groupedBundle(file: number): GroupedBundle {
    const cached = this.bundles.get(file);
    if (cached) {
      // Refresh its place in the LRU order.
      this.bundles.delete(file);
      this.bundles.set(file, cached);
      return cached.bundle;
    }
    const input = this.files[file];
    if (input === undefined) return { groups: new Map(), gaps: [] };
    let text = readFileSync(input.readFrom, "utf8");
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const document = readFhirJson(JSON.parse(text));
    const bundle: GroupedBundle =
      document.kind === "resources"
        ? { groups: groupBundle(input.path, document.resources, new Map(), undefined), gaps: document.gaps }
        : { groups: new Map(), gaps: [] };
    this.keepBundle(file, bundle, input.bytes);
    return bundle;
  }
}

/** Splits a patient's lines (in input order) into runs that are adjacent in the same file (only a line break between). */
function contiguousRuns(lines: readonly LineLocation[]): LineLocation[][] {
  const runs: LineLocation[][] = [];
  let run: LineLocation[] = [];
  for (const line of lines) {
    const previous = run.at(-1);
    const gap = previous ? line.offset - (previous.offset + previous.byteLength) : -1;
    if (previous && line.file === previous.file && gap >= 1 && gap <= 2) run.push(line);
    else {
      if (run.length > 0) runs.push(run);
      run = [line];
    }
  }
  if (run.length > 0) runs.push(run);
  return runs;
}
