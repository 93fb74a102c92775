// @vitest-environment node
/**
 * The FHIR loader's data-gap reasons as messages (issue 15): every gap the FHIR layer writes carries `reasonText`, its
 * `reason` is the English rendering of it and reads exactly as before (the old strings are written out here), and in
 * Spanish and Chinese it renders with no English sentence of the FHIR catalog left, the server's own words (an
 * OperationOutcome's diagnostics, a network error, the HTTP status line) and the record's references kept as they
 * came.
 */
import type { Bundle, Observation, OperationOutcome, Resource } from "fhir/r4";
import { beforeAll, describe, expect, it } from "vitest";
import { readFhirJson } from "../../src/cli/bundle-reader";
import { assess, type Assessment } from "../../src/domain";
import DOMAIN_ES from "../../src/domain/messages/es.json";
import DOMAIN_ZH from "../../src/domain/messages/zh-CN.json";
import { type Catalog, renderText, type Text } from "../../src/domain/text";
import type { DataGap, PatientInput } from "../../src/domain/types";
import { parseCapabilities } from "../../src/fhir/capabilities";
import { EMPTY_CODE_MAP } from "../../src/fhir/code-map";
import EN from "../../src/fhir/messages/en.json";
import ES from "../../src/fhir/messages/es.json";
import ZH from "../../src/fhir/messages/zh-CN.json";
import { buildPatientInput } from "../../src/fhir/normalise";
import { membershipOf } from "../../src/fhir/patient-membership";
import { planInitialQueries, unsupportedSearch } from "../../src/fhir/query-plan";
import { QueryRunner, type RunnerOptions } from "../../src/fhir/query-runner";
import type { FhirResponse, FhirSource } from "../../src/fhir/source";
import { en } from "../../src/fhir/text";
import { loadDomainCatalog, localizeAssessment } from "../../src/i18n/localize-assessment";
import { capabilityStatement } from "./fhir-mock";
import { englishRuns, idsOf, withoutValues } from "./text-checks";

const BASE = "https://ehr.example.test/fhir/r4";

/** A source answering each URL with the scripted answer: a response, an error to throw, or "hang" (until aborted). */
function source(answers: Record<string, FhirResponse | Error | "hang">): FhirSource {
  return {
    baseUrl: BASE,
    get(url, { signal }) {
      const answer = answers[url];
      if (answer === undefined) throw new Error(`unexpected request ${url}`);
      if (answer instanceof Error) return Promise.reject(answer);
      if (answer === "hang") {
        return new Promise((_, reject) => {
          signal.addEventListener("abort", () => {
            reject(new Error("aborted"));
          });
        });
      }
      return Promise.resolve(answer);
    },
  };
}

const ok = (body: unknown): FhirResponse => ({ status: 200, headers: {}, body });
const status = (code: number, body?: unknown): FhirResponse => ({ status: code, headers: {}, body });
const outcome = (severity: "error" | "information", diagnostics?: string): OperationOutcome => ({
  resourceType: "OperationOutcome",
  issue: [{ severity, code: "processing", ...(diagnostics ? { diagnostics } : {}) }],
});
/** An error issue with neither diagnostics nor details: only its code (here blank, or "processing") names it. */
const bare = (code: string): OperationOutcome => ({
  resourceType: "OperationOutcome",
  issue: [{ severity: "error", code: code as "processing" }],
});
const bundle = (entry: Bundle["entry"], rest: Partial<Bundle> = {}): Bundle => ({
  resourceType: "Bundle",
  type: "searchset",
  entry,
  ...rest,
});
const obs = (id: string): Observation => ({
  resourceType: "Observation",
  id,
  status: "final",
  code: { text: "HER2" },
  subject: { reference: "Patient/p1" },
});

async function gapOf(
  resourceType: string,
  answers: Record<string, FhirResponse | Error | "hang">,
  options: RunnerOptions = {},
): Promise<DataGap> {
  const result = await new QueryRunner(source(answers), { maxRetries: 0, ...options }).run(
    resourceType,
    ["q"],
    true,
  );
  if (!result.gap) throw new Error("no gap");
  return result.gap;
}

const LOOP = `${BASE}/Observation?page=2`;

