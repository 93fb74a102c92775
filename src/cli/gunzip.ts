/**
 * Gzipped inputs (`Observation.ndjson.gz`, as Bulk Data servers may serve them): each is decompressed, streaming, to
 * a file in a temporary folder under TMPDIR, which the two passes then read like any other input (they re-read lines
 * by byte offset, which a gzip stream cannot give). The folder is removed by `remove()`, or when the process ends on
 * an error or a signal (spill-files.ts). Messages name the `.gz` path; line numbers are those of the decompressed text.
 */
import { createReadStream, createWriteStream, statSync } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { errorMessage, UsageError, type Diagnostics } from "./diagnostics";
import type { InputFile } from "./inputs";
import { cliText } from "./messages";
import { SpillFolder } from "./spill-files";

export interface Decompressed {
  /** The inputs to read: plain ones as they were, gzipped ones pointing at their decompressed copy. */
  files: InputFile[];
  /** Removes the decompressed copies; call when the review is done (also after an error). */
  remove(): void;
}

type FailedStage = "read" | "gunzip" | "write";

/** Decompresses `from` into `to`; resolves with the stage that failed, if one did. */
async function gunzipFile(
  from: string,
  to: string,
): Promise<{ stage: FailedStage; error: unknown } | undefined> {
  let stage: FailedStage | undefined;
  const source = createReadStream(from);
  const gunzip = createGunzip();
  const target = createWriteStream(to);
  // Registered before pipeline's own listeners, so these run first and name the stream that failed.
  source.once("error", () => (stage ??= "read"));
  gunzip.once("error", () => (stage ??= "gunzip"));
  target.once("error", () => (stage ??= "write"));
  try {
    await pipeline(source, gunzip, target);
    return undefined;
  } catch (error) {
    return { stage: stage ?? "gunzip", error };
  }
}

/**
 * Decompresses the gzipped inputs. One that cannot be read or is not a complete gzip file (corrupt, truncated) is a
 * skipped-input warning naming it (exit 3) and is left out whole: the text before the damage is not used, as the
 * file is incomplete. The other inputs are still read.
 * @throws UsageError when a decompressed copy cannot be written (TMPDIR full or not writable).
 */
export async function decompressInputs(
  inputs: readonly InputFile[],
  diagnostics: Diagnostics,
): Promise<Decompressed> {
  if (!inputs.some((file) => file.gzipped)) return { files: [...inputs], remove: () => undefined };
  const folder = new SpillFolder({ what: cliText("usage.purposeGunzip"), prefix: "her2-gunzip-" });
  const files: InputFile[] = [];
  try {
    for (const [n, file] of inputs.entries()) {
      if (!file.gzipped) {
        files.push(file);
        continue;
      }
      const copy = join(folder.path, `${String(n)}.${file.kind}`);
      const failure = await gunzipFile(file.readFrom, copy);
      if (failure?.stage === "write")
        throw new UsageError(
          cliText("usage.gunzipWrite", {
            path: file.path,
            folder: folder.parent,
            error: errorMessage(failure.error),
          }),
        );
      if (failure !== undefined) {
        const error = errorMessage(failure.error);
        diagnostics.skip(
          file.path,
          file.path,
          cliText(failure.stage === "read" ? "gzip.unreadable" : "gzip.damaged", { error }),
        );
        continue;
      }
      files.push({ ...file, readFrom: copy, gzipped: false, bytes: statSync(copy).size });
    }
  } catch (error) {
    folder.remove();
    throw error;
  }
  return {
    files,
    remove: () => {
      folder.remove();
    },
  };
}
