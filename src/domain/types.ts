/**
 * Types of the pure HER2 domain core: what the FHIR layer and the CLI hand to the rules, and the assessment the rules
 * return (the contract in DESIGN.md, which the panel renders and the CLI prints).
 *
 * Dates are ISO 8601 strings as FHIR writes them (`YYYY`, `YYYY-MM`, `YYYY-MM-DD` or a dateTime); the rules compare
 * them by their calendar-date prefix. References are relative FHIR references such as `Observation/ihc-1`.
 */

import type { Text, TextValue } from "./text";

export type { MessageId, Text, TextValue } from "./text";

/** A relative FHIR reference, e.g. `Observation/ihc-1`. */
export type ResourceRef = string;
/** An ISO 8601 date or dateTime as FHIR writes it. */
export type IsoDate = string;

/** FHIR Observation.status, narrowed to what the rules distinguish. */
export type ResultStatus =
  | "registered"
  | "preliminary"
  | "final"
  | "amended"
  | "corrected"
  | "cancelled"
  | "entered-in-error"
  | "unknown";

/** A laboratory's overall call, as reported (coded answer, "Amplified", "POSITIVE (3+)", interpretation code). */
export type ReportedCall = "positive" | "negative" | "equivocal" | "indeterminate";

/** IHC membrane-staining score. */
export type IhcScore = "0" | "1+" | "2+" | "3+";

/**
 * Staining detail of an IHC 0 that separates HER2-ultralow (faint, incomplete staining in ≤10% of cells) from
 * HER2-null (no staining). Present only when the data says so.
 */
export type IhcZeroDetail = "null" | "ultralow";

/** The specimen a result was obtained on. */
export interface SpecimenInfo {
  /** `Specimen/…` reference when the result points to a Specimen resource. */
  reference?: ResourceRef;
  /** Accession or label a pathologist recognises, e.g. `S-24-1234`. */
  label?: string;
  /** Body site in words, e.g. "Left breast", "Liver". */
  bodySite?: string;
  /** When the tissue was collected. */
  collected?: IsoDate;
  /** True when the specimen's processing or description says it was decalcified (bone). Added in rules 1.2.0. */
  decalcified?: boolean;
  /**
   * True when the specimen or its report says carcinoma in situ only (DCIS, LCIS) with no invasive component: its
   * HER2 does not decide invasive-cancer status (ASCO/CAP 2018 tests invasive cancer). Added in rules 2.0.0.
   */
  inSituOnly?: boolean;
}

interface TestRecordBase {
  /** The resource this record was read from (an Observation, or a DiagnosticReport for a conclusion). */
  source: ResourceRef;
  status: ResultStatus;
  /**
   * The amended or corrected result that replaces this one (the FHIR layer finds it): a superseded result is listed
   * but never used, like a cancelled one.
   */
  supersededBy?: ResourceRef;
  /** Observation.effective[x] (or issued when no effective date), calendar date of the test. */
  date?: IsoDate;
  specimen?: SpecimenInfo;
  /** The laboratory's own reported call on this record, where it gave one besides the components. */
  reported?: ReportedCall;
  /** The value exactly as recorded, for display ("Score 2+ (equivocal)", "2.3", "SNOMED 10828004 Positive"). */
  rawValue?: string;
  /** How the FHIR layer read it, for chart review ("valueString parsed as IHC score"). */
  readAs?: string;
  /** `readAs` as a message descriptor of the FHIR layer's catalog (issue 15; `readAs` is its English). */
  readAsText?: Text;
  /**
   * Read from text alone: a call ("Negative") with no score or measurement, under a code found only by its display
   * text (in neither the HER2 code set nor the code map). A status resting on such results is shown as such (17.5).
   */
  textOnly?: true;
  /**
   * Set when the result names HER2 but is not a tissue HER2 status (serum HER2 protein, an ERBB2 gene variant from
   * sequencing): listed with this reason, never used (rules 2.0.0; Wolff 2018/2023 define HER2 status by IHC and ISH
   * on invasive tumour tissue).
   */
  notTissueHer2?: string;
}

