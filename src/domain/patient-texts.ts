/**
 * The patient explanation (issue 15.1): plain-language texts held as data beside the recommendation table, versioned
 * with the rules: the page carries the assessment's `rulesVersion`, the rule set that chose its texts (this module
 * does not import src/domain/patient.ts, so the lazy patient page does not split the domain out of the index
 * bundle). Each text is an id -> ICU message with simple placeholders (`{date}`), held as one flat JSON catalog per
 * locale in `patient-page/messages/` (en, es, zh-CN); the UI formats them in the reader's locale. English texts stay
 * at or below US grade 8 (target 6) by a maintained readability library (test/domain/patient-texts.test.ts,
 * `npm run check:readability`, which also prints the sentence lengths of es and zh-CN).
 *
 * Clinical safety: a text never says more than the assessment does. Equivocal, indeterminate and no-result say the
 * result is not known yet; treatment texts say "may" and "your doctor will talk with you", never "you will get".
 * Every benefit figure names its trial (PATIENT_MESSAGE_SOURCES, cited from src/domain/citations.ts).
 */
import { CITATIONS, type CitationId } from "./citations";
import EN_MESSAGES from "./patient-page/messages/en.json";
import type { Assessment, FlagCode } from "./types";

/**
 * The English texts (reviewed wording), by id. The catalog is `patient-page/messages/en.json`; `es.json` and
 * `zh-CN.json` beside it hold the same ids with the same placeholders (test/i18n/catalogs.test.ts), and the safety
 * rules above hold for every locale: a translation never says more than the English.
 */
export const PATIENT_MESSAGES = EN_MESSAGES;

export type PatientMessageId = keyof typeof PATIENT_MESSAGES;

/** One message to show: its id and the values for its placeholders. */
export interface PatientMessage {
  id: PatientMessageId;
  values?: Readonly<Record<string, string>>;
}

/**
 * The sources of the texts that state a benefit or a treatment (shown under "Where the numbers come from"):
 * - Romond 2005 (NSABP B-31 / N9831): hazard ratio 0.48 for a disease-free-survival event, about half fewer.
 * - Goldhirsch 2013 (HERA): 2 years of trastuzumab no better than 1 year (HR 0.99).
 * - Swain 2015 (CLEOPATRA): median overall survival 56.5 vs 40.8 months with pertuzumab added.
 * - Modi 2022 (DESTINY-Breast04): median overall survival 23.4 vs 16.8 months, all patients.
 * - Bardia 2024 (DESTINY-Breast06) and the FDA 2025 approval: HER2-ultralow, HR-positive, after endocrine therapy.
 */
export const PATIENT_MESSAGE_SOURCES: Readonly<Partial<Record<PatientMessageId, readonly CitationId[]>>> = {
  "treatment.positive.early": ["romond2005", "goldhirsch2013"],
  "treatment.positive.early.benefit": ["romond2005"],
  "treatment.positive.early.duration": ["goldhirsch2013"],
  "treatment.positive.metastatic": ["swain2015"],
  "treatment.positive.metastatic.benefit": ["swain2015"],
  "treatment.positive.unknown": ["romond2005", "goldhirsch2013", "swain2015"],
  "treatment.low.metastatic": ["modi2022", "fdaTdxd"],
  "treatment.low.metastatic.benefit": ["modi2022"],
  "treatment.ultralow.metastatic": ["bardia2024", "fdaTdxd"],
  "treatment.zero.metastatic": ["bardia2024"],
  "treatment.negative.later": ["wolff2018", "modi2022"],
  "next.metastatic-retest-missing": ["wolff2018"],
};

/** The next-step text for each flag code: every code has one (checked by the type). */
export const FLAG_NEXT_STEP: Readonly<Record<FlagCode, PatientMessageId>> = {
  "reflex-ish-missing": "next.reflex-ish-missing",
  "metastatic-retest-missing": "next.metastatic-retest-missing",
  "ihc-workup-needed": "next.ihc-workup-needed",
  "recount-needed": "next.recount-needed",
  "dual-probe-ish-needed": "next.dual-probe-ish-needed",
  "discordant-results": "next.discordant-results",
  "interpretation-mismatch": "next.interpretation-mismatch",
  "result-unreadable": "next.result-unreadable",
  "result-pending": "next.result-pending",
  "anti-her2-therapy-not-found": "next.anti-her2-therapy-not-found",
  "ihc-score-needed": "next.ihc-score-needed",
  "ihc-zero-review": "next.ihc-zero-review",
  "residual-disease-result": "next.residual-disease-result",
  "decalcified-negative": "next.decalcified-negative",
  "her2-test-missing": "next.her2-test-missing",
  "undated-result": "next.undated-result",
  "therapy-duration-exceeds": "next.therapy-duration-exceeds",
};

/** The texts as one catalogue per locale (the shape a message library loads). */
export const PATIENT_TEXTS = { locale: "en", messages: PATIENT_MESSAGES } as const;

