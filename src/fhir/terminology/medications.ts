/**
 * Anti-HER2 medicines: RxNorm ingredient codes where a source confirmed them, and the names (ingredients, biosimilar
 * suffixes, brands) matched in text when a resource is coded otherwise or not at all.
 *
 * RXCUI sources (checked 2026-11-25 with the project's code search; RxNav itself was not reachable from here):
 * - 224905 trastuzumab, 1298944 pertuzumab: HL7 oncology IG MedicationRequest examples (rxnorm, display "trastuzumab" /
 *   "pertuzumab"), and several other repositories.
 * - 480167 lapatinib: a table citing "NIH RxNav" (exact ingredient), and an oncology FHIR generator.
 * - 1371041 ado-trastuzumab emtansine, 2267582 fam-trastuzumab deruxtecan, 2361285 tucatinib: an oncology FHIR bundle
 *   generator's RxNorm table (1371041 also in an RxNorm->SNOMED map next to SNOMED 702836004). One other repository
 *   gives 1371046 / 1369443 for T-DM1; those disagree, so they are NOT listed and the name match covers them.
 * - 1940643 neratinib: an RxNorm->SNOMED map (SNOMED 736632003). Single source.
 * No RXCUI is listed for the biosimilars, trastuzumab + hyaluronidase, pertuzumab + trastuzumab + hyaluronidase,
 * margetuximab or zanidatamab: those are matched by ingredient and brand names only (never invent an RXCUI).
 * Clinical-drug and branded RXCUIs (SCD/SBD) are not listed either: products are matched by their display text, or
 * through Medication.ingredient.
 */
import { RXNORM } from "./systems";

export interface AntiHer2Drug {
  /** Ingredient name reported to the rules. */
  drug: string;
  /** RxNorm ingredient RXCUIs confirmed by a source (see above). */
  rxcuis: readonly string[];
  /** Case-insensitive pattern over ingredient, biosimilar and brand names. */
  pattern: RegExp;
  /** Drugs this entry contains, so "Phesgo" is not also reported as pertuzumab and trastuzumab. */
  subsumes?: readonly string[];
}

const TRASTUZUMAB = "trastuzumab";
const PERTUZUMAB = "pertuzumab";
const TRASTUZUMAB_HYALURONIDASE = "trastuzumab and hyaluronidase";

export const ANTI_HER2_DRUGS: readonly AntiHer2Drug[] = [
  {
    drug: "pertuzumab, trastuzumab and hyaluronidase",
    rxcuis: [],
    pattern: /\bphesgo\b|\bpertuzumab\b[^;]{0,40}\btrastuzumab\b[^;]{0,40}\bhyaluronidase\b/i,
    subsumes: [PERTUZUMAB, TRASTUZUMAB, TRASTUZUMAB_HYALURONIDASE],
  },
  {
    drug: TRASTUZUMAB_HYALURONIDASE,
    rxcuis: [],
    pattern: /\bherceptin\s+hylecta\b|\btrastuzumab\b[^;]{0,20}\bhyaluronidase\b/i,
    subsumes: [TRASTUZUMAB],
  },
  {
    drug: "ado-trastuzumab emtansine",
    rxcuis: ["1371041"],
    pattern: /\bkadcyla\b|\bt-?dm-?1\b|\btrastuzumab[\s-]+emtansine\b/i,
    subsumes: [TRASTUZUMAB],
  },
  {
    drug: "fam-trastuzumab deruxtecan",
    rxcuis: ["2267582"],
    pattern: /\benhertu\b|\bt-?dxd\b|\btrastuzumab[\s-]+deruxtecan\b/i,
    subsumes: [TRASTUZUMAB],
  },
  { drug: "margetuximab", rxcuis: [], pattern: /\bmargetuximab\b|\bmargenza\b/i },
  { drug: "zanidatamab", rxcuis: [], pattern: /\bzanidatamab\b|\bziihera\b/i },
  { drug: PERTUZUMAB, rxcuis: ["1298944"], pattern: /\bpertuzumab\b|\bperjeta\b/i },
  {
    drug: TRASTUZUMAB,
    rxcuis: ["224905"],
    // Biosimilars: trastuzumab-dkst (Ogivri), -pkrb (Herzuma), -dttb (Ontruzant), -qyyp (Trazimera), -anns (Kanjinti),
    // -strf (Hercessi).
    pattern:
      /\btrastuzumab\b|\bherceptin\b|\bherzuma\b|\bkanjinti\b|\bogivri\b|\bontruzant\b|\btrazimera\b|\bhercessi\b/i,
  },
  { drug: "lapatinib", rxcuis: ["480167"], pattern: /\blapatinib\b|\btykerb\b/i },
  { drug: "neratinib", rxcuis: ["1940643"], pattern: /\bneratinib\b|\bnerlynx\b/i },
  { drug: "tucatinib", rxcuis: ["2361285"], pattern: /\btucatinib\b|\btukysa\b/i },
];

export { RXNORM };
