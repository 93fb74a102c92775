/**
 * HER2 Observations and DiagnosticReports of one patient -> the rules' test records.
 *
 * Whatever the shape (value, components, separate Observations grouped by a panel or a report, text), the same result
 * gives the same record: ISH numbers spread over several Observations of one panel, report or specimen are merged into
 * one ISH record when they do not contradict each other.
 */
import type { DiagnosticReport, Observation, Reference, Resource, Specimen } from "fhir/r4";
import type { Text, TextValue } from "../domain/text";
import type {
  DualIshRecord,
  Her2TestRecord,
  IhcRecord,
  InterpretationRecord,
  ResourceRef,
  ResultStatus,
  SingleIshRecord,
  SpecimenInfo,
  UnreadableRecord,
} from "../domain/types";
import type { CodeMap } from "./code-map";
import {
  allConceptText,
  conceptText,
  isResourceType,
  normaliseReference,
  refOf,
  resolveReference,
  type ResourceIndex,
} from "./fhir-utils";
import { classifyHer2Code, notTissueHer2Reason, type CodeClass } from "./her2-code";
import { readHer2Observation, slotOf, type Her2Reading } from "./her2-observation";
import {
  methodInText,
  parseCall,
  parseIhcScore,
  parseIshNumbers,
  saysSingleProbe,
} from "./observation-shapes";
import { isInSituOnlyTissue, specimenInfo, withBodySite, withInSitu } from "./specimen";
import { supersededResults } from "./superseded";
import { en, fhirText, joinedEnglish, joinedText } from "./text";

interface Context {
  source: ResourceRef;
  status: ResultStatus;
  date?: string;
  specimen?: SpecimenInfo;
  /** Panel or report that groups this result with others (for merging ISH pieces). */
  group?: ResourceRef;
  /** The amended or corrected result that replaces this one. */
  supersededBy?: ResourceRef;
  /** The code was identified by its display text only (her2-code.ts `byText`). */
  codeByText?: true;
  /** Observation.derivedFrom, as `Type/id` (a recount names the count it recounts). */
  derivedFrom?: ResourceRef[];
  /** The withdrawn report, panel or specimen whose status this result takes (`withdrawnResults`). */
  withdrawnBy?: Withdrawal;
}

const RESULT_STATUSES: readonly ResultStatus[] = [
  "registered",
  "preliminary",
  "final",
  "amended",
  "corrected",
  "cancelled",
  "entered-in-error",
  "unknown",
];

function toStatus(status: string | undefined): ResultStatus {
  if (status === "partial") return "preliminary";
  if (status === "appended") return "amended";
  return RESULT_STATUSES.find((s) => s === status) ?? "unknown";
}

function effectiveDate(resource: Observation | DiagnosticReport): string | undefined {
  return (
    resource.effectiveDateTime ??
    resource.effectivePeriod?.start ??
    ("effectiveInstant" in resource ? resource.effectiveInstant : undefined) ??
    resource.issued
  );
}

function base(context: Context): Omit<Her2TestRecord, "method" | "reason"> {
  const record: Omit<Her2TestRecord, "method" | "reason"> = {
    source: context.source,
    status: context.status,
  };
  if (context.date) record.date = context.date;
  if (context.specimen) record.specimen = context.specimen;
  if (context.supersededBy) record.supersededBy = context.supersededBy;
  // Provisional: kept only for a call without a score or measurement (textOnlyCalls, once ISH pieces are merged).
  if (context.codeByText) record.textOnly = true;
  return record;
}

/** Whether a record carries a score or an ISH measurement, not only a call. */
function hasMeasurement(record: Her2TestRecord): boolean {
  switch (record.method) {
    case "ihc":
      return record.score !== undefined;
    case "ish-dual":
      return (
        record.ratio !== undefined || record.her2PerCell !== undefined || record.cep17PerCell !== undefined
      );
    case "ish-single":
      return record.her2PerCell !== undefined;
    case "interpretation":
      return false;
    case "unreadable":
      return true; // not a result: never marked
  }
}

/**
 * Issue 17.5: `textOnly` stays only on a call with no score under a code identified by text alone; the status header
 * then says the status rests on the report's words. Rare (text-identified codes only), so `delete` costs nothing.
 */
function textOnlyCalls(records: Her2TestRecord[]): Her2TestRecord[] {
  for (const record of records) if (record.textOnly && hasMeasurement(record)) delete record.textOnly;
  return records;
}

/**
 * The common fields, then `fields`, in that order. Object.assign rather than an object spread: spreading objects of
 * varying shape takes a slow path in V8 (microseconds per record, the largest cost of the chart review's profile).
 */
