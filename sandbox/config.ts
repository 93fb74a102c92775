/**
 * Fixed settings of the embedded sandbox: paths, registered clients, token lifetimes and the
 * resource types it serves. Kept in one place so the README, the pages and the tests agree.
 */

/** Where the FHIR API lives on the sandbox origin. */
export const FHIR_BASE_PATH = "/fhir";
/** OAuth 2 endpoints (advertised in `.well-known/smart-configuration` and `/metadata`). */
export const AUTHORIZE_PATH = "/auth/authorize";
export const TOKEN_PATH = "/auth/token";
/** The sandbox's own pages (patient list, launch helper). `/` belongs to the app. */
export const SANDBOX_PAGE_PATH = "/sandbox/";
/** Path of the app's EHR-launch page, served by Vite. */
export const APP_LAUNCH_PATH = "/launch.html";

/**
 * Public SMART clients the sandbox knows. Any other `client_id` is refused (`invalid_client`),
 * as a real EHR refuses an unregistered app.
 */
export const REGISTERED_CLIENT_IDS: readonly string[] = ["her2-smart-sandbox", "her2-smart-test"];

/** Access token lifetime in seconds (the SMART launcher's default is one hour). */
export const ACCESS_TOKEN_LIFETIME_S = 3600;
/** Authorization codes are single-use and short-lived. */
export const AUTHORIZATION_CODE_LIFETIME_S = 300;

/**
 * Resource types listed in `/metadata` and allowed through the FHIR API. Patient-compartment types are
 * forced to the launch patient; the others (Medication, which orders name by reference, as Epic's do) are readable by
 * any token.
 */
export const SERVED_RESOURCE_TYPES: readonly string[] = [
  "Patient",
  "Observation",
  "Condition",
  "MedicationRequest",
  "MedicationStatement",
  "MedicationAdministration",
  "Medication",
  "Specimen",
  "DiagnosticReport",
  "Procedure",
  "Encounter",
  "Practitioner",
  "Organization",
];

/** Types that are not in a patient's compartment: readable by any valid token with the right scope. */
export const SHARED_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  "Practitioner",
  "Organization",
  "Medication",
]);

/** Default page size when the client sends no `_count` (Medplum's own default is 20). */
export const DEFAULT_PAGE_SIZE = 20;
/** Upper bound on `_count`, so a client cannot ask for everything in one page. */
export const MAX_PAGE_SIZE = 1000;

/**
 * SMART Backend Services clients (the Bulk Data export): client id and the JWKS of public keys their assertions are
 * checked against (relative to this folder). `backend-client/private-jwks.json` is the matching private key set, for
 * the offline demo and the tests only: it protects nothing but synthetic data.
 */
export const BACKEND_CLIENTS: readonly { clientId: string; jwksFile: string }[] = [
  { clientId: "her2-bulk-sandbox", jwksFile: "./backend-client/jwks.json" },
];
/** System access tokens are short-lived (SMART Backend Services recommends at most five minutes). */
export const BACKEND_TOKEN_LIFETIME_S = 300;
/** The Group that `Group/…/$export` exports: every synthetic patient (a real EHR's breast-cancer registry group). */
export const BULK_GROUP_ID = "her2-breast-cancer";
/** Bulk Data status and file paths below the FHIR base. */
export const BULK_STATUS_PATH = "/$export-status";
export const BULK_FILE_PATH = "/$export-file";
