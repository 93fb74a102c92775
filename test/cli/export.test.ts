// @vitest-environment node
/**
 * `her2 export` and `her2 review --from` against the sandbox's Bulk Data server, over real HTTP (issue 14): the whole
 * flow, each server fault, resume, cancel (SIGINT) and the backend-services token.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { BulkOptions } from "../../sandbox/bulk";
import { type RunningSandbox, startSandbox } from "../../sandbox/server";
import { type ExportOptions, type ExportResult, runExport, STATE_FILE } from "../../src/cli/export";
import { parseArgs } from "../../src/cli/args";
import { exportCommand } from "../../src/cli/export-command";
import { type FilePrescan, startExportPrescan } from "../../src/cli/export-prescan";
import type { CodeMap } from "../../src/fhir/code-map";
import { review, type ReviewTuning } from "../../src/cli/review";
import { allowLoopbackRequests } from "../sandbox/helpers";
import { AS_OF, Sink, tempDir } from "./helpers";

allowLoopbackRequests();

/** The command line in-process, as main.ts runs it (fast back-off); `tunings` gets what the review was given. */
async function runCli(
  argv: string[],
  io: { stdout: Sink; stderr: Sink },
  tunings: (ReviewTuning | undefined)[] = [],
): Promise<number> {
  const parsed = parseArgs(argv, io, AS_OF);
  if (parsed.kind === "exit") return parsed.code;
  if (parsed.kind !== "export") throw new Error("expected an export command");
  const reviewing: typeof review = (options, reviewIo, tuning) => {
    tunings.push(tuning);
    return review(options, reviewIo, tuning);
  };
  const startPrescan = (codeMap: CodeMap): FilePrescan => startExportPrescan(codeMap, true);
  return (await exportCommand(parsed, io, { review: reviewing, startPrescan }, undefined, { backoff: FAST }))
    .exitCode;
}

const root = join(import.meta.dirname, "../..");
const KEY_FILE = join(root, "sandbox/backend-client/private-jwks.json");
const GROUP = "her2-breast-cancer";
const FAST = { initialMs: 5, maxMs: 40, retries: 3 };

const running: RunningSandbox[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.close();
});

async function sandbox(bulk: BulkOptions = {}): Promise<RunningSandbox> {
  const s = await startSandbox({ port: 0, bulk: { retryAfterS: 0, pollsBeforeDone: 1, ...bulk } });
  running.push(s);
  return s;
}

interface Recorded {
  method: string;
  url: string;
  headers: Headers;
}

interface Run extends ExportResult {
  stderr: string;
  out: string;
  requests: Recorded[];
}

async function exportFrom(
  s: RunningSandbox,
  options: Partial<ExportOptions> = {},
  more: {
    signal?: AbortSignal;
    backoff?: typeof FAST;
    onRequest?: (r: Recorded) => void;
    tty?: boolean;
    onFileDone?: (path: string) => void;
    /** The fetch under the recording one (a test's own answers); default the real one. */
    fetch?: typeof fetch;
  } = {},
): Promise<Run> {
  const stderr = new Sink();
  if (more.tty === true) stderr.isTTY = true;
  const out = options.out ?? tempDir();
  const requests: Recorded[] = [];
  const recording: typeof fetch = (input, init) => {
    const r = {
      method: init?.method ?? "GET",
      url: input instanceof Request ? input.url : input.toString(),
      headers: new Headers(init?.headers),
    };
    requests.push(r);
    more.onRequest?.(r);
    return (more.fetch ?? fetch)(input, init);
  };
  const result = await runExport(
    {
      from: `${s.url}/fhir`,
      group: GROUP,
      out,
      clientId: "her2-bulk-sandbox",
      keyFile: KEY_FILE,
      scope: "system/*.rs",
      typeFilter: false,
      parallel: 3,
      maxWaitMs: 30_000,
      ...options,
    },
    { stdout: new Sink(), stderr },
    more.signal,
    {
      backoff: more.backoff ?? FAST,
      fetch: recording,
      ...(more.onFileDone ? { onFileDone: more.onFileDone } : {}),
    },
  );
  return { ...result, stderr: stderr.text, out, requests };
}

async function reviewOf(folder: string): Promise<string> {
  const stdout = new Sink();
  const result = await review(
    { inputs: [folder], format: "ndjson", asOf: AS_OF, flags: [], statuses: [] },
    { stdout, stderr: new Sink() },
    { workers: 0 },
  );
  expect(result.exitCode).toBe(0);
  return stdout.text;
}

/** What the group holds, counted from the sandbox's own patient Bundles (not from the export), by resource type. */
function sandboxResources(): Map<string, number> {
  const dir = join(import.meta.dirname, "../../sandbox/patients");
  const index = JSON.parse(readFileSync(join(dir, "index.json"), "utf8")) as { patients: { file: string }[] };
  const counts = new Map<string, number>();
  for (const { file } of index.patients) {
    const bundle = JSON.parse(readFileSync(join(dir, file), "utf8")) as {
      entry?: { resource: { resourceType: string } }[];
    };
    for (const { resource } of bundle.entry ?? [])
      counts.set(resource.resourceType, (counts.get(resource.resourceType) ?? 0) + 1);
  }
  return counts;
}
const SANDBOX_RESOURCES = sandboxResources();
const SANDBOX_TOTAL = [...SANDBOX_RESOURCES.values()].reduce((a, b) => a + b, 0);
const SANDBOX_OBSERVATIONS = SANDBOX_RESOURCES.get("Observation") ?? 0;