function withBase<T extends object>(context: Context, fields: T): ReturnType<typeof base> & T {
  return Object.assign(base(context), fields);
}

/** `readAs` (the notes' English, joined by "; ") and, when there are notes, `readAsText` beside it. */
function readAsOf(notes: readonly TextValue[]): { readAs: string; readAsText?: Text } {
  if (notes.length === 0) return { readAs: "" };
  const readAsText = joinedText(notes);
  return {
    readAs: joinedEnglish(notes),
    readAsText: typeof readAsText === "object" ? readAsText : undefined,
  };
}

/** Sets `readAs` and `readAsText` (when there is one). */
function withReadAs<T extends Her2TestRecord>(record: T, readAs: { readAs: string; readAsText?: Text }): T {
  record.readAs = readAs.readAs;
  if (readAs.readAsText) record.readAsText = readAs.readAsText;
  return record;
}

/** @param notes how the code and value were read, so chart review sees e.g. a code identified by text only */
function unreadable(
  context: Context,
  reason: Text,
  raw?: string,
  notes?: readonly TextValue[],
): UnreadableRecord {
  const record: UnreadableRecord = withBase(context, {
    method: "unreadable" as const,
    reason: en(reason),
    reasonText: reason,
  });
  if (raw) record.rawValue = raw;
  if (notes && notes.length > 0) withReadAs(record, readAsOf(notes));
  return record;
}

const NOTE_MERGED_BY_DAY = fhirText("fhir.note.merged-by-day");
const NOTE_RECOUNT = fhirText("fhir.note.recount");
const NOTE_CONCLUSION = fhirText("fhir.note.conclusion");
const NOTE_CONCLUSION_PART = fhirText("fhir.note.conclusion-part");
const ISH_EMPTY = fhirText("fhir.unreadable.ish-empty");
const SINGLE_PROBE_RATIO = fhirText("fhir.unreadable.single-probe-ratio");
const IHC_EMPTY = fhirText("fhir.unreadable.ihc-empty");
const INTERPRETATION_EMPTY = fhirText("fhir.unreadable.interpretation-empty");
const NOTHING_FOUND = fhirText("fhir.unreadable.nothing");
const CONCLUSION_UNCLEAR = fhirText("fhir.unreadable.conclusion-unclear");
const CONCLUSION_NO_PART = fhirText("fhir.unreadable.conclusion-no-part");
const EMPTY_REPORT = fhirText("fhir.unreadable.empty-report");

interface IshPiece {
  context: Context;
  reading: Her2Reading;
}

const ISH_FIELDS = ["ratio", "her2PerCell", "cep17PerCell", "cellsCounted"] as const;

function hasIshNumbers(reading: Her2Reading): boolean {
  return ISH_FIELDS.some((f) => reading[f] !== undefined);
}

/** Key prefix of pieces linked only by their day: no panel, report or specimen says they belong together. */
const DAY_ONLY = "day:";

/** True when a piece carries exactly one ISH measure (ratio, HER2/cell, CEP17/cell or cells counted). */
function isSingleMeasure(reading: Her2Reading): boolean {
  return ISH_FIELDS.filter((f) => reading[f] !== undefined).length === 1;
}

/**
 * Where a piece belongs for merging: its panel or report, else its specimen and day, else (a single measure without
 * specimen data, like a lone 49683-6 ratio and a lone 74860-8 count filed the same day) the day, else itself.
 */
function mergeKey(piece: IshPiece): string {
  const { context } = piece;
  if (context.group) return `group:${context.group}`;
  const day = context.date?.slice(0, 10);
  const specimen = context.specimen?.reference ?? context.specimen?.label;
  if (specimen && day) return `specimen:${specimen}@${day}`;
  if (!context.specimen && day && isSingleMeasure(piece.reading)) return `${DAY_ONLY}${day}`;
  return `self:${context.source}`;
}

function canMerge(allPieces: readonly IshPiece[]): boolean {
  if (allPieces.length < 2) return true; // one piece (the usual case): nothing to contradict
  const status = allPieces[0]?.context.status;
  const supersededBy = allPieces[0]?.context.supersededBy;
  if (allPieces.some((p) => p.context.status !== status || p.context.supersededBy !== supersededBy))
    return false;
  const pieces = allPieces.filter((p) => !p.reading.isRecount);
  if (allPieces.filter((p) => p.reading.isRecount && p.reading.ratio !== undefined).length > 1) return false;
  for (const field of ISH_FIELDS) {
    if (pieces.filter((p) => p.reading[field] !== undefined).length > 1) return false;
  }
  return pieces.filter((p) => p.reading.calls.ish !== undefined).length <= 1;
}

