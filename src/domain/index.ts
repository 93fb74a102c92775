/**
 * HER2 domain core (pure: no React, no fhirclient, no I/O, no clock).
 * Public API: `assess(input)` turns one patient's HER2 test records, disease events and anti-HER2 therapies into the
 * Assessment of DESIGN.md. Placeholder until the rules land (issue 3).
 */
import type { Assessment, PatientInput } from "./types";

export type * from "./types";

export const GUIDELINE = "ASCO/CAP 2018, 2023 update";
export const RULES_VERSION = "0.0.0";

export function assess(input: PatientInput): Assessment {
  return {
    patient: input.patient,
    asOf: input.asOf,
    guideline: GUIDELINE,
    rulesVersion: RULES_VERSION,
    status: input.tests.length === 0 ? "no-result" : "indeterminate",
    category: "unknown",
    setting: "unknown",
    statusReason: "HER2 rules not implemented yet.",
    flags: [],
    recommendation: { text: "Complete HER2 testing before anti-HER2 treatment decisions.", citations: [] },
    evidence: [],
    unreadable: [],
    dataGaps: input.dataGaps ?? [],
  };
}
