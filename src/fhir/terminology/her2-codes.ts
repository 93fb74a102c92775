/**
 * LOINC codes of HER2 result Observations and of the staging Observations the FHIR layer reads.
 *
 * Sources (checked 2026-11-25 with the project's code search):
 * - [mCODE-VS] mCODE STU1 TumorMarkerTestVS (FSH source, hl7 mCODE IG), which lists every HER2 LOINC term below with its
 *   display, including the serum terms.
 * - [mCODE-data] the mCODE test patients in /work/shared/data/external (18474-7).
 * - [Synthea] Synthea breast cancer module (85319-2, 85318-4), per TERMINOLOGY.md.
 * - [LOINC-term] LOINC term description as given in TERMINOLOGY.md (74861-6, 96893-3), not independently re-checked.
 * - [mCODE-TNM] mCODE TNMDistantMetastasesCategory / stage group profiles (21907-1, 21901-4, 21908-9, 21902-2).
 */
import { CAP_ECC_SYSTEMS, LOINC } from "./systems";

/** What a HER2 Observation (or one of its components) carries. */
export type Her2Concept =
  /** IHC result: a score 0-3+ or a coded call. */
  | "ihc"
  /** ISH result: amplified / not amplified, or a call (FISH, CISH, SISH, DISH). */
  | "ish"
  /** HER2/CEP17 ratio (dual-probe ISH). */
  | "ish-ratio"
  /** Average HER2 signals per cell. */
  | "ish-her2-per-cell"
  /** Average CEP17 signals per cell. */
  | "ish-cep17-per-cell"
  /** Number of cells (nuclei) counted for ISH. */
  | "ish-cells-counted"
  /** The laboratory's overall HER2 interpretation. */
  | "interpretation"
  /** A panel whose members carry the results (hasMember). */
  | "panel";

export const HER2_CONCEPTS: readonly Her2Concept[] = [
  "ihc",
  "ish",
  "ish-ratio",
  "ish-her2-per-cell",
  "ish-cep17-per-cell",
  "ish-cells-counted",
  "interpretation",
  "panel",
];

export interface Her2CodeEntry {
  system: string;
  code: string;
  concept: Her2Concept;
  display: string;
  source: string;
}

/** HER2 tissue result codes of LOINC. */
const LOINC_HER2_CODES: readonly Her2CodeEntry[] = [
  {
    system: LOINC,
    code: "48676-1",
    concept: "interpretation",
    display: "HER2 [Interpretation] in Tissue",
    source: "mCODE-VS",
  },
  {
    system: LOINC,
    code: "85319-2",
    concept: "ihc",
    display: "HER2 [Presence] in Breast cancer specimen by Immune stain",
    source: "mCODE-VS; Synthea",
  },
  {
    system: LOINC,
    code: "18474-7",
    concept: "ihc",
    display: "HER2 Ag [Presence] in Tissue by Immune stain",
    source: "mCODE-VS; mCODE-data",
  },
  // Immunoassay on tissue: some laboratories file the IHC score here.
  {
    system: LOINC,
    code: "72382-5",
    concept: "ihc",
    display: "HER2 [Units/volume] in Tissue by Immunoassay",
    source: "mCODE-VS",
  },
  {
    system: LOINC,
    code: "72383-3",
    concept: "ihc",
    display: "HER2 [Presence] in Tissue by Immunoassay",
    source: "mCODE-VS",
  },
  {
    system: LOINC,
    code: "85318-4",
    concept: "ish",
    display: "HER2 [Presence] in Breast cancer specimen by FISH",
    source: "mCODE-VS; Synthea",
  },
  {
    system: LOINC,
    code: "31150-6",
    concept: "ish",
    display: "HER2 [Presence] in Tissue by FISH",
    source: "mCODE-VS",
  },
  {
    system: LOINC,
    code: "96893-3",
    concept: "ish",
    display: "ERBB2 gene duplication FISH Doc (Tumor)",
    source: "LOINC-term",
  },
  {
    system: LOINC,
    code: "49683-6",
    concept: "ish-ratio",
    display: "HER2 gene copy number/Chromosome 17 copy number in Tissue by FISH",
    source: "mCODE-VS",
  },
  {
    system: LOINC,
    code: "74860-8",
    concept: "ish-her2-per-cell",
    display: "HER2 gene copy number/nucleus in Tissue by FISH",
    source: "mCODE-VS",
  },
  {
    system: LOINC,
    code: "74861-6",
    concept: "ish-cep17-per-cell",
    display: "Chromosome 17 copy number/nucleus in Tissue by FISH",
    source: "LOINC-term",
  },
  {
    system: LOINC,
    code: "74885-5",
    concept: "panel",
    display: "HER2 panel - Tissue by FISH",
    source: "mCODE-VS",
  },
];

