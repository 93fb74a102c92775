/**
 * A cheap test on an Observation's raw JSON text, for readers that may skip parsing what cannot matter (the CLI's
 * review of Bulk Data exports, where most Observations are vital signs and other laboratory results).
 *
 * The FHIR layer reads an Observation for three reasons only:
 * 1. its code is a HER2 result code (LOINC table or the institution's code map) or its code text names HER2
 *    (`classifyHer2Code`: every word it matches contains `her2`, `her-2` or `erbb`);
 * 2. its code is a staging code (stage group, distant metastasis category: `eventOfStageObservation`);
 * 3. it is a member (`hasMember`) of a HER2 panel, whatever its own code.
 * This test covers 1 and 2 by looking for those codes and words anywhere in the text (a superset: the code may sit in
 * any field), and answers "may matter" to any text with a JSON `\u` escape, which could spell a word or a code in a
 * way the search would miss (and to `\/` when a code has a slash). Reason 3 cannot be seen in a member's own text: a
 * caller that skips Observations must load them all when one of the patient's loaded Observations has members
 * (`hasPanelMembers`).
 */
import type { Observation, Resource } from "fhir/r4";
import { EMPTY_CODE_MAP, type CodeMap } from "./code-map";
import { isResourceType } from "./fhir-utils";
import { HER2_OBSERVATION_CODES, STAGE_OBSERVATION_CODES } from "./terminology/her2-codes";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/**
 * Every word `classifyHer2Code` matches contains one of these; `\u` is a JSON escape that can spell any character
 * (`\u0048ER2`). Kept apart from the codes: two simple expressions run about twice as fast as one.
 */
const HER2_WORD_OR_ESCAPE = /her-?2|erbb|\\u/i;

const codePatterns = new WeakMap<CodeMap, RegExp>();

/** The HER2, staging and code-map codes, matched exactly as `classifyHer2Code` compares them (case and all). */
function codePatternFor(codeMap: CodeMap): RegExp {
  let pattern = codePatterns.get(codeMap);
  if (pattern === undefined) {
    const codes = [
      ...HER2_OBSERVATION_CODES.map((c) => c.code),
      ...STAGE_OBSERVATION_CODES.map((c) => c.code),
      ...codeMap.observations.map((c) => c.code),
    ];
    // A code as JSON writes it: `"`, `\` and control characters are always escaped; `/` may be written `\/`, so
    // any `\/` in the text may matter when a code has a slash. (Other characters may be `\u` escapes: see above.)
    const spellings = codes.flatMap((c) => [c, JSON.stringify(c).slice(1, -1)]).map(escapeRegExp);
    if (codes.some((c) => c.includes("/"))) spellings.push("\\\\/");
    pattern = new RegExp([...new Set(spellings)].join("|"));
    codePatterns.set(codeMap, pattern);
  }
  return pattern;
}

/**
 * Whether the FHIR layer could read this Observation JSON text as a HER2 result or a staging value (other than as a
 * panel member). False only when it certainly could not; true when unsure.
 * @param json The Observation's JSON text, as in an NDJSON line.
 * @param codeMap The code map the resources will be normalised with.
 */
export function observationTextMayMatter(json: string, codeMap: CodeMap = EMPTY_CODE_MAP): boolean {
  return HER2_WORD_OR_ESCAPE.test(json) || codePatternFor(codeMap).test(json);
}

/** Whether any of these resources is an Observation with members, whose members are read whatever their code. */
export function hasPanelMembers(resources: readonly Resource[]): boolean {
  return resources.some(
    (r) => isResourceType<Observation>(r, "Observation") && (r.hasMember?.length ?? 0) > 0,
  );
}
