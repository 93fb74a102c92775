/**
 * The assessment the app would show for a sandbox patient: the FHIR layer against the running sandbox (a patient
 * token, the app's loader), then the rules. Loaded once per patient and shared by the locales a test renders.
 */
import type { Assessment } from "../../src/domain";
import { assess } from "../../src/domain";
import { fromFetch } from "../../src/fhir/fetch-source";
import { loadPatientData } from "../../src/fhir/load";
import { buildPatientInput } from "../../src/fhir/normalise";
import { accessToken } from "../sandbox/helpers";

/** `sandboxUrl` is read at each first load (the sandbox is started in beforeAll). */
export function sandboxAssessments(
  sandboxUrl: () => string,
  asOf: string,
): (id: string) => Promise<Assessment> {
  const assessments = new Map<string, Promise<Assessment>>();
  return (id) => {
    let pending = assessments.get(id);
    if (!pending) {
      pending = (async () => {
        const url = sandboxUrl();
        const token = await accessToken(url, id);
        const data = await loadPatientData(fromFetch(`${url}/fhir`, token), id);
        return assess(
          buildPatientInput({
            patient: `Patient/${id}`,
            resources: data.resources,
            asOf,
            dataGaps: data.gaps,
          }),
        );
      })();
      assessments.set(id, pending);
    }
    return pending;
  };
}
