/**
 * Turns the paths on the command line into the files to read, and what kind each is. A folder is a Bulk Data export
 * (or any folder of FHIR files): its `.ndjson`, `.jsonl` and `.json` files are read, in name order, not its
 * sub-folders. A path that does not exist is a usage error (exit 2) rather than a warning, so a mistyped path never
 * produces a partial population review.
 */
import { readdirSync, statSync, type Stats } from "node:fs";
import { basename, join, resolve } from "node:path";
import { UsageError } from "./diagnostics";

export type InputKind = "ndjson" | "json";

export interface InputFile {
  /** The path as shown in messages (as typed, or joined to the folder as typed). */
  path: string;
  kind: InputKind;
  bytes: number;
  /** True when the file was found in a folder rather than named on the command line. */
  fromFolder: boolean;
  /**
   * The resource type a Bulk Data file name announces (`Encounter.ndjson`, `Observation.000.ndjson`,
   * `1.Observation.ndjson`); used only to skip whole files of types the rules do not read.
   */
  typeFromName?: string;
}

const NDJSON = /\.(ndjson|jsonl)$/i;
const JSON_FILE = /\.json$/i;
const FHIR_TYPE_NAME = /^(?:\d+\.)?([A-Z][A-Za-z]+)(?:[.-]\d+)?\.(?:ndjson|jsonl)$/;

function kindOf(name: string): InputKind {
  return NDJSON.test(name) ? "ndjson" : "json";
}

function statOrThrow(path: string): Stats {
  try {
    return statSync(path);
  } catch {
    throw new UsageError(`no such file or folder: ${path}`);
  }
}

function describe(path: string, stats: Stats, fromFolder: boolean): InputFile {
  const name = basename(path);
  const typeFromName = FHIR_TYPE_NAME.exec(name)?.[1];
  return {
    path,
    kind: kindOf(name),
    bytes: stats.size,
    fromFolder,
    ...(typeFromName === undefined ? {} : { typeFromName }),
  };
}

/**
 * Lists the files to read for the given paths, in the order given (folder contents by name).
 * @throws UsageError when a path does not exist or a folder holds no FHIR file.
 */
export function discoverInputs(paths: readonly string[]): InputFile[] {
  const files: InputFile[] = [];
  const seen = new Set<string>();
  // The same file named twice (or inside a folder also named) would count its patients' resources twice.
  const add = (file: InputFile): void => {
    const key = resolve(file.path);
    if (seen.has(key)) return;
    seen.add(key);
    files.push(file);
  };
  for (const path of paths) {
    const stats = statOrThrow(path);
    if (!stats.isDirectory()) {
      add(describe(path, stats, false));
      continue;
    }
    const names = readdirSync(path)
      .filter((name) => NDJSON.test(name) || JSON_FILE.test(name))
      .sort();
    const found = names
      .map((name) => join(path, name))
      .map((file) => ({ file, stats: statSync(file) }))
      .filter(({ stats: s }) => s.isFile());
    if (found.length === 0) throw new UsageError(`no .ndjson, .jsonl or .json file in folder: ${path}`);
    for (const { file, stats: s } of found) add(describe(file, s, true));
  }
  return files;
}
