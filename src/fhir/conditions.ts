/**
 * Disease events (primary breast cancer, recurrence, distant metastasis) from Conditions, Condition.stage and staging
 * Observations (M category, stage group).
 */
import type { CodeableConcept, Condition, Observation, Resource } from "fhir/r4";
import type { DiseaseEvent } from "../domain/types";
import {
  allConceptText,
  codingsOf,
  conceptText,
  hasCoding,
  isResourceType,
  laterDate,
  refOf,
} from "./fhir-utils";
import { histologyOf, isInSituCondition } from "./in-situ";
import { bodySiteText, icdBreastSite } from "./laterality";
import {
  BREAST_CANCER_SNOMED,
  ICD10_BREAST_CANCER_PREFIX,
  ICD10_HISTORY_OF_BREAST_CANCER,
  ICD10_LYMPH_NODE_EXTENT,
  ICD10_LYMPH_NODE_SECONDARY_PREFIX,
  ICD10_METASTASIS_PREFIXES,
  DISTANT_NODE_TEXT,
  LOCOREGIONAL_RECURRENCE_TEXT,
  LYMPH_NODE_SECONDARY_SNOMED,
  METASTASIS_SNOMED,
  RECURRENCE_CLINICAL_STATUS,
  REGIONAL_NODE_TEXT,
} from "./terminology/conditions";
import { STAGE_OBSERVATION_CODES } from "./terminology/her2-codes";
import {
  AJCC,
  CONDITION_CLINICAL,
  CONDITION_VERIFICATION,
  ICD10CM,
  MCODE_SECONDARY_CANCER_PROFILE,
  SNOMED,
} from "./terminology/systems";

type Kind = "primary" | "metastasis" | "regional-nodes" | "uncertain-nodes" | "history";

/** The body site and code texts of a Condition, for telling where nodal or recurrent disease is. */
function siteText(condition: Condition): string {
  return [
    ...(condition.bodySite ?? []).flatMap((b) => allConceptText(b)),
    ...allConceptText(condition.code),
  ].join(" ");
}

/**
 * Secondary neoplasm of lymph nodes: regional, distant or uncertain for breast cancer, by the ICD-10-CM subcategory
 * (ICD10_LYMPH_NODE_EXTENT, AJCC 8th regional nodes) and the named site. Contralateral or cervical nodes are distant
 * even under a regional code; a code that holds both regional and distant nodes is decided by the site, else uncertain.
 */
function nodeKind(condition: Condition, icd: readonly string[]): Kind {
  const text = siteText(condition);
  if (DISTANT_NODE_TEXT.test(text)) return "metastasis";
  const extents = icd
    .filter((c) => c.startsWith(ICD10_LYMPH_NODE_SECONDARY_PREFIX))
    .map((c) => ICD10_LYMPH_NODE_EXTENT[c.slice(0, 5)] ?? "by-site");
  if (extents.includes("distant")) return "metastasis";
  if (extents.includes("regional") || REGIONAL_NODE_TEXT.test(text)) return "regional-nodes";
  const snomedRegional = LYMPH_NODE_SECONDARY_SNOMED.some((e) => hasCoding(condition.code, SNOMED, e.code));
  return snomedRegional ? "regional-nodes" : "uncertain-nodes";
}

function icdCodes(concept: CodeableConcept | undefined): string[] {
  return codingsOf(concept)
    .filter((c) => c.system === ICD10CM && c.code)
    .map((c) => (c.code ?? "").toUpperCase());
}

