// @vitest-environment node
/**
 * Independent review of patient membership in the CDS service: a prefetch that holds another patient's results than
 * context.patientId never gives that patient's status; it is named as left out.
 */
import type { Bundle, Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { allowLoopbackRequests } from "../sandbox/helpers";
import { call, clientKey, orderSignBody, patientView, serviceStarter } from "./helpers";

allowLoopbackRequests();
const start = serviceStarter({ asOf: () => "2026-11-25" });
const PV = "/cds-services/her2-patient-view";
const OS = "/cds-services/her2-order-sign";

const searchset = (resources: readonly Resource[]): Bundle => ({
  resourceType: "Bundle",
  type: "searchset",
  entry: resources.map((resource) => ({ resource, search: { mode: "match" as const } })),
});

const ihc3 = (subject: string): Resource =>
  ({
    resourceType: "Observation",
    id: "ihc-1",
    status: "final",
    code: { coding: [{ system: "http://loinc.org", code: "85319-2" }] },
    subject: { reference: subject },
    effectiveDateTime: "2026-03-02",
    valueString: "3+",
  }) as Resource;

const empty = searchset([]);
/** A prefetch for patient p1 with these HER2 results. */
const prefetch = (observations: readonly Resource[]) => ({
  patient: { resourceType: "Patient", id: "p1" },
  her2Observations: searchset(observations),
  conditions: empty,
  medicationRequests: empty,
  medicationStatements: empty,
  medicationAdministrations: empty,
  specimens: empty,
  diagnosticReports: empty,
});

describe("a prefetch for another patient than context.patientId", () => {
  it("another patient's IHC 3+ in her2Observations is left out and named, never the patient's status", async () => {
    const key = await clientKey();
    const running = await start(key);
    const res = await call(running, key, PV, patientView("p1", { prefetch: prefetch([ihc3("Patient/p2")]) }));
    expect(res.status).toBe(200);
    const detail = (res.body.cards ?? []).map((c) => c.detail).join("\n");
    expect(detail).toContain("cannot be proven to be Patient/p1's");
    expect(detail).toContain("Observation/ihc-1: it belongs to another patient (Patient/p2)");
    expect(detail).not.toMatch(/HER2 status:\*\* positive/);
  });
});

/** An order-sign request for p1 whose draft trastuzumab order names `subject`. */
const orderSign = (subject: Record<string, unknown>) =>
  orderSignBody(
    "p1",
    {
      ...subject,
      medicationCodeableConcept: {
        coding: [{ system: "http://www.nlm.nih.gov/research/umls/rxnorm", code: "224905" }],
      },
    },
    prefetch([]),
  );

describe("order-sign draft orders for another patient than context.patientId", () => {
  it("a draft that names another patient is refused (400), not checked against this patient's status", async () => {
    const key = await clientKey();
    const running = await start(key);
    const res = await call(running, key, OS, orderSign({ subject: { reference: "Patient/p2" } }));
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(
      "context.draftOrders: MedicationRequest/draft-1 is for Patient/p2, not context.patientId p1",
    );
  });

  it.each([
    ["the patient", { subject: { reference: "Patient/p1" } }],
    ["no subject", {}],
  ])("a draft naming %s is checked as before", async (_label, subject) => {
    const key = await clientKey();
    const running = await start(key);
    const res = await call(running, key, OS, orderSign(subject));
    expect(res.status).toBe(200);
    expect(res.body.cards?.filter((c) => c.indicator === "critical").map((c) => c.summary)).toEqual([
      "trastuzumab ordered, but HER2 status is indeterminate: check before signing",
    ]);
  });
});
