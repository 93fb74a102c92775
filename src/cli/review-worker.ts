/**
 * A review worker (worker_threads): runs the second pass for batches of patients that the main thread sends as line
 * locations (not parsed JSON), and returns each batch's output text and what the summary and stderr need, so the
 * main thread only writes them in patient-id order. See parallel-review.ts for the protocol and why.
 */
import { parentPort } from "node:worker_threads";
import { assessBatch } from "./assess-batch";
import { outputFormat } from "./formats";
import { batchLoader, decode, type BatchRequest, type WorkerSetup } from "./parallel-review";

/** Serves batches until the main thread ends the worker. */
export function runReviewWorker(setup: WorkerSetup): void {
  const format = outputFormat(setup.format);
  const target = batchLoader(setup.files, new Map(setup.shared));
  let served = 0;
  parentPort?.on("message", (request: BatchRequest) => {
    if (setup.exitAfterBatches !== undefined && served++ >= setup.exitAfterBatches) process.exit(1);
    const result = assessBatch(request.id, decode(request), target, setup, format);
    parentPort?.postMessage(result, [result.text.buffer]);
  });
}
