/**
 * In situ hybridisation. Dual-probe: the five groups of ASCO/CAP 2018 (Fig. 3) with the concomitant-IHC work-up of
 * groups 2-4 (Figs. 4-6, Clinical Questions 3-5). Single-probe: the copy-number bands of Fig. 2. Thresholds are
 * inclusive exactly as the guideline writes them: ratio ≥2.0, ≥4.0 and ≥6.0 HER2 signals per cell.
 */
import { asCall, type Call, formatNumber, measured, type Need, type Outcome, TextOutcome } from "./calls";
import { callText, readingOf, type ReadingText, sharedReading } from "./ihc";
import { type MessageId, sharedText, type Text, text, type TextValue } from "./text";
import type { DualIshRecord, SingleIshRecord } from "./types";

export type IshGroup = 1 | 2 | 3 | 4 | 5;

/** What the concomitant IHC on the same tissue turns a group 2-4 result into (2018 Figs. 4-6). */
export interface GroupWorkup {
  ihc3: Call;
  ihc01: Call;
  /** IHC 2+: a blinded second observer recounts at least 20 cells; if the recount stays in the group: */
  ihc2RecountSameGroup: Call;
}

export interface DualGroupRow {
  group: IshGroup;
  ratio: string;
  copies: string;
  matches: (ratio: number, her2PerCell: number) => boolean;
  /** The ISH result alone: final for groups 1 and 5, "work-up" for 2-4. */
  result: "positive" | "negative" | "work-up";
  workup?: GroupWorkup;
  source: string;
}

/** ASCO/CAP 2018 dual-probe ISH groups, Fig. 3, with the work-up of Figs. 4-6. */
export const DUAL_PROBE_GROUPS: readonly DualGroupRow[] = [
  {
    group: 1,
    ratio: "≥2.0",
    copies: "≥4.0",
    matches: (r, c) => r >= 2.0 && c >= 4.0,
    result: "positive",
    source: "Wolff 2018, Fig. 3 (group 1)",
  },
  {
    group: 2,
    ratio: "≥2.0",
    copies: "<4.0",
    matches: (r, c) => r >= 2.0 && c < 4.0,
    result: "work-up",
    workup: { ihc3: "positive", ihc01: "negative", ihc2RecountSameGroup: "negative" },
    source: "Wolff 2018, Fig. 4 (Clinical Question 3, group 2)",
  },
  {
    group: 3,
    ratio: "<2.0",
    copies: "≥6.0",
    matches: (r, c) => r < 2.0 && c >= 6.0,
    result: "work-up",
    workup: { ihc3: "positive", ihc01: "negative", ihc2RecountSameGroup: "positive" },
    source: "Wolff 2018, Fig. 5 (Clinical Question 4, group 3)",
  },
  {
    group: 4,
    ratio: "<2.0",
    copies: "≥4.0 and <6.0",
    matches: (r, c) => r < 2.0 && c >= 4.0 && c < 6.0,
    result: "work-up",
    workup: { ihc3: "positive", ihc01: "negative", ihc2RecountSameGroup: "negative" },
    source: "Wolff 2018, Fig. 6 (Clinical Question 5, group 4)",
  },
  {
    group: 5,
    ratio: "<2.0",
    copies: "<4.0",
    matches: (r, c) => r < 2.0 && c < 4.0,
    result: "negative",
    source: "Wolff 2018, Fig. 3 (group 5)",
  },
];

export interface SingleProbeRow {
  copies: string;
  matches: (her2PerCell: number) => boolean;
  /** "work-up": concurrent IHC 3+ -> positive, IHC 0/1+ -> negative, IHC 2+ -> dual-probe ISH (2018 Fig. 2). */
  result: "positive" | "negative" | "work-up";
  source: string;
}

/** ASCO/CAP 2018 single-probe ISH, Fig. 2. */
export const SINGLE_PROBE_TABLE: readonly SingleProbeRow[] = [
  { copies: "≥6.0", matches: (c) => c >= 6.0, result: "positive", source: "Wolff 2018, Fig. 2" },
  {
    copies: "≥4.0 and <6.0",
    matches: (c) => c >= 4.0 && c < 6.0,
    result: "work-up",
    source: "Wolff 2018, Fig. 2 (concurrent IHC, or dual-probe ISH for IHC 2+)",
  },
  { copies: "<4.0", matches: (c) => c < 4.0, result: "negative", source: "Wolff 2018, Fig. 2" },
];

