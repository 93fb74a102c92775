import type { IncomingMessage, ServerResponse } from "node:http";
import type { FastifyInstance } from "fastify";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCdsConfig } from "../src/cds/config.ts";
import { prefetchTemplates } from "../src/cds/prefetch.ts";
import { buildCdsService, PATIENT_VIEW } from "../src/cds/service.ts";
import { EMPTY_CODE_MAP } from "../src/fhir/code-map.ts";
import { APP_LAUNCH_PATH, FHIR_BASE_PATH } from "./config.ts";
import { handleFhirRequest } from "./fhir-api.ts";
import type { FhirStore } from "./fhir-store.ts";
import { escapeHtml as h, readBody, sendHtml, sendJson, sendRedirect } from "./http.ts";
import { type Locale, languageSwitcher, pageLocale, t, tHtml } from "./i18n.ts";
import { page } from "./pages.ts";

/**
 * The CDS Hooks service on the sandbox origin (`npm start`: `http://127.0.0.1:5173/cds-services`), and the sandbox
 * as its CDS client, the way Epic and Oracle Health call it:
 * - `/cds-services…`: the service (src/cds), trusting one issuer, the sandbox's own test client
 *   (`iss` SANDBOX_CDS_ISSUER, an ES384 key made at start-up), `aud` the origin's `/cds-services/…` URL, and the
 *   origin's `/fhir` as the only FHIR server. Feedback goes to `her2-sandbox-cds-feedback.ndjson` in the temp folder.
 * - `/sandbox/cds-client/jwks.json`: the test client's public key.
 * - `/sandbox/cds-client/jwt?aud=URL`: a fresh client JWT for `aud` (a test signer, for curl and tests: the sandbox is
 *   loopback-only and holds synthetic data).
 * - `/sandbox/cds?patient=ID`: the sandbox acting as the EHR: fills the prefetch from its own FHIR store, signs a JWT
 *   and calls `her2-patient-view`; answers the service's response (the cards).
 * - `/sandbox/cds-view?patient=ID`: the same call, shown as cards beside the launch link, with accept / override
 *   forms posting to `/sandbox/cds-feedback` (forwarded to the service's feedback endpoint with a signed JWT).
 */
export const SANDBOX_CDS_ISSUER = "her2-sandbox-ehr";
export const SANDBOX_FEEDBACK_FILE = join(tmpdir(), "her2-sandbox-cds-feedback.ndjson");
const CDS_PATH = "/cds-services";
const KID = "her2-sandbox-cds-client";

interface Signer {
  privateKey: CryptoKey;
  jwk: JWK;
}

export interface SandboxCds {
  /** Serves `/cds-services…` and `/sandbox/cds…`; false for any other path. */
  handle(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    origin: string,
    store: FhirStore,
  ): Promise<boolean>;
}

