/**
 * One HER2 Observation -> what it says (`Her2Reading`): which HER2 concept its code names, and the call, IHC score and
 * ISH numbers found in its value, components, interpretation and notes. Anything contradictory or unreadable becomes a
 * `problem`, which the record builder turns into an unreadable record: never a guess.
 */
import type { CodeableConcept, Observation, ObservationComponent, Quantity } from "fhir/r4";
import { joinTexts, type Text, type TextValue } from "../domain/text";
import type { IhcScore, IhcZeroDetail, ReportedCall } from "../domain/types";
import { answerMeaningToValue, type CodeMap } from "./code-map";
import { allConceptText, codingsOf, conceptText } from "./fhir-utils";
import {
  methodInText,
  parseCall,
  parseIhcScore,
  parseIshNumbers,
  type ParsedIshNumbers,
  parsePlainNumber,
  type ParsedNumber,
  saysRecount,
  settleBound,
  type Comparator,
  saysSingleProbe,
  zeroDetailInText,
} from "./observation-shapes";
import { ANSWER_CODES, CAP_ECC_ANSWER_CODES, INTERPRETATION_CODES } from "./terminology/answers";
import { classifyHer2Code, type ReadingConcept } from "./her2-code";
import { en, fhirText } from "./text";

/**
 * Where in the Observation a value was read ("value valueString", "component[0] (LOINC 85319-2)"): a descriptor, or
 * a FHIR element path as it is in every locale.
 */
type Where = TextValue;

const VALUE = fhirText("fhir.where.value");
const NOTE = fhirText("fhir.where.note");
const INTERPRETATION = fhirText("fhir.where.interpretation");
const DATA_ABSENT = fhirText("fhir.problem.data-absent");
const RECOUNT_BOUND = fhirText("fhir.problem.recount-bound");
const METHOD_NAMES: Readonly<Record<"ihc" | "ish", Text>> = {
  ihc: fhirText("fhir.method.ihc"),
  ish: fhirText("fhir.method.ish"),
};

type ValueElement = "valueCodeableConcept" | "valueString" | "valueQuantity" | "valueInteger";

/**
 * The Observation's own value element ("value valueString"): one shared descriptor each, with no values, since every
 * HER2 reading names one and the JSON output carries it in each evidence item's `i18n.readAs`.
 */
const VALUE_ELEMENTS: Readonly<Record<ValueElement, Text>> = {
  valueCodeableConcept: fhirText("fhir.where.valueCodeableConcept"),
  valueString: fhirText("fhir.where.valueString"),
  valueQuantity: fhirText("fhir.where.valueQuantity"),
  valueInteger: fhirText("fhir.where.valueInteger"),
};

/** `{where} {element}`: the value element read ("component[0] (LOINC 85319-2) valueString"). */
function atElement(where: Where, element: ValueElement): Text {
  return where === VALUE ? VALUE_ELEMENTS[element] : fhirText("fhir.where.element", { where, element });
}

/** Which part of a result a call belongs to: the IHC, the ISH, the overall interpretation, or not stated. */
export type CallSlot = "ihc" | "ish" | "interpretation" | "unspecified";

export function slotOf(concept: ReadingConcept): CallSlot {
  if (concept === "ihc" || concept === "interpretation") return concept;
  if (concept.startsWith("ish")) return "ish";
  return "unspecified";
}

export interface Her2Reading {
  concept: ReadingConcept;
  /** Calls found, by the part of the result they belong to. */
  calls: Partial<Record<CallSlot, ReportedCall>>;
  score?: IhcScore;
  zeroDetail?: IhcZeroDetail;
  ratio?: number;
  her2PerCell?: number;
  cep17PerCell?: number;
  cellsCounted?: number;
  singleProbe?: boolean;
  /** Method named by `Observation.method` or the code's text, when the code itself does not fix it. */
  methodHint?: "ihc" | "ish";
  /** Why the result cannot be read confidently (FHIR-layer descriptors, src/fhir/text.ts). Non-empty -> unreadable. */
  problems: Text[];
  /** How each piece was read, for chart review (descriptors, or a record's own words). */
  notes: TextValue[];
  /** The values as recorded, for display. */
  raw: string[];
  /** True when the Observation had a value, component or note that carried a HER2 result. */
  hasContent: boolean;
  /** A second observer's recount carried in components of this Observation. */
  recount?: { ratio?: number; her2PerCell?: number };
  /** True when the whole Observation is a second observer's recount. */
  isRecount?: boolean;
  /** A value that only points elsewhere ("See comment", "see report"), as recorded. */
  placeholder?: string;
  /** ISH measures recorded only as a bound that settles the threshold ("> 10", "< 2.0"), as recorded. */
  bounds?: Partial<Record<"ratio" | "her2PerCell", string>>;
}

