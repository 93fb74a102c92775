// @vitest-environment node
/**
 * The CDS Hooks service over real HTTP (fastify on port 0): discovery, the CDS client JWT rules (each one), hook
 * request faults, order-sign, the ISH order suggestion, feedback stored and read back, and the access token kept out
 * of the logs. Patient data comes from the sandbox patient files as a prefetch, or from an msw FHIR server.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { Bundle, Resource } from "fhir/r4";
import { generateKeyPair, SignJWT } from "jose";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { prefetchTemplates } from "../../src/cds/prefetch";
import { readFeedback, summariseFeedback } from "../../src/cds/feedback";
import { EMPTY_CODE_MAP } from "../../src/fhir/code-map";
import { server } from "../msw-server";
import { allowLoopbackRequests } from "../sandbox/helpers";
import {
  call,
  clientJwt,
  clientKey,
  ISSUER,
  orderSignBody,
  patientView,
  SERVICE_URL,
  serviceStarter,
  type RunningService,
} from "./helpers";

allowLoopbackRequests();

const AS_OF = "2026-11-25";
const PV = "/cds-services/her2-patient-view";
const PV_AUD = `${SERVICE_URL}/her2-patient-view`;

const start = serviceStarter({ asOf: () => AS_OF });

function searchset(resources: readonly Resource[], next?: string): Bundle {
  return {
    resourceType: "Bundle",
    type: "searchset",
    entry: resources.map((resource) => ({ resource, search: { mode: "match" as const } })),
    ...(next ? { link: [{ relation: "next", url: next }] } : {}),
  };
}

/** A sandbox patient's file as the prefetch an EHR would send (one searchset per template). */
function prefetchOf(id: string): Record<string, unknown> {
  let text = readFileSync(`sandbox/patients/${id}.json`, "utf8");
  // Transaction files reference by fullUrl (urn:uuid:…): as the server stores them, by Type/id.
  for (const entry of (JSON.parse(text) as Bundle).entry ?? []) {
    if (entry.fullUrl?.startsWith("urn:") && entry.resource?.id)
      text = text.split(`"${entry.fullUrl}"`).join(`"${entry.resource.resourceType}/${entry.resource.id}"`);
  }
  const bundle = JSON.parse(text) as Bundle;
  const resources = (bundle.entry ?? []).map((e) => e.resource).filter((r): r is Resource => r !== undefined);
  const of = (type: string): Bundle => searchset(resources.filter((r) => r.resourceType === type));
  return {
    patient: resources.find((r) => r.resourceType === "Patient"),
    her2Observations: of("Observation"),
    conditions: of("Condition"),
    medicationRequests: of("MedicationRequest"),
    medicationStatements: of("MedicationStatement"),
    medicationAdministrations: of("MedicationAdministration"),
    specimens: of("Specimen"),
    diagnosticReports: of("DiagnosticReport"),
  };
}

function orderSign(patientId: string, drug: { code: string; display: string }): Record<string, unknown> {
  return orderSignBody(
    patientId,
    {
      subject: { reference: `Patient/${patientId}` },
      medicationCodeableConcept: {
        coding: [{ system: "http://www.nlm.nih.gov/research/umls/rxnorm", ...drug }],
      },
    },
    prefetchOf(patientId),
  );
}

const TRASTUZUMAB = { code: "224905", display: "trastuzumab" };
const TDXD = { code: "2267582", display: "fam-trastuzumab deruxtecan" };

describe("discovery", () => {
  it("lists both services with the FHIR layer's searches as prefetch templates", async () => {
    const key = await clientKey();
    const running = await start(key);
    const res = await call(running, key, "/cds-services");
    expect(res.status).toBe(200);
    const services = res.body.services as { id: string; hook: string; prefetch: Record<string, string> }[];
    expect(services.map((s) => [s.id, s.hook])).toEqual([
      ["her2-patient-view", "patient-view"],
      ["her2-order-sign", "order-sign"],
    ]);
    const prefetch = services[0]?.prefetch ?? {};
    expect(Object.keys(prefetch)).toEqual(Object.keys(prefetchTemplates(EMPTY_CODE_MAP)));
    expect(prefetch.patient).toBe("Patient/{{context.patientId}}");
    // HER2 IHC (LOINC 85319-2) is among the codes searched; every template is for this patient.
    expect(decodeURIComponent(prefetch.her2Observations ?? "")).toContain("http://loinc.org|85319-2");
    for (const template of Object.values(prefetch)) expect(template).toContain("{{context.patientId}}");
  });
});

