/**
 * What the panel says about treatment, by status, category and setting (HER2-GUIDELINE.md, "Treatment
 * recommendation"). It supports the clinician's decision and never orders treatment: options are "to discuss" or
 * "may be an option". The first row that matches applies.
 */
import { cite } from "./citations";
import type { DataGap, Her2Category, Her2Status, Setting } from "./types";

interface RecommendationRow {
  status?: Her2Status;
  categories?: readonly Her2Category[];
  setting?: Setting;
  text: string;
  citations: readonly string[];
}

// Issue 18.6, reviewed against HER2-GUIDELINE.md and current practice (NCCN / ASCO): each statement names its trial.
// Early: trastuzumab for one year in total (HERA, Goldhirsch 2013; B-31/N9831, Romond 2005), pertuzumab added for
// higher-risk disease (APHINITY, von Minckwitz 2017), T-DM1 for residual invasive disease after neoadjuvant therapy
// (KATHERINE, von Minckwitz 2019).
const POSITIVE_EARLY =
  "HER2-positive early breast cancer: anti-HER2 therapy with chemotherapy is the standard option to discuss: trastuzumab (with pertuzumab for node-positive or other higher-risk disease, APHINITY), before or after surgery, to complete one year of trastuzumab in total (HERA). After neoadjuvant therapy, residual invasive disease at surgery makes trastuzumab emtansine (T-DM1, 14 cycles) the option in place of trastuzumab (KATHERINE); after a pathological complete response, anti-HER2 therapy continues to complete the year.";
// Metastatic: first line trastuzumab + pertuzumab + a taxane; the taxane for a limited number of cycles (at least 6 in
// CLEOPATRA, Swain 2015), the antibodies until progression; second line trastuzumab deruxtecan (DESTINY-Breast03,
// Cortés 2022).
const POSITIVE_METASTATIC =
  "HER2-positive metastatic breast cancer: anti-HER2 therapy is the standard option to discuss. First line: trastuzumab + pertuzumab with a taxane (CLEOPATRA: the taxane for at least 6 cycles, as tolerated), then trastuzumab + pertuzumab continued until progression. Second line: trastuzumab deruxtecan (T-DXd, DESTINY-Breast03), until progression.";
const LOW_METASTATIC =
  "HER2-negative, HER2-low (ASCO/CAP: negative; IHC 1+, or 2+ with negative ISH), metastatic: trastuzumab deruxtecan may be an option (after prior chemotherapy, DESTINY-Breast04, FDA 2022; or, when hormone-receptor positive, after endocrine therapy, DESTINY-Breast06, FDA 2025). Conventional anti-HER2 therapy is not indicated.";
const ULTRALOW_METASTATIC =
  "HER2-negative, HER2-ultralow (IHC 0 with faint staining in ≤10% of cells), metastatic: when hormone-receptor positive, trastuzumab deruxtecan after endocrine therapy may be an option (DESTINY-Breast06, FDA 2025). Conventional anti-HER2 therapy is not indicated.";
const ZERO_METASTATIC =
  "HER2-negative, IHC 0 with no faint (ultralow) staining reported, metastatic: anti-HER2 therapy is not indicated. Faint staining in ≤10% of cells (HER2-ultralow) would make trastuzumab deruxtecan after endocrine therapy an option when hormone-receptor positive (DESTINY-Breast06, FDA 2025), so a careful review of the IHC slide for faint staining is worthwhile.";
const NEGATIVE_METASTATIC =
  "HER2-negative, metastatic: anti-HER2 therapy is not indicated. No IHC score is on record for the specimen this result rests on, so HER2-low or ultralow (eligibility for trastuzumab deruxtecan) cannot be told.";
const NEGATIVE =
  "HER2-negative: anti-HER2 therapy is not indicated. If the disease recurs or spreads, retesting HER2 (and the IHC score, for HER2-low or ultralow) on the new tissue matters.";
const COMPLETE_TESTING =
  "HER2 status is not final: complete HER2 testing (see the flags) before anti-HER2 treatment decisions.";
const NO_RESULT =
  "No HER2 result on record: HER2 testing of the invasive cancer (and of recurrent or metastatic tissue, when available) is needed before anti-HER2 treatment decisions.";

/** The recommendation table: one row per status, category and setting, with its sources. */
export const RECOMMENDATION_TABLE: readonly RecommendationRow[] = [
  {
    status: "positive",
    setting: "early",
    text: POSITIVE_EARLY,
    citations: cite("wolff2018", "romond2005", "goldhirsch2013", "vonMinckwitz2017", "vonMinckwitz2019"),
  },
  {
    status: "positive",
    setting: "metastatic",
    text: POSITIVE_METASTATIC,
    citations: cite("wolff2018", "swain2015", "cortes2022"),
  },
  {
    status: "positive",
    text: `${POSITIVE_EARLY} ${POSITIVE_METASTATIC} (No disease events are recorded to tell the setting.)`,
    citations: cite(
      "wolff2018",
      "romond2005",
      "goldhirsch2013",
      "vonMinckwitz2017",
      "vonMinckwitz2019",
      "swain2015",
      "cortes2022",
    ),
  },
  {
    categories: ["her2-low"],
    setting: "metastatic",
    text: LOW_METASTATIC,
    citations: cite("wolff2018", "wolff2023", "modi2022", "bardia2024", "fdaTdxd"),
  },
  {
    categories: ["her2-ultralow"],
    setting: "metastatic",
    text: ULTRALOW_METASTATIC,
    citations: cite("wolff2018", "wolff2023", "bardia2024", "fdaTdxd"),
  },
  {
    categories: ["her2-0"],
    setting: "metastatic",
    text: ZERO_METASTATIC,
    citations: cite("wolff2018", "wolff2023", "bardia2024", "fdaTdxd"),
  },
  {
    status: "negative",
    setting: "metastatic",
    text: NEGATIVE_METASTATIC,
    citations: cite("wolff2018", "wolff2023"),
  },
  { status: "negative", text: NEGATIVE, citations: cite("wolff2018", "wolff2023") },
  { status: "no-result", text: NO_RESULT, citations: cite("wolff2018") },
  { text: COMPLETE_TESTING, citations: cite("wolff2018") },
];

/** The recommendation for a status, category and setting: the first row of the table that matches. */
export function recommend(
  status: Her2Status,
  category: Her2Category,
  setting: Setting,
): { text: string; citations: string[] } {
  const row = RECOMMENDATION_TABLE.find(
    (r) =>
      (r.status === undefined || r.status === status) &&
      (r.categories === undefined || r.categories.includes(category)) &&
      (r.setting === undefined || r.setting === setting),
  );
  return { text: row?.text ?? COMPLETE_TESTING, citations: [...(row?.citations ?? cite("wolff2018"))] };
}

const POSITIVE_SETTING_UNKNOWN =
  "HER2-positive: anti-HER2 therapy is the standard option to discuss; which regimen depends on whether the disease is early or metastatic.";

/**
 * The recommendation when the setting is unknown because disease events could not all be loaded: never the
 * early-disease text, and the gap is named so the clinician checks the chart for recurrence or metastasis.
 */
export function recommendWithSettingGap(
  status: Her2Status,
  category: Her2Category,
  gap: DataGap,
): { text: string; citations: string[] } {
  const base = recommend(status, category, "unknown");
  const note = `The disease setting (early or metastatic) cannot be told: ${gap.resourceType} data could not be fully loaded (${gap.reason}); check the chart for recurrence or metastasis.`;
  const text = status === "positive" ? POSITIVE_SETTING_UNKNOWN : base.text;
  return { text: `${text} ${note}`, citations: base.citations };
}