/** ASCO/CAP: at least 20 cells are counted (by each observer for a recount). */
export const MIN_CELLS_COUNTED = 20;

/** The dual-probe group row for a ratio and an average HER2 copy number, or undefined when either is unusable. */
export function dualGroupOf(ratio: unknown, her2PerCell: unknown): DualGroupRow | undefined {
  const r = measured(ratio);
  const c = measured(her2PerCell);
  if (r === undefined || c === undefined) return undefined;
  return DUAL_PROBE_GROUPS.find((row) => row.matches(r, c));
}

/** A table's band as words: "≥4.0 and <6.0" as a message, a single bound ("≥2.0") as it is. */
function bandWords(band: string): TextValue {
  const [low, high] = band.split(" and ");
  return low !== undefined && high !== undefined ? text("reading.band", { low, high }) : band;
}

function groupMessage(row: DualGroupRow): Text {
  return text("reading.dual.group", { group: row.group, ratio: row.ratio, copies: bandWords(row.copies) });
}

/** Each group's description, written once: every dual-probe reading with numbers starts with it. */
const GROUP_TEXTS: ReadonlyMap<DualGroupRow, Text> = new Map(
  DUAL_PROBE_GROUPS.map((row) => [row, sharedText(groupMessage(row))]),
);
const GROUP_READINGS: ReadonlyMap<DualGroupRow, ReadingText> = new Map(
  DUAL_PROBE_GROUPS.map((row) => [row, sharedReading(groupMessage(row))]),
);

export interface DualReading {
  row?: DualGroupRow;
  /** The blinded second observer's group, "invalid" when a recount was recorded without usable numbers. */
  recount?: DualGroupRow | "invalid";
  reportedCall?: Call;
  /** True when the laboratory's call contradicts a group that is final on its own (group 1 or 5). */
  mismatch: boolean;
  /** Why the numbers give no group (missing or unusable components). */
  missing?: string;
  /** `missing` as a message. */
  missingText?: TextValue;
  text: string;
  message: TextValue;
}

const MISSING_RATIO = sharedReading(text("reading.missing.ratio"));
const MISSING_COPIES = sharedReading(text("reading.missing.copies"));
const MISSING_BOTH = sharedReading(text("reading.missing.both"));

function missingDualComponents(record: DualIshRecord): ReadingText | string {
  const ratio = measured(record.ratio) === undefined;
  const copies = measured(record.her2PerCell) === undefined;
  if (ratio && copies) return MISSING_BOTH;
  if (ratio) return MISSING_RATIO;
  if (copies) return MISSING_COPIES;
  // Not reached (both numbers give a group): the old wording, kept as it was.
  return " missing or not a valid number";
}

/** A reading from a message or, for a plain string, the string itself. */
function plainOr(value: ReadingText | string): { text: string; message: TextValue } {
  return typeof value === "string" ? { text: value, message: value } : value;
}

function readRecount(record: DualIshRecord): DualReading["recount"] {
  if (record.recount === undefined) return undefined;
  return dualGroupOf(record.recount.ratio, record.recount.her2PerCell) ?? "invalid";
}

/** The number of cells counted, as written, when fewer than the guideline's 20. */
function lowCells(cellsCounted: unknown): string | undefined {
  const cells = measured(cellsCounted);
  return cells !== undefined && cells < MIN_CELLS_COUNTED ? String(cells) : undefined;
}

/** Reads one dual-probe ISH record into its group (and recount group), keeping the laboratory's call beside it. */
export function readDualIsh(record: DualIshRecord): DualReading {
  const row = dualGroupOf(record.ratio, record.her2PerCell);
  const reportedCall = asCall(record.reported);
  const recount = readRecount(record);
  if (!row) {
    const missing = plainOr(missingDualComponents(record));
    const message = reportedCall
      ? text("reading.dual.reported-missing", { call: callText(reportedCall), missing: missing.message })
      : text("reading.dual.missing", { missing: missing.message });
    const reading = readingOf(message);
    return {
      reportedCall,
      recount,
      mismatch: false,
      missing: missing.text,
      missingText: missing.message,
      ...reading,
    };
  }
  const mismatch = reportedCall !== undefined && row.result !== "work-up" && reportedCall !== row.result;
  const reading = dualReadingText(row, recount, record.cellsCounted, mismatch, reportedCall);
  return { row, recount, reportedCall, mismatch, text: reading.text, message: reading.message };
}

