/**
 * Reading HER2 values written as text: '2+', 'Score 2+ (equivocal)', 'POSITIVE (3+)', 'HER2/CEP17 ratio 2.3',
 * 'Amplified', 'greater than 2.2'. Each parser returns what it found, or an `ambiguous` reason when the text says two
 * different things: the caller then reports the result as unreadable instead of guessing.
 */
import type { Text } from "../domain/text";
import type { IhcScore, IhcZeroDetail, ReportedCall } from "../domain/types";
import { fhirText } from "./text";

export interface ParsedCall {
  call?: ReportedCall;
  ambiguous?: Text;
}

const CALL_PATTERNS: readonly { call: ReportedCall; pattern: RegExp }[] = [
  // Order matters: "not amplified" must be consumed before "amplified".
  {
    call: "negative",
    pattern:
      /\b(?:not|non)[\s-]?amplified\b|\bno (?:her2 |erbb2 )?(?:gene )?amplification\b|\bunamplified\b/gi,
  },
  { call: "positive", pattern: /\bamplified\b/gi },
  { call: "equivocal", pattern: /\bequivocal\b|\bborderline\b/gi },
  {
    call: "indeterminate",
    pattern:
      /\bindeterminate\b|\binconclusive\b|\buninterpretable\b|\binsufficient\b|\bcannot be determined\b|\btechnical(?:ly)? fail/gi,
  },
  { call: "negative", pattern: /\bnegative\b/gi },
  { call: "positive", pattern: /\bpositive\b/gi },
];

/** Words that deny what follows them: "no 3+ staining", "not positive", "negative for 3+". */
const NEGATION_BEFORE =
  /\b(?:no|not|non|without|absent|absence|negative for|lacks?|lacking|nil|never|neither|nor|rather than|instead of)\b/i;
/** Words that deny what precedes them: "3+ staining not seen", "3+ staining absent". */
const NEGATION_AFTER = /\b(?:no|not|absent|none|never)\b/i;

/** Each ends a clause: a negation does not reach past it ("Negative (1+)", "Score 0 (null, no staining)"). */
const CLAUSE_BREAK_CHARS = ".;,()[]\n";

/** Where the clause holding `position` starts: just after the last clause break before it. */
function clauseStart(text: string, position: number): number {
  let i = position;
  while (i > 0 && !CLAUSE_BREAK_CHARS.includes(text.charAt(i - 1))) i--;
  return i;
}

/** Where the clause holding `position` ends: at the first clause break from `position` on. */
function clauseEnd(text: string, position: number): number {
  let i = position;
  while (i < text.length && !CLAUSE_BREAK_CHARS.includes(text.charAt(i))) i++;
  return i;
}

/**
 * True when a negation word stands within four words before `start` (or after `end`) in the same clause. A score or
 * call next to a negation may mean its opposite ("No 3+ staining seen"): it is never read as stated.
 * The clause is found by scanning, not by splitting the whole text; a clause of only spaces (a value such as "3+"
 * has none before or after) holds no words, so no negation.
 */
function isNegated(text: string, start: number, end: number, checkAfter: boolean): boolean {
  const clauseBefore = text.slice(clauseStart(text, start), start).trim();
  if (clauseBefore !== "" && NEGATION_BEFORE.test(clauseBefore.split(/\s+/).slice(-4).join(" "))) return true;
  if (!checkAfter) return false;
  const clauseAfter = text.slice(end, clauseEnd(text, end)).trim();
  return clauseAfter !== "" && NEGATION_AFTER.test(clauseAfter.split(/\s+/).slice(0, 4).join(" "));
}

/**
 * Every match of a global pattern, like `text.matchAll(pattern)` without its cost: matchAll copies the regular
 * expression on every call, which showed in the chart review's profile.
 * @param matches where to add them (a new list by default)
 */
function allMatches(text: string, pattern: RegExp, matches: RegExpExecArray[] = []): RegExpExecArray[] {
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    matches.push(match);
    if (match[0] === "") pattern.lastIndex++;
  }
  pattern.lastIndex = 0;
  return matches;
}

