/** A FhirSource over plain `fetch` with an optional bearer token: for tests, tools and the sandbox. */
import { headersToRecord, isWithinBase, parseBody, type FhirSource } from "./source";

/**
 * @param baseUrl the FHIR base, e.g. `https://fhir.example.test/r4`
 * @param token an access token sent as `Authorization: Bearer …`
 * @param fetchImpl the fetch to use (defaults to the global one, looked up at call time so test interceptors apply)
 */
export function fromFetch(
  baseUrl: string,
  token?: string,
  fetchImpl: typeof fetch = (...args) => fetch(...args),
): FhirSource {
  const base = baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`;
  return {
    baseUrl,
    async get(url, init) {
      // Defence in depth: the runner already refuses such links; never send the token outside the base.
      if (!isWithinBase(url, base))
        throw new Error(`refused to request a URL outside the FHIR base ${baseUrl}`);
      const headers: Record<string, string> = { accept: "application/fhir+json, application/json" };
      if (token) headers.authorization = `Bearer ${token}`;
      const response = await fetchImpl(new URL(url, base).toString(), { headers, signal: init.signal });
      const text = await response.text();
      return { status: response.status, headers: headersToRecord(response.headers), ...parseBody(text) };
    },
  };
}
