/**
 * `her2 export` and `her2 review --from <base>`: the export, then (for `review`) the review of the folder, only when
 * the export is complete: a partial export is never reviewed as if it were the population.
 */
import type { ParsedArgs } from "./args";
import { runExport, type ExportTuning } from "./export";
import { review, type ReviewIo } from "./review";

export async function exportCommand(
  parsed: Extract<ParsedArgs, { kind: "export" }>,
  io: ReviewIo,
  signal?: AbortSignal,
  tuning: ExportTuning = {},
): Promise<number> {
  const exported = await runExport(parsed.options, io, signal, tuning);
  if (parsed.review === undefined) return exported.exitCode;
  if (exported.exitCode !== 0) {
    if (exported.exitCode === 4)
      io.stderr.write(
        `her2 review: not reviewed: the export is incomplete (${
          exported.missing.length > 0 ? exported.missing.join(", ") : "nothing was downloaded"
        })\n`,
      );
    return exported.exitCode;
  }
  return (await review(parsed.review, io)).exitCode;
}
