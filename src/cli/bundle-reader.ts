/**
 * Reads a FHIR JSON document (a Bundle of any type, or a single resource) into its resources. A Bundle is one JSON
 * document, so it is parsed whole. Nested Bundles (a batch-response of searchsets) are flattened, and references
 * inside the Bundle that use an entry's `fullUrl` (`urn:uuid:…`, absolute URLs) are rewritten to relative `Type/id`
 * references, as a FHIR server does when it processes a transaction, so grouping and the FHIR layer see one form.
 */
import type { Resource } from "fhir/r4";
import type { DataGap } from "../domain";
import type { TextValue } from "../domain/text";
import { hasErrorIssue, isOperationOutcome, operationOutcomeText } from "../fhir/errors";
import { en, fhirText, joinedText } from "../fhir/text";
import { type CliText, cliText } from "./messages";

export interface LocatedResource {
  resource: Resource;
  /** Where it was found, for messages: `entry[3] (Observation/ihc-1)`. */
  where: string;
}

export interface BundleProblem {
  where: string;
  message: CliText;
  /** A failed batch entry: nothing was skipped, the patients' assessments carry it as a data gap. */
  dataGap?: true;
}

export type FhirJsonDocument =
  | { kind: "resources"; resources: LocatedResource[]; problems: BundleProblem[]; gaps: DataGap[] }
  | { kind: "invalid"; reason: CliText };

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const URN_ID = /^urn:(?:uuid|oid):([A-Za-z0-9\-.]{1,64})$/;

interface Flattening {
  resources: LocatedResource[];
  problems: BundleProblem[];
  gaps: DataGap[];
  /** fullUrl -> `Type/id` */
  fullUrls: Map<string, string>;
}

/**
 * Bundles nested deeper than this are skipped with a problem: real batch-responses nest one level; the cap keeps the
 * walk's recursion far from the stack limit whatever the file holds.
 */
export const MAX_BUNDLE_DEPTH = 64;

function flatten(bundle: JsonObject, prefix: string, into: Flattening, depth = 0): void {
  const entries = bundle["entry"];
  const incomplete: TextValue[] = [];
  let matches = 0;
  if (entries !== undefined && !Array.isArray(entries)) {
    into.problems.push({ where: `${prefix}entry`, message: cliText("bundle.entryNotArray") });
    return;
  }
  (entries ?? []).forEach((entry: unknown, index) => {
    const where = `${prefix}entry[${index}]`;
    if (!isObject(entry)) {
      into.problems.push({ where, message: cliText("bundle.entryNotObject") });
      return;
    }
    const resource = entry["resource"];
    if (resource === undefined) {
      const response = entry["response"];
      const status = isObject(response) ? response["status"] : undefined;
      if (typeof status === "string" && !status.startsWith("2")) {
        into.problems.push({
          where,
          message: cliText("bundle.entryFailed", { status }),
          dataGap: true,
        });
        into.gaps.push(failedEntryGap(where, status));
      }
      return;
    }
    if (!isObject(resource) || typeof resource["resourceType"] !== "string") {
      into.problems.push({ where, message: cliText("bundle.noResourceType") });
      return;
    }
    const type = resource["resourceType"];
    if (isOperationOutcome(resource)) {
      // An error the server reported inside the results (a search cut short, say), as the app's loader reads it.
      if (hasErrorIssue(resource)) {
        const details = operationOutcomeText(resource) ?? fhirText("fhir.gap.no-details");
        incomplete.push(fhirText("fhir.gap.error-inside", { details }));
      }
    } else {
      const search = entry["search"];
      if (!isObject(search) || search["mode"] !== "include") matches++;
    }
    if (type === "Bundle") {
      if (depth + 1 >= MAX_BUNDLE_DEPTH) {
        into.problems.push({
          where,
          message: cliText("bundle.tooDeep", { max: String(MAX_BUNDLE_DEPTH) }),
        });
        return;
      }
      flatten(resource, `${where}.resource.`, into, depth + 1);
      return;
    }
    const fullUrl = entry["fullUrl"];
    if (typeof resource["id"] !== "string" && typeof fullUrl === "string") {
      // A transaction entry to be created has no id yet: the uuid of its fullUrl identifies it within the Bundle.
      const fromUrn = URN_ID.exec(fullUrl)?.[1];
      if (fromUrn !== undefined) resource["id"] = fromUrn;
    }
    const id = typeof resource["id"] === "string" ? resource["id"] : undefined;
    if (typeof fullUrl === "string" && id !== undefined) into.fullUrls.set(fullUrl, `${type}/${id}`);
    into.resources.push({
      resource: resource as unknown as Resource,
      where: `${where} (${type}${id === undefined ? "" : `/${id}`})`,
    });
  });
  if (bundle["type"] === "searchset") {
    const total = bundle["total"];
    if (typeof total === "number" && matches < total) {
      const short = fhirText("fhir.gap.count-short", { total: String(total), sent: String(matches) });
      incomplete.push(fhirText("fhir.gap.error-inside", { details: short }));
    }
    const links = Array.isArray(bundle["link"]) ? (bundle["link"] as unknown[]) : [];
    const next = links.find((l) => isObject(l) && l["relation"] === "next");
    if (isObject(next)) incomplete.push(fhirText("fhir.gap.next-page-missing", { url: String(next["url"]) }));
  }
  if (incomplete.length > 0) into.gaps.push(incompleteBundleGap(prefix, incomplete));
}