export function createSandboxCds(): SandboxCds {
  let ready: Promise<{ app: FastifyInstance; signer: Signer }> | undefined;
  const start = async (): Promise<{ app: FastifyInstance; signer: Signer }> => {
    const { privateKey, publicKey } = await generateKeyPair("ES384");
    const jwk: JWK = { ...(await exportJWK(publicKey)), kid: KID, alg: "ES384", use: "sig" };
    const config = parseCdsConfig({
      serviceUrl: "http://127.0.0.1/cds-services",
      issuers: [{ iss: SANDBOX_CDS_ISSUER, jwks: { keys: [jwk] } }],
      fhirServers: [],
      appLaunchUrl: "http://127.0.0.1/launch.html",
      feedbackFile: SANDBOX_FEEDBACK_FILE,
    });
    const { app } = buildCdsService(config, {
      forHost: (host) => ({
        serviceUrl: `http://${host ?? "127.0.0.1"}${CDS_PATH}`,
        fhirServers: [`http://${host ?? "127.0.0.1"}${FHIR_BASE_PATH}`],
        appLaunchUrl: `http://${host ?? "127.0.0.1"}${APP_LAUNCH_PATH}`,
        // The sandbox's own origin, as a browser-based CDS client on it (another loopback name or port) needs.
        corsOrigins: [`http://${host ?? "127.0.0.1"}`],
      }),
    });
    await app.ready();
    return { app, signer: { privateKey, jwk } };
  };
  const sign = (signer: Signer, aud: string): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      iss: SANDBOX_CDS_ISSUER,
      sub: "her2-sandbox",
      aud,
      iat: now,
      exp: now + 300,
      jti: randomUUID(),
    })
      .setProtectedHeader({ alg: "ES384", typ: "JWT", kid: KID })
      .sign(signer.privateKey);
  };

  return {
    async handle(req, res, path, origin, store) {
      const isService = path === CDS_PATH || path.startsWith(`${CDS_PATH}/`);
      const isClient =
        path === "/sandbox/cds" ||
        path === "/sandbox/cds-view" ||
        path === "/sandbox/cds-feedback" ||
        path.startsWith("/sandbox/cds-client/");
      if (!isService && !isClient) return false;
      const { app, signer } = await (ready ??= start());
      if (isService) {
        app.routing(req, res);
        return true;
      }
      const url = new URL(req.url ?? "/", origin);
      const acceptLanguage = req.headers["accept-language"];
      if (path === "/sandbox/cds-client/jwks.json") {
        sendJson(res, 200, { keys: [signer.jwk] });
      } else if (path === "/sandbox/cds-client/jwt") {
        const aud = url.searchParams.get("aud") ?? `${origin}${CDS_PATH}`;
        res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
        res.end(await sign(signer, aud));
      } else if (path === "/sandbox/cds-feedback" && req.method === "POST") {
        const form = new URLSearchParams(await readBody(req));
        const locale = pageLocale(form.get("lang"), acceptLanguage);
        const patientId = form.get("patient") ?? "";
        const outcome = form.get("outcome") === "overridden" ? "overridden" : "accepted";
        const [code = "", display = ""] = (form.get("reason") ?? "").split("|");
        const feedbackPath = `${CDS_PATH}/${PATIENT_VIEW}/feedback`;
        const answer = await app.inject({
          method: "POST",
          url: feedbackPath,
          headers: {
            host: new URL(origin).host,
            authorization: `Bearer ${await sign(signer, `${origin}${feedbackPath}`)}`,
          },
          payload: {
            feedback: [
              {
                card: form.get("card") ?? "",
                outcome,
                outcomeTimestamp: new Date().toISOString(),
                ...(outcome === "overridden" ? { overrideReason: { reason: { code, display } } } : {}),
              },
            ],
          },
        });
        const notice =
          answer.statusCode === 200
            ? t(locale, "cds.recorded", { outcome })
            : t(locale, "cds.failed", { status: String(answer.statusCode) });
        sendRedirect(
          res,
          `/sandbox/cds-view?${new URLSearchParams({ patient: patientId, lang: locale, notice }).toString()}`,
        );
      } else if (path === "/sandbox/cds" || path === "/sandbox/cds-view") {
        const patientId = url.searchParams.get("patient") ?? "";
        if (!store.manifest.patients.some((p) => p.id === patientId)) {
          sendJson(res, 404, { error: `no sandbox patient ${patientId}` });
          return true;
        }
        // The EHR's side: every template run against its own FHIR store for the patient (first page each).
        const grant = { patientId, scopes: ["patient/*.rs"], failures: [] };
        const prefetch: Record<string, unknown> = {};
        for (const [key, template] of Object.entries(prefetchTemplates(EMPTY_CODE_MAP))) {
          const [type = "", query = ""] = template.split("{{context.patientId}}").join(patientId).split("?");
          const result = await handleFhirRequest("GET", `/${type}`, new URLSearchParams(query), {
            origin,
            store,
            grant,
          });
          prefetch[key] = result.body;
        }
        const aud = `${origin}${CDS_PATH}/${PATIENT_VIEW}`;
        const answer = await app.inject({
          method: "POST",
          url: `${CDS_PATH}/${PATIENT_VIEW}`,
          headers: { host: new URL(origin).host, authorization: `Bearer ${await sign(signer, aud)}` },
          payload: {
            hook: "patient-view",
            hookInstance: randomUUID(),
            fhirServer: `${origin}${FHIR_BASE_PATH}`,
            context: { userId: "Practitioner/sandbox", patientId },
            prefetch,
          },
        });
        if (path === "/sandbox/cds") sendJson(res, answer.statusCode, answer.json());
        else {
          const cards = answer.statusCode === 200 ? answer.json<{ cards: CardView[] }>().cards : [];
          sendHtml(
            res,
            200,
            cdsCardsPage(
              patientId,
              answer.statusCode,
              cards,
              url.searchParams.get("notice") ?? undefined,
              pageLocale(url.searchParams.get("lang"), acceptLanguage),
            ),
          );
        }
      } else {
        sendJson(res, 404, { error: `nothing at ${path}` });
      }
      return true;
    },
  };
}

