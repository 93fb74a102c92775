/**
 * A review worker (worker_threads): runs the second pass for batches of patients that the main thread sends as line
 * locations (not parsed JSON). It reads the lines back, parses, normalises and assesses each patient, and returns the
 * output text and what the summary and stderr need, so the main thread only writes them in patient-id order.
 * See parallel-review.ts for the protocol and why.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Resource } from "fhir/r4";
import { assessPatient } from "./assess-patient";
import { outputFormat } from "./formats";
import type { LineLocation } from "./grouping";
import { PatientResources } from "./patient-resources";
import type { BatchRequest, BatchResult, StderrEvent, WorkerSetup } from "./parallel-review";

const setup = workerData as WorkerSetup;
const format = outputFormat(setup.format);
const shared = new Map<string, Resource>(setup.shared);
let events: StderrEvent[] = [];
const loader = new PatientResources(setup.files, shared, {
  warn: (file, where, message) => {
    events.push({ kind: "warn", file, where, message });
  },
});

function run(request: BatchRequest): BatchResult {
  events = [];
  const texts: string[] = [];
  const records: BatchResult["records"] = [];
  let assessMs = 0;
  let at = 0;
  for (let p = 0; p < request.keys.length; p++) {
    const patient = request.keys[p] ?? "";
    const lines: LineLocation[] = [];
    for (let k = 0; k < (request.counts[p] ?? 0); k++, at += 4) {
      lines.push({
        file: request.lines[at] ?? 0,
        offset: request.lines[at + 1] ?? 0,
        byteLength: request.lines[at + 2] ?? 0,
        lineNo: request.lines[at + 3] ?? 0,
      });
    }
    const { resources } = loader.load({ key: patient, lines, bundleFiles: [] });
    if (resources.length === 0) continue;
    const outcome = assessPatient({ patient, resources }, setup.asOf, setup.filters, format);
    if (outcome.kind === "failed") {
      events.push({ kind: "failed", patient, message: outcome.message });
      continue;
    }
    assessMs += outcome.ms;
    if (outcome.text !== "") texts.push(outcome.text);
    records.push(outcome.record);
  }
  return { id: request.id, text: texts.join(""), records, events, assessMs };
}

parentPort?.on("message", (request: BatchRequest) => {
  parentPort?.postMessage(run(request));
});
