/**
 * The sandbox for the export benchmark (bench/export.ts), in a process of its own so that serving the files does not
 * share an event loop with the client being measured. Loads the bench's synthetic patients (a folder of Bundles and
 * index.json), starts the sandbox on a free loopback port and prints one line, `{"url": "http://127.0.0.1:…"}`, once
 * it listens, then a line `{"job": {"ms": …, "files": …, "resources": …}}` for every export job it builds (the
 * server's own time, which the benchmark reports apart). It stops when its stdin closes (the benchmark ends it that
 * way, or by SIGTERM).
 *
 * The polling delays: the sandbox answers `pollsBeforeDone` status requests with 202 before the manifest, each with
 * `Retry-After: retryAfterS`. `npm start` uses 2 polls of 1 s; the benchmark sets 1 poll with `Retry-After: 0`, so the
 * client still goes through kick-off, one 202 and the manifest, without a second of artificial waiting.
 * Usage: `tsx bench/export-server.ts <patients-dir> <resources-per-file> <polls-before-done> <retry-after-s>`.
 */
import { startSandbox } from "../sandbox/server";

const [patientsDir, perFile = "10000", polls = "1", retryAfter = "0"] = process.argv.slice(2);
if (patientsDir === undefined)
  throw new Error("usage: export-server.ts <patients-dir> [per-file] [polls] [retry-after-s]");
const sandbox = await startSandbox({
  patientsDir,
  bulk: {
    resourcesPerFile: Number(perFile),
    pollsBeforeDone: Number(polls),
    retryAfterS: Number(retryAfter),
    // The benchmark reads these lines: the server's share of each export, reported apart from the client's.
    onJobBuilt: (job) => {
      process.stdout.write(`${JSON.stringify({ job })}\n`);
    },
  },
});
process.stdout.write(`${JSON.stringify({ url: sandbox.url })}\n`);
const stop = (): void => {
  void sandbox.close().then(() => process.exit(0));
};
process.stdin.on("end", stop).resume();
process.on("SIGTERM", stop);
