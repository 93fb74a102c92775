import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import {
  APP_LAUNCH_PATH,
  AUTHORIZE_PATH,
  BULK_FILE_PATH,
  BULK_STATUS_PATH,
  FHIR_BASE_PATH,
  SANDBOX_PAGE_PATH,
  TOKEN_PATH,
} from "./config.ts";
import type { SandboxCds } from "./cds.ts";
import { BackendAuth, registeredBackendClients } from "./backend-auth.ts";
import { type BulkOptions, BulkExports, parseBulkFaults } from "./bulk.ts";
import { parseFailures } from "./failures.ts";
import { capabilityStatement, handleFhirRequest, operationOutcome, smartConfiguration } from "./fhir-api.ts";
import { type FhirStore, loadFhirStore } from "./fhir-store.ts";
import { readBody, requestOrigin, sendHtml, sendJson, sendRedirect, toRecord } from "./http.ts";
import { LaunchRegistry } from "./launches.ts";
import { SandboxAuth } from "./oauth.ts";
import { pageLocale, t } from "./i18n.ts";
import { errorPage, sandboxHomePage } from "./pages.ts";

/** Options shared by the Vite plugin and the stand-alone server. */
export interface SandboxOptions {
  /** Folder of patient Bundles and `index.json` (default: `sandbox/patients`). */
  readonly patientsDir?: string;
  /** An app origin other than this machine's loopback addresses, allowed in redirect URIs and CORS. */
  readonly appOrigin?: string;
  /**
   * Bulk Data settings and injected faults (default: none, or the codes in HER2_SANDBOX_BULK_FAULTS, comma-separated).
   */
  readonly bulk?: BulkOptions;
}

