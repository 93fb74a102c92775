/**
 * One HER2 Observation -> what it says (`Her2Reading`): which HER2 concept its code names, and the call, IHC score and
 * ISH numbers found in its value, components, interpretation and notes. Anything contradictory or unreadable becomes a
 * `problem`, which the record builder turns into an unreadable record: never a guess.
 */
import type { CodeableConcept, Observation, ObservationComponent, Quantity } from "fhir/r4";
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
  /** Why the result cannot be read confidently. Non-empty -> unreadable. */
  problems: string[];
  /** How each piece was read, for chart review. */
  notes: string[];
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
  where: string,
): void {
  const settled = comparator ? settleBound(field, comparator, value) : undefined;
  if (!settled || (field !== "ratio" && field !== "her2PerCell")) {
    reading.problems.push(
      `${where} is only a bound (${comparator ?? "?"} ${String(value)}), which does not settle the guideline's ${field} threshold`,
    );
    return;
  }
  setField(reading, field, settled.value, where);
  (reading.bounds ??= {})[field] = settled.text;
  reading.notes.push(`${where} bound ${settled.text}`);
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

function setCall(reading: Her2Reading, slot: CallSlot, call: ReportedCall | undefined, where: string): void {
  if (call === undefined) return;
  const current = reading.calls[slot];
  if (current !== undefined && current !== call) {
    reading.problems.push(`${where} gives the call ${call}, which contradicts ${current} given elsewhere`);
    return;
  }
  reading.calls[slot] = call;
}

function setField<K extends Field>(
  reading: Her2Reading,
  field: K,
  value: Her2Reading[K],
  where: string,
): void {
  if (value === undefined) return;
  const current = reading[field];
  if (current !== undefined && current !== value) {
    reading.problems.push(
      `${where} gives ${field} ${String(value)}, which contradicts ${String(current)} given elsewhere`,
    );
    return;
  }
  reading[field] = value;
}

const NUMBER_FIELDS: readonly NumberField[] = ["ratio", "her2PerCell", "cep17PerCell", "cellsCounted"];
/** What an IHC text gives as ISH numbers: nothing (shared, never modified). */
const NO_ISH_NUMBERS: Readonly<ParsedIshNumbers> = { problems: [] };

/** Reads a text value in the light of the concept its code names. */
function readText(reading: Her2Reading, concept: ReadingConcept, text: string, where: string): void {
  if (where !== "note" && isPlaceholder(text)) {
    // Not content: the note (read when nothing else carried a result) or the linked report holds the result.
    reading.placeholder ??= text;
    reading.notes.push(`${where} "${text}" is a placeholder; the result is read from where it points`);
    return;
  }
  reading.raw.push(text);
  reading.hasContent = true;
  const numberField = NUMBER_FIELD[concept];
  if (numberField) {
    const plain = parsePlainNumber(text);
    if (plain && !unitFits(numberField, plain)) {
      reading.problems.push(`${where} "${text}" has a unit that does not fit ${numberField}`);
      return;
    }
    if (plain?.bound !== undefined) {
      if (plain.boundValue === undefined) {
        reading.problems.push(`${where} "${text}" gives only a bound, not a measured ${numberField}`);
        return;
      }
      readBound(reading, numberField, plain.comparator, plain.boundValue, `${where} "${text}"`);
      return;
    }
    if (plain?.value !== undefined) {
      setField(reading, numberField, plain.value, where);
      reading.notes.push(`${where} read as ${numberField}`);
      return;
    }
  }
  const call = parseCall(text);
  if (call.ambiguous) reading.problems.push(`${where} "${text}": ${call.ambiguous}`);
  const allowBare = concept === "ihc";
  const score = parseIhcScore(text, allowBare);
  if (score.ambiguous) reading.problems.push(`${where} "${text}": ${score.ambiguous}`);
  // An IHC text may mention cells ("3+ in 90% of cells; 100 cells counted"): ISH numbers are read only elsewhere.
  const numbers = concept === "ihc" ? NO_ISH_NUMBERS : parseIshNumbers(text);
  for (const problem of numbers.problems) reading.problems.push(`${where}: ${problem}`);
  if (concept === "ish" || concept === "unspecified" || concept === "interpretation") {
    const plain = parsePlainNumber(text);
    if (plain?.bound !== undefined) {
      reading.problems.push(`${where} "${text}" gives only a bound (${plain.bound}), not a measured value`);
      return;
    }
    if (plain) {
      reading.problems.push(
        `${where} "${text}" is a number without a label; it is not clear what it measures`,
      );
      return;
    }
  }
  const found: string[] = [];
  if (call.call) {
    setCall(reading, slotOf(concept), call.call, where);
    found.push(`call ${call.call}`);
  }
  if (score.score && concept !== "ish" && concept !== "interpretation") {
    setField(reading, "score", score.score, where);
    setField(reading, "zeroDetail", score.zeroDetail, where);
    found.push(`IHC score ${score.score}`);
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
  if (found.length > 0) reading.notes.push(`${where} text parsed as ${found.join(", ")}`);
  else if (!call.ambiguous && !score.ambiguous && numbers.problems.length === 0) {
    reading.problems.push(`${where} "${text}" holds no HER2 result that could be read`);
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
  where: string,
  quantity?: Quantity,
): void {
  reading.hasContent = true;
  const unit = (quantity?.code ?? quantity?.unit ?? "").trim();
  reading.raw.push(unit ? `${String(value)} ${unit}` : String(value));
  const numberField = NUMBER_FIELD[concept];
  if (quantity?.comparator) {
    if (!numberField) {
      reading.problems.push(
        `${where} is only a bound (${quantity.comparator} ${String(value)}), not a measured value`,
      );
      return;
    }
    const fits = numberField === "ratio" ? RATIO_UNITS.test(unit) : PER_CELL_UNITS.test(unit);
    if (!fits) {
      reading.problems.push(`${where} has unit "${unit}", which does not fit ${numberField}`);
      return;
    }
    readBound(reading, numberField, comparatorOfQuantity(quantity.comparator), value, where);
    return;
  }
  if (numberField) {
    const unitOk = numberField === "ratio" ? RATIO_UNITS.test(unit) : PER_CELL_UNITS.test(unit);
    if (!unitOk) {
      reading.problems.push(`${where} has unit "${unit}", which does not fit ${numberField}`);
      return;
    }
    setField(reading, numberField, value, where);
    reading.notes.push(`${where} read as ${numberField}`);
    return;
  }
  if (concept === "ihc" && Number.isInteger(value) && value >= 0 && value <= 3 && unit === "") {
    setField(reading, "score", value === 0 ? "0" : (`${String(value)}+` as IhcScore), where);
    reading.notes.push(`${where} read as IHC score`);
    return;
  }
  reading.problems.push(`${where} is a number (${String(value)}) where a ${concept} result is expected`);
}

function readCodeable(
  reading: Her2Reading,
  concept: ReadingConcept,
  value: CodeableConcept,
  where: string,
  codeMap: CodeMap,
): void {
  reading.hasContent = true;
  const meanings: { call?: ReportedCall; score?: IhcScore; zeroDetail?: IhcZeroDetail; label: string }[] = [];
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
        label: `local answer ${local.code} (${local.meaning})`,
      });
  }
  if (meanings.length === 0) {
    const text = conceptText(value);
    if (!text) {
      reading.problems.push(`${where} has a code that is not recognised and no text`);
      return;
    }
    readText(reading, concept, text, `${where} (display text of an unrecognised code)`);
    return;
  }
  reading.raw.push(conceptText(value) ?? meanings.map((m) => m.label).join(", "));
  for (const meaning of meanings) {
    setCall(reading, slotOf(concept), meaning.call, where);
    if (concept !== "ish" && concept !== "interpretation") {
      setField(reading, "score", meaning.score, where);
      setField(reading, "zeroDetail", meaning.zeroDetail, where);
    } else if (meaning.score) {
      reading.problems.push(`${where} gives an IHC score on an ${concept} result`);
    }
  }
  reading.notes.push(`${where} coded as ${meanings.map((m) => m.label).join(", ")}`);
  // A coded call often carries the score only in its text ("Equivocal (2+)").
  const text = value.text;
  if (text && (concept === "ihc" || concept === "unspecified") && !meanings.some((m) => m.score)) {
    const score = parseIhcScore(text, concept === "ihc");
    if (score.ambiguous) reading.problems.push(`${where} text "${text}": ${score.ambiguous}`);
    else if (score.score) {
      setField(reading, "score", score.score, `${where} text`);
      setField(reading, "zeroDetail", score.zeroDetail, `${where} text`);
      reading.notes.push(`${where} text "${text}" read as IHC score ${score.score}`);
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
  where: string,
  codeMap: CodeMap,
): void {
  if (holder.valueCodeableConcept)
    readCodeable(reading, concept, holder.valueCodeableConcept, `${where} valueCodeableConcept`, codeMap);
  else if (holder.valueString !== undefined)
    readText(reading, concept, holder.valueString, `${where} valueString`);
  else if (holder.valueQuantity?.value !== undefined) {
    readNumber(reading, concept, holder.valueQuantity.value, `${where} valueQuantity`, holder.valueQuantity);
  } else if (holder.valueInteger !== undefined)
    readNumber(reading, concept, holder.valueInteger, `${where} valueInteger`);
  else if (holder.valueBoolean !== undefined || holder.valueRatio !== undefined) {
    reading.hasContent = true;
    reading.problems.push(`${where} has a value type this layer does not read (boolean or Ratio)`);
  } else if (holder.dataAbsentReason) {
    reading.hasContent = true;
    reading.problems.push(`${where} has no value: ${conceptText(holder.dataAbsentReason) ?? "data absent"}`);
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
    readValue(recount, cls.concept, component, `${where} (recount, ${cls.via})`, codeMap);
    if (recount.bounds) recount.problems.push(`${where}: a recount given only as a bound is not read`);
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
  readValue(reading, cls.concept, component, `${where} (${cls.via})`, codeMap);
  for (const interpretation of component.interpretation ?? [])
    readInterpretation(reading, slotOf(cls.concept), interpretation, `${where} interpretation`);
}

function readInterpretation(
  reading: Her2Reading,
  slot: CallSlot,
  interpretation: CodeableConcept,
  where: string,
): void {
  for (const coding of codingsOf(interpretation)) {
    const known = INTERPRETATION_CODES.find((i) => i.system === coding.system && i.code === coding.code);
    if (known) {
      setCall(reading, slot, known.call, where);
      reading.notes.push(`${where} ${known.code} read as ${known.call}`);
      return;
    }
  }
  const text = conceptText(interpretation);
  if (!text) return;
  const call = parseCall(text);
  if (call.ambiguous) reading.problems.push(`${where} "${text}": ${call.ambiguous}`);
  else if (call.call) {
    setCall(reading, slot, call.call, where);
    reading.notes.push(`${where} text "${text}" read as ${call.call}`);
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
      reading.problems.push(`IHC 0 but "${label}" is ${String(percent)} %, more than the 10 % of an IHC 0`);
      return;
    }
    reading.zeroDetail = percent === 0 ? "null" : "ultralow";
    reading.notes.push(`IHC 0 detail from component "${label}" ${String(percent)} %`);
    return;
  }
  const notes = (observation.note ?? []).map((n) => n.text).join(" ");
  const { zeroDetail, contradiction } = notes ? zeroDetailInText(notes) : {};
  if (contradiction) reading.problems.push(`the note: ${contradiction}`);
  else if (zeroDetail) {
    reading.zeroDetail = zeroDetail;
    reading.notes.push(`IHC 0 detail (${zeroDetail}) from the note`);
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
  readValue(reading, concept, observation, "value", codeMap);
  (observation.component ?? []).forEach((component, index) => {
    readComponent(reading, component, index, codeMap);
  });
  for (const interpretation of observation.interpretation ?? [])
    readInterpretation(reading, slotOf(concept), interpretation, "interpretation");
  if (!reading.hasContent) {
    const notes = (observation.note ?? []).map((n) => n.text).filter((t) => t.trim() !== "");
    if (notes.length > 0) readText(reading, concept, notes.join("; "), "note");
  }
  if (reading.placeholder !== undefined) reading.raw.unshift(reading.placeholder);
  if (reading.score === "0" && reading.zeroDetail === undefined) readZeroDetail(reading, observation);
  // The code's texts are read once for the recount and method checks (allConceptText gives no empty strings).
  const codeText = allConceptText(observation.code).join(" ");
  // The recount may be named by the code's text or by Observation.method ("Manual count, second observer").
  if (saysRecount(codeText) || saysRecount(conceptText(observation.method) ?? "")) {
    reading.isRecount = true;
    if (reading.bounds) reading.problems.push("a recount given only as a bound is not read");
  }
  const methodName = conceptText(observation.method);
  const methodText = methodName && codeText ? `${methodName} ${codeText}` : (methodName ?? codeText);
  const declared = methodInText(methodName ?? "");
  if (declared) {
    const codeMethod = concept === "ihc" ? "ihc" : concept.startsWith("ish") ? "ish" : undefined;
    if (codeMethod && codeMethod !== declared) {
      reading.problems.push(
        `the code names ${codeMethod.toUpperCase()} but Observation.method says ${declared.toUpperCase()}`,
      );
    }
    reading.methodHint = declared;
  } else {
    reading.methodHint = methodInText(methodText);
  }
  if (saysSingleProbe(methodText)) reading.singleProbe = true;
  return reading;
}