/** A second observer's recount: from recount components, or from whole Observations that are recounts. */
function recountOf(pieces: readonly IshPiece[]): { ratio?: number; her2PerCell?: number } | undefined {
  const recount: { ratio?: number; her2PerCell?: number } = {};
  for (const piece of pieces) {
    const values = piece.reading.isRecount ? piece.reading : piece.reading.recount;
    if (values?.ratio !== undefined) recount.ratio ??= values.ratio;
    if (values?.her2PerCell !== undefined) recount.her2PerCell ??= values.her2PerCell;
  }
  return recount.ratio === undefined && recount.her2PerCell === undefined ? undefined : recount;
}

function ishRecord(allPieces: readonly IshPiece[], mergedByDay = false): Her2TestRecord {
  // Whole-Observation recounts only contribute the recount, unless nothing else was counted.
  const counts = allPieces.filter((p) => !p.reading.isRecount);
  const pieces = counts.length > 0 ? counts : allPieces;
  const recount = counts.length > 0 ? recountOf(allPieces) : undefined;
  const main =
    pieces.find((p) => p.reading.ratio !== undefined) ??
    pieces.find((p) => hasIshNumbers(p.reading)) ??
    pieces[0];
  if (!main) throw new Error("ishRecord needs at least one piece");
  const context: Context = Object.assign({}, main.context);
  context.date ??= pieces.find((p) => p.context.date)?.context.date;
  context.specimen ??= pieces.find((p) => p.context.specimen)?.context.specimen;
  const value = (field: (typeof ISH_FIELDS)[number]): number | undefined => {
    for (const p of pieces) if (p.reading[field] !== undefined) return p.reading[field];
    return undefined;
  };
  const call = pieces.find((p) => p.reading.calls.ish !== undefined)?.reading.calls.ish;
  const single = allPieces.some((p) => p.reading.singleProbe);
  // Every piece's values and notes, in piece order (one loop rather than two flatMap calls, which showed in profiles).
  const rawParts: string[] = [];
  const notes: TextValue[] = [];
  for (const p of allPieces) {
    rawParts.push(...p.reading.raw);
    notes.push(...p.reading.notes);
  }
  const raw = rawParts.join("; ");
  if (allPieces.length > 1)
    notes.push(
      fhirText("fhir.note.combined", { sources: allPieces.map((p) => p.context.source).join(", ") }),
    );
  if (mergedByDay && allPieces.length > 1) notes.push(NOTE_MERGED_BY_DAY);
  if (recount) notes.push(NOTE_RECOUNT);
  const ratio = value("ratio");
  const her2PerCell = value("her2PerCell");
  // A bound belongs to the piece whose value is used (the first piece that has the measure).
  const boundOf = (field: "ratio" | "her2PerCell"): string | undefined =>
    pieces.find((p) => p.reading[field] !== undefined)?.reading.bounds?.[field];
  const bounds: Partial<Record<"ratio" | "her2PerCell", string>> = {};
  const ratioBound = boundOf("ratio");
  const her2Bound = boundOf("her2PerCell");
  if (ratioBound !== undefined) bounds.ratio = ratioBound;
  if (her2Bound !== undefined) bounds.her2PerCell = her2Bound;
  const cep17PerCell = value("cep17PerCell");
  const cellsCounted = value("cellsCounted");
  if (call === undefined && ratio === undefined && her2PerCell === undefined && cep17PerCell === undefined) {
    return unreadable(context, ISH_EMPTY, raw || undefined, notes);
  }
  if (single && (ratio !== undefined || cep17PerCell !== undefined || recount?.ratio !== undefined)) {
    return unreadable(context, SINGLE_PROBE_RATIO, raw || undefined, notes);
  }
  const common = withBase(context, readAsOf(notes));
  const withRaw = raw ? { rawValue: raw } : {};
  if (single) {
    const record: SingleIshRecord = Object.assign(common, withRaw, { method: "ish-single" as const });
    if (her2PerCell !== undefined) record.her2PerCell = her2PerCell;
    if (cellsCounted !== undefined) record.cellsCounted = cellsCounted;
    if (call) record.reported = call;
    if (recount?.her2PerCell !== undefined) record.recount = { her2PerCell: recount.her2PerCell };
    if (her2Bound !== undefined) record.bounds = { her2PerCell: her2Bound };
    return record;
  }
  const record: DualIshRecord = Object.assign(common, withRaw, { method: "ish-dual" as const });
  if (ratio !== undefined) record.ratio = ratio;
  if (her2PerCell !== undefined) record.her2PerCell = her2PerCell;
  if (cep17PerCell !== undefined) record.cep17PerCell = cep17PerCell;
  if (cellsCounted !== undefined) record.cellsCounted = cellsCounted;
  if (call) record.reported = call;
  if (recount) record.recount = recount;
  if (ratioBound !== undefined || her2Bound !== undefined) record.bounds = bounds;
  return record;
}