/**
 * A bound ("> 10", "≥ 6.0 signals/cell", "< 2.0") on an ISH measure: read where it settles the guideline threshold and
 * reported as such (issue 12.5; thresholds of Wolff 2018 Figs. 2-3), otherwise a problem naming the bound.
 */
function readBound(
  reading: Her2Reading,
  field: NumberField,
  comparator: Comparator | undefined,
  value: number,
  where: Where,
): void {
  const settled = comparator ? settleBound(field, comparator, value) : undefined;
  if (!settled || (field !== "ratio" && field !== "her2PerCell")) {
    reading.problems.push(
      fhirText("fhir.problem.bound-unsettled", {
        where,
        comparator: comparator ?? "?",
        value: String(value),
        field,
      }),
    );
    return;
  }
  setField(reading, field, settled.value, where);
  (reading.bounds ??= {})[field] = settled.text;
  reading.notes.push(fhirText("fhir.note.bound", { where, bound: settled.text }));
}

/** Whether a unit written in the text fits the measure: a ratio has none or "ratio"; a count is per cell. */
function unitFits(field: NumberField, plain: ParsedNumber): boolean {
  if (plain.unit === undefined) return true;
  if (field === "ratio") return plain.unit === "ratio";
  return plain.unit === "per-cell" && field !== "cellsCounted";
}

/**
 * A value that only points to where the result is written (the result typed into a comment or the report narrative and
 * the discrete value left as "See comment"): the result is read from the note or the linked report instead.
 */
const PLACEHOLDER =
  /^\s*(?:please\s+)?(?:see|refer\s+to)\s+(?:the\s+)?(?:comments?|notes?|below|narrative|(?:final\s+|full\s+|pathology\s+|attached\s+|scanned\s+)?(?:report|document))\s*\.?\s*$/i;

export function isPlaceholder(text: string): boolean {
  return PLACEHOLDER.test(text);
}

type NumberField = "ratio" | "her2PerCell" | "cep17PerCell" | "cellsCounted";
type Field = NumberField | "score" | "zeroDetail";

const NUMBER_FIELD: Partial<Record<ReadingConcept, NumberField>> = {
  "ish-ratio": "ratio",
  "ish-her2-per-cell": "her2PerCell",
  "ish-cep17-per-cell": "cep17PerCell",
  "ish-cells-counted": "cellsCounted",
};

function setCall(reading: Her2Reading, slot: CallSlot, call: ReportedCall | undefined, where: Where): void {
  if (call === undefined) return;
  const current = reading.calls[slot];
  if (current !== undefined && current !== call) {
    reading.problems.push(fhirText("fhir.problem.call-conflict", { where, call, current }));
    return;
  }
  reading.calls[slot] = call;
}

function setField<K extends Field>(
  reading: Her2Reading,
  field: K,
  value: Her2Reading[K],
  where: Where,
): void {
  if (value === undefined) return;
  const current = reading[field];
  if (current !== undefined && current !== value) {
    reading.problems.push(
      fhirText("fhir.problem.field-conflict", {
        where,
        field,
        value: String(value),
        current: String(current),
      }),
    );
    return;
  }
  reading[field] = value;
}

const NUMBER_FIELDS: readonly NumberField[] = ["ratio", "her2PerCell", "cep17PerCell", "cellsCounted"];
/** What an IHC text gives as ISH numbers: nothing (shared, never modified). */
const NO_ISH_NUMBERS: Readonly<ParsedIshNumbers> = { problems: [] };