/** @param what the negated call or score (a descriptor naming it with the text's own words) */
function negationProblem(what: Text): Text {
  return fhirText("fhir.text.negation", { what });
}

const LOW_POSITIVE_PROBLEM = fhirText("fhir.text.low-positive");
const SCORE_RANGE_PROBLEM = fhirText("fhir.text.score-range");

/**
 * "Low positive" ("HER2 low positive", "low-positive") is not a HER2 call: HER2-low is HER2-negative by ASCO/CAP
 * (Wolff 2023), and "low positive" is the ER/PR wording for 1-10 % staining. Read as "positive" it would give a
 * confident HER2-positive (review of rules 2.0.0).
 */
const LOW_POSITIVE = /\blow[\s-]+positive\b/i;

/**
 * A control's result ("positive and negative controls stained appropriately", "internal negative control", "control:
 * positive") is the run's quality check, never the tumour's call (review of rules 2.0.0).
 */
const CONTROL_CALL =
  /\b(?:positive|negative)(?:\s+(?:and|\/)\s*(?:positive|negative))?\s+(?:(?:internal|external|tissue|on-?slide)\s+)?controls?\b(?:\s*(?:(?:is|are|was|were)\s*)?:?\s*(?:positive|negative)\b)?|\bcontrols?(?:\s+tissues?)?(?:\s+(?:is|are|was|were))?\s*:?\s*(?:positive|negative)(?:\s+and\s+(?:positive|negative))?\b/gi;

/** A checklist's "no" right after a call word: "Amplified: No", "Positive? no", "Amplification present - absent". */
const ANSWERED_NO =
  /^\s*[:?=-]\s*(?:no|none|absent|false|not (?:present|identified|seen|detected))\s*(?:[.;,)\n]|$)/i;

/** Finds the laboratory's call in free text. */
export function parseCall(whole: string): ParsedCall {
  const text = whole.replace(CONTROL_CALL, " ");
  if (LOW_POSITIVE.test(text)) return { ambiguous: LOW_POSITIVE_PROBLEM };
  let rest = text;
  const found = new Set<ReportedCall>();
  for (const { call, pattern } of CALL_PATTERNS) {
    const matches = allMatches(rest, pattern);
    for (const match of matches) {
      // "not amplified" and "no amplification" are consumed by the first pattern, before "amplified" is looked for.
      if (isNegated(rest, match.index, match.index + match[0].length, false))
        return { ambiguous: negationProblem(fhirText("fhir.text.negation.call", { text: match[0] })) };
      // A checklist answer after the call word ("Amplified: No", "Positive? no") denies it (review, rules 2.0.0).
      if (ANSWERED_NO.test(rest.slice(match.index + match[0].length)))
        return {
          ambiguous: negationProblem(fhirText("fhir.text.negation.call-answered-no", { text: match[0] })),
        };
    }
    if (matches.length > 0) {
      found.add(call);
      rest = rest.replace(pattern, " ");
    }
    pattern.lastIndex = 0;
  }
  if (found.size > 1) return { ambiguous: fhirText("fhir.text.calls", { calls: [...found].join(", ") }) };
  const [call] = [...found];
  return call ? { call } : {};
}

export interface ParsedScore {
  score?: IhcScore;
  zeroDetail?: IhcZeroDetail;
  ambiguous?: Text;
}

const SCORE_RANGE = /(?<![\d.])[0-3]\s*\+?\s*(?:-|–|to|\/)\s*[0-3]\s*\+/i;
const SCORE_PLUS = /(?<![\d.])([0-3])\s*\+(?!\d)/g;
const SCORE_WORD = /\b(?:score|ihc)\s*[:=]?\s*(?:of\s+)?([0-3])(?![\d.+])/gi;
/** A score at the start of the text: "2", "0 (ultralow)", "1, faint staining". */
const BARE_SCORE = /^\s*([0-3])(?![\d.])\s*\+?/;

function toScore(digit: string): IhcScore {
  return digit === "0" ? "0" : (`${digit}+` as IhcScore);
}

