/**
 * A FhirSource over fhirclient's authorised request (the app): fhirclient adds the access token and refreshes it when
 * it can. Paging stays with the loader (`pageLimit: 1`).
 */
import type Client from "fhirclient/lib/Client";
import { headersToRecord, isWithinBase, type FhirResponse, type FhirSource } from "./source";

interface HttpErrorLike {
  status: number;
  message: string;
  response?: Response;
}

function isHttpError(error: unknown): error is HttpErrorLike {
  return (
    typeof error === "object" &&
    error !== null &&
    typeof (error as { status?: unknown }).status === "number" &&
    typeof (error as { message?: unknown }).message === "string"
  );
}

/**
 * fhirclient's HttpError has already read the body and appended it, pretty-printed, to its message: recover the JSON
 * (typically an OperationOutcome) from there.
 */
function bodyFromHttpErrorMessage(message: string): unknown {
  const start = message.indexOf("\n\n{");
  if (start < 0) return undefined;
  try {
    return JSON.parse(message.slice(start + 2)) as unknown;
  } catch {
    return undefined;
  }
}

/** Wraps an authorised fhirclient Client (from `FHIR.oauth2.ready()` or `FHIR.client(...)`). */
export function fromFhirClient(client: Client): FhirSource {
  return {
    baseUrl: client.state.serverUrl,
    async get(url, init): Promise<FhirResponse> {
      // fhirclient adds the token to any absolute URL: never hand it one outside the server it was issued for.
      if (!isWithinBase(url, client.state.serverUrl))
        throw new Error(`refused to request a URL outside the FHIR base ${client.state.serverUrl}`);
      try {
        const result = await client.request<{ body: unknown; response: Response }>(
          {
            url,
            signal: init.signal,
            includeResponse: true,
            headers: { accept: "application/fhir+json, application/json" },
          },
          { pageLimit: 1 },
        );
        const body = result.body === "" || result.body === null ? undefined : result.body;
        return { status: result.response.status, headers: headersToRecord(result.response.headers), body };
      } catch (error) {
        if (error instanceof SyntaxError) {
          // fhirclient parses JSON only after a 2xx status: the answer arrived but its body is not JSON.
          return { status: 200, headers: {}, parseError: error.message };
        }
        if (isHttpError(error) && !(error instanceof DOMException)) {
          // An answer from outside the base is the token endpoint refusing fhirclient's refresh: no FHIR answer
          // arrived, so it is not this query's status (the app reads it as an ended session).
          const answeredBy = error.response?.url;
          if (answeredBy && !isWithinBase(answeredBy, client.state.serverUrl)) throw error;
          const headers = error.response ? headersToRecord(error.response.headers) : {};
          return { status: error.status, headers, body: bodyFromHttpErrorMessage(error.message) };
        }
        throw error;
      }
    },
  };
}
