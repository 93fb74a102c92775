/**
 * The CDS Hooks 2.0 service (fastify): discovery at `GET /cds-services`, `her2-patient-view` (hook patient-view) and
 * `her2-order-sign` (hook order-sign) at `POST /cds-services/{id}`, and feedback at `POST /cds-services/{id}/feedback`.
 * Every request, discovery included, needs a valid CDS client JWT (jwt.ts); a missing or bad one is a 401 with the
 * reason, never cards. The patient's data comes from the prefetch or from `fhirServer` with `fhirAuthorization`
 * (prefetch.ts), through the FHIR layer's loader and normaliser and the domain rules: the same path as the app.
 * Errors are OperationOutcomes (the 3.0 ballot's error format); discovery names each service's `hookVersion` (the
 * 3.0 ballot's field; 2.0 clients ignore it). Browser-based CDS clients get CORS (@fastify/cors) for the configured
 * origins only: the preflight needs no JWT (a browser never sends one there), every other request still does.
 * The access token is never logged: fastify's request log holds the method and URL only, and no handler logs a body.
 */
import cors from "@fastify/cors";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from "fastify";
import type { Bundle, OperationOutcome, Resource } from "fhir/r4";
import { assess } from "../domain";
import type { Assessment } from "../domain/types";
import { fromFetch } from "../fhir/fetch-source";
import { indexResources } from "../fhir/fhir-utils";
import { loadPatientData } from "../fhir/load";
import { buildTherapies } from "../fhir/medications";
import { buildPatientInput } from "../fhir/normalise";
import { patientNamedBy } from "../fhir/patient-membership";
import type { FhirSource } from "../fhir/source";
import { incompleteCard, orderSignCards, patientViewCards, type Card, type CardKind } from "./cards";
import { sameBase, type CdsConfig } from "./config";
import { appendFeedback, type FeedbackRecord } from "./feedback";
import { JwtVerifier } from "./jwt";
import { prefetchSource, prefetchTemplates } from "./prefetch";

export const PATIENT_VIEW = "her2-patient-view";
export const ORDER_SIGN = "her2-order-sign";
const HOOKS: Record<string, string> = { [PATIENT_VIEW]: "patient-view", [ORDER_SIGN]: "order-sign" };
/**
 * The version of each hook's published definition that the service implements (CDS Hooks library: patient-view
 * 1.0, order-sign 1.0), as discovery's `hookVersion` (CDS Hooks 3.0 ballot).
 */
export const HOOK_VERSION = "1.0";
/** What a browser-based client may send and read (CORS). No cookies are used, so no credentials. */
const CORS = {
  methods: ["GET", "POST", "OPTIONS"],
  allowedHeaders: ["Authorization", "Content-Type"],
  exposedHeaders: ["WWW-Authenticate"],
  maxAge: 600,
};
const PREFIX = "/cds-services";
/** Largest request body accepted (a whole prefetch); larger is a 413. */
const DEFAULT_BODY_LIMIT = 8 * 1024 * 1024;
/** Card kinds remembered for feedback, oldest dropped first. */
const REMEMBERED_CARDS = 20_000;

/** The stages of a hook call that `onStage` reports (bench/cds.ts). */
export type CdsStage = "jwt" | "body" | "load" | "normalise" | "assess" | "cards" | "serialise";

export interface CdsServiceOptions {
  /** fastify's logger option (default off). */
  logger?: FastifyServerOptions["logger"];
  /** "Today" for the rules, `YYYY-MM-DD`; default the server's local date. */
  asOf?: () => string;
  /** The clock, for JWT checks (tests). */
  now?: () => number;
  bodyLimit?: number;
  /** The fetch used to reach fhirServer (tests). */
  fetchImpl?: typeof fetch;
  /**
   * The service URL and FHIR allow-list for a request's Host header, when they depend on it (the sandbox, mounted on
   * whatever loopback origin `npm start` or a test uses). Default: the config's.
   */
  forHost?: (
    host: string | undefined,
  ) => Pick<CdsConfig, "serviceUrl" | "fhirServers" | "appLaunchUrl" | "corsOrigins">;
  /**
   * Called with the time (ms) of each stage of a call, for the benchmark's breakdown: the JWT check, reading and
   * parsing the body, loading (prefetch checks, then the FHIR layer's loader), normalising, the rules, the cards and
   * serialising the answer. Unset, nothing is timed.
   */
  onStage?: (stage: CdsStage, ms: number) => void;
}