/** Each gap kind the query runner writes, with the reason it wrote before its reasons were messages. */
const RUNNER_CASES: { name: string; gap: () => Promise<DataGap>; kind: DataGap["kind"]; old: string }[] = [
  {
    name: "401",
    gap: () => gapOf("Observation", { q: status(401) }),
    kind: "denied",
    old: "401 Unauthorized loading Observation: the access token was rejected or has expired; relaunch the app from the EHR.",
  },
  {
    name: "403 with the server's words",
    gap: () =>
      gapOf("Condition", { q: status(403, outcome("error", "Scope patient/Condition.read not granted")) }),
    kind: "denied",
    old: "403 Forbidden loading Condition: access was denied; the scope patient/Condition.rs (or patient/Condition.read) may not have been granted. Server says: Scope patient/Condition.read not granted",
  },
  {
    name: "404",
    gap: () => gapOf("Specimen", { q: status(404) }),
    kind: "not-found",
    old: "404 Not Found loading Specimen.",
  },
  {
    name: "429",
    gap: () => gapOf("MedicationRequest", { q: status(429) }),
    kind: "error",
    old: "429 Too Many Requests loading MedicationRequest: the server kept asking to wait.",
  },
  {
    name: "5xx with the server's words",
    gap: () => gapOf("Observation", { q: status(503, outcome("error", "Database unavailable")) }),
    kind: "error",
    old: "503 server error loading Observation. Server says: Database unavailable",
  },
  {
    name: "another HTTP status",
    gap: () => gapOf("Observation", { q: status(418) }),
    kind: "error",
    old: "HTTP 418 loading Observation.",
  },
  {
    name: "not JSON",
    gap: () =>
      gapOf("Observation", { q: { status: 200, headers: {}, parseError: "Unexpected token < in JSON" } }),
    kind: "error",
    old: "the answer for Observation is not valid JSON (Unexpected token < in JSON)",
  },
  {
    name: "an OperationOutcome instead of results",
    gap: () => gapOf("Condition", { q: ok(outcome("error", "code search not supported")) }),
    kind: "error",
    old: "the server answered Condition with an OperationOutcome: code search not supported",
  },
  {
    name: "an OperationOutcome with no words",
    gap: () => gapOf("Condition", { q: ok({ resourceType: "OperationOutcome", issue: [] }) }),
    kind: "error",
    old: "the server answered Condition with an OperationOutcome: no details",
  },
  {
    name: "not a FHIR resource",
    gap: () => gapOf("Observation", { q: ok([1, 2]) }),
    kind: "error",
    old: "the answer for Observation is not a FHIR resource",
  },
  {
    name: "entries that are not resources (new in the membership review: before, the load crashed)",
    gap: () =>
      gapOf("Observation", {
        q: ok(bundle([{ resource: obs("a") }, { resource: { id: "b" } as unknown as Resource }])),
      }),
    kind: "partial",
    old: "Observation: 1 entry(ies) of the results are not FHIR resources (no resourceType) and could not be read",
  },
  {
    name: "a timeout",
    gap: () => gapOf("MedicationRequest", { q: "hang" }, { timeoutMs: 20 }),
    kind: "timeout",
    old: "MedicationRequest: no complete answer within 0.02 s",
  },
  {
    name: "a network error",
    gap: () => gapOf("Observation", { q: new TypeError("Failed to fetch") }),
    kind: "error",
    old: "network error loading Observation: Failed to fetch",
  },
  {
    name: "a second page that failed",
    gap: () =>
      gapOf("Observation", {
        q: ok(bundle([{ resource: obs("a") }], { link: [{ relation: "next", url: LOOP }] })),
        [LOOP]: status(500),
      }),
    kind: "partial",
    old: "only 1 page(s) of Observation loaded, the rest failed: 500 server error loading Observation.",
  },
  {
    name: "next links that loop",
    gap: () =>
      gapOf("Observation", {
        q: ok(bundle([{ resource: obs("a") }], { link: [{ relation: "next", url: LOOP }] })),
        [LOOP]: ok(bundle([{ resource: obs("b") }], { link: [{ relation: "next", url: LOOP }] })),
      }),
    kind: "partial",
    old: "only 2 page(s) of Observation loaded, the rest failed: paging of Observation stopped: the server's next links loop or exceed 200 pages",
  },
  {
    name: "a next link off the FHIR base",
    gap: () =>
      gapOf("Observation", {
        q: ok(
          bundle([{ resource: obs("a") }], {
            link: [{ relation: "next", url: "https://elsewhere.example/fhir/Observation?page=2" }],
          }),
        ),
      }),
    kind: "partial",
    old: `only 1 page(s) of Observation loaded, the rest failed: the server sent a paging link outside its FHIR base (${BASE}), which was not followed`,
  },
  {
    name: "errors inside the results, with a note and a short count",
    gap: () =>
      gapOf("Observation", {
        q: ok(
          bundle(
            [
              { resource: obs("a") },
              { resource: outcome("information", "results limited to the last 5 years") },
              { resource: outcome("error", "too many results") },
              {
                resource: bare("processing"),
              },
            ],
            { total: 5 },
          ),
        ),
      }),
    kind: "partial",
    old: "Observation: results limited to the last 5 years; error reported inside the results: too many results; error reported inside the results: processing; error reported inside the results: the server counted 5 but sent 1",
  },
  {
    name: "an error inside the results with no words",
    gap: () =>
      gapOf("Observation", {
        q: ok(bundle([{ resource: bare(" ") }])),
      }),
    kind: "partial",
    old: "Observation: error reported inside the results: no details",
  },
];