/**
 * Finds an IHC score in free text.
 * @param allowBare accept a leading "0".."3" without "+" (only when the code says the value is an IHC score)
 */
export function parseIhcScore(text: string, allowBare = false): ParsedScore {
  if (SCORE_RANGE.test(text)) return { ambiguous: SCORE_RANGE_PROBLEM };
  // The distinct scores in the order found (a list, not a Set: there are rarely more than one).
  const scores: IhcScore[] = [];
  const matches = allMatches(text, SCORE_PLUS);
  allMatches(text, SCORE_WORD, matches);
  if (allowBare) {
    const bare = BARE_SCORE.exec(text);
    if (bare) matches.push(bare);
  }
  for (const match of matches) {
    const score = toScore(match[1] ?? "");
    const start = match.index;
    // "Score 0, no staining" and "0 no staining" describe a 0: a negation after a 0 is its staining detail.
    if (isNegated(text, start, start + match[0].length, score !== "0"))
      return { ambiguous: negationProblem(fhirText("fhir.text.negation.score", { text: match[0].trim() })) };
    if (!scores.includes(score)) scores.push(score);
  }
  if (scores.length > 1) return { ambiguous: fhirText("fhir.text.scores", { scores: scores.join(", ") }) };
  const score = scores[0];
  if (!score) {
    // The CAP wordings of score 0 stand without the digit in template-driven reports.
    const wording = capZeroWording(text);
    return wording ? { score: "0", zeroDetail: wording } : {};
  }
  const result: ParsedScore = { score };
  if (score === "0") {
    const detail = zeroDetailInText(text);
    if (detail.contradiction) return { ambiguous: detail.contradiction };
    if (detail.zeroDetail) result.zeroDetail = detail.zeroDetail;
  } else {
    const share = stainingShareAtMost10(text);
    if (share !== undefined) return { ambiguous: fhirText("fhir.text.score-share", { score, share }) };
  }
  return result;
}

/**
 * The share of cells a text gives for the staining, when every share it gives is at most 10 % ("in 5% of cells",
 * "≤10%", "<10%"): IHC 1+, 2+ and 3+ are defined by staining in more than 10 % of invasive tumour cells (Wolff 2018,
 * Fig. 1), so such a text contradicts its own score (faint staining in ≤10 % is 0, the HER2-low boundary of Wolff
 * 2023), as faint staining in more than 10 % contradicts a 0 (`zeroDetailInText`). Only sentences about staining or
 * cells are read; a lower bound ("> 10 %", "more than 5 %") is no contradiction.
 */
function stainingShareAtMost10(text: string): string | undefined {
  let small: string | undefined;
  for (const sentence of text.split(/[.;\n](?!\d)/)) {
    if (!/\bstain|\bcells?\b/i.test(sentence)) continue;
    for (const match of allMatches(sentence, PERCENT)) {
      if (match[1] !== undefined || Number(match[2]) > 10) return undefined;
      small ??= match[0].trim();
    }
  }
  return small;
}

export interface ParsedZeroDetail {
  zeroDetail?: IhcZeroDetail;
  /** Set when the text gives more than 10 % faint, incomplete staining: that is 1+, not 0. */
  contradiction?: Text;
}

/** A percentage, with the words that make it a lower bound ("> 10 %", "more than 10 %"). */
const PERCENT = /(>|≥|more than|greater than|over|above|at least)?\s*(\d+(?:\.\d+)?)\s*%/gi;

/** The largest share of cells a sentence about faint, incomplete staining gives, and whether it exceeds 10 %. */
function faintShareAbove10(text: string): string | undefined {
  for (const sentence of text.split(/[.;\n](?!\d)/)) {
    if (!/\bfaint\b|\bincomplete\b|\bbarely perceptible\b/i.test(sentence)) continue;
    for (const match of allMatches(sentence, PERCENT)) {
      const value = Number(match[2]);
      const lowerBound = match[1] !== undefined;
      if (value > 10 || (lowerBound && value >= 10)) return match[0].trim();
    }
  }
  return undefined;
}

