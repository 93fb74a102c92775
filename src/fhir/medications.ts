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
import type { AntiHer2Therapy } from "../domain/types";
import type { CodeMap } from "./code-map";
import { allConceptText, codingsOf, refOf, resolveReference, type ResourceIndex } from "./fhir-utils";
import { ANTI_HER2_DRUGS, RXNORM } from "./terminology/medications";

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

function periodOf(resource: MedicationResource): { start?: string; end?: string } {
  switch (resource.resourceType) {
    case "MedicationRequest": {
      const bounds = resource.dosageInstruction?.[0]?.timing?.repeat?.boundsPeriod;
      return { start: bounds?.start ?? resource.authoredOn, end: bounds?.end };
    }
    case "MedicationStatement":
    case "MedicationAdministration":
      return {
        start: resource.effectiveDateTime ?? resource.effectivePeriod?.start,
        end: resource.effectivePeriod?.end,
      };
  }
}

/** Anti-HER2 therapies among a patient's resources. Entries entered in error and do-not-perform requests are skipped. */
export function buildTherapies(
  resources: readonly Resource[],
  index: ResourceIndex,
  codeMap: CodeMap,
): AntiHer2Therapy[] {
  const therapies: AntiHer2Therapy[] = [];
  for (const resource of resources) {
    if (!isMedicationResource(resource)) continue;
    if (resource.status === "entered-in-error") continue;
    // A request not to give the drug (FHIR MedicationRequest.doNotPerform) is the opposite of therapy.
    if (resource.resourceType === "MedicationRequest" && resource.doNotPerform === true) continue;
    const { start, end } = periodOf(resource);
    for (const drug of antiHer2DrugsOf(medicationConcepts(resource, index), codeMap)) {
      const therapy: AntiHer2Therapy = { drug, source: refOf(resource), status: resource.status };
      if (start) therapy.start = start;
      if (end) therapy.end = end;
      therapies.push(therapy);
    }
  }
  return therapies;
}