const PATIENT = "Patient/p1";
const order = (id: string, rest: Record<string, unknown>): Resource =>
  ({
    resourceType: "MedicationRequest",
    id,
    status: "active",
    intent: "order",
    subject: { reference: PATIENT },
    authoredOn: "2026-02-01",
    ...rest,
  }) as Resource;
const toMissing = (id: string) => order(id, { medicationReference: { reference: `Medication/${id}-drug` } });
const unnamed = (id: string) =>
  order(id, { medicationCodeableConcept: { coding: [{ system: "urn:x", code: "1" }] } });
const condition = (id: string, subject: unknown): Resource =>
  ({
    resourceType: "Condition",
    id,
    subject,
    code: { text: "Malignant neoplasm of breast" },
  }) as Resource;

function inputGaps(resources: Resource[], fhirBase?: string): DataGap[] {
  return buildPatientInput({ patient: PATIENT, resources, asOf: "2026-11-25", fhirBase }).dataGaps ?? [];
}

function onlyGap(resources: Resource[], resourceType: string, fhirBase?: string): DataGap {
  const gaps = inputGaps(resources, fhirBase).filter((g) => g.resourceType === resourceType);
  expect(gaps).toHaveLength(1);
  return gaps[0] as DataGap;
}

/** The gaps normalisation writes (medications, resources left out, copies, malformed), with their old reasons. */
const INPUT_CASES: { name: string; gap: () => DataGap; kind: DataGap["kind"]; old: string }[] = [
  {
    name: "a saved search page that says it is incomplete (the CLI's Bundle reader; new in the membership review)",
    gap: () => {
      const document = readFhirJson(
        bundle([{ resource: obs("a") }, { resource: outcome("error", "too many results") }], {
          total: 3,
          link: [{ relation: "next", url: `${BASE}/Observation?page=2` }],
        }),
      );
      const gap = document.kind === "resources" ? document.gaps[0] : undefined;
      if (!gap) throw new Error("no gap");
      return gap;
    },
    kind: "partial",
    old: `a Bundle of the input says its results are not complete (Bundle): error reported inside the results: too many results; error reported inside the results: the server counted 3 but sent 1; the search has more pages, which are not in the input (next: ${BASE}/Observation?page=2)`,
  },
  {
    name: "one medication entry whose drug cannot be told",
    gap: () => onlyGap([toMissing("mr1")], "Medication"),
    kind: "not-found",
    old: "the drug of 1 medication entry cannot be identified: MedicationRequest/mr1 names Medication/mr1-drug, which did not load",
  },
  {
    name: "five of them",
    gap: () =>
      onlyGap(
        [toMissing("mr1"), unnamed("mr2"), toMissing("mr3"), unnamed("mr4"), toMissing("mr5")],
        "Medication",
      ),
    kind: "not-found",
    old: "the drug of 5 medication entries cannot be identified: MedicationRequest/mr1 names Medication/mr1-drug, which did not load; MedicationRequest/mr2 has no drug name or known code; MedicationRequest/mr3 names Medication/mr3-drug, which did not load; and 2 more",
  },
  {
    name: "conditions left out for several reasons",
    gap: () =>
      onlyGap(
        [
          condition("c1", { reference: "Patient/p2" }),
          condition("c2", { display: "Doe, Jane" }),
          condition("c3", { reference: "Patient/p3" }),
          condition("c4", { identifier: { value: "123" } }),
        ],
        "Condition",
      ),
    kind: "excluded",
    old: "4 Condition resource(s) left out of the assessment because they cannot be proven to be Patient/p1's (1 a display-only reference, 1 an identifier-only reference, 2 another patient): Condition/c1: it belongs to another patient (Patient/p2); Condition/c2: its subject names the patient by display text only; Condition/c3: it belongs to another patient (Patient/p3); and 1 more",
  },
  {
    name: "a condition received twice with different contents",
    gap: () =>
      onlyGap(
        [
          condition("c1", { reference: PATIENT }),
          { ...condition("c1", { reference: PATIENT }), onsetDateTime: "2020-01-01" } as Resource,
        ],
        "Condition",
      ),
    kind: "error",
    old: "Condition/c1 was received 2 times with different contents, and which copy is current cannot be told; none is used",
  },
];