/**
 * The staining detail of an IHC 0 named in text: "ultralow" (faint, incomplete staining in ≤10% of cells) or "null"
 * (no staining). Neither when the text names neither, or both; a contradiction when it gives faint staining in more
 * than 10 % of cells, which is 1+ by definition.
 */
export function zeroDetailInText(text: string): ParsedZeroDetail {
  const share = faintShareAbove10(text);
  if (share !== undefined) return { contradiction: fhirText("fhir.text.zero-faint", { share }) };
  const ultralow = /\bultra[\s-]?low\b/i.test(text) || faintAndIncomplete(text);
  const none = /\bnull\b|\bno (?:\w+ ){0,2}staining\b|\babsen(?:t|ce of) (?:membrane )?staining\b/i.test(
    text,
  );
  if (ultralow === none) return {};
  return { zeroDetail: ultralow ? "ultralow" : "null" };
}

/** "Faint" (or "barely perceptible") and "incomplete" in one sentence, in either order (CAP: "incomplete and is faint"). */
function faintAndIncomplete(text: string): boolean {
  return text
    .split(/[.;\n](?!\d)/)
    .some(
      (sentence) => /\bfaint\b|\bbarely perceptible\b/i.test(sentence) && /\bincomplete\b/i.test(sentence),
    );
}

/** A share of cells written as at most 10 %: "≤10%", "<= 10 %", "10% or less", "up to 10%", "5%". */
const AT_MOST_10_PERCENT =
  /(?:≤|<=|=<|<|up to|no more than|not more than|less than or equal to)?\s*(\d+(?:\.\d+)?)\s*%(?:\s*or (?:less|fewer))?/gi;

/**
 * The two CAP wordings of IHC score 0 (CAP breast biomarker template 2023, following Wolff 2023: "no staining observed";
 * "membrane staining that is incomplete and is faint/barely perceptible and in ≤10% of tumor cells"), in any word order
 * and with ≤ / <= / "10% or less": "null" or "ultralow". Undefined for anything else, including any share above 10 %
 * (that is 1+) and a text that gives both.
 */
export function capZeroWording(whole: string): IhcZeroDetail | undefined {
  // A control's staining ("internal negative control: no staining observed") says nothing about the tumour.
  const text = whole
    .split(/[.;\n](?!\d)/)
    .filter((sentence) => !/\bcontrols?\b/i.test(sentence))
    .join(". ");
  const none = /\bno (?:membrane )?staining (?:is )?(?:observed|seen|identified|present)\b/i.test(text);
  let ultralow = false;
  if (faintAndIncomplete(text) && /\bmembran/i.test(text)) {
    const shares = allMatches(text, AT_MOST_10_PERCENT);
    if (shares.length === 0 || shares.some((m) => Number(m[1]) > 10)) return undefined;
    // A lower bound ("> 5 %", "more than 5 %") allows more than 10 %, which is 1+.
    if (/(?:>|≥|more than|greater than|over|at least|above)\s*\d+(?:\.\d+)?\s*%/i.test(text))
      return undefined;
    if (faintShareAbove10(text) !== undefined) return undefined;
    ultralow = true;
  }
  if (none === ultralow) return undefined;
  return none ? "null" : "ultralow";
}

export type Comparator = "<" | "<=" | ">" | ">=";

export interface ParsedNumber {
  value?: number;
  /** Set when the number is only a bound ("greater than 2.2", "<4"): not a measurement. */
  bound?: string;
  /** The bound's comparator and number, when `bound` is set. */
  comparator?: Comparator;
  boundValue?: number;
  /** The unit written after the number: per cell ("signals/cell") or a ratio. */
  unit?: "per-cell" | "ratio";
}

/** A comparator as written: symbols, FHIR Quantity.comparator, or words. */
export function comparatorOf(text: string): Comparator | undefined {
  const t = text.trim().toLowerCase();
  if (t === "<" || t === "less than" || t === "below") return "<";
  if (t === "<=" || t === "≤" || t === "=<") return "<=";
  if (t === ">" || t === "greater than" || t === "more than" || t === "above" || t === "over") return ">";
  if (t === ">=" || t === "≥" || t === "=>" || t === "at least") return ">=";
  return undefined;
}