/** `her2 review --from <base>` of the group into a folder (a new one unless given), with the sandbox's key. */
function reviewFrom(base: string, out = tempDir()): string[] {
  return ["review", "--from", base, "--group", GROUP, "--out", out, "--key", KEY_FILE];
}

const ndjsonFiles = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".ndjson"))
    .sort();

describe("her2 export against the sandbox", { timeout: 30_000 }, () => {
  it("exports the group into NDJSON files whose review is the review of the sandbox's own patient files", async () => {
    const s = await sandbox({ resourcesPerFile: 40 });
    const run = await exportFrom(s);
    expect(run.exitCode).toBe(0);
    expect(run.complete).toBe(true);
    expect(run.stderr).toContain(`complete: ${SANDBOX_TOTAL} resources in `);
    // The Observations split over files of at most 40, downloaded in parallel.
    expect(ndjsonFiles(run.out).filter((f) => f.startsWith("Observation."))).toHaveLength(
      Math.ceil(SANDBOX_OBSERVATIONS / 40),
    );
    expect(readdirSync(run.out).some((f) => f.endsWith(".part"))).toBe(false);
    expect(await reviewOf(run.out)).toBe(await reviewOf(join(root, "sandbox/patients")));

    // The kick-off: Group level, asynchronous, only the types the rules read.
    const kickOff = run.requests.find((r) => r.url.includes("/$export?"));
    expect(kickOff?.url).toContain(`/fhir/Group/${GROUP}/$export?`);
    expect(kickOff?.headers.get("prefer")).toBe("respond-async");
    const types = new URL(kickOff?.url ?? "").searchParams.get("_type")?.split(",");
    expect(types).toEqual(expect.arrayContaining(["Patient", "Observation", "Condition", "Specimen"]));
    expect(types).not.toContain("Encounter");
    // Done: the job was deleted on the server.
    const statusUrl =
      kickOff === undefined ? "" : (run.requests.find((r) => r.method === "DELETE")?.url ?? "");
    expect(statusUrl).toContain("/$export-status/");
    // Where the time went, for `npm run bench` (her2-stats): each phase this run went through took some.
    expect(run.phases?.kickOffMs).toBeGreaterThan(0);
    expect(run.phases?.pollMs).toBeGreaterThan(0);
    expect(run.phases?.downloadMs).toBeGreaterThan(0);
  });

  it("downloads the largest files first (by the manifest's counts), so the last ones to arrive are small", async () => {
    const s = await sandbox({ resourcesPerFile: 40 });
    const run = await exportFrom(s, { parallel: 1 });
    expect(run.exitCode).toBe(0);
    const state = JSON.parse(readFileSync(join(run.out, STATE_FILE), "utf8")) as {
      files: { url: string; count: number }[];
    };
    const countOf = new Map(state.files.map((f) => [f.url, f.count]));
    const downloaded = run.requests.filter((r) => countOf.has(r.url)).map((r) => countOf.get(r.url) ?? 0);
    expect(downloaded).toHaveLength(state.files.length);
    expect(downloaded).toEqual([...downloaded].sort((a, b) => b - a));
    expect(new Set(downloaded).size).toBeGreaterThan(1);
    // The manifest's own order is not that one.
    expect(state.files.map((f) => f.count)).not.toEqual(downloaded);
  });

  it("without --group: Patient/$export, every patient", async () => {
    const s = await sandbox();
    const run = await exportFrom(s, { group: undefined });
    expect(run.exitCode).toBe(0);
    expect(run.requests.find((r) => r.url.includes("/$export?"))?.url).toContain(
      "/fhir/Patient/$export?_type=",
    );
    expect(run.stderr).toContain("export started (all patients)");
    expect(run.stderr).toContain(`complete: ${SANDBOX_TOTAL} resources`);
  });

  it("sends _since and, when asked, a _typeFilter for the HER2 codes", async () => {
    const s = await sandbox();
    const run = await exportFrom(s, { since: "2999-01-01T00:00:00Z", typeFilter: true });
    expect(run.exitCode).toBe(0);
    const kickOff = new URL(run.requests.find((r) => r.url.includes("/$export?"))?.url ?? "");
    expect(kickOff.searchParams.get("_since")).toBe("2999-01-01T00:00:00Z");
    // One query, URL-encoded on its own: no bare comma that a server would split the list at.
    const filter = kickOff.searchParams.get("_typeFilter") ?? "";
    expect(filter).toMatch(/^Observation\?code=http%3A%2F%2Floinc\.org%7C[\d-]+%2C/);
    expect(filter).not.toContain(",");
    expect(new URLSearchParams(filter.split("?")[1]).get("code")).toContain("http://loinc.org|18474-7,");
    // Nothing changed after 2999: an empty export, and it says so.
    expect(ndjsonFiles(run.out)).toEqual([]);
    expect(run.stderr).toContain("complete: 0 resources");
  });

  it("waits as Retry-After says on a 429 during polling, and backs off on a 429 without it and on a 500", async () => {
    const s = await sandbox({
      faults: [
        { kind: "poll-429", times: 1, retryAfter: true },
        { kind: "poll-429", times: 1, retryAfter: false },
        { kind: "poll-500", times: 2 },
      ],
    });
    const started = Date.now();
    // Four failures in a row: one more retry than the default test back-off allows.
    const run = await exportFrom(s, {}, { backoff: { ...FAST, retries: 4 } });
    expect(run.exitCode).toBe(0);
    // Retry-After: 1 was obeyed although our own back-off is capped at 40 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(run.stderr).toContain("server: HTTP 429, retrying");
    expect(run.stderr).toContain("server: HTTP 500, retrying");
  });

  it("a status endpoint that keeps failing ends with what was exported and how to resume; the next run resumes the same job", async () => {
    const s = await sandbox({ faults: [{ kind: "poll-500", times: 4 }] });
    const out = tempDir();
    const first = await exportFrom(s, { out });
    expect(first.exitCode).toBe(4);
    expect(first.stderr).toMatch(/failed: the status request .* failed \(HTTP 500\)/);
    expect(first.stderr).toContain("nothing was downloaded yet; run the same command again to resume");
    expect(existsSync(join(out, STATE_FILE))).toBe(true);

    const second = await exportFrom(s, { out });
    expect(second.exitCode).toBe(0);
    expect(second.stderr).toContain("resuming: polling the saved status URL");
    expect(second.requests.some((r) => r.url.includes("/$export?"))).toBe(false);
  });

  it("shows the manifest's error[] OperationOutcomes and does not call the export complete", async () => {
    const s = await sandbox({ faults: [{ kind: "manifest-error", resourceType: "MedicationRequest" }] });
    const run = await exportFrom(s);
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toContain(
      "the server reported: error: MedicationRequest could not be exported (sandbox fault manifest-error:MedicationRequest)",
    );
    expect(run.missing).toEqual([
      "server error: MedicationRequest could not be exported (sandbox fault manifest-error:MedicationRequest)",
    ]);
  });

  it("a file that 404s is named as missing, the others are kept, and no partial file is left", async () => {
    const s = await sandbox({ faults: [{ kind: "file-404", resourceType: "Condition" }] });
    const run = await exportFrom(s);
    expect(run.exitCode).toBe(4);
    expect(run.missing).toEqual(["Condition.000.ndjson (Condition)"]);
    expect(run.stderr).toContain("incomplete: 1 files could not be downloaded: Condition.000.ndjson");
    expect(run.stderr).toContain("run the same command again to resume");
    expect(ndjsonFiles(run.out)).not.toContain("Condition.000.ndjson");
    expect(ndjsonFiles(run.out)).toContain("Observation.000.ndjson");
    expect(readdirSync(run.out).some((f) => f.endsWith(".part"))).toBe(false);
  });

  it("a truncated NDJSON download is retried; a resumed export gives the same review as an uninterrupted one", async () => {
    const whole = await exportFrom(await sandbox());
    // Four cut downloads: more than the three retries of the first run, healed in the second.
    const s = await sandbox({ faults: [{ kind: "file-truncate", resourceType: "Observation", times: 4 }] });
    const out = tempDir();
    const first = await exportFrom(s, { out });
    expect(first.exitCode).toBe(4);
    expect(first.stderr).toMatch(/Observation\.000\.ndjson: the download was cut short/);
    expect(first.missing).toEqual(["Observation.000.ndjson (Observation)"]);
    expect(ndjsonFiles(out)).not.toContain("Observation.000.ndjson");

    const second = await exportFrom(s, { out });
    expect(second.exitCode).toBe(0);
    expect(second.stderr).toContain("resuming: 1 of 9 files left to download");
    expect(second.requests.some((r) => r.url.includes("/$export?"))).toBe(false);
    expect(await reviewOf(out)).toBe(await reviewOf(whole.out));
  });

  it("a download cut once is retried within the run, and the export is complete", async () => {
    const s = await sandbox({ faults: [{ kind: "file-truncate", resourceType: "Observation", times: 1 }] });
    const run = await exportFrom(s);
    expect(run.exitCode).toBe(0);
    expect(run.requests.filter((r) => r.url.endsWith("/Observation.000.ndjson"))).toHaveLength(2);
    expect(await reviewOf(run.out)).toBe(await reviewOf(join(root, "sandbox/patients")));
  });

  it("on a terminal: one progress line redrawn in place, no per-file lines", async () => {
    const s = await sandbox({ pollsBeforeDone: 2 });
    const run = await exportFrom(s, {}, { tty: true });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain("\r\x1b[2Kher2 export: server: 0% done");
    expect(run.stderr).not.toContain("her2 export: downloaded ");
    expect(run.stderr).toContain(`her2 export: complete: ${SANDBOX_TOTAL} resources`);
  });

  it("renews a token that expires in the middle of the downloads, and never prints a token", async () => {
    const s = await sandbox({ faults: [{ kind: "token-expire", after: 2 }] });
    const tokens = new Set<string>();
    const run = await exportFrom(
      s,
      {},
      {
        onRequest: (r) => {
          const auth = r.headers.get("authorization");
          if (auth !== null) tokens.add(auth.slice("Bearer ".length));
        },
      },
    );
    expect(run.exitCode).toBe(0);
    expect(run.tokens).toBe(2);
    expect(tokens.size).toBe(2);
    for (const token of tokens) expect(run.stderr).not.toContain(token);
  });

  it("downloads the files without the token when the manifest says requiresAccessToken: false", async () => {
    const s = await sandbox({ requiresAccessToken: false });
    const run = await exportFrom(s);
    expect(run.exitCode).toBe(0);
    const files = run.requests.filter((r) => r.url.includes("/$export-file/"));
    expect(files.length).toBeGreaterThan(0);
    expect(files.every((r) => !r.headers.has("authorization"))).toBe(true);
  });

  it("401: an unregistered client is refused at the token endpoint, with the server's reason", async () => {
    const s = await sandbox();
    const run = await exportFrom(s, { clientId: "not-registered" });
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toContain('refused client "not-registered" (HTTP 401, invalid_client');
  });

  it("403: a token whose scopes do not cover the types", async () => {
    const s = await sandbox();
    const run = await exportFrom(s, { scope: "system/Patient.rs" });
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toMatch(
      /the kick-off .* was refused \(HTTP 403\).*lacks a system scope to read Observation/,
    );
  });

  it("404: an unknown group", async () => {
    const s = await sandbox();
    const run = await exportFrom(s, { group: "no-such-group" });
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toContain("found nothing (HTTP 404): is Group/no-such-group right?");
  });

  it("--locale es: a 404 on the group is said in Spanish; the URL, the group and the server's words kept", async () => {
    const s = await sandbox();
    const english = await exportFrom(s, { group: "no-such-group" });
    const run = await exportFrom(s, { group: "no-such-group", locale: "es" });
    expect(run.exitCode).toBe(4);
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(english.stderr.trimEnd().split("\n").length);
    expect(lines[0]).toMatch(
      /^her2 export: error: la solicitud de inicio http:\/\/\S+\/fhir\/Group\/no-such-group\/\$export\S* no encontró nada \(HTTP 404\): ¿es correcto Group\/no-such-group\?/,
    );
    expect(lines[1]).toBe(
      "her2 export: todavía no se descargó nada; ejecute la misma orden otra vez para reintentar",
    );
    // The server's own words are quoted as they came.
    const said = /\(HTTP 404\): is Group\/no-such-group right\?(.*)$/m.exec(english.stderr)?.[1] ?? "";
    expect(lines[0]?.endsWith(said)).toBe(true);
    for (const line of lines)
      expect(line.replace(said, "")).not.toMatch(
        /\b(failed|found nothing|right|nothing was|run the same|again)\b/,
      );
  });

  it("--locale es / zh-CN: a status request that keeps failing names the saved state to resume from", async () => {
    for (const [locale, hint] of [
      ["es", "ejecute la misma orden otra vez para reanudar (la URL de estado está guardada en "],
      ["zh-CN", "再次运行同一命令即可继续（状态 URL 已保存在 "],
    ] as const) {
      const s = await sandbox({ faults: [{ kind: "poll-500", times: 4 }] });
      const out = tempDir();
      const run = await exportFrom(s, { out, locale });
      expect(run.exitCode).toBe(4);
      expect(run.stderr).toContain(`${hint}${join(out, STATE_FILE)}`);
      expect(run.stderr).toMatch(
        locale === "es" ? /la consulta de estado \S+ falló \(HTTP 500\)/ : /状态查询 \S+ 失败（HTTP 500）/,
      );
      expect(run.stderr).not.toMatch(
        /\b(export started|status URL saved|failed|retrying|run the same command)\b/,
      );
      expect(run.stderr).toContain(locale === "es" ? "HTTP 500, reintentando" : "HTTP 500，正在重试");
      // The next run, in English, resumes the same job: the state does not depend on the locale.
      const second = await exportFrom(s, { out });
      expect(second.exitCode).toBe(0);
      expect(second.stderr).toContain("resuming: polling the saved status URL");
    }
  });

  it("a server that never completes: gives up after --max-wait, keeping the job for a later run", async () => {
    const s = await sandbox({ faults: [{ kind: "never-complete" }] });
    const run = await exportFrom(s, { maxWaitMs: 300 }, { backoff: { ...FAST, initialMs: 50 } });
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toContain("failed: the server has not completed the export after");
    expect(run.stderr).toContain("run the same command again to resume");
    expect(run.requests.some((r) => r.method === "DELETE")).toBe(false);
  });

  it("cancel (SIGINT): the job is deleted on the server and the resume state removed", async () => {
    const s = await sandbox({ faults: [{ kind: "never-complete" }] });
    const controller = new AbortController();
    let polls = 0;
    const run = await exportFrom(
      s,
      {},
      {
        backoff: { ...FAST, initialMs: 20 },
        signal: controller.signal,
        onRequest: (r) => {
          if (r.url.includes("/$export-status/") && ++polls === 2) controller.abort();
        },
      },
    );
    expect(run.exitCode).toBe(130);
    expect(run.stderr).toContain("cancelled: the export job was deleted on the server");
    const deleted = run.requests.find((r) => r.method === "DELETE");
    expect(deleted?.url).toContain("/$export-status/");
    expect(existsSync(join(run.out, STATE_FILE))).toBe(false);
  });

  it("her2 review --from exports and reviews; an incomplete export is not reviewed", async () => {
    const s = await sandbox();
    const out = tempDir();
    const stdout = new Sink();
    const stderr = new Sink();
    const args = ["review", "--from", `${s.url}/fhir`, "--group", GROUP, "--out", out, "--key", KEY_FILE];
    const code = await runCli([...args, "--as-of", AS_OF], { stdout, stderr });
    expect(code).toBe(0);
    expect(stdout.text).toBe(await reviewOf(join(root, "sandbox/patients")));

    const broken = await sandbox({ faults: [{ kind: "file-404", resourceType: "Observation" }] });
    const brokenOut = new Sink();
    const brokenErr = new Sink();
    const partial = await runCli(
      ["review", "--from", `${broken.url}/fhir`, "--group", GROUP, "--out", tempDir(), "--key", KEY_FILE],
      { stdout: brokenOut, stderr: brokenErr },
    );
    expect(partial).toBe(4);
    expect(brokenOut.text).toBe("");
    expect(brokenErr.text).toContain(
      "her2 review: not reviewed: the export is incomplete (Observation.000.ndjson (Observation))",
    );
  });

  it("her2 review --from scans each file as it arrives, and its review from those scans is the folder's", async () => {
    const s = await sandbox({ resourcesPerFile: 40 });
    const out = tempDir();
    const stdout = new Sink();
    const tunings: (ReviewTuning | undefined)[] = [];
    const args = reviewFrom(`${s.url}/fhir`, out);
    expect(await runCli([...args, "--as-of", AS_OF], { stdout, stderr: new Sink() }, tunings)).toBe(0);
    expect(tunings).toHaveLength(1);
    const files = ndjsonFiles(out);
    expect(files.length).toBeGreaterThan(8);
    expect(tunings[0]?.prescanned?.size).toBe(files.length);
    expect(stdout.text).toBe(await reviewOf(join(root, "sandbox/patients")));
  });

  it("only whole files are handed on for scanning; a resumed review --from gives the uninterrupted report", async () => {
    // Four cut downloads of Observation.000: more than the three retries of the first run, healed in the second.
    const s = await sandbox({ faults: [{ kind: "file-truncate", resourceType: "Observation", times: 4 }] });
    const out = tempDir();
    const handed: { name: string; text: string }[] = [];
    const onFileDone = (path: string): void => {
      handed.push({ name: path.slice(out.length + 1), text: readFileSync(path, "utf8") });
    };
    const first = await exportFrom(s, { out }, { onFileDone });
    expect(first.exitCode).toBe(4);
    expect(handed.map((h) => h.name)).not.toContain("Observation.000.ndjson");
    expect(handed.map((h) => h.name).sort()).toEqual(ndjsonFiles(out));
    // Each was whole when handed on: as it is now, every line a resource.
    for (const h of handed) {
      expect(h.text).toBe(readFileSync(join(out, h.name), "utf8"));
      expect(h.text.endsWith("\n")).toBe(true);
      for (const line of h.text.trimEnd().split("\n"))
        expect(() => JSON.parse(line) as unknown).not.toThrow();
    }

    // The same folder again, as review --from: the files of the first run are scanned too, and the report is whole.
    const stdout = new Sink();
    const tunings: (ReviewTuning | undefined)[] = [];
    const args = reviewFrom(`${s.url}/fhir`, out);
    expect(await runCli([...args, "--as-of", AS_OF], { stdout, stderr: new Sink() }, tunings)).toBe(0);
    expect(tunings[0]?.prescanned?.size).toBe(ndjsonFiles(out).length);
    expect(stdout.text).toBe(await reviewOf(join(root, "sandbox/patients")));
  });

  it("her2 review --from an export that stays incomplete: no review, though the whole files were scanned", async () => {
    const s = await sandbox({ faults: [{ kind: "file-truncate", resourceType: "Observation", times: 9 }] });
    const stdout = new Sink();
    const stderr = new Sink();
    const tunings: (ReviewTuning | undefined)[] = [];
    const args = reviewFrom(`${s.url}/fhir`);
    expect(await runCli([...args, "--as-of", AS_OF], { stdout, stderr }, tunings)).toBe(4);
    expect(tunings).toHaveLength(0);
    expect(stdout.text).toBe("");
    expect(stderr.text).toContain(
      "her2 review: not reviewed: the export is incomplete (Observation.000.ndjson (Observation))",
    );
  });

  it("her2 review --from --locale es: an incomplete export is not reviewed, said in Spanish", async () => {
    const broken = await sandbox({ faults: [{ kind: "file-404", resourceType: "Observation" }] });
    const stdout = new Sink();
    const stderr = new Sink();
    expect(await runCli([...reviewFrom(`${broken.url}/fhir`), "--locale", "es"], { stdout, stderr })).toBe(4);
    expect(stdout.text).toBe("");
    expect(stderr.text).toContain(
      "her2 review: no revisado: la exportación está incompleta (Observation.000.ndjson (Observation))",
    );
    expect(stderr.text).toContain(
      "her2 export: incompleta: no se pudo descargar 1 archivo: Observation.000.ndjson",
    );
    expect(stderr.text).toMatch(/her2 export: descargado Patient\.000\.ndjson \(\d+ recursos\)/);
    expect(stderr.text).not.toMatch(/\b(not reviewed|incomplete|downloaded|export started|resources)\b/);
  });

  it("her2 review --from a server that cannot be reached says nothing was downloaded, not an empty list", async () => {
    const stderr = new Sink();
    const code = await runCli(reviewFrom("http://127.0.0.1:9/fhir"), { stdout: new Sink(), stderr });
    expect(code).toBe(4);
    expect(stderr.text).toContain(
      "her2 review: not reviewed: the export is incomplete (nothing was downloaded)",
    );
    expect(stderr.text).not.toContain("incomplete ()");
  });

  it("her2 review --from --format html writes the quality report of the exported folder on stdout (issue 14.4)", async () => {
    const s = await sandbox();
    const out = tempDir();
    const stdout = new Sink();
    const args = ["review", "--from", `${s.url}/fhir`, "--group", GROUP, "--out", out, "--key", KEY_FILE];
    const code = await runCli([...args, "--as-of", AS_OF, "--format", "html"], {
      stdout,
      stderr: new Sink(),
    });
    expect(code).toBe(0);
    const folder = new Sink();
    await review(
      { inputs: [out], format: "html", asOf: AS_OF, flags: [], statuses: [] },
      { stdout: folder, stderr: new Sink() },
    );
    expect(stdout.text).toContain("<!doctype html>");
    expect(stdout.text).toBe(folder.text);
  });
});

