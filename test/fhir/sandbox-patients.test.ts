// @vitest-environment node
/**
 * The FHIR layer against the team's embedded sandbox (Medplum's router behind a SMART server): every synthetic
 * patient loads without data gaps, within the request budget, and the rules then give the scenario's expected result.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSandbox, startSandbox } from "../../sandbox/server";
import { assess } from "../../src/domain";
import { fromFetch } from "../../src/fhir/fetch-source";
import { loadPatientData } from "../../src/fhir/load";
import { buildPatientInput } from "../../src/fhir/normalise";
import { accessToken, allowLoopbackRequests } from "../sandbox/helpers";

interface Scenario {
  id: string;
  scenario: string;
  expected: { status: string; category: string; setting: string; flags: string[] };
}
const index = JSON.parse(readFileSync("sandbox/patients/index.json", "utf8")) as {
  asOf: string;
  patients: Scenario[];
};

allowLoopbackRequests();

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());

describe("sandbox patients through loadPatientData + buildPatientInput + assess", () => {
  for (const patient of index.patients) {
    it(`${patient.id}: ${patient.scenario}`, async () => {
      const token = await accessToken(sandbox.url, patient.id);
      const data = await loadPatientData(fromFetch(`${sandbox.url}/fhir`, token), patient.id);
      expect(data.gaps).toEqual([]);
      const pages = data.queries.reduce((sum, q) => sum + q.requests, 0);
      expect(data.requestCount).toBe(pages);
      const input = buildPatientInput({
        patient: `Patient/${patient.id}`,
        resources: data.resources,
        asOf: index.asOf,
        dataGaps: data.gaps,
      });
      const assessment = assess(input);
      expect({
        status: assessment.status,
        category: assessment.category,
        setting: assessment.setting,
        flags: assessment.flags.map((f) => f.code).sort(),
      }).toEqual({ ...patient.expected, flags: [...patient.expected.flags].sort() });
      // Every flag names its next step, which the panel shows on the first screen (issue 18.1).
      for (const flag of assessment.flags) expect(flag.action, flag.code).toBeTruthy();
    });
  }
});