/** Immunohistochemistry. `score` is absent when the lab reported only a call (e.g. "Positive" with no score). */
export interface IhcRecord extends TestRecordBase {
  method: "ihc";
  score?: IhcScore;
  zeroDetail?: IhcZeroDetail;
}

/** Dual-probe in situ hybridisation (HER2 and CEP17 probes). Any measured number may be missing. */
export interface DualIshRecord extends TestRecordBase {
  method: "ish-dual";
  ratio?: number;
  /** Average HER2 signals per cell. */
  her2PerCell?: number;
  /** Average CEP17 signals per cell. */
  cep17PerCell?: number;
  cellsCounted?: number;
  /** A second observer's recount (blinded), as required for groups 2-4 with IHC 2+. */
  recount?: { ratio?: number; her2PerCell?: number };
  /** Measures recorded only as a bound that settles the guideline threshold (see `IshBounds`). */
  bounds?: IshBounds;
}

/**
 * ISH measures recorded only as a bound ("> 10", "< 2.0") that still settles the guideline's threshold (rules 2.0.0,
 * issue 12.5; thresholds of Wolff 2018 Figs. 2-3). The number in the measure's field then stands for the band the
 * bound settles and is never shown: this text is, e.g. "> 10 (settles HER2 signals per cell ≥ 6.0)".
 */
export interface IshBounds {
  ratio?: string;
  her2PerCell?: string;
}

/** Single-probe ISH: average HER2 copies per cell only. */
export interface SingleIshRecord extends TestRecordBase {
  method: "ish-single";
  her2PerCell?: number;
  cellsCounted?: number;
  recount?: { her2PerCell?: number };
  bounds?: Pick<IshBounds, "her2PerCell">;
}

/** The laboratory's final HER2 interpretation (e.g. LOINC 48676-1), which may reflect work the data does not show. */
export interface InterpretationRecord extends TestRecordBase {
  method: "interpretation";
  reported?: ReportedCall;
}

/** A HER2 result the FHIR layer found but could not read confidently. Never guessed: listed as unreadable. */
export interface UnreadableRecord extends TestRecordBase {
  method: "unreadable";
  reason: string;
  /** `reason` as a message descriptor of the FHIR layer's catalog (issue 15; `reason` is its English). */
  reasonText?: Text;
  /**
   * True for a copy of a result received more than once under one id with differing contents: which copy is current
   * cannot be told, so its specimen is not conclusive whatever its other results say (issue 16, point 2).
   */
  conflictingCopy?: boolean;
}

export type Her2TestRecord =
  IhcRecord | DualIshRecord | SingleIshRecord | InterpretationRecord | UnreadableRecord;

/** A disease event from a Condition, a stage or an observation. */
export interface DiseaseEvent {
  kind: "primary" | "recurrence" | "metastasis";
  /** When it was diagnosed or recorded (onset, else recordedDate); may be unknown. */
  date?: IsoDate;
  /** Words for display, e.g. "Secondary malignant neoplasm of liver". */
  description?: string;
  bodySite?: string;
  /**
   * How far the disease reaches, when the record says (rules 1.2.0): "locoregional" (a recurrence in the breast, chest
   * wall or regional nodes: not metastatic disease), "uncertain" (nodes the code cannot place as regional or distant,
   * e.g. ICD-10-CM C77.0 head and neck without a site: the setting cannot be told). Absent: as the kind says.
   */
  extent?: "locoregional" | "uncertain";
  /**
   * A primary's histology (morphology) code, e.g. "http://snomed.info/sct|408643008", when the record gives one: a
   * later primary in the same breast with another histology is a new primary (tumour.ts). Added in rules 2.0.0.
   */
  morphology?: string;
  /** True when the record names this primary a new, second or metachronous primary. Added in rules 2.0.0. */
  newPrimary?: boolean;
  /**
   * A recurrence read from a breast-cancer Condition whose clinical status became "recurrence": the Condition's
   * onset, i.e. when the primary tumour was diagnosed (the recurrence itself has no date of its own; `date` is the
   * earliest it can be). For display (the timeline marks the primary diagnosis there); the rules do not read it.
   */
  diagnosed?: IsoDate;
  source: ResourceRef;
}

