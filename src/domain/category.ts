/**
 * HER2 category (DESIGN.md). HER2-low (IHC 1+, or IHC 2+ with negative ISH) and HER2-ultralow are therapy-eligibility
 * terms from the DESTINY-Breast04 / -06 trials; the ASCO/CAP 2023 update keeps the 2018 result categories (positive,
 * negative) and asks that IHC 0 and 1+ be told apart carefully, without making "HER2-low" a diagnostic category.
 * So the category refines a negative status; it never replaces it.
 */
import type { Her2Category, Her2Status, IhcScore, IhcZeroDetail } from "./types";

interface CategoryRow {
  score: IhcScore | undefined;
  category: (zeroDetail: IhcZeroDetail | undefined) => Her2Category;
  source: string;
}

/** Category of a negative status by the IHC score on the governing specimen. */
export const NEGATIVE_CATEGORY_TABLE: readonly CategoryRow[] = [
  {
    score: "0",
    // Ultralow only when the data says so: an IHC 0 without detail is reported as HER2-0.
    category: (zeroDetail) => (zeroDetail === "ultralow" ? "her2-ultralow" : "her2-0"),
    source: "Wolff 2023; DESTINY-Breast06 (ultralow)",
  },
  { score: "1+", category: () => "her2-low", source: "Wolff 2023; DESTINY-Breast04" },
  {
    score: "2+",
    category: () => "her2-low",
    source: "Wolff 2023; DESTINY-Breast04 (IHC 2+ with negative ISH)",
  },
];

/** The HER2 category for a status and the IHC score of the specimen it rests on. */
export function categoryOf(status: Her2Status, score?: IhcScore, zeroDetail?: IhcZeroDetail): Her2Category {
  if (status === "positive") return "her2-positive";
  if (status !== "negative") return "unknown";
  const row = NEGATIVE_CATEGORY_TABLE.find((r) => r.score === score);
  // Negative without an IHC score (ISH or a reported call alone), or an IHC 3+ the lab overruled: plain negative.
  return row ? row.category(zeroDetail) : "her2-negative";
}
