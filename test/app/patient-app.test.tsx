import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import FHIR from "fhirclient";
import type { Patient } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { PatientApp } from "../../src/app/PatientApp";
import { parseAppConfig } from "../../src/smart/config";
import { statusLabel } from "../../src/ui/labels";
import { BASE, mockFhirServer } from "../fhir/fhir-mock";
import { loinc, observation, snomed } from "../fhir/fixtures/builders";

const patient: Patient = {
  resourceType: "Patient",
  id: "p1",
  name: [{ use: "official", family: "Nakamura", given: ["Emi"] }],
  birthDate: "1971-02-03",
  gender: "female",
};

/** IHC 3+ (guideline: positive) and IHC 2+ with no ISH on another, older specimen. */
const ihc3 = observation(
  { id: "ihc-3", code: loinc("85319-2"), date: "2025-05-02" },
  { valueCodeableConcept: { text: "3+" } },
);
const breastCancer = {
  resourceType: "Condition" as const,
  id: "c1",
  subject: { reference: "Patient/p1" },
  code: snomed("254837009", "Malignant neoplasm of breast"),
  onsetDateTime: "2025-04-20",
};

function issuer(codeMap?: unknown) {
  const config = parseAppConfig({
    issuers: [
      {
        id: "test",
        name: "Test EHR",
        issPattern: "https://ehr\\.example\\.test/fhir/r4",
        clientId: "c",
        ...(codeMap === undefined ? {} : { codeMap }),
      },
    ],
  });
  const first = config.issuers[0];
  if (!first) throw new Error("no issuer");
  return first;
}

/** The status header once the whole answer is in (a load slower than 1 s first shows what has arrived). */
async function settledHeader(): Promise<HTMLElement> {
  await screen.findByTestId("status-header", {}, { timeout: 10_000 });
  await waitFor(
    () => {
      expect(screen.queryByTestId("data-loading-alert")).toBeNull();
    },
    { timeout: 10_000 },
  );
  return screen.getByTestId("status-header");
}

function client() {
  return FHIR.client({ serverUrl: BASE, tokenResponse: { access_token: "t", patient: "p1" } });
}

describe(
  "PatientApp: load -> normalise -> rules -> panel, against an msw FHIR server",
  { timeout: 20_000 },
  () => {
    it("shows the patient's name and birth date from the record and the HER2 status the data supports", async () => {
      const log = mockFhirServer({ resources: [patient, ihc3, breastCancer] });
      render(<PatientApp client={client()} patientId="p1" issuer={issuer()} needPatientBanner />);
      expect(screen.getByTestId("panel-skeleton")).toBeInTheDocument();
      const banner = await screen.findByTestId("patient-banner", {}, { timeout: 10_000 });
      await within(banner).findByText(/Nakamura/);
      expect(banner).toHaveTextContent("1971-02-03");
      const header = await settledHeader();
      expect(header).toHaveTextContent(/positive/i);
      expect(header).toHaveTextContent(/early/i);
      // One request per query (plus the CapabilityStatement); the Observation search was sent encoded.
      const observationSearch = log.rawUrls.find((u) => u.includes("/Observation?"));
      expect(observationSearch).toContain("loinc.org%7C85319-2");
      expect(new URL(observationSearch ?? "").search).not.toContain("//");
    });

    it("hides its own banner when the EHR shows one (need_patient_banner: false)", async () => {
      mockFhirServer({ resources: [patient, ihc3] });
      render(<PatientApp client={client()} patientId="p1" issuer={issuer()} needPatientBanner={false} />);
      await settledHeader();
      expect(screen.queryByTestId("patient-banner")).toBeNull();
    });

    it("says what could not be loaded when the Observation search fails, instead of a clean result", async () => {
      mockFhirServer({ resources: [patient, ihc3], faults: { Observation: { status: 500 } } });
      render(<PatientApp client={client()} patientId="p1" issuer={issuer()} needPatientBanner />);
      const header = await settledHeader();
      // The IHC 3+ result exists but could not be read: neither "positive" nor "no HER2 result" is supported.
      expect(header).not.toHaveTextContent(statusLabel.positive);
      expect(header).not.toHaveTextContent(statusLabel["no-result"]);
      expect(header).toHaveTextContent(statusLabel.indeterminate);
      expect(await screen.findByTestId("data-gap-alert")).toHaveTextContent(/Observation/);
    });

    it("a slow Conditions query: what has arrived is shown at once, the pending part marked, then the whole (issue 18.4)", async () => {
      mockFhirServer({ resources: [patient, ihc3, breastCancer], faults: { Condition: { delayMs: 3000 } } });
      const started = Date.now();
      render(<PatientApp client={client()} patientId="p1" issuer={issuer()} needPatientBanner />);
      const loading = await screen.findByTestId("data-loading-alert", {}, { timeout: 10_000 });
      // Before the slow query answers: the HER2 result is shown, the setting-dependent checks are "not checked".
      expect(Date.now() - started).toBeLessThan(3000);
      expect(loading).toHaveTextContent("Still loading: Condition");
      expect(screen.getByTestId("status-header")).toHaveTextContent(statusLabel.positive);
      const retest = document.querySelector('li[data-flag-code="metastatic-retest-missing"]');
      expect(retest).toHaveAttribute("data-flag-state", "not-checked");
      expect(retest).toHaveTextContent("could not check, conditions are still loading");
      expect(screen.queryByTestId("no-flags")).toBeNull();
      // Then the whole answer: the setting is known, nothing is pending.
      await waitFor(
        () => {
          expect(screen.queryByTestId("data-loading-alert")).toBeNull();
        },
        { timeout: 10_000 },
      );
      expect(screen.getByTestId("status-header")).toHaveTextContent(/early/i);
      expect(document.querySelector('li[data-flag-state="not-checked"]')).toBeNull();
    });

    it("warns that the patient's identity could not be checked when the Patient read fails", async () => {
      mockFhirServer({ resources: [ihc3] });
      render(<PatientApp client={client()} patientId="p1" issuer={issuer()} needPatientBanner />);
      await settledHeader();
      const banner = screen.getByTestId("patient-banner");
      expect(banner).toHaveTextContent(/could not be read/);
      expect(banner).not.toHaveTextContent(/Unnamed patient/);
    });

    it("refuses to load with an invalid institution code map, and sends no request", async () => {
      const log = mockFhirServer({ resources: [patient, ihc3] });
      render(
        <PatientApp
          client={client()}
          patientId="p1"
          issuer={issuer({ observations: "not a list" })}
          needPatientBanner
        />,
      );
      expect(await screen.findByRole("alert")).toHaveTextContent(/code map/i);
      expect(screen.queryByRole("button", { name: /retry/i })).toBeNull();
      expect(log.requests).toEqual([]);
    });

    it("loads again when the user retries after a gap", async () => {
      const log = mockFhirServer({
        resources: [patient, ihc3],
        faults: { Observation: { status: 503, times: 1 } },
      });
      render(<PatientApp client={client()} patientId="p1" issuer={issuer()} needPatientBanner />);
      const alert = await screen.findByTestId("data-gap-alert", {}, { timeout: 10_000 });
      const before = log.requests.length;
      await userEvent.click(within(alert).getByRole("button", { name: /retry/i }));
      await waitFor(() => {
        expect(screen.queryByTestId("data-gap-alert")).toBeNull();
      });
      expect(await settledHeader()).toHaveTextContent(/positive/i);
      expect(log.requests.length).toBeGreaterThan(before);
      expect(screen.queryByTestId("data-gap-alert")).toBeNull();
    });
  },
);
