/** Synthea-, Epic- and Cerner-style patients, each loaded from an msw FHIR server and normalised end to end. */
import { describe, expect, it } from "vitest";
import { fromFetch } from "../../src/fhir/fetch-source";
import { loadPatientData } from "../../src/fhir/load";
import { buildPatientInput } from "../../src/fhir/normalise";
import { BASE, mockFhirServer } from "./fhir-mock";
import { CERNER_PATIENT_ID, CERNER_RESOURCES } from "./fixtures/cerner-patient";
import { SYNTHEA_PATIENT_ID, SYNTHEA_RESOURCES } from "./fixtures/synthea-patient";

async function loadAndNormalise(resources: typeof SYNTHEA_RESOURCES, patientId: string) {
  const log = mockFhirServer({ resources, pageSize: 2 });
  const data = await loadPatientData(fromFetch(BASE), patientId);
  const input = buildPatientInput({
    patient: `Patient/${patientId}`,
    resources: data.resources,
    asOf: "2026-11-25",
    dataGaps: data.gaps,
  });
  return { log, data, input };
}

describe("Synthea-style patient", () => {
  it("reads the coded IHC call, reports the FISH bound as unreadable, and finds trastuzumab by name", async () => {
    const { data, input, log } = await loadAndNormalise(SYNTHEA_RESOURCES, SYNTHEA_PATIENT_ID);
    expect(data.gaps).toEqual([]);
    expect(data.requestCount).toBe(log.requests.length);
    expect(input.tests).toEqual([
      expect.objectContaining({
        source: "Observation/2d4f6a8c-1e3b-4d5f-8a7c-9e1b3d5f7a9c",
        method: "unreadable",
        rawValue: "greater than 2.2",
      }),
      expect.objectContaining({
        source: "Observation/7a3e9c1d-0b2f-4e5a-9d8c-6b5a4f3e2d1c",
        method: "ihc",
        reported: "positive",
      }),
    ]);
    expect(input.events).toEqual([
      expect.objectContaining({ kind: "primary", date: "2019-05-02T10:14:33-04:00" }),
    ]);
    expect(input.therapies).toEqual([expect.objectContaining({ drug: "trastuzumab", status: "stopped" })]);
  });
});

describe("Cerner-style patient", () => {
  it("groups the ISH numbers by their report, reads IHC 3+ on the liver specimen, the relapse and pertuzumab", async () => {
    const { data, input } = await loadAndNormalise(CERNER_RESOURCES, CERNER_PATIENT_ID);
    expect(data.gaps).toEqual([]);
    const liver = {
      reference: "Specimen/SP-887",
      label: "25-SP-000887",
      bodySite: "Liver structure",
      collected: "2025-08-10T08:30:00.000Z",
    };
    expect(input.tests).toEqual([
      expect.objectContaining({
        source: "Observation/M-1",
        method: "ihc",
        score: "3+",
        reported: "positive",
        specimen: liver,
      }),
      expect.objectContaining({
        method: "ish-dual",
        ratio: 2.8,
        her2PerCell: 7.1,
        cep17PerCell: 2.5,
        specimen: liver,
      }),
    ]);
    expect(input.events).toEqual([
      expect.objectContaining({ kind: "recurrence", date: "2025-08-01T12:00:00.000Z" }),
    ]);
    expect(input.therapies).toEqual([
      expect.objectContaining({ drug: "pertuzumab", source: "MedicationAdministration/MA-9" }),
    ]);
  });
});
