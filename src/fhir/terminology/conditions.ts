/**
 * Codes of breast cancer, recurrence and metastasis Conditions.
 *
 * Sources (checked 2026-11-25 with the project's code search unless noted):
 * - [mCODE-data]: /work/shared/data/external (408643008; secondary neoplasm of axillary nodes 94181007, liver 94381002,
 *   bone 94222008).
 * - [mCODE-IG]: mCODE STU2+ requires category SNOMED 128462008 "Secondary malignant neoplastic disease" on
 *   SecondaryCancerCondition (mCODE change log).
 * - [REO-VS]: a Belgian oncology IG value set of metastasis sites (94225005 brain, 94391008 lung, 94381002 liver,
 *   94222008 bone) and a Java test coding 94391008 as "Secondary malignant neoplasm of lung".
 * - [SNOMED-isa]: a SNOMED client test asserting 315004001 "Metastasis from malignant tumor of breast" is-a 128462008.
 * - [TERMINOLOGY.md]: 254837009 Malignant neoplasm of breast; ICD-10-CM chapters (C50 breast, C77-C79 secondary, Z85.3).
 */
import { ICD10CM, SNOMED } from "./systems";

export const BREAST_CANCER_SNOMED: readonly { code: string; display: string; source: string }[] = [
  { code: "254837009", display: "Malignant neoplasm of breast", source: "TERMINOLOGY.md" },
  { code: "408643008", display: "Infiltrating duct carcinoma of breast", source: "mCODE-data" },
];

/** SNOMED CT codes meaning distant metastasis (as Condition.code or, for 128462008, Condition.category). */
export const METASTASIS_SNOMED: readonly { code: string; display: string; source: string }[] = [
  { code: "128462008", display: "Secondary malignant neoplastic disease", source: "mCODE-IG" },
  { code: "315004001", display: "Metastasis from malignant tumor of breast", source: "SNOMED-isa" },
  { code: "94222008", display: "Secondary malignant neoplasm of bone", source: "mCODE-data; REO-VS" },
  { code: "94381002", display: "Secondary malignant neoplasm of liver", source: "mCODE-data; REO-VS" },
  { code: "94391008", display: "Secondary malignant neoplasm of lung", source: "REO-VS" },
  { code: "94225005", display: "Secondary malignant neoplasm of brain", source: "REO-VS" },
];

/**
 * Secondary neoplasm of lymph nodes: regional nodal disease in breast cancer (an N category), not distant metastasis.
 * Not read as a metastasis event, so node-positive early disease is not mistaken for metastatic disease.
 */
export const LYMPH_NODE_SECONDARY_SNOMED: readonly { code: string; display: string; source: string }[] = [
  { code: "94181007", display: "Secondary malignant neoplasm of axillary lymph nodes", source: "mCODE-data" },
];

/** ICD-10-CM prefixes. */
export const ICD10_BREAST_CANCER_PREFIX = "C50";
/** C78 (respiratory and digestive organs), C79 (other and unspecified sites). C77 (lymph nodes): see below. */
export const ICD10_METASTASIS_PREFIXES: readonly string[] = ["C78", "C79"];
export const ICD10_LYMPH_NODE_SECONDARY_PREFIX = "C77";

/**
 * ICD-10-CM C77 (secondary neoplasm of lymph nodes) by subcategory, for breast cancer. Regional nodes for breast
 * (AJCC 8th / UICC TNM 8th breast; SEER EOD Regional Nodes, breast, note 7) are ipsilateral axillary levels I-III
 * (infraclavicular = level III, N3a), internal mammary (N2b / N3b) and supraclavicular (N3c); other nodes (cervical,
 * contralateral, intra-abdominal, inguinal, pelvic) are distant, M1 (SEER clinical N, breast, note 1).
 * - "regional": C77.3 axilla and upper limb (includes pectoral and infraclavicular nodes).
 * - "distant": C77.2 intra-abdominal, C77.4 inguinal and lower limb, C77.5 intrapelvic, C77.8 multiple regions.
 * - "by-site": the code holds both: C77.0 head, face and neck (supraclavicular regional, cervical distant), C77.1
 *   intrathoracic (internal mammary / parasternal regional, mediastinal distant), C77.9 unspecified. The body site or
 *   text decides (REGIONAL_NODE_TEXT, DISTANT_NODE_TEXT); without one the extent is uncertain.
 */
