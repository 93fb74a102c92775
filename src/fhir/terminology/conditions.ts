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
/** C78 (respiratory and digestive organs), C79 (other and unspecified sites). C77 (lymph nodes) is regional, see above. */
export const ICD10_METASTASIS_PREFIXES: readonly string[] = ["C78", "C79"];
export const ICD10_LYMPH_NODE_SECONDARY_PREFIX = "C77";
/** Personal history of malignant neoplasm of breast: history, not an event of its own. */
export const ICD10_HISTORY_OF_BREAST_CANCER = "Z85.3";

/** Condition.clinicalStatus codes that mean recurrent disease. */
export const RECURRENCE_CLINICAL_STATUS: readonly string[] = ["recurrence", "relapse"];

export { ICD10CM, SNOMED };