/**
 * Dual-probe readings without a low-cell note, written once per group, recount group and laboratory call: the same
 * few recur for every patient, and rendering them is most of a reading's cost.
 */
const DUAL_READINGS = new Map<string, ReadingText>();

function dualReadingText(
  row: DualGroupRow,
  recount: DualReading["recount"],
  cellsCounted: unknown,
  mismatch: boolean,
  reportedCall: Call | undefined,
): ReadingText {
  const low = lowCells(cellsCounted);
  if (recount === undefined && low === undefined && reportedCall === undefined) {
    const plain = GROUP_READINGS.get(row);
    if (plain) return plain;
  }
  const key =
    low === undefined
      ? `${String(row.group)}|${recountKey(recount)}|${String(mismatch)}|${String(reportedCall)}`
      : undefined;
  const cached = key === undefined ? undefined : DUAL_READINGS.get(key);
  if (cached) return cached;
  let message: Text = GROUP_TEXTS.get(row) ?? groupMessage(row);
  if (recount !== undefined) {
    message =
      recount === "invalid"
        ? text("reading.recount-invalid", { reading: message })
        : text("reading.recount-group", { reading: message, group: recount.group });
  }
  if (low !== undefined) message = text("reading.low-cells", { reading: message, cells: low });
  if (mismatch && reportedCall) {
    message = text("reading.contradicts-group", { reading: message, call: callText(reportedCall) });
  } else if (reportedCall === "equivocal") message = text("reading.equivocal-2013", { reading: message });
  // A reading kept in DUAL_READINGS is shared: its English is kept with it.
  const reading = key === undefined ? readingOf(message) : sharedReading(message);
  if (key !== undefined) DUAL_READINGS.set(key, reading);
  return reading;
}

function recountKey(recount: DualReading["recount"]): string {
  return recount === undefined ? "" : recount === "invalid" ? "invalid" : String(recount.group);
}

/**
 * Resolves a dual-probe group with the concomitant IHC call on the same tissue (2018 Figs. 3-6). `ihc` is the IHC
 * call (positive = 3+, negative = 0/1+, equivocal = 2+), undefined when there is no usable IHC.
 *
 * The reasons are messages (issue 15.3). The table is finite (row × IHC call × recount group), so every outcome is
 * made once, when the module loads, and shared (outcomes are never changed): no allocation per call, and each
 * outcome's English is rendered once, when first read.
 */
export function resolveDualGroup(
  row: DualGroupRow,
  recount: DualReading["recount"],
  ihc: Call | undefined,
): Outcome {
  const outcomes = DUAL_OUTCOMES[row.group - 1];
  // A row outside the table (a test's own) is resolved as the table's would be, without sharing.
  const made = outcomes?.row === row ? outcomes : dualOutcomes(row);
  if (!made.workup || ihc === undefined || ihc === "indeterminate") return made.alone;
  if (ihc === "positive") return made.workup.ihc3;
  if (ihc === "negative") return made.workup.ihc01;
  if (recount === undefined || recount === "invalid") return made.workup.needsRecount;
  return made.workup.recount[recount.group - 1] ?? made.workup.needsRecount;
}

/** A row's outcomes: alone (no usable IHC), and for groups 2-4 with each IHC call and each recount group. */
interface DualOutcomes {
  row: DualGroupRow;
  alone: Outcome;
  workup?: {
    ihc3: Outcome;
    ihc01: Outcome;
    needsRecount: Outcome;
    /** By the recount's group (1-5). */
    recount: readonly Outcome[];
  };
}

