/**
 * Benchmark of the CDS Hooks service (issue 13): p50 / p95 of one `her2-patient-view` call over loopback HTTP, for
 * every sandbox patient, with the prefetch filled (as Epic sends it) and without (the service fetches from the
 * sandbox FHIR server with fhirAuthorization). The floor is what no service can avoid: parsing the request body plus
 * `assess()` on the patient's input; target with prefetch: p95 within 3x of the floor's p95, and the whole call well
 * inside the spec's 500 ms. JWTs are signed before timing (the EHR's cost); their verification is timed (ours).
 * Run: `npx tsx bench/cds.ts`; bench/run.ts calls runCdsBench().
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { startSandbox } from "../sandbox/server";
import { parseCdsConfig } from "../src/cds/config";
import { prefetchTemplates } from "../src/cds/prefetch";
import { buildCdsService } from "../src/cds/service";
import { assess } from "../src/domain";
import { EMPTY_CODE_MAP } from "../src/fhir/code-map";
import { loadPatientData } from "../src/fhir/load";
import { fromFetch } from "../src/fhir/fetch-source";
import { buildPatientInput } from "../src/fhir/normalise";

const ROUNDS = 15;
const AUD_BASE = "https://cds.bench.test/cds-services";

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function sandboxToken(base: string, patient: string): Promise<string> {
  const launchRes = await fetch(`${base}/sandbox/launch?patient=${patient}`, { redirect: "manual" });
  const launch = new URL(launchRes.headers.get("location") ?? "").searchParams.get("launch") ?? "";
  const verifier = randomBytes(32).toString("base64url");
  const params = new URLSearchParams({
    response_type: "code",
    client_id: "her2-smart-test",
    redirect_uri: `${base}/index.html`,
    scope: "launch openid fhirUser patient/*.rs",
    state: "s",
    aud: `${base}/fhir`,
    launch,
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  });
  const authorized = await fetch(`${base}/auth/authorize?${params.toString()}`, { redirect: "manual" });
  const code = new URL(authorized.headers.get("location") ?? "").searchParams.get("code") ?? "";
  const token = await fetch(`${base}/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: `${base}/index.html`,
      client_id: "her2-smart-test",
      code_verifier: verifier,
    }),
  });
  return ((await token.json()) as { access_token: string }).access_token;
}

function ms(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(2)} ms, p95 ${percentile(sorted, 95).toFixed(2)} ms`;
}

export async function runCdsBench(): Promise<string> {
  const index = JSON.parse(readFileSync("sandbox/patients/index.json", "utf8")) as {
    asOf: string;
    patients: { id: string }[];
  };
  const sandbox = await startSandbox({ port: 0 });
  const { privateKey, publicKey } = await generateKeyPair("ES384");
  const jwk = { ...(await exportJWK(publicKey)), kid: "bench", alg: "ES384" };
  const fhirServer = `${sandbox.url}/fhir`;
  const config = parseCdsConfig({
    serviceUrl: AUD_BASE,
    issuers: [{ iss: "bench", jwks: { keys: [jwk] } }],
    fhirServers: [fhirServer],
  });
  const { app } = buildCdsService(config, { asOf: () => index.asOf });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const url = `http://127.0.0.1:${String((app.server.address() as AddressInfo).port)}/cds-services/her2-patient-view`;
  const jwt = (): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      iss: "bench",
      aud: `${AUD_BASE}/her2-patient-view`,
      iat: now,
      exp: now + 300,
      jti: randomUUID(),
    })
      .setProtectedHeader({ alg: "ES384", kid: "bench" })
      .sign(privateKey);
  };
  const withPrefetch: number[] = [];
  const fetching: number[] = [];
  const floor: number[] = [];
  const templates = prefetchTemplates(EMPTY_CODE_MAP);
  try {
    for (const { id } of index.patients) {
      const token = await sandboxToken(sandbox.url, id);
      const prefetch: Record<string, unknown> = {};
      for (const [key, template] of Object.entries(templates)) {
        const res = await fetch(`${fhirServer}/${template.split("{{context.patientId}}").join(id)}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        prefetch[key] = await res.json();
      }
      const context = { userId: "Practitioner/1", patientId: id };
      const prefetchBody = JSON.stringify({
        hook: "patient-view",
        hookInstance: randomUUID(),
        fhirServer,
        context,
        prefetch,
      });
      const fetchBody = JSON.stringify({
        hook: "patient-view",
        hookInstance: randomUUID(),
        fhirServer,
        fhirAuthorization: { access_token: token, token_type: "Bearer" },
        context,
      });
      // The floor: the body parsed, and the rules on the patient's input (loaded once, outside the timing).
      const loaded = await loadPatientData(fromFetch(fhirServer, token), id);
      const input = buildPatientInput({
        patient: `Patient/${id}`,
        resources: loaded.resources,
        asOf: index.asOf,
        dataGaps: loaded.gaps,
        fhirBase: fhirServer,
      });
      for (let round = 0; round < ROUNDS; round++) {
        const t0 = performance.now();
        JSON.parse(prefetchBody);
        assess(input);
        floor.push(performance.now() - t0);
        for (const [body, into] of [
          [prefetchBody, withPrefetch],
          [fetchBody, fetching],
        ] as const) {
          const authorization = `Bearer ${await jwt()}`;
          const start = performance.now();
          const res = await fetch(url, {
            method: "POST",
            headers: { authorization, "content-type": "application/json" },
            body,
          });
          await res.text();
          if (res.status !== 200) throw new Error(`patient-view for ${id}: HTTP ${String(res.status)}`);
          into.push(performance.now() - start);
        }
      }
    }
  } finally {
    await app.close();
    await sandbox.close();
  }
  const p95 = (v: number[]): number =>
    percentile(
      [...v].sort((a, b) => a - b),
      95,
    );
  return [
    `CDS Hooks patient-view, ${String(index.patients.length)} sandbox patients x ${String(ROUNDS)} calls (loopback HTTP, JWT verified):`,
    `  with prefetch:                 ${ms(withPrefetch)}`,
    `  without (fetch from sandbox):  ${ms(fetching)}`,
    `  floor (JSON.parse + assess):   ${ms(floor)}`,
    `  prefetch p95 / floor p95: ${(p95(withPrefetch) / p95(floor)).toFixed(1)}x (target <= 3x); spec limit 500 ms`,
  ].join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) console.log(await runCdsBench());
