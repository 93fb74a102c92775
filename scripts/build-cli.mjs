// Builds the `her2` command: src/cli/main.ts bundled by esbuild into ES modules in dist-cli/: her2.js, which bin/her2.js
// runs, and the chunks it imports. Code splitting keeps what main.ts imports dynamically (the CDS Hooks commands with
// fastify and jose, the Bulk Data export with jose, the HTML report's d3 charts) in chunks of their own, so `her2 review` of files, and each of its
// worker threads, starts without loading them. The worker threads of the review (review-worker.ts, scan-worker.ts)
// are in her2.js itself: worker-start.ts starts a worker from the module it is in, and main.ts serves the role named in
// `workerData`; the build fails if splitting ever moves worker-start.ts into a chunk. The npm packages the CLI imports at
// run time (commander, csv-stringify, fastify, @fastify/cors, jose, intl-messageformat, d3-scale,
// d3-shape) stay imports: they are the package's runtime
// `dependencies`.
// Run by `npm run build:cli`, by `prepare` (so `npm install` / `npm ci` build it) and by `npm test`.
import { mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { build } from "esbuild";

const root = join(import.meta.dirname, "..");
const outDir = join(root, "dist-cli");
// Built into a temporary folder and moved: the chunks first (their names hold a content hash, so they never replace
// a chunk the old her2.js imports), her2.js last, so a `her2` started meanwhile runs the old build or the new one, whole.
const temporary = join(outDir, `.build-${String(process.pid)}`);

mkdirSync(outDir, { recursive: true });
rmSync(temporary, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: [{ in: "src/cli/main.ts", out: "her2" }],
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  outdir: temporary,
  chunkNames: "her2-[name]-[hash]",
  metafile: true,
  logLevel: "warning",
});
const entry = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint === "src/cli/main.ts");
if (entry === undefined || !("src/cli/worker-start.ts" in entry[1].inputs)) {
  rmSync(temporary, { recursive: true, force: true });
  throw new Error(
    "build-cli: src/cli/worker-start.ts is not in her2.js: the review's worker threads would not start",
  );
}
const built = readdirSync(temporary);
for (const name of built.filter((n) => n !== "her2.js"))
  renameSync(join(temporary, name), join(outDir, name));
renameSync(join(temporary, "her2.js"), join(outDir, "her2.js"));
rmSync(temporary, { recursive: true, force: true });
// Chunks of earlier builds that the new her2.js does not import.
for (const name of readdirSync(outDir))
  if (/^her2-.*\.js$/.test(name) && !built.includes(name)) rmSync(join(outDir, name), { force: true });
