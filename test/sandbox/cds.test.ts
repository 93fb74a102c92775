// @vitest-environment node
/**
 * The CDS Hooks service mounted on the sandbox origin (as in `npm start`), and the sandbox as its CDS client: the
 * test client's JWT endpoint, `/sandbox/cds?patient=` (prefetch filled from the sandbox's own store, signed call),
 * the card's SMART link to the app on the same origin, and feedback stored in the sandbox's feedback file.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_FEEDBACK_FILE } from "../../sandbox/cds";
import { type RunningSandbox, startSandbox } from "../../sandbox/server";
import { accessToken, allowLoopbackRequests } from "./helpers";

allowLoopbackRequests();

interface Card {
  uuid: string;
  summary: string;
  indicator: string;
  source: { topic?: { code: string } };
  links?: { url: string; type: string; appContext?: string }[];
}

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());

async function jwtFor(path: string): Promise<string> {
  const res = await fetch(
    `${sandbox.url}/sandbox/cds-client/jwt?aud=${encodeURIComponent(`${sandbox.url}${path}`)}`,
  );
  expect(res.status).toBe(200);
  return res.text();
}

describe("the CDS Hooks service on the sandbox origin", () => {
  it("discovery needs the sandbox client's JWT", async () => {
    expect((await fetch(`${sandbox.url}/cds-services`)).status).toBe(401);
    const res = await fetch(`${sandbox.url}/cds-services`, {
      headers: { authorization: `Bearer ${await jwtFor("/cds-services")}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { services: { id: string }[] };
    expect(body.services.map((s) => s.id)).toEqual(["her2-patient-view", "her2-order-sign"]);
    const jwks = (await (await fetch(`${sandbox.url}/sandbox/cds-client/jwks.json`)).json()) as {
      keys: { alg: string }[];
    };
    expect(jwks.keys.map((k) => k.alg)).toEqual(["ES384"]);
  });

  it("/sandbox/cds calls patient-view as the EHR: the cards, with a SMART link to the app on this origin", async () => {
    const res = await fetch(`${sandbox.url}/sandbox/cds?patient=her2-ihc2-no-ish`);
    expect(res.status).toBe(200);
    const { cards } = (await res.json()) as { cards: Card[] };
    expect(cards.map((c) => c.source.topic?.code)).toEqual(["reflex-ish-missing"]);
    expect(cards[0]?.links?.[0]).toMatchObject({ type: "smart", url: `${sandbox.url}/launch.html` });
    const quiet = (await (await fetch(`${sandbox.url}/sandbox/cds?patient=her2-ihc3`)).json()) as {
      cards: Card[];
    };
    expect(quiet.cards).toEqual([]);
  });

  it("fetching with fhirAuthorization from the sandbox FHIR server gives the same card, and feedback is stored", async () => {
    const path = "/cds-services/her2-patient-view";
    const token = await accessToken(sandbox.url, "her2-ihc2-no-ish");
    const res = await fetch(`${sandbox.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${await jwtFor(path)}`, "content-type": "application/json" },
      body: JSON.stringify({
        hook: "patient-view",
        hookInstance: "h-1",
        fhirServer: `${sandbox.url}/fhir`,
        fhirAuthorization: { access_token: token, token_type: "Bearer" },
        context: { userId: "Practitioner/1", patientId: "her2-ihc2-no-ish" },
      }),
    });
    expect(res.status).toBe(200);
    const { cards } = (await res.json()) as { cards: Card[] };
    expect(cards.map((c) => c.source.topic?.code)).toEqual(["reflex-ish-missing"]);
    const card = cards[0]?.uuid ?? "";
    const feedback = await fetch(`${sandbox.url}${path}/feedback`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${await jwtFor(`${path}/feedback`)}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({
        feedback: [{ card, outcome: "accepted", outcomeTimestamp: new Date().toISOString() }],
      }),
    });
    expect(feedback.status).toBe(200);
    const stored = readFileSync(SANDBOX_FEEDBACK_FILE, "utf8")
      .split("\n")
      .filter((l) => l.includes(card));
    expect(stored.map((l) => (JSON.parse(l) as { kind: string }).kind)).toEqual(["reflex-ish-missing"]);
  });
});

describe("the sandbox's card view (the EHR sidebar)", () => {
  it("shows the cards with the launch link, and records an override posted from the form", async () => {
    const view = await fetch(`${sandbox.url}/sandbox/cds-view?patient=her2-ihc2-no-ish`);
    expect(view.status).toBe(200);
    const html = await view.text();
    expect(html).toContain("HER2 IHC 2+ (equivocal) without ISH: order reflex ISH on the same specimen");
    expect(html).toContain(
      'href="/sandbox/launch?patient=her2-ihc2-no-ish&amp;lang=en">Open the HER2 panel</a>',
    );
    const card = /name="card" value="([0-9a-f-]{36})"/.exec(html)?.[1] ?? "";
    const posted = await fetch(`${sandbox.url}/sandbox/cds-feedback`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        patient: "her2-ihc2-no-ish",
        card,
        outcome: "overridden",
        reason: "patient-declined|Patient declined",
      }),
    });
    expect(posted.status).toBe(302);
    expect(posted.headers.get("location")).toContain("notice=Feedback+recorded%3A+overridden");
    const stored = readFileSync(SANDBOX_FEEDBACK_FILE, "utf8")
      .split("\n")
      .filter((l) => l.includes(card));
    expect(stored.map((l) => JSON.parse(l) as { kind: string; overrideReason: unknown })).toEqual([
      expect.objectContaining({
        kind: "reflex-ish-missing",
        outcome: "overridden",
        overrideReason: { code: "patient-declined", display: "Patient declined" },
      }),
    ]);
    const quiet = await (await fetch(`${sandbox.url}/sandbox/cds-view?patient=her2-ihc3`)).text();
    expect(quiet).toContain("No cards: nothing needs action for this patient.");
  });
});