function dualOutcomes(row: DualGroupRow): DualOutcomes {
  const group = row.group;
  if (row.result !== "work-up" || !row.workup) {
    // Not reached for the table's rows (groups 1 and 5 are final): "work-up" without a work-up stays equivocal.
    const result: TextValue = row.result === "work-up" ? row.result : callText(row.result);
    const call: Call = row.result === "work-up" ? "equivocal" : row.result;
    return { row, alone: tableOutcome(call, "reason.group.result", { group, result }) };
  }
  const workup = row.workup;
  const same = workup.ihc2RecountSameGroup;
  return {
    row,
    alone: tableOutcome("equivocal", "reason.group.needs-ihc", { group }, "ihc-workup"),
    workup: {
      ihc3: tableOutcome(workup.ihc3, "reason.group.ihc3", { group, call: callText(workup.ihc3) }),
      ihc01: tableOutcome(workup.ihc01, "reason.group.ihc01", { group, call: callText(workup.ihc01) }),
      needsRecount: tableOutcome("equivocal", "reason.group.needs-recount", { group }, "recount"),
      // 2018 Figs. 4-6: a recount that changes the category is "adjudicated per internal procedures": only the
      // laboratory's final interpretation can settle it, so the data alone is not conclusive.
      recount: DUAL_PROBE_GROUPS.map((other) =>
        other.group === group
          ? tableOutcome(same, "reason.group.recount-same", { group, call: callText(same) })
          : tableOutcome(
              "equivocal",
              "reason.group.recount-changed",
              { group, recount: other.group },
              "recount-adjudication",
            ),
      ),
    },
  };
}

/** An outcome of the ISH tables: made once and shared, its reason a message whose English is kept (`sharedText`). */
function tableOutcome(
  call: Call,
  id: MessageId,
  values: Readonly<Record<string, TextValue>>,
  need?: Need,
): Outcome {
  return new TextOutcome(call, sharedText(text(id, values)), need);
}

/** The outcomes of each dual-probe group, by group (1-5). */
const DUAL_OUTCOMES: readonly DualOutcomes[] = DUAL_PROBE_GROUPS.map(dualOutcomes);

export function singleRowOf(her2PerCell: unknown): SingleProbeRow | undefined {
  const c = measured(her2PerCell);
  return c === undefined ? undefined : SINGLE_PROBE_TABLE.find((row) => row.matches(c));
}

export interface SingleReading {
  row?: SingleProbeRow;
  reportedCall?: Call;
  mismatch: boolean;
  missing?: string;
  /** `missing` as a message. */
  missingText?: TextValue;
  text: string;
  message: TextValue;
}

function bandMessage(row: SingleProbeRow): Text {
  const band = row.result === "work-up" ? "equivocal" : row.result;
  return text("reading.single.band", { copies: bandWords(row.copies), call: callText(band) });
}

/** Each band's description, written once: every single-probe reading with a number starts with it. */
const BAND_TEXTS: ReadonlyMap<SingleProbeRow, ReadingText> = new Map(
  SINGLE_PROBE_TABLE.map((row) => [row, sharedReading(bandMessage(row))]),
);

/** Reads one single-probe ISH record into its copy-number band. */
export function readSingleIsh(record: SingleIshRecord): SingleReading {
  const row = singleRowOf(record.her2PerCell);
  const reportedCall = asCall(record.reported);
  if (!row) {
    const missing = MISSING_COPIES;
    const message = reportedCall
      ? text("reading.single.reported-missing", { call: callText(reportedCall), missing: missing.message })
      : text("reading.single.missing", { missing: missing.message });
    const reading = readingOf(message);
    return { reportedCall, mismatch: false, missing: missing.text, missingText: missing.message, ...reading };
  }
  const mismatch = reportedCall !== undefined && row.result !== "work-up" && reportedCall !== row.result;
  const low = lowCells(record.cellsCounted);
  let reading = BAND_TEXTS.get(row) ?? readingOf(bandMessage(row));
  if (low !== undefined || mismatch) {
    let message: Text = reading.message;
    if (low !== undefined) message = text("reading.low-cells", { reading: message, cells: low });
    if (mismatch) {
      message = text("reading.contradicts-copies", { reading: message, call: callText(reportedCall) });
    }
    reading = readingOf(message);
  }
  return { row, reportedCall, mismatch, text: reading.text, message: reading.message };
}

