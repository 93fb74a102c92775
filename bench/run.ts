/**
 * `npm run bench`: prints the performance figures (no timed assertions anywhere in the tests).
 *   - the rules: µs to assess one patient with 50 test records (budget 50 µs);
 *   - the CDS Hooks service: p50 / p95 of a patient-view call with and without prefetch (bench/cds.ts);
 *   - the CLI: resources/s, ratio to a plain JSON.parse of the same NDJSON, and peak memory;
 *   - the export: `her2 review --from` of a 10,000-patient sandbox export over HTTP against plain fetch of the same
 *     files (bench/export.ts).
 * `npm run bench -- --patients 10000` runs the CLI part on a smaller export (default 100,000 patients);
 * `--export-patients N`, `--export-rounds R`, `--export-parallel P`, `--export-per-file F`, `--export-polls N` and
 * `--export-retry-after S` set the export part's (bench/export.ts).
 */
import { runCdsBench } from "./cds";
import { main as runCliBench } from "./cli";
import { runDomainBench } from "./domain";
import { main as runExportBench } from "./export";

const argv = process.argv.slice(2);
console.log(await runDomainBench());
console.log(await runCdsBench());
console.log(await runCliBench(argv));
console.log(await runExportBench(argv, "--export-"));