/**
 * A Bundle that says its results are not all there (an error OperationOutcome among them, a search page with a next
 * page or fewer matches than its total), as a data gap of every patient of the file, as the app's loader makes one.
 */
function incompleteBundleGap(prefix: string, said: readonly TextValue[]): DataGap {
  const where = prefix === "" ? "Bundle" : prefix.replace(/\.$/, "");
  const reasonText = fhirText("fhir.gap.bundle-incomplete", { where, warnings: joinedText(said) });
  return {
    resourceType: "unknown",
    kind: "partial",
    reason: en(reasonText),
    reasonText,
    affectsAssessment: true,
  };
}

/**
 * A failed batch / transaction entry as a data gap. Which patient and resource type it was for is not in the
 * response, so every patient of the Bundle gets it: their assessments then say they may be incomplete.
 */
function failedEntryGap(where: string, status: string): DataGap {
  const code = Number.parseInt(status, 10);
  const kind: DataGap["kind"] =
    code === 401 || code === 403
      ? "denied"
      : code === 404
        ? "not-found"
        : code === 408 || code === 504
          ? "timeout"
          : "error";
  return {
    resourceType: "unknown",
    kind,
    reason: `A request of this Bundle failed (${where}: "${status}"); its resources are missing.`,
    affectsAssessment: true,
  };
}

/**
 * Rewrites every `reference` that names an entry by its fullUrl to that entry's `Type/id`. A work list, not recursion:
 * a resource may nest deeper than the stack allows.
 */
function resolveReferences(root: unknown, fullUrls: ReadonlyMap<string, string>): void {
  const pending: unknown[] = [root];
  for (let value = pending.pop(); value !== undefined; value = pending.pop()) {
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === "object" && item !== null) pending.push(item);
      continue;
    }
    if (!isObject(value)) continue;
    for (const [key, child] of Object.entries(value)) {
      if (key === "reference" && typeof child === "string") {
        const resolved = fullUrls.get(child);
        if (resolved !== undefined) value[key] = resolved;
      } else if (typeof child === "object" && child !== null) {
        pending.push(child);
      }
    }
  }
}

/**
 * Drops the fullUrls whose `Type/id` another fullUrl also has (two servers' `Patient/1`, two `urn:uuid:` entries that
 * carry one id): which of them `Type/id` is cannot be told, so references to them stay as written, and are not the
 * patient's (patient-membership.ts), instead of joining two patients under one id.
 */
function forgetAmbiguous(fullUrls: Map<string, string>): void {
  const urlsOf = new Map<string, string[]>();
  for (const [fullUrl, relative] of fullUrls) {
    const urls = urlsOf.get(relative);
    if (urls === undefined) urlsOf.set(relative, [fullUrl]);
    else urls.push(fullUrl);
  }
  for (const urls of urlsOf.values()) {
    if (urls.length > 1) for (const fullUrl of urls) fullUrls.delete(fullUrl);
  }
}

/**
 * Interprets a parsed JSON document as FHIR.
 * @param value The result of JSON.parse on the whole file.
 * @returns The resources with their location, or why the document is not FHIR.
 */
export function readFhirJson(value: unknown): FhirJsonDocument {
  if (!isObject(value)) return { kind: "invalid", reason: cliText("document.notObject") };
  const type = value["resourceType"];
  if (typeof type !== "string") {
    const manifest = Array.isArray(value["output"]) && "transactionTime" in value;
    return {
      kind: "invalid",
      reason: cliText(manifest ? "document.manifest" : "document.noResourceType"),
    };
  }
  if (type !== "Bundle") {
    const id = typeof value["id"] === "string" ? `/${value["id"]}` : "";
    return {
      kind: "resources",
      resources: [{ resource: value as unknown as Resource, where: `resource (${type}${id})` }],
      problems: [],
      gaps: [],
    };
  }
  const into: Flattening = { resources: [], problems: [], gaps: [], fullUrls: new Map() };
  flatten(value, "", into);
  forgetAmbiguous(into.fullUrls);
  if (into.fullUrls.size > 0) {
    for (const { resource } of into.resources) resolveReferences(resource, into.fullUrls);
  }
  return { kind: "resources", resources: into.resources, problems: into.problems, gaps: into.gaps };
}
