// @vitest-environment node
/**
 * Independent review of patient membership in the CDS service: a prefetch that holds another patient's results than
 * context.patientId never gives that patient's status; it is named as left out.
 */
import type { Bundle, Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { allowLoopbackRequests } from "../sandbox/helpers";
import { call, clientKey, patientView, serviceStarter } from "./helpers";

allowLoopbackRequests();
const start = serviceStarter({ asOf: () => "2026-11-25" });
const PV = "/cds-services/her2-patient-view";

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

describe("a prefetch for another patient than context.patientId", () => {
  it("another patient's IHC 3+ in her2Observations is left out and named, never the patient's status", async () => {
    const key = await clientKey();
    const running = await start(key);
    const empty = searchset([]);
    const res = await call(
      running,
      key,
      PV,
      patientView("p1", {
        prefetch: {
          patient: { resourceType: "Patient", id: "p1" },
          her2Observations: searchset([ihc3("Patient/p2")]),
          conditions: empty,
          medicationRequests: empty,
          medicationStatements: empty,
          medicationAdministrations: empty,
          specimens: empty,
          diagnosticReports: empty,
        },
      }),
    );
    expect(res.status).toBe(200);
    const detail = (res.body.cards ?? []).map((c) => c.detail).join("\n");
    expect(detail).toContain("cannot be proven to be Patient/p1's");
    expect(detail).toContain("Observation/ihc-1: it belongs to another patient (Patient/p2)");
    expect(detail).not.toMatch(/HER2 status:\*\* positive/);
  });
});