/** Reads a text value in the light of the concept its code names. */
function readText(reading: Her2Reading, concept: ReadingConcept, text: string, where: Where): void {
  if (where !== NOTE && isPlaceholder(text)) {
    // Not content: the note (read when nothing else carried a result) or the linked report holds the result.
    reading.placeholder ??= text;
    reading.notes.push(fhirText("fhir.note.placeholder", { where, text }));
    return;
  }
  reading.raw.push(text);
  reading.hasContent = true;
  const numberField = NUMBER_FIELD[concept];
  if (numberField) {
    const plain = parsePlainNumber(text);
    if (plain && !unitFits(numberField, plain)) {
      reading.problems.push(fhirText("fhir.problem.text-unit", { where, text, field: numberField }));
      return;
    }
    if (plain?.bound !== undefined) {
      if (plain.boundValue === undefined) {
        reading.problems.push(fhirText("fhir.problem.text-bound-only", { where, text, field: numberField }));
        return;
      }
      const quoted = fhirText("fhir.where.quoted", { where, text });
      readBound(reading, numberField, plain.comparator, plain.boundValue, quoted);
      return;
    }
    if (plain?.value !== undefined) {
      setField(reading, numberField, plain.value, where);
      reading.notes.push(fhirText("fhir.note.read-as", { where, field: numberField }));
      return;
    }
  }
  const call = parseCall(text);
  if (call.ambiguous)
    reading.problems.push(fhirText("fhir.problem.quoted", { where, text, problem: call.ambiguous }));
  const allowBare = concept === "ihc";
  const score = parseIhcScore(text, allowBare);
  if (score.ambiguous)
    reading.problems.push(fhirText("fhir.problem.quoted", { where, text, problem: score.ambiguous }));
  // An IHC text may mention cells ("3+ in 90% of cells; 100 cells counted"): ISH numbers are read only elsewhere.
  const numbers = concept === "ihc" ? NO_ISH_NUMBERS : parseIshNumbers(text);
  for (const problem of numbers.problems)
    reading.problems.push(fhirText("fhir.problem.at", { where, problem }));
  if (concept === "ish" || concept === "unspecified" || concept === "interpretation") {
    const plain = parsePlainNumber(text);
    if (plain?.bound !== undefined) {
      reading.problems.push(fhirText("fhir.problem.text-bound", { where, text, bound: plain.bound }));
      return;
    }
    if (plain) {
      reading.problems.push(fhirText("fhir.problem.unlabelled-number", { where, text }));
      return;
    }
  }
  const found: TextValue[] = [];
  if (call.call) {
    setCall(reading, slotOf(concept), call.call, where);
    found.push(fhirText("fhir.note.found.call", { call: call.call }));
  }
  if (score.score && concept !== "ish" && concept !== "interpretation") {
    setField(reading, "score", score.score, where);
    setField(reading, "zeroDetail", score.zeroDetail, where);
    found.push(fhirText("fhir.note.found.score", { score: score.score }));
  }
  for (const field of NUMBER_FIELDS) {
    if (numbers[field] !== undefined) {
      setField(reading, field, numbers[field], where);
      const bound = field === "ratio" || field === "her2PerCell" ? numbers.bounds?.[field] : undefined;
      if (bound !== undefined) (reading.bounds ??= {})[field as "ratio" | "her2PerCell"] = bound;
      found.push(`${field} ${bound ?? String(numbers[field])}`);
    }
  }
  if (saysSingleProbe(text)) reading.singleProbe = true;
  if (found.length > 0)
    reading.notes.push(fhirText("fhir.note.parsed", { where, found: joinTexts(found, "join.comma") }));
  else if (!call.ambiguous && !score.ambiguous && numbers.problems.length === 0) {
    reading.problems.push(fhirText("fhir.problem.no-result-in-text", { where, text }));
  }
}

function comparatorOfQuantity(comparator: string): Comparator | undefined {
  return comparator === "<" || comparator === "<=" || comparator === ">" || comparator === ">="
    ? comparator
    : undefined;
}

const RATIO_UNITS = /^(?:|1|\{ratio\}|ratio|\{ratio\}\s*)$/i;
const PER_CELL_UNITS = /cell|nucle|cop|signal|^\{.*\}$|^$|^1$/i;