/** What a Condition's code (and category, profile) says, by code first and by text last (reported in the description). */
function kindOf(condition: Condition): { kind: Kind; byText: boolean } | undefined {
  const code = condition.code;
  const snomed = (list: readonly { code: string }[]): boolean =>
    list.some((e) => hasCoding(code, SNOMED, e.code));
  const icd = icdCodes(code);
  if (
    snomed(LYMPH_NODE_SECONDARY_SNOMED) ||
    icd.some((c) => c.startsWith(ICD10_LYMPH_NODE_SECONDARY_PREFIX))
  ) {
    return { kind: nodeKind(condition, icd), byText: false };
  }
  if (snomed(METASTASIS_SNOMED) || icd.some((c) => ICD10_METASTASIS_PREFIXES.some((p) => c.startsWith(p)))) {
    return { kind: "metastasis", byText: false };
  }
  if (icd.includes(ICD10_HISTORY_OF_BREAST_CANCER)) return { kind: "history", byText: false };
  if (snomed(BREAST_CANCER_SNOMED) || icd.some((c) => c.startsWith(ICD10_BREAST_CANCER_PREFIX))) {
    return { kind: "primary", byText: false };
  }
  const secondaryByCategory = (condition.category ?? []).some((c) => hasCoding(c, SNOMED, "128462008"));
  const secondaryByProfile = (condition.meta?.profile ?? []).some((p) =>
    p.includes(MCODE_SECONDARY_CANCER_PROFILE),
  );
  const text = allConceptText(code).join(" ").toLowerCase();
  if (secondaryByCategory || secondaryByProfile) {
    return /lymph node/.test(text)
      ? { kind: nodeKind(condition, icd), byText: true }
      : { kind: "metastasis", byText: false };
  }
  if (/lymph node/.test(text) && /secondary|metasta/.test(text))
    return { kind: nodeKind(condition, icd), byText: true };
  if (/metasta|secondary malignant/.test(text)) return { kind: "metastasis", byText: true };
  if (/history of/.test(text)) return undefined;
  if (/breast/.test(text) && /cancer|carcinoma|malignant|neoplasm/.test(text))
    return { kind: "primary", byText: true };
  return undefined;
}

function isRecurrence(condition: Condition): boolean {
  return codingsOf(condition.clinicalStatus).some(
    (c) => c.system === CONDITION_CLINICAL && RECURRENCE_CLINICAL_STATUS.includes(c.code ?? ""),
  );
}

function isRefutedOrError(condition: Condition): boolean {
  return codingsOf(condition.verificationStatus).some(
    (c) => c.system === CONDITION_VERIFICATION && (c.code === "refuted" || c.code === "entered-in-error"),
  );
}

function onsetOf(condition: Condition): string | undefined {
  return condition.onsetDateTime ?? condition.onsetPeriod?.start;
}

/**
 * An M1 category as a token of a staging text: "cM1", "pM1b", "M1(i+)", "Stage IV (cT2 cN1 cM1)", or at the end of a
 * compact TNM string, right after its N category ("pT2N1M1", "cT2cN1cM1", "T2N1mi(sn)M1a"; AJCC 8th); never "cM0".
 */
const M1_TOKEN =
  /(?:^|[\s(,;/]|(?<=N(?:[0-3][a-c]?|X)(?:mi)?(?:\(\w+\+?\))?))(?:y|r|yc|yp)?[cp]?M1[a-d]?(?:\(\w+\+?\))?(?=$|[\s),;/])/i;
/** Stage IV as the whole value ("IV", "4B") or named in a text ("Stage IV (cT2 cN1 cM1)", "stage IVB"). */
const STAGE_IV_TEXT = /^\s*(?:stage\s*)?(?:IV|4)[A-C]?\s*$|\bstage\s*(?:IV|4)[A-C]?\b/i;

/**
 * Stage IV or M1 in a staging value (AJCC code, text), coded or in text form with a TNM string (AJCC 8th: any M1 is
 * stage IV; rules 1.2.0).
 */
function stageSaysMetastatic(
  value: CodeableConcept | undefined,
  concept: "stage-group" | "distant-metastasis-category",
): boolean {
  if (!value) return false;
  const texts = allConceptText(value);
  if (concept === "stage-group") {
    if (codingsOf(value).some((c) => c.system === AJCC && /^4[A-C]?$/i.test(c.code ?? ""))) return true;
    return texts.some((t) => STAGE_IV_TEXT.test(t) || M1_TOKEN.test(t));
  }
  return [...codingsOf(value).map((c) => c.code ?? ""), ...texts].some((t) => M1_TOKEN.test(t));
}

function event(
  kind: DiseaseEvent["kind"],
  source: string,
  date?: string,
  description?: string,
  bodySite?: string,
): DiseaseEvent {
  const e: DiseaseEvent = { kind, source };
  if (date) e.date = date;
  if (description) e.description = description;
  if (bodySite) e.bodySite = bodySite;
  return e;
}

/** "New primary", "second primary", "metachronous primary" in the Condition's code text or notes. */
const NEW_PRIMARY_TEXT =
  /\b(?:new|second|2nd|another|metachronous|separate)\s+(?:ipsilateral\s+)?(?:breast\s+)?primary\b/i;

function namesNewPrimary(condition: Condition): boolean {
  const notes: unknown[] = Array.isArray(condition.note) ? condition.note : [];
  const texts = [...allConceptText(condition.code)];
  for (const n of notes) {
    const text = typeof n === "object" && n !== null ? (n as { text?: unknown }).text : undefined;
    if (typeof text === "string") texts.push(text);
  }
  return texts.some((t) => NEW_PRIMARY_TEXT.test(t));
}

