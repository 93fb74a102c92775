// @vitest-environment node
/**
 * The patient page for every sandbox patient (issue 15.1), from the assessment the app would show: the FHIR layer
 * against the embedded sandbox, then the rules, then the page (rendered to markup; the node environment runs the
 * sandbox server). The expected wording is written here from the guideline's categories, not read from the texts.
 */
import { readFileSync } from "node:fs";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSandbox, startSandbox } from "../../sandbox/server";
import { assess } from "../../src/domain";
import { FLAG_NEXT_STEP, PATIENT_MESSAGES } from "../../src/domain/patient-texts";
import type { FlagCode } from "../../src/domain/types";
import { fromFetch } from "../../src/fhir/fetch-source";
import { loadPatientData } from "../../src/fhir/load";
import { buildPatientInput } from "../../src/fhir/normalise";
import { PatientExplanation } from "../../src/ui/patient/PatientExplanation";
import { accessToken, allowLoopbackRequests } from "../sandbox/helpers";

interface Scenario {
  id: string;
  file: string;
  name: string;
  birthDate: string;
  scenario: string;
  expected: { status: string; category: string; setting: string; flags: FlagCode[] };
}
const index = JSON.parse(readFileSync("sandbox/patients/index.json", "utf8")) as {
  asOf: string;
  patients: Scenario[];
};

/** What the result section must say, by status and category (HER2-GUIDELINE.md; category refines negative). */
function expectedResult(e: Scenario["expected"]): RegExp {
  if (e.status === "positive") return /Your result is HER2-positive\./;
  if (e.status === "negative") {
    if (e.category === "her2-low") return /Your result is HER2-negative\. It is also called HER2-low\./;
    if (e.category === "her2-ultralow")
      return /Your result is HER2-negative\. It is also called HER2-ultralow\./;
    if (e.category === "her2-0") return /Your result is HER2-negative, with a score of 0\./;
    return /Your result is HER2-negative\. Your cancer cells do not have too much HER2\./;
  }
  if (e.status === "equivocal") return /Your result is not clear yet\./;
  if (e.status === "indeterminate") return /We cannot tell your HER2 result/;
  return /Your HER2 result is not known yet\./;
}

/** What the treatment section must say (HER2-GUIDELINE.md "Treatment recommendation"). */
function expectedTreatment(e: Scenario["expected"]): RegExp {
  if (e.status === "positive")
    return e.setting === "early"
      ? /trastuzumab \(Herceptin\).*about one year/
      : /as long as they keep working/;
  if (e.status === "negative" && e.setting === "metastatic") {
    if (e.category === "her2-low") return /trastuzumab deruxtecan.*23\.4 months/;
    if (e.category === "her2-0") return /not used for this result/;
    return /do not help this kind of cancer/;
  }
  if (e.status === "negative") return /do not help this kind of cancer/;
  return /Your treatment will depend on your final HER2 result\./;
}

/** Words and identifiers a patient page must never show. */
const FHIR_WORDS =
  /\b(?:Observation|Specimen|Condition|DiagnosticReport|MedicationRequest|MedicationStatement|Procedure|Patient)\b|LOINC|SNOMED|urn:uuid|value(?:CodeableConcept|Quantity|String)|\{copies\}/;

/** Every resource id and identifier value in a patient's bundle. */
function identifiersOf(file: string): string[] {
  const bundle = JSON.parse(readFileSync(`sandbox/patients/${file}`, "utf8")) as {
    entry: { resource: { id?: string; identifier?: { value?: string }[] } }[];
  };
  return bundle.entry.flatMap((e) => [
    ...(e.resource.id ? [e.resource.id] : []),
    ...(e.resource.identifier ?? []).flatMap((i) => (i.value ? [i.value] : [])),
  ]);
}

const textOf = (html: string) =>
  html
    .replace(/<style[^>]*>[\s\S]*?<\/style>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

allowLoopbackRequests();

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());

describe("patient page for every sandbox patient", () => {
  for (const patient of index.patients) {
    it(`${patient.id}: ${patient.scenario}`, async () => {
      const token = await accessToken(sandbox.url, patient.id);
      const data = await loadPatientData(fromFetch(`${sandbox.url}/fhir`, token), patient.id);
      const assessment = assess(
        buildPatientInput({
          patient: `Patient/${patient.id}`,
          resources: data.resources,
          asOf: index.asOf,
          dataGaps: data.gaps,
        }),
      );
      const html = renderToStaticMarkup(
        <PatientExplanation assessment={assessment} patientName={patient.name} onBack={() => undefined} />,
      );
      const text = textOf(html);
      expect(text).toContain("Your HER2 test result");
      expect(text).toContain(`This page is for ${patient.name}.`);
      expect(text).toMatch(/Test date: (\d{4}-\d{2}-\d{2}|not on file)/);
      expect(text).toMatch(expectedResult(patient.expected));
      expect(text).toMatch(expectedTreatment(patient.expected));
      // One next step per expected flag, in the patient's words.
      for (const code of patient.expected.flags)
        expect(text, code).toContain(PATIENT_MESSAGES[FLAG_NEXT_STEP[code]]);
      const items = (html.split("What happens next")[1] ?? "").split("</ul>")[0]?.match(/<li/g) ?? [];
      expect(items).toHaveLength(Math.max(1, new Set(patient.expected.flags).size));
      expect(text).toContain("This page does not replace your doctor's advice.");
      // No FHIR words, no ids, no birth date: only the name and the test date identify the patient.
      expect(text).not.toMatch(FHIR_WORDS);
      expect(text).not.toContain(patient.birthDate);
      for (const id of identifiersOf(patient.file))
        expect(text, id).not.toMatch(
          new RegExp(`(^|[^\\w-])${id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^\\w-])`),
        );
    });
  }
});
