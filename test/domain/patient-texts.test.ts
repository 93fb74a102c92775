// @vitest-environment node
import { describe, expect, it } from "vitest";
import { CITATIONS } from "../../src/domain/citations";
import { FLAG_CODES } from "../../src/domain/codes";
import { RULES_VERSION } from "../../src/domain/patient";
import {
  FLAG_NEXT_STEP,
  PATIENT_MESSAGES,
  PATIENT_TEXTS,
  explainForPatient,
  formatPatientMessage,
  type PatientExplanation,
} from "../../src/domain/patient-texts";
import type { Assessment, Flag } from "../../src/domain/types";
import {
  MAX_SENTENCE,
  measureSentences,
  patientTextLevels,
  sentenceLengths,
} from "../../scripts/readability";
import { ALL_FLAGS, assessment } from "../ui/fixtures";

const ids = (page: PatientExplanation, part: "result" | "nextSteps" | "treatment" | "questions") =>
  page[part].map((msg) => msg.id);
const pageText = (page: PatientExplanation) =>
  [...page.what, ...page.result, ...page.nextSteps, ...page.treatment, ...page.questions]
    .map(formatPatientMessage)
    .join(" ");

const final = (overrides: Partial<Assessment>): Assessment => assessment({ flags: [], ...overrides });

describe("patient texts (issue 15.1)", () => {
  it("carry the rules version and every message is an id -> string with simple ICU placeholders", () => {
    expect(PATIENT_TEXTS.locale).toBe("en");
    expect(explainForPatient(assessment({ rulesVersion: RULES_VERSION })).rulesVersion).toBe(RULES_VERSION);
    for (const [id, text] of Object.entries(PATIENT_MESSAGES)) {
      expect(typeof text, id).toBe("string");
      // Only simple arguments ({name}), no plural/select syntax yet, and no unbalanced braces.
      expect(text.replace(/\{\w+\}/g, ""), id).not.toMatch(/[{}]/);
    }
  });

  it("has a next-step text for every flag code", () => {
    for (const code of FLAG_CODES) expect(PATIENT_MESSAGES[FLAG_NEXT_STEP[code]], code).toBeTruthy();
    const page = explainForPatient(assessment({ flags: ALL_FLAGS }));
    expect(ids(page, "nextSteps")).toEqual([...new Set(ALL_FLAGS.map((f) => FLAG_NEXT_STEP[f.code]))]);
  });

  it("says what the brief asks for the reflex-ISH and metastatic-retest flags", () => {
    const flag = (code: Flag["code"]): Flag => ({ code, severity: "action", message: "m", evidence: [] });
    const page = explainForPatient(
      assessment({ flags: [flag("reflex-ish-missing"), flag("metastatic-retest-missing")] }),
    );
    const text = pageText(page);
    expect(text).toContain("Your sample needs a second test, called ISH");
    expect(text).toContain("Because the cancer has come back or spread, your doctor may test a new sample");
  });

  it("never states a result for equivocal, indeterminate or no-result, and gives no treatment figures then", () => {
    for (const status of ["equivocal", "indeterminate", "no-result"] as const) {
      const page = explainForPatient(assessment({ status, category: "unknown" }));
      const result = page.result.map(formatPatientMessage).join(" ");
      expect(result, status).not.toMatch(/Your result is HER2-(positive|negative)/);
      expect(result, status).toMatch(/not clear yet|cannot tell|not known yet/);
      expect(ids(page, "treatment"), status).toEqual(["treatment.waiting"]);
      expect(page.sources, status).toEqual([]);
      expect(ids(page, "questions"), status).toContain("question.moreTests");
    }
  });

  it("tells HER2-low, ultralow, 0 and plain negative apart, all as HER2-negative", () => {
    const result = (category: Assessment["category"]) =>
      explainForPatient(final({ status: "negative", category }))
        .result.map(formatPatientMessage)
        .join(" ");
    expect(result("her2-low")).toMatch(/HER2-negative\. It is also called HER2-low/);
    expect(result("her2-ultralow")).toMatch(/HER2-negative\. It is also called HER2-ultralow/);
    expect(result("her2-0")).toMatch(/HER2-negative, with a score of 0/);
    expect(result("her2-negative")).toBe(
      "Your result is HER2-negative. Your cancer cells do not have too much HER2.",
    );
  });

  it("gives the early HER2-positive treatment with one year of trastuzumab and its trial sources", () => {
    const page = explainForPatient(
      final({ status: "positive", category: "her2-positive", setting: "early" }),
    );
    const text = pageText(page);
    expect(text).toContain("trastuzumab (Herceptin)");
    expect(text).toContain("about one year");
    // Romond 2005: hazard ratio 0.48 for a recurrence event; HERA: 2 years no better than 1.
    expect(text).toContain("by about half");
    expect(page.sources).toEqual([CITATIONS.romond2005.text, CITATIONS.goldhirsch2013.text]);
    expect(ids(page, "nextSteps")).toEqual(["next.none"]);
    expect(ids(page, "questions")).toContain("question.heart");
  });

  it("gives CLEOPATRA's survival for metastatic HER2-positive and DESTINY-Breast04's for HER2-low", () => {
    const pos = explainForPatient(
      final({ status: "positive", category: "her2-positive", setting: "metastatic" }),
    );
    expect(pageText(pos)).toMatch(/CLEOPATRA.*56\.5 months.*40\.8 months/);
    expect(pageText(pos)).toContain("for as long as they keep working");
    expect(pos.sources).toEqual([CITATIONS.swain2015.text]);
    const low = explainForPatient(final({ status: "negative", category: "her2-low", setting: "metastatic" }));
    expect(pageText(low)).toMatch(/trastuzumab deruxtecan.*DESTINY-Breast04.*23\.4 months.*16\.8 months/);
    expect(low.sources).toEqual([CITATIONS.modi2022.text, CITATIONS.fdaTdxd.text]);
    const ultralow = explainForPatient(
      final({ status: "negative", category: "her2-ultralow", setting: "metastatic" }),
    );
    expect(ultralow.sources).toContain(CITATIONS.bardia2024.text);
  });

  it("names checks that could not run once, without the flag's own next step", () => {
    const notChecked: Flag = {
      code: "anti-her2-therapy-not-found",
      severity: "warning",
      message: "m",
      evidence: [],
      state: "not-checked",
    };
    const page = explainForPatient(
      final({ status: "positive", category: "her2-positive", flags: [notChecked] }),
    );
    expect(ids(page, "nextSteps")).toEqual(["next.notChecked"]);
  });

  it("says when the record is incomplete or there are several tumours", () => {
    const page = explainForPatient(
      final({
        status: "positive",
        category: "her2-positive",
        dataGaps: [{ resourceType: "Observation", kind: "denied", reason: "403", affectsAssessment: true }],
        tumours: [
          { tumour: "left breast", status: "positive", category: "her2-positive", statusReason: "" },
          { tumour: "right breast", status: "negative", category: "her2-low", statusReason: "" },
        ],
      }),
    );
    expect(ids(page, "result")).toEqual(["result.positive", "result.severalTumours", "result.incomplete"]);
  });

  it("fills placeholders and leaves a missing one visible", () => {
    expect(formatPatientMessage({ id: "page.testDate", values: { date: "2024-03-02" } })).toBe(
      "Test date: 2024-03-02",
    );
    expect(formatPatientMessage({ id: "page.testDate" })).toBe("Test date: {date}");
  });
});

