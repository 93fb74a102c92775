/**
 * Anti-HER2 therapies from MedicationRequest, MedicationStatement and MedicationAdministration: by RxNorm ingredient
 * code, by the institution's code map, or by ingredient and brand names in the text (products, biosimilars, uncoded
 * entries). medicationReference is resolved to a contained or loaded Medication, including its ingredients.
 */
import type {
  CodeableConcept,
  Medication,
  MedicationAdministration,
  MedicationRequest,
  MedicationStatement,
  Resource,
} from "fhir/r4";
import type { Text } from "../domain/text";
import type { AntiHer2Therapy, DataGap } from "../domain/types";
import type { CodeMap } from "./code-map";
import { allConceptText, codingsOf, refOf, resolveReference, type ResourceIndex } from "./fhir-utils";
import { ANTI_HER2_DRUGS, RXNORM } from "./terminology/medications";
import { en, fhirText, joinedText } from "./text";

type MedicationResource = MedicationRequest | MedicationStatement | MedicationAdministration;

function isMedicationResource(resource: Resource): resource is MedicationResource {
  return (
    resource.resourceType === "MedicationRequest" ||
    resource.resourceType === "MedicationStatement" ||
    resource.resourceType === "MedicationAdministration"
  );
}

/** The anti-HER2 drugs a concept names (empty when none). */
export function antiHer2DrugsOf(concepts: readonly CodeableConcept[], codeMap: CodeMap): string[] {
  const found = new Set<string>();
  for (const concept of concepts) {
    for (const coding of codingsOf(concept)) {
      if (coding.system === RXNORM) {
        const drug = ANTI_HER2_DRUGS.find((d) => d.rxcuis.includes(coding.code ?? ""));
        if (drug) found.add(drug.drug);
      }
      const local = codeMap.medications.find((m) => m.system === coding.system && m.code === coding.code);
      if (local) found.add(local.drug);
    }
    const text = allConceptText(concept).join(" ; ");
    for (const drug of ANTI_HER2_DRUGS) {
      if (drug.pattern.test(text)) found.add(drug.drug);
    }
  }
  for (const drug of ANTI_HER2_DRUGS) {
    if (found.has(drug.drug)) for (const inner of drug.subsumes ?? []) found.delete(inner);
  }
  return [...found];
}

function medicationConcepts(resource: MedicationResource, index: ResourceIndex): CodeableConcept[] {
  if (resource.medicationCodeableConcept) return [resource.medicationCodeableConcept];
  const reference = resource.medicationReference;
  const medication = resolveReference<Medication>(reference, "Medication", index, resource);
  const concepts: CodeableConcept[] = [];
  if (reference?.display) concepts.push({ text: reference.display });
  if (medication?.code) concepts.push(medication.code);
  for (const ingredient of medication?.ingredient ?? []) {
    if (ingredient.itemCodeableConcept) concepts.push(ingredient.itemCodeableConcept);
  }
  return concepts;
}

const UNIT_DAYS: Readonly<Record<string, number>> = {
  d: 1,
  day: 1,
  days: 1,
  wk: 7,
  week: 7,
  weeks: 7,
  mo: 30,
  month: 30,
  months: 30,
  a: 365,
  year: 365,
  years: 365,
};

/** Days in a FHIR Duration (UCUM code or unit word); undefined when it cannot be read. */
function durationDays(
  duration: { value?: number; code?: string; unit?: string } | undefined,
): number | undefined {
  const per = UNIT_DAYS[duration?.code ?? ""] ?? UNIT_DAYS[(duration?.unit ?? "").toLowerCase()];
  const value = duration?.value;
  return per !== undefined && typeof value === "number" && value > 0 ? value * per : undefined;
}

/** The calendar date `days` after a date (undefined when the date is not a full date). */
function addDays(date: string | undefined, days: number | undefined): string | undefined {
  if (!date || days === undefined || !/^\d{4}-\d{2}-\d{2}/.test(date)) return undefined;
  const day = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return new Date(day + Math.round(days) * 86_400_000).toISOString().slice(0, 10);
}

/**
 * How long an order without an end runs by its own words: the timing's boundsDuration, a count of doses at a
 * period (17 doses every 3 weeks), else the dispense request's expected supply duration.
 */
function requestDays(resource: MedicationRequest): number | undefined {
  const repeat = resource.dosageInstruction?.[0]?.timing?.repeat;
  const bounds = durationDays(repeat?.boundsDuration);
  if (bounds !== undefined) return bounds;
  const period = durationDays(
    repeat?.period !== undefined ? { value: repeat.period, code: repeat.periodUnit } : undefined,
  );
  if (repeat?.count !== undefined && period !== undefined) return Math.max(repeat.count - 1, 0) * period;
  return durationDays(resource.dispenseRequest?.expectedSupplyDuration);
}

