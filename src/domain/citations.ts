/**
 * The sources the rules and the recommendation text rest on. Flags and recommendations carry the `text` of these
 * entries (readable in the CLI's CSV and NDJSON); the panel can look the link up by `text` or `id`.
 */
import type { Citation } from "./types";

export const CITATIONS = {
  wolff2018: {
    id: "wolff2018",
    text: "Wolff AC et al. HER2 testing in breast cancer: ASCO/CAP clinical practice guideline focused update. J Clin Oncol 2018;36:2105-2122",
    url: "https://doi.org/10.1200/JCO.2018.77.8738",
  },
  wolff2023: {
    id: "wolff2023",
    text: "Wolff AC et al. HER2 testing in breast cancer: ASCO-CAP guideline update. J Clin Oncol 2023;41:3867-3872",
    url: "https://doi.org/10.1200/JCO.22.02864",
  },
  romond2005: {
    id: "romond2005",
    text: "Romond EH et al. Trastuzumab plus adjuvant chemotherapy for operable HER2-positive breast cancer (NSABP B-31 / NCCTG N9831). N Engl J Med 2005;353:1673-1684",
    url: "https://doi.org/10.1056/NEJMoa052122",
  },
  goldhirsch2013: {
    id: "goldhirsch2013",
    text: "Goldhirsch A et al. 2 years versus 1 year of adjuvant trastuzumab for HER2-positive breast cancer (HERA). Lancet 2013;382:1021-1028",
    url: "https://doi.org/10.1016/S0140-6736(13)61094-6",
  },
  vonMinckwitz2017: {
    id: "vonMinckwitz2017",
    text: "von Minckwitz G et al. Adjuvant pertuzumab and trastuzumab in early HER2-positive breast cancer (APHINITY). N Engl J Med 2017;377:122-131",
    url: "https://doi.org/10.1056/NEJMoa1703643",
  },
  swain2015: {
    id: "swain2015",
    text: "Swain SM et al. Pertuzumab, trastuzumab, and docetaxel in HER2-positive metastatic breast cancer (CLEOPATRA). N Engl J Med 2015;372:724-734",
    url: "https://doi.org/10.1056/NEJMoa1413513",
  },
  cortes2022: {
    id: "cortes2022",
    text: "Cortés J et al. Trastuzumab deruxtecan versus trastuzumab emtansine for breast cancer (DESTINY-Breast03). N Engl J Med 2022;386:1143-1154",
    url: "https://doi.org/10.1056/NEJMoa2115022",
  },
  modi2022: {
    id: "modi2022",
    text: "Modi S et al. Trastuzumab deruxtecan in previously treated HER2-low advanced breast cancer (DESTINY-Breast04). N Engl J Med 2022;387:9-20",
    url: "https://doi.org/10.1056/NEJMoa2203690",
  },
  bardia2024: {
    id: "bardia2024",
    text: "Bardia A et al. Trastuzumab deruxtecan after endocrine therapy in metastatic breast cancer (DESTINY-Breast06). N Engl J Med 2024;391:2110-2122",
    url: "https://doi.org/10.1056/NEJMoa2407086",
  },
  fdaTdxd: {
    id: "fdaTdxd",
    text: "US FDA. Fam-trastuzumab deruxtecan-nxki approved for unresectable or metastatic HER2-low breast cancer after prior chemotherapy (5 August 2022) and for HR-positive HER2-low or HER2-ultralow disease after endocrine therapy (27 January 2025)",
    url: "https://www.fda.gov/drugs/resources-information-approved-drugs",
  },
  vonMinckwitz2019: {
    id: "vonMinckwitz2019",
    text: "von Minckwitz G et al. Trastuzumab emtansine for residual invasive HER2-positive breast cancer (KATHERINE). N Engl J Med 2019;380:617-628",
    url: "https://doi.org/10.1056/NEJMoa1814017",
  },
  fhirObservationStatus: {
    id: "fhirObservationStatus",
    text: "HL7 FHIR R4, Observation.status (registered and preliminary results are not final)",
    url: "https://hl7.org/fhir/R4/valueset-observation-status.html",
  },
} as const satisfies Record<string, Citation>;

export type CitationId = keyof typeof CITATIONS;

/** The display texts of the given citations, in the order given. */
export function cite(...ids: CitationId[]): string[] {
  return ids.map((id) => CITATIONS[id].text);
}

/** Every citation, for a reference list (the panel's "Sources", the README). */
export function allCitations(): Citation[] {
  return Object.values(CITATIONS);
}