describe("reading level (issue 15.2)", () => {
  const rows = patientTextLevels();

  it("measures every text the page can show", () => {
    expect(rows.map((r) => r.id)).toEqual([...Object.keys(PATIENT_MESSAGES), "all"]);
  });

  it("keeps every English text at or below US grade 8 (Flesch-Kincaid), and the page as a whole at grade 6", () => {
    const over = rows.filter((r) => r.fleschKincaid > 8).map((r) => `${r.id} ${String(r.fleschKincaid)}`);
    expect(over).toEqual([]);
    const all = rows.find((r) => r.id === "all");
    expect(all?.fleschKincaid).toBeLessThanOrEqual(6);
  });

  it("scores a hard clinical sentence above grade 8, so the measure can fail", async () => {
    const { default: readability } = await import("text-readability");
    expect(
      readability.fleschKincaidGrade(
        "Immunohistochemistry demonstrated equivocal membranous immunoreactivity necessitating reflex in situ hybridization.",
      ),
    ).toBeGreaterThan(8);
  });

  it.each(["es", "zh-CN"] as const)("keeps every %s sentence within its length limit", (locale) => {
    const rows = sentenceLengths(locale);
    expect(rows.map((r) => r.id)).toEqual(Object.keys(PATIENT_MESSAGES));
    const over = rows.filter((r) => r.lengths.some((n) => n > MAX_SENTENCE[locale]));
    expect(over.map((r) => `${r.id} ${r.lengths.join(",")}`)).toEqual([]);
  });

  it("counts Spanish words and Chinese characters per sentence, so the limit can fail", () => {
    expect(measureSentences("¿Qué es HER2? El 56,5 de DESTINY-Breast04 cuenta una vez.", "es")).toEqual([
      3, 7,
    ]);
    expect(measureSentences("什么是 HER2？它是一种蛋白质。", "zh-CN")).toEqual([4, 7]);
    const long =
      "La inmunohistoquímica mostró una tinción membranosa incompleta y débil en más del diez por ciento de las células tumorales invasivas, lo que obliga a una hibridación in situ.";
    expect(measureSentences(long, "es")[0]).toBeGreaterThan(MAX_SENTENCE.es);
  });
});
