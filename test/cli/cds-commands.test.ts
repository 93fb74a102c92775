// @vitest-environment node
/**
 * `her2 cds-service --port N --config FILE` serves the CDS Hooks service until stopped; `her2 feedback-report FILE`
 * summarises the feedback file. Both run in-process here (the compiled CLI's imports are checked by bin.test.ts).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { prefetchTemplates } from "../../src/cds/prefetch";
import { readCdsConfigFile, runCdsCommand } from "../../src/cli/cds-commands";
import { clientJwt, clientKey, ISSUER, SERVICE_URL } from "../cds/helpers";
import { allowLoopbackRequests } from "../sandbox/helpers";

allowLoopbackRequests();

function io(): { io: { stdout: PassThrough; stderr: PassThrough }; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c: Buffer) => (out += c.toString()));
  stderr.on("data", (c: Buffer) => (err += c.toString()));
  return { io: { stdout, stderr }, out: () => out, err: () => err };
}

describe("her2 cds-service", () => {
  it("serves discovery to a client with a valid JWT until stopped, logging without bodies", async () => {
    const key = await clientKey();
    const dir = mkdtempSync(join(tmpdir(), "cds-cli-"));
    const config = join(dir, "cds.json");
    writeFileSync(
      config,
      JSON.stringify({
        serviceUrl: SERVICE_URL,
        issuers: [{ iss: ISSUER, jwks: { keys: [key.jwk] } }],
        feedbackFile: "feedback.ndjson",
      }),
    );
    const streams = io();
    const stop = new AbortController();
    const running = runCdsCommand(
      ["cds-service", "--port", "0", "--config", config],
      streams.io,
      stop.signal,
    );
    let origin: string | undefined;
    for (let i = 0; i < 100 && origin === undefined; i++) {
      origin = /listening at (http:\/\/[^/\s]+)\/cds-services/.exec(streams.err())?.[1];
      if (origin === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    expect(origin).toBeDefined();
    const res = await fetch(`${origin ?? ""}/cds-services`, {
      headers: { authorization: `Bearer ${await clientJwt(key, SERVICE_URL)}` },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { services: unknown[] }).services).toHaveLength(2);
    expect((await fetch(`${origin ?? ""}/cds-services`)).status).toBe(401);
    stop.abort();
    expect(await running).toBe(0);
    expect(streams.out()).toContain('"statusCode":200');
  });

  it("a missing or invalid config is a usage error (exit 2, one line)", async () => {
    const a = io();
    expect(await runCdsCommand(["cds-service", "--port", "0"], a.io)).toBe(2);
    expect(a.err()).toMatch(/required option '--config <file>'/);
    const dir = mkdtempSync(join(tmpdir(), "cds-cli-"));
    writeFileSync(
      join(dir, "bad.json"),
      JSON.stringify({ serviceUrl: SERVICE_URL, issuers: [], fhirServer: [] }),
    );
    const b = io();
    expect(await runCdsCommand(["cds-service", "--config", join(dir, "bad.json")], b.io)).toBe(2);
    expect(b.err()).toBe("her2: Invalid CDS service config: fhirServer: unknown field\n");
  });
});

describe("readCdsConfigFile", () => {
  it("reads the code map file and the feedback file relative to the config; the local codes are searched", () => {
    const dir = mkdtempSync(join(tmpdir(), "cds-cli-"));
    writeFileSync(
      join(dir, "codes.json"),
      JSON.stringify({
        observations: [{ system: "urn:oid:1.2.3", code: "768282-11", concept: "ihc" }],
        answers: [],
        medications: [],
      }),
    );
    writeFileSync(
      join(dir, "cds.json"),
      JSON.stringify({
        serviceUrl: SERVICE_URL,
        issuers: [{ iss: ISSUER, jwksUrls: ["https://ehr.example.test/jwks.json"] }],
        codeMapFile: "codes.json",
        feedbackFile: "fb.ndjson",
      }),
    );
    const config = readCdsConfigFile(join(dir, "cds.json"));
    expect(config.feedbackFile).toBe(join(dir, "fb.ndjson"));
    expect(decodeURIComponent(prefetchTemplates(config.codeMap).her2Observations)).toContain(
      "urn:oid:1.2.3|768282-11",
    );
  });

  it("an issuer without keys is refused", () => {
    const dir = mkdtempSync(join(tmpdir(), "cds-cli-"));
    writeFileSync(
      join(dir, "cds.json"),
      JSON.stringify({ serviceUrl: SERVICE_URL, issuers: [{ iss: ISSUER }] }),
    );
    expect(() => readCdsConfigFile(join(dir, "cds.json"))).toThrow(
      "Invalid CDS service config: issuers[0]: give jwksUrls or jwks: an issuer without keys can never be verified",
    );
  });
});

describe("her2 feedback-report", () => {
  it("counts accepted and overridden cards per kind, with the reasons", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cds-cli-"));
    const file = join(dir, "feedback.ndjson");
    const line = (kind: string, outcome: string, display?: string): string =>
      JSON.stringify({
        received: "2026-11-25T10:00:00Z",
        service: "her2-patient-view",
        card: "c",
        kind,
        outcome,
        ...(display ? { overrideReason: { display } } : {}),
      });
    writeFileSync(
      file,
      [
        line("reflex-ish-missing", "accepted"),
        line("reflex-ish-missing", "accepted"),
        line("reflex-ish-missing", "overridden", "Sent to outside lab"),
        line("metastatic-retest-missing", "overridden", "Patient declined"),
        "not json",
        "",
      ].join("\n"),
    );
    const streams = io();
    expect(await runCdsCommand(["feedback-report", file], streams.io)).toBe(0);
    expect(streams.out()).toBe(
      [
        "card kind\taccepted\toverridden\tacceptance\toverride reasons",
        "metastatic-retest-missing\t0\t1\t0%\tPatient declined (1)",
        "reflex-ish-missing\t2\t1\t67%\tSent to outside lab (1)",
        "(1 unreadable line(s) skipped)",
        "",
      ].join("\n"),
    );
    expect(readFileSync(file, "utf8")).toContain("not json");
  });

  it("a missing file: exit 2", async () => {
    const streams = io();
    expect(await runCdsCommand(["feedback-report", "/nonexistent/feedback.ndjson"], streams.io)).toBe(2);
    expect(streams.err()).toMatch(/^her2: cannot read \/nonexistent\/feedback.ndjson/);
  });
});
