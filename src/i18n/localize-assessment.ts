/**
 * The assessment with every text a person reads that the rules hold as a message (flag messages and actions, the
 * status reason, each tumour's name and status reason, the recommendation, the evidence items' values, readings and
 * not-used reasons, and the unreadable list's reasons the rules wrote; `i18n` descriptors, src/domain/text.ts) in
 * `locale`; codes, references, dates, citations and every other field stay as they are. JSON output and CDS cards use
 * the assessment as the rules return it (English); the panel shows this copy. For `en` the assessment itself is
 * returned: its strings are the English rendering.
 *
 * Everything the rules write is a message: the specimen's combined reason (combine.ts, specimen.ts) with the ISH
 * group and band reasons nested in it (ish.ts), why a test is not usable, the ISH measured-value summary ("ratio 2.3,
 * HER2 4.5/cell", its numbers kept as the strings the rules wrote), the implausible-number reasons, and the reason
 * for results that came in copies with different contents. The FHIR layer's readings (`readAs`), its unreadable
 * reasons, why a result is not a tissue HER2 status and the data gaps' reasons (`reasonText`, rendered into each gap's
 * `reason` and wherever the rules name the gap) are messages of its own catalog (src/fhir/messages, issue 15),
 * rendered with the rules' catalog. What stays English is what the record or the server wrote, nested as it is: the
 * server's words inside a gap's reason, a gap's reason with no descriptor (an old saved state), and the record's own
 * words (raw values, specimen labels, body sites, drug names); and the citations, which are quoted as published.
 */
import { flagTitleId } from "../domain/flag-titles";
import { type Catalog, EN_CATALOG, renderText } from "../domain/text";
import type { Assessment, EvidenceItem, Flag, FlagCode } from "../domain/types";
import FHIR_EN from "../fhir/messages/en.json";
import type { Locale } from "./locales";

// Spanish and Chinese are chunks of their own, fetched with the panel's catalog of that locale (src/ui/i18n), so an
// English page does not download them (index.html's size budget).
const loaders: Readonly<Record<Exclude<Locale, "en">, () => Promise<{ default: Catalog }>>> = {
  es: () => import("../domain/messages/es.json"),
  "zh-CN": () => import("../domain/messages/zh-CN.json"),
};
const loaded: Partial<Record<Locale, Catalog>> = { en: EN_CATALOG };

// The FHIR layer's catalog (its readings and unreadable reasons, src/fhir/messages), fetched with the rules' catalog.
type LayerCatalog = Readonly<Record<string, string>>;
const layerLoaders: Readonly<Record<Exclude<Locale, "en">, () => Promise<{ default: LayerCatalog }>>> = {
  es: () => import("../fhir/messages/es.json"),
  "zh-CN": () => import("../fhir/messages/zh-CN.json"),
};
const layerLoaded: Partial<Record<Locale, LayerCatalog>> = { en: FHIR_EN };
/** A rules' catalog with the FHIR layer's messages of its locale (English where those are not loaded), by catalog. */
const withLayers = new WeakMap<Catalog, Catalog>();

function textCatalog(catalog: Catalog, locale: Locale): Catalog {
  let merged = withLayers.get(catalog);
  if (!merged) {
    merged = { ...FHIR_EN, ...layerLoaded[locale], ...catalog };
    if (layerLoaded[locale]) withLayers.set(catalog, merged);
  }
  return merged;
}

/**
 * Fetches the rules' catalog of `locale`, and the FHIR layer's (the catalog test keeps their ids and placeholders
 * equal to English).
 */
export async function loadDomainCatalog(locale: Locale): Promise<Catalog> {
  const cached = loaded[locale];
  if (cached && layerLoaded[locale]) return cached;
  const [catalog, layer] = await Promise.all([
    cached ?? loaders[locale as Exclude<Locale, "en">]().then((m) => m.default),
    layerLoaders[locale as Exclude<Locale, "en">]().then((m) => m.default),
  ]);
  loaded[locale] = catalog;
  layerLoaded[locale] = layer;
  return catalog;
}

/** The rules' catalog of `locale` once loadDomainCatalog has fetched it; English is always there. */
export function domainCatalog(locale: Locale): Catalog | undefined {
  return loaded[locale];
}

function localizeEvidence(item: EvidenceItem, locale: Locale, catalog: Catalog): EvidenceItem {
  const texts = item.i18n;
  if (!texts) return item;
  const copy: EvidenceItem = { ...item };
  if (texts.value) copy.value = renderText(texts.value, locale, catalog);
  if (texts.interpretation) copy.interpretation = renderText(texts.interpretation, locale, catalog);
  if (texts.notUsedReason) copy.notUsedReason = renderText(texts.notUsedReason, locale, catalog);
  if (texts.readAs) copy.readAs = renderText(texts.readAs, locale, catalog);
  return copy;
}

function localizeFlag(flag: Flag, locale: Locale, catalog: Catalog): Flag {
  if (!flag.i18n) return flag;
  const copy: Flag = { ...flag, message: renderText(flag.i18n.message, locale, catalog) };
  if (flag.i18n.action) copy.action = renderText(flag.i18n.action, locale, catalog);
  return copy;
}

/**
 * Cheap enough per render: compiled messages are cached by locale (src/domain/text.ts). The provider shows the page in
 * a locale only once its catalogs are loaded; should the rules' catalog be missing all the same, the texts stay in
 * the rules' English rather than failing the panel.
 */
export function localizeAssessment(
  assessment: Assessment,
  locale: Locale,
  rules: Catalog | undefined = domainCatalog(locale),
): Assessment {
  if (locale === "en" || !rules) return assessment;
  const catalog = textCatalog(rules, locale);
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
    evidence: assessment.evidence.map((e) => localizeEvidence(e, locale, catalog)),
  };
  const reasons = assessment.i18n?.unreadable;
  if (reasons) {
    localized.unreadable = assessment.unreadable.map((u, i) => {
      const reason = reasons[i];
      return typeof reason === "object" ? { ...u, reason: renderText(reason, locale, catalog) } : u;
    });
  }
  if (assessment.dataGaps.some((g) => g.reasonText)) {
    localized.dataGaps = assessment.dataGaps.map((g) =>
      g.reasonText ? { ...g, reason: renderText(g.reasonText, locale, catalog) } : g,
    );
  }
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
export function localizedFlagTitle(code: FlagCode, locale: Locale, catalog = domainCatalog(locale)): string {
  return renderText({ id: flagTitleId(code) }, catalog ? locale : "en", catalog ?? EN_CATALOG);
}