/** Connect-style middleware: handles the sandbox's paths and passes everything else to `next`. */
export interface SandboxHandler {
  (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void;
  /** Loads the FHIR definitions and the patients now, instead of on the first sandbox request. */
  warmUp(): Promise<FhirStore>;
}

const DEFAULT_PATIENTS_DIR = fileURLToPath(new URL("./patients/", import.meta.url));
const FHIR_JSON = "application/fhir+json";

/**
 * Builds the sandbox request handler: `/fhir/*`, `/auth/*` and `/sandbox/*` on the app's own origin.
 * Loading is lazy (about a second, mostly Medplum's definitions), so the dev server starts at once.
 */
export function createSandboxHandler(options: SandboxOptions = {}): SandboxHandler {
  const launches = new LaunchRegistry();
  let store: FhirStore | undefined;
  let loading: Promise<FhirStore> | undefined;
  const warmUp = (): Promise<FhirStore> =>
    (loading ??= loadFhirStore(options.patientsDir ?? DEFAULT_PATIENTS_DIR).then((s) => (store = s)));
  const auth = new SandboxAuth(launches, () => store?.manifest.patients ?? [], options.appOrigin);
  let cds: Promise<SandboxCds> | undefined;
  const backend = new BackendAuth(registeredBackendClients());
  const bulk = new BulkExports(options.bulk ?? bulkOptionsFromEnvironment(), (token) => {
    backend.expire(token);
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? "/", "http://sandbox.invalid");
    const path = url.pathname;
    const origin = requestOrigin(req, "http://127.0.0.1");
    const inFhir = path === FHIR_BASE_PATH || path.startsWith(`${FHIR_BASE_PATH}/`);
    const isAuth = path === AUTHORIZE_PATH || path === TOKEN_PATH;
    const inSandbox = path === "/sandbox" || path.startsWith(SANDBOX_PAGE_PATH);
    const inCds =
      path === "/cds-services" || path.startsWith("/cds-services/") || path.startsWith("/sandbox/cds");
    if (!inFhir && !isAuth && !inSandbox && !inCds) return false;

    const cors = corsHeaders(req, auth);
    if (req.method === "OPTIONS" && (inFhir || path === TOKEN_PATH)) {
      res.writeHead(204, { ...cors, "access-control-max-age": "600" });
      res.end();
      return true;
    }
    const loaded = await warmUp();
    // The CDS Hooks service and the sandbox as its client (cds.ts).
    if (inCds) {
      const service = await (cds ??= loadSandboxCds());
      if (await service.handle(req, res, path, origin, loaded)) return true;
    }

    if (inFhir) {
      const sub = path.slice(FHIR_BASE_PATH.length);
      if (sub === "/.well-known/smart-configuration") {
        sendJson(res, 200, smartConfiguration(origin), "application/json", cors);
      } else if (sub === "/metadata") {
        sendJson(res, 200, capabilityStatement(origin), FHIR_JSON, cors);
      } else if (BulkExports.handles(sub)) {
        await serveBulk(req, res, sub, url.searchParams, origin, loaded, backend, bulk, cors);
      } else {
        const grant = await auth.authenticate(req);
        const expired = !("error" in grant) && grant.failures.some((f) => f.kind === "fhir-401");
        if ("error" in grant || expired) {
          const why =
            "error" in grant ? grant.error : "Access token expired (sandbox failure injection fhir-401)";
          sendJson(res, 401, operationOutcome("login", why), FHIR_JSON, {
            ...cors,
            "www-authenticate": `Bearer realm="her2-sandbox", error="invalid_token"`,
          });
        } else {
          const params = new URLSearchParams(url.search);
          if (req.method === "POST")
            for (const [k, v] of new URLSearchParams(await readBody(req))) params.append(k, v);
          const result = await handleFhirRequest(req.method ?? "GET", sub, params, {
            origin,
            store: loaded,
            grant,
          });
          sendJson(res, result.status, result.body, FHIR_JSON, cors);
        }
      }
    } else if (path === AUTHORIZE_PATH) {
      const isPost = req.method === "POST";
      const params = isPost ? toRecord(new URLSearchParams(await readBody(req))) : toRecord(url.searchParams);
      await auth.authorize(res, params, origin, isPost, headerText(req.headers["accept-language"]));
    } else if (path === TOKEN_PATH) {
      if (req.method !== "POST") {
        sendJson(
          res,
          405,
          { error: "invalid_request", error_description: "Use POST" },
          "application/json",
          cors,
        );
      } else {
        const form = toRecord(new URLSearchParams(await readBody(req)));
        if (form.grant_type === "client_credentials") {
          const answer = await backend.token(form, `${origin}${TOKEN_PATH}`);
          sendJson(res, answer.status, answer.body, "application/json", { ...cors, pragma: "no-cache" });
        } else await auth.token(req, res, form, cors);
      }
    } else {
      serveSandboxPage(
        path,
        url.searchParams,
        origin,
        loaded,
        launches,
        res,
        headerText(req.headers["accept-language"]),
      );
    }
    return true;
  };

  const handler = ((req, res, next) => {
    handle(req, res).then(
      (handled) => {
        if (!handled) next();
      },
      (error: unknown) => {
        console.error("[her2-sandbox]", error);
        if (!res.headersSent) sendJson(res, 500, operationOutcome("exception", String(error)), FHIR_JSON);
        else res.end();
      },
    );
  }) as SandboxHandler;
  handler.warmUp = warmUp;
  return handler;
}

/**
 * Loads cds.ts (the CDS Hooks service and its sandbox client) when first asked for, not with the Vite config: the
 * service's source (src/cds, src/fhir) imports without file extensions, which Vite's config loader warns about on
 * every `npm start`. Under Vite, Node cannot import TypeScript itself, so tsx does; under vitest, the import does.
 */
async function loadSandboxCds(): Promise<SandboxCds> {
  const url = new URL("./cds.ts", import.meta.url).href;
  type CdsModule = typeof import("./cds.ts");
  let module: CdsModule;
  try {
    module = (await import(/* @vite-ignore */ url)) as CdsModule;
  } catch {
    const { tsImport } = await import("tsx/esm/api");
    module = (await tsImport(url, import.meta.url)) as CdsModule;
  }
  return module.createSandboxCds();
}

function bulkOptionsFromEnvironment(): BulkOptions {
  const codes = process.env["HER2_SANDBOX_BULK_FAULTS"];
  if (codes === undefined || codes === "") return {};
  const faults = parseBulkFaults([codes]);
  if ("error" in faults) throw new Error(`HER2_SANDBOX_BULK_FAULTS: ${faults.error}`);
  return { faults };
}

/** The Bulk Data endpoints: a system token (SMART Backend Services) for kick-off and status; files as the manifest says. */
async function serveBulk(
  req: IncomingMessage,
  res: ServerResponse,
  sub: string,
  query: URLSearchParams,
  origin: string,
  store: FhirStore,
  backend: BackendAuth,
  bulk: BulkExports,
  cors: Record<string, string>,
): Promise<void> {
  const grant = backend.authenticate(req.headers.authorization);
  const isFile = sub.startsWith(BULK_FILE_PATH);
  if ("error" in grant && !(isFile && !bulk.requiresAccessToken)) {
    sendJson(
      res,
      401,
      operationOutcome("login", `${grant.error} (Bulk Data needs a SMART Backend Services token)`),
      FHIR_JSON,
      {
        ...cors,
        "www-authenticate": `Bearer realm="her2-sandbox", error="invalid_token"`,
      },
    );
    return;
  }
  const system = "error" in grant ? undefined : grant;
  if (isFile) {
    bulk.file(sub, system, res, cors);
    return;
  }
  if (system === undefined) return;
  const answer = sub.startsWith(BULK_STATUS_PATH)
    ? bulk.status(req.method ?? "GET", sub, system, origin)
    : await (async () => {
        const params = new URLSearchParams(query);
        if (req.method === "POST") {
          // STU2: a POST kick-off carries its parameters in a Parameters resource.
          const body = JSON.parse((await readBody(req)) || "{}") as {
            parameter?: { name?: string; valueString?: string }[];
          };
          for (const p of body.parameter ?? [])
            if (p.name && p.valueString !== undefined) params.append(p.name, p.valueString);
        }
        return bulk.kickOff(sub, params, String(req.headers.prefer ?? ""), system, origin, store);
      })();
  if (answer.body === undefined) {
    res.writeHead(answer.status, { "cache-control": "no-store", ...cors, ...answer.headers });
    res.end();
  } else
    sendJson(res, answer.status, answer.body, answer.status === 200 ? "application/json" : FHIR_JSON, {
      ...cors,
      ...answer.headers,
    });
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(",") : value;
}

/**
 * `/sandbox/…` in the page's locale (`?lang=`, else Accept-Language): the launch ids made here carry it, so the app's
 * token response says which language the clinician launched in; the launch URL itself gains nothing.
 */
function serveSandboxPage(
  path: string,
  query: URLSearchParams,
  origin: string,
  store: FhirStore,
  launches: LaunchRegistry,
  res: ServerResponse,
  acceptLanguage: string | undefined,
): void {
  const patients = store.manifest.patients;
  const locale = pageLocale(query.get("lang"), acceptLanguage);
  const launchUrl = (patientId: string, launchId: string): string =>
    `${origin}${APP_LAUNCH_PATH}?${new URLSearchParams({ iss: `${origin}${FHIR_BASE_PATH}`, launch: launchId }).toString()}`;
  if (path === "/sandbox") {
    sendRedirect(res, SANDBOX_PAGE_PATH);
  } else if (path === SANDBOX_PAGE_PATH) {
    sendHtml(
      res,
      200,
      sandboxHomePage({
        origin,
        patients,
        locale,
        launchUrl: (id) => launchUrl(id, launches.launchFor(id, [], locale)),
      }),
    );
  } else if (path === `${SANDBOX_PAGE_PATH}launch`) {
    const patientId = query.get("patient") ?? "";
    const parsed = parseFailures(query.getAll("fail"));
    if (!patients.some((p) => p.id === patientId)) {
      sendHtml(
        res,
        400,
        errorPage(
          t(locale, "error.unknownPatientTitle"),
          t(locale, "error.unknownPatient", { id: patientId }),
          locale,
        ),
      );
    } else if ("error" in parsed) {
      // The parser's message names the bad code; it stays English, like the codes.
      sendHtml(res, 400, errorPage(t(locale, "error.unknownFailureTitle"), parsed.error, locale));
    } else {
      sendRedirect(res, launchUrl(patientId, launches.launchFor(patientId, parsed.failures, locale)));
    }
  } else if (path === `${SANDBOX_PAGE_PATH}patients.json`) {
    sendJson(res, 200, {
      ...store.manifest,
      patients: patients.map((p) => ({
        ...p,
        launchUrl: launchUrl(p.id, launches.launchFor(p.id, [], locale)),
      })),
    });
  } else {
    sendHtml(
      res,
      404,
      errorPage(t(locale, "error.notFoundTitle"), t(locale, "error.notFound", { path }), locale),
    );
  }
}

function corsHeaders(req: IncomingMessage, auth: SandboxAuth): Record<string, string> {
  const origin = req.headers.origin;
  if (origin === undefined || !auth.isAllowedCorsOrigin(origin)) return {};
  return {
    "access-control-allow-origin": origin,
    "access-control-allow-methods": "GET, POST, DELETE, OPTIONS",
    "access-control-allow-headers": "authorization, content-type, accept",
    vary: "Origin",
  };
}

/** A running stand-alone sandbox (tests, scripts). */
export interface RunningSandbox {
  /** Origin of the server, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts the sandbox as a plain `node:http` server on 127.0.0.1, with the patients loaded.
 * @param options.port - 0 (the default) picks a free port
 * @param options.appOrigin - where the app runs, if not on this server's origin (allowed as redirect target and in CORS)
 */
export async function startSandbox(
  options: { port?: number; appOrigin?: string; patientsDir?: string; bulk?: BulkOptions } = {},
): Promise<RunningSandbox> {
  const handler = createSandboxHandler(options);
  const server = createServer((req, res) => {
    handler(req, res, () => {
      sendHtml(res, 404, errorPage("Not found", "The app itself is served by Vite (npm start)."));
    });
  });
  await handler.warmUp();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      }),
  };
}
