import type { Patient, Resource } from "fhir/r4";
import { assess } from "../domain";
import type { Assessment, PatientInput } from "../domain/types";
import type { CodeMap } from "../fhir/code-map";
import { loadPatientData, type QueryReport } from "../fhir/load";
import { buildPatientInput } from "../fhir/normalise";
import type { FhirSource } from "../fhir/source";

export interface PatientAssessment {
  patient?: Patient;
  input: PatientInput;
  assessment: Assessment;
  /** Every loaded resource by `Type/id`, for the source-JSON viewer. */
  resources: ReadonlyMap<string, Resource>;
  requestCount: number;
  queries: QueryReport[];
}

/**
 * The app's whole data path for one launch: load (parallel queries, all pages) -> normalise -> rules. The CLI runs
 * the same normalise + rules over files.
 */
export async function loadPatientAssessment(
  source: FhirSource,
  patientId: string,
  options: { asOf: string; codeMap?: CodeMap; signal?: AbortSignal },
): Promise<PatientAssessment> {
  const loaded = await loadPatientData(source, patientId, {
    ...(options.codeMap ? { codeMap: options.codeMap } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const input = buildPatientInput({
    patient: `Patient/${patientId}`,
    resources: loaded.resources,
    asOf: options.asOf,
    dataGaps: loaded.gaps,
    fhirBase: source.baseUrl,
    ...(options.codeMap ? { codeMap: options.codeMap } : {}),
  });
  const resources = new Map<string, Resource>();
  for (const resource of loaded.resources) {
    if (resource.id) resources.set(`${resource.resourceType}/${resource.id}`, resource);
  }
  return {
    ...(loaded.patient ? { patient: loaded.patient } : {}),
    input,
    assessment: assess(input),
    resources,
    requestCount: loaded.requestCount,
    queries: loaded.queries,
  };
}

/** Today's calendar date in the browser's time zone, `YYYY-MM-DD`: the rules' "as of". */
export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** "Family, Given" from the first usable HumanName (official first), for the patient banner. */
export function formatPatientName(patient: Patient | undefined): string {
  const names = patient?.name ?? [];
  const name = names.find((n) => n.use === "official") ?? names[0];
  if (!name) return "Unnamed patient";
  if (name.text) return name.text;
  const given = (name.given ?? []).join(" ");
  return [name.family, given].filter(Boolean).join(", ") || "Unnamed patient";
}