function periodOf(resource: MedicationResource): { start?: string; end?: string; recordedUntil?: string } {
  switch (resource.resourceType) {
    case "MedicationRequest": {
      const bounds = resource.dosageInstruction?.[0]?.timing?.repeat?.boundsPeriod;
      const start = bounds?.start ?? resource.authoredOn;
      const end = bounds?.end;
      // An open order is documented only as far as its own duration says (never up to today).
      return { start, end, recordedUntil: end ? undefined : addDays(start, requestDays(resource)) };
    }
    case "MedicationStatement": {
      const start = resource.effectiveDateTime ?? resource.effectivePeriod?.start;
      const end = resource.effectivePeriod?.end;
      // The statement was last asserted on dateAsserted: the record supports the therapy up to then.
      const asserted = resource.dateAsserted;
      return {
        start,
        end,
        recordedUntil: !end && asserted && start && asserted > start ? asserted : undefined,
      };
    }
    case "MedicationAdministration":
      return {
        start: resource.effectiveDateTime ?? resource.effectivePeriod?.start,
        end: resource.effectivePeriod?.end,
      };
  }
}

/** Whether an entry counts as given or planned therapy: not entered in error, not a request NOT to give the drug. */
function isTherapyEntry(resource: MedicationResource): boolean {
  if (resource.status === "entered-in-error") return false;
  // A request not to give the drug (FHIR MedicationRequest.doNotPerform) is the opposite of therapy.
  return !(resource.resourceType === "MedicationRequest" && resource.doNotPerform === true);
}

/** Whether a concept says what drug it is: a text or display a person wrote, an RxNorm code, or a mapped local code. */
function namesADrug(concept: CodeableConcept, codeMap: CodeMap): boolean {
  if (concept.text?.trim()) return true;
  return codingsOf(concept).some(
    (c) =>
      Boolean(c.display?.trim()) ||
      (c.system === RXNORM && Boolean(c.code)) ||
      codeMap.medications.some((m) => m.system === c.system && m.code === c.code),
  );
}

/**
 * Medication entries whose drug cannot be told (a medicationReference to a Medication that did not load, with no
 * display; or a concept with neither text nor a known code), as one data gap. Without it such an order would count as
 * "not anti-HER2" and a HER2-positive patient on trastuzumab would be flagged as untreated; with it the therapy check
 * is reported as not made (gap-flags.ts).
 */
export function unidentifiedMedicationGap(
  resources: readonly Resource[],
  index: ResourceIndex,
  codeMap: CodeMap,
): DataGap | undefined {
  const unknown: Text[] = [];
  for (const resource of resources) {
    if (!isMedicationResource(resource) || !isTherapyEntry(resource)) continue;
    if (medicationConcepts(resource, index).some((c) => namesADrug(c, codeMap))) continue;
    const target = resource.medicationReference?.reference;
    const ref = refOf(resource);
    unknown.push(
      target
        ? fhirText("fhir.gap.drug.not-loaded", { ref, target })
        : fhirText("fhir.gap.drug.no-name", { ref }),
    );
  }
  if (unknown.length === 0) return undefined;
  const shown = joinedText(unknown.slice(0, 3));
  const entries =
    unknown.length > 3
      ? fhirText("fhir.gap.and-more", { list: shown, more: String(unknown.length - 3) })
      : shown;
  const n = String(unknown.length);
  const reasonText = fhirText(unknown.length === 1 ? "fhir.gap.drug.one" : "fhir.gap.drug.other", {
    n,
    entries,
  });
  return {
    resourceType: "Medication",
    kind: "not-found",
    reason: en(reasonText),
    reasonText,
    affectsAssessment: true,
  };
}

/** Anti-HER2 therapies among a patient's resources. Entries entered in error and do-not-perform requests are skipped. */
export function buildTherapies(
  resources: readonly Resource[],
  index: ResourceIndex,
  codeMap: CodeMap,
): AntiHer2Therapy[] {
  const therapies: AntiHer2Therapy[] = [];
  for (const resource of resources) {
    if (!isMedicationResource(resource) || !isTherapyEntry(resource)) continue;
    const { start, end, recordedUntil } = periodOf(resource);
    for (const drug of antiHer2DrugsOf(medicationConcepts(resource, index), codeMap)) {
      const therapy: AntiHer2Therapy = { drug, source: refOf(resource), status: resource.status };
      if (start) therapy.start = start;
      if (end) therapy.end = end;
      if (recordedUntil) therapy.recordedUntil = recordedUntil;
      therapies.push(therapy);
    }
  }
  return therapies;
}
