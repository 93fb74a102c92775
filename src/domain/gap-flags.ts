/**
 * Flags about what is missing (issue 18, points 4 and 5): a breast cancer with no HER2 test (`her2-test-missing`), a
 * status resting on an undated result (`undated-result`), and the checks that could not be made because a query
 * failed or timed out (flags with `state: "not-checked"`), so that nothing a failed query hid reads as "no flags".
 */
import { isConclusive } from "./calls";
import { makeFlag, makeNotCheckedFlag } from "./flags";
import { eventsGap } from "./setting";
import { specimenDescription, type SpecimenResult, usedSources } from "./specimen";
import type { DataGap, DiseaseEvent, Flag, FlagCode, Her2Status } from "./types";

const TYPE_WORDS: Readonly<Record<string, string>> = {
  Condition: "conditions",
  Observation: "observations",
  DiagnosticReport: "pathology reports",
  Specimen: "specimens",
  MedicationRequest: "medication orders",
  MedicationStatement: "medication statements",
  MedicationAdministration: "medication administrations",
  Medication: "medications",
};

const HOW: Readonly<Record<DataGap["kind"], string>> = {
  denied: "were not shared (access denied)",
  "not-found": "were not found",
  error: "did not load",
  timeout: "did not load in time",
  partial: "loaded only in part",
  unsupported: "cannot be searched on this server",
  excluded: "could not be proven to be this patient's",
  loading: "are still loading",
};

/** "conditions did not load in time (timeout after 20 s)": what did not load, in words, with the loader's reason. */
export function didNotLoad(gap: DataGap): string {
  const what = TYPE_WORDS[gap.resourceType] ?? gap.resourceType;
  return gap.kind === "loading" ? `${what} ${HOW.loading}` : `${what} ${HOW[gap.kind]} (${gap.reason})`;
}

const RESULT_SOURCES: ReadonlySet<string> = new Set(["Observation", "DiagnosticReport"]);

export function resultsGap(dataGaps: readonly DataGap[]): DataGap | undefined {
  return dataGaps.find((g) => g.affectsAssessment && RESULT_SOURCES.has(g.resourceType));
}

export function medicationGap(dataGaps: readonly DataGap[]): DataGap | undefined {
  return dataGaps.find((g) => g.affectsAssessment && g.resourceType.startsWith("Medication"));
}

const TEST_RULE =
  "ASCO/CAP: HER2 status is determined on every primary invasive breast cancer, and on recurrent or metastatic tissue when it is available.";

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
      message: `HER2 test on record: could not check, ${didNotLoad(results)}. ${TEST_RULE}`,
      action:
        "Check the chart's pathology reports for a HER2 result (IHC or ISH) before treatment decisions.",
    });
  }
  if (status !== "no-result") return undefined;
  if (events.length === 0) {
    const gap = eventsGap(dataGaps);
    return gap
      ? makeNotCheckedFlag("her2-test-missing", {
          message: `HER2 test for a recorded breast cancer: could not check, ${didNotLoad(gap)}. No HER2 result is on record. ${TEST_RULE}`,
          action:
            "Check the chart for a breast cancer diagnosis; if there is one, HER2 testing of the invasive tumour is needed.",
        })
      : undefined;
  }
  const metastatic = events.some((e) => e.kind !== "primary");
  const where = metastatic
    ? "the invasive tumour, and on recurrent or metastatic tissue when a biopsy is available"
    : "the invasive tumour";
  return makeFlag("her2-test-missing", {
    message: `Breast cancer is recorded, but no HER2 test result (IHC or ISH) is on record. ${TEST_RULE}`,
    action: `Order HER2 testing (IHC, with reflex ISH if IHC 2+) on ${where}, or obtain the outside HER2 report.`,
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
  const noSpecimen = governing.group.hasSpecimenData ? "" : " and no specimen";
  return makeFlag("undated-result", {
    message: `The HER2 status rests on an undated result (${specimenDescription(governing.group)}): no test or collection date${noSpecimen} is on record, so when it was done, on which tissue, and whether a later HER2 test replaced it cannot be told.`,
    action:
      "Check the pathology report for the test date and the specimen (primary or metastasis), and whether a later HER2 test exists.",
    evidence: usedSources(governing),
  });
}

/** The status reason's opening for a status that rests on an undated result (empty otherwise). */
export function undatedNote(governing: SpecimenResult | undefined): string {
  if (!governing || !isConclusive(governing.call) || governing.group.date !== undefined) return "";
  return governing.group.hasSpecimenData
    ? "Rests on an undated result (no test or collection date on record). "
    : "Rests on an undated result with no specimen (no test or collection date, no specimen on record). ";
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
        message: `Metastatic retest: could not check, ${didNotLoad(events)}. A recurrence or metastasis may be on record that was not seen; HER2 should be retested on recurrent or metastatic tissue when it is available (ASCO/CAP).`,
        action: "Check the chart for a recurrence or metastasis, and for a HER2 test on that tissue.",
      }),
    );
  }
  if (c.status === "positive" && !c.raised.has("anti-her2-therapy-not-found")) {
    const basis = c.governing ? usedSources(c.governing) : [];
    if (medications && !c.anyTherapyGiven) {
      flags.push(
        makeNotCheckedFlag("anti-her2-therapy-not-found", {
          message: `Anti-HER2 therapy: could not check, ${didNotLoad(medications)}. No anti-HER2 medication is on record in what did load; HER2-positive disease is the indication for anti-HER2 therapy.`,
          action: "Check the chart's medication list for trastuzumab, pertuzumab or another anti-HER2 drug.",
          evidence: basis,
        }),
      );
    } else if (events && c.setting !== "metastatic" && c.anyTherapyGiven && !c.ongoingTherapy) {
      flags.push(
        makeNotCheckedFlag("anti-her2-therapy-not-found", {
          message: `Current anti-HER2 therapy for metastatic disease: could not check, ${didNotLoad(events)}. The anti-HER2 therapy on record is a finished course; in metastatic disease anti-HER2 therapy continues until progression.`,
          action: "Check the chart for metastatic disease and, if present, for current anti-HER2 therapy.",
          evidence: basis,
        }),
      );
    }
  }
  if (c.status === "negative" && c.governing && events && c.setting !== "metastatic") {
    const where = specimenDescription(c.governing.group);
    const evidence = usedSources(c.governing);
    if (c.ihcScore === undefined && !c.governing.ihcEquivocal) {
      flags.push(
        makeNotCheckedFlag("ihc-score-needed", {
          message: `IHC score for metastatic disease: could not check, ${didNotLoad(events)}. No IHC score is on record for the result the status rests on (${where}); in metastatic disease it decides HER2-low or ultralow, and trastuzumab deruxtecan eligibility (DESTINY-Breast04, DESTINY-Breast06).`,
          action:
            "Check the chart for metastatic disease; if present, ask the laboratory for the IHC score of this specimen.",
          evidence,
        }),
      );
    } else if (c.ihcScore === "0" && c.category === "her2-0") {
      flags.push(
        makeNotCheckedFlag("ihc-zero-review", {
          message: `IHC 0 review for metastatic disease: could not check, ${didNotLoad(events)}. In metastatic disease, faint staining in up to 10% of cells (HER2-ultralow) makes trastuzumab deruxtecan an option (DESTINY-Breast06).`,
          action:
            "Check the chart for metastatic disease; if present, consider a pathologist re-review of the IHC 0 slide (ultralow vs null).",
          evidence,
        }),
      );
    }
  }
  return flags;
}
