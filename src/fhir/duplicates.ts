/**
 * Resources that arrive more than once under one `Type/id` (a page repeated by the server, the same resource in two
 * files of an export). Never "the last one wins": identical copies are one resource; copies that differ cannot both
 * be the record, and which one is current cannot be told from the data, so none of them is used (issue 16, point 2).
 */
import type { Resource } from "fhir/r4";
import { refOf } from "./fhir-utils";

/** JSON with object keys sorted, so copies that differ only in key order compare equal. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  // JSON.stringify gives undefined (not a string) for undefined inside an array.
  const text = JSON.stringify(value) as string | undefined;
  return text ?? "null";
}

/** True when two resources hold the same content (key order aside). */
export function sameContent(a: Resource, b: Resource): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

export interface DuplicateSplit {
  /** One copy of every resource that came once, or in identical copies; input order kept. */
  unique: Resource[];
  /** `Type/id` -> its differing copies, in input order. */
  conflicting: Map<string, Resource[]>;
}

/** Separates resources whose `Type/id` came with differing contents. Resources without an id are kept as they are. */
export function splitDuplicates(resources: readonly Resource[]): DuplicateSplit {
  // The usual patient has no Type/id twice: then every resource is unique, in its order, and nothing conflicts.
  const refs = new Set<string>();
  let twice = false;
  for (const resource of resources) {
    if (typeof resource.id !== "string") continue;
    const ref = refOf(resource);
    if (refs.has(ref)) {
      twice = true;
      break;
    }
    refs.add(ref);
  }
  if (!twice) return { unique: [...resources], conflicting: new Map() };
  const byRef = new Map<string, Resource[]>();
  for (const resource of resources) {
    if (typeof resource.id !== "string") continue;
    const ref = refOf(resource);
    const copies = byRef.get(ref);
    if (copies) copies.push(resource);
    else byRef.set(ref, [resource]);
  }
  const conflicting = new Map<string, Resource[]>();
  for (const [ref, copies] of byRef) {
    if (copies.length < 2) continue;
    const first = canonicalJson(copies[0]);
    if (copies.some((c) => canonicalJson(c) !== first)) conflicting.set(ref, copies);
  }
  const seen = new Set<string>();
  const unique: Resource[] = [];
  for (const resource of resources) {
    if (typeof resource.id !== "string") {
      unique.push(resource);
      continue;
    }
    const ref = refOf(resource);
    if (conflicting.has(ref) || seen.has(ref)) continue;
    seen.add(ref);
    unique.push(resource);
  }
  return { unique, conflicting };
}