/**
 * Where a recount stored as its own Observation belongs (issue 12.5): with the count it derives from, else with the one
 * count on the same specimen. Wolff 2018 (groups 2-4 with IHC 2+) has a second observer recount the same slide: that
 * is the work-up of the first count, never a second, independent test, whatever day it was filed.
 */
function recountKeys(pieces: readonly IshPiece[]): Map<IshPiece, string> {
  const keys = new Map<IshPiece, string>();
  if (!pieces.some((p) => p.reading.isRecount)) return keys;
  const counts = pieces.filter((p) => !p.reading.isRecount && hasIshNumbers(p.reading));
  const keyOfSource = new Map(counts.map((p) => [p.context.source, mergeKey(p)]));
  const specimenOf = (p: IshPiece): string | undefined =>
    p.context.specimen?.reference ?? p.context.specimen?.label;
  for (const piece of pieces) {
    if (!piece.reading.isRecount) continue;
    const derived = (piece.context.derivedFrom ?? []).map((r) => keyOfSource.get(r)).find(Boolean);
    if (derived !== undefined) {
      keys.set(piece, derived);
      continue;
    }
    const specimen = specimenOf(piece);
    if (specimen === undefined) continue;
    const sameSpecimen = new Set(counts.filter((c) => specimenOf(c) === specimen).map((c) => mergeKey(c)));
    const [only] = sameSpecimen;
    if (sameSpecimen.size === 1 && only !== undefined) keys.set(piece, only);
  }
  return keys;
}

function mergeIshPieces(pieces: readonly IshPiece[]): Her2TestRecord[] {
  const groups = new Map<string, IshPiece[]>();
  const ordered = [...pieces].sort((a, b) => a.context.source.localeCompare(b.context.source));
  const recounts = recountKeys(ordered);
  for (const piece of ordered) {
    const key = recounts.get(piece) ?? mergeKey(piece);
    const group = groups.get(key);
    if (group) group.push(piece);
    else groups.set(key, [piece]);
  }
  const records: Her2TestRecord[] = [];
  for (const [key, group] of groups) {
    // Two values of one measure (or two statuses, or two calls) are a conflict: each piece stays its own record.
    if (canMerge(group)) records.push(ishRecord(group, key.startsWith(DAY_ONLY)));
    else records.push(...group.map((p) => ishRecord([p])));
  }
  return records;
}

/** Turns one reading into records: IHC, ISH piece(s), interpretation, or unreadable. */
function recordsOfReading(context: Context, reading: Her2Reading, ishPieces: IshPiece[]): Her2TestRecord[] {
  const raw = reading.raw.join("; ") || undefined;
  const notes = reading.notes;
  const notYetFinal = context.status === "registered" || context.status === "preliminary";
  if (notYetFinal && (!reading.hasContent || reading.problems.length > 0)) {
    // Ordered, no result yet, or a preliminary text ("ISH in progress"): a record of the test's method without values,
    // which the rules treat as pending (never used, never a reason for a reflex flag while it is outstanding).
    const pending =
      reading.problems.length > 0
        ? fhirText("fhir.pending.text", { status: context.status, problems: joinedText(reading.problems) })
        : fhirText("fhir.pending.none", { status: context.status });
    const method: "ihc" | "ish-dual" | "interpretation" =
      slotOf(reading.concept) === "ihc"
        ? "ihc"
        : slotOf(reading.concept) === "ish"
          ? "ish-dual"
          : "interpretation";
    const record: Her2TestRecord = withBase(context, { method, readAs: en(pending), readAsText: pending });
    if (raw) record.rawValue = raw;
    return [record];
  }
  if (reading.problems.length > 0)
    return [unreadable(context, joinedText(reading.problems) as Text, raw, notes)];
  // Copied only when the unspecified call moves to its slot; otherwise read as it is.
  let calls = reading.calls;
  const unspecified = calls.unspecified;
  if (unspecified !== undefined) {
    calls = Object.assign({}, calls);
    // A call on a code that does not name its method: the method text decides, else it is an overall interpretation.
    const slot =
      reading.methodHint ?? (reading.score ? "ihc" : hasIshNumbers(reading) ? "ish" : "interpretation");
    const current = calls[slot];
    if (current !== undefined && current !== unspecified) {
      const conflict = fhirText("fhir.unreadable.calls", { first: current, second: unspecified });
      return [unreadable(context, conflict, raw, notes)];
    }
    calls[slot] = unspecified;
    delete calls.unspecified;
  }
  const records: Her2TestRecord[] = [];
  const wantsIhc =
    reading.score !== undefined ||
    calls.ihc !== undefined ||
    (reading.concept === "ihc" && !hasIshNumbers(reading));
  if (wantsIhc) {
    const record: IhcRecord = withReadAs(withBase(context, { method: "ihc" as const }), readAsOf(notes));
    if (raw) record.rawValue = raw;
    if (reading.score) record.score = reading.score;
    if (reading.zeroDetail) record.zeroDetail = reading.zeroDetail;
    if (calls.ihc) record.reported = calls.ihc;
    if (!record.score && !record.reported) records.push(unreadable(context, IHC_EMPTY, raw, notes));
    else records.push(record);
  }
  const ishMeasured =
    reading.ratio !== undefined || reading.her2PerCell !== undefined || reading.cep17PerCell !== undefined;
  if (ishMeasured || calls.ish !== undefined || (reading.concept.startsWith("ish") && !wantsIhc)) {
    ishPieces.push({ context, reading: Object.assign({}, reading, { calls: { ish: calls.ish } }) });
  }
  if (calls.interpretation !== undefined) {
    const record: InterpretationRecord = withReadAs(
      withBase(context, { method: "interpretation" as const, reported: calls.interpretation }),
      readAsOf(notes),
    );
    if (raw) record.rawValue = raw;
    records.push(record);
  } else if (reading.concept === "interpretation" && records.length === 0 && !hasIshNumbers(reading)) {
    records.push(unreadable(context, INTERPRETATION_EMPTY, raw, notes));
  }
  if (records.length === 0 && ishPieces.every((p) => p.context.source !== context.source)) {
    records.push(unreadable(context, NOTHING_FOUND, raw, notes));
  }
  return records;
}

