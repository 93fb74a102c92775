import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, findIssuer, parseAppConfig } from "../../src/smart/config";
import { buildScopes } from "../../src/smart/scopes";

const shipped = parseAppConfig(JSON.parse(readFileSync("public/smart-config.json", "utf8")));

describe("smart-config.json", () => {
  it("ships entries for the embedded sandbox, the SMART Health IT sandbox, Epic and Cerner", () => {
    expect(findIssuer(shipped, "http://127.0.0.1:5173/fhir")?.id).toBe("sandbox");
    expect(findIssuer(shipped, "https://launch.smarthealthit.org/v/r4/fhir")?.id).toBe("smart-health-it");
    expect(findIssuer(shipped, "https://launch.smarthealthit.org/v/r4/sim/eyJhIjoiMSJ9/fhir")?.id).toBe(
      "smart-health-it",
    );
    expect(findIssuer(shipped, "https://fhir.epic.com/interconnect-fhir-oauth/api/FHIR/R4")?.id).toBe(
      "epic-sandbox",
    );
    expect(
      findIssuer(shipped, "https://fhir-ehr-code.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d")?.id,
    ).toBe("cerner-sandbox");
  });

  it("never matches a look-alike host", () => {
    expect(findIssuer(shipped, "https://launch.smarthealthit.org.evil.test/v/r4/fhir")).toBeUndefined();
    expect(findIssuer(shipped, "http://127.0.0.1.evil.test/fhir")).toBeUndefined();
  });

  it.each([
    [{}, /issuers/],
    [{ issuers: [{ id: "a", name: "A", clientId: "c" }] }, /issuers\[0\]\.issPattern/],
    [{ issuers: [{ id: "a", name: "A", clientId: "c", issPattern: "(" }] }, /not a valid regular expression/],
    [{ issuers: [{ id: "a", name: "A", clientId: "c", issPattern: "x", pkceMode: "disabled" }] }, /pkceMode/],
    [
      { issuers: [{ id: "a", name: "A", clientId: "c", issPattern: "x", scopeVersion: "v3" }] },
      /scopeVersion/,
    ],
    [
      {
        issuers: [
          { id: "a", name: "A", clientId: "c", issPattern: "x" },
          { id: "a", name: "B", clientId: "d", issPattern: "y" },
        ],
      },
      /appears twice/,
    ],
  ])("rejects an invalid configuration %#", (raw, message) => {
    expect(() => parseAppConfig(raw)).toThrow(ConfigError);
    expect(() => parseAppConfig(raw)).toThrow(message);
  });
});

describe("scopes", () => {
  it("v1 fallback uses .read and keeps extra scopes once", () => {
    expect(buildScopes("ehr", "v1", ["online_access", "online_access"]).split(" ")).toEqual([
      "launch",
      "patient/Patient.read",
      "patient/Observation.read",
      "patient/Condition.read",
      "patient/MedicationRequest.read",
      "patient/MedicationStatement.read",
      "patient/MedicationAdministration.read",
      "patient/Medication.read",
      "patient/Specimen.read",
      "patient/DiagnosticReport.read",
      "online_access",
    ]);
  });
});
