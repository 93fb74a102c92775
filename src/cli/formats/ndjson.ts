/** NDJSON: each assessment exactly as the contract (DESIGN.md) defines it, one per line. */
import type { Assessment } from "../../domain";
import type { OutputFormat } from "./format";

export function ndjsonFormat(): OutputFormat {
  return {
    begin: () => "",
    patient: (assessment: Assessment) => `${JSON.stringify(assessment)}\n`,
    end: () => "",
  };
}
