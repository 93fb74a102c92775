/**
 * Flags about what is missing (issue 18, points 4 and 5): a breast cancer with no HER2 test (`her2-test-missing`), a
 * status resting on an undated result (`undated-result`), and the checks that could not be made because a query
 * failed or timed out (flags with `state: "not-checked"`), so that nothing a failed query hid reads as "no flags".
 */
import { isConclusive, reasonValue } from "./calls";
import { makeFlag, makeNotCheckedFlag } from "./flags";
import { eventsGap } from "./setting";
import { specimenDescriptionText, type SpecimenResult, usedSources } from "./specimen";
import { type MessageId, text, type Text } from "./text";
import type { DataGap, DiseaseEvent, Flag, FlagCode, Her2Status } from "./types";

/** The resource types named in words (`gap.type.<type>`); any other type is named as it is. */
const TYPE_WORDS: ReadonlySet<string> = new Set([
  "Condition",
  "Observation",
  "DiagnosticReport",
  "Specimen",
  "MedicationRequest",
  "MedicationStatement",
  "MedicationAdministration",
  "Medication",
] satisfies readonly TypeWord[]);
type TypeWord = MessageId extends infer M ? (M extends `gap.type.${infer T}` ? T : never) : never;

/**
 * "conditions did not load in time (timeout after 20 s)": what did not load, in words, with the loader's reason
 * (`gap.how.<kind>`; the reason is the FHIR layer's: its descriptor when it wrote one, else its string as it is).
 */
export function didNotLoad(gap: DataGap): Text {
  const what = TYPE_WORDS.has(gap.resourceType)
    ? text(`gap.type.${gap.resourceType as TypeWord}`)
    : gap.resourceType;
  return gap.kind === "loading"
    ? text("gap.how.loading", { what })
    : text(`gap.how.${gap.kind}`, { what, reason: reasonValue(gap) });
}

const RESULT_SOURCES: ReadonlySet<string> = new Set(["Observation", "DiagnosticReport"]);

export function resultsGap(dataGaps: readonly DataGap[]): DataGap | undefined {
  return dataGaps.find((g) => g.affectsAssessment && RESULT_SOURCES.has(g.resourceType));
}

export function medicationGap(dataGaps: readonly DataGap[]): DataGap | undefined {
  return dataGaps.find((g) => g.affectsAssessment && g.resourceType.startsWith("Medication"));
}

const TEST_RULE = text("flag.test-missing.rule");

/**
 * `her2-test-missing` (Wolff 2018: HER2 testing on every primary invasive breast cancer): breast cancer is recorded
 * (any disease event: the FHIR layer keeps only breast-cancer conditions and staging) and no HER2 result at all.
 * When the HER2 results did not load, or no disease event is known because conditions did not load, the check is
 * not made and says so.
 */
export function her2TestMissingFlag(
  status: Her2Status,
  anyRecord: boolean,
  events: readonly DiseaseEvent[],
  dataGaps: readonly DataGap[],
): Flag | undefined {
  const results = resultsGap(dataGaps);
  if (!anyRecord && results) {
    return makeNotCheckedFlag("her2-test-missing", {
      message: text("flag.test-missing.results-gap.message", { gap: didNotLoad(results), rule: TEST_RULE }),
      action: text("flag.test-missing.results-gap.action"),
    });
  }
  if (status !== "no-result") return undefined;
  if (events.length === 0) {
    const gap = eventsGap(dataGaps);
    return gap
      ? makeNotCheckedFlag("her2-test-missing", {
          message: text("flag.test-missing.events-gap.message", { gap: didNotLoad(gap), rule: TEST_RULE }),
          action: text("flag.test-missing.events-gap.action"),
        })
      : undefined;
  }
  const metastatic = events.some((e) => e.kind !== "primary");
  return makeFlag("her2-test-missing", {
    message: text("flag.test-missing.message", { rule: TEST_RULE }),
    action: text(metastatic ? "flag.test-missing.action.metastatic" : "flag.test-missing.action"),
    evidence: events.map((e) => e.source),
  });
}

