/**
 * Plain-language words for every code the panel shows. One module, so the words stay consistent between the status
 * header, the evidence, the timeline summary and the print view.
 */
import { FLAG_TITLES } from "../domain/flag-titles";
import { ENGLISH_MESSAGES as en, type Translate, englishT } from "./i18n/translate";
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
  positive: en["status.positive"],
  negative: en["status.negative"],
  equivocal: en["status.equivocal"],
  indeterminate: en["status.indeterminate"],
  "no-result": en["status.no-result"],
};

/** One line that says what the status means for the clinician. */
export const statusMeaning: Record<Her2Status, string> = {
  positive: en["statusMeaning.positive"],
  negative: en["statusMeaning.negative"],
  equivocal: en["statusMeaning.equivocal"],
  indeterminate: en["statusMeaning.indeterminate"],
  "no-result": en["statusMeaning.no-result"],
};

const RESULT_SOURCES: ReadonlySet<string> = new Set(["Observation", "DiagnosticReport"]);

/**
 * The status line for this assessment. An indeterminate status with no HER2 result on record and the result query
 * failed (or its results left out) means the results are not known, not that tests were found (issue 16, point 11).
 */
export function statusMeaningOf(
  assessment: Pick<Assessment, "status" | "evidence" | "dataGaps">,
  t: Translate = englishT,
): string {
  const resultsGap = assessment.dataGaps.find(
    (g) => g.affectsAssessment && RESULT_SOURCES.has(g.resourceType),
  );
  if (assessment.status === "indeterminate" && assessment.evidence.length === 0 && resultsGap) {
    return t(resultsGap.kind === "excluded" ? "statusMeaning.excluded" : "statusMeaning.notLoaded");
  }
  return t(`statusMeaning.${assessment.status}`);
}

export const categoryLabel: Record<Her2Category, string> = {
  "her2-positive": en["category.her2-positive"],
  "her2-low": en["category.her2-low"],
  "her2-ultralow": en["category.her2-ultralow"],
  "her2-0": en["category.her2-0"],
  "her2-negative": en["category.her2-negative"],
  unknown: en["category.unknown"],
};

export const categoryMeaning: Record<Her2Category, string> = {
  "her2-positive": en["categoryMeaning.her2-positive"],
  "her2-low": en["categoryMeaning.her2-low"],
  "her2-ultralow": en["categoryMeaning.her2-ultralow"],
  "her2-0": en["categoryMeaning.her2-0"],
  "her2-negative": en["categoryMeaning.her2-negative"],
  unknown: en["categoryMeaning.unknown"],
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
export function categoryMeaningOf(
  assessment: Pick<Assessment, "category" | "basis" | "evidence">,
  t: Translate = englishT,
): string {
  if (assessment.category !== "her2-negative") return t(`categoryMeaning.${assessment.category}`);
  const methods = new Set(basisEvidence(assessment).map((e) => e.method));
  const ish = methods.has("ish-dual") || methods.has("ish-single");
  const by =
    ish && methods.has("ihc")
      ? "negativeBy.ishAndIhc"
      : ish
        ? "negativeBy.ish"
        : methods.has("ihc")
          ? "negativeBy.ihc"
          : methods.has("interpretation")
            ? "negativeBy.interpretation"
            : "negativeBy.other";
  return t("negativeBy.sentence", { by: t(by) });
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
  early: en["setting.early"],
  metastatic: en["setting.metastatic"],
  unknown: en["setting.unknown"],
};

export const methodLabel: Record<EvidenceMethod, string> = {
  ihc: en["method.ihc"],
  "ish-dual": en["method.ish-dual"],
  "ish-single": en["method.ish-single"],
  interpretation: en["method.interpretation"],
  unreadable: en["method.unreadable"],
};

/** Longer method names for screen readers and the print view. */
export const methodLongLabel: Record<EvidenceMethod, string> = {
  ihc: en["methodLong.ihc"],
  "ish-dual": en["methodLong.ish-dual"],
  "ish-single": en["methodLong.ish-single"],
  interpretation: en["methodLong.interpretation"],
  unreadable: en["methodLong.unreadable"],
};

export const severityLabel: Record<FlagSeverity, string> = {
  action: en["severity.action"],
  warning: en["severity.warning"],
  info: en["severity.info"],
};

/** Short titles for flag codes (the flag's own message carries the detail); kept in the domain, shared with the CLI's report. */
export const flagTitle: Record<FlagCode, string> = FLAG_TITLES;

export const resultStatusLabel: Record<ResultStatus, string> = {
  registered: en["resultStatus.registered"],
  preliminary: en["resultStatus.preliminary"],
  final: en["resultStatus.final"],
  amended: en["resultStatus.amended"],
  corrected: en["resultStatus.corrected"],
  cancelled: en["resultStatus.cancelled"],
  "entered-in-error": en["resultStatus.entered-in-error"],
  unknown: en["resultStatus.unknown"],
};

export const gapKindLabel: Record<DataGap["kind"], string> = {
  denied: en["gap.denied"],
  "not-found": en["gap.not-found"],
  error: en["gap.error"],
  timeout: en["gap.timeout"],
  partial: en["gap.partial"],
  unsupported: en["gap.unsupported"],
  excluded: en["gap.excluded"],
  loading: en["gap.loading"],
};

export const eventKindLabel: Record<DiseaseEvent["kind"], string> = {
  primary: "Primary diagnosis",
  recurrence: "Recurrence",
  metastasis: "Metastasis",
};