export const ICD10_LYMPH_NODE_EXTENT: Readonly<Record<string, "regional" | "distant" | "by-site">> = {
  "C77.0": "by-site",
  "C77.1": "by-site",
  "C77.2": "distant",
  "C77.3": "regional",
  "C77.4": "distant",
  "C77.5": "distant",
  "C77.8": "distant",
  "C77.9": "by-site",
};

/** Node sites named in a body site or text that are regional for breast (AJCC 8th; SEER EOD breast note 7). */
export const REGIONAL_NODE_TEXT =
  /\b(?:axilla|axillary|infraclavicular|subclavicular|internal mammary|parasternal|supraclavicular|intramammary|interpectoral)\b/i;
/** Node sites that are distant for breast (SEER clinical N breast, note 1: cervical, contralateral nodes are M1). */
export const DISTANT_NODE_TEXT =
  /\b(?:contralateral|cervical|mediastinal|hilar|abdominal|retroperitoneal|para-?aortic|inguinal|pelvic|iliac|mesenteric)\b/i;

/**
 * Words that make a recurrence local or regional, not distant: chest wall, mastectomy scar, in-breast (AJCC 8th:
 * locoregional recurrence is not M1). "Breast" alone is not enough: a recurrence status set on the primary's
 * Condition keeps the primary's body site, so it says nothing of where the disease recurred.
 */
export const LOCOREGIONAL_RECURRENCE_TEXT =
  /\b(?:chest wall|mastectomy scar|local recurrence|locoregional|loco-regional|regional recurrence|in-breast|ipsilateral breast tumou?r recurrence)\b/i;
/** Personal history of malignant neoplasm of breast: history, not an event of its own. */
export const ICD10_HISTORY_OF_BREAST_CANCER = "Z85.3";

/** Condition.clinicalStatus codes that mean recurrent disease. */
export const RECURRENCE_CLINICAL_STATUS: readonly string[] = ["recurrence", "relapse"];

export { ICD10CM, SNOMED };

/**
 * Carcinoma in situ of the breast (DCIS, LCIS): not invasive cancer, so neither an invasive-cancer event nor tissue
 * whose HER2 decides invasive-cancer status (ASCO/CAP 2018, reaffirming 2013: HER2 is tested on invasive breast
 * cancer, scored on invasive tumour cells; rules 2.0.0). Sources: ICD-10-CM D05 (D05.0 lobular, D05.1 intraductal
 * carcinoma in situ of breast; [TERMINOLOGY.md] ICD-10-CM chapters); SNOMED CT 109889007 "Intraductal carcinoma in
 * situ of breast (disorder)" and morphology 86616005 "Intraductal carcinoma, noninfiltrating" (German MII oncology
 * and pathology IG value sets, checked 2026-12-03 with the project's code search); ICD-O-3 behaviour code /2 (in
 * situ) in a morphology code such as "8500/2".
 */
export const ICD10_BREAST_IN_SITU_PREFIX = "D05";
export const IN_SITU_SNOMED: readonly { code: string; display: string; source: string }[] = [
  { code: "109889007", display: "Intraductal carcinoma in situ of breast", source: "MII oncology IG" },
  { code: "86616005", display: "Intraductal carcinoma, noninfiltrating", source: "MII pathology IG" },
];
/** An ICD-O-3 morphology code with behaviour /2 (in situ), e.g. "8500/2", "8520/2". */
export const ICDO3_IN_SITU_MORPHOLOGY = /^\d{4}\/2$/;
/** mCODE extension holding a primary cancer's histology and behaviour (Condition.extension). */
export const MCODE_HISTOLOGY_EXTENSION = "mcode-histology-morphology-behavior";