function readNumber(
  reading: Her2Reading,
  concept: ReadingConcept,
  value: number,
  where: Where,
  quantity?: Quantity,
): void {
  reading.hasContent = true;
  const unit = (quantity?.code ?? quantity?.unit ?? "").trim();
  reading.raw.push(unit ? `${String(value)} ${unit}` : String(value));
  const numberField = NUMBER_FIELD[concept];
  if (quantity?.comparator) {
    if (!numberField) {
      reading.problems.push(
        fhirText("fhir.problem.bound-not-measured", {
          where,
          comparator: quantity.comparator,
          value: String(value),
        }),
      );
      return;
    }
    const fits = numberField === "ratio" ? RATIO_UNITS.test(unit) : PER_CELL_UNITS.test(unit);
    if (!fits) {
      reading.problems.push(fhirText("fhir.problem.unit", { where, unit, field: numberField }));
      return;
    }
    readBound(reading, numberField, comparatorOfQuantity(quantity.comparator), value, where);
    return;
  }
  if (numberField) {
    const unitOk = numberField === "ratio" ? RATIO_UNITS.test(unit) : PER_CELL_UNITS.test(unit);
    if (!unitOk) {
      reading.problems.push(fhirText("fhir.problem.unit", { where, unit, field: numberField }));
      return;
    }
    setField(reading, numberField, value, where);
    reading.notes.push(fhirText("fhir.note.read-as", { where, field: numberField }));
    return;
  }
  if (concept === "ihc" && Number.isInteger(value) && value >= 0 && value <= 3 && unit === "") {
    setField(reading, "score", value === 0 ? "0" : (`${String(value)}+` as IhcScore), where);
    reading.notes.push(fhirText("fhir.note.read-as-score", { where }));
    return;
  }
  reading.problems.push(
    fhirText("fhir.problem.number-for-concept", { where, value: String(value), concept }),
  );
}

function readCodeable(
  reading: Her2Reading,
  concept: ReadingConcept,
  value: CodeableConcept,
  where: Where,
  codeMap: CodeMap,
): void {
  reading.hasContent = true;
  const meanings: { call?: ReportedCall; score?: IhcScore; zeroDetail?: IhcZeroDetail; label: TextValue }[] =
    [];
  for (const coding of codingsOf(value)) {
    const standard = ANSWER_CODES.find((a) => a.system === coding.system && a.code === coding.code);
    if (standard) {
      meanings.push({ call: standard.call, label: `${standard.code} ${standard.display}` });
      continue;
    }
    const ecc = CAP_ECC_ANSWER_CODES.find((a) => a.system === coding.system && a.code === coding.code);
    if (ecc) {
      meanings.push({ ...answerMeaningToValue(ecc.meaning), label: `CAP eCC ${ecc.code} ${ecc.display}` });
      continue;
    }
    const local = codeMap.answers.find((a) => a.system === coding.system && a.code === coding.code);
    if (local)
      meanings.push({
        ...answerMeaningToValue(local.meaning),
        label: fhirText("fhir.note.local-answer", { code: local.code, meaning: local.meaning }),
      });
  }
  if (meanings.length === 0) {
    const text = conceptText(value);
    if (!text) {
      reading.problems.push(fhirText("fhir.problem.unknown-code", { where }));
      return;
    }
    readText(reading, concept, text, fhirText("fhir.where.unrecognised-code", { where }));
    return;
  }
  const labels = joinTexts(
    meanings.map((m) => m.label),
    "join.comma",
  );
  reading.raw.push(conceptText(value) ?? en(labels));
  for (const meaning of meanings) {
    setCall(reading, slotOf(concept), meaning.call, where);
    if (concept !== "ish" && concept !== "interpretation") {
      setField(reading, "score", meaning.score, where);
      setField(reading, "zeroDetail", meaning.zeroDetail, where);
    } else if (meaning.score) {
      reading.problems.push(fhirText("fhir.problem.score-on-concept", { where, concept }));
    }
  }
  reading.notes.push(fhirText("fhir.note.coded", { where, labels }));
  // A coded call often carries the score only in its text ("Equivocal (2+)").
  const text = value.text;
  if (text && (concept === "ihc" || concept === "unspecified") && !meanings.some((m) => m.score)) {
    const score = parseIhcScore(text, concept === "ihc");
    if (score.ambiguous)
      reading.problems.push(fhirText("fhir.problem.text-quoted", { where, text, problem: score.ambiguous }));
    else if (score.score) {
      const inText = fhirText("fhir.where.text", { where });
      setField(reading, "score", score.score, inText);
      setField(reading, "zeroDetail", score.zeroDetail, inText);
      reading.notes.push(fhirText("fhir.note.text-score", { where, text, score: score.score }));
    }
  }
}