/** Resolves a single-probe band with the concurrent IHC call and any dual-probe result (2018 Fig. 2). */
export function resolveSingleRow(row: SingleProbeRow, ihc: Call | undefined): Outcome {
  const made = SINGLE_OUTCOMES.get(row) ?? singleOutcomes(row);
  if (ihc === "positive") return made.ihc3;
  if (ihc === "negative") return made.ihc01;
  return made.alone;
}

/** A band's outcomes (the table is finite: each made once and shared, as for the dual-probe groups). */
interface SingleOutcomes {
  alone: Outcome;
  ihc3: Outcome;
  ihc01: Outcome;
}

function singleOutcomes(row: SingleProbeRow): SingleOutcomes {
  const copies = bandWords(row.copies);
  if (row.result !== "work-up") {
    const final = tableOutcome(row.result, "reason.band.result", { copies, result: callText(row.result) });
    return { alone: final, ihc3: final, ihc01: final };
  }
  return {
    alone: tableOutcome("equivocal", "reason.band.needs-dual", { copies }, "dual-probe"),
    ihc3: tableOutcome("positive", "reason.band.ihc3", { copies }),
    ihc01: tableOutcome("negative", "reason.band.ihc01", { copies }),
  };
}

const SINGLE_OUTCOMES: ReadonlyMap<SingleProbeRow, SingleOutcomes> = new Map(
  SINGLE_PROBE_TABLE.map((row) => [row, singleOutcomes(row)]),
);

/**
 * Summary of measured values for the evidence list: "ratio 2.3, HER2 4.5/cell, CEP17 2.0/cell, 40 cells", with its
 * words as a message beside it (`message`; absent when the value is the record's own `rawValue`). The numbers are
 * measurements: the message carries them as the strings written here, in every locale ("2.3", never "2,3").
 */
export function ishValue(record: DualIshRecord | SingleIshRecord): { text: string; message?: Text } {
  // Plain functions and concatenation: this runs for every ISH record of every patient. The English is concatenated
  // rather than rendered from the message (rendering it took assess() from 46 to 55 µs), and the message holds the
  // same strings: for the usual dual-probe count one descriptor, else one per part in a list.
  const dual = record.method === "ish-dual";
  const ratio = dual ? measured(record.ratio) : undefined;
  const her2 = measured(record.her2PerCell);
  const cep17 = dual ? measured(record.cep17PerCell) : undefined;
  const cells = measured(record.cellsCounted);
  // A bound is shown as recorded, never the number standing for its band (rules 2.0.0).
  const ratioShown =
    ratio === undefined ? undefined : ((dual ? record.bounds?.ratio : undefined) ?? formatNumber(ratio));
  const her2Bound = her2 === undefined ? undefined : record.bounds?.her2PerCell || undefined;
  const her2Shown = her2 === undefined || her2Bound ? undefined : formatNumber(her2);
  const cep17Shown = cep17 === undefined ? undefined : formatNumber(cep17);
  const cellsShown = cells === undefined ? undefined : String(cells);
  const recount = record.recount ? recountValue(record, record.recount) : undefined;
  if (
    ratioShown !== undefined &&
    her2Shown !== undefined &&
    cep17Shown !== undefined &&
    cellsShown !== undefined
  ) {
    if (!recount) {
      const values = { ratio: ratioShown, her2: her2Shown, cep17: cep17Shown, cells: cellsShown };
      return {
        text: `ratio ${ratioShown}, HER2 ${her2Shown}/cell, CEP17 ${cep17Shown}/cell, ${cellsShown} cells`,
        message: { id: "value.ish.dual", values },
      };
    }
  }
  let text = ratioShown === undefined ? "" : `ratio ${ratioShown}`;
  if (her2Bound) text = joinPart(text, `HER2/cell ${her2Bound}`);
  else if (her2Shown !== undefined) text = joinPart(text, `HER2 ${her2Shown}/cell`);
  if (cep17Shown !== undefined) text = joinPart(text, `CEP17 ${cep17Shown}/cell`);
  if (cellsShown !== undefined) text = joinPart(text, `${cellsShown} cells`);
  if (recount) text = joinPart(text, `recount ${recount.text}`);
  if (!text) return record.rawValue === undefined ? NO_MEASURED_VALUES : { text: record.rawValue };
  const parts: Text[] = [];
  if (ratioShown !== undefined) parts.push({ id: "value.ish.ratio", values: { ratio: ratioShown } });
  if (her2Bound) parts.push({ id: "value.ish.her2-bound", values: { bound: her2Bound } });
  else if (her2Shown !== undefined) parts.push({ id: "value.ish.her2", values: { her2: her2Shown } });
  if (cep17Shown !== undefined) parts.push({ id: "value.ish.cep17", values: { cep17: cep17Shown } });
  if (cellsShown !== undefined) parts.push({ id: "value.ish.cells", values: { cells: cellsShown } });
  if (recount) parts.push({ id: "value.ish.recount", values: { recount: recount.message } });
  return { text, message: valueList(parts) };
}

