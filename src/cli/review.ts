/**
 * `her2 review`: the chart review of a population, as a function that tests call in-process with their own
 * stdout / stderr. Reads the inputs in two passes (see grouping.ts for why), then assesses one patient at a time with
 * the app's own modules: `buildPatientInput` (FHIR layer) and `assess` (rules). Nothing here interprets HER2 data.
 */
import type { Writable } from "node:stream";
import { assess, type Assessment } from "../domain";
import { EMPTY_CODE_MAP } from "../fhir/code-map";
import { buildPatientInput } from "../fhir/normalise";
import { readCodeMapFile } from "./code-map-file";
import { Diagnostics, UsageError } from "./diagnostics";
import { matchesFilters, type Filters } from "./filters";
import { outputFormat, type FormatName } from "./formats";
import { readPopulation, type Population } from "./population";
import { Progress } from "./progress";
import { Summary } from "./summary";

export interface ReviewOptions extends Filters {
  /** Files and folders, as given on the command line. */
  inputs: readonly string[];
  format: FormatName;
  /** "Today" for the rules, `YYYY-MM-DD`. */
  asOf: string;
  /** A JSON file with the institution's local codes (`--code-map`). */
  codeMapFile?: string | undefined;
}

export interface ReviewIo {
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean };
}

export interface ReviewResult {
  /** 0: inputs read; 1: a patient could not be assessed (internal error); 2: usage error or input not FHIR. */
  exitCode: 0 | 1 | 2;
  patients: number;
  resources: number;
  warnings: number;
  /** Time spent in the app's modules (`buildPatientInput` + `assess`), in ms: for the benchmark's breakdown. */
  assessMs: number;
}

/** Batches output into chunks of this size and waits for the stream to drain when it asks to. */
class Output {
  private buffer = "";

  constructor(private readonly stream: Writable) {}

  async write(text: string): Promise<void> {
    this.buffer += text;
    if (this.buffer.length >= 64 * 1024) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer === "") return;
    const chunk = this.buffer;
    this.buffer = "";
    if (!this.stream.write(chunk)) {
      await new Promise<void>((resolve) => this.stream.once("drain", resolve));
    }
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Reviews the inputs and writes one assessment per patient, sorted by patient id, to `io.stdout`; warnings, progress
 * and the summary go to `io.stderr`.
 * @returns The exit code and counts. Never throws for bad input.
 */
export async function review(options: ReviewOptions, io: ReviewIo): Promise<ReviewResult> {
  const diagnostics = new Diagnostics(io.stderr);
  const progress = new Progress(io.stderr);
  const fail = (error: unknown): ReviewResult => {
    if (!(error instanceof UsageError)) throw error;
    progress.clear();
    io.stderr.write(`her2: ${error.message}\n`);
    return { exitCode: 2, patients: 0, resources: 0, warnings: diagnostics.warnings, assessMs: 0 };
  };

  let population: Population;
  let codeMap = EMPTY_CODE_MAP;
  try {
    if (options.codeMapFile !== undefined) codeMap = readCodeMapFile(options.codeMapFile);
    population = await readPopulation(options.inputs, diagnostics, { progress, codeMap });
  } catch (error) {
    return fail(error);
  }

  const format = outputFormat(options.format);
  const output = new Output(io.stdout);
  const summary = new Summary();
  const filtered = options.flags.length > 0 || options.statuses.length > 0;
  let failures = 0;
  let assessMs = 0;
  try {
    await output.write(format.begin());
    for (const { patient, resources, dataGaps } of population.patients()) {
      let assessment: Assessment;
      const started = performance.now();
      try {
        assessment = assess(
          buildPatientInput({ patient, resources, asOf: options.asOf, dataGaps: dataGaps ?? [], codeMap }),
        );
        assessMs += performance.now() - started;
      } catch (error) {
        // A bug in the rules or the FHIR layer for one patient must not hide the others; it does fail the run.
        failures++;
        progress.clear();
        io.stderr.write(`her2: error: ${patient} could not be assessed (${message(error)}); left out\n`);
        continue;
      }
      const shown = matchesFilters(assessment, options);
      summary.add(assessment, shown);
      if (shown) await output.write(format.patient(assessment));
    }
    await output.write(format.end());
    await output.flush();
  } finally {
    population.close();
  }
  progress.clear();
  io.stderr.write(`${summary.line(population.resources, diagnostics.warnings, filtered)}\n`);
  return {
    exitCode: failures > 0 ? 1 : 0,
    patients: summary.patients,
    resources: population.resources,
    warnings: diagnostics.warnings,
    assessMs,
  };
}
