/**
 * The patient explanation (issue 15.1): plain-language texts held as data beside the recommendation table, versioned
 * with the rules: the page carries the assessment's `rulesVersion`, the rule set that chose its texts (this module
 * does not import src/domain/patient.ts, so the lazy patient page does not split the domain out of the index
 * bundle). Each text is an id -> message string with ICU-style placeholders
 * (`{date}`), so a message catalogue (react-intl) can take them over as they are. English texts stay at or below US
 * grade 8 (target 6) by a maintained readability library (test/domain/patient-texts.test.ts,
 * `npm run check:readability`).
 *
 * Clinical safety: a text never says more than the assessment does. Equivocal, indeterminate and no-result say the
 * result is not known yet; treatment texts say "may" and "your doctor will talk with you", never "you will get".
 * Every benefit figure names its trial (PATIENT_MESSAGE_SOURCES, cited from src/domain/citations.ts).
 */
import { CITATIONS, type CitationId } from "./citations";
import type { Assessment, FlagCode } from "./types";

export const PATIENT_MESSAGES = {
  // Page frame.
  "page.title": "Your HER2 test result",
  "page.for": "This page is for {name}.",
  "page.testDate": "Test date: {date}",
  "page.noTestDate": "Test date: not on file",
  "page.back": "Back",
  "page.print": "Print",
  "page.disclaimer":
    "This page does not replace your doctor's advice. Please talk with your care team about your own care.",
  "page.madeOn": "Made on {date} from your health record. Text version {version}.",

  // Section headings.
  "section.what": "What is HER2?",
  "section.result": "What your result means",
  "section.next": "What happens next",
  "section.treatment": "What treatment may follow",
  "section.questions": "Questions you may want to ask your doctor",
  "section.sources": "Where the numbers come from",

  // What HER2 is.
  "what.protein":
    "HER2 is a protein. It sits on the outside of some breast cancer cells. When there is too much of it, the cancer can grow faster.",
  "what.test":
    "A lab looks at a small piece of your tumor to see how much HER2 it has. The answer helps your doctor choose the best treatment for you.",

  // What this result means, by status and category (src/domain/category.ts, HER2-GUIDELINE.md).
  "result.positive":
    "Your result is HER2-positive. Your cancer cells have too much HER2. This is good to know, because there are medicines that aim right at HER2.",
  "result.negative": "Your result is HER2-negative. Your cancer cells do not have too much HER2.",
  "result.low":
    "Your result is HER2-negative. It is also called HER2-low. The cells have a small amount of HER2, but not too much.",
  "result.ultralow":
    "Your result is HER2-negative. It is also called HER2-ultralow. The lab saw a very faint trace of HER2 on a few cells.",
  "result.zero":
    "Your result is HER2-negative, with a score of 0. The lab saw little or no HER2 on the cells.",
  "result.equivocal":
    "Your result is not clear yet. The test gave an answer in the middle, called equivocal. It does not mean positive or negative. More testing is needed to know.",
  "result.indeterminate":
    "We cannot tell your HER2 result from the tests on file. This does not mean positive or negative. Your doctor will look at why.",
  "result.noResult": "There is no HER2 result on file yet. Your HER2 result is not known yet.",
  "result.severalTumours":
    "You have more than one tumor. Each one has its own HER2 result. Your doctor will explain each one to you.",
  "result.incomplete":
    "Part of your health record could not be read when this page was made. So this page may not be complete.",

  // What happens next, one text per flag code (src/domain/flags.ts).
  "next.reflex-ish-missing": "Your sample needs a second test, called ISH, to be sure of the result.",
  "next.metastatic-retest-missing":
    "Because the cancer has come back or spread, your doctor may test a new sample. HER2 can change over time.",
  "next.ihc-workup-needed": "Your sample needs one more test, called IHC, to be sure of the result.",
  "next.recount-needed": "A second expert needs to count the cells on your sample again, to be sure.",
  "next.dual-probe-ish-needed":
    "Your sample needs one more ISH test of a different kind, to be sure of the result.",
  "next.discordant-results": "Your test results do not all agree. Your doctor will look at them closely.",
  "next.interpretation-mismatch":
    "The lab's report and its test numbers do not match. Your doctor will check this with the lab.",
  "next.result-unreadable": "One of your test results could not be read. Your doctor will check it.",
  "next.result-pending": "One of your tests is not finished yet. Your doctor will tell you when it is ready.",
  "next.anti-her2-therapy-not-found":
    "Your record does not show a medicine that aims at HER2. Your doctor will check if one is right for you.",
  "next.ihc-score-needed":
    "Your doctor needs the exact score of your HER2 test. The score can show if a newer medicine may help you.",
  "next.ihc-zero-review":
    "Your doctor may ask the lab to look at your sample again. A very faint trace of HER2 can open up more choices.",
  "next.residual-disease-result":
    "Your doctor will use your first HER2 test, from before treatment, to plan what comes next.",
  "next.decalcified-negative":
    "Your sample came from bone. The way bone is made ready for the lab can hide HER2. Your doctor may test another sample.",
  "next.her2-test-missing": "Your cancer needs a HER2 test. Your doctor will ask for one.",
  "next.undated-result": "One of your results has no date on it. Your doctor will check when it was done.",
  "next.therapy-duration-exceeds":
    "Your HER2 medicine has gone on longer than the usual one year. Your doctor will check if you still need it.",
  "next.notChecked":
    "Some checks could not be done, because part of your record did not load. Your doctor will look at this.",
  "next.none": "Nothing more is needed for your HER2 test right now.",
  "next.askDoctor": "Your doctor will tell you what comes next.",

  // What treatment usually follows (src/domain/recommendation.ts, HER2-GUIDELINE.md "Treatment recommendation").
  "treatment.positive.early":
    "Medicines that aim at HER2 work well for this kind of cancer. The main one is trastuzumab (Herceptin). It is often given with chemo, for about one year in all.",
  "treatment.positive.early.benefit":
    "Two large studies (B-31 and N9831) tested trastuzumab. In them, it cut by about half the number of women whose cancer came back.",
  "treatment.positive.early.duration":
    "In another large study (HERA), two years of it worked no better than one year.",
  "treatment.positive.metastatic":
    "Medicines that aim at HER2 are the main treatment when the cancer has spread. Often two of them, trastuzumab and pertuzumab, are given with chemo. They go on for as long as they keep working.",
  "treatment.positive.metastatic.benefit":
    "In a large study (CLEOPATRA), half the people on both medicines lived longer than 56.5 months. With trastuzumab alone, it was 40.8 months.",
  "treatment.positive.unknown":
    "Medicines that aim at HER2, like trastuzumab (Herceptin), are the main treatment. How long you get them depends on whether the cancer has spread. If it has not spread, it is about one year. If it has spread, it goes on for as long as it works.",
  "treatment.low.metastatic":
    "A newer drug may be a choice for you. Its name is trastuzumab deruxtecan, or Enhertu. It is often used after chemo.",
  "treatment.low.metastatic.benefit":
    "In a large study (DESTINY-Breast04), half the people on it lived longer than 23.4 months. With chemo, it was 16.8 months.",
  "treatment.ultralow.metastatic":
    "A newer drug may be a choice for you. Its name is trastuzumab deruxtecan, or Enhertu. This is if your cancer also grows with hormones. It is used after hormone treatment.",
  "treatment.zero.metastatic":
    "Medicines that aim at HER2 are not used for this result. Ask your doctor if the lab saw a very faint trace of HER2. That can make a newer medicine a choice.",
  "treatment.negative":
    "Medicines that aim at HER2 do not help this kind of cancer. Your doctor will talk with you about other treatments that fit your cancer.",
  "treatment.negative.later":
    "If the cancer ever comes back or spreads, a new HER2 test can matter. A newer medicine may then be a choice.",
  "treatment.waiting":
    "Your treatment will depend on your final HER2 result. Your doctor will talk with you about it when the result is known.",

  // Questions to ask the doctor.
  "question.mean": "What does my HER2 result mean for me?",
  "question.moreTests": "Do I need more tests? When will I get the results?",
  "question.treatment": "Which treatment do you suggest for me, and why?",
  "question.sideEffects": "What side effects could I have? What should I do if I get them?",
  "question.heart": "How will you check my heart while I get this medicine?",
  "question.howLong": "How long will I get this medicine?",
  "question.change": "Could my HER2 result change if the cancer comes back?",
  "question.call": "Who can I call if I have more questions?",
} as const satisfies Record<string, string>;

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

/** What the patient page shows, as message ids: the UI formats them (and later, translates them). */
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
 * A message with its `{placeholders}` filled in (ICU simple arguments only; a missing value stays visible as
 * `{name}` so a test catches it). react-intl's `formatMessage` takes the same ids and values.
 */
export function formatPatientMessage(msg: PatientMessage): string {
  return PATIENT_MESSAGES[msg.id].replace(/\{(\w+)\}/g, (whole, key: string) => msg.values?.[key] ?? whole);
}
