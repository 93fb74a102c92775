/**
 * The recommendation in the light of the anti-HER2 therapy on record (issue 18, point 6): "On record: trastuzumab +
 * pertuzumab since 2024-03-01 (current)", and what that means in this setting. Supports the clinician, never orders:
 * each sentence says what the guideline or trial gives for the therapy on record, with its citation.
 */
import { cite, type CitationId } from "./citations";
import { byText, calendarDate } from "./dates";
import { wasGiven } from "./tumour";
import { en, joinTexts, text, type Text, type TextValue } from "./text";
import type { AntiHer2Therapy, Her2Status, IsoDate, Setting } from "./types";

const FINISHED: ReadonlySet<string> = new Set(["completed", "stopped"]);

/** Names as a clinician writes them (the FHIR layer's ingredient names are RxNorm's). */
const DISPLAY: Readonly<Record<string, Text>> = {
  "ado-trastuzumab emtansine": text("therapy.drug.tdm1"),
  "fam-trastuzumab deruxtecan": text("therapy.drug.tdxd"),
  "pertuzumab, trastuzumab and hyaluronidase": text("therapy.drug.trastuzumab-pertuzumab-sc"),
  "trastuzumab and hyaluronidase": text("therapy.drug.trastuzumab-sc"),
};

/** Trastuzumab before pertuzumab, as clinicians write the pair ("trastuzumab + pertuzumab"); others by name. */
const ORDER: Readonly<Record<string, number>> = { trastuzumab: 0, pertuzumab: 1 };

const TDM1 = "ado-trastuzumab emtansine";
const TDXD = "fam-trastuzumab deruxtecan";
const TRASTUZUMAB_FAMILY: ReadonlySet<string> = new Set([
  "trastuzumab",
  "trastuzumab and hyaluronidase",
  "pertuzumab, trastuzumab and hyaluronidase",
  "pertuzumab",
]);

/** Current: given, not completed or stopped, and not ended on or before `asOf`. */
export function isCurrent(t: AntiHer2Therapy, asOf: IsoDate | undefined): boolean {
  if (!wasGiven(t) || FINISHED.has(String(t.status))) return false;
  const end = calendarDate(t.end);
  return end === undefined || (asOf !== undefined && end > asOf);
}

/** One year after a calendar date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`), same precision. */
function oneYearAfter(date: IsoDate): IsoDate {
  const year = Number(date.slice(0, 4)) + 1;
  return `${String(year)}${date.slice(4)}`;
}

export interface TherapyNote {
  text: string;
  citations: string[];
  /** `text` as a message descriptor; absent when `text` is empty. */
  message?: Text;
}

/**
 * What the current anti-HER2 therapy on record adds to the recommendation (empty text when none is current).
 * - Early HER2-positive: trastuzumab completes one year in total from its start (HERA, Goldhirsch 2013; B-31/N9831);
 *   with residual invasive disease after neoadjuvant therapy, T-DM1 in place of trastuzumab (KATHERINE).
 * - Metastatic HER2-positive: trastuzumab + pertuzumab continue until progression (CLEOPATRA); at progression,
 *   trastuzumab deruxtecan is second line (DESTINY-Breast03).
 * - Anti-HER2 therapy on record while the status is HER2-negative (outside HER2-low/ultralow T-DXd): noted, so the
 *   clinician checks which result it was started on.
 */
export function therapyNote(
  status: Her2Status,
  setting: Setting,
  therapies: readonly AntiHer2Therapy[],
  asOf: IsoDate | undefined,
  residualDisease: boolean,
): TherapyNote {
  const current = therapies.filter((t) => isCurrent(t, asOf));
  if (current.length === 0) return { text: "", citations: [] };
  const drugs = [...new Set(current.map((t) => t.drug))].sort(
    (a, b) => (ORDER[a] ?? 9) - (ORDER[b] ?? 9) || byText(a, b),
  );
  const starts = current
    .map((t) => calendarDate(t.start))
    .filter((d): d is IsoDate => d !== undefined)
    .sort(byText);
  const since = starts[0];
  const names = joinTexts(
    drugs.map((d) => DISPLAY[d] ?? d),
    "therapy.drug.join",
  );
  const onRecord = since
    ? text("therapy.on-record.since", { names, since })
    : text("therapy.on-record.no-start", { names });
  const ids: CitationId[] = [];
  const sentences: TextValue[] = [onRecord];
  const has = (drug: string) => drugs.includes(drug);
  const trastuzumabBased = drugs.some((d) => TRASTUZUMAB_FAMILY.has(d));

  if (status === "positive" && setting === "early") {
    if (has(TDM1)) {
      sentences.push(text("therapy.early.tdm1"));
      ids.push("vonMinckwitz2019");
    } else if (trastuzumabBased && residualDisease) {
      sentences.push(text("therapy.early.residual"));
      ids.push("vonMinckwitz2019");
    } else if (trastuzumabBased) {
      const until = since === undefined ? undefined : oneYearAfter(since);
      const past = since !== undefined && asOf !== undefined && asOf > oneYearAfter(since);
      sentences.push(
        since === undefined || until === undefined
          ? text("therapy.early.continues.no-start")
          : text(past ? "therapy.early.past-year" : "therapy.early.continues", { since, until }),
      );
      ids.push("romond2005", "goldhirsch2013");
    }
  } else if (status === "positive" && setting === "metastatic") {
    if (has(TDXD)) {
      sentences.push(text("therapy.metastatic.tdxd"));
      ids.push("cortes2022");
    } else if (trastuzumabBased) {
      sentences.push(text("therapy.metastatic.continues"));
      ids.push("swain2015", "cortes2022");
    }
  } else if (status === "negative" && !(setting === "metastatic" && has(TDXD))) {
    sentences.push(text("therapy.negative"));
    ids.push("wolff2018");
  }
  const message = joinTexts(sentences, "join.space") as Text;
  return { text: en(message), citations: cite(...ids), message };
}