const NO_MEASURED_VALUES = {
  text: "no measured values",
  message: sharedText(text("value.ish.none")),
} as const;

/**
 * The parts as one list message ("{a}, {b}, {c}", flat, so a list of n parts is one descriptor rather than n - 1
 * nested joins).
 */
function valueList(p: readonly Text[]): Text {
  const a = p[0] as Text;
  const b = p[1] as Text;
  switch (p.length) {
    case 1:
      return a;
    case 2:
      return { id: "value.list.2", values: { a, b } };
    case 3:
      return { id: "value.list.3", values: { a, b, c: p[2] as Text } };
    case 4:
      return { id: "value.list.4", values: { a, b, c: p[2] as Text, d: p[3] as Text } };
    default:
      return { id: "value.list.5", values: { a, b, c: p[2] as Text, d: p[3] as Text, e: p[4] as Text } };
  }
}

function joinPart(text: string, part: string): string {
  return text ? `${text}, ${part}` : part;
}

function recountValue(
  record: DualIshRecord | SingleIshRecord,
  recount: NonNullable<DualIshRecord["recount"]>,
): { text: string; message: Text } | undefined {
  const ratio = record.method === "ish-dual" ? measured(recount.ratio) : undefined;
  const her2 = measured(recount.her2PerCell);
  if (ratio === undefined && her2 === undefined) return undefined;
  const ratioShown = ratio === undefined ? "" : formatNumber(ratio);
  const her2Shown = her2 === undefined ? "" : formatNumber(her2);
  if (her2 === undefined) {
    return { text: `ratio ${ratioShown}`, message: { id: "value.ish.ratio", values: { ratio: ratioShown } } };
  }
  const her2Part: Text = { id: "value.ish.her2", values: { her2: her2Shown } };
  if (ratio === undefined) return { text: `HER2 ${her2Shown}/cell`, message: her2Part };
  const ratioPart: Text = { id: "value.ish.ratio", values: { ratio: ratioShown } };
  return {
    text: `ratio ${ratioShown}, HER2 ${her2Shown}/cell`,
    message: { id: "value.list.2", values: { a: ratioPart, b: her2Part } },
  };
}

/** A measured ISH value the rules accept: a number inside [min, max], with max inclusive, min as stated. */
export interface PlausibleRange {
  field: "ratio" | "her2PerCell" | "cep17PerCell" | "cellsCounted";
  label: string;
  /** Lowest plausible value; `minExclusive` when the bound itself is not plausible. */
  min: number;
  minExclusive: boolean;
  max: number;
  integer: boolean;
  source: string;
}

/**
 * What an ISH count can be, so a data error (ratio 1e308, ratio 0, a negative, NaN, a copy number no nucleus holds) is
 * unreadable with a reason instead of falling into a group (issue 16 point 4). Reasoning, per field:
 * - The ratio is HER2 signals over CEP17 signals counted in the same ≥20 nuclei (Wolff 2018). Every nucleus has
 *   HER2 signals (2 in a normal cell), so a ratio of 0 means none was seen: a failed hybridisation, not a result.
 * - The copy numbers are average signals per nucleus; zero CEP17 leaves the ratio undefined and zero HER2 is a failed
 *   hybridisation as above. The guideline states no upper bound: clusters in amplified tumours are estimated, not
 *   counted one by one. 100 per nucleus (and a ratio of 100) is this rule set's own ceiling, chosen far above the
 *   ≥6.0 and ≥2.0 thresholds so that no real estimate reaches it; a larger value is taken as a data error.
 * - Cells counted: a whole number, at least 1 (below 20 is read but noted, `MIN_CELLS_COUNTED`); the ceiling is far
 *   above a manual count (20-100 nuclei) and an image-analysis count of a section, so only a data error reaches it.
 */
