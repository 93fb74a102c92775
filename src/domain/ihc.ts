/**
 * IHC scoring (ASCO/CAP 2018, Fig. 1; wording of 0 vs 1+ reaffirmed by the 2023 update). One row per score; the
 * interpreter reads a record into an IHC reading the specimen rules combine.
 */
import { asCall, type Call } from "./calls";
import { en, sharedText, type Text, text } from "./text";
import type { IhcRecord, IhcScore } from "./types";

export interface IhcRow {
  score: IhcScore;
  staining: string;
  call: Call;
  source: string;
}

/** ASCO/CAP 2018 Fig. 1 (IHC), as written. */
export const IHC_TABLE: readonly IhcRow[] = [
  {
    score: "0",
    staining:
      "no staining, or faint / barely perceptible incomplete membrane staining in ≤10% of invasive tumour cells",
    call: "negative",
    source: "Wolff 2018, Fig. 1",
  },
  {
    score: "1+",
    staining: "faint / barely perceptible incomplete membrane staining in >10% of invasive tumour cells",
    call: "negative",
    source: "Wolff 2018, Fig. 1",
  },
  {
    score: "2+",
    staining: "weak to moderate complete membrane staining in >10% of invasive tumour cells",
    call: "equivocal",
    source: "Wolff 2018, Fig. 1 (2015 correspondence wording); reflex ISH on the same specimen or a new test",
  },
  {
    score: "3+",
    staining: "complete, intense circumferential membrane staining in >10% of invasive tumour cells",
    call: "positive",
    source: "Wolff 2018, Fig. 1",
  },
];

/** What one IHC record says. `call` is undefined when the record has neither a usable score nor a call. */
export interface IhcReading {
  score?: IhcScore;
  zeroDetail?: IhcRecord["zeroDetail"];
  /** The call by the scoring table alone. */
  scoreCall?: Call;
  /** The laboratory's own call on the record, when it gave one. */
  reportedCall?: Call;
  /** True when the laboratory's call contradicts its own score. */
  mismatch: boolean;
  /** Plain words for the evidence list, e.g. "IHC 2+ (equivocal)": `message` in English. */
  text: string;
  message: Text;
}

function rowFor(score: unknown): IhcRow | undefined {
  return IHC_TABLE.find((row) => row.score === score);
}

function zeroDetailText(record: IhcRecord): Text | undefined {
  if (record.zeroDetail === "ultralow") return ULTRALOW;
  if (record.zeroDetail === "null") return NULL_DETAIL;
  return undefined;
}

const ULTRALOW = text("reading.ihc.ultralow");
const NULL_DETAIL = text("reading.ihc.null");

/** The words of a call ("positive"), as a message. */
export function callText(call: Call): Text {
  return CALL_TEXTS[call];
}
const CALL_TEXTS: Readonly<Record<Call, Text>> = {
  positive: sharedText(text("call.positive")),
  negative: sharedText(text("call.negative")),
  equivocal: sharedText(text("call.equivocal")),
  indeterminate: sharedText(text("call.indeterminate")),
};

function readingText(row: IhcRow, detail: Text | undefined, contradiction: Call | undefined): Text {
  const call = callText(row.call);
  const reading = detail
    ? text("reading.ihc.detail", { score: row.score, call, detail })
    : text("reading.ihc", { score: row.score, call });
  return contradiction
    ? text("reading.contradicts-score", { reading, call: callText(contradiction) })
    : reading;
}

/** A reading's words, in English and as the message they come from. */
export interface ReadingText {
  text: string;
  message: Text;
}

export function readingOf(message: Text): ReadingText {
  return { text: en(message), message };
}

/**
 * A reading made once and shared (the tables' readings): its message keeps its English (`sharedText`), so a message
 * it is nested in reads the kept string.
 */
export function sharedReading(message: Text): ReadingText {
  return { text: en(sharedText(message)), message };
}

/** "IHC 2+ (equivocal)" for each row, written once: most IHC records read as exactly that. */
const PLAIN_TEXTS: ReadonlyMap<IhcRow, ReadingText> = new Map(
  IHC_TABLE.map((row) => [row, sharedReading(readingText(row, undefined, undefined))]),
);
const NO_SCORE = sharedReading(text("reading.ihc.none"));

/** Reads one IHC record by the scoring table, keeping the laboratory's call beside it. */
export function readIhc(record: IhcRecord): IhcReading {
  const row = rowFor(record.score);
  const reportedCall = asCall(record.reported);
  if (!row) {
    return reportedCall
      ? {
          reportedCall,
          mismatch: false,
          ...readingOf(text("reading.ihc.reported", { call: callText(reportedCall) })),
        }
      : { mismatch: false, ...NO_SCORE };
  }
  const mismatch = reportedCall !== undefined && reportedCall !== row.call;
  const detail = row.score === "0" ? zeroDetailText(record) : undefined;
  const contradiction = mismatch ? reportedCall : undefined;
  const reading =
    (!detail && !contradiction && PLAIN_TEXTS.get(row)) || readingOf(readingText(row, detail, contradiction));
  return {
    score: row.score,
    zeroDetail: row.score === "0" ? record.zeroDetail : undefined,
    scoreCall: row.call,
    reportedCall,
    mismatch,
    text: reading.text,
    message: reading.message,
  };
}