type ValueHolder = Pick<
  Observation,
  | "valueCodeableConcept"
  | "valueString"
  | "valueQuantity"
  | "valueInteger"
  | "valueBoolean"
  | "valueRatio"
  | "dataAbsentReason"
>;

function readValue(
  reading: Her2Reading,
  concept: ReadingConcept,
  holder: ValueHolder,
  where: Where,
  codeMap: CodeMap,
): void {
  if (holder.valueCodeableConcept)
    readCodeable(
      reading,
      concept,
      holder.valueCodeableConcept,
      atElement(where, "valueCodeableConcept"),
      codeMap,
    );
  else if (holder.valueString !== undefined)
    readText(reading, concept, holder.valueString, atElement(where, "valueString"));
  else if (holder.valueQuantity?.value !== undefined) {
    const at = atElement(where, "valueQuantity");
    readNumber(reading, concept, holder.valueQuantity.value, at, holder.valueQuantity);
  } else if (holder.valueInteger !== undefined)
    readNumber(reading, concept, holder.valueInteger, atElement(where, "valueInteger"));
  else if (holder.valueBoolean !== undefined || holder.valueRatio !== undefined) {
    reading.hasContent = true;
    reading.problems.push(fhirText("fhir.problem.value-type", { where }));
  } else if (holder.dataAbsentReason) {
    reading.hasContent = true;
    const reason = conceptText(holder.dataAbsentReason) ?? DATA_ABSENT;
    reading.problems.push(fhirText("fhir.problem.no-value", { where, reason }));
  }
}

function readComponent(
  reading: Her2Reading,
  component: ObservationComponent,
  index: number,
  codeMap: CodeMap,
): void {
  const where = `component[${String(index)}]`;
  const cls = classifyHer2Code(component.code, codeMap);
  if (!cls || "excluded" in cls) return; // e.g. an ER or Ki-67 component in a breast panel: not ours to read
  if (cls.concept === "panel") return;
  if (saysRecount(allConceptText(component.code).join(" "))) {
    const recount: Her2Reading = {
      concept: cls.concept,
      calls: {},
      problems: [],
      notes: [],
      raw: [],
      hasContent: false,
    };
    readValue(
      recount,
      cls.concept,
      component,
      fhirText("fhir.where.recount", { where, via: cls.via }),
      codeMap,
    );
    if (recount.bounds) recount.problems.push(fhirText("fhir.problem.at", { where, problem: RECOUNT_BOUND }));
    reading.problems.push(...recount.problems);
    reading.notes.push(...recount.notes);
    reading.raw.push(...recount.raw.map((r) => `recount ${r}`));
    reading.hasContent ||= recount.hasContent;
    reading.recount = {
      ...reading.recount,
      ...(recount.ratio !== undefined ? { ratio: recount.ratio } : {}),
      ...(recount.her2PerCell !== undefined ? { her2PerCell: recount.her2PerCell } : {}),
    };
    return;
  }
  readValue(reading, cls.concept, component, fhirText("fhir.where.via", { where, via: cls.via }), codeMap);
  for (const interpretation of component.interpretation ?? [])
    readInterpretation(
      reading,
      slotOf(cls.concept),
      interpretation,
      fhirText("fhir.where.interpretation-of", { where }),
    );
}