/** An anti-HER2 medication on record (request, statement or administration). */
export interface AntiHer2Therapy {
  /** Ingredient name, e.g. "trastuzumab". */
  drug: string;
  start?: IsoDate;
  end?: IsoDate;
  /**
   * Without an end: the last date the record documents the therapy (an administration's date, an order's authoredOn
   * plus its expected supply duration, a statement's date asserted). Added in rules 2.0.0; the timeline draws an open
   * order only this far, never to the assessment date.
   */
  recordedUntil?: IsoDate;
  /** Resource status as recorded (active, completed, stopped, …). */
  status?: string;
  source: ResourceRef;
}

/** Data that could not be loaded, so the assessment may be incomplete. */
export interface DataGap {
  /** What was being loaded, e.g. "Observation", "MedicationRequest". */
  resourceType: string;
  /** `excluded`: resources that were loaded but cannot be proven to be this patient's, left out of the assessment. */
  /**
   * `loading`: the query has not answered yet; the app shows what has arrived with this part marked as pending
   * (issue 18, point 4). Never in a final assessment.
   */
  kind: "denied" | "not-found" | "error" | "timeout" | "partial" | "unsupported" | "excluded" | "loading";
  /** Plain-language reason, e.g. "403 Forbidden: scope patient/Observation.rs was not granted". */
  reason: string;
  /**
   * `reason` as a message descriptor of the FHIR layer's catalog (issue 15; `reason` is its English). The server's
   * own words in it (an OperationOutcome's diagnostics, a network error) are values, kept as they came. Absent on a
   * gap from elsewhere (an old saved state): its `reason` is then shown as written.
   */
  reasonText?: Text;
  /** True when the missing data could change the HER2 status or a flag (Observation, Condition, medications). */
  affectsAssessment: boolean;
}

/** Everything the rules need for one patient. */
export interface PatientInput {
  /** `Patient/…` */
  patient: ResourceRef;
  /** "Today" for the rules: an input, never the clock. `YYYY-MM-DD`. */
  asOf: IsoDate;
  tests: Her2TestRecord[];
  events: DiseaseEvent[];
  therapies: AntiHer2Therapy[];
  dataGaps?: DataGap[];
}

// ---------------------------------------------------------------------------------------------------------------
// The assessment (contract, DESIGN.md). Extra fields beyond the contract are additive.

export type Her2Status = "positive" | "negative" | "equivocal" | "indeterminate" | "no-result";
export type Her2Category =
  "her2-positive" | "her2-low" | "her2-ultralow" | "her2-0" | "her2-negative" | "unknown";
export type Setting = "early" | "metastatic" | "unknown";

export type FlagCode =
  | "reflex-ish-missing"
  | "metastatic-retest-missing"
  | "ihc-workup-needed"
  | "recount-needed"
  | "dual-probe-ish-needed"
  | "discordant-results"
  | "interpretation-mismatch"
  | "result-unreadable"
  | "result-pending"
  | "anti-her2-therapy-not-found"
  | "ihc-score-needed"
  | "ihc-zero-review"
  | "residual-disease-result"
  | "decalcified-negative"
  | "her2-test-missing"
  | "undated-result"
  | "therapy-duration-exceeds";

export type FlagSeverity = "action" | "warning" | "info";

export interface Flag {
  code: FlagCode;
  severity: FlagSeverity;
  /** Plain-language statement of the problem. */
  message: string;
  /** Suggested next step, e.g. "Order reflex ISH on specimen S-24-1234 (IHC 2+ on 2024-03-02)". */
  action?: string;
  /** The resources the flag rests on. */
  evidence: ResourceRef[];
  /** The sources (guideline sections, trials) the flag rests on, as citation texts. Added in rules 1.0.0. */
  references?: string[];
  /**
   * `not-checked`: the rule could not be checked because data it needs did not load (a query failed or timed out);
   * the flag is not raised, and the message names the check and what did not load (issue 18, point 4). Absent: the
   * flag is raised. Added in rules 2.0.0.
   */
  state?: "not-checked";
  /**
   * The texts as message descriptors (src/domain/text.ts; ids of src/domain/messages/en.json, whose English rendering
   * is `message` / `action` exactly), so the panel can show them in the reader's language (localizeAssessment). Absent
   * for a text not yet held as a message. Added in rules 2.1.0.
   */
  i18n?: { message: Text; action?: Text };
}