/** What the patient page shows, as message ids: the UI formats them in the reader's locale. */
export interface PatientExplanation {
  /** The rule set that chose these texts (the assessment's). */
  rulesVersion: string;
  /** The date of the test the status rests on, when there is one (the only date shown besides the page's). */
  testDate?: string;
  asOf: string;
  what: PatientMessage[];
  result: PatientMessage[];
  nextSteps: PatientMessage[];
  treatment: PatientMessage[];
  questions: PatientMessage[];
  /** Citation texts of the shown messages that state a benefit or treatment. */
  sources: string[];
}

const m = (id: PatientMessageId): PatientMessage => ({ id });

/** What the result means: one text per status, refined by category for a negative status. */
function resultMessages(a: Pick<Assessment, "status" | "category">): PatientMessage[] {
  switch (a.status) {
    case "positive":
      return [m("result.positive")];
    case "negative":
      // The category refines a negative status (src/domain/category.ts); it never replaces it.
      return [
        m(
          a.category === "her2-low"
            ? "result.low"
            : a.category === "her2-ultralow"
              ? "result.ultralow"
              : a.category === "her2-0"
                ? "result.zero"
                : "result.negative",
        ),
      ];
    case "equivocal":
      return [m("result.equivocal")];
    case "indeterminate":
      return [m("result.indeterminate")];
    case "no-result":
      return [m("result.noResult")];
  }
}

/**
 * What treatment usually follows, matched to the recommendation table's rows (src/domain/recommendation.ts): only a
 * final status (positive, negative) gets a treatment text; every other status waits for the final result.
 */
function treatmentMessages(a: Pick<Assessment, "status" | "category" | "setting">): PatientMessage[] {
  if (a.status === "positive") {
    if (a.setting === "early")
      return [
        m("treatment.positive.early"),
        m("treatment.positive.early.benefit"),
        m("treatment.positive.early.duration"),
      ];
    if (a.setting === "metastatic")
      return [m("treatment.positive.metastatic"), m("treatment.positive.metastatic.benefit")];
    return [m("treatment.positive.unknown")];
  }
  if (a.status === "negative") {
    if (a.setting === "metastatic") {
      if (a.category === "her2-low")
        return [m("treatment.low.metastatic"), m("treatment.low.metastatic.benefit")];
      if (a.category === "her2-ultralow") return [m("treatment.ultralow.metastatic")];
      if (a.category === "her2-0") return [m("treatment.zero.metastatic")];
      return [m("treatment.negative")];
    }
    return [m("treatment.negative"), m("treatment.negative.later")];
  }
  return [m("treatment.waiting")];
}

/** The patient explanation of an assessment: which texts the page shows, in order. */
export function explainForPatient(a: Assessment): PatientExplanation {
  const result = resultMessages(a);
  if ((a.tumours?.length ?? 0) > 1) result.push(m("result.severalTumours"));
  if (a.dataGaps.some((g) => g.affectsAssessment)) result.push(m("result.incomplete"));

  const raised = a.flags.filter((f) => f.state !== "not-checked");
  const nextIds = [...new Set(raised.map((f) => FLAG_NEXT_STEP[f.code]))];
  const nextSteps = nextIds.map(m);
  if (raised.length < a.flags.length) nextSteps.push(m("next.notChecked"));
  const final = a.status === "positive" || a.status === "negative";
  if (nextSteps.length === 0) nextSteps.push(m(final ? "next.none" : "next.askDoctor"));

  const treatment = treatmentMessages(a);
  const questions: PatientMessage[] = [m("question.mean")];
  if (!final || raised.some((f) => f.severity === "action")) questions.push(m("question.moreTests"));
  questions.push(m("question.treatment"), m("question.sideEffects"));
  if (a.status === "positive") questions.push(m("question.heart"), m("question.howLong"));
  if (a.status === "negative") questions.push(m("question.change"));
  questions.push(m("question.call"));

  const ids = new Set([...nextSteps, ...treatment].flatMap((msg) => PATIENT_MESSAGE_SOURCES[msg.id] ?? []));
  return {
    rulesVersion: a.rulesVersion,
    testDate: a.basis?.date,
    asOf: a.asOf,
    what: [m("what.protein"), m("what.test")],
    result,
    nextSteps,
    treatment,
    questions,
    sources: [...ids].map((id) => CITATIONS[id].text),
  };
}

/**
 * An English message with its `{placeholders}` filled in (ICU simple arguments only; a missing value stays visible as
 * `{name}` so a test catches it), for pure code and tests. The page formats every locale with intl-messageformat
 * (src/i18n/format.ts), which takes the same ids and values.
 */
export function formatPatientMessage(msg: PatientMessage): string {
  return PATIENT_MESSAGES[msg.id].replace(/\{(\w+)\}/g, (whole, key: string) => msg.values?.[key] ?? whole);
}
