/**
 * The assessment with every text a person reads (flag messages and actions, status reasons, the recommendation,
 * evidence values) in `locale`; codes, references and dates stay as they are. JSON output and CDS cards use the
 * assessment as the rules return it (English); the panel shows this copy.
 */
import type { Assessment } from "../domain/types";
import type { Locale } from "./locales";

// Placeholder until the domain's texts carry message ids: every locale sees the rules' English texts.
export function localizeAssessment(assessment: Assessment, locale: Locale): Assessment {
  return locale === "en" ? assessment : { ...assessment };
}