describe("CDS client JWT", () => {
  const body = patientView("her2-ihc2-no-ish", { prefetch: prefetchOf("her2-ihc2-no-ish") });

  async function rejected(running: RunningService, jwt: string | undefined): Promise<string> {
    const res = await fetch(`${running.url}${PV}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(jwt === undefined ? {} : { authorization: `Bearer ${jwt}` }),
      },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(401);
    const outcome = (await res.json()) as {
      resourceType: string;
      issue: { diagnostics: string }[];
      cards?: unknown;
    };
    expect(outcome.resourceType).toBe("OperationOutcome");
    expect(outcome.cards).toBeUndefined();
    return outcome.issue[0]?.diagnostics ?? "";
  }

  it("accepts ES384 and RS384 keys of an allow-listed issuer", async () => {
    const es = await clientKey("ES384");
    const rs = await clientKey("RS384");
    const running = await start(es, { issuers: [{ iss: ISSUER, jwks: { keys: [es.jwk, rs.jwk] } }] });
    expect((await call(running, es, PV, body)).status).toBe(200);
    expect((await call(running, rs, PV, body)).status).toBe(200);
  });

  it("discovery needs a JWT too", async () => {
    const key = await clientKey();
    const running = await start(key);
    const res = await fetch(`${running.url}/cds-services`);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain("invalid_token");
  });

  it("rejects a missing header, a non-JWT, alg none and HMAC", async () => {
    const key = await clientKey();
    const running = await start(key);
    expect(await rejected(running, undefined)).toMatch(/missing bearer JWT/);
    expect(await rejected(running, "not-a-jwt")).toMatch(/not a JWT/);
    const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString("base64url");
    const claims = {
      iss: ISSUER,
      aud: PV_AUD,
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 60,
      jti: randomUUID(),
    };
    expect(await rejected(running, `${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`)).toMatch(
      /alg none is not allowed/,
    );
    const hmac = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS384" })
      .sign(new TextEncoder().encode("x".repeat(48)));
    expect(await rejected(running, hmac)).toMatch(/alg HS384 is not allowed/);
    const rs256 = await generateKeyPair("RS256");
    const other = await new SignJWT(claims).setProtectedHeader({ alg: "RS256" }).sign(rs256.privateKey);
    expect(await rejected(running, other)).toMatch(/alg RS256 is not allowed/);
  });

  it("rejects an unknown issuer, a wrong key and a jku off the allow-list", async () => {
    const key = await clientKey();
    const running = await start(key);
    expect(
      await rejected(running, await clientJwt(key, PV_AUD, { claims: { iss: "https://evil.test" } })),
    ).toMatch(/not a trusted CDS client/);
    const impostor = await clientKey("ES384", key.jwk.kid);
    expect(await rejected(running, await clientJwt(impostor, PV_AUD))).toMatch(/signature does not verify/);
    expect(
      await rejected(
        running,
        await clientJwt(key, PV_AUD, { header: { jku: "https://evil.test/jwks.json" } }),
      ),
    ).toMatch(/jku .* is not on the allow-list/);
  });

  it("fetches the keys from an allow-listed jku", async () => {
    const key = await clientKey();
    const jku = "https://ehr.example.test/cds/jwks.json";
    let fetched = 0;
    server.use(
      http.get(jku, () => {
        fetched++;
        return HttpResponse.json({ keys: [key.jwk] });
      }),
    );
    const running = await start(key, { issuers: [{ iss: ISSUER, jwksUrls: [jku] }] });
    const res = await call(running, key, PV, body, await clientJwt(key, PV_AUD, { header: { jku } }));
    expect(res.status).toBe(200);
    expect(fetched).toBe(1);
  });

  it("rejects a wrong aud, an expired token, iat in the future, a missing jti and a replay", async () => {
    const key = await clientKey();
    const running = await start(key);
    expect(await rejected(running, await clientJwt(key, `${SERVICE_URL}/her2-order-sign`))).toMatch(/aud/);
    expect(await rejected(running, await clientJwt(key, PV_AUD, { iatOffsetS: -400, expInS: 100 }))).toMatch(
      /expired|iat/,
    );
    expect(await rejected(running, await clientJwt(key, PV_AUD, { iatOffsetS: 600 }))).toMatch(/iat/);
    expect(await rejected(running, await clientJwt(key, PV_AUD, { claims: { jti: undefined } }))).toMatch(
      /jti/,
    );
    const once = await clientJwt(key, PV_AUD);
    expect((await call(running, key, PV, body, once)).status).toBe(200);
    expect(await rejected(running, once)).toMatch(/replay/);
  });
});

describe("patient-view", () => {
  it("says nothing when nothing needs action", async () => {
    const key = await clientKey();
    const running = await start(key);
    const res = await call(running, key, PV, patientView("her2-ihc3", { prefetch: prefetchOf("her2-ihc3") }));
    expect(res).toEqual({ status: 200, body: { cards: [] } });
  });

  it("onStage (the bench's breakdown) reports each stage of a call once, and leaves the answer unchanged", async () => {
    const key = await clientKey();
    const stages: string[] = [];
    const running = await start(
      key,
      {},
      { onStage: (stage: string, ms: number) => stages.push(`${stage}:${String(ms >= 0)}`) },
    );
    const body = patientView("her2-ihc2-no-ish", { prefetch: prefetchOf("her2-ihc2-no-ish") });
    const res = await call(running, key, PV, body);
    expect(res.status).toBe(200);
    expect(res.body.cards?.map((c) => c.source.topic?.code)).toEqual(["reflex-ish-missing"]);
    expect([...stages].sort()).toEqual(
      ["assess", "body", "cards", "jwt", "load", "normalise", "serialise"].map((s) => `${s}:true`),
    );
  });

  it("a missing reflex ISH: summary, Markdown evidence, citation, override reasons and the ISH order suggestion", async () => {
    const key = await clientKey();
    const ishOrderCode = { system: "urn:oid:1.2.3.4", code: "LAB-HER2-ISH", display: "HER2 FISH, breast" };
    const running = await start(key, { ishOrderCode, appLaunchUrl: "https://app.test/launch.html" });
    const res = await call(
      running,
      key,
      PV,
      patientView("her2-ihc2-no-ish", { prefetch: prefetchOf("her2-ihc2-no-ish") }),
    );
    const cards = res.body.cards ?? [];
    expect(cards).toHaveLength(1);
    const card = cards[0];
    if (!card) throw new Error("no card");
    expect(card.source.topic?.code).toBe("reflex-ish-missing");
    expect(card.indicator).toBe("warning");
    expect(card.summary).toMatch(/reflex ISH/);
    expect(card.detail).toContain("Observation/her2-ihc2-no-ish-ihc-1");
    expect(card.detail).toContain("IHC 2+");
    expect(card.detail).toContain("J Clin Oncol 2018;36:2105-2122");
    expect(card.source.url).toBe("https://doi.org/10.1200/JCO.2018.77.8738");
    expect(card.overrideReasons.map((r) => r.display)).toEqual(
      expect.arrayContaining(["Sent to outside lab", "Patient declined"]),
    );
    const request = card.suggestions?.[0]?.actions[0]?.resource;
    expect(request).toMatchObject({
      resourceType: "ServiceRequest",
      status: "draft",
      code: { coding: [ishOrderCode] },
      subject: { reference: "Patient/her2-ihc2-no-ish" },
    });
    expect(card.links?.[0]).toMatchObject({ type: "smart", url: "https://app.test/launch.html" });
  });

  it("rejects the wrong hook, a missing patientId, a prefetch of another patient and bad JSON with 400", async () => {
    const key = await clientKey();
    const running = await start(key);
    const wrongHook = await call(running, key, PV, { ...patientView("p1"), hook: "order-sign" });
    expect(wrongHook.status).toBe(400);
    expect(wrongHook.body.resourceType).toBe("OperationOutcome");
    expect((await call(running, key, PV, { ...patientView("p1"), context: {} })).status).toBe(400);
    const otherPatient = await call(
      running,
      key,
      PV,
      patientView("p1", { prefetch: prefetchOf("her2-ihc3") }),
    );
    expect(otherPatient.status).toBe(400);
    expect(JSON.stringify(otherPatient.body)).toContain("not context.patientId p1");
    const bad = await call(running, key, PV, "{ not json");
    expect(bad.status).toBe(400);
    expect(bad.body.resourceType).toBe("OperationOutcome");
  });

  it("no prefetch and no fhirAuthorization: 412; a huge prefetch: 413", async () => {
    const key = await clientKey();
    const running = await start(key, {}, { bodyLimit: 50_000 });
    expect((await call(running, key, PV, patientView("p1"))).status).toBe(412);
    const huge = patientView("p1", {
      prefetch: { conditions: { resourceType: "Bundle", note: "x".repeat(60_000) } },
    });
    const res = await call(running, key, PV, huge);
    expect(res.status).toBe(413);
    expect(res.body.resourceType).toBe("OperationOutcome");
  });

  it("a prefetch of the wrong type or an OperationOutcome: cards from what is valid, and a card saying what was not read", async () => {
    const key = await clientKey();
    const running = await start(key);
    const prefetch = {
      ...prefetchOf("her2-ihc2-no-ish"),
      conditions: { resourceType: "Patient", id: "x" },
      medicationRequests: {
        resourceType: "OperationOutcome",
        issue: [{ severity: "error", code: "forbidden", diagnostics: "denied" }],
      },
    };
    const res = await call(running, key, PV, patientView("her2-ihc2-no-ish", { prefetch }));
    const codes = (res.body.cards ?? []).map((c) => c.source.topic?.code);
    expect(codes).toContain("reflex-ish-missing");
    expect(codes).toContain("check-incomplete");
    const incomplete = (res.body.cards ?? []).find((c) => c.source.topic?.code === "check-incomplete");
    expect(incomplete?.indicator).toBe("info");
    expect(incomplete?.detail).toContain("expected a search Bundle");
    expect(incomplete?.detail).toContain("MedicationRequest");
  });

  it("a FHIR server failing mid-way gives the info card; a next link to another host is never followed", async () => {
    const key = await clientKey();
    const base = "https://fhir.hospital.test/r4";
    const hosts: string[] = [];
    server.use(
      http.all(/^https:\/\/(fhir\.hospital|evil)\.test\//, ({ request }) => {
        const url = new URL(request.url);
        hosts.push(url.host);
        if (url.host !== "fhir.hospital.test") return HttpResponse.json({}, { status: 200 });
        if (url.pathname.endsWith("/metadata")) return HttpResponse.json({}, { status: 404 });
        if (url.pathname.endsWith("/Patient/p1"))
          return HttpResponse.json({ resourceType: "Patient", id: "p1" });
        if (url.pathname.endsWith("/Observation") && !url.searchParams.has("page"))
          return HttpResponse.json(searchset([], `${base}/Observation?page=2`));
        if (url.pathname.endsWith("/Observation")) return HttpResponse.json({}, { status: 500 });
        if (url.pathname.endsWith("/Condition"))
          return HttpResponse.json(searchset([], "https://evil.test/steal"));
        return HttpResponse.json(searchset([]));
      }),
    );
    const running = await start(key, { fhirServers: [base] });
    const res = await call(
      running,
      key,
      PV,
      patientView("p1", {
        fhirServer: base,
        fhirAuthorization: { access_token: "secret-token-123", token_type: "Bearer" },
      }),
    );
    expect(res.status).toBe(200);
    const cards = res.body.cards ?? [];
    expect(cards.map((c) => c.source.topic?.code)).toEqual(["check-incomplete"]);
    expect(cards[0]?.indicator).toBe("info");
    expect(hosts.every((h) => h === "fhir.hospital.test")).toBe(true);
  });

  it("refuses a fhirServer off the allow-list without calling it", async () => {
    const key = await clientKey();
    let called = 0;
    server.use(http.all(/^https:\/\/other\.test\//, () => (called++, HttpResponse.json({}))));
    const running = await start(key, { fhirServers: ["https://fhir.hospital.test/r4"] });
    const res = await call(
      running,
      key,
      PV,
      patientView("p1", { fhirServer: "https://other.test/r4", fhirAuthorization: { access_token: "t" } }),
    );
    expect(res.status).toBe(403);
    expect(called).toBe(0);
  });

  it("never logs the access token", async () => {
    const key = await clientKey();
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const base = "https://fhir.hospital.test/r4";
    server.use(http.all(/^https:\/\/fhir\.hospital\.test\//, () => HttpResponse.json({}, { status: 500 })));
    const running = await start(key, { fhirServers: [base] }, { logger: { level: "trace", stream } });
    const auth = {
      fhirServer: base,
      fhirAuthorization: { access_token: "secret-token-123", token_type: "Bearer" },
    };
    await call(running, key, PV, patientView("p1", auth));
    await call(running, key, PV, { ...patientView("p1", auth), hook: "wrong" });
    await call(running, key, PV, patientView("p1", auth), "bad.jwt.here");
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("")).not.toContain("secret-token-123");
  });
});

describe("order-sign", () => {
  it("trastuzumab for a HER2-low patient: a critical card with the status and evidence", async () => {
    const key = await clientKey();
    const running = await start(key);
    const res = await call(
      running,
      key,
      "/cds-services/her2-order-sign",
      orderSign("her2-ihc1-low", TRASTUZUMAB),
    );
    const cards = res.body.cards ?? [];
    expect(cards).toHaveLength(1);
    expect(cards[0]?.indicator).toBe("critical");
    expect(cards[0]?.summary).toMatch(/trastuzumab ordered, but HER2 status is her2-low/);
    expect(cards[0]?.detail).toContain("Observation/her2-ihc1-low-ihc-1");
  });

  it("T-DXd for HER2-low: no card; for HER2-0: critical; trastuzumab for HER2-positive: no card", async () => {
    const key = await clientKey();
    const running = await start(key);
    const os = "/cds-services/her2-order-sign";
    expect((await call(running, key, os, orderSign("her2-ihc1-low", TDXD))).body.cards).toEqual([]);
    const zero = (await call(running, key, os, orderSign("her2-ihc0-null", TDXD))).body.cards ?? [];
    expect(zero.map((c) => c.indicator)).toEqual(["critical"]);
    expect((await call(running, key, os, orderSign("her2-ihc3", TRASTUZUMAB))).body.cards).toEqual([]);
  });

  it("no anti-HER2 drug drafted: no card and no FHIR request", async () => {
    const key = await clientKey();
    const running = await start(key);
    const body = orderSign("her2-ihc1-low", { code: "1049502", display: "acetaminophen" });
    delete body.prefetch;
    const res = await call(running, key, "/cds-services/her2-order-sign", body);
    expect(res).toEqual({ status: 200, body: { cards: [] } });
  });
});

describe("feedback", () => {
  it("is appended to the file with the card's kind, and summarised", async () => {
    const key = await clientKey();
    const file = join(mkdtempSync(join(tmpdir(), "cds-feedback-")), "feedback.ndjson");
    const running = await start(key, { feedbackFile: file });
    const res = await call(
      running,
      key,
      PV,
      patientView("her2-ihc2-no-ish", { prefetch: prefetchOf("her2-ihc2-no-ish") }),
    );
    const card = res.body.cards?.[0]?.uuid ?? "";
    const feedback = (outcome: string, extra = {}) => ({
      feedback: [{ card, outcome, outcomeTimestamp: "2026-11-25T10:00:00Z", ...extra }],
    });
    expect((await call(running, key, `${PV}/feedback`, feedback("accepted"))).status).toBe(200);
    const override = {
      overrideReason: {
        reason: { code: "sent-to-outside-lab", display: "Sent to outside lab" },
        userComment: "Mayo",
      },
    };
    expect((await call(running, key, `${PV}/feedback`, feedback("overridden", override))).status).toBe(200);
    expect(
      (await call(running, key, `${PV}/feedback`, { feedback: [{ card, outcome: "maybe" }] })).status,
    ).toBe(400);
    const { records, badLines } = await readFeedback(file);
    expect(badLines).toBe(0);
    expect(records.map((r) => [r.kind, r.outcome])).toEqual([
      ["reflex-ish-missing", "accepted"],
      ["reflex-ish-missing", "overridden"],
    ]);
    expect(records[1]?.overrideReason).toEqual({
      code: "sent-to-outside-lab",
      display: "Sent to outside lab",
      comment: "Mayo",
    });
    expect(summariseFeedback(records)).toEqual([
      { kind: "reflex-ish-missing", accepted: 1, overridden: 1, reasons: [["Sent to outside lab", 1]] },
    ]);
  });
});