/** A report conclusion that names HER2, read only when the report has no HER2 result Observations of its own. */
function recordsOfConclusion(
  report: DiagnosticReport,
  context: Context,
  ishPieces: IshPiece[],
): Her2TestRecord[] {
  const text = [report.conclusion, ...(report.conclusionCode ?? []).map((c) => conceptText(c))]
    .filter(Boolean)
    .join("; ");
  if (!/\bher-?2\b|\berbb-?2\b/i.test(text)) return [];
  const split = her2PartsOf(text);
  if (split === undefined) return recordsOfConclusionText(text, context, ishPieces);
  const records = split.parts.flatMap((part) =>
    recordsOfConclusionText(part, context, ishPieces, NOTE_CONCLUSION_PART),
  );
  if (split.unplaced.length > 0 || split.parts.length === 0) {
    const why =
      split.unplaced.length > 0
        ? fhirText("fhir.unreadable.conclusion-unplaced", { text: split.unplaced.join("; ") })
        : CONCLUSION_NO_PART;
    records.push(unreadable(context, why, text));
  }
  return records;
}

/** Where a marker's part of a report conclusion starts: HER2, or another breast biomarker (ER, PR, Ki-67, AR, PD-L1). */
const MARKER_LABEL =
  /\b(?:her-?2(?:\/neu)?|erbb-?2|c-?erbb-?2)\b|\b(?:o?estrogen|progesterone|androgen) receptors?\b|\bki-?67\b|\bmib-?1\b|\bpd-?l1\b|\b(?:ER|PR|PgR|AR)\b/gi;
const HER2_LABEL = /^(?:her-?2|erbb-?2|c-?erbb-?2)/i;
/** The short marker names are capitals in reports; "er" or "pr" inside a word or in lower case is not a marker. */
const SHORT_MARKER = /^(?:ER|PR|PgR|AR)$/;

/**
 * The HER2 parts of a conclusion that also covers ER, PR or Ki-67, or gives HER2 IHC and ISH in one text (issue 12.5):
 * the text is cut where each marker's name starts, the HER2 pieces are kept (a piece naming no method, such as "HER2/
 * CEP17 ratio 1.4" after "HER2 FISH: not amplified", belongs to the HER2 piece before it), and they are joined per
 * method. ER, PR and Ki-67 percentages are never read as HER2 numbers. Undefined when the text is HER2 only and names
 * at most one method (read whole, as before).
 */