describe("her2 export / review --from: usage", () => {
  const usage = async (...args: string[]): Promise<{ code: number; stderr: string }> => {
    const stderr = new Sink();
    const code = await runCli(args, { stdout: new Sink(), stderr });
    return { code, stderr: stderr.text };
  };

  it("export needs --from and --out; review needs inputs or --from, not both", async () => {
    expect(await usage("export", "--out", "x")).toEqual({
      code: 2,
      stderr: "her2: error: missing --from <FHIR base URL> (see 'her2 --help')\n",
    });
    expect((await usage("export", "--from", "http://h/fhir")).stderr).toContain("missing --out <folder>");
    expect((await usage("export", "--from", "ftp://h", "--out", "x")).stderr).toContain(
      "must be an http(s) URL",
    );
    expect((await usage("review")).stderr).toContain("missing files or folders to review, or --from");
    expect((await usage("review", "a.json", "--from", "http://h/fhir")).stderr).toContain("not both");
    expect((await usage("export", "--from", "http://h/fhir", "--out", "x", "--since", "2020")).code).toBe(2);
  });

  it("a key file that is not a JWKS is a usage error naming the file", async () => {
    const dir = tempDir();
    const { code, stderr } = await usage(
      "export",
      "--from",
      "http://127.0.0.1:9/fhir",
      "--out",
      dir,
      "--key",
      join(dir, "none.json"),
    );
    expect(code).toBe(2);
    expect(stderr).toContain(`cannot read the key file ${join(dir, "none.json")} as a JWKS`);
  });

  it("an --out folder that cannot be created is a usage error naming it, not a crash", async () => {
    const file = join(tempDir(), "a-file");
    writeFileSync(file, "");
    const out = join(file, "export");
    const { code, stderr } = await usage("export", "--from", "http://127.0.0.1:9/fhir", "--out", out);
    expect(code).toBe(2);
    expect(stderr).toContain(`her2: cannot create the --out folder ${out} (`);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  });
});

