/**
 * A batch of patients through the second pass: read back, parse, normalise, assess, render. Run by the review
 * workers (review-worker.ts) and by the main thread between its other jobs (parallel-review.ts), so both give the
 * same bytes. Warnings and failures are collected, not written: the main thread writes them in patient order.
 */
import { assessPatient } from "./assess-patient";
import type { CodeMap } from "../fhir/code-map";
import type { Filters } from "./filters";
import type { OutputFormat } from "./formats";
import type { PatientGroup } from "./grouping";
import type { CliText } from "./messages";
import type { PatientResources } from "./patient-resources";
import type { SummaryRecord } from "./summary";
import { Utf8Builder } from "./utf8";

/** Something the main thread must write on stderr, in the order the in-process review would. */
export type StderrEvent =
  | { kind: "warn"; file: string; where: string; message: CliText; skipped?: true }
  | { kind: "failed"; patient: string; message: string };

export interface BatchResult {
  id: number;
  /**
   * The output of the batch's shown patients, concatenated, in UTF-8 (a buffer of its own: a worker transfers it, so
   * the main thread neither copies it nor keeps it on its heap).
   */
  text: Uint8Array<ArrayBuffer>;
  /** One per assessed patient, in id order. */
  records: SummaryRecord[];
  events: StderrEvent[];
  /** Time in `buildPatientInput` + `assess`, in ms. */
  assessMs: number;
}

/** A `PatientResources` whose warnings go into `events` (set it before each batch). */
export interface BatchLoader {
  loader: PatientResources;
  events: StderrEvent[];
}

/** Assesses the batch's patients in order. */
export function assessBatch(
  id: number,
  groups: readonly PatientGroup[],
  target: BatchLoader,
  setup: { asOf: string; codeMap: CodeMap; filters: Filters },
  format: OutputFormat,
): BatchResult {
  const events: StderrEvent[] = [];
  target.events = events;
  const text = new Utf8Builder();
  const records: SummaryRecord[] = [];
  let assessMs = 0;
  for (const group of groups) {
    const { resources, nothingToAssess } = target.loader.load(group);
    if (nothingToAssess) continue;
    const outcome = assessPatient(
      { patient: group.key, resources },
      setup.asOf,
      setup.codeMap,
      setup.filters,
      format,
    );
    if (outcome.kind === "failed") {
      events.push({ kind: "failed", patient: group.key, message: outcome.message });
      continue;
    }
    assessMs += outcome.ms;
    if (outcome.text !== "") text.add(outcome.text);
    records.push(outcome.record);
  }
  return { id, text: text.take(), records, events, assessMs };
}