/**
 * CAP eCC question CKeys for HER2 (issue 12.5), checked 2026-12-03 with the project's code search:
 * - 52399.100004300 "HER2 (by immunohistochemistry)": HL7/cancer-reporting example observation-special-studies-her2.
 * - 31012.100004300 "HER2 by Immunohistochemistry": mcode/biomarker EX_SDCMessage (Breast.Bmk.169_1.003.001).
 * NOT coded (no real example found): the ISH question ("HER2 (by in situ hybridization)") and the ratio / copy-number
 * questions; such Observations are read by their display text and reported as such. CKeys belong to one template
 * version: a new template version may use new ones (map them in the institution code map).
 */
const CAP_ECC_HER2_QUESTIONS: readonly Omit<Her2CodeEntry, "system">[] = [
  {
    code: "52399.100004300",
    concept: "ihc",
    display: "HER2 (by immunohistochemistry)",
    source: "HL7 cancer-reporting IG example",
  },
  {
    code: "31012.100004300",
    concept: "ihc",
    display: "HER2 by Immunohistochemistry",
    source: "mCODE biomarker example (CAP Breast Biomarker 1.3)",
  },
];

/** The eCC questions under both spellings of the system. */
export const CAP_ECC_HER2_CODES: readonly Her2CodeEntry[] = CAP_ECC_SYSTEMS.flatMap((system) =>
  CAP_ECC_HER2_QUESTIONS.map((entry) => ({ system, ...entry })),
);

/** HER2 tissue result codes (LOINC, CAP eCC). Every code here is searched for and read. */
export const HER2_OBSERVATION_CODES: readonly Her2CodeEntry[] = [...LOINC_HER2_CODES, ...CAP_ECC_HER2_CODES];

/**
 * Serum HER2 protein tests: not a tissue HER2 status. Never searched for, and ignored if present (not reported as
 * unreadable either, since they are not HER2 status results).
 */
export const SERUM_HER2_CODES: readonly { system: string; code: string; display: string; source: string }[] =
  [
    { system: LOINC, code: "32996-1", display: "HER2 [Mass/volume] in Serum", source: "mCODE-VS" },
    {
      system: LOINC,
      code: "42914-2",
      display: "HER2 [Mass/volume] in Serum by Immunoassay",
      source: "mCODE-VS",
    },
    {
      system: LOINC,
      code: "51981-9",
      display: "HER2 [Presence] in Serum by Immunoassay",
      source: "mCODE-VS",
    },
  ];

/**
 * Genomic variant (sequencing) codes of the HL7 Genomics Reporting IG, as mCODE's GenomicVariant profile uses them
 * (checked 2026-12-03 with the project's code search: many FHIR genomics examples use these codes with these
 * displays). An ERBB2 result under one of them is a gene variant (mutation), not a tissue HER2 status (issue 12.5).
 */
export const GENOMIC_VARIANT_CODES: readonly { system: string; code: string; display: string }[] = [
  { system: LOINC, code: "69548-6", display: "Genetic variant assessment" },
  { system: LOINC, code: "81252-9", display: "Discrete genetic variant" },
  { system: LOINC, code: "48018-6", display: "Gene studied [ID]" },
  { system: LOINC, code: "81247-9", display: "Master HL7 genetic variant reporting panel" },
  { system: LOINC, code: "48004-6", display: "DNA change (c.HGVS)" },
  { system: LOINC, code: "48005-3", display: "Amino acid change (pHGVS)" },
];

export type StageConcept = "distant-metastasis-category" | "stage-group";

/** Staging Observations that can record distant metastasis (M1) or stage IV. */
export const STAGE_OBSERVATION_CODES: readonly {
  system: string;
  code: string;
  concept: StageConcept;
  display: string;
  source: string;
}[] = [
  {
    system: LOINC,
    code: "21907-1",
    concept: "distant-metastasis-category",
    display: "Distant metastases.clinical [Class] Cancer",
    source: "mCODE-TNM",
  },
  {
    system: LOINC,
    code: "21901-4",
    concept: "distant-metastasis-category",
    display: "Distant metastases.pathology [Class] Cancer",
    source: "mCODE-TNM",
  },
  {
    system: LOINC,
    code: "21908-9",
    concept: "stage-group",
    display: "Stage group.clinical Cancer",
    source: "mCODE-TNM; mCODE-data",
  },
  {
    system: LOINC,
    code: "21902-2",
    concept: "stage-group",
    display: "Stage group.pathology Cancer",
    source: "mCODE-TNM",
  },
];