/**
 * The lines about files and the server's errors in --locale es / zh-CN, over the real flow: the sentence in the locale
 * around the facts (file names, HTTP statuses, severity codes, the server's words), as they came. English stays what
 * it was, byte for byte: the old lines are written out here.
 */
describe("her2 export --locale: the files' and the server's lines", { timeout: 30_000 }, () => {
  /** Words of the English sentences these lines had; none may remain once the server's own words are taken out. */
  const ENGLISH =
    /\b(the download|cut short|incomplete after|holds|manifest says|attempts|server error|the server reported|unreadable|no details|cannot|names no|refused|key file|holds no|no keys)\b/;
  const serverWords = (line: string, ...said: string[]): string =>
    said.reduce((rest, words) => rest.split(words).join(""), line);

  it("a file that 404s: its line and the missing file in es / zh-CN; English as before", async () => {
    const s = await sandbox({ faults: [{ kind: "file-404", resourceType: "Condition" }] });
    const gone = "The file Condition.000.ndjson is gone (sandbox fault file-404:Condition)";
    const english = await exportFrom(s);
    expect(english.stderr).toContain(`her2 export: Condition.000.ndjson: HTTP 404 (error: ${gone})\n`);
    expect(english.missing).toEqual(["Condition.000.ndjson (Condition)"]);
    const es = await exportFrom(s, { locale: "es" });
    expect(es.exitCode).toBe(4);
    // Only facts: the status, the severity code and the server's words.
    expect(es.stderr).toContain(`her2 export: Condition.000.ndjson: HTTP 404 (error: ${gone})\n`);
    expect(es.missing).toEqual(["Condition.000.ndjson (Condition)"]);
    const zh = await exportFrom(s, { locale: "zh-CN" });
    expect(zh.exitCode).toBe(4);
    expect(zh.stderr).toContain(`her2 export: Condition.000.ndjson：HTTP 404（error: ${gone}）\n`);
    expect(zh.missing).toEqual(["Condition.000.ndjson（Condition）"]);
    for (const run of [es, zh]) expect(serverWords(run.stderr, gone)).not.toMatch(ENGLISH);
  });

  it("a download cut short after the retries: why, and the attempts, in es / zh-CN; English as before", async () => {
    const s = await sandbox({ faults: [{ kind: "file-truncate", resourceType: "Observation", times: 12 }] });
    const english = await exportFrom(s);
    expect(english.stderr).toContain(
      "her2 export: Observation.000.ndjson: the download was cut short (its last line is incomplete after 1 resources), after 4 attempts\n",
    );
    const es = await exportFrom(s, { locale: "es" });
    expect(es.exitCode).toBe(4);
    expect(es.stderr).toContain(
      "her2 export: Observation.000.ndjson: la descarga quedó incompleta (su última línea está cortada después de 1 recursos), tras 4 intentos\n",
    );
    const zh = await exportFrom(s, { locale: "zh-CN" });
    expect(zh.exitCode).toBe(4);
    expect(zh.stderr).toContain(
      "her2 export: Observation.000.ndjson：下载被截断（在 1 个资源之后，最后一行不完整），已尝试 4 次\n",
    );
    for (const run of [es, zh]) expect(run.stderr).not.toMatch(ENGLISH);
  });

  it("a file with fewer resources than the manifest says, in es / zh-CN; English as before", async () => {
    const s = await sandbox();
    // Every file served without its last line: whole lines, fewer than the manifest's count.
    const short: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const url = input instanceof Request ? input.url : input.toString();
      if (!url.includes("/Medication.000") || !response.ok) return response;
      const lines = (await response.text()).trimEnd().split("\n");
      return new Response(lines.length > 1 ? `${lines.slice(0, -1).join("\n")}\n` : "", { status: 200 });
    };
    const runs = await Promise.all(
      (["en", "es", "zh-CN"] as const).map((locale) => exportFrom(s, { locale }, { fetch: short })),
    );
    const [english, es, zh] = runs.map((run) => run.stderr);
    expect(english).toContain(
      "her2 export: Medication.000.ndjson: the download holds 0 resources, the manifest says 1, after 4 attempts\n",
    );
    expect(es).toContain(
      "her2 export: Medication.000.ndjson: la descarga contiene 0 recursos, el manifiesto indica 1, tras 4 intentos\n",
    );
    expect(zh).toContain(
      "her2 export: Medication.000.ndjson：下载内容有 0 个资源，清单中为 1 个，已尝试 4 次\n",
    );
    expect(runs.map((run) => run.exitCode)).toEqual([4, 4, 4]);
  });

  it("the manifest's error[]: the server's issue and what was not exported, in es / zh-CN; English as before", async () => {
    const said = "MedicationRequest could not be exported (sandbox fault manifest-error:MedicationRequest)";
    const s = await sandbox({ faults: [{ kind: "manifest-error", resourceType: "MedicationRequest" }] });
    const english = await exportFrom(s);
    expect(english.stderr).toContain(`her2 export: the server reported: error: ${said}\n`);
    expect(english.missing).toEqual([`server error: ${said}`]);
    const es = await exportFrom(s, { locale: "es" });
    expect(es.exitCode).toBe(4);
    expect(es.stderr).toContain(`her2 export: el servidor informó: error: ${said}\n`);
    expect(es.missing).toEqual([`error del servidor: ${said}`]);
    const zh = await exportFrom(s, { locale: "zh-CN" });
    expect(zh.exitCode).toBe(4);
    expect(zh.stderr).toContain(`her2 export: 服务器报告：error: ${said}\n`);
    expect(zh.missing).toEqual([`服务器错误：${said}`]);
    for (const run of [es, zh]) expect(serverWords(run.stderr, said)).not.toMatch(ENGLISH);
  });

  it("her2 review --from --locale zh-CN: the server's errors named as not exported, in Chinese", async () => {
    const said = "MedicationRequest could not be exported (sandbox fault manifest-error:MedicationRequest)";
    const s = await sandbox({ faults: [{ kind: "manifest-error", resourceType: "MedicationRequest" }] });
    const stderr = new Sink();
    const stdout = new Sink();
    expect(await runCli([...reviewFrom(`${s.url}/fhir`), "--locale", "zh-CN"], { stdout, stderr })).toBe(4);
    expect(stdout.text).toBe("");
    expect(stderr.text).toContain(`her2 review：未审查：导出不完整（服务器错误：${said}）\n`);
    const english = new Sink();
    expect(await runCli(reviewFrom(`${s.url}/fhir`), { stdout: new Sink(), stderr: english })).toBe(4);
    expect(english.text).toContain(
      `her2 review: not reviewed: the export is incomplete (server error: ${said})\n`,
    );
  });

  it("an unreadable OperationOutcome line and an issue without text, in es / zh-CN; English as before", async () => {
    const s = await sandbox({ faults: [{ kind: "manifest-error", resourceType: "MedicationRequest" }] });
    const serving =
      (body: string): typeof fetch =>
      async (input, init) => {
        const url = input instanceof Request ? input.url : input.toString();
        if (!url.includes("/errors-MedicationRequest")) return fetch(input, init);
        return new Response(body, { status: 200 });
      };
    const bad = serving("{not json\n");
    const bare = serving('{"resourceType":"OperationOutcome","issue":[{"severity":"fatal"}]}\n');
    const run = (locale: "en" | "es" | "zh-CN", fetchFn: typeof fetch): Promise<Run> =>
      exportFrom(s, { locale }, { fetch: fetchFn });
    const file = "OperationOutcome.000.ndjson";

    const english = await run("en", bad);
    expect(english.exitCode).toBe(4);
    expect(english.stderr).toContain(
      `her2 export: the server reported: error: unreadable OperationOutcome line in ${file}\n`,
    );
    expect(english.missing).toEqual([`server error: unreadable OperationOutcome line in ${file}`]);
    const es = await run("es", bad);
    expect(es.stderr).toContain(
      `her2 export: el servidor informó: error: línea de OperationOutcome ilegible en ${file}\n`,
    );
    expect(es.missing).toEqual([`error del servidor: línea de OperationOutcome ilegible en ${file}`]);
    const zh = await run("zh-CN", bad);
    expect(zh.stderr).toContain(
      `her2 export: 服务器报告：error: ${file} 中有无法读取的 OperationOutcome 行\n`,
    );
    expect(zh.missing).toEqual([`服务器错误：${file} 中有无法读取的 OperationOutcome 行`]);

    const englishBare = await run("en", bare);
    expect(englishBare.stderr).toContain("her2 export: the server reported: fatal: no details\n");
    expect(englishBare.missing).toEqual(["server error: no details"]);
    const esBare = await run("es", bare);
    expect(esBare.stderr).toContain("her2 export: el servidor informó: fatal: sin detalles\n");
    const zhBare = await run("zh-CN", bare);
    expect(zhBare.stderr).toContain("her2 export: 服务器报告：fatal: 无详细信息\n");
    expect(zhBare.missing).toEqual(["服务器错误：无详细信息"]);
    for (const r of [es, zh, esBare, zhBare]) {
      expect(r.exitCode).toBe(4);
      expect(r.stderr).not.toMatch(ENGLISH);
    }
  });
});

