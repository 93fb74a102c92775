/**
 * The assessment with every text a person reads that the rules hold as a message (flag messages and actions, the
 * status reason, each tumour's name and status reason, the recommendation; `i18n` descriptors, src/domain/text.ts) in `locale`; codes, references, dates, citations and every
 * other field stay as they are. JSON output and CDS cards use the assessment as the rules return it (English); the
 * panel shows this copy. For `en` the assessment itself is returned: its strings are the English rendering.
 *
 * Texts the rules do not yet hold as messages stay in English: evidence values, readings and not-used reasons, the
 * unreadable list's reasons, and values inside a message such as a specimen's reading ("IHC 2+ (equivocal) without
 * ISH on the same specimen") or a reason the FHIR layer wrote.
 */
import { flagTitleId } from "../domain/flag-titles";
import ES from "../domain/messages/es.json";
import ZH_CN from "../domain/messages/zh-CN.json";
import { type Catalog, EN_CATALOG, renderText } from "../domain/text";
import type { Assessment, Flag, FlagCode } from "../domain/types";
import type { Locale } from "./locales";

/** The domain's catalog of each locale (the catalog test keeps their ids and placeholders equal to English). */
export const DOMAIN_CATALOGS: Readonly<Record<Locale, Catalog>> = { en: EN_CATALOG, es: ES, "zh-CN": ZH_CN };

function localizeFlag(flag: Flag, locale: Locale, catalog: Catalog): Flag {
  if (!flag.i18n) return flag;
  const copy: Flag = { ...flag, message: renderText(flag.i18n.message, locale, catalog) };
  if (flag.i18n.action) copy.action = renderText(flag.i18n.action, locale, catalog);
  return copy;
}

/** Pure and cheap enough per render: compiled messages are cached by locale (src/domain/text.ts). */
export function localizeAssessment(assessment: Assessment, locale: Locale): Assessment {
  if (locale === "en") return assessment;
  const catalog = DOMAIN_CATALOGS[locale];
  const recommendation = assessment.recommendation.i18n
    ? {
        ...assessment.recommendation,
        text: renderText(assessment.recommendation.i18n.text, locale, catalog),
      }
    : assessment.recommendation;
  const localized: Assessment = {
    ...assessment,
    flags: assessment.flags.map((f) => localizeFlag(f, locale, catalog)),
    recommendation,
  };
  if (assessment.i18n) localized.statusReason = renderText(assessment.i18n.statusReason, locale, catalog);
  if (assessment.tumours) {
    localized.tumours = assessment.tumours.map((t) =>
      t.i18n
        ? {
            ...t,
            tumour: renderText(t.i18n.tumour, locale, catalog),
            statusReason: renderText(t.i18n.statusReason, locale, catalog),
          }
        : t,
    );
  }
  return localized;
}

/** A flag code's short title in `locale` (the panel's and the HTML report's label). */
export function localizedFlagTitle(code: FlagCode, locale: Locale): string {
  return renderText({ id: flagTitleId(code) }, locale, DOMAIN_CATALOGS[locale]);
}
