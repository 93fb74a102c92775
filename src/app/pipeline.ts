import type { Patient, Resource } from "fhir/r4";
import { assess } from "../domain";
import type { Assessment, DataGap, PatientInput } from "../domain/types";
import type { CodeMap } from "../fhir/code-map";
import { type LoadedPatientData, loadPatientData, type QueryReport } from "../fhir/load";
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
  /** Resource types still loading: present only on a partial assessment (onPartial). */
  pending?: string[];
}

/**
 * The app's whole data path for one launch: load (parallel queries, all pages) -> normalise -> rules. The CLI runs
 * the same normalise + rules over files. `onPartial` gets an assessment of what has arrived while queries are still
 * running, the rest marked as still loading (data gaps of kind `loading`, issue 18, point 4).
 */
export async function loadPatientAssessment(
  source: FhirSource,
  patientId: string,
  options: {
    asOf: string;
    codeMap?: CodeMap;
    signal?: AbortSignal;
    onPartial?: (partial: PatientAssessment) => void;
  },
): Promise<PatientAssessment> {
  const onPartial = options.onPartial;
  const loaded = await loadPatientData(source, patientId, {
    ...(options.codeMap ? { codeMap: options.codeMap } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(onPartial
      ? {
          onProgress: (partial: LoadedPatientData, pending: readonly string[]) => {
            onPartial(assessLoaded(source, patientId, options, partial, pending));
          },
        }
      : {}),
  });
  return assessLoaded(source, patientId, options, loaded, []);
}

/** Queries that have not answered: the patient's own record does not change the HER2 status or flags. */
function loadingGap(resourceType: string): DataGap {
  return {
    resourceType,
    kind: "loading",
    reason: "the query has not answered yet",
    affectsAssessment: resourceType !== "Patient",
  };
}

function assessLoaded(
  source: FhirSource,
  patientId: string,
  options: { asOf: string; codeMap?: CodeMap },
  loaded: LoadedPatientData,
  pending: readonly string[],
): PatientAssessment {
  const input = buildPatientInput({
    patient: `Patient/${patientId}`,
    resources: loaded.resources,
    asOf: options.asOf,
    dataGaps: [...loaded.gaps, ...pending.map(loadingGap)],
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
    ...(pending.length > 0 ? { pending: [...pending] } : {}),
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
