/**
 * Hand-built assessments for the panel tests, shaped like what the rules return for realistic charts. Written by
 * hand (not produced by the rules) so the panel is tested against the contract, not against the rules' output.
 */
import type {
  AntiHer2Therapy,
  Assessment,
  DataGap,
  DiseaseEvent,
  EvidenceItem,
  Flag,
  FlagCode,
} from "../../src/domain/types";
import type { PanelPatient } from "../../src/ui/Her2Panel";
import { FLAG_CODES } from "../../src/domain/codes";

export const PATIENT: PanelPatient = {
  name: "Maria Lopez",
  birthDate: "1961-04-12",
  gender: "female",
  reference: "Patient/p-ihc2",
};

const WOLFF_2018 =
  "Wolff AC et al. HER2 testing in breast cancer: ASCO/CAP clinical practice guideline focused update. J Clin Oncol 2018;36:2105-2122";
const WOLFF_2023 =
  "Wolff AC et al. HER2 testing in breast cancer: ASCO-CAP guideline update. J Clin Oncol 2023;41:3867-3872";

/** IHC 2+ on the 2024 core biopsy: the reflex-ISH scenario. */
export const IHC_2PLUS: EvidenceItem = {
  resource: "Observation/ihc-1",
  method: "ihc",
  value: "2+",
  date: "2024-03-02",
  specimen: "Specimen/s-24-1234",
  specimenLabel: "S-24-1234",
  bodySite: "Left breast",
  status: "final",
  interpretation: "IHC 2+ (equivocal)",
  readAs: "valueCodeableConcept LA LOINC answer read as IHC score",
  rawValue: "Score 2+ (equivocal)",
  used: true,
};

/** An evidence item with the common fields filled in. */
export function evidence(item: Partial<EvidenceItem> & Pick<EvidenceItem, "resource">): EvidenceItem {
  return { method: "ihc", value: "1+", status: "final", used: true, ...item };
}

const baseAssessment: Assessment = {
  patient: "Patient/p-ihc2",
  asOf: "2026-11-25",
  guideline: "ASCO/CAP 2018, 2023 update",
  rulesVersion: "1.0.0",
  status: "equivocal",
  category: "unknown",
  setting: "early",
  basis: {
    specimen: "Specimen/s-24-1234",
    specimenLabel: "S-24-1234",
    bodySite: "Left breast",
    date: "2024-03-02",
    evidence: ["Observation/ihc-1"],
  },
  statusReason: "IHC 2+ without an ISH result on the same specimen is not a final result.",
  flags: [
    {
      code: "reflex-ish-missing",
      severity: "action",
      message: "The IHC 2+ result on specimen S-24-1234 has no ISH result.",
      action: "Order reflex ISH on specimen S-24-1234 (IHC 2+ on 2024-03-02)",
      evidence: ["Observation/ihc-1"],
    },
  ],
  recommendation: {
    text: "Complete HER2 testing (reflex ISH) before anti-HER2 treatment decisions.",
    citations: [WOLFF_2018, WOLFF_2023],
  },
  evidence: [IHC_2PLUS],
  unreadable: [],
  dataGaps: [],
};

/** An assessment: the equivocal IHC 2+ case, with the given fields replaced. */
export function assessment(overrides: Partial<Assessment> = {}): Assessment {
  return { ...baseAssessment, ...overrides };
}