/** Disease events of one Condition (none when it is not about breast cancer or metastasis). */
export function eventsOfCondition(condition: Condition): DiseaseEvent[] {
  if (isRefutedOrError(condition)) return [];
  const found = kindOf(condition);
  if (!found || found.kind === "history") return [];
  // Carcinoma in situ only (DCIS, D05) is not invasive breast cancer: no primary event, so no "early" setting of its
  // own (in-situ.ts; ASCO/CAP 2018 determines HER2 on invasive cancer; rules 2.0.0).
  if (found.kind === "primary" && isInSituCondition(condition)) return [];
  const recurrence = isRecurrence(condition);
  // Regional nodes at diagnosis are an N category, not an event; recurrent regional nodes are a regional recurrence.
  if (found.kind === "regional-nodes" && !recurrence) return [];
  const source = refOf(condition);
  const name = conceptText(condition.code) ?? "Condition";
  const description = found.byText ? `${name} (identified by its text; code not recognised)` : name;
  // The side from codes too (laterality extension, sided site code; laterality.ts).
  const bodySite = bodySiteText(condition.bodySite?.[0]);
  const onset = onsetOf(condition);
  const events: DiseaseEvent[] = [];
  if (found.kind === "metastasis") {
    events.push(event("metastasis", source, onset ?? condition.recordedDate, description, bodySite));
  } else if (found.kind === "uncertain-nodes") {
    const e = event(
      recurrence ? "recurrence" : "metastasis",
      source,
      onset ?? condition.recordedDate,
      `${description} (nodes not placed as regional or distant: no site)`,
      bodySite,
    );
    e.extent = "uncertain";
    events.push(e);
  } else if (recurrence) {
    // The status changed to recurrence at an unknown time, no earlier than either date: take the later one, so an old
    // onset of the primary does not make an old biopsy look like a retest after recurrence.
    const e = event(
      "recurrence",
      source,
      laterDate(onset, condition.recordedDate),
      `${name} (clinical status: recurrence${found.kind === "regional-nodes" ? ", regional nodes" : ""})`,
      bodySite,
    );
    if (found.kind === "regional-nodes" || LOCOREGIONAL_RECURRENCE_TEXT.test(siteText(condition))) {
      e.extent = "locoregional";
    }
    if (onset) e.diagnosed = onset;
    events.push(e);
  } else {
    const site = bodySite ?? icdBreastSite(condition.code);
    const e = event("primary", source, onset ?? condition.recordedDate, description, site);
    // What tells an ipsilateral new primary from the same tumour recorded twice (domain tumour.ts; rules 2.0.0).
    const histology = codingsOf(histologyOf(condition)).find((c) => c.code);
    if (histology) e.morphology = `${histology.system ?? ""}|${histology.code ?? ""}`;
    if (namesNewPrimary(condition)) e.newPrimary = true;
    events.push(e);
  }
  for (const stage of condition.stage ?? []) {
    if (stageSaysMetastatic(stage.summary, "stage-group")) {
      events.push(
        event(
          "metastasis",
          source,
          onset ?? condition.recordedDate,
          `Stage ${conceptText(stage.summary) ?? "IV"} on ${name}`,
        ),
      );
    }
  }
  return events;
}

/** A metastasis event from an M1 or stage IV Observation. */
export function eventOfStageObservation(observation: Observation): DiseaseEvent | undefined {
  if (observation.status === "entered-in-error" || observation.status === "cancelled") return undefined;
  const entry = STAGE_OBSERVATION_CODES.find((e) => hasCoding(observation.code, e.system, e.code));
  if (!entry || !stageSaysMetastatic(observation.valueCodeableConcept, entry.concept)) return undefined;
  const date = observation.effectiveDateTime ?? observation.effectivePeriod?.start ?? observation.issued;
  const value = conceptText(observation.valueCodeableConcept) ?? "";
  return event("metastasis", refOf(observation), date, `${entry.display}: ${value}`);
}

/** All disease events among a patient's resources. */
export function buildDiseaseEvents(resources: readonly Resource[]): DiseaseEvent[] {
  const events: DiseaseEvent[] = [];
  for (const resource of resources) {
    if (isResourceType<Condition>(resource, "Condition")) events.push(...eventsOfCondition(resource));
    else if (isResourceType<Observation>(resource, "Observation")) {
      const e = eventOfStageObservation(resource);
      if (e) events.push(e);
    }
  }
  return events;
}
