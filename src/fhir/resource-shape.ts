/**
 * A per-resource type guard for the fields the normalisers read (issue 16, point 5). Parsed JSON is not typed: a
 * number where the reader expects text (`bodySite.text: 5`), a string where it expects a list (`coding: "x"`), an
 * object where it expects text, or a `null` (which FHIR JSON never allows) can make a reader throw, or worse, read
 * nothing and say nothing. A resource with such a field is unreadable with its reason (normalise.ts); the rest of
 * the patient is still read. Fields the normalisers never read are not checked.
 */
import type { Resource } from "fhir/r4";

/** A JSON type, a list of one shape (`[shape]`), or an object with known fields. */
type Shape =
  "string" | "number" | "boolean" | "object" | readonly [Shape] | { readonly [field: string]: Shape };

const S = "string";
const N = "number";
const coding = { system: S, code: S, display: S, version: S } as const;
const concept = { text: S, coding: [coding] } as const;
const identifier = { system: S, value: S } as const;
const reference = { reference: S, display: S, type: S, identifier } as const;
const quantity = { value: N, unit: S, system: S, code: S, comparator: S } as const;
const period = { start: S, end: S } as const;
const range = { low: quantity, high: quantity } as const;
const ratio = { numerator: quantity, denominator: quantity } as const;
const annotation = { text: S } as const;
const values = {
  valueCodeableConcept: concept,
  valueString: S,
  valueQuantity: quantity,
  valueInteger: N,
  valueBoolean: "boolean",
  valueRange: range,
  valueRatio: ratio,
  valueDateTime: S,
} as const;
const common = { id: S, status: S, subject: reference, patient: reference, contained: ["object"] } as const;
const medication = { medicationCodeableConcept: concept, medicationReference: reference } as const;

const SHAPES: Readonly<Record<string, Shape>> = {
  Observation: {
    ...common,
    ...values,
    code: concept,
    category: [concept],
    effectiveDateTime: S,
    effectivePeriod: period,
    effectiveInstant: S,
    issued: S,
    interpretation: [concept],
    note: [annotation],
    component: [{ code: concept, ...values, interpretation: [concept], dataAbsentReason: concept }],
    hasMember: [reference],
    derivedFrom: [reference],
    specimen: reference,
    bodySite: concept,
    method: concept,
    dataAbsentReason: concept,
  },
  DiagnosticReport: {
    ...common,
    code: concept,
    category: [concept],
    effectiveDateTime: S,
    effectivePeriod: period,
    issued: S,
    result: [reference],
    specimen: [reference],
    conclusion: S,
    conclusionCode: [concept],
  },
  Specimen: {
    ...common,
    accessionIdentifier: identifier,
    identifier: [identifier],
    type: concept,
    receivedTime: S,
    collection: { collectedDateTime: S, collectedPeriod: period, bodySite: concept },
  },
  Condition: {
    ...common,
    clinicalStatus: concept,
    verificationStatus: concept,
    category: [concept],
    code: concept,
    bodySite: [concept],
    onsetDateTime: S,
    onsetPeriod: period,
    abatementDateTime: S,
    recordedDate: S,
    stage: [{ summary: concept, type: concept }],
    evidence: [{ code: [concept] }],
  },
  MedicationRequest: { ...common, ...medication, intent: S, authoredOn: S },
  MedicationStatement: {
    ...common,
    ...medication,
    effectiveDateTime: S,
    effectivePeriod: period,
    dateAsserted: S,
  },
  MedicationAdministration: { ...common, ...medication, effectiveDateTime: S, effectivePeriod: period },
  MedicationDispense: { ...common, ...medication, whenHandedOver: S, whenPrepared: S },
  Medication: {
    id: S,
    code: concept,
    ingredient: [{ itemCodeableConcept: concept, itemReference: reference }],
  },
  Procedure: { ...common, code: concept, performedDateTime: S, performedPeriod: period, bodySite: [concept] },
};

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function expected(shape: Shape): string {
  if (typeof shape === "string") return shape === "object" ? "an object" : `a ${shape}`;
  return Array.isArray(shape) ? "a list" : "an object";
}

/**
 * Where misfit is in the resource: field names and list indexes below a prefix. Kept as a stack and spelt out only
 * for a misfit (`collection.bodySite[0].text`): the check runs over every field of every resource of a review, and
 * nearly all of them fit.
 */
class FieldPath {
  private readonly steps: (string | number)[] = [];

  constructor(private readonly prefix: string) {}

  push(step: string | number): void {
    this.steps.push(step);
  }

  pop(): void {
    this.steps.pop();
  }