/** The key file and the token endpoint's discovery, in --locale es / zh-CN (the errors of src/bulk/backend-token.ts). */
describe("her2 export --locale: the key and the token endpoint", { timeout: 30_000 }, () => {
  const jwksFile = (jwks: unknown): string => {
    const file = join(tempDir(), "jwks.json");
    writeFileSync(file, JSON.stringify(jwks));
    return file;
  };
  const sandboxKey =
    (JSON.parse(readFileSync(KEY_FILE, "utf8")) as { keys: Record<string, unknown>[] }).keys[0] ?? {};
  /** The `failed:` line of a run in each locale, and the exit codes. */
  const failedLines = async (
    s: RunningSandbox,
    options: Partial<ExportOptions>,
    fetchFn?: typeof fetch,
  ): Promise<{ en: string; es: string; zh: string; codes: number[] }> => {
    const runs = await Promise.all(
      (["en", "es", "zh-CN"] as const).map((locale) =>
        exportFrom(s, { ...options, locale }, fetchFn ? { fetch: fetchFn } : {}),
      ),
    );
    const [en = "", es = "", zh = ""] = runs.map((run) => run.stderr.split("\n")[0] ?? "");
    return { en, es, zh, codes: runs.map((run) => run.exitCode) };
  };

  it("a JWKS without a private RS384 / ES384 key with a kid", async () => {
    const publicKey = Object.fromEntries(Object.entries(sandboxKey).filter(([name]) => name !== "d"));
    const lines = await failedLines(await sandbox(), { keyFile: jwksFile({ keys: [publicKey] }) });
    expect(lines.codes).toEqual([4, 4, 4]);
    expect(lines.en).toBe(
      "her2 export: failed: the key file holds no private RS384 or ES384 key with a kid (SMART Backend Services needs one)",
    );
    expect(lines.es).toBe(
      "her2 export: error: el archivo de claves no contiene ninguna clave privada RS384 o ES384 con kid (SMART Backend Services necesita una)",
    );
    expect(lines.zh).toBe(
      "her2 export: 失败：密钥文件中没有带 kid 的 RS384 或 ES384 私钥（SMART Backend Services 需要一个）",
    );
  });

  it("a key whose alg does not fit it: the JOSE library's words as they came", async () => {
    const lines = await failedLines(await sandbox(), {
      keyFile: jwksFile({ keys: [{ ...sandboxKey, alg: "RS384" }] }),
    });
    expect(lines.codes).toEqual([4, 4, 4]);
    const jose = /^her2 export: failed: (.+)$/.exec(lines.en)?.[1] ?? "";
    expect(jose).not.toBe("");
    expect(lines.es).toBe(
      `her2 export: error: la clave del archivo de claves no sirve para firmar la aserción (${jose})`,
    );
    expect(lines.zh).toBe(`her2 export: 失败：密钥文件中的密钥无法用于签署断言（${jose}）`);
  });

  it("a server that names no token endpoint, and a token endpoint that cannot be reached", async () => {
    const s = await sandbox();
    const discovery = `${s.url}/nothing/.well-known/smart-configuration`;
    const none = await failedLines(s, { from: `${s.url}/nothing` });
    expect(none.codes).toEqual([4, 4, 4]);
    const status = /\(HTTP (\d+)\)$/.exec(none.en)?.[1] ?? "";
    expect(none.en).toBe(`her2 export: failed: ${discovery} names no token_endpoint (HTTP ${status})`);
    expect(none.es).toBe(`her2 export: error: ${discovery} no indica ningún token_endpoint (HTTP ${status})`);
    expect(none.zh).toBe(`her2 export: 失败：${discovery} 未给出 token_endpoint（HTTP ${status}）`);

    const token = "http://127.0.0.1:9/token";
    const elsewhere: typeof fetch = (input, init) => {
      const url = input instanceof Request ? input.url : input.toString();
      if (url.endsWith("/.well-known/smart-configuration"))
        return Promise.resolve(Response.json({ token_endpoint: token }));
      return fetch(input, init);
    };
    const lost = await failedLines(s, {}, elsewhere);
    expect(lost.codes).toEqual([4, 4, 4]);
    const reason =
      /^her2 export: failed: cannot reach the token endpoint \S+ \((.+)\)$/.exec(lost.en)?.[1] ?? "";
    expect(reason).not.toBe("");
    expect(lost.en).toBe(`her2 export: failed: cannot reach the token endpoint ${token} (${reason})`);
    expect(lost.es).toBe(
      `her2 export: error: no se puede conectar con el endpoint de tokens ${token} (${reason})`,
    );
    expect(lost.zh).toBe(`her2 export: 失败：无法连接令牌端点 ${token}（${reason}）`);
  });

  it("a server that cannot be reached at all: its discovery URL, in es / zh-CN", async () => {
    const s = await sandbox();
    const base = "http://127.0.0.1:9/fhir";
    const lines = await failedLines(s, { from: base });
    expect(lines.codes).toEqual([4, 4, 4]);
    const discovery = `${base}/.well-known/smart-configuration`;
    const reason = /^her2 export: failed: cannot reach \S+ \((.+)\)$/.exec(lines.en)?.[1] ?? "";
    expect(reason).not.toBe("");
    expect(lines.en).toBe(`her2 export: failed: cannot reach ${discovery} (${reason})`);
    expect(lines.es).toBe(`her2 export: error: no se puede conectar con ${discovery} (${reason})`);
    expect(lines.zh).toBe(`her2 export: 失败：无法连接 ${discovery}（${reason}）`);
  });

  it("a key file without a keys array: the reason in es / zh-CN, a usage error in each", async () => {
    const file = jwksFile({ kty: "EC" });
    const lines = await failedLines(await sandbox(), { keyFile: file });
    expect(lines.codes).toEqual([2, 2, 2]);
    expect(lines.en).toBe(`her2: cannot read the key file ${file} as a JWKS (no keys array)`);
    expect(lines.es).toBe(
      `her2: no se puede leer el archivo de claves ${file} como JWKS (no tiene un arreglo keys)`,
    );
    expect(lines.zh).toBe(`her2：无法将密钥文件 ${file} 读取为 JWKS（没有 keys 数组）`);
  });
});