/** Why a resource is not the patient's, each form with the words it had before they were messages. */
const MEMBERSHIP_CASES: [string, unknown, string, string][] = [
  [
    "contained",
    { reference: "#p" },
    "a contained reference",
    'its patient is a contained resource ("#p"), not a reference to the patient',
  ],
  [
    "urn",
    { reference: "urn:uuid:1" },
    "an unresolved urn: reference",
    'its patient reference "urn:uuid:1" names no resource of the record',
  ],
  [
    "conditional",
    { reference: "Patient?identifier=x" },
    "a conditional reference",
    'its patient reference "Patient?identifier=x" is a search, not a patient',
  ],
  [
    "absolute, other type",
    { reference: `${BASE}/Group/g` },
    "not a Patient reference",
    `its subject "${BASE}/Group/g" names a Group, not a patient`,
  ],
  [
    "absolute, other server",
    { reference: "https://other.example/fhir/Patient/p1" },
    "a patient on another server",
    `its patient reference "https://other.example/fhir/Patient/p1" is not on this FHIR server (${BASE})`,
  ],
  [
    "lower-case type",
    { reference: "patient/p1" },
    "not a Patient reference",
    'its patient reference "patient/p1" is not spelt Patient/… (FHIR types are case-sensitive)',
  ],
  [
    "relative, other type",
    { reference: "Group/g" },
    "not a Patient reference",
    'its subject "Group/g" names a Group, not a patient',
  ],
  [
    "not a reference",
    { reference: "not a reference" },
    "a malformed reference",
    'its patient reference "not a reference" is not a FHIR reference',
  ],
  ["null", null, "a malformed reference", "its subject is null, not a Reference"],
  ["a string", "Patient/p1", "a malformed reference", "its subject is string, not a Reference"],
  [
    "typed Group",
    { reference: "Patient/p1", type: "Group" },
    "not a Patient reference",
    'its subject has type "Group", not Patient',
  ],
  [
    "identifier only",
    { identifier: { value: "1" } },
    "an identifier-only reference",
    "its subject names the patient by identifier only",
  ],
  [
    "display only",
    { display: "Doe" },
    "a display-only reference",
    "its subject names the patient by display text only",
  ],
  ["empty", {}, "no subject", "its subject has no reference"],
  ["a number", { reference: 5 }, "a malformed reference", "its subject.reference is number, not a string"],
  [
    "another patient",
    { reference: "Patient/p2" },
    "another patient",
    "it belongs to another patient (Patient/p2)",
  ],
];

const LOCALES = [
  { locale: "es", catalog: { ...DOMAIN_ES, ...ES } as Catalog, fhir: ES as Record<string, string> },
  { locale: "zh-CN", catalog: { ...DOMAIN_ZH, ...ZH } as Catalog, fhir: ZH as Record<string, string> },
] as const;

const used = new Set<string>();

/** The descriptor renders in the locale without an English sentence of the catalog, and not as the English. */
function expectTranslated(text: Text, english: string): void {
  idsOf(text, used);
  for (const { locale, catalog, fhir } of LOCALES) {
    const rendered = renderText(text, locale, catalog);
    expect(rendered, locale).not.toBe(english);
    const words = withoutValues(rendered, text);
    for (const run of englishRuns(fhir))
      expect(words, `${locale}: "${run}" in "${rendered}"`).not.toContain(run);
  }
}

