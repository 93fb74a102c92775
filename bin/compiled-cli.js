// The CLI compiled to one JavaScript module, cached in node_modules/.cache/her2/ and rebuilt whenever a source file it
// was built from changes. Why not run the TypeScript through tsx every time: tsx costs about half a second of
// start-up per run and wraps every function it creates to keep its name, which made the review about 40 % slower.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";

const MANIFEST_VERSION = 1;

/**
 * Hash of the named source files' contents (paths relative to `root`), in the given order.
 * @param {string} root
 * @param {readonly string[]} inputs
 * @returns {string | undefined} undefined when a file cannot be read (deleted or renamed: rebuild)
 */
export function sourcesHash(root, inputs) {
  const hash = createHash("sha256");
  for (const input of inputs) {
    let content;
    try {
      content = readFileSync(join(root, input));
    } catch {
      return undefined;
    }
    hash.update(input).update("\0").update(content).update("\0");
  }
  return hash.digest("hex");
}

/**
 * The compiled module when the cache holds one built from the current sources.
 * @param {string} root the repository root
 * @param {string} cacheDir
 * @returns {string | undefined} its path, or undefined when it must be (re)built
 */
export function currentCompiledCli(root, cacheDir) {
  const output = join(cacheDir, "her2.mjs");
  try {
    const manifest = JSON.parse(readFileSync(join(cacheDir, "manifest.json"), "utf8"));
    if (manifest.version !== MANIFEST_VERSION || !Array.isArray(manifest.inputs)) return undefined;
    const hash = sourcesHash(root, manifest.inputs);
    return hash !== undefined && hash === manifest.hash && existsSync(output) ? output : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Compiles src/cli/main.ts with esbuild into `cacheDir` (npm packages stay imports) and records the source files it
 * read with their hash. Files are written under temporary names and renamed, so concurrent runs never see half a file.
 * @param {string} root
 * @param {string} cacheDir
 * @returns {Promise<string>} the compiled module's path
 */
export async function compileCli(root, cacheDir) {
  const { build } = await import("esbuild");
  mkdirSync(cacheDir, { recursive: true });
  const suffix = `.${String(process.pid)}.tmp`;
  const output = join(cacheDir, "her2.mjs");
  const result = await build({
    absWorkingDir: root,
    entryPoints: ["src/cli/main.ts"],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outfile: output + suffix,
    metafile: true,
    logLevel: "silent",
  });
  const inputs = Object.keys(result.metafile.inputs).sort();
  const hash = sourcesHash(root, inputs);
  renameSync(output + suffix, output);
  // Hashed after the build: if a source changed while esbuild read it, the next run sees a mismatch and rebuilds.
  if (hash !== undefined) {
    const manifest = join(cacheDir, "manifest.json");
    writeFileSync(manifest + suffix, JSON.stringify({ version: MANIFEST_VERSION, inputs, hash }));
    renameSync(manifest + suffix, manifest);
  }
  return output;
}
