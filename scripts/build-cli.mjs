// Builds the `her2` command: src/cli/main.ts bundled by esbuild into one ES module, dist-cli/her2.js, that bin/her2.js
// runs. The worker threads of the review (review-worker.ts, scan-worker.ts) are in that module too: worker-start.ts
// starts a worker from the module it is in, and main.ts serves the role named in `workerData`. The npm packages the CLI
// imports at run time (commander, csv-stringify, fastify, @fastify/cors, jose, intl-messageformat) stay imports: they
// are the package's runtime `dependencies`.
// Run by `npm run build:cli`, by `prepare` (so `npm install` / `npm ci` build it) and by `npm test`.
import { mkdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { build } from "esbuild";

const root = join(import.meta.dirname, "..");
const outDir = join(root, "dist-cli");
const output = join(outDir, "her2.js");
// Written under a temporary name and renamed, so a `her2` started meanwhile runs the old module or the new one, whole.
const temporary = join(outDir, `her2-${String(process.pid)}.tmp.js`);

mkdirSync(outDir, { recursive: true });
await build({
  absWorkingDir: root,
  entryPoints: ["src/cli/main.ts"],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  outfile: temporary,
  logLevel: "warning",
});
renameSync(temporary, output);
