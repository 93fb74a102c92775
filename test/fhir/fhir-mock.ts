/**
 * An in-memory FHIR R4 server for msw: search by patient, code (system|code, comma OR), category, _id and result;
 * _include of specimen, has-member and medication; offset paging with absolute next links; and failure injection per
 * resource type and page (key `Observation?category` for category searches only). Every request URL is logged so tests can count and inspect requests.
 */
import type {
  Bundle,
  BundleEntry,
  CapabilityStatement,
  CapabilityStatementRestResource,
  Observation,
  Resource,
} from "fhir/r4";
import { delay, http, HttpResponse, type JsonBodyType } from "msw";
import { server } from "../msw-server";

export const BASE = "https://ehr.example.test/fhir/r4";

export type Fault =
  | { status: number; body?: JsonBodyType; headers?: Record<string, string>; times?: number; page?: number }
  | { malformed: true; page?: number }
  | { delayMs: number; page?: number };

export interface MockOptions {
  resources: Resource[];
  pageSize?: number;
  /** CapabilityStatement to serve; `undefined` serves a full one, a number serves that HTTP status. */
  capability?: CapabilityStatement | number;
  faults?: Record<string, Fault>;
}

export const SEARCH_TYPES = [
  "Observation",
  "Condition",
  "MedicationRequest",
  "MedicationStatement",
  "MedicationAdministration",
  "DiagnosticReport",
  "Specimen",
  "Medication",
];

/** A CapabilityStatement declaring search on `types`, with the includes the loader may use. */
export function capabilityStatement(
  types: readonly string[] = SEARCH_TYPES,
  includes = true,
  extraParams: Record<string, string[]> = {},
): CapabilityStatement {
  return {
    resourceType: "CapabilityStatement",
    status: "active",
    date: "2026-01-01",
    kind: "instance",
    fhirVersion: "4.0.1",
    format: ["json"],
    rest: [
      {
        mode: "server",
        resource: ["Patient", ...types].map((type): CapabilityStatementRestResource => ({
          type: type as CapabilityStatementRestResource["type"],
          interaction: [{ code: "read" }, { code: "search-type" }],
          searchParam: [
            { name: "patient", type: "reference" },
            { name: "_id", type: "token" },
            ...(type === "Observation"
              ? [
                  { name: "code", type: "token" as const },
                  { name: "category", type: "token" as const },
                ]
              : []),
            ...(type === "DiagnosticReport" ? [{ name: "result", type: "reference" as const }] : []),
            ...(extraParams[type] ?? []).map((name) => ({ name, type: "token" as const })),
          ],
          searchInclude: includes
            ? type === "Observation"
              ? ["Observation:specimen", "Observation:has-member"]
              : type.startsWith("Medication") && type !== "Medication"
                ? [`${type}:medication`]
                : []
            : [],
        })),
      },
    ],
  };
}

function refs(resource: Resource): string[] {
  const r = resource as unknown as Record<string, unknown>;
  const single = (key: string): string[] => {
    const value = r[key] as { reference?: string } | undefined;
    return value?.reference ? [value.reference] : [];
  };
  return [...single("subject"), ...single("patient")];
}