const PLAIN_NUMBER =
  /^\s*(<=|>=|=<|=>|<|>|≥|≤|greater than|more than|less than|at least|above|below)?\s*(\d+(?:\.\d+)?)\s*((?:(?:her-?2\s+)?(?:signals?|copies|copy number)\s*)?(?:\/|per)\s*(?:cell|nucleus|nuclei)|\{?ratio\}?)?\s*\.?\s*$/i;

/** Reads a text that is only a number, with a unit or comparator: "2.3", "2.00", "≥6.0 signals/cell", "> 10". */
export function parsePlainNumber(text: string): ParsedNumber | undefined {
  const match = PLAIN_NUMBER.exec(text);
  if (!match) return undefined;
  const value = Number(match[2]);
  const unit: ParsedNumber["unit"] = match[3] ? (/ratio/i.test(match[3]) ? "ratio" : "per-cell") : undefined;
  const withUnit: Pick<ParsedNumber, "unit"> = unit ? { unit } : {};
  if (match[1]) {
    const comparator = comparatorOf(match[1]);
    return {
      bound: `${match[1]} ${match[2] ?? ""}`,
      ...(comparator ? { comparator, boundValue: value } : {}),
      ...withUnit,
    };
  }
  return { value, ...withUnit };
}

/**
 * The guideline's thresholds for each ISH measure (Wolff 2018 Figs. 2-3: ratio 2.0; HER2 signals per cell 4.0 and
 * 6.0, inclusive from below). A bound settles a measure when every value it allows falls in one band.
 */
const THRESHOLDS: Readonly<Record<"ratio" | "her2PerCell", readonly number[]>> = {
  ratio: [2.0],
  her2PerCell: [4.0, 6.0],
};

export interface SettledBound {
  /** A number inside the band the bound settles: it stands for the band, never shown as a measurement. */
  value: number;
  /** What was recorded and what it settles, e.g. "< 2.0 (settles ratio < 2.0)". */
  text: string;
}

/**
 * Whether a bound ("> 10", "≥ 6.0", "< 2.0") settles the guideline threshold of its measure (issue 12.5): "> 10"
 * HER2 signals per cell is ≥ 6.0 whatever the count; "< 2.0" is a ratio below 2.0; "< 4.5" HER2 per cell spans the
 * bands below 4.0 and 4.0-6.0, so it does not. CEP17 counts and cells counted have no band here: never settled.
 */
export function settleBound(field: string, comparator: Comparator, bound: number): SettledBound | undefined {
  if (field !== "ratio" && field !== "her2PerCell") return undefined;
  const thresholds = THRESHOLDS[field];
  const lowest = thresholds[0] ?? 0;
  const highest = thresholds[thresholds.length - 1] ?? 0;
  const name = field === "ratio" ? "ratio" : "HER2 signals per cell";
  const symbol = comparator === "<=" ? "≤" : comparator === ">=" ? "≥" : comparator;
  const written = `${symbol} ${String(bound)}`;
  if ((comparator === ">" || comparator === ">=") && bound >= highest) {
    return { value: bound, text: `${written} (settles ${name} ≥ ${highest.toFixed(1)})` };
  }
  if ((comparator === "<" && bound <= lowest) || (comparator === "<=" && bound < lowest)) {
    return {
      value: bound < lowest ? bound : lowest - 0.001,
      text: `${written} (settles ${name} < ${lowest.toFixed(1)})`,
    };
  }
  return undefined;
}

export interface ParsedIshNumbers {
  ratio?: number;
  her2PerCell?: number;
  cep17PerCell?: number;
  cellsCounted?: number;
  /** Measures given only as a bound that settles their threshold (`settleBound`), as recorded. */
  bounds?: Partial<Record<"ratio" | "her2PerCell", string>>;
  /** Reasons some number could not be read. */
  problems: Text[];
}

const BOUND_WORDS = /(<=|>=|=<|<|>|≥|≤|greater than|more than|less than|at least|above|below)/i;

