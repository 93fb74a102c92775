/**
 * Prefetch (CDS Hooks 2.0 "Providing FHIR Resources to a CDS Service"): the templates are the FHIR layer's own
 * first-wave searches (query-plan.ts, planned for a server whose CapabilityStatement is not known, so without
 * `_include`), plus the patient's Specimens and DiagnosticReports for the follow-ups. The hook's prefetch then
 * answers those exact URLs through a FhirSource, so the loader (load.ts: paging, follow-ups, OperationOutcome and
 * truncation gaps, patient membership) runs unchanged: prefetched and fetched data give the same cards. Whatever
 * the prefetch lacks (a key left out or null, a `next` page, a panel member, a Medication) is fetched from
 * `fhirServer` with `fhirAuthorization` (never any other host: fetch-source.ts and the runner refuse URLs outside
 * the base), or, without authorization, answered as an error so the gap is reported, never silently empty.
 */
import type { Bundle, Resource } from "fhir/r4";
import { UNKNOWN_CAPABILITIES } from "../fhir/capabilities";
import type { CodeMap } from "../fhir/code-map";
import { normaliseReference } from "../fhir/fhir-utils";
import { planInitialQueries } from "../fhir/query-plan";
import type { FhirResponse, FhirSource } from "../fhir/source";

const PLACEHOLDER = "__CDS_PATIENT__";
const TOKEN = "{{context.patientId}}";

/** Prefetch keys, in discovery order. */
export type PrefetchKey =
  | "patient"
  | "her2Observations"
  | "conditions"
  | "medicationRequests"
  | "medicationStatements"
  | "medicationAdministrations"
  | "specimens"
  | "diagnosticReports";

const KEY_OF_TYPE: Record<string, PrefetchKey> = {
  Patient: "patient",
  Observation: "her2Observations",
  Condition: "conditions",
  MedicationRequest: "medicationRequests",
  MedicationStatement: "medicationStatements",
  MedicationAdministration: "medicationAdministrations",
};

/** The prefetch templates (discovery), `{{context.patientId}}` in place of the patient id. */
export function prefetchTemplates(codeMap: CodeMap): Record<PrefetchKey, string> {
  const { queries } = planInitialQueries(PLACEHOLDER, UNKNOWN_CAPABILITIES, codeMap);
  const templates: Partial<Record<PrefetchKey, string>> = {};
  for (const q of queries) {
    const key = KEY_OF_TYPE[q.resourceType];
    if (key) templates[key] = q.url.split(PLACEHOLDER).join(TOKEN);
  }
  templates.specimens = `Specimen?patient=${TOKEN}&_count=100`;
  templates.diagnosticReports = `DiagnosticReport?patient=${TOKEN}&_count=100`;
  return templates as Record<PrefetchKey, string>;
}

function operationOutcome(text: string): Resource {
  return {
    resourceType: "OperationOutcome",
    issue: [{ severity: "error", code: "processing", diagnostics: text }],
  } as Resource;
}

function isBundle(value: unknown): value is Bundle {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { resourceType?: unknown }).resourceType === "Bundle"
  );
}

function resourceTypeOf(value: unknown): string | undefined {
  const t = typeof value === "object" && value !== null ? (value as Resource).resourceType : undefined;
  return typeof t === "string" ? t : undefined;
}

/**
 * Checks one prefetched value against what its key asks for. A wrong type becomes an OperationOutcome naming the
 * problem, so the loader reports it as a data gap (and the service as a card) instead of reading it.
 */
function checkedValue(key: PrefetchKey, value: unknown): unknown {
  const type = resourceTypeOf(value);
  if (type === "OperationOutcome") return value;
  if (key === "patient") {
    return type === "Patient"
      ? value
      : operationOutcome(`prefetch "patient" is ${type ?? "not a FHIR resource"}, expected a Patient`);
  }
  if (!isBundle(value))
    return operationOutcome(
      `prefetch "${key}" is ${type ?? "not a FHIR resource"}, expected a search Bundle`,
    );
  return value;
}

function searchset(resources: readonly Resource[]): Bundle {
  return {
    resourceType: "Bundle",
    type: "searchset",
    total: resources.length,
    entry: resources.map((resource) => ({ resource, search: { mode: "match" } })),
  };
}

function bundleResources(value: unknown): Resource[] {
  if (!isBundle(value)) return [];
  return (value.entry ?? []).map((e) => e.resource).filter((r): r is Resource => r !== undefined);
}

/** Why a URL could not be answered without fetching. */
const NOT_PREFETCHED =
  "not in the prefetch, and the hook request gave no fhirAuthorization to fetch it from fhirServer";

/**
 * A FhirSource answering from the hook's prefetch, falling back to `fetchSource` (fhirServer with the hook's
 * access token) for what is missing.
 * @param prefetch the request's `prefetch` object (already checked to be an object)
 * @param templates prefetchTemplates() of the service's code map (computed once)
 * @param fetchSource undefined when the request gave no fhirServer + fhirAuthorization
 */
export function prefetchSource(
  prefetch: Readonly<Record<string, unknown>>,
  patientId: string,
  templates: Readonly<Record<PrefetchKey, string>>,
  baseUrl: string,
  fetchSource: FhirSource | undefined,
): FhirSource {
  const byUrl = new Map<string, unknown>();
  const values = new Map<PrefetchKey, unknown>();
  for (const [key, template] of Object.entries(templates) as [PrefetchKey, string][]) {
    const value = prefetch[key];
    if (value === undefined || value === null) continue;
    const checked = checkedValue(key, value);
    values.set(key, checked);
    byUrl.set(template.split(TOKEN).join(encodeURIComponent(patientId)), checked);
  }
  const answer = (body: unknown): FhirResponse => ({ status: 200, headers: {}, body });
  const miss = async (url: string, signal: AbortSignal): Promise<FhirResponse> =>
    fetchSource
      ? fetchSource.get(url, { signal })
      : {
          status: 502,
          headers: {},
          body: operationOutcome(`${url.split("?")[0] ?? url}: ${NOT_PREFETCHED}`),
        };

  return {
    baseUrl,
    async get(url, init) {
      // Planned for an unknown CapabilityStatement, so that the URLs are the templates.
      if (url === "metadata") return { status: 404, headers: {} };
      const exact = byUrl.get(url);
      if (exact !== undefined) return answer(exact);
      const [path, query = ""] = url.split("?");
      const params = new URLSearchParams(query);
      const ids = params.get("_id")?.split(",");
      const specimens = values.get("specimens");
      if (path === "Specimen" && ids && isBundle(specimens))
        return answer(searchset(bundleResources(specimens).filter((r) => ids.includes(r.id ?? ""))));
      const reports = values.get("diagnosticReports");
      const results = params.get("result")?.split(",");
      if (path === "DiagnosticReport" && results && isBundle(reports)) {
        return answer(
          searchset(
            bundleResources(reports).filter((r) =>
              ((r as { result?: { reference?: string }[] }).result ?? []).some((ref) =>
                results.includes(normaliseReference(ref) ?? ""),
              ),
            ),
          ),
        );
      }
      return miss(url, init.signal);
    },
  };
}
