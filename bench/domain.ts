/**
 * Benchmark of the pure HER2 rules: one patient with 50 test records (10 specimens over 10 years, IHC, dual- and
 * single-probe ISH, lab interpretations, pending and cancelled results), 3 disease events and 1 therapy.
 * Budget: under 50 µs per assessment. Run: `npx tsx bench/domain.ts`; the lead's bench/run.ts calls runDomainBench().
 */
import { pathToFileURL } from "node:url";
import { assess } from "../src/domain";
import type { Her2TestRecord, PatientInput } from "../src/domain";

export const DOMAIN_BUDGET_MICROSECONDS = 50;

/** A realistic heavy patient: 50 HER2 records. */
export function benchPatient(): PatientInput {
  const tests: Her2TestRecord[] = [];
  for (let s = 0; s < 10; s++) {
    const year = 2015 + s;
    const specimen = {
      reference: `Specimen/s${s}`,
      label: `S-${year}-${1000 + s}`,
      bodySite: s % 3 === 0 ? "Liver" : "Left breast",
      collected: `${year}-03-01`,
    };
    const base = { specimen, status: "final" as const };
    tests.push(
      {
        ...base,
        method: "ihc",
        source: `Observation/ihc${s}`,
        date: `${year}-03-02`,
        score: s % 2 ? "2+" : "1+",
      },
      {
        ...base,
        method: "ish-dual",
        source: `Observation/ish${s}`,
        date: `${year}-03-05`,
        ratio: 1.5 + s * 0.1,
        her2PerCell: 3.5 + s * 0.3,
        cep17PerCell: 2.1,
        cellsCounted: 40,
        recount: s % 4 === 1 ? { ratio: 1.6, her2PerCell: 4.6 } : undefined,
      },
      {
        ...base,
        method: "ish-single",
        source: `Observation/sp${s}`,
        date: `${year}-03-06`,
        her2PerCell: 4.5,
      },
      {
        ...base,
        method: "interpretation",
        source: `Observation/int${s}`,
        date: `${year}-03-07`,
        reported: s % 5 === 0 ? "positive" : "negative",
      },
      {
        ...base,
        method: "ihc",
        source: `Observation/x${s}`,
        date: `${year}-03-08`,
        score: "3+",
        status: s % 2 ? "cancelled" : "preliminary",
      },
    );
  }
  return {
    patient: "Patient/bench",
    asOf: "2026-11-25",
    tests,
    events: [
      { kind: "primary", date: "2015-02-01", source: "Condition/p" },
      { kind: "recurrence", date: "2020-06-01", source: "Condition/r" },
      { kind: "metastasis", bodySite: "Liver", source: "Condition/m" },
    ],
    therapies: [{ drug: "trastuzumab", status: "completed", source: "MedicationRequest/t" }],
  };
}

interface Timing {
  wall: number;
  cpu: number;
}

/** Wall-clock and process CPU time per call, in microseconds (CPU time is steadier on a shared, loaded machine). */
function timePerCall(input: PatientInput, iterations: number): Timing {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let sink = 0;
  for (let i = 0; i < iterations; i++) sink += assess(input).flags.length;
  const wall = ((performance.now() - start) * 1000) / iterations;
  const cpuUsed = process.cpuUsage(cpuStart);
  if (sink < 0) throw new Error("unreachable");
  return { wall, cpu: (cpuUsed.user + cpuUsed.system) / iterations };
}

/**
 * Parsing the same patient's JSON: a yardstick measured in the same run, so a figure taken on a loaded machine can be
 * read against it (the assessment costs less than one JSON.parse of its own input).
 */
function jsonParseMicroseconds(text: string, iterations: number): number {
  const start = performance.now();
  let sink = 0;
  for (let i = 0; i < iterations; i++) sink += (JSON.parse(text) as PatientInput).tests.length;
  if (sink < 0) throw new Error("unreachable");
  return ((performance.now() - start) * 1000) / iterations;
}

const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[values.length >> 1] ?? Number.NaN;
const min = (values: readonly number[]): number => Math.min(...values);

const WARM_UP_BATCHES = 3;
const BATCHES = 11;
const CALLS_PER_BATCH = 3000;
const PARSES_PER_BATCH = 1000;

interface Batch extends Timing {
  yardstick: number;
}

/** One batch of assessments, then one of the yardstick, so both see the machine in the same state. */
function runBatch(input: PatientInput, text: string): Batch {
  return { ...timePerCall(input, CALLS_PER_BATCH), yardstick: jsonParseMicroseconds(text, PARSES_PER_BATCH) };
}

/**
 * Runs the benchmark and returns a one-line report: medians (and minimums) over the batches after warm-up. On this
 * shared machine the memory-bound work (assess and JSON.parse alike) sometimes runs up to twice as slow for seconds at
 * a time while plain arithmetic does not: the minimum shows the code's own speed, the median what a run met, and the
 * ratio to the yardstick measured between the same batches stays steady through such phases.
 */
export function runDomainBench(): Promise<string> {
  const input = benchPatient();
  const text = JSON.stringify(input);
  // Warm-up: let the JIT optimise both loops before anything is counted.
  for (let i = 0; i < WARM_UP_BATCHES; i++) runBatch(input, text);
  const batches = Array.from({ length: BATCHES }, () => runBatch(input, text));
  const wall = batches.map((b) => b.wall);
  const cpu = batches.map((b) => b.cpu);
  const yardstick = batches.map((b) => b.yardstick);
  const ratio = batches.map((b) => b.wall / b.yardstick);
  const verdict = median(wall) < DOMAIN_BUDGET_MICROSECONDS ? "within budget" : "OVER budget";
  const f = (n: number): string => n.toFixed(1);
  return Promise.resolve(
    `domain: assess() with ${input.tests.length} records: ${f(median(wall))} µs per patient wall-clock (min ${f(min(wall))}), ${f(median(cpu))} µs CPU (min ${f(min(cpu))}); median of ${BATCHES} × ${CALLS_PER_BATCH} after ${WARM_UP_BATCHES} warm-up batches; budget ${DOMAIN_BUDGET_MICROSECONDS} µs: ${verdict}; yardstick between batches: JSON.parse of the same input ${f(median(yardstick))} µs (min ${f(min(yardstick))}), assess/parse ${median(ratio).toFixed(2)}`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void runDomainBench().then((line) => {
    console.log(line);
  });
}
