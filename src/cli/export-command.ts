/**
 * `her2 export` and `her2 review --from <base>`: the export, then (for `review`) the review of the folder, only when
 * the export is complete: a partial export is never reviewed as if it were the population.
 *
 * The review is passed in rather than imported: main.ts loads this module (and with it the Bulk Data client and jose)
 * only for these two commands, and the review must stay in the module that main.ts is, because its worker threads
 * start that module (worker-start.ts).
 */
import type { ParsedArgs } from "./args";
import { type ExportResult, runExport, type ExportTuning } from "./export";
import { cliText, renderText } from "./messages";
import type { ReviewIo, ReviewOptions, ReviewResult } from "./review";

export interface ExportCommandResult {
  readonly exitCode: number;
  readonly exported: ExportResult;
  /** The review of the folder, when one was asked for and the export was complete. */
  readonly reviewed?: ReviewResult;
}

export async function exportCommand(
  parsed: Extract<ParsedArgs, { kind: "export" }>,
  io: ReviewIo,
  review: (options: ReviewOptions, io: ReviewIo) => Promise<ReviewResult>,
  signal?: AbortSignal,
  tuning: ExportTuning = {},
): Promise<ExportCommandResult> {
  const exported = await runExport(parsed.options, io, signal, tuning);
  if (parsed.review === undefined) return { exitCode: exported.exitCode, exported };
  if (exported.exitCode !== 0) {
    if (exported.exitCode === 4) {
      const missing =
        exported.missing.length > 0 ? exported.missing.join(", ") : cliText("export.nothingDownloaded");
      const text = cliText("export.notReviewed", { missing });
      io.stderr.write(`${renderText(parsed.options.locale ?? "en", text)}\n`);
    }
    return { exitCode: exported.exitCode, exported };
  }
  const reviewed = await review(parsed.review, io);
  return { exitCode: reviewed.exitCode, exported, reviewed };
}