function expectGap(gap: DataGap, kind: DataGap["kind"], old: string): Text {
  expect(gap.kind).toBe(kind);
  expect(gap.reason).toBe(old);
  if (!gap.reasonText) throw new Error("no reasonText");
  expect(en(gap.reasonText)).toBe(old);
  expectTranslated(gap.reasonText, old);
  return gap.reasonText;
}

describe("the query runner's gaps", () => {
  it.each(RUNNER_CASES)(
    "$name: English unchanged, es and zh-CN in their words",
    async ({ gap, kind, old }) => {
      expectGap(await gap(), kind, old);
    },
  );

  it("the server's own words stay as they came in every locale", async () => {
    const gap = await gapOf("Observation", { q: status(503, outcome("error", "Database unavailable")) });
    for (const { locale, catalog } of LOCALES) {
      const shown = renderText(gap.reasonText as Text, locale, catalog);
      expect(shown).toContain("Database unavailable");
      expect(shown).toContain("503");
    }
    const denied = await gapOf("Condition", { q: status(403) });
    expect(renderText(denied.reasonText as Text, "es", LOCALES[0].catalog)).toBe(
      "403 Forbidden al cargar Condition: se negó el acceso; es posible que no se haya otorgado el alcance patient/Condition.rs (o patient/Condition.read).",
    );
  });
});

describe("the searches skipped as unsupported", () => {
  it("English unchanged, on the gap and the skipped query", () => {
    const capabilities = parseCapabilities(capabilityStatement(["Observation"]));
    const { skipped } = planInitialQueries("p1", capabilities, EMPTY_CODE_MAP);
    const condition = skipped.find((s) => s.resourceType === "Condition");
    expect(condition?.reason).toBe("the server does not support searching Condition");
    expect(condition?.reasonText).toEqual(unsupportedSearch("Condition").reasonText);
    const { reason, reasonText } = unsupportedSearch("Specimen");
    expect(reason).toBe("the server does not support searching Specimen");
    expect(en(reasonText)).toBe(reason);
    expectTranslated(reasonText, reason);
  });
});

describe("normalisation's gaps", () => {
  it.each(INPUT_CASES)("$name: English unchanged, es and zh-CN in their words", ({ gap, kind, old }) => {
    expectGap(gap(), kind, old);
  });

  it("a malformed resource other than a result: the gap carries the descriptor of its reason", () => {
    const bad = { ...condition("c-bad", { reference: PATIENT }), onsetDateTime: 5 } as unknown as Resource;
    const gap = onlyGap([bad], "Condition");
    expect(gap.reason).toMatch(
      /^Condition\/c-bad could not be read \(malformed: .+\); check it in the chart$/,
    );
    expect(gap.reasonText?.id).toBe("fhir.malformed");
    expectGap(gap, "error", gap.reason);
  });

  it.each(MEMBERSHIP_CASES)(
    "left out (%s): the short reason and the detail read as before",
    (_, subject, why, detail) => {
      const membership = membershipOf(condition("c1", subject), "p1", BASE);
      if (membership.belongs || !membership.whyText || !membership.detailText) throw new Error("belongs");
      expect(membership.why).toBe(why);
      expect(membership.detail).toBe(detail);
      expect(en(membership.whyText)).toBe(why);
      expect(en(membership.detailText)).toBe(detail);
      expectTranslated(membership.detailText, detail);
      expectTranslated(membership.whyText, why);
    },
  );

  it.each([
    [
      "no subject",
      { resourceType: "Condition", id: "c1" },
      "no subject",
      "it has no subject or patient reference",
    ],
    [
      "an absolute reference, base unknown",
      condition("c1", { reference: `${BASE}/Patient/p1` }),
      "an absolute reference without a known FHIR base",
      `its patient reference "${BASE}/Patient/p1" is absolute and the data's FHIR base is not known, so it cannot be matched`,
    ],
    [
      "subject and patient disagree",
      { ...condition("c1", { reference: "Patient/p1" }), patient: { reference: "Patient/p2" } },
      "subject and patient disagree",
      "its subject and patient name different patients",
    ],
    [
      "a Patient without an id",
      { resourceType: "Patient" },
      "a Patient without a valid id",
      "it is a Patient without a valid id",
    ],
    [
      "another Patient",
      { resourceType: "Patient", id: "p2" },
      "another patient",
      "it is another patient (Patient/p2)",
    ],
  ] as [string, unknown, string, string][])("left out (%s): read as before", (_, resource, why, detail) => {
    const membership = membershipOf(resource as Resource, "p1");
    if (membership.belongs || !membership.whyText || !membership.detailText) throw new Error("belongs");
    expect([membership.why, membership.detail]).toEqual([why, detail]);
    expect([en(membership.whyText), en(membership.detailText)]).toEqual([why, detail]);
    expectTranslated(membership.detailText, detail);
    expectTranslated(membership.whyText, why);
  });
});