  toString(): string {
    let text = this.prefix;
    for (const step of this.steps)
      text = typeof step === "number" ? `${text}[${String(step)}]` : text === "" ? step : `${text}.${step}`;
    return text;
  }
}

function wrong(path: FieldPath, value: unknown, shape: Shape): string {
  return `${path.toString()} is ${kindOf(value)}, not ${expected(shape)}`;
}

/** The first field of `value` that does not fit `shape`, as `path: found X, expected Y`; undefined when it fits. */
function misfit(value: unknown, shape: Shape, path: FieldPath): string | undefined {
  if (typeof shape === "string") {
    if (shape === "object")
      return typeof value === "object" && value !== null && !Array.isArray(value)
        ? undefined
        : wrong(path, value, shape);
    return typeof value === shape && (shape !== "number" || Number.isFinite(value))
      ? undefined
      : wrong(path, value, shape);
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return wrong(path, value, shape);
    const item = shape[0] as Shape;
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      const found = misfit(value[i], item, path);
      path.pop();
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return wrong(path, value, shape);
  const fields = value as Record<string, unknown>;
  const shapes = shape as Record<string, Shape>;
  for (const field in shapes) {
    const fieldValue = fields[field];
    if (fieldValue === undefined) continue;
    path.push(field);
    const found = misfit(fieldValue, shapes[field] as Shape, path);
    path.pop();
    if (found) return found;
  }
  return undefined;
}

/**
 * The shapes with their fields in Maps, for `fits`: a lookup by the value's field names, safe for any name
 * (`constructor`, `__proto__`) that a plain object would find on its prototype.
 */
type FastShape =
  "string" | "number" | "boolean" | "object" | { readonly item: FastShape } | ReadonlyMap<string, FastShape>;

const compiled = new Map<Shape, FastShape>();
function compile(shape: Shape): FastShape {
  if (typeof shape === "string") return shape;
  const known = compiled.get(shape);
  if (known !== undefined) return known;
  let fast: FastShape;
  if (Array.isArray(shape)) fast = { item: compile(shape[0] as Shape) };
  else {
    const fields = new Map<string, FastShape>();
    for (const [field, inner] of Object.entries(shape as Record<string, Shape>))
      fields.set(field, compile(inner));
    fast = fields;
  }
  compiled.set(shape, fast);
  return fast;
}

const FAST_SHAPES = new Map<string, FastShape>(
  Object.entries(SHAPES).map(([resourceType, shape]) => [resourceType, compile(shape)]),
);

/**
 * Whether every field of `value` that `shape` names fits it: the common case, checked over the value's own fields
 * (usually fewer than the shape's) without building a path. Exactly when `misfit` finds nothing, which runs only
 * when this says no, to name the first misfit in the shape's order.
 */
function fits(value: unknown, shape: FastShape): boolean {
  if (typeof shape === "string") {
    if (shape === "object") return typeof value === "object" && value !== null && !Array.isArray(value);
    return typeof value === shape && (shape !== "number" || Number.isFinite(value));
  }
  if (shape instanceof Map) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
    const fields = value as Record<string, unknown>;
    const shapes = shape as ReadonlyMap<string, FastShape>;
    for (const field in fields) {
      const inner = shapes.get(field);
      if (inner === undefined) continue;
      const fieldValue = fields[field];
      if (fieldValue !== undefined && !fits(fieldValue, inner)) return false;
    }
    return true;
  }
  if (!Array.isArray(value)) return false;
  const item = (shape as { readonly item: FastShape }).item;
  const items = value as readonly unknown[];
  for (let i = 0; i < items.length; i++) if (!fits(items[i], item)) return false;
  return true;
}

/**
 * The first field the normalisers read that has the wrong JSON type, in the resource or in a contained resource.
 * @returns e.g. `collection.bodySite.text is a number, not a string`; undefined when every read field fits.
 */
export function malformedField(resource: Resource, path = ""): string | undefined {
  const shape = SHAPES[resource.resourceType];
  if (shape === undefined) return undefined;
  if (!fits(resource, FAST_SHAPES.get(resource.resourceType) as FastShape)) {
    const found = misfit(resource, shape, new FieldPath(path));
    if (found) return found;
  }
  const contained = (resource as { contained?: unknown }).contained;
  if (!Array.isArray(contained)) return undefined;
  for (const [i, inner] of (contained as Resource[]).entries()) {
    const where = `${path === "" ? "" : `${path}.`}contained[${String(i)}]`;
    if (typeof inner.resourceType !== "string")
      return `${where}.resourceType is ${kindOf(inner.resourceType)}, not a string`;
    const innerFound = malformedField(inner, where);
    if (innerFound) return innerFound;
  }
  return undefined;
}
