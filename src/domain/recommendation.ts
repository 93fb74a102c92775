/**
 * What the panel says about treatment, by status, category and setting (HER2-GUIDELINE.md, "Treatment
 * recommendation"). It supports the clinician's decision and never orders treatment: options are "to discuss" or
 * "may be an option". The first row that matches applies.
 */
import { cite } from "./citations";
import { reasonValue } from "./calls";
import { en, text, type Text } from "./text";
import type { DataGap, Her2Category, Her2Status, Setting } from "./types";

interface RecommendationRow {
  status?: Her2Status;
  categories?: readonly Her2Category[];
  setting?: Setting;
  text: string;
  /** `text` as a message descriptor (messages/en.json). */
  message: Text;
  citations: readonly string[];
}

/** The recommendation as the assessment holds it: the English text, its descriptor and its sources. */
export interface Recommendation {
  text: string;
  citations: string[];
  i18n: { text: Text };
}

function row(r: Omit<RecommendationRow, "text">): RecommendationRow {
  return { ...r, text: en(r.message) };
}

// Issue 18.6, reviewed against HER2-GUIDELINE.md and current practice (NCCN / ASCO): each statement names its trial.
// Early: trastuzumab for one year in total (HERA, Goldhirsch 2013; B-31/N9831, Romond 2005), pertuzumab added for
// higher-risk disease (APHINITY, von Minckwitz 2017), T-DM1 for residual invasive disease after neoadjuvant therapy
// (KATHERINE, von Minckwitz 2019).
const POSITIVE_EARLY = text("recommendation.positive-early");
// Metastatic: first line trastuzumab + pertuzumab + a taxane; the taxane for a limited number of cycles (at least 6 in
// CLEOPATRA, Swain 2015), the antibodies until progression; second line trastuzumab deruxtecan (DESTINY-Breast03,
// Cortés 2022).
const POSITIVE_METASTATIC = text("recommendation.positive-metastatic");
const LOW_METASTATIC = text("recommendation.low-metastatic");
const ULTRALOW_METASTATIC = text("recommendation.ultralow-metastatic");
const ZERO_METASTATIC = text("recommendation.zero-metastatic");
const NEGATIVE_METASTATIC = text("recommendation.negative-metastatic");
const NEGATIVE = text("recommendation.negative");
const COMPLETE_TESTING = text("recommendation.complete-testing");
const NO_RESULT = text("recommendation.no-result");

/** The recommendation table: one row per status, category and setting, with its sources. */
export const RECOMMENDATION_TABLE: readonly RecommendationRow[] = [
  row({
    status: "positive",
    setting: "early",
    message: POSITIVE_EARLY,
    citations: cite("wolff2018", "romond2005", "goldhirsch2013", "vonMinckwitz2017", "vonMinckwitz2019"),
  }),
  row({
    status: "positive",
    setting: "metastatic",
    message: POSITIVE_METASTATIC,
    citations: cite("wolff2018", "swain2015", "cortes2022"),
  }),
  row({
    status: "positive",
    message: text("recommendation.positive-no-events", {
      early: POSITIVE_EARLY,
      metastatic: POSITIVE_METASTATIC,
    }),
    citations: cite(
      "wolff2018",
      "romond2005",
      "goldhirsch2013",
      "vonMinckwitz2017",
      "vonMinckwitz2019",
      "swain2015",
      "cortes2022",
    ),
  }),
  row({
    categories: ["her2-low"],
    setting: "metastatic",
    message: LOW_METASTATIC,
    citations: cite("wolff2018", "wolff2023", "modi2022", "bardia2024", "fdaTdxd"),
  }),
  row({
    categories: ["her2-ultralow"],
    setting: "metastatic",
    message: ULTRALOW_METASTATIC,
    citations: cite("wolff2018", "wolff2023", "bardia2024", "fdaTdxd"),
  }),
  row({
    categories: ["her2-0"],
    setting: "metastatic",
    message: ZERO_METASTATIC,
    citations: cite("wolff2018", "wolff2023", "bardia2024", "fdaTdxd"),
  }),
  row({
    status: "negative",
    setting: "metastatic",
    message: NEGATIVE_METASTATIC,
    citations: cite("wolff2018", "wolff2023"),
  }),
  row({ status: "negative", message: NEGATIVE, citations: cite("wolff2018", "wolff2023") }),
  row({ status: "no-result", message: NO_RESULT, citations: cite("wolff2018") }),
  row({ message: COMPLETE_TESTING, citations: cite("wolff2018") }),
];

/** The recommendation for a status, category and setting: the first row of the table that matches. */
export function recommend(status: Her2Status, category: Her2Category, setting: Setting): Recommendation {
  const found = RECOMMENDATION_TABLE.find(
    (r) =>
      (r.status === undefined || r.status === status) &&
      (r.categories === undefined || r.categories.includes(category)) &&
      (r.setting === undefined || r.setting === setting),
  );
  const message = found?.message ?? COMPLETE_TESTING;
  return {
    text: found?.text ?? en(COMPLETE_TESTING),
    citations: [...(found?.citations ?? cite("wolff2018"))],
    i18n: { text: message },
  };
}

const POSITIVE_SETTING_UNKNOWN = text("recommendation.positive-setting-unknown");

/**
 * The recommendation when the setting is unknown because disease events could not all be loaded: never the
 * early-disease text, and the gap is named so the clinician checks the chart for recurrence or metastasis.
 */
export function recommendWithSettingGap(
  status: Her2Status,
  category: Her2Category,
  gap: DataGap,
): Recommendation {
  const base = recommend(status, category, "unknown");
  const message = text("recommendation.setting-gap", {
    text: status === "positive" ? POSITIVE_SETTING_UNKNOWN : base.i18n.text,
    resourceType: gap.resourceType,
    reason: reasonValue(gap),
  });
  return { text: en(message), citations: base.citations, i18n: { text: message } };
}