/** A metastatic HER2-positive chart: primary 2019 (IHC 2+ then dual ISH group 1), liver biopsy 2025 IHC 3+. */
export const METASTATIC_POSITIVE_EVIDENCE: EvidenceItem[] = [
  evidence({
    resource: "Observation/ish-2019",
    method: "ish-dual",
    value: "ratio 2.6, HER2 5.1/cell",
    date: "2019-05-06",
    specimen: "Specimen/s-19-0101",
    specimenLabel: "S-19-0101",
    bodySite: "Right breast",
    interpretation: "ISH group 1 (positive)",
    rawValue: "HER2/CEP17 ratio 2.6; HER2 5.1 signals/cell",
    used: false,
    notUsedReason: "superseded by a more recent conclusive specimen",
  }),
  evidence({
    resource: "Observation/ihc-liver",
    method: "ihc",
    value: "3+",
    date: "2025-06-10",
    specimen: "Specimen/s-25-0456",
    specimenLabel: "S-25-0456",
    bodySite: "Liver",
    interpretation: "IHC 3+ (positive)",
    rawValue: "3+",
  }),
  evidence({
    resource: "Observation/ihc-2019",
    method: "ihc",
    value: "2+",
    date: "2019-05-02",
    specimen: "Specimen/s-19-0101",
    specimenLabel: "S-19-0101",
    bodySite: "Right breast",
    interpretation: "IHC 2+ (equivocal)",
    used: false,
    notUsedReason: "superseded by a more recent conclusive specimen",
  }),
];

export const METASTATIC_EVENTS: DiseaseEvent[] = [
  {
    kind: "primary",
    date: "2019-04-20",
    description: "Invasive ductal carcinoma of right breast",
    source: "Condition/c1",
  },
  {
    kind: "metastasis",
    date: "2025-05-28",
    description: "Secondary malignant neoplasm of liver",
    source: "Condition/c2",
  },
];

export const TRASTUZUMAB_2019: AntiHer2Therapy = {
  drug: "trastuzumab",
  start: "2019-06-15",
  end: "2020-06-10",
  status: "completed",
  source: "MedicationRequest/m1",
};

export const metastaticPositive = assessment({
  patient: "Patient/p-met",
  status: "positive",
  category: "her2-positive",
  setting: "metastatic",
  basis: {
    specimen: "Specimen/s-25-0456",
    specimenLabel: "S-25-0456",
    bodySite: "Liver",
    date: "2025-06-10",
    evidence: ["Observation/ihc-liver"],
  },
  statusReason: "IHC 3+ on the most recent specimen (liver, 2025-06-10).",
  flags: [],
  recommendation: {
    text: "First line: trastuzumab + pertuzumab with a taxane (the taxane for at least 6 cycles), then trastuzumab + pertuzumab until progression. Second line: trastuzumab deruxtecan.",
    citations: [WOLFF_2018],
  },
  evidence: METASTATIC_POSITIVE_EVIDENCE,
});

