/**
 * The population in the inputs, patient by patient: runs the first pass (index, see grouping.ts) and then yields
 * each patient's resources in patient-id order for the second pass. Separate from review.ts so the grouping can be
 * checked on its own. A large index, and the decompressed copies of `.gz` inputs, are kept in temporary files, removed
 * by `close()`.
 */
import type { Resource } from "fhir/r4";
import type { DataGap } from "../domain";
import { EMPTY_CODE_MAP, type CodeMap } from "../fhir/code-map";
import type { Diagnostics } from "./diagnostics";
import { wholeNumberFromEnvironment } from "./environment";
import { firstPass, type FirstPassState } from "./first-pass";
import { decompressInputs } from "./gunzip";
import { PatientIndex, type PatientGroup } from "./grouping";
import { discoverInputs, type InputFile } from "./inputs";
import { cliMessage } from "./messages";
import { PatientResources } from "./patient-resources";
import type { SharedResources } from "./references";
import type { PrescannedFiles } from "./export-prescan";
import type { ParallelScanOptions } from "./parallel-scan";
import type { Progress } from "./progress";

export interface PatientResourceSet {
  /** `Patient/<id>` */
  patient: string;
  resources: Resource[];
  /** Data that could not be loaded for this patient (failed entries of a batch-response); absent when none. */
  dataGaps?: DataGap[];
}

export interface Population {
  /** Resources read: placed with a patient, or shared (Medication). */
  readonly resources: number;
  readonly patientCount: number;
  /** 1 when a scan worker read part of the first pass (parallel-scan.ts), else 0. */
  readonly scanWorkers: number;
  /**
   * Patients sorted by id, each with its resources and the Medications they reference. Call once. A patient none of
   * whose lines could be read again is left out (its lines are reported as warnings).
   */
  patients(): Generator<PatientResourceSet>;
  /**
   * What review workers need to run the second pass themselves (review-worker.ts): the files, the shared
   * Medications and the patients' line locations in id order. Absent when a patient has resources in a Bundle file,
   * which only this thread has grouped. Use either this or `patients()`, not both.
   */
  readonly ndjsonOnly?: {
    files: readonly InputFile[];
    shared: ReadonlyMap<string, readonly Resource[]>;
    groups(): Generator<PatientGroup>;
  };
  /** Releases open files and removes the index's temporary files; call when done (also after an early stop). */
  close(): void;
}

export interface PopulationOptions {
  progress?: Progress | undefined;
  /** Size of the cache of grouped Bundle files, in file bytes (tests make it tiny to exercise re-reading). */
  bundleCacheBytes?: number | undefined;
  /** The code map the resources will be normalised with (decides which Observations can be left unread). */
  codeMap?: CodeMap | undefined;
  /** Whether a scan worker reads part of the NDJSON files in the first pass (parallel-scan.ts); default: no. */
  parallelScan?: ParallelScanOptions | undefined;
  /** Files scanned while an export downloaded them (export-prescan.ts), scanned with `codeMap`. */
  prescanned?: PrescannedFiles | undefined;
  /**
   * Estimated bytes of index held in memory before the index moves to temporary files (grouping.ts). Default:
   * HER2_INDEX_MEMORY_BYTES if set (tests and benchmarks force a spill with it), else `MEMORY_BYTES`.
   */
  memoryBytes?: number | undefined;
}

/**
 * Reads the inputs' index (first pass).
 * @param paths Files and folders as given on the command line.
 * @throws UsageError when a path is missing or a file is not FHIR JSON / NDJSON at all.
 */
export async function readPopulation(
  paths: readonly string[],
  diagnostics: Diagnostics,
  {
    progress,
    bundleCacheBytes,
    codeMap = EMPTY_CODE_MAP,
    parallelScan,
    prescanned,
    memoryBytes = wholeNumberFromEnvironment("HER2_INDEX_MEMORY_BYTES"),
  }: PopulationOptions = {},
): Promise<Population> {
  const found: InputFile[] = discoverInputs(paths, (path, message) => {
    diagnostics.skip(path, path, message);
  });
  const decompressed = await decompressInputs(found, diagnostics);
  const files = decompressed.files;
  const index = new PatientIndex({ memoryBytes });
  const shared: SharedResources = new Map();
  const loader = new PatientResources(files, shared, diagnostics, bundleCacheBytes);
  const totalBytes = files.reduce((sum, f) => sum + f.bytes, 0);
  let bytesDone = 0;
  const state: FirstPassState = {
    index,
    shared,
    diagnostics,
    codeMap,
    parallelScan,
    prescanned,
    resources: 0,
    onBundleGrouped: (file, bundle, bytes) => {
      loader.keepBundle(file, bundle, bytes);
    },
    onBytes: (bytes) => {
      bytesDone += bytes;
    },
    onLine: progress?.enabled
      ? (file, lineNo) => {
          progress.update(() => {
            const percent = Math.floor((100 * bytesDone) / Math.max(totalBytes, 1));
            return cliMessage(diagnostics.locale, "progress.reading", {
              file: file.path,
              line: lineNo,
              percent,
            });
          });
        }
      : undefined,
  };
  try {
    await firstPass(files, state);
    index.finish();
  } catch (error) {
    loader.close();
    index.close();
    decompressed.remove();
    // A failure to write the index is its own error, not the input file's the first pass was reading then.
    throw index.failure ?? error;
  }
  progress?.clear();
  return {
    resources: state.resources,
    patientCount: index.patientCount,
    scanWorkers: state.scanWorkers ?? 0,
    *patients() {
      let done = 0;
      for (const group of index.groups()) {
        done++;
        progress?.update(() =>
          cliMessage(diagnostics.locale, "progress.assessing", { done, total: index.patientCount }),
        );
        const { resources, dataGaps, nothingToAssess } = loader.load(group);
        if (nothingToAssess) continue; // every line failed its second reading (see PatientResources.load)
        yield { patient: group.key, resources, ...(dataGaps.length > 0 ? { dataGaps } : {}) };
      }
      progress?.clear();
    },
    ...(index.hasBundleMembers ? {} : { ndjsonOnly: { files, shared, groups: () => index.groups() } }),
    close: () => {
      loader.close();
      index.close();
      decompressed.remove();
    },
  };
}