export type EvidenceMethod = "ihc" | "ish-dual" | "ish-single" | "interpretation" | "unreadable";

/** One HER2 result as the rules saw it. */
export interface EvidenceItem {
  resource: ResourceRef;
  method: EvidenceMethod;
  /** Value as recorded / summarised: "2+", "ratio 2.3, HER2 4.5/cell", "Positive". */
  value: string;
  date?: IsoDate;
  /** `Specimen/…` reference, or the specimen label when there is no resource. */
  specimen?: string;
  specimenLabel?: string;
  bodySite?: string;
  /** Result status as recorded. */
  status: ResultStatus;
  /** What the rules read it as, e.g. "ISH group 2", "IHC 2+ (equivocal)". */
  interpretation?: string;
  readAs?: string;
  rawValue?: string;
  used: boolean;
  /** As on the record: a call read under a code identified by its display text only, with no score (17.5). */
  textOnly?: true;
  /** Why it was not used: superseded, cancelled, entered in error, unreadable, pending. */
  notUsedReason?: string;
  /**
   * The rules' own wording of `value`, `interpretation` and `notUsedReason` as message descriptors (as on Flag; rules
   * 2.1.0), each present when the rules wrote that text; values the record or the FHIR layer wrote stay as written.
   */
  i18n?: EvidenceTexts;
}

/** EvidenceItem.i18n. */
export interface EvidenceTexts {
  value?: Text;
  interpretation?: Text;
  notUsedReason?: Text;
  /** The record's `readAsText` (the FHIR layer's reading, issue 15). */
  readAs?: Text;
}

export interface Citation {
  id: string;
  text: string;
  url?: string;
}

export interface Assessment {
  patient: ResourceRef;
  asOf: IsoDate;
  guideline: string;
  /** Version of this project's rule set, bumped whenever a rule changes. */
  rulesVersion: string;
  status: Her2Status;
  category: Her2Category;
  setting: Setting;
  /** The specimen and date the status rests on, when there is one. */
  basis?: {
    specimen?: string;
    specimenLabel?: string;
    bodySite?: string;
    date?: IsoDate;
    /** The specimen's collection date, when a record gives it (then `date` is this date). */
    collected?: IsoDate;
    evidence: ResourceRef[];
  };
  /** Plain-language reason for the status (especially for indeterminate / equivocal / no-result). */
  statusReason: string;
  /**
   * `statusReason` as a message descriptor (as on Flag; rules 2.1.0). Values the rules copy from the record or the
   * FHIR layer (a specimen's reading, a loader's reason) are English text inside it.
   */
  i18n?: {
    statusReason: Text;
    /**
     * The `unreadable` list's reasons, in its order, present when the list is not empty: a descriptor for a reason the
     * rules wrote, the string itself for one the FHIR layer or the record wrote (it stays as written).
     */
    unreadable?: TextValue[];
  };
  flags: Flag[];
  /** `i18n.text`: the text as a message descriptor (as on Flag; rules 2.1.0). */
  recommendation: { text: string; citations: string[]; i18n?: { text: Text } };
  evidence: EvidenceItem[];
  unreadable: { resource: ResourceRef; reason: string }[];
  /** Data that could not be loaded; when non-empty the assessment may be incomplete. */
  dataGaps: DataGap[];
  /**
   * Present only when the patient has more than one tumour with HER2 results (bilateral primaries): each tumour's own
   * status. The top-level status then follows the rule in src/domain/index.ts ("Several tumours"); no tumour's
   * result replaces another's. Added in rules 1.2.0.
   */
  tumours?: TumourAssessment[];
}

/** One tumour's own HER2 status (Assessment.tumours). */
export interface TumourAssessment {
  /** Which tumour, e.g. "left breast". */
  tumour: string;
  status: Her2Status;
  category: Her2Category;
  statusReason: string;
  /** `statusReason` and `tumour` as message descriptors (rules 2.1.0). */
  i18n?: { statusReason: Text; tumour: Text };
  basis?: Assessment["basis"];
}
