/**
 * Turns the paths on the command line into the files to read, and what kind each is. A folder is a Bulk Data export
 * (or any folder of FHIR files): its `.ndjson`, `.jsonl` and `.json` files, gzipped or not (`.ndjson.gz`), are read,
 * in name order, not its sub-folders. A path that does not exist is a usage error (exit 2) rather than a warning, so a mistyped path never
 * produces a partial population review.
 */
import { readdirSync, statSync, type Stats } from "node:fs";
import { basename, join, resolve } from "node:path";
import { errorMessage, UsageError } from "./diagnostics";
import { type CliText, cliText } from "./messages";
import { isReadType } from "./references";

export type InputKind = "ndjson" | "json";

export interface InputFile {
  /** The path as shown in messages (as typed, or joined to the folder as typed). */
  path: string;
  /**
   * The file the text is read from: `path`, or for a gzipped input (`.ndjson.gz`) its decompressed copy in a
   * temporary folder (gunzip.ts). Messages still name `path`.
   */
  readFrom: string;
  /** True for a gzipped input (name ending in `.gz`), until gunzip.ts has decompressed it. */
  gzipped: boolean;
  kind: InputKind;
  /** Bytes of `readFrom` (of the decompressed text, once a gzipped input has been decompressed). */
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
/** A gzipped input (Bulk Data servers may serve `Observation.ndjson.gz`): read as the file it holds. */
const GZIP = /\.gz$/i;
const FHIR_TYPE_NAME = /^(?:\d+\.)?([A-Z][A-Za-z]+)(?:[.-]\d+)?\.(?:ndjson|jsonl)$/;

/** The name without `.gz`: what the file holds. */
function innerName(name: string): string {
  return name.replace(GZIP, "");
}

function kindOf(name: string): InputKind {
  return NDJSON.test(innerName(name)) ? "ndjson" : "json";
}

/** A folder entry that is read: `.ndjson`, `.jsonl`, `.json`, or one of these gzipped. */
function isFhirFileName(name: string): boolean {
  const inner = innerName(name);
  return NDJSON.test(inner) || JSON_FILE.test(inner);
}

function statOrThrow(path: string): Stats {
  try {
    return statSync(path);
  } catch {
    throw new UsageError(cliText("usage.noSuchPath", { path }));
  }
}

function describe(path: string, stats: Stats, fromFolder: boolean): InputFile {
  const name = basename(path);
  const typeFromName = FHIR_TYPE_NAME.exec(innerName(name))?.[1];
  return {
    path,
    readFrom: path,
    gzipped: GZIP.test(name),
    kind: kindOf(name),
    bytes: stats.size,
    fromFolder,
    ...(typeFromName === undefined ? {} : { typeFromName }),
  };
}

/** Reports a folder entry that is not read (path, message); the run goes on. */
export type InputProblem = (path: string, message: CliText) => void;

/** The entry's stats, or undefined (after reporting why) when it is not a readable regular file. */
function folderEntry(file: string, problem: InputProblem): Stats | undefined {
  let stats: Stats;
  try {
    stats = statSync(file); // follows symlinks: a dangling or looping one fails here
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    problem(
      file,
      cliText("file.unreadable", { error: code === "ELOOP" ? cliText("file.symlinkLoop") : code }),
    );
    return undefined;
  }
  if (stats.isFile()) return stats;
  problem(file, cliText(stats.isDirectory() ? "file.folder" : "file.notRegular"));
  return undefined;
}

/**
 * Lists the files to read for the given paths, in the order given (folder contents by name). A folder entry that
 * cannot be read (a dangling or looping symlink, a folder named `x.json`) is reported to `problem` and left out.
 * @throws UsageError when a path does not exist or a folder holds no FHIR file.
 */
export function discoverInputs(
  paths: readonly string[],
  problem: InputProblem = () => undefined,
): InputFile[] {
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
    let names: string[];
    try {
      names = readdirSync(path);
    } catch (error) {
      throw new UsageError(cliText("usage.folderUnreadable", { path, error: errorMessage(error) }));
    }
    names = names.filter(isFhirFileName).sort();
    if (names.length === 0) throw new UsageError(cliText("usage.noFhirFiles", { path }));
    let readable = 0;
    for (const file of names.map((name) => join(path, name))) {
      const entry = folderEntry(file, problem);
      if (entry === undefined) continue;
      readable++;
      add(describe(file, entry, true));
    }
    if (readable === 0) throw new UsageError(cliText("usage.noReadableFhirFiles", { path }));
  }
  return files;
}

/**
 * True when the file's name announces a resource type the rules do not use, so it is skipped unread. A Bundle.ndjson
 * is read: its Bundles hold resources of any type (line-scan.ts).
 */
export function namedTypeNotRead(file: InputFile): boolean {
  return file.typeFromName !== undefined && file.typeFromName !== "Bundle" && !isReadType(file.typeFromName);
}
