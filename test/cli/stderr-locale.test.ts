// @vitest-environment node
/**
 * The review's stderr in es and zh-CN (issue 15): the warnings for skipped lines, the notes for skipped resources and
 * files, and the line for a patient that could not be assessed are in the locale's words; `file:line`, codes,
 * references and an error's own text stay as they are. English stays the lines scripts grep, and stdout is the same
 * bytes in every locale.
 */
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import type { Locale } from "../../src/i18n/locales";
import { review, type ReviewTuning } from "../../src/cli/review";
import {
  AS_OF,
  breastCancer,
  ihc,
  patient,
  Sink,
  tempDir,
  writeJson,
  writeNdjson,
  writeText,
} from "./helpers";

/** The rules' input cannot be built for Patient/boom: a bug in the app's modules, which the review must survive. */
const BUG = "E_TEST_42";
vi.mock("../../src/fhir/normalise", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../src/fhir/normalise")>();
  return {
    ...actual,
    buildPatientInput: (args: Parameters<typeof actual.buildPatientInput>[0]) => {
      if (JSON.stringify(args.patient).includes("boom")) throw new Error(BUG);
      return actual.buildPatientInput(args);
    },
  };
});

const JUNK = "{not json";
/** V8's own message for the junk line: system text, shown as it is in every locale. */
const JSON_ERROR = ((): string => {
  try {
    JSON.parse(JUNK);
  } catch (error) {
    return (error as Error).message;
  }
  return "";
})();

/** A folder with a line that is not JSON, a line that is not a resource, a resource of no patient, a type the rules
 * do not use, an empty file, a Bulk Data manifest, and two patients, one of which cannot be assessed. */
function messyFolder(): string {
  const dir = tempDir();
  writeNdjson(dir, "Patient.ndjson", [patient("boom"), patient("ok")]);
  writeText(
    dir,
    "Observation.ndjson",
    [
      JSON.stringify(ihc("ok-ihc", "Patient/ok", "3+")),
      JUNK,
      JSON.stringify({ id: "x" }),
      JSON.stringify({ ...ihc("grp", "Patient/ok", "1+"), subject: { reference: "Group/g1" } }),
      JSON.stringify({ resourceType: "Encounter", id: "e1", subject: { reference: "Patient/ok" } }),
      JSON.stringify({ resourceType: "Encounter", id: "e2", subject: { reference: "Patient/ok" } }),
      "",
    ].join("\n"),
  );
  writeNdjson(dir, "Condition.ndjson", [
    breastCancer("c-ok", "Patient/ok"),
    breastCancer("c-boom", "Patient/boom"),
  ]);
  writeText(dir, "Procedure.ndjson", "");
  writeJson(dir, "manifest.json", { transactionTime: "2026-11-01T00:00:00Z", request: "x", output: [] });
  return dir;
}

async function run(dir: string, locale: Locale, tuning: ReviewTuning = { workers: 0 }) {
  const stdout = new Sink();
  const stderr = new Sink();
  const result = await review(
    { inputs: [dir], format: "ndjson", asOf: AS_OF, flags: [], statuses: [], locale },
    { stdout, stderr },
    tuning,
  );
  return { exitCode: result.exitCode, stdout: stdout.text, stderr: stderr.text };
}

/** English words of the warning, note and error lines, as they are written (FHIR types such as Patient are codes). */
const ENGLISH = [
  "warning",
  "note",
  "error",
  "skipped",
  "not valid",
  "resource",
  "resources",
  "cannot",
  "proven",
  "belong",
  "patient",
  "type not used",
  "first here",
  "empty file",
  "nothing read",
  "manifest",
  "folder",
  "could not",
  "assessed",
  "left out",
];
/** Words that are the same in the locale ("error" is Spanish too). */
const SAME_WORD: Readonly<Record<Locale, readonly string[]>> = { en: [], es: ["error"], "zh-CN": [] };
const englishIn = (locale: Locale): RegExp =>
  new RegExp(`\\b(${ENGLISH.filter((w) => !SAME_WORD[locale].includes(w)).join("|")})\\b`);

