/**
 * Entry point of `her2` (bin/her2.js imports this module). Parses the arguments, runs the review against the
 * process's stdout / stderr, and sets the exit code. With HER2_REVIEW_STATS=1 it also prints one JSON line of run
 * statistics (peak RSS, counts) on stderr, for the benchmark.
 *
 * The CDS Hooks commands (fastify, jose) and the Bulk Data export (jose) are imported only when one of them runs: a
 * review of files, and every worker thread of it, starts without loading them.
 */
import { isMainThread, workerData } from "node:worker_threads";
import type { CodeMap } from "../fhir/code-map";
import { localDate, parseArgs } from "./args";
import { type FilePrescan, startExportPrescan } from "./export-prescan";
import { WORKER_ROLE, type WorkerStart } from "./parallel-review";
import { runReviewWorker } from "./review-worker";
import { defaultWorkers, review, type ReviewIo } from "./review";
import { runScanWorker, SCAN_WORKER_ROLE, type ScanWorkerStart } from "./scan-worker";

/** The commands of cds-commands.ts, named here so that it is imported only for them (test/cli/bin.test.ts runs each). */
const LAZY_CDS_COMMANDS: readonly string[] = ["cds-service", "feedback-report"];

/**
 * Runs the command line.
 * @param argv The arguments after `her2`.
 * @returns The exit code.
 */
export async function runCli(argv: readonly string[], io: ReviewIo, now: Date = new Date()): Promise<number> {
  const started = performance.now();
  // The CDS Hooks service and its feedback report (issue 13) have their own options (cds-commands.ts).
  if (LAZY_CDS_COMMANDS.includes(argv[0] ?? "")) {
    const { runCdsCommand } = await import("./cds-commands");
    return runCdsCommand(argv, io);
  }
  const parsed = parseArgs(argv, io, localDate(now));
  if (parsed.kind === "exit") return parsed.code;
  const statsWanted = process.env["HER2_REVIEW_STATS"] === "1";
  if (parsed.kind === "export") {
    const { exportCommand } = await import("./export-command");
    // SIGINT cancels: the job is deleted on the server (export.ts). A second Ctrl-C ends the process at once.
    const controller = new AbortController();
    const onSigint = (): void => {
      if (controller.signal.aborted) process.exit(130);
      controller.abort();
    };
    process.on("SIGINT", onSigint);
    try {
      const startPrescan = (codeMap: CodeMap): FilePrescan =>
        startExportPrescan(codeMap, defaultWorkers().count > 0);
      const result = await exportCommand(parsed, io, { review, startPrescan }, controller.signal);
      if (statsWanted) {
        const { phases } = result.exported;
        const reviewed = result.reviewed;
        writeStats(io, started, {
          ...(phases === undefined
            ? {}
            : {
                kickOffMs: Math.round(phases.kickOffMs),
                pollMs: Math.round(phases.pollMs),
                downloadMs: Math.round(phases.downloadMs),
              }),
          ...(reviewed === undefined
            ? {}
            : {
                patients: reviewed.patients,
                resources: reviewed.resources,
                workers: reviewed.workers,
                prescanWaitMs: Math.round(result.prescanWaitMs ?? 0),
                firstPassMs: Math.round(reviewed.firstPassMs),
              }),
        });
      }
      return result.exitCode;
    } finally {
      process.off("SIGINT", onSigint);
    }
  }
  // Where the memory goes, sampled: the benchmark reports the peaks next to the peak RSS.
  const peaks = { heapTotal: 0, external: 0, arrayBuffers: 0 };
  const sampler = statsWanted
    ? setInterval(() => {
        const m = process.memoryUsage();
        peaks.heapTotal = Math.max(peaks.heapTotal, m.heapTotal);
        peaks.external = Math.max(peaks.external, m.external);
        peaks.arrayBuffers = Math.max(peaks.arrayBuffers, m.arrayBuffers);
      }, 100).unref()
    : undefined;
  const result = await review(parsed.options, io);
  clearInterval(sampler);
  if (statsWanted) {
    writeStats(io, started, {
      patients: result.patients,
      resources: result.resources,
      assessMs: Math.round(result.assessMs),
      firstPassMs: Math.round(result.firstPassMs),
      workers: result.workers,
      scanWorkers: result.scanWorkers,
      peakHeapMb: Math.round(peaks.heapTotal / 1048576),
      peakExternalMb: Math.round(peaks.external / 1048576),
    });
  }
  return result.exitCode;
}

/** The `her2-stats` line: peak RSS, CPU and wall time of the run, and the command's own figures. */
function writeStats(io: ReviewIo, started: number, figures: Record<string, number>): void {
  const usage = process.resourceUsage();
  const stats = {
    maxRssKb: usage.maxRSS,
    /** User + system CPU time of the whole process, start-up included. */
    cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000),
    ms: Math.round(performance.now() - started),
    ...figures,
  };
  io.stderr.write(`her2-stats ${JSON.stringify(stats)}\n`);
}

if (isMainThread) {
  // Reading stops quietly when the reader of stdout goes away (`her2 review … | head`).
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
  process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
} else if ((workerData as Partial<WorkerStart> | null)?.role === WORKER_ROLE) {
  // The compiled CLI started as a review worker (parallel-review.ts): it serves batches instead.
  runReviewWorker((workerData as WorkerStart).setup);
} else if ((workerData as Partial<ScanWorkerStart> | null)?.role === SCAN_WORKER_ROLE) {
  // The compiled CLI started as a scan worker (parallel-scan.ts): it reads its part of the first pass.
  await runScanWorker((workerData as ScanWorkerStart).setup);
}
