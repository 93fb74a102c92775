#!/usr/bin/env node
// Entry point of the `her2` command. Runs the compiled CLI, dist-cli/her2.js (built by `npm run build:cli`, which
// `npm install`, `npm ci` and `npm test` run). With HER2_CLI_FROM_SOURCE=1 it runs the TypeScript source through tsx
// instead (a devDependency: the tests compare the two).
import { existsSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { pathToFileURL } from "node:url";

const compiled = join(import.meta.dirname, "..", "dist-cli", "her2.js");

if (process.env.HER2_CLI_FROM_SOURCE === "1") {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli/main.ts");
} else if (existsSync(compiled)) {
  await import(pathToFileURL(compiled).href);
} else {
  process.stderr.write("her2: the compiled CLI (dist-cli/her2.js) is missing: run `npm run build:cli`\n");
  process.exitCode = 2;
}