/** The stderr lines with the data taken out (each piece becomes §): paths, the JSON error, the bug's text, references, codes. */
function wordsOf(stderr: string, dir: string): string[] {
  return stderr
    .trimEnd()
    .split("\n")
    .filter((line) => !line.startsWith("her2 review:"))
    .map((line) =>
      line
        .replaceAll(dir, "§")
        .replace(/§\/[\w.]+/g, "§")
        .replaceAll(JSON_ERROR, "§")
        .replaceAll(BUG, "§")
        .replace(/"[^"]*"/g, "§")
        .replace(/\b(Patient|Observation|Encounter|Group)\/[\w.-]+/g, "§")
        .replace(/\b(Encounter|Observation|resourceType|Bundle|Bulk Data|FHIR|HER2|her2)\b/g, "§"),
    );
}

describe("the review's stderr in the locale", () => {
  it("English: the lines scripts grep, exactly as before", async () => {
    const dir = messyFolder();
    const { exitCode, stderr } = await run(dir, "en");
    expect(exitCode).toBe(1);
    const obs = join(dir, "Observation.ndjson");
    const lines = stderr.trimEnd().split("\n");
    expect(lines.slice(0, -1)).toEqual([
      `${obs}:2: warning: not valid JSON (${JSON_ERROR}); line skipped`,
      `${obs}:3: warning: not a FHIR resource (no resourceType); line skipped`,
      `${obs}:4: warning: Observation/grp cannot be proven to belong to a patient (its subject "Group/g1" names a Group, not a patient); skipped`,
      `${obs}:5: note: skipped 2 Encounter resources (type not used by the HER2 rules), first here`,
      `${join(dir, "Procedure.ndjson")}: warning: empty file; nothing read`,
      `${join(dir, "manifest.json")}: note: skipped: a Bulk Data manifest, not FHIR data: pass the export folder instead`,
      `her2: error: Patient/boom could not be assessed (${BUG}); left out`,
    ]);
  });

  it.each<[Locale, RegExp]>([
    ["es", /advertencia: JSON no válido/],
    ["zh-CN", /警告：不是有效的 JSON/],
  ])("%s: the same lines with no English word of them; stdout the same bytes", async (locale, sample) => {
    const dir = messyFolder();
    const english = await run(dir, "en");
    const translated = await run(dir, locale);
    expect(translated.exitCode).toBe(1);
    expect(translated.stdout).toBe(english.stdout);
    expect(translated.stdout).toContain('"patient":"Patient/ok"');
    expect(translated.stderr).toMatch(sample);
    const lines = wordsOf(translated.stderr, dir);
    expect(lines).toHaveLength(wordsOf(english.stderr, dir).length);
    for (const line of lines) expect(line, line).not.toMatch(englishIn(locale));
    // The data in them as it is: where, the error's own words, the reference and the patient.
    const obs = join(dir, "Observation.ndjson");
    expect(translated.stderr).toContain(`${obs}:2`);
    expect(translated.stderr).toContain(JSON_ERROR);
    expect(translated.stderr).toContain('"Group/g1"');
    expect(translated.stderr).toContain(`Patient/boom`);
    expect(translated.stderr).toContain(BUG);
  });

  it("es: the warnings of lines a scan worker read are in Spanish too (messages cross the thread as data)", async () => {
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("ok")]);
    writeText(
      dir,
      "Observation.ndjson",
      [
        ...Array.from({ length: 50 }, (_, i) => JSON.stringify(ihc(`o${i}`, "Patient/ok", "1+"))),
        JUNK,
        JSON.stringify({ id: "x" }),
        "",
      ].join("\n"),
    );
    const inProcess = await run(dir, "es");
    const withWorker = await run(dir, "es", { workers: 1, parallelScanFromBytes: 0 });
    expect(withWorker.stderr).toBe(inProcess.stderr);
    expect(withWorker.stderr).toContain(`${join(dir, "Observation.ndjson")}:51: advertencia: JSON no válido`);
    expect(withWorker.stderr).toContain(
      ":52: advertencia: no es un recurso FHIR (sin resourceType); línea omitida",
    );
  });

  it("es on a terminal: the reading and assessing progress lines in Spanish, in-process too", async () => {
    const dir = messyFolder();
    const stderr = new Sink();
    stderr.isTTY = true;
    await review(
      { inputs: [dir], format: "ndjson", asOf: AS_OF, flags: [], statuses: [], locale: "es" },
      { stdout: new Sink(), stderr },
      { workers: 0 },
    );
    expect(stderr.text).toMatch(/leyendo \S+: línea \d+ \(\d+ % de la entrada leída\)/);
    expect(stderr.text).toMatch(/evaluando paciente \d+ de 2/);
    expect(stderr.text).not.toMatch(/\b(reading|assessing patient)\b/);
  });
});
