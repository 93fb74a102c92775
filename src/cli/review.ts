/**
 * `her2 review`: the chart review of a population, as a function that tests call in-process with their own
 * stdout / stderr. Reads the inputs in two passes (see grouping.ts for why), then assesses one patient at a time with
 * the app's own modules: `buildPatientInput` (FHIR layer) and `assess` (rules). Nothing here interprets HER2 data.
 */
import { createWriteStream, openSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import type { Writable } from "node:stream";
import { EMPTY_CODE_MAP } from "../fhir/code-map";
import type { Locale } from "../i18n/locales";
import { assessPatient, failureLine } from "./assess-patient";
import { readCodeMapFile } from "./code-map-file";
import { Diagnostics, errorMessage, UsageError, usageMessage } from "./diagnostics";
import type { PrescannedFiles } from "./export-prescan";
import { wholeNumberFromEnvironment } from "./environment";
import type { Filters } from "./filters";
import { isPerPatient, loadOutputFormat, type FormatName } from "./formats";
import { reviewInWorkers } from "./parallel-review";
import { readPopulation, type Population } from "./population";
import { cliMessage, cliText } from "./messages";
import { Progress } from "./progress";
import { Summary } from "./summary";
import { Utf8Chunks } from "./utf8";

export interface ReviewOptions extends Filters {
  /** Files and folders, as given on the command line. */
  inputs: readonly string[];
  format: FormatName;
  /** "Today" for the rules, `YYYY-MM-DD`. */
  asOf: string;
  /** A JSON file with the institution's local codes (`--code-map`). */
  codeMapFile?: string | undefined;
  /** Write the output to this file instead of stdout (`--out` without `--from`); removed again if the review fails. */
  outFile?: string | undefined;
  /**
   * The language of the table headers, the summary line, the progress lines, and the warnings and notes on stderr
   * (`--locale`, LANG); default en.
   */
  locale?: Locale | undefined;
}

export interface ReviewIo {
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean };
}

export interface ReviewResult {
  /** 0: inputs read; 1: a patient could not be assessed (internal error); 2: usage error or input not FHIR. */
  exitCode: 0 | 1 | 2 | 3;
  patients: number;
  resources: number;
  warnings: number;
  /** Worker threads that ran the second pass with the main thread (0: it ran in-process). */
  workers: number;
  /** 1 when a scan worker read part of the first pass with the main thread. */
  scanWorkers: number;
  /** Time spent in the app's modules (`buildPatientInput` + `assess`), in ms: for the benchmark's breakdown. */
  assessMs: number;
  /** Wall time of the first pass (reading the inputs into the index), in ms: for the benchmark's breakdown. */
  firstPassMs: number;
}

/** How the second pass is run; the defaults suit the command line, tests set them to exercise both paths. */
export interface ReviewTuning {
  /**
   * Worker threads for the second pass, besides the main thread, which assesses batches too (0: in-process); with one
   * or more, the first pass also has a scan worker for a large export.
   * Default: HER2_REVIEW_WORKERS if set, else one when the machine has two cores or more. One worker keeps two cores
   * busy (the main thread assesses batches between its other jobs) and costs about 75 MB of peak RSS; more workers
   * would cost more memory than the 300 MB target allows.
   */
  workers?: number;
  /** Fewer patients than this are reviewed in-process: starting workers costs more than it saves. */
  parallelFrom?: number;
  /** More resources than this are reviewed in-process (tests; by default there is no such limit, see below). */
  parallelUpTo?: number;
  /** Tests only: each worker exits after this many batches. */
  workerExitAfterBatches?: number;
  /**
   * With `workers` 1 or more, the first pass shares its reading with a scan worker (parallel-scan.ts) from this many
   * NDJSON bytes (default: HER2_PARALLEL_SCAN_FROM_BYTES if set, else PARALLEL_SCAN_FROM_BYTES).
   */
  parallelScanFromBytes?: number;
  /**
   * `her2 review --from`: the exported files, scanned as they arrived (export-prescan.ts). Used only when they were
   * scanned with the same code map as this review's; a file not among them, or changed since, is read as usual.
   */
  prescanned?: PrescannedFiles;
}

/** Below this many patients, the review stays in-process (a worker takes about 0.3 s to start). */
export const PARALLEL_FROM_PATIENTS = 2000;
/**
 * Above this many resources the review would stay in-process: no limit. The worker costs about 75 MB of peak RSS, but
 * the index no longer grows with the export: past a fixed budget it moves to temporary files (grouping.ts). Measured
 * with the worker: about 275 MB at 1.07 million resources (index in memory), 248 MB at 5.37 million (index on disk).
 */
export const PARALLEL_UP_TO_RESOURCES = Number.POSITIVE_INFINITY;

/**
 * Workers from HER2_REVIEW_WORKERS, else one on two cores or more. A value that is not a whole number (`off`, `-1`)
 * means none, with a note: a typo must not silently turn them on.
 */
