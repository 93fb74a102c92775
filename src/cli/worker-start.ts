/**
 * Starts a worker thread of the CLI. Compiled (dist-cli/her2.js, built by scripts/build-cli.mjs), the CLI is one
 * module: the worker runs that same module, whose main.ts sees the role in `workerData` and serves it. From the
 * TypeScript source (tests, HER2_CLI_FROM_SOURCE), the worker is not under the main thread's tsx (or vitest) loader, so
 * a small bootstrap registers tsx first and then calls the worker's entry function with `workerData.setup`.
 */
import { Worker, type ResourceLimits } from "node:worker_threads";

/**
 * @param workerData `{ role, setup }`: the role main.ts dispatches on, and what the worker needs.
 * @param sourceModule The worker's module, relative to this one (`./review-worker.ts`), for the TypeScript source.
 * @param entry The name of that module's exported entry function, called with `workerData.setup`.
 */
export function startCliWorker(
  workerData: { role: string; setup: unknown },
  sourceModule: string,
  entry: string,
  resourceLimits?: ResourceLimits,
): Worker {
  const options = { workerData, ...(resourceLimits === undefined ? {} : { resourceLimits }) };
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL(import.meta.url), options);
  const tsx = import.meta.resolve("tsx/esm/api");
  const module = new URL(sourceModule, import.meta.url).href;
  const bootstrap =
    `import { workerData } from "node:worker_threads";` +
    `const api = await import(${JSON.stringify(tsx)}); api.register();` +
    `const worker = await import(${JSON.stringify(module)}); await worker[${JSON.stringify(entry)}](workerData.setup);`;
  return new Worker(bootstrap, { ...options, eval: true });
}