describe("the gap messages", () => {
  it("each is used by a case above (the checks are not vacuous)", () => {
    const ids = Object.keys(EN).filter((id) => /^fhir\.(gap|member)\./.test(id) || id === "fhir.copies.gap");
    expect(ids.length).toBeGreaterThan(50);
    expect(ids.filter((id) => !used.has(id))).toEqual([]);
  });
});

/** A HER2-positive patient whose conditions timed out, whose medications were denied, and a result left out. */
async function incompleteInput(): Promise<PatientInput> {
  const gaps = [
    await gapOf("Condition", { q: "hang" }, { timeoutMs: 20 }),
    await gapOf("MedicationRequest", { q: status(403, outcome("error", "Scope not granted")) }),
  ];
  const ihc3: Resource = {
    ...obs("ihc"),
    code: { coding: [{ system: "http://loinc.org", code: "85319-2" }] },
    effectiveDateTime: "2026-01-10",
    valueString: "3+",
  } as Resource;
  const other = { ...obs("other"), subject: { reference: "Patient/p2" } };
  return buildPatientInput({
    patient: PATIENT,
    resources: [ihc3, other],
    asOf: "2026-11-25",
    dataGaps: gaps,
  });
}

/** The gaps as an old saved state holds them: the English strings without their descriptors. */
function withoutDescriptors(gaps: readonly DataGap[]): DataGap[] {
  return gaps.map((gap) => {
    const copy = { ...gap };
    delete copy.reasonText;
    return copy;
  });
}

/** The assessment's English texts: the status reason, each flag's message and action, the recommendation. */
function englishTexts(a: Assessment): string[] {
  return [a.statusReason, a.recommendation.text, ...a.flags.flatMap((f) => [f.message, f.action ?? ""])];
}

describe("the panel's copy of the assessment (localizeAssessment)", () => {
  beforeAll(async () => {
    await Promise.all(LOCALES.map(({ locale }) => loadDomainCatalog(locale)));
  });

  it("English: the rules' texts that name a gap read as they did with the gap's English string", async () => {
    const input = await incompleteInput();
    const assessment = assess(input);
    expect(assessment.dataGaps).toHaveLength(3);
    expect(assessment.dataGaps.every((g) => g.reasonText)).toBe(true);
    const strings = assess({ ...input, dataGaps: withoutDescriptors(input.dataGaps ?? []) });
    expect(englishTexts(assessment)).toEqual(englishTexts(strings));
    const named = englishTexts(assessment).join("\n");
    for (const gap of assessment.dataGaps.filter((g) => g.kind !== "excluded"))
      expect(named).toContain(gap.reason);
  });

  it.each(LOCALES)("$locale: each gap's reason, and the texts that name it, are in the locale", async (l) => {
    const assessment = assess(await incompleteInput());
    const localized = localizeAssessment(assessment, l.locale);
    const runs = englishRuns(l.fhir);
    assessment.dataGaps.forEach((gap, i) => {
      const shown = localized.dataGaps[i]?.reason ?? "";
      expect(shown).toBe(renderText(gap.reasonText as Text, l.locale, l.catalog));
      expect(shown).not.toBe(gap.reason);
    });
    expect(localized.dataGaps.map((g) => g.reason).join(" ")).toContain("Scope not granted");
    const texts = englishTexts(localized).join("\n");
    for (const gap of assessment.dataGaps) expect(texts).not.toContain(gap.reason);
    for (const run of runs) expect(texts).not.toContain(run);
    expect(texts).toContain(localized.dataGaps.find((g) => g.resourceType === "Condition")?.reason);
  });

  it("a gap without a descriptor (an old saved state) keeps its reason as written", async () => {
    const assessment = assess(await incompleteInput());
    const old = { ...assessment, dataGaps: withoutDescriptors(assessment.dataGaps) };
    expect(localizeAssessment(old, "es").dataGaps).toEqual(old.dataGaps);
  });
});
