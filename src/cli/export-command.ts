/**
 * `her2 export` and `her2 review --from <base>`: the export, then (for `review`) the review of the folder, only when
 * the export is complete: a partial export is never reviewed as if it were the population.
 *
 * The review (and the scanning of files as they arrive) is passed in rather than imported: main.ts loads this module
 * (and with it the Bulk Data client and jose) only for these two commands, and the review must stay in the module that
 * main.ts is, because its worker threads start that module (worker-start.ts).
 *
 * For `review`, each file is scanned (the review's first pass) as soon as it is whole, while the others download
 * (export-prescan.ts); the review itself, and with it the assessment of any patient, still starts only once the export
 * is complete.
 */
import { EMPTY_CODE_MAP, type CodeMap } from "../fhir/code-map";
import type { ParsedArgs } from "./args";
import { readCodeMapFile } from "./code-map-file";
import { type ExportResult, runExport, type ExportTuning } from "./export";
import type { FilePrescan } from "./export-prescan";
import { cliText, renderText } from "./messages";
import type { ReviewIo, ReviewOptions, ReviewResult, ReviewTuning } from "./review";

/** The review, and the scanning of the files as they arrive (export-prescan.ts), from main.ts's module. */
export interface Reviewer {
  review: (options: ReviewOptions, io: ReviewIo, tuning?: ReviewTuning) => Promise<ReviewResult>;
  /** Starts scanning files for a review with this code map; absent: the review reads the folder itself. */
  startPrescan?: (codeMap: CodeMap) => FilePrescan;
}

export interface ExportCommandResult {
  readonly exitCode: number;
  readonly exported: ExportResult;
  /** The review of the folder, when one was asked for and the export was complete. */
  readonly reviewed?: ReviewResult;
  /** How long the review waited, after the last download, for the scans of the files (the benchmark's breakdown). */
  readonly prescanWaitMs?: number;
}

export async function exportCommand(
  parsed: Extract<ParsedArgs, { kind: "export" }>,
  io: ReviewIo,
  reviewer: Reviewer,
  signal?: AbortSignal,
  tuning: ExportTuning = {},
): Promise<ExportCommandResult> {
  if (parsed.review === undefined) {
    const exported = await runExport(parsed.options, io, signal, tuning);
    return { exitCode: exported.exitCode, exported };
  }
  const codeMap = codeMapOf(parsed.review);
  // A code map that cannot be read: no scanning ahead; the review reports the problem (exit 2) as it would anyway.
  const prescan = codeMap === undefined ? undefined : reviewer.startPrescan?.(codeMap);
  let exported: ExportResult;
  try {
    exported = await runExport(
      parsed.options,
      io,
      signal,
      prescan === undefined ? tuning : { ...tuning, onFileDone: prescan.add },
    );
  } catch (error) {
    await prescan?.done(); // ends its scan worker, which would keep the process alive
    throw error;
  }
  // Waited for either way, so that no scan is still reading the folder when the command returns.
  const waitStarted = performance.now();
  const prescanned = await prescan?.done();
  const prescanWaitMs = performance.now() - waitStarted;
  if (exported.exitCode !== 0) {
    if (exported.exitCode === 4) {
      const missing =
        exported.missing.length > 0 ? exported.missing.join(", ") : cliText("export.nothingDownloaded");
      const text = cliText("export.notReviewed", { missing });
      io.stderr.write(`${renderText(parsed.options.locale ?? "en", text)}\n`);
    }
    return { exitCode: exported.exitCode, exported };
  }
  const reviewed = await reviewer.review(parsed.review, io, prescanned === undefined ? {} : { prescanned });
  return { exitCode: reviewed.exitCode, exported, reviewed, prescanWaitMs };
}

function codeMapOf(options: ReviewOptions): CodeMap | undefined {
  if (options.codeMapFile === undefined) return EMPTY_CODE_MAP;
  try {
    return readCodeMapFile(options.codeMapFile);
  } catch {
    return undefined;
  }
}