function matchesPatient(resource: Resource, patient: string | null): boolean {
  if (patient === null) return true;
  const id = patient.replace(/^Patient\//, "");
  return refs(resource).includes(`Patient/${id}`);
}

function matchesCode(resource: Resource, codes: string | null): boolean {
  if (codes === null) return true;
  const tokens = codes.split(",");
  const codings = (resource as Observation).code.coding ?? [];
  return codings.some((c) =>
    tokens.some((t) => (t.includes("|") ? t === `${c.system ?? ""}|${c.code ?? ""}` : t === c.code)),
  );
}

function matchesCategory(resource: Resource, categories: string | null): boolean {
  if (categories === null) return true;
  const tokens = categories.split(",");
  const codings = ((resource as Observation).category ?? []).flatMap((c) => c.coding ?? []);
  return codings.some((c) => tokens.includes(c.code ?? ""));
}

export interface MockServer {
  /** Every request's path and decoded query, in order, e.g. `Observation?patient=p1&code=…`. */
  requests: string[];
  /** The raw (still encoded) URLs as they reached the server. */
  rawUrls: string[];
}

/** Installs the handlers for one test and returns the request log. */
export function mockFhirServer(options: MockOptions): MockServer {
  const log: MockServer = { requests: [], rawUrls: [] };
  const pageSize = options.pageSize ?? 100;
  const served = new Map<string, number>();
  const byRef = new Map(options.resources.map((r) => [`${r.resourceType}/${r.id ?? ""}`, r]));

  const fault = (type: string, page: number): Fault | undefined => {
    const f = options.faults?.[type];
    if (!f) return undefined;
    if (f.page !== undefined && f.page !== page) return undefined;
    if ("status" in f && f.times !== undefined) {
      const used = served.get(type) ?? 0;
      if (used >= f.times) return undefined;
      served.set(type, used + 1);
    }
    return f;
  };

  const applyFault = async (f: Fault): Promise<Response | undefined> => {
    if ("malformed" in f)
      return new HttpResponse('{"resourceType":"Bundle", "entry": [', {
        headers: { "content-type": "application/fhir+json" },
      });
    if ("delayMs" in f) {
      await delay(f.delayMs);
      return undefined;
    }
    return HttpResponse.json(f.body ?? null, { status: f.status, headers: f.headers });
  };

  server.use(
    http.get(`${BASE}/metadata`, ({ request }) => {
      log.requests.push("metadata");
      log.rawUrls.push(request.url);
      if (typeof options.capability === "number")
        return HttpResponse.json(
          { resourceType: "OperationOutcome", issue: [] },
          { status: options.capability },
        );
      return HttpResponse.json(options.capability ?? capabilityStatement());
    }),
    http.get(`${BASE}/:type/:id`, async ({ params, request }) => {
      const type = String(params.type);
      log.requests.push(`${type}/${String(params.id)}`);
      log.rawUrls.push(request.url);
      const f = fault(type, 1);
      if (f) {
        const response = await applyFault(f);
        if (response) return response;
      }
      const found = byRef.get(`${type}/${String(params.id)}`);
      if (!found) {
        return HttpResponse.json(
          {
            resourceType: "OperationOutcome",
            issue: [
              { severity: "error", code: "not-found", diagnostics: `${type}/${String(params.id)} not found` },
            ],
          },
          { status: 404 },
        );
      }
      return HttpResponse.json(found);
    }),
    http.get(`${BASE}/:type`, async ({ params, request }) => {
      const type = String(params.type);
      const url = new URL(request.url);
      const query = url.searchParams;
      log.rawUrls.push(request.url);
      log.requests.push(`${type}?${decodeURIComponent(query.toString())}`);
      const offset = Number(query.get("_offset") ?? "0");
      const count = Number(query.get("_count") ?? String(pageSize));
      const size = Math.min(count, pageSize);
      const page = Math.floor(offset / size) + 1;
      const categoryKey = `${type}?category`;
      const f = fault(query.has("category") && options.faults?.[categoryKey] ? categoryKey : type, page);
      if (f) {
        const response = await applyFault(f);
        if (response) return response;
      }
      const ids = query.get("_id")?.split(",");
      const results = query.get("result")?.split(",");
      const statuses = query.get("status")?.split(",");
      const matches = options.resources.filter(
        (r) =>
          r.resourceType === type &&
          matchesPatient(r, query.get("patient")) &&
          (type !== "Observation" || matchesCode(r, query.get("code"))) &&
          (type !== "Observation" || matchesCategory(r, query.get("category"))) &&
          (!ids || ids.includes(r.id ?? "")) &&
          (!statuses || statuses.includes((r as { status?: string }).status ?? "")) &&
          (!results ||
            ((r as { result?: { reference?: string }[] }).result ?? []).some((x) =>
              results.includes(x.reference ?? ""),
            )),
      );
      const pageMatches = matches.slice(offset, offset + size);
      const entries: BundleEntry[] = pageMatches.map((resource) => ({
        fullUrl: `${BASE}/${resource.resourceType}/${resource.id ?? ""}`,
        resource,
        search: { mode: "match" },
      }));
      for (const include of query.getAll("_include")) {
        const [, param] = include.split(":");
        for (const match of pageMatches) {
          const m = match as unknown as Record<string, unknown>;
          const targets =
            param === "specimen"
              ? [m.specimen]
              : param === "has-member"
                ? ((m.hasMember as unknown[] | undefined) ?? [])
                : param === "medication"
                  ? [m.medicationReference]
                  : [];
          for (const target of targets) {
            const ref = (target as { reference?: string } | undefined)?.reference;
            const included = ref ? byRef.get(ref) : undefined;
            if (included && !entries.some((e) => e.resource === included)) {
              entries.push({
                fullUrl: `${BASE}/${ref ?? ""}`,
                resource: included,
                search: { mode: "include" },
              });
            }
          }
        }
      }
      const bundle: Bundle = {
        resourceType: "Bundle",
        type: "searchset",
        total: matches.length,
        entry: entries,
        link: [],
      };
      const self = new URL(url);
      bundle.link?.push({ relation: "self", url: self.toString() });
      if (offset + size < matches.length) {
        const next = new URL(url);
        next.searchParams.set("_offset", String(offset + size));
        bundle.link?.push({ relation: "next", url: next.toString() });
      }
      return HttpResponse.json(bundle);
    }),
  );
  return log;
}