function her2PartsOf(text: string): { parts: string[]; unplaced: string[] } | undefined {
  const starts: { at: number; her2: boolean }[] = [];
  MARKER_LABEL.lastIndex = 0;
  for (let m = MARKER_LABEL.exec(text); m !== null; m = MARKER_LABEL.exec(text)) {
    const label = m[0];
    if (label.length <= 3 && !SHORT_MARKER.test(label) && !HER2_LABEL.test(label)) continue;
    starts.push({ at: m.index, her2: HER2_LABEL.test(label) });
  }
  MARKER_LABEL.lastIndex = 0;
  const others = starts.some((s) => !s.her2);
  const ihc = /\b(?:ihc|immunohisto\w*|immunostain\w*)\b/i.test(text);
  const ish = /\b(?:fish|ish|cish|sish|dish|in situ|hybridi[sz]ation)\b/i.test(text);
  if (!others && !(ihc && ish)) return undefined;
  const byMethod: Record<"ihc" | "ish", string[]> = { ihc: [], ish: [] };
  const unplaced: string[] = [];
  let last: "ihc" | "ish" | undefined;
  starts.forEach((start, i) => {
    const piece = text
      .slice(start.at, starts[i + 1]?.at ?? text.length)
      .trim()
      .replace(/[;,.\s]+$/, "");
    if (!start.her2) {
      last = undefined;
      return;
    }
    const method =
      methodInText(piece) ??
      (/\bratio\b|cep\s*17|signals?|cop(?:y|ies)|amplif/i.test(piece) ? "ish" : undefined) ??
      last;
    if (method === undefined) {
      unplaced.push(piece);
      return;
    }
    byMethod[method].push(piece);
    last = method;
  });
  const parts = [byMethod.ihc, byMethod.ish].filter((p) => p.length > 0).map((p) => p.join("; "));
  return { parts, unplaced };
}

function recordsOfConclusionText(
  text: string,
  context: Context,
  ishPieces: IshPiece[],
  note: Text = NOTE_CONCLUSION,
): Her2TestRecord[] {
  const method = methodInText(text);
  const call = parseCall(text);
  const score = parseIhcScore(text);
  const numbers = parseIshNumbers(text);
  const problems = [call.ambiguous, score.ambiguous, ...numbers.problems].filter(
    (p): p is Text => p !== undefined,
  );
  const hasNumbers = ISH_FIELDS.some((f) => numbers[f] !== undefined);
  if (
    problems.length > 0 ||
    !method ||
    (method === "ihc" && hasNumbers) ||
    (method === "ish" && score.score)
  ) {
    const why = problems.length > 0 ? joinedText(problems) : CONCLUSION_UNCLEAR;
    return [unreadable(context, fhirText("fhir.unreadable.conclusion", { why }), text)];
  }
  const reading: Her2Reading = {
    concept: method,
    calls: call.call ? { [method]: call.call } : {},
    problems: [],
    notes: [note],
    raw: [text],
    hasContent: true,
    singleProbe: saysSingleProbe(text),
    ...(method === "ihc" ? { score: score.score, zeroDetail: score.zeroDetail } : {}),
    ...(method === "ish"
      ? {
          ratio: numbers.ratio,
          her2PerCell: numbers.her2PerCell,
          cep17PerCell: numbers.cep17PerCell,
          cellsCounted: numbers.cellsCounted,
        }
      : {}),
  };
  return recordsOfReading(context, reading, ishPieces);
}

/** An Observation's value in words, for the evidence list ("15.2 ng/mL", "p.Leu755Ser"). */
function valueInWords(observation: Observation): string | undefined {
  const q = observation.valueQuantity;
  if (q?.value !== undefined)
    return [q.comparator, String(q.value), q.unit ?? q.code].filter(Boolean).join(" ");
  return observation.valueString ?? conceptText(observation.valueCodeableConcept);
}

/** Shared empty map for the usual patient without HER2 panels (never modified). */
const NO_PANELS: ReadonlyMap<string, Observation> = new Map();

/** The HER2 panel each member reference belongs to (the map is made only when there is a panel member). */
function panelsByMember(
  observations: readonly Observation[],
  isHer2: (o: Observation) => boolean,
): ReadonlyMap<string, Observation> {
  let panelOf: Map<string, Observation> | undefined;
  for (const panel of observations) {
    if (!isHer2(panel)) continue;
    for (const member of panel.hasMember ?? []) {
      const ref = normaliseReference(member);
      if (ref) (panelOf ??= new Map()).set(ref, panel);
    }
  }
  return panelOf ?? NO_PANELS;
}

/** A report or panel status that withdraws what it lists (FHIR R4: entered-in-error "should not have existed"). */
const WITHDRAWN: ReadonlySet<string> = new Set(["entered-in-error", "cancelled"]);

interface Withdrawal {
  container: ResourceRef;
  status: "entered-in-error" | "cancelled";
}

function withdrawal(resource: Observation | DiagnosticReport): Withdrawal | undefined {
  const status = resource.status;
  return status === "entered-in-error" || status === "cancelled"
    ? { container: refOf(resource), status }
    : undefined;
}