function localToday(): string {
  const now = new Date();
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${String(now.getFullYear())}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

type IssueCode = OperationOutcome["issue"][number]["code"];

function outcome(code: IssueCode, diagnostics: string): OperationOutcome {
  return { resourceType: "OperationOutcome", issue: [{ severity: "error", code, diagnostics }] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

interface HookRequest {
  hook: string;
  hookInstance: string;
  patientId: string;
  fhirServer?: string;
  accessToken?: string;
  prefetch?: Record<string, unknown>;
  draftOrders?: Resource[];
}

/** Checks a hook request's shape; what is wrong is a 400 naming the field. */
function parseHookRequest(
  body: unknown,
  serviceId: string,
  config: Pick<CdsConfig, "fhirServers">,
): HookRequest {
  if (!isRecord(body)) throw new BadRequest("the request body is not a JSON object");
  const expected = HOOKS[serviceId] ?? "";
  if (body.hook !== expected)
    throw new BadRequest(
      `hook ${JSON.stringify(body.hook ?? null)} does not match service ${serviceId} (${expected})`,
    );
  if (typeof body.hookInstance !== "string" || body.hookInstance === "")
    throw new BadRequest("hookInstance is missing");
  const context = body.context;
  if (!isRecord(context)) throw new BadRequest("context is missing");
  const patientId = context.patientId;
  if (typeof patientId !== "string" || !/^[A-Za-z0-9\-.]{1,64}$/.test(patientId))
    throw new BadRequest("context.patientId is missing or not a FHIR id");
  const request: HookRequest = { hook: expected, hookInstance: body.hookInstance, patientId };
  if (body.fhirServer !== undefined) {
    if (typeof body.fhirServer !== "string") throw new BadRequest("fhirServer is not a URL");
    if (!config.fhirServers.some((s) => sameBase(s, String(body.fhirServer))))
      throw new BadRequest(`fhirServer ${body.fhirServer} is not on this service's allow-list`, 403);
    request.fhirServer = body.fhirServer;
  }
  if (body.fhirAuthorization !== undefined && body.fhirAuthorization !== null) {
    const auth = body.fhirAuthorization;
    if (!isRecord(auth) || typeof auth.access_token !== "string" || auth.access_token === "")
      throw new BadRequest("fhirAuthorization.access_token is missing");
    if (request.fhirServer === undefined) throw new BadRequest("fhirAuthorization without fhirServer");
    request.accessToken = auth.access_token;
  }
  if (body.prefetch !== undefined && body.prefetch !== null) {
    if (!isRecord(body.prefetch)) throw new BadRequest("prefetch is not an object");
    const patient = body.prefetch.patient;
    if (isRecord(patient) && patient.resourceType === "Patient" && patient.id !== patientId)
      throw new BadRequest(
        `prefetch.patient is Patient/${String(patient.id)}, not context.patientId ${patientId}`,
      );
    request.prefetch = body.prefetch;
  }
  if (expected === "order-sign") {
    const drafts = context.draftOrders;
    if (!isRecord(drafts) || drafts.resourceType !== "Bundle")
      throw new BadRequest("context.draftOrders is not a Bundle");
    request.draftOrders = ((drafts as unknown as Bundle).entry ?? [])
      .map((e) => e.resource)
      .filter((r): r is Resource => isRecord(r) && typeof r.resourceType === "string");
    // A draft that names another patient is not this patient's order: checking it against this patient's status
    // would give a card about the wrong patient. One with no provable patient is checked (it is being signed here).
    for (const draft of request.draftOrders) {
      const named = patientNamedBy(draft, request.fhirServer);
      if (named.kind === "patient" && named.id !== patientId)
        throw new BadRequest(
          `context.draftOrders: ${draft.resourceType}/${String(draft.id)} is for Patient/${named.id}, not context.patientId ${patientId}`,
        );
    }
  }
  return request;
}

export interface CdsService {
  app: FastifyInstance;
}

/**
 * Builds the fastify app (not listening). `app.listen({ port })` serves it; `app.routing(req, res)` mounts it as a
 * middleware (the sandbox).
 */
export function buildCdsService(config: CdsConfig, options: CdsServiceOptions = {}): CdsService {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
  });
  const verifier = new JwtVerifier(config.issuers, options.now, config.replayCacheSize);
  const onStage = options.onStage;
  const timed = <T>(stage: CdsStage, run: () => T): T => {
    if (!onStage) return run();
    const start = performance.now();
    const result = run();
    onStage(stage, performance.now() - start);
    return result;
  };
  const timedAsync = async <T>(stage: CdsStage, run: () => Promise<T>): Promise<T> => {
    if (!onStage) return run();
    const start = performance.now();
    const result = await run();
    onStage(stage, performance.now() - start);
    return result;
  };
  const siteOf = options.forHost ?? (() => config);
  // Registered before the JWT hook, so a 401 carries the CORS headers too and the browser can read its reason; the
  // preflight is answered inside this hook, before the JWT check.
  void app.register(cors, {
    delegator: (request, callback) => {
      callback(null, { ...CORS, origin: siteOf(request.headers.host).corsOrigins ?? [] });
    },
  });
  const asOf = options.asOf ?? localToday;
  const kinds = new Map<string, CardKind>();
  const remember = (uuid: string, kind: CardKind): void => {
    kinds.set(uuid, kind);
    if (kinds.size > REMEMBERED_CARDS) kinds.delete(kinds.keys().next().value ?? "");
  };
  const cardContext = (patientId: string, host: string | undefined) => {
    const appLaunchUrl = siteOf(host).appLaunchUrl;
    return {
      patientId,
      remember,
      ...(appLaunchUrl ? { appLaunchUrl } : {}),
      ...(config.ishOrderCode ? { ishOrderCode: config.ishOrderCode } : {}),
    };
  };

  const fail = (reply: FastifyReply, status: number, code: IssueCode, text: string): FastifyReply =>
    reply.code(status).type("application/fhir+json").send(outcome(code, text));

  app.setErrorHandler((error: { statusCode?: number; message?: string }, _request, reply) => {
    const status =
      error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 600
        ? error.statusCode
        : 500;
    // The message of a body-parser error names the problem, never the body's content.
    const text =
      status === 413
        ? "the request body is too large"
        : status >= 500
          ? "internal error"
          : (error.message ?? "bad request");
    app.log.warn({ status }, "request failed");
    return fail(reply, status, status === 413 ? "too-costly" : status >= 500 ? "exception" : "invalid", text);
  });
  app.setNotFoundHandler((_request, reply) => fail(reply, 404, "not-found", "no such CDS service"));

  app.addHook("onRequest", async (request, reply) => {
    const path = request.url.split("?")[0] ?? "";
    const audience = `${siteOf(request.headers.host).serviceUrl}${path.slice(PREFIX.length)}`;
    const check = await timedAsync("jwt", () => verifier.verify(request.headers.authorization, audience));
    if (!check.ok) {
      request.log.info({ reason: check.reason }, "CDS client JWT rejected");
      await reply
        .code(401)
        .header("www-authenticate", `Bearer error="invalid_token"`)
        .type("application/fhir+json")
        .send(outcome("login", check.reason));
    }
  });

  if (onStage) {
    // Body: from before fastify reads it to after it is parsed; serialise: fastify's JSON.stringify of the answer.
    const marks = new WeakMap<object, number>();
    const since = (request: object, stage: CdsStage): void => {
      const start = marks.get(request);
      if (start !== undefined) onStage(stage, performance.now() - start);
    };
    app.addHook("preParsing", (request, _reply, payload, done) => {
      marks.set(request, performance.now());
      done(null, payload);
    });
    app.addHook("preValidation", (request, _reply, done) => {
      since(request, "body");
      done();
    });
    app.addHook("preSerialization", (request, _reply, payload, done) => {
      marks.set(request, performance.now());
      done(null, payload);
    });
    app.addHook("onSend", (request, _reply, payload, done) => {
      since(request, "serialise");
      done(null, payload);
    });
  }

  const templates = prefetchTemplates(config.codeMap);
  app.get(PREFIX, () => ({
    services: [
      {
        hook: "patient-view",
        hookVersion: HOOK_VERSION,
        id: PATIENT_VIEW,
        title: "HER2 status work-up (breast cancer)",
        description:
          "Missing reflex ISH, missing metastatic retest, ISH work-up, discordant or unreadable HER2 results and HER2-positive disease without anti-HER2 therapy, per ASCO/CAP 2018 / 2023. No card when nothing needs action.",
        prefetch: templates,
      },
      {
        hook: "order-sign",
        hookVersion: HOOK_VERSION,
        id: ORDER_SIGN,
        title: "Anti-HER2 drug vs HER2 status",
        description:
          "A critical card when an anti-HER2 drug is signed for a patient whose HER2 status is not positive (trastuzumab deruxtecan: not HER2-low or ultralow either).",
        prefetch: templates,
      },
    ],
  }));

  /** The app's data path (src/app/pipeline.ts): load through the FHIR layer, normalise, the rules. */
  const assessFor = async (req: HookRequest): Promise<Assessment> => {
    const base = req.fhirServer ?? "https://fhir-server-not-given.invalid/";
    const fetched: FhirSource | undefined =
      req.fhirServer !== undefined && req.accessToken !== undefined
        ? fromFetch(req.fhirServer, req.accessToken, options.fetchImpl)
        : undefined;
    const hasPrefetch = req.prefetch !== undefined && Object.keys(req.prefetch).length > 0;
    const loaded = await timedAsync("load", () => {
      const source = hasPrefetch
        ? prefetchSource(req.prefetch ?? {}, req.patientId, templates, base, fetched)
        : fetched;
      if (!source)
        throw new BadRequest(
          "no prefetch and no fhirServer + fhirAuthorization: no way to read the patient's data",
          412,
        );
      return loadPatientData(source, req.patientId, {
        codeMap: config.codeMap,
        timeoutMs: config.fhirTimeoutMs ?? 5000,
        maxRetryWaitMs: 1000,
      });
    });
    const input = timed("normalise", () =>
      buildPatientInput({
        patient: `Patient/${req.patientId}`,
        resources: loaded.resources,
        asOf: asOf(),
        dataGaps: loaded.gaps,
        fhirBase: base,
        codeMap: config.codeMap,
      }),
    );
    return timed("assess", () => assess(input));
  };

  const cardsFor = async (req: HookRequest, host: string | undefined): Promise<Card[]> => {
    const ctx = cardContext(req.patientId, host);
    let drafted: { drug: string; source: string }[] = [];
    if (req.hook === "order-sign") {
      const drafts = req.draftOrders ?? [];
      drafted = buildTherapies(drafts, indexResources(drafts), config.codeMap);
      // No anti-HER2 drug among the drafts: nothing to check, no FHIR request.
      if (drafted.length === 0) return [];
    }
    const assessment = await assessFor(req);
    const incomplete = assessment.dataGaps.some((g) => g.affectsAssessment);
    return timed("cards", () => {
      if (req.hook !== "order-sign") return patientViewCards(assessment, ctx);
      const cards = orderSignCards(assessment, drafted, ctx);
      return incomplete ? [...cards, incompleteCard(assessment, ctx)] : cards;
    });
  };

  app.post<{ Params: { id: string } }>(`${PREFIX}/:id`, async (request, reply) => {
    const id = request.params.id;
    if (HOOKS[id] === undefined) return fail(reply, 404, "not-found", `no CDS service ${id}`);
    let hookRequest: HookRequest;
    try {
      hookRequest = parseHookRequest(request.body, id, siteOf(request.headers.host));
    } catch (error) {
      if (error instanceof BadRequest) return fail(reply, error.status, "invalid", error.message);
      throw error;
    }
    try {
      return { cards: await cardsFor(hookRequest, request.headers.host) };
    } catch (error) {
      if (error instanceof BadRequest) return fail(reply, error.status, "invalid", error.message);
      // A FHIR server that fails in a way the loader did not absorb: say the check did not complete.
      request.log.warn({ error: error instanceof Error ? error.name : "unknown" }, "HER2 check failed");
      const ctx = cardContext(hookRequest.patientId, request.headers.host);
      const placeholder = assess({
        patient: `Patient/${hookRequest.patientId}`,
        asOf: asOf(),
        tests: [],
        events: [],
        therapies: [],
        dataGaps: [],
      });
      return { cards: [incompleteCard(placeholder, ctx, ["the FHIR server could not be read to the end"])] };
    }
  });

  app.post<{ Params: { id: string } }>(`${PREFIX}/:id/feedback`, async (request, reply) => {
    const id = request.params.id;
    if (HOOKS[id] === undefined) return fail(reply, 404, "not-found", `no CDS service ${id}`);
    const body = request.body;
    if (!isRecord(body) || !Array.isArray(body.feedback) || body.feedback.length === 0)
      return fail(reply, 400, "invalid", "feedback must be a non-empty list");
    const received = new Date().toISOString();
    const records: FeedbackRecord[] = [];
    for (const [i, item] of (body.feedback as unknown[]).entries()) {
      if (!isRecord(item) || typeof item.card !== "string")
        return fail(reply, 400, "invalid", `feedback[${String(i)}].card is missing`);
      if (item.outcome !== "accepted" && item.outcome !== "overridden")
        return fail(reply, 400, "invalid", `feedback[${String(i)}].outcome must be accepted or overridden`);
      const record: FeedbackRecord = {
        received,
        service: id,
        card: item.card,
        kind: kinds.get(item.card) ?? "unknown",
        outcome: item.outcome,
      };
      if (typeof item.outcomeTimestamp === "string") record.outcomeTimestamp = item.outcomeTimestamp;
      if (Array.isArray(item.acceptedSuggestions))
        record.acceptedSuggestions = item.acceptedSuggestions
          .map((s) => (isRecord(s) && typeof s.id === "string" ? s.id : undefined))
          .filter((s): s is string => s !== undefined);
      const override = item.overrideReason;
      if (isRecord(override)) {
        const reason = isRecord(override.reason) ? override.reason : {};
        record.overrideReason = {
          ...(typeof reason.code === "string" ? { code: reason.code } : {}),
          ...(typeof reason.display === "string" ? { display: reason.display } : {}),
          ...(typeof override.userComment === "string"
            ? { comment: override.userComment.slice(0, 1000) }
            : {}),
        };
      }
      records.push(record);
    }
    if (!config.feedbackFile) return fail(reply, 503, "not-supported", "no feedback store is configured");
    await appendFeedback(config.feedbackFile, records);
    return {};
  });

  return { app };
}