interface CardView {
  uuid: string;
  summary: string;
  detail: string;
  indicator: string;
  overrideReasons: { code: string; display: string }[];
  links?: { label: string; url: string; type: string }[];
}

/**
 * `/sandbox/cds-view?patient=`: the cards beside the launch link, as Epic's and Oracle Health's sidebars show them,
 * with accept / override forms that post feedback. The card's SMART link is launched the way an EHR does it: through
 * the sandbox's EHR launch (a launch id, then the app's launch URL with `iss` and `launch`). The page's chrome is in
 * `locale`; the cards' texts are the service's own.
 */
export function cdsCardsPage(
  patientId: string,
  status: number,
  cards: readonly CardView[],
  notice?: string,
  locale: Locale = "en",
): string {
  const m = (id: string): string => h(t(locale, id));
  const launch = `/sandbox/launch?patient=${encodeURIComponent(patientId)}&lang=${encodeURIComponent(locale)}`;
  const views = cards.map((card) => {
    const reasons = card.overrideReasons
      .map((r) => `<option value="${h(r.code)}|${h(r.display)}">${h(r.display)}</option>`)
      .join("");
    const links = (card.links ?? [])
      .map((l) => `<a href="${h(l.type === "smart" ? launch : l.url)}">${h(l.label)}</a>`)
      .join(" ");
    const form = (outcome: string, inner: string): string =>
      `<form method="post" action="/sandbox/cds-feedback"><input type="hidden" name="patient" value="${h(patientId)}">` +
      `<input type="hidden" name="card" value="${h(card.uuid)}"><input type="hidden" name="outcome" value="${outcome}">` +
      `<input type="hidden" name="lang" value="${h(locale)}">${inner}</form>`;
    return `<section class="card ${h(card.indicator)}" aria-label="${h(t(locale, "cds.cardLabel", { indicator: card.indicator }))}">
<h2>${h(card.summary)}</h2><p><strong>${h(card.indicator)}</strong> ${links}</p><pre>${h(card.detail)}</pre>
${form("accepted", `<button>${m("cds.accept")}</button>`)}
${form("overridden", `<label>${m("cds.overrideReason")} <select name="reason">${reasons}</select></label> <button>${m("cds.override")}</button>`)}
</section>`;
  });
  const body =
    status !== 200
      ? `<p role="alert">${h(t(locale, "cds.httpError", { status: String(status) }))}</p>`
      : views.length === 0
        ? `<p>${m("cds.none")}</p>`
        : `<p>${m("cds.textsNote")}</p>\n${views.join("\n")}`;
  const here = (l: Locale): string =>
    `/sandbox/cds-view?${new URLSearchParams({ patient: patientId, lang: l }).toString()}`;
  return page(
    t(locale, "cds.title", { patient: patientId }),
    `${languageSwitcher(locale, here)}
<h1>${tHtml(locale, "cds.heading", { patient: `<code>${h(patientId)}</code>` })}</h1>
${notice ? `<p role="status">${h(notice)}</p>` : ""}
<p><a href="${h(launch)}">${m("home.ehrLaunch")}</a> · <a href="/sandbox/?lang=${encodeURIComponent(locale)}">${m("error.back")}</a></p>
${body}`,
    locale,
  );
}