/**
 * A Specimen entered in error (e.g. tissue labelled for the wrong patient): what was measured on it is withdrawn too.
 * Only that status: "unavailable" (used up) or "unsatisfactory" does not undo a reported result.
 */
function specimenWithdrawal(
  reference: Reference | undefined,
  index: ResourceIndex,
  owner: { contained?: Resource[] } | undefined,
): Withdrawal | undefined {
  const specimen = resolveReference<Specimen>(reference, "Specimen", index, owner);
  return specimen?.status === "entered-in-error"
    ? { container: normaliseReference(reference) ?? refOf(specimen), status: "entered-in-error" }
    : undefined;
}

/**
 * The results whose every report was withdrawn (entered in error, cancelled), or whose HER2 panel was: EHRs often
 * withdraw the report without re-sending each result, which then still says "final". A result that a standing report
 * also lists is not withdrawn.
 */
function withdrawnResults(
  reports: readonly DiagnosticReport[],
  panelOf: ReadonlyMap<string, Observation>,
): ReadonlyMap<string, Withdrawal> {
  const withdrawn = new Map<string, Withdrawal>();
  const standing = new Set<string>();
  for (const report of reports) {
    const by = WITHDRAWN.has(report.status) ? withdrawal(report) : undefined;
    for (const result of report.result ?? []) {
      const ref = normaliseReference(result);
      if (!ref) continue;
      if (!by) standing.add(ref);
      else if (!withdrawn.has(ref)) withdrawn.set(ref, by);
    }
  }
  for (const ref of standing) withdrawn.delete(ref);
  for (const [ref, panel] of panelOf) {
    const by = withdrawal(panel);
    if (by && !withdrawn.has(ref)) withdrawn.set(ref, by);
  }
  return withdrawn;
}

/**
 * Builds the HER2 test records of one patient.
 * @param resources every resource loaded for the patient
 * @param index the same resources by `Type/id`
 */