/** One flag of every contract code, in an order that is not the severity order, to test sorting. */
export const ALL_FLAGS: Flag[] = [
  {
    code: "result-pending",
    severity: "info",
    message: "A HER2 ISH result is preliminary.",
    evidence: ["Observation/ish-pending"],
  },
  {
    code: "reflex-ish-missing",
    severity: "action",
    message: "The IHC 2+ result on specimen S-24-1234 has no ISH result.",
    action: "Order reflex ISH on specimen S-24-1234 (IHC 2+ on 2024-03-02)",
    evidence: ["Observation/ihc-1"],
  },
  {
    code: "anti-her2-therapy-not-found",
    severity: "warning",
    message: "The status is HER2-positive and no anti-HER2 medication is on record.",
    action: "Check the medication list for trastuzumab or pertuzumab.",
    evidence: ["Observation/ihc-liver"],
  },
  {
    code: "metastatic-retest-missing",
    severity: "action",
    message: "Metastasis was recorded on 2025-05-28 and no HER2 test was done on a later specimen.",
    action: "Retest HER2 on the metastatic tissue if available.",
    evidence: ["Condition/c2"],
  },
  {
    code: "ihc-workup-needed",
    severity: "action",
    message: "Dual-probe ISH group 2 has no IHC on the same specimen.",
    action: "Request IHC on specimen S-23-0077.",
    evidence: ["Observation/ish-g2"],
  },
  {
    code: "recount-needed",
    severity: "action",
    message: "ISH group 3 with concurrent IHC 2+ and no recount reported.",
    action: "Ask pathology for a blinded second-observer recount.",
    evidence: ["Observation/ish-g3"],
  },
  {
    code: "dual-probe-ish-needed",
    severity: "action",
    message: "Single-probe ISH shows 4.8 HER2 copies per cell (equivocal).",
    action: "Request dual-probe ISH or IHC.",
    evidence: ["Observation/ish-single"],
  },
  {
    code: "discordant-results",
    severity: "warning",
    message: "The primary tumour was HER2-negative (2019) and the liver metastasis HER2-positive (2025).",
    evidence: ["Observation/ihc-2019", "Observation/ihc-liver"],
  },
  {
    code: "interpretation-mismatch",
    severity: "warning",
    message: "The reported interpretation says negative, but its ISH components give group 1 (positive).",
    evidence: ["Observation/interp-1"],
  },
  {
    code: "result-unreadable",
    severity: "info",
    message: "One HER2 result could not be interpreted.",
    evidence: ["Observation/odd-1"],
  },
  {
    code: "ihc-score-needed",
    severity: "action",
    message:
      "HER2-negative metastatic disease, but no IHC score is on record for the result the status rests on.",
    action: "Ask the laboratory for the IHC score (0, ultralow, 1+, 2+) of this specimen.",
    evidence: ["Observation/ish-liver"],
  },
  {
    code: "ihc-zero-review",
    severity: "info",
    message: "HER2 IHC 0 in metastatic disease: faint staining in up to 10% of cells (ultralow) matters.",
    evidence: ["Observation/ihc-liver"],
  },
  {
    code: "residual-disease-result",
    severity: "info",
    message:
      "The mastectomy after neoadjuvant therapy is residual disease; the pre-treatment biopsy governs.",
    evidence: ["Observation/ihc-residual"],
  },
  {
    code: "decalcified-negative",
    severity: "warning",
    message: "HER2 negative on decalcified bone: decalcification may cause false-negative results.",
    evidence: ["Observation/ihc-bone"],
  },
  {
    code: "her2-test-missing",
    severity: "action",
    message: "Breast cancer is recorded, but no HER2 test result (IHC or ISH) is on record.",
    action: "Order HER2 testing (IHC, with reflex ISH if IHC 2+) on the invasive tumour.",
    evidence: ["Condition/c1"],
  },
  {
    code: "undated-result",
    severity: "warning",
    message: "The HER2 status rests on an undated result: no test or collection date is on record.",
    evidence: ["Observation/ihc-undated"],
  },
  {
    code: "therapy-duration-exceeds",
    severity: "info",
    message: "The record documents trastuzumab from 2023-02-01 to 2024-11-13 (21 months) in early disease.",
    evidence: ["MedicationAdministration/ma-1"],
  },
];

/** Every flag code of the contract: the domain's list, so a flag added to the rules must be rendered here too. */
export const EVERY_FLAG_CODE: readonly FlagCode[] = FLAG_CODES;

export const DENIED_OBSERVATION: DataGap = {
  resourceType: "Observation",
  kind: "denied",
  reason: "403 Forbidden: scope patient/Observation.rs was not granted",
  affectsAssessment: true,
};

export const MEDICATION_TIMEOUT: DataGap = {
  resourceType: "MedicationStatement",
  kind: "timeout",
  reason: "The server did not answer within 20 s",
  affectsAssessment: true,
};

export const DOCREF_UNSUPPORTED: DataGap = {
  resourceType: "DocumentReference",
  kind: "unsupported",
  reason: "The server does not support searching DocumentReference by patient",
  affectsAssessment: false,
};

/** Source JSON as the shell passes it to the viewer. */
export const RESOURCES: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  [
    "Observation/ihc-1",
    {
      resourceType: "Observation",
      id: "ihc-1",
      status: "final",
      code: {
        coding: [
          {
            system: "http://loinc.org",
            code: "18474-7",
            display: "HER2 Ag [Presence] in Tissue by Immune stain",
          },
        ],
      },
      subject: { reference: "Patient/p-ihc2" },
      effectiveDateTime: "2024-03-02",
      valueString: "Score 2+ (equivocal)",
      specimen: { reference: "Specimen/s-24-1234" },
    },
  ],
]);
