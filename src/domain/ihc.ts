/**
 * IHC scoring (ASCO/CAP 2018, Fig. 1; wording of 0 vs 1+ reaffirmed by the 2023 update). One row per score; the
 * interpreter reads a record into an IHC reading the specimen rules combine.
 */
import { asCall, type Call } from "./calls";
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
  /** Plain words for the evidence list, e.g. "IHC 2+ (equivocal)". */
  text: string;
}

function rowFor(score: unknown): IhcRow | undefined {
  return IHC_TABLE.find((row) => row.score === score);
}

function zeroDetailText(record: IhcRecord): string {
  if (record.zeroDetail === "ultralow") return "; faint incomplete staining in ≤10% of cells (ultralow)";
  if (record.zeroDetail === "null") return "; no staining (null)";
  return "";
}

function readingText(row: IhcRow, detail: string, contradiction: string): string {
  return `IHC ${row.score} (${row.call}${detail})${contradiction}`;
}

/** "IHC 2+ (equivocal)" for each row, written once: most IHC records read as exactly that. */
const PLAIN_TEXTS: ReadonlyMap<IhcRow, string> = new Map(
  IHC_TABLE.map((row) => [row, readingText(row, "", "")]),
);

/** Reads one IHC record by the scoring table, keeping the laboratory's call beside it. */
export function readIhc(record: IhcRecord): IhcReading {
  const row = rowFor(record.score);
  const reportedCall = asCall(record.reported);
  if (!row) {
    return reportedCall
      ? { reportedCall, mismatch: false, text: `IHC reported ${reportedCall} (no score)` }
      : { mismatch: false, text: "IHC without a usable score or call" };
  }
  const mismatch = reportedCall !== undefined && reportedCall !== row.call;
  const detail = row.score === "0" ? zeroDetailText(record) : "";
  const contradiction = mismatch ? `; reported ${reportedCall} contradicts the score` : "";
  return {
    score: row.score,
    zeroDetail: row.score === "0" ? record.zeroDetail : undefined,
    scoreCall: row.call,
    reportedCall,
    mismatch,
    text: (!detail && !contradiction && PLAIN_TEXTS.get(row)) || readingText(row, detail, contradiction),
  };
}