export function buildHer2Records(
  resources: readonly Resource[],
  index: ResourceIndex,
  codeMap: CodeMap,
): Her2TestRecord[] {
  const observations: Observation[] = [];
  const reports: DiagnosticReport[] = [];
  for (const r of resources) {
    if (isResourceType<Observation>(r, "Observation")) observations.push(r);
    else if (isResourceType<DiagnosticReport>(r, "DiagnosticReport")) reports.push(r);
  }
  const classes = new Map<Observation, CodeClass | undefined>();
  for (const o of observations) classes.set(o, classifyHer2Code(o.code, codeMap));
  const isHer2 = (o: Observation): boolean => {
    const c = classes.get(o);
    return c !== undefined && !("excluded" in c);
  };

  const panelOf = panelsByMember(observations, isHer2);
  const reportOf = new Map<string, DiagnosticReport>();
  for (const report of reports) {
    for (const result of report.result ?? []) {
      const ref = normaliseReference(result);
      if (ref) reportOf.set(ref, report);
    }
  }

  const superseded = supersededResults(observations, reports);
  const withdrawn = withdrawnResults(reports, panelOf);
  const contextOf = (observation: Observation, ref: ResourceRef): Context => {
    const panel = panelOf.get(ref);
    const report = reportOf.get(ref) ?? (panel ? reportOf.get(refOf(panel)) : undefined);
    // A result of a withdrawn report, panel or specimen takes its status: never used, whatever it says itself.
    const withdrawnBy =
      withdrawn.get(ref) ??
      (observation.specimen
        ? specimenWithdrawal(observation.specimen, index, observation)
        : panel?.specimen
          ? specimenWithdrawal(panel.specimen, index, panel)
          : specimenWithdrawal(report?.specimen?.[0], index, report));
    const context: Context = { source: ref, status: withdrawnBy?.status ?? toStatus(observation.status) };
    if (withdrawnBy) context.withdrawnBy = withdrawnBy;
    // Only the result named as replaced: an amended panel or report often lists the same members again.
    const supersededBy = superseded.get(ref);
    if (supersededBy) context.supersededBy = supersededBy;
    const date =
      effectiveDate(observation) ?? (panel && effectiveDate(panel)) ?? (report && effectiveDate(report));
    if (date) context.date = date;
    const specimen =
      specimenInfo(observation.specimen, index, observation) ??
      (panel && specimenInfo(panel.specimen, index, panel)) ??
      (report && specimenInfo(report.specimen?.[0], index, report));
    const withSite = withInSitu(
      withBodySite(specimen, observation.bodySite),
      isInSituOnlyTissue(index, observation, panel, report),
    );
    if (withSite) context.specimen = withSite;
    const group = panel ? refOf(panel) : report ? refOf(report) : undefined;
    if (group) context.group = group;
    if (observation.derivedFrom !== undefined && observation.derivedFrom.length > 0) {
      const derivedFrom = observation.derivedFrom
        .map((r) => normaliseReference(r))
        .filter((r): r is string => r !== undefined);
      if (derivedFrom.length > 0) context.derivedFrom = derivedFrom;
    }
    return context;
  };

  const records: Her2TestRecord[] = [];
  const ishPieces: IshPiece[] = [];
  /** Placeholder-only Observations whose result is read from elsewhere. */
  const placeholders = new Set<string>();
  for (const observation of observations) {
    const ref = refOf(observation);
    let cls = classes.get(observation);
    if (cls === undefined) {
      const panel = panelOf.get(ref);
      if (panel)
        cls = { concept: "unspecified", via: fhirText("fhir.via.panel-member", { panel: refOf(panel) }) };
    }
    const notTissue = notTissueHer2Reason(observation, cls);
    if (notTissue !== undefined) {
      // Listed with its reason and never used (issue 12.5): the clinician sees why this "HER2" is not the status.
      const context = contextOf(observation, ref);
      const record = unreadable(context, notTissue, valueInWords(observation));
      record.notTissueHer2 = record.reason;
      records.push(record);
      continue;
    }
    if (cls === undefined || "excluded" in cls) continue;
    const context = contextOf(observation, ref);
    if (cls.byText) context.codeByText = true;
    const reading = readHer2Observation(observation, cls.concept, codeMap);
    reading.notes.unshift(fhirText("fhir.note.code", { via: cls.via }));
    const withdrawnBy = context.withdrawnBy;
    if (withdrawnBy) reading.notes.push(fhirText("fhir.note.withdrawn", { ...withdrawnBy }));
    if (cls.conflict) reading.problems.unshift(cls.conflict);
    const members = observation.hasMember ?? [];
    if (cls.concept === "panel" || (members.length > 0 && !reading.hasContent)) {
      for (const member of members) {
        const ref = normaliseReference(member);
        if (ref && !index.has(ref)) {
          records.push(unreadable(context, fhirText("fhir.unreadable.member-missing", { ref })));
        }
      }
      if (!reading.hasContent) continue;
    }
    if (reading.placeholder !== undefined && !reading.hasContent) {
      // "See comment" with no note: the result is in the Observation it derives from (read on its own) or in the
      // report's conclusion (read below, as if this placeholder were not a result).
      const derived = (observation.derivedFrom ?? []).some((reference) => {
        const found = index.get(normaliseReference(reference) ?? "");
        return found !== undefined && isResourceType<Observation>(found, "Observation") && isHer2(found);
      });
      const report = reportOf.get(ref);
      if (derived || report?.conclusion || report?.conclusionCode?.length) {
        placeholders.add(ref);
        continue;
      }
      records.push(
        unreadable(
          context,
          fhirText("fhir.unreadable.placeholder", { text: reading.placeholder }),
          reading.placeholder,
          reading.notes,
        ),
      );
      continue;
    }
    records.push(...recordsOfReading(context, reading, ishPieces));
  }

  for (const report of reports) {
    const hasHer2Result = (report.result ?? []).some((r) => {
      const ref = normaliseReference(r);
      const found = ref && !placeholders.has(ref) ? index.get(ref) : undefined;
      return found !== undefined && isResourceType<Observation>(found, "Observation") && isHer2(found);
    });
    if (hasHer2Result) continue;
    const onWithdrawn = specimenWithdrawal(report.specimen?.[0], index, report);
    const context: Context = {
      source: refOf(report),
      status: onWithdrawn?.status ?? toStatus(report.status),
    };
    const supersededBy = superseded.get(context.source);
    if (supersededBy) context.supersededBy = supersededBy;
    const date = effectiveDate(report);
    if (date) context.date = date;
    const specimen = withInSitu(
      specimenInfo(report.specimen?.[0], index, report),
      isInSituOnlyTissue(index, undefined, undefined, report),
    );
    if (specimen) context.specimen = specimen;
    const codeNamesHer2 = allConceptText(report.code).some((t) => /\bher-?2\b|\berbb-?2\b/i.test(t));
    if (!report.conclusion && !report.conclusionCode?.length) {
      if (codeNamesHer2 && (report.result ?? []).length === 0) {
        records.push(unreadable(context, EMPTY_REPORT));
      }
      continue;
    }
    records.push(...recordsOfConclusion(report, context, ishPieces));
  }

  if (ishPieces.length > 0) records.push(...mergeIshPieces(ishPieces));
  return textOnlyCalls(records).sort(
    (a, b) => a.source.localeCompare(b.source) || JSON.stringify(a).localeCompare(JSON.stringify(b)),
  );
}