/** The one number in a labelled segment ("HER2/CEP17 ratio 2.3"), after removing the digits of the labels. */
function segmentNumber(segment: string): ParsedNumber | "none" | "several" {
  const cleaned = segment.replace(/\bher-?2\b|\berbb2\b|\bcep\s*17\b|\bchromosome\s*17\b|\bd17z1\b/gi, " ");
  const numbers = allMatches(cleaned, /\d+(?:\.\d+)?/g);
  if (numbers.length === 0) return "none";
  if (numbers.length > 1) return "several";
  const bound = BOUND_WORDS.exec(cleaned);
  const only = numbers[0]?.[0] ?? "";
  if (!bound) return { value: Number(only) };
  const comparator = comparatorOf(bound[1] ?? "");
  return {
    bound: `${bound[1] ?? ""} ${only}`,
    ...(comparator ? { comparator, boundValue: Number(only) } : {}),
  };
}

/**
 * Reads ISH numbers from free text, one labelled segment at a time ("HER2/CEP17 ratio 2.3; HER2 copies per cell 4.5").
 */
export function parseIshNumbers(text: string): ParsedIshNumbers {
  const result: ParsedIshNumbers = { problems: [] };
  for (const segment of text.split(/[;\n|]|,(?!\d)/)) {
    const lower = segment.toLowerCase();
    let key: "ratio" | "cep17PerCell" | "her2PerCell" | "cellsCounted" | undefined;
    if (/\bratio\b|her-?2\s*\/\s*cep\s*17/.test(lower)) key = "ratio";
    else if (/\b(?:cells?|nuclei) (?:counted|scored|evaluated)\b|\bnumber of (?:cells|nuclei)\b/.test(lower))
      key = "cellsCounted";
    else if (
      /cep\s*17|chromosome\s*17|centromere/.test(lower) &&
      /cop|signal|per cell|\/\s*cell|nucle/.test(lower)
    )
      key = "cep17PerCell";
    else if (/her-?2|erbb2/.test(lower) && /cop|signal|per cell|\/\s*cell|nucle/.test(lower))
      key = "her2PerCell";
    if (!key) continue;
    const parsed = segmentNumber(segment);
    if (parsed === "none") continue;
    if (parsed === "several") {
      result.problems.push(fhirText("fhir.text.several-numbers", { text: segment.trim() }));
      continue;
    }
    if (parsed.bound !== undefined) {
      const settled =
        parsed.comparator && parsed.boundValue !== undefined
          ? settleBound(key, parsed.comparator, parsed.boundValue)
          : undefined;
      if (!settled || (key !== "ratio" && key !== "her2PerCell")) {
        result.problems.push(
          fhirText("fhir.text.bound-unsettled", { text: segment.trim(), bound: parsed.bound }),
        );
        continue;
      }
      if (result[key] !== undefined) {
        result.problems.push(fhirText("fhir.text.two-values", { field: key }));
        continue;
      }
      result[key] = settled.value;
      (result.bounds ??= {})[key] = settled.text;
      continue;
    }
    if (result[key] !== undefined && result[key] !== parsed.value) {
      result.problems.push(fhirText("fhir.text.two-values", { field: key }));
      continue;
    }
    result[key] = parsed.value;
  }
  return result;
}

/** True when text says the ISH was single-probe (HER2 probe only). */
export function saysSingleProbe(text: string): boolean {
  return /\bsingle[\s-]?probe\b/i.test(text);
}

/** Method named in free text: IHC or ISH. Undefined when neither or both. */
export function methodInText(text: string): "ihc" | "ish" | undefined {
  const ish = /\b(?:fish|ish|cish|sish|dish|in situ|hybridi[sz]ation)\b/i.test(text);
  const ihc = /\b(?:ihc|immunohisto\w*|immune stain|immunostain\w*|hercep ?test)\b/i.test(text);
  if (ish === ihc) return undefined;
  return ish ? "ish" : "ihc";
}

/** True when text says the count is a second observer's recount ("recount", "second observer", "blinded"). */
export function saysRecount(text: string): boolean {
  return /\brecount\b|\b(?:second|2nd) (?:observer|reader|count)\b|\bblinded\b/i.test(text);
}
