// The CLI compiled to one JavaScript module, cached in node_modules/.cache/her2/ and rebuilt whenever anything it was
// built from changes. Why not run the TypeScript through tsx every time: tsx costs about half a second of start-up per
// run, and wraps every function it creates to keep its name.
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, extname, join, relative } from "node:path";
import process from "node:process";

const MANIFEST_VERSION = 2;
/** Earlier builds kept beside the current one (see compileCli). */
const KEPT_EARLIER_BUILDS = 4;

/**
 * Files that change the output without being compiled into it: the TypeScript settings esbuild reads, the package,
 * this file (it holds the build options) and esbuild's own version. Hashed like the sources; a missing one counts as
 * empty.
 */
const BUILD_FILES = [
  "tsconfig.json",
  "package.json",
  "bin/compiled-cli.js",
  "node_modules/esbuild/package.json",
];

const LOADERS = { ".ts": "ts", ".tsx": "tsx", ".mts": "ts", ".js": "js", ".mjs": "js", ".json": "json" };

/**
 * Hash of the named files' contents (paths relative to `root`, in the given order) and of the build files.
 * @param {string} root
 * @param {readonly string[]} inputs
 * @param {(path: string) => Buffer | string} [read] a file's contents (default: from disk)
 * @returns {string | undefined} undefined when an input cannot be read (deleted or renamed: rebuild)
 */
export function sourcesHash(root, inputs, read = (path) => readFileSync(join(root, path))) {
  const hash = createHash("sha256");
  for (const input of inputs) {
    let content;
    try {
      content = read(input);
    } catch {
      return undefined;
    }
    hash.update(input).update("\0").update(content).update("\0");
  }
  for (const file of BUILD_FILES) {
    let content = "";
    try {
      content = read(file);
    } catch {
      // absent: hashed as empty
    }
    hash.update(file).update("\0").update(content).update("\0");
  }
  return hash.digest("hex");
}

/**
 * The compiled module when the cache holds one built from exactly the current sources and build files.
 * @param {string} root the repository root
 * @param {string} cacheDir
 * @returns {string | undefined} its path, or undefined when it must be (re)built
 */
export function currentCompiledCli(root, cacheDir) {
  try {
    const manifest = JSON.parse(readFileSync(join(cacheDir, "manifest.json"), "utf8"));
    if (manifest.version !== MANIFEST_VERSION || !Array.isArray(manifest.inputs)) return undefined;
    const output = join(cacheDir, String(manifest.output));
    const hash = sourcesHash(root, manifest.inputs);
    return hash !== undefined && hash === manifest.hash && existsSync(output) ? output : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Compiles src/cli/main.ts with esbuild into `cacheDir` (npm packages stay imports). The hash is taken from the very
 * contents esbuild compiled (a file saved during the build makes the next run rebuild), and the output is named after
 * it, so the manifest can never describe another build's output. Files are written under temporary names and renamed.
 * @param {string} root
 * @param {string} cacheDir
 * @param {() => void} [afterBuild] called when esbuild is done, before the manifest is written (tests edit a source here)
 * @returns {Promise<string>} the compiled module's path
 */
export async function compileCli(root, cacheDir, afterBuild) {
  const { build } = await import("esbuild");
  /** @type {Map<string, Buffer>} */
  const compiled = new Map();
  const recordContents = {
    name: "record-contents",
    setup(plugin) {
      plugin.onLoad({ filter: /\.(?:[cm]?[jt]sx?|json)$/ }, (args) => {
        const contents = readFileSync(args.path);
        compiled.set(relative(root, args.path).split("\\").join("/"), contents);
        return { contents, loader: LOADERS[extname(args.path)] ?? "js", resolveDir: dirname(args.path) };
      });
    },
  };
  // The build files as esbuild will see them: read before the build, like the sources are read during it.
  for (const file of BUILD_FILES) {
    if (existsSync(join(root, file))) compiled.set(file, readFileSync(join(root, file)));
  }
  mkdirSync(cacheDir, { recursive: true });
  const temporary = join(cacheDir, `build-${String(process.pid)}.tmp`);
  await build({
    absWorkingDir: root,
    entryPoints: ["src/cli/main.ts"],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outfile: temporary,
    plugins: [recordContents],
    logLevel: "silent",
  });
  afterBuild?.();
  const inputs = [...compiled.keys()].filter((path) => !BUILD_FILES.includes(path)).sort();
  const hash = sourcesHash(root, inputs, (path) => {
    const contents = compiled.get(path);
    if (contents === undefined) throw new Error(`not read: ${path}`);
    return contents;
  });
  const name = `her2-${String(hash).slice(0, 16)}.mjs`;
  renameSync(temporary, join(cacheDir, name));
  const manifest = join(cacheDir, "manifest.json");
  writeFileSync(
    `${manifest}.${String(process.pid)}.tmp`,
    JSON.stringify({ version: MANIFEST_VERSION, inputs, hash, output: name }),
  );
  renameSync(`${manifest}.${String(process.pid)}.tmp`, manifest);
  // Older builds are no longer referenced, but a review started before this build may still start a worker thread from
  // its own (parallel-review.ts): the few newest are kept, older ones deleted.
  const builds = readdirSync(cacheDir)
    .filter((file) => file !== name && (/^her2-[0-9a-f]+\.mjs$/.test(file) || file === "her2.mjs"))
    .flatMap((file) => {
      try {
        return [{ file, modified: statSync(join(cacheDir, file)).mtimeMs }];
      } catch {
        return []; // deleted meanwhile by another run
      }
    })
    .sort((a, b) => b.modified - a.modified);
  for (const { file } of builds.slice(KEPT_EARLIER_BUILDS)) rmSync(join(cacheDir, file), { force: true });
  return join(cacheDir, name);
}
