/** Code system URIs the FHIR layer reads. One place, so a typo cannot hide a result. */
export const LOINC = "http://loinc.org";
export const SNOMED = "http://snomed.info/sct";
export const RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
export const ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm";
/** FHIR R4 Condition.clinicalStatus code system. */
export const CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical";
export const CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
/** HL7 v3 ObservationInterpretation (Observation.interpretation). */
export const V3_INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
/** AJCC staging codes as used in the mCODE examples (`http://cancerstaging.org` code `4` = IV). */
export const AJCC = "http://cancerstaging.org";

/** mCODE profile of a metastasis recorded as its own Condition (STU1 and later use the same name). */
export const MCODE_SECONDARY_CANCER_PROFILE = "mcode-secondary-cancer-condition";
/**
 * CAP electronic Cancer Checklist (eCC) CKeys, as the HL7 cancer-reporting IG (`http://cap.org/eCC` in its text) and its
 * examples and the mCODE biomarker examples (`https://cap.org/eCC`) write the system: both spellings are read.
 */
export const CAP_ECC_SYSTEMS = ["http://cap.org/eCC", "https://cap.org/eCC"] as const;
