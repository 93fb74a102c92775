#!/usr/bin/env node
// Entry point of the `her2` command. Runs the CLI compiled from src/ (compiled-cli.js: cached, rebuilt when a source
// changes). Runs the TypeScript source through tsx instead when HER2_CLI_FROM_SOURCE=1 (the tests compare the two) or
// when the compiled module cannot be built or cached (a read-only node_modules, say).
import { join } from "node:path";
import process from "node:process";
import { pathToFileURL } from "node:url";
import { compileCli, currentCompiledCli } from "./compiled-cli.js";

const root = join(import.meta.dirname, "..");

async function compiledModule() {
  if (process.env.HER2_CLI_FROM_SOURCE === "1") return undefined;
  const cacheDir = join(root, "node_modules", ".cache", "her2");
  try {
    return currentCompiledCli(root, cacheDir) ?? (await compileCli(root, cacheDir));
  } catch {
    return undefined;
  }
}

const compiled = await compiledModule();
if (compiled !== undefined) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli/main.ts");
}
