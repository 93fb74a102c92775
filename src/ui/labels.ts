/**
 * Plain-language words for every code the panel shows. One module, so the words stay consistent between the status
 * header, the evidence, the timeline summary and the print view.
 */
import { FLAG_TITLES } from "../domain/flag-titles";
import type {
  Assessment,
  DataGap,
  DiseaseEvent,
  EvidenceMethod,
  FlagCode,
  FlagSeverity,
  Her2Category,
  Her2Status,
  ResultStatus,
  Setting,
} from "../domain/types";

/** The headline for each patient-level status. */
export const statusLabel: Record<Her2Status, string> = {
  positive: "HER2-positive",
  negative: "HER2-negative",
  equivocal: "HER2 equivocal",
  indeterminate: "HER2 indeterminate",
  "no-result": "No HER2 result",
};

/** One line that says what the status means for the clinician. */
export const statusMeaning: Record<Her2Status, string> = {
  positive: "HER2 overexpression or amplification on the most recent conclusive specimen.",
  negative: "No HER2 overexpression or amplification on the most recent conclusive specimen.",
  equivocal: "Testing is not complete: the result is neither positive nor negative yet.",
  indeterminate: "HER2 tests were found, but none gives a conclusive result.",
  "no-result": "No HER2 test was found in the record.",
};

const RESULT_SOURCES: ReadonlySet<string> = new Set(["Observation", "DiagnosticReport"]);

/**
 * The status line for this assessment. An indeterminate status with no HER2 result on record and the result query
 * failed (or its results left out) means the results are not known, not that tests were found (issue 16, point 11).
 */
export function statusMeaningOf(assessment: Pick<Assessment, "status" | "evidence" | "dataGaps">): string {
  const resultsGap = assessment.dataGaps.find(
    (g) => g.affectsAssessment && RESULT_SOURCES.has(g.resourceType),
  );
  if (assessment.status === "indeterminate" && assessment.evidence.length === 0 && resultsGap) {
    return resultsGap.kind === "excluded"
      ? "The HER2 results on record could not be proven to be this patient's, so the status cannot be determined."
      : "The HER2 results could not be loaded, so the status cannot be determined.";
  }
  return statusMeaning[assessment.status];
}

export const categoryLabel: Record<Her2Category, string> = {
  "her2-positive": "HER2-positive",
  "her2-low": "HER2-low",
  "her2-ultralow": "HER2-ultralow",
  "her2-0": "HER2 0",
  "her2-negative": "HER2-negative (no IHC score)",
  unknown: "Category not determined",
};

export const categoryMeaning: Record<Her2Category, string> = {
  "her2-positive": "IHC 3+ or ISH positive.",
  "her2-low": "IHC 1+, or IHC 2+ with negative ISH.",
  "her2-ultralow": "IHC 0 with faint, incomplete membrane staining in ≤10% of tumour cells.",
  "her2-0": "IHC 0 (no ultralow staining reported).",
  "her2-negative": "HER2-negative, but no IHC score is on record to separate HER2-low from HER2 0.",
  unknown: "Not enough conclusive data to assign a HER2 category.",
};

/** The used results the status rests on (the basis's evidence). */
function basisEvidence(assessment: Pick<Assessment, "basis" | "evidence">): Assessment["evidence"] {
  const refs = new Set(assessment.basis?.evidence ?? []);
  return assessment.evidence.filter((e) => e.used && refs.has(e.resource));
}

/**
 * The category's meaning. "HER2-negative (no IHC score)" names the test that gave the negative (issue 17.5): an
 * IHC-coded "Negative" without a score is not "negative by ISH".
 */
export function categoryMeaningOf(assessment: Pick<Assessment, "category" | "basis" | "evidence">): string {
  if (assessment.category !== "her2-negative") return categoryMeaning[assessment.category];
  const methods = new Set(basisEvidence(assessment).map((e) => e.method));
  const ish = methods.has("ish-dual") || methods.has("ish-single");
  const by =
    ish && methods.has("ihc")
      ? "Negative by ISH, and by IHC reported without a score"
      : ish
        ? "Negative by ISH"
        : methods.has("ihc")
          ? "Negative by IHC, reported without a score"
          : methods.has("interpretation")
            ? "Negative by the laboratory's reported interpretation"
            : "Negative";
  return `${by}; no IHC score to separate HER2-low from HER2 0.`;
}

/**
 * Issue 17.5: true when every result the status rests on is a call read from text alone (a code not in the code set
 * or the code map, no score), so the header does not show it as a plain confident status.
 */
export function restsOnTextOnly(assessment: Pick<Assessment, "basis" | "evidence">): boolean {
  const used = basisEvidence(assessment);
  return used.length > 0 && used.every((e) => e.textOnly === true);
}

export const settingLabel: Record<Setting, string> = {
  early: "Early breast cancer",
  metastatic: "Metastatic or recurrent disease",
  unknown: "Disease setting not recorded",
};

export const methodLabel: Record<EvidenceMethod, string> = {
  ihc: "IHC",
  "ish-dual": "Dual-probe ISH",
  "ish-single": "Single-probe ISH",
  interpretation: "Reported interpretation",
  unreadable: "Unreadable result",
};

/** Longer method names for screen readers and the print view. */
export const methodLongLabel: Record<EvidenceMethod, string> = {
  ihc: "Immunohistochemistry (IHC)",
  "ish-dual": "Dual-probe in situ hybridisation (HER2/CEP17)",
  "ish-single": "Single-probe in situ hybridisation (HER2 copies)",
  interpretation: "Laboratory's final HER2 interpretation",
  unreadable: "HER2 result that could not be read",
};

export const severityLabel: Record<FlagSeverity, string> = {
  action: "Action needed",
  warning: "Warning",
  info: "Note",
};

/** Short titles for flag codes (the flag's own message carries the detail); kept in the domain, shared with the CLI's report. */
export const flagTitle: Record<FlagCode, string> = FLAG_TITLES;

export const resultStatusLabel: Record<ResultStatus, string> = {
  registered: "Registered (not yet resulted)",
  preliminary: "Preliminary",
  final: "Final",
  amended: "Amended",
  corrected: "Corrected",
  cancelled: "Cancelled",
  "entered-in-error": "Entered in error",
  unknown: "Status unknown",
};

export const gapKindLabel: Record<DataGap["kind"], string> = {
  denied: "Access denied",
  "not-found": "Not found",
  error: "Server error",
  timeout: "Timed out",
  partial: "Only partly loaded",
  unsupported: "Not supported by this server",
  excluded: "Left out: not proven to be this patient's",
  loading: "Still loading",
};

export const eventKindLabel: Record<DiseaseEvent["kind"], string> = {
  primary: "Primary diagnosis",
  recurrence: "Recurrence",
  metastasis: "Metastasis",
};
