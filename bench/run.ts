/**
 * `npm run bench`: prints the performance figures (no timed assertions anywhere in the tests).
 *   - the rules: µs to assess one patient with 50 test records (budget 50 µs);
 *   - the CDS Hooks service: p50 / p95 of a patient-view call with and without prefetch (bench/cds.ts);
 *   - the CLI: resources/s, ratio to a plain JSON.parse of the same NDJSON, and peak memory.
 * `npm run bench -- --patients 10000` runs the CLI part on a smaller export (default 100,000 patients).
 */
import { runCdsBench } from "./cds";
import { main as runCliBench } from "./cli";
import { runDomainBench } from "./domain";

console.log(await runDomainBench());
console.log(await runCdsBench());
console.log(await runCliBench(process.argv.slice(2)));