export const PLAUSIBLE_ISH_RANGES: readonly PlausibleRange[] = [
  {
    field: "ratio",
    label: "HER2/CEP17 ratio",
    min: 0,
    minExclusive: true,
    max: 100,
    integer: false,
    source: "Wolff 2018 (signals counted in ≥20 nuclei); ceiling: this rule set's data-error bound",
  },
  {
    field: "her2PerCell",
    label: "average HER2 copies per cell",
    min: 0,
    minExclusive: true,
    max: 100,
    integer: false,
    source: "Wolff 2018, Figs. 2-3 (average signals per nucleus); ceiling: this rule set's data-error bound",
  },
  {
    field: "cep17PerCell",
    label: "average CEP17 copies per cell",
    min: 0,
    minExclusive: true,
    max: 100,
    integer: false,
    source: "Wolff 2018, Fig. 3 (the ratio's denominator); ceiling: this rule set's data-error bound",
  },
  {
    field: "cellsCounted",
    label: "cells counted",
    min: 1,
    minExclusive: false,
    max: 1_000_000,
    integer: true,
    source: "Wolff 2018 (at least 20 nuclei counted); ceiling: no real count of one section reaches it",
  },
];

/** A range's words as messages: its field's name (first count and recount), its bounds and its source. */
interface RangeTexts {
  field: Text;
  recountField: Text;
  bounds: Text;
  source: Text;
}

function rangeTexts(range: PlausibleRange): RangeTexts {
  const field = text(`ish.field.${range.field}`);
  const min = range.minExclusive ? formatNumber(range.min) : String(range.min);
  const kind = range.minExclusive ? "above" : "at-least";
  return {
    field,
    recountField: text("ish.field.recount", { field }),
    bounds: text(range.integer ? `ish.range.whole.${kind}` : `ish.range.${kind}`, {
      min,
      max: String(range.max),
    }),
    source: text(`ish.source.${range.field}`),
  };
}

/** Each range's words, made once (they are only read for a record with an implausible number). */
const RANGE_TEXTS: ReadonlyMap<PlausibleRange, RangeTexts> = new Map(
  PLAUSIBLE_ISH_RANGES.map((range) => [range, rangeTexts(range)]),
);

function implausibility(range: PlausibleRange, value: unknown, recount: boolean): Text | undefined {
  if (value === undefined) return undefined;
  const texts = RANGE_TEXTS.get(range) ?? rangeTexts(range);
  const field = recount ? texts.recountField : texts.field;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    // As the record holds it: a number's own digits, anything else as JSON (JSON.stringify of a function gives
    // undefined, written "undefined" as before).
    const json = JSON.stringify(value) as string | undefined;
    const shown = typeof value === "number" ? String(value) : (json ?? "undefined");
    return text("ish.implausible.not-a-number", { field, value: shown });
  }
  const belowMin = range.minExclusive ? value <= range.min : value < range.min;
  if (belowMin || value > range.max || (range.integer && !Number.isInteger(value))) {
    const values = { field, value: String(value), bounds: texts.bounds, source: texts.source };
    return text("ish.implausible.range", values);
  }
  return undefined;
}

/**
 * Why an ISH record's numbers cannot be real counts (a message, issue 15), or undefined when every number present is
 * plausible. Checks the first count and the recount; a missing number is not a problem here (the readers report it).
 */
export function implausibleIshNumbers(record: DualIshRecord | SingleIshRecord): Text | undefined {
  const values: Partial<Record<PlausibleRange["field"], unknown>> =
    record.method === "ish-dual"
      ? record
      : { her2PerCell: record.her2PerCell, cellsCounted: record.cellsCounted };
  const recount: Partial<Record<PlausibleRange["field"], unknown>> = record.recount ?? {};
  for (const range of PLAUSIBLE_ISH_RANGES) {
    const problem =
      implausibility(range, values[range.field], false) ?? implausibility(range, recount[range.field], true);
    if (problem) return problem;
  }
  return undefined;
}