function readInterpretation(
  reading: Her2Reading,
  slot: CallSlot,
  interpretation: CodeableConcept,
  where: Where,
): void {
  for (const coding of codingsOf(interpretation)) {
    const known = INTERPRETATION_CODES.find((i) => i.system === coding.system && i.code === coding.code);
    if (known) {
      setCall(reading, slot, known.call, where);
      reading.notes.push(
        fhirText("fhir.note.interpretation-code", { where, code: known.code, call: known.call }),
      );
      return;
    }
  }
  const text = conceptText(interpretation);
  if (!text) return;
  const call = parseCall(text);
  if (call.ambiguous)
    reading.problems.push(fhirText("fhir.problem.quoted", { where, text, problem: call.ambiguous }));
  else if (call.call) {
    setCall(reading, slot, call.call, where);
    reading.notes.push(fhirText("fhir.note.text-call", { where, text, call: call.call }));
  }
}

/**
 * Completes an IHC 0 with its staining detail, which labs put in a component ("cells with faint, incomplete membrane
 * staining: 5 %") or a note ("no membrane staining"), never in the score itself.
 */
function readZeroDetail(reading: Her2Reading, observation: Observation): void {
  for (const component of observation.component ?? []) {
    const label = allConceptText(component.code).join(" ");
    const percent = component.valueQuantity?.value;
    if (
      !/\bfaint\b|\bincomplete\b/i.test(label) ||
      percent === undefined ||
      component.valueQuantity?.unit !== "%"
    ) {
      continue;
    }
    if (percent > 10) {
      reading.problems.push(fhirText("fhir.problem.zero-component", { label, percent: String(percent) }));
      return;
    }
    reading.zeroDetail = percent === 0 ? "null" : "ultralow";
    reading.notes.push(fhirText("fhir.note.zero-component", { label, percent: String(percent) }));
    return;
  }
  const notes = (observation.note ?? []).map((n) => n.text).join(" ");
  const { zeroDetail, contradiction } = notes ? zeroDetailInText(notes) : {};
  if (contradiction) reading.problems.push(fhirText("fhir.problem.note", { problem: contradiction }));
  else if (zeroDetail) {
    reading.zeroDetail = zeroDetail;
    reading.notes.push(fhirText("fhir.note.zero-note", { detail: zeroDetail }));
  }
}

/**
 * Reads one HER2 Observation whose code has already been classified.
 * @param concept the concept of the Observation's code
 */
export function readHer2Observation(
  observation: Observation,
  concept: ReadingConcept,
  codeMap: CodeMap,
): Her2Reading {
  const reading: Her2Reading = { concept, calls: {}, problems: [], notes: [], raw: [], hasContent: false };
  readValue(reading, concept, observation, VALUE, codeMap);
  (observation.component ?? []).forEach((component, index) => {
    readComponent(reading, component, index, codeMap);
  });
  for (const interpretation of observation.interpretation ?? [])
    readInterpretation(reading, slotOf(concept), interpretation, INTERPRETATION);
  if (!reading.hasContent) {
    const notes = (observation.note ?? []).map((n) => n.text).filter((t) => t.trim() !== "");
    if (notes.length > 0) readText(reading, concept, notes.join("; "), NOTE);
  }
  if (reading.placeholder !== undefined) reading.raw.unshift(reading.placeholder);
  if (reading.score === "0" && reading.zeroDetail === undefined) readZeroDetail(reading, observation);
  // The code's texts are read once for the recount and method checks (allConceptText gives no empty strings).
  const codeText = allConceptText(observation.code).join(" ");
  // The recount may be named by the code's text or by Observation.method ("Manual count, second observer").
  if (saysRecount(codeText) || saysRecount(conceptText(observation.method) ?? "")) {
    reading.isRecount = true;
    if (reading.bounds) reading.problems.push(RECOUNT_BOUND);
  }
  const methodName = conceptText(observation.method);
  const methodText = methodName && codeText ? `${methodName} ${codeText}` : (methodName ?? codeText);
  const declared = methodInText(methodName ?? "");
  if (declared) {
    const codeMethod = concept === "ihc" ? "ihc" : concept.startsWith("ish") ? "ish" : undefined;
    if (codeMethod && codeMethod !== declared) {
      reading.problems.push(
        fhirText("fhir.problem.method-conflict", {
          code: METHOD_NAMES[codeMethod],
          method: METHOD_NAMES[declared],
        }),
      );
    }
    reading.methodHint = declared;
  } else {
    reading.methodHint = methodInText(methodText);
  }
  if (saysSingleProbe(methodText)) reading.singleProbe = true;
  return reading;
}