/**
 * `undated-result`: the status rests on a result with no test or collection date (often with no specimen either, as
 * in mCODE data). The most recent conclusive specimen governs (Wolff 2018); an undated one cannot be placed in time,
 * so whether a later test replaced it, or whether it was on the primary or on metastatic tissue, cannot be told.
 */
export function undatedResultFlag(governing: SpecimenResult | undefined): Flag | undefined {
  if (!governing || !isConclusive(governing.call) || governing.group.date !== undefined) return undefined;
  return makeFlag("undated-result", {
    message: text(
      governing.group.hasSpecimenData ? "flag.undated.message" : "flag.undated.message.no-specimen",
      {
        specimen: specimenDescriptionText(governing.group),
      },
    ),
    action: text("flag.undated.action"),
    evidence: usedSources(governing),
  });
}

/** The status reason's opening for a status that rests on an undated result (undefined otherwise). */
export function undatedNote(governing: SpecimenResult | undefined): Text | undefined {
  if (!governing || !isConclusive(governing.call) || governing.group.date !== undefined) return undefined;
  return text(governing.group.hasSpecimenData ? "status.undated" : "status.undated.no-specimen");
}

interface NotCheckedContext {
  status: Her2Status;
  governing: SpecimenResult | undefined;
  dataGaps: readonly DataGap[];
  setting?: string;
  raised: ReadonlySet<FlagCode>;
  /** Whether some anti-HER2 therapy on record was given and is not finished (ongoing). */
  ongoingTherapy: boolean;
  anyTherapyGiven: boolean;
  ihcScore?: string;
  category?: string;
}

/**
 * The checks a failed query kept from being made: each flag whose inputs did not load, and that the loaded data did
 * not raise, is listed as not checked with what did not load (issue 18, point 4).
 */
export function notCheckedFlags(c: NotCheckedContext): Flag[] {
  const flags: Flag[] = [];
  const events = eventsGap(c.dataGaps);
  const medications = medicationGap(c.dataGaps);
  if (events && !c.raised.has("metastatic-retest-missing")) {
    flags.push(
      makeNotCheckedFlag("metastatic-retest-missing", {
        message: text("flag.not-checked.retest.message", { gap: didNotLoad(events) }),
        action: text("flag.not-checked.retest.action"),
      }),
    );
  }
  if (c.status === "positive" && !c.raised.has("anti-her2-therapy-not-found")) {
    const basis = c.governing ? usedSources(c.governing) : [];
    if (medications && !c.anyTherapyGiven) {
      flags.push(
        makeNotCheckedFlag("anti-her2-therapy-not-found", {
          message: text("flag.not-checked.therapy.message", { gap: didNotLoad(medications) }),
          action: text("flag.not-checked.therapy.action"),
          evidence: basis,
        }),
      );
    } else if (events && c.setting !== "metastatic" && c.anyTherapyGiven && !c.ongoingTherapy) {
      flags.push(
        makeNotCheckedFlag("anti-her2-therapy-not-found", {
          message: text("flag.not-checked.metastatic-therapy.message", { gap: didNotLoad(events) }),
          action: text("flag.not-checked.metastatic-therapy.action"),
          evidence: basis,
        }),
      );
    }
  }
  if (c.status === "negative" && c.governing && events && c.setting !== "metastatic") {
    const specimen = specimenDescriptionText(c.governing.group);
    const evidence = usedSources(c.governing);
    if (c.ihcScore === undefined && !c.governing.ihcEquivocal) {
      flags.push(
        makeNotCheckedFlag("ihc-score-needed", {
          message: text("flag.not-checked.score.message", { gap: didNotLoad(events), specimen }),
          action: text("flag.not-checked.score.action"),
          evidence,
        }),
      );
    } else if (c.ihcScore === "0" && c.category === "her2-0") {
      flags.push(
        makeNotCheckedFlag("ihc-zero-review", {
          message: text("flag.not-checked.zero.message", { gap: didNotLoad(events) }),
          action: text("flag.not-checked.zero.action"),
          evidence,
        }),
      );
    }
  }
  return flags;
}