export function defaultWorkers(locale: Locale = "en"): { count: number; note?: string } {
  const cores = availableParallelism();
  const configured = process.env["HER2_REVIEW_WORKERS"];
  if (configured === undefined || configured.trim() === "") return { count: cores >= 2 ? 1 : 0 };
  const n = wholeNumberFromEnvironment("HER2_REVIEW_WORKERS");
  if (n !== undefined) return { count: Math.min(n, Math.max(cores - 1, 1)) };
  return {
    count: 0,
    note: `${cliMessage(locale, "note.workersSetting", { value: configured })}\n`,
  };
}

/** Writes output in UTF-8 chunks (utf8.ts) and waits for the stream to drain when it asks to. */
class Output {
  private readonly chunks = new Utf8Chunks();

  constructor(private readonly stream: Writable) {}

  async write(text: string): Promise<void> {
    for (const chunk of this.chunks.add(text)) await this.send(chunk);
  }

  /** Writes bytes as they are, after what is gathered. */
  async writeBytes(bytes: Uint8Array): Promise<void> {
    await this.flush();
    await this.send(bytes);
  }

  async flush(): Promise<void> {
    const chunk = this.chunks.take();
    if (chunk) await this.send(chunk);
  }

  private async send(bytes: Uint8Array): Promise<void> {
    if (bytes.length > 0 && !this.stream.write(bytes)) await this.drained();
  }

  /**
   * Waits until the stream takes more. A stream closed or failed meanwhile ends the review with an error: waiting for
   * a 'drain' that never comes would hang (a worker thread keeps the process alive), and output cut short must not
   * look complete.
   */
  private drained(): Promise<void> {
    const stream = this.stream;
    return new Promise<void>((resolve, reject) => {
      if (stream.destroyed) {
        reject(new Error("the output was closed before the review ended"));
        return;
      }
      const settle = (error?: Error): void => {
        stream.off("drain", onDrain);
        stream.off("close", onClose);
        stream.off("error", onError);
        if (error) reject(error);
        else resolve();
      };
      const onDrain = (): void => {
        settle();
      };
      const onClose = (): void => {
        settle(new Error("the output was closed before the review ended"));
      };
      const onError = (error: Error): void => {
        settle(error);
      };
      stream.on("drain", onDrain);
      stream.on("close", onClose);
      stream.on("error", onError);
    });
  }
}

/**
 * The `--out` file: opened before anything is written (a path that cannot be written is a usage error, exit 2), and
 * removed again when the review fails, so a half-written report never looks complete.
 */
class OutFile {
  readonly stream: Writable;

  constructor(private readonly path: string) {
    let fd: number;
    try {
      fd = openSync(path, "w");
    } catch (error) {
      throw new UsageError(cliText("usage.cannotWriteOut", { path, error: errorMessage(error) }));
    }
    this.stream = createWriteStream(path, { fd });
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.stream.once("error", reject);
      this.stream.end(() => {
        resolve();
      });
    });
  }

  remove(): void {
    this.stream.destroy();
    rmSync(this.path, { force: true });
  }
}

/**
 * Reviews the inputs and writes one assessment per patient, sorted by patient id, to `io.stdout`; warnings, progress
 * and the summary go to `io.stderr`.
 * @returns The exit code and counts. Never throws for bad input.
 */
export async function review(
  options: ReviewOptions,
  io: ReviewIo,
  tuning: ReviewTuning = {},
): Promise<ReviewResult> {
  const locale = options.locale ?? "en";
  const diagnostics = new Diagnostics(io.stderr, locale);
  const progress = new Progress(io.stderr);
  const fail = (error: unknown): ReviewResult => {
    if (!(error instanceof UsageError)) throw error;
    progress.clear();
    io.stderr.write(`${cliMessage(locale, "usage.failed", { message: usageMessage(locale, error) })}\n`);
    return {
      exitCode: 2,
      patients: 0,
      resources: 0,
      warnings: diagnostics.warnings,
      assessMs: 0,
      firstPassMs: 0,
      workers: 0,
      scanWorkers: 0,
    };
  };

  let population: Population;
  let codeMap = EMPTY_CODE_MAP;
  // Its note is written only where workers would run (below): a usage error must stay one line.
  const configured = tuning.workers === undefined ? defaultWorkers(locale) : { count: tuning.workers };
  const threads = configured.count;
  const scanFrom =
    tuning.parallelScanFromBytes ?? wholeNumberFromEnvironment("HER2_PARALLEL_SCAN_FROM_BYTES");
  const parallelScan = {
    workers: Math.min(threads, 1),
    ...(scanFrom === undefined ? {} : { fromBytes: scanFrom }),
  };
  const started = performance.now();
  try {
    if (options.codeMapFile !== undefined) codeMap = readCodeMapFile(options.codeMapFile);
    const prescanned =
      tuning.prescanned !== undefined && JSON.stringify(tuning.prescanned.codeMap) === JSON.stringify(codeMap)
        ? tuning.prescanned
        : undefined;
    population = await readPopulation(options.inputs, diagnostics, {
      progress,
      codeMap,
      parallelScan,
      prescanned,
    });
  } catch (error) {
    return fail(error);
  }
  const firstPassMs = performance.now() - started;
  progress.startPhase();

  const format = await loadOutputFormat(
    options.format,
    {
      inputs: options.inputs,
      asOf: options.asOf,
      filters: [
        ...options.flags.map((f) => `--flag ${f}`),
        ...options.statuses.map((s) => `--status ${s}`),
      ].join(" "),
    },
    locale,
  );
  let outFile: OutFile | undefined;
  if (options.outFile !== undefined) {
    try {
      outFile = new OutFile(options.outFile);
    } catch (error) {
      population.close();
      return fail(error);
    }
  }
  const output = new Output(outFile?.stream ?? io.stdout);
  const summary = new Summary(locale);
  const filtered = options.flags.length > 0 || options.statuses.length > 0;
  let failures = 0;
  let assessMs = 0;
  const plan = population.ndjsonOnly;
  // A table's column widths depend on the first rows, and the quality report (HTML, report CSV) counts every patient
  // before it is written, so their text for a patient cannot be made apart.
  const workerFormat = isPerPatient(options.format) ? options.format : undefined;
  const workersWouldRun =
    plan !== undefined &&
    workerFormat !== undefined &&
    population.patientCount >= (tuning.parallelFrom ?? PARALLEL_FROM_PATIENTS) &&
    population.resources <= (tuning.parallelUpTo ?? PARALLEL_UP_TO_RESOURCES);
  const workers = workersWouldRun ? threads : 0;
  if (workersWouldRun && configured.note !== undefined) io.stderr.write(configured.note);
  try {
    await output.write(format.begin());
    if (workers > 0 && plan !== undefined && workerFormat !== undefined) {
      let done = 0;
      const setup = {
        files: plan.files,
        shared: [...plan.shared],
        asOf: options.asOf,
        codeMap,
        ...(tuning.workerExitAfterBatches === undefined
          ? {}
          : { exitAfterBatches: tuning.workerExitAfterBatches }),
        format: workerFormat,
        filters: { flags: options.flags, statuses: options.statuses },
      };
      await reviewInWorkers(
        plan.groups(),
        setup,
        workers,
        async (batch, patients) => {
          for (const event of batch.events) {
            if (event.kind === "warn" && event.skipped === true)
              diagnostics.skip(event.file, event.where, event.message);
            else if (event.kind === "warn") diagnostics.warn(event.file, event.where, event.message);
            else {
              failures++;
              progress.clear();
              io.stderr.write(failureLine(event.patient, event.message, locale));
            }
          }
          for (const record of batch.records) summary.count(record);
          assessMs += batch.assessMs;
          done += patients;
          progress.update(() =>
            cliMessage(locale, "progress.assessing", { done, total: population.patientCount }),
          );
          await output.writeBytes(batch.text);
        },
        (reason) => {
          progress.clear();
          io.stderr.write(`${cliMessage(locale, "note.reviewWorkerLost", { reason })}\n`);
        },
      );
      progress.clear();
    } else {
      for (const set of population.patients()) {
        const outcome = assessPatient(set, options.asOf, codeMap, options, format);
        if (outcome.kind === "failed") {
          // A bug in the rules or the FHIR layer for one patient must not hide the others; it does fail the run.
          failures++;
          progress.clear();
          io.stderr.write(failureLine(set.patient, outcome.message, locale));
          continue;
        }
        assessMs += outcome.ms;
        summary.count(outcome.record);
        if (outcome.text !== "") await output.write(outcome.text);
      }
    }
    await output.write(
      format.end({
        patients: summary.patients,
        resources: population.resources,
        warnings: diagnostics.warnings,
        skipped: diagnostics.skipped,
        failures,
      }),
    );
    await output.flush();
    await outFile?.close();
  } catch (error) {
    outFile?.remove();
    // The index's temporary files could not be read back: one line and exit 2, never a review that looks complete.
    return fail(error);
  } finally {
    population.close();
  }
  progress.clear();
  diagnostics.endReview();
  io.stderr.write(
    `${summary.line(population.resources, diagnostics.warnings, filtered, diagnostics.skipped)}\n`,
  );
  return {
    // 3: every patient read was printed, but input that may be a patient's data was skipped (see the warnings).
    exitCode: failures > 0 ? 1 : diagnostics.skipped > 0 ? 3 : 0,
    patients: summary.patients,
    resources: population.resources,
    warnings: diagnostics.warnings,
    assessMs,
    firstPassMs,
    workers,
    scanWorkers: population.scanWorkers,
  };
}
