/**
 * `her2 export`: a FHIR Bulk Data export into a folder, ready for `her2 review`. Kick-off, polling, then parallel
 * streaming downloads with retries. The status URL and each finished file are saved in the folder
 * (`.her2-export-state`), so an interrupted run continues where it stopped instead of exporting again. A file is
 * written as `.part` and renamed only once it is whole: nothing half-downloaded is ever read as complete. The job is
 * deleted on the server when the export is complete, or when the user cancels (SIGINT).
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import type { JSONWebKeySet } from "jose";
import { BackendToken } from "../bulk/backend-token";
import { BulkError } from "../bulk/errors";
import {
  type Backoff,
  BulkClient,
  DEFAULT_BACKOFF,
  type ExportManifest,
  type ExportRequest,
  formatDuration,
  type ManifestFile,
  outcomeIssues,
  outcomeText,
} from "../bulk/export-client";
import { PATIENT_RESOURCE_TYPES } from "../fhir/patient-membership";
import { observationCodeTokens } from "../fhir/query-plan";
import { EMPTY_CODE_MAP } from "../fhir/code-map";
import type { Locale } from "../i18n/locales";
import { LineCounter } from "./export-lines";
import { exportErrorText } from "./export-text";
import { type CliText, type CliValue, cliText, renderText } from "./messages";
import { Progress } from "./progress";
import type { ReviewIo } from "./review";

/**
 * `_type`: what the rules and the CLI read (the patient-compartment types of patient-membership.ts, and Medication,
 * which medication orders reference). Nothing else is exported.
 */
export const EXPORT_TYPES: readonly string[] = [...PATIENT_RESOURCE_TYPES, "Medication"];

/** The state file in the output folder (no `.json`: `her2 review` of the folder does not read it). */
export const STATE_FILE = ".her2-export-state";

export interface ExportOptions {
  /** FHIR base URL of the Bulk Data server. */
  readonly from: string;
  /** Group id; undefined: `Patient/$export`. */
  readonly group?: string | undefined;
  /** Output folder. */
  readonly out: string;
  readonly clientId: string;
  /** A JWKS file with the client's private RS384 or ES384 key. */
  readonly keyFile: string;
  readonly scope: string;
  readonly since?: string | undefined;
  /**
   * Send `_typeFilter=Observation?code=<HER2 LOINC codes>`. Off by default: a server that honours it drops the HER2
   * results that name the test only in text or in a local code (her2-code.ts reads those), so the smaller export may
   * miss a result the rules would have used.
   */
  readonly typeFilter: boolean;
  /** Parallel downloads. */
  readonly parallel: number;
  /** The longest wait for the server to complete, ms. */
  readonly maxWaitMs: number;
  /** The language of the messages on stderr (`--locale`, LANG); default en. */
  readonly locale?: Locale | undefined;
}

/** Knobs the tests turn (fast back-off). */
export interface ExportTuning {
  readonly backoff?: Backoff;
  readonly fetch?: typeof fetch;
  /**
   * Called with the path of each file once it is whole in the folder (renamed from `.part`), and at the start for the
   * files an earlier run downloaded: `her2 review --from` scans them while the rest download (export-prescan.ts).
   */
  readonly onFileDone?: (path: string) => void;
}

export interface ExportResult {
  /** 0 complete; 2 usage error; 4 incomplete or failed (resumable); 130 cancelled. */
  readonly exitCode: 0 | 2 | 4 | 130;
  readonly complete: boolean;
  /**
   * What is missing from the folder: types the server reported errors for, and files not downloaded, worded in the
   * run's locale (`her2 review --from` names them).
   */
  readonly missing: readonly string[];
  /** Tokens obtained during the run. */
  readonly tokens: number;
  /** Wall time of each phase this run went through, ms (the benchmark's breakdown; 0 for a phase it skipped). */
  readonly phases?: ExportPhases;
}

/** Where an export's time goes. */
export interface ExportPhases {
  /** The token and the kick-off request (the server prepares the job during it, or after it). */
  kickOffMs: number;
  /** Polling the status URL until the manifest. */
  pollMs: number;
  /** Downloading the files. */
  downloadMs: number;
}

interface FileState {
  readonly url: string;
  readonly type: string;
  readonly name: string;
  readonly count?: number;
  done: boolean;
  lines?: number;
}

interface State {
  readonly version: 1;
  /** The kick-off's identity: base, group, types, filters, since. A different export cannot resume this one. */
  readonly requestKey: string;
  statusUrl?: string;
  manifest?: ExportManifest;
  files?: FileState[];
  complete?: boolean;
}

const PREFIX = "her2 export:";

/** Runs an export. Messages go to `io.stderr` (never a token); nothing goes to stdout. */
export async function runExport(
  options: ExportOptions,
  io: ReviewIo,
  signal?: AbortSignal,
  tuning: ExportTuning = {},
): Promise<ExportResult> {
  const locale = options.locale ?? "en";
  const say = (text: CliText): void => {
    progress.clear();
    io.stderr.write(`${PREFIX} ${renderText(locale, text)}\n`);
  };
  const progress = new Progress(io.stderr);
  let jwks: JSONWebKeySet;
  const noKeys = new Error("no keys array");
  try {
    jwks = JSON.parse(readFileSync(options.keyFile, "utf8")) as JSONWebKeySet;
    if (!Array.isArray(jwks.keys)) throw noKeys;
  } catch (error) {
    // The parser's or the file system's own words as they are; only our own reason is worded in the locale.
    const values = {
      file: options.keyFile,
      error: error === noKeys ? cliText("export.noKeysArray") : errorText(error),
    };
    io.stderr.write(`${renderText(locale, cliText("export.keyFile", values))}\n`);
    return { exitCode: 2, complete: false, missing: [], tokens: 0 };
  }
  const request: ExportRequest = {
    base: options.from.replace(/\/+$/, ""),
    group: options.group,
    types: EXPORT_TYPES,
    // STU2: _typeFilter is a comma-separated list of queries, so each query is URL-encoded on its own (its commas
    // become %2C) before it is put in the parameter.
    typeFilters: options.typeFilter
      ? [`Observation?code=${observationCodeTokens(EMPTY_CODE_MAP).map(encodeURIComponent).join("%2C")}`]
      : [],
    since: options.since,
  };
  const requestKey = JSON.stringify(request);
  try {
    mkdirSync(options.out, { recursive: true });
  } catch (error) {
    const values = { out: options.out, error: errorText(error) };
    io.stderr.write(`${renderText(locale, cliText("export.outFolder", values))}\n`);
    return { exitCode: 2, complete: false, missing: [], tokens: 0 };
  }
  const statePath = join(options.out, STATE_FILE);
  let state: State = { version: 1, requestKey };
  if (existsSync(statePath)) {
    const saved = JSON.parse(readFileSync(statePath, "utf8")) as State;
    if (saved.requestKey !== requestKey) {
      io.stderr.write(`${renderText(locale, cliText("export.otherExport", { out: options.out }))}\n`);
      return { exitCode: 2, complete: false, missing: [], tokens: 0 };
    }
    state = saved;
  }
  const save = (): void => {
    writeFileSync(`${statePath}.tmp`, JSON.stringify(state, null, 2));
    renameSync(`${statePath}.tmp`, statePath);
  };
  if (state.complete === true) {
    say(cliText("export.alreadyComplete", { out: options.out }));
    return { exitCode: 0, complete: true, missing: [], tokens: 0 };
  }

  const token = new BackendToken(
    request.base,
    { clientId: options.clientId, jwks, scope: options.scope },
    tuning.fetch,
  );
  const client = new BulkClient({
    token,
    backoff: tuning.backoff ?? DEFAULT_BACKOFF,
    ...(tuning.fetch ? { fetch: tuning.fetch } : {}),
  });
  const resumeHint = cliText("export.resumeHint", { path: statePath });
  const stopped = (error: unknown): ExportResult => {
    const missing = missingFiles(state, locale);
    if (error instanceof BulkError && error.kind === "cancelled")
      return { exitCode: 130, complete: false, missing, tokens: token.issued };
    const done = (state.files ?? []).filter((f) => f.done).length;
    const what =
      state.files === undefined
        ? cliText("export.nothingYet")
        : cliText("export.someDownloaded", { done: String(done), total: String(state.files.length) });
    say(cliText("export.failed", { message: exportErrorText(error) }));
    const hint = state.statusUrl === undefined ? cliText("export.retryHint") : resumeHint;
    say(cliText("export.stopped", { what, hint }));
    return { exitCode: 4, complete: false, missing, tokens: token.issued };
  };

  const cancel = async (): Promise<ExportResult> => {
    if (state.statusUrl !== undefined) {
      const deleted = await client.delete(state.statusUrl);
      say(cliText(deleted ? "export.cancelledDeleted" : "export.cancelledKept"));
    } else say(cliText("export.cancelled"));
    rmSync(statePath, { force: true });
    return { exitCode: 130, complete: false, missing: missingFiles(state, locale), tokens: token.issued };
  };

  const phases: ExportPhases = { kickOffMs: 0, pollMs: 0, downloadMs: 0 };
  let phaseStart = performance.now();
  const phaseEnd = (phase: keyof ExportPhases): void => {
    const now = performance.now();
    phases[phase] += now - phaseStart;
    phaseStart = now;
  };
  try {
    if (state.statusUrl === undefined) {
      state.statusUrl = await client.kickOff(request, signal);
      phaseEnd("kickOffMs");
      save();
      const what = request.group === undefined ? cliText("export.allPatients") : `Group/${request.group}`;
      say(cliText("export.started", { what }));
    } else if (state.manifest === undefined) {
      say(cliText("export.resumingPoll"));
    }
    if (state.manifest === undefined) {
      const started = Date.now();
      let lastText = "";
      state.manifest = await client.poll(
        state.statusUrl,
        (said, own) => {
          const text =
            own === undefined
              ? said
              : "retrying" in own
                ? cliText("export.retrying", { status: String(own.retrying) })
                : cliText("export.inProgress");
          if (progress.enabled)
            progress.update(
              () =>
                `${PREFIX} ${renderText(locale, cliText("export.serverTimed", { text, duration: formatDuration(Date.now() - started) }))}`,
            );
          else if (said !== lastText) say(cliText("export.server", { text }));
          lastText = said;
        },
        options.maxWaitMs,
        signal,
      );
      state.files = fileStates(state.manifest);
      phaseEnd("pollMs");
      save();
      say(
        cliText("export.serverDone", {
          files: String(state.manifest.output.length),
          errors: String(state.manifest.error.length),
        }),
      );
    } else if (state.files !== undefined) {
      say(
        cliText("export.resumingDownload", {
          left: String(state.files.filter((f) => !f.done).length),
          total: String(state.files.length),
        }),
      );
    }
    const files = state.files ?? [];
    const manifest = state.manifest;
    const failed = await downloadAll(files, manifest.requiresAccessToken, options, client, {
      save,
      say,
      locale,
      progress,
      ...(signal ? { signal } : {}),
      ...(tuning.onFileDone ? { onFileDone: tuning.onFileDone } : {}),
    });
    phaseEnd("downloadMs");
    if (signal?.aborted) return await cancel();

    // STU2: error[] holds OperationOutcome files; they are shown, and their issues make the export incomplete. The
    // severity code and the server's text are shown as they came.
    const serverErrors: { severity: string; text: CliValue }[] = [];
    for (const file of files.filter((f) => f.type === "OperationOutcome" && f.done)) {
      for (const line of readFileSync(join(options.out, file.name), "utf8").split("\n")) {
        if (line.trim() === "") continue;
        let issues: ReturnType<typeof outcomeIssues>;
        try {
          issues = outcomeIssues(JSON.parse(line));
        } catch {
          serverErrors.push({
            severity: "error",
            text: cliText("export.outcomeUnreadable", { file: file.name }),
          });
          continue;
        }
        for (const issue of issues)
          serverErrors.push({ severity: issue.severity, text: issue.text ?? cliText("export.noDetails") });
      }
    }
    for (const issue of serverErrors)
      say(cliText("export.serverReported", { text: cliText("export.outcomeIssue", issue) }));
    const missing = [
      ...failed.map((f) => missingFile(f, locale)),
      ...serverErrors
        .filter((issue) => issue.severity === "error" || issue.severity === "fatal")
        .map((issue) => renderText(locale, cliText("export.missingServerError", { text: issue.text }))),
    ];
    if (failed.length > 0) {
      say(
        cliText("export.incompleteFiles", {
          count: failed.length,
          n: String(failed.length),
          names: failed.map((f) => f.name).join(", "),
        }),
      );
      say(resumeHint);
      return { exitCode: 4, complete: false, missing, tokens: token.issued };
    }
    await client.delete(state.statusUrl);
    state.complete = true;
    save();
    const resources = files
      .filter((f) => f.type !== "OperationOutcome")
      .reduce((n, f) => n + (f.lines ?? 0), 0);
    if (missing.length > 0) {
      say(
        cliText("export.incompleteServer", {
          count: String(missing.length),
          resources: String(resources),
          out: options.out,
        }),
      );
      return { exitCode: 4, complete: false, missing, tokens: token.issued };
    }
    say(
      cliText("export.complete", {
        resources: String(resources),
        files: String(files.length),
        out: options.out,
      }),
    );
    return { exitCode: 0, complete: true, missing: [], tokens: token.issued, phases };
  } catch (error) {
    if (signal?.aborted) return await cancel();
    return stopped(error);
  }
}

function fileStates(manifest: ExportManifest): FileState[] {
  const seen = new Map<string, number>();
  const name = (type: string, suffix: string): string => {
    const n = seen.get(type) ?? 0;
    seen.set(type, n + 1);
    return `${type}.${String(n).padStart(3, "0")}${suffix}`;
  };
  return [
    ...manifest.output.map((f: ManifestFile): FileState => ({
      ...f,
      name: name(f.type, ".ndjson"),
      done: false,
    })),
    ...manifest.error.map((f: ManifestFile): FileState => ({
      ...f,
      type: "OperationOutcome",
      name: name("OperationOutcome", ".ndjson"),
      done: false,
    })),
  ];
}

/** The files not downloaded, as `her2 review --from` names them (export-command.ts), in `locale`. */
function missingFiles(state: State, locale: Locale): string[] {
  return (state.files ?? []).filter((f) => !f.done).map((f) => missingFile(f, locale));
}

function missingFile(file: FileState, locale: Locale): string {
  return renderText(locale, cliText("export.missingFile", { file: file.name, type: file.type }));
}

/** A file that could not be downloaded: why, as a message; the error's message is its English. */
class FileFailure extends Error {
  constructor(readonly text: CliText) {
    super(renderText("en", text));
    this.name = "FileFailure";
  }
}

interface DownloadContext {
  save: () => void;
  say: (text: CliText) => void;
  locale: Locale;
  progress: Progress;
  signal?: AbortSignal;
  onFileDone?: (path: string) => void;
}

/** Downloads the files not yet done, `parallel` at a time. @returns the files that could not be downloaded */
async function downloadAll(
  files: FileState[],
  withToken: boolean,
  options: ExportOptions,
  client: BulkClient,
  ctx: DownloadContext,
): Promise<FileState[]> {
  // The largest first (by the manifest's counts): the files that finish last are then small ones, so `review --from`
  // waits little for the scans of the last files (export-prescan.ts).
  const queue = files
    .filter((f) => !f.done || !existsSync(join(options.out, f.name)))
    .sort((a, b) => (b.count ?? 0) - (a.count ?? 0));
  for (const file of files) if (!queue.includes(file)) ctx.onFileDone?.(join(options.out, file.name));
  const total = files.length;
  let finished = total - queue.length;
  let bytes = 0;
  const failed: FileState[] = [];
  const worker = async (): Promise<void> => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      if (ctx.signal?.aborted) return;
      try {
        file.lines = await downloadFile(file, withToken, options.out, client, ctx.signal, (n) => {
          bytes += n;
          ctx.progress.update(() => {
            const values = { done: String(finished), total: String(total), mb: (bytes / 1048576).toFixed(1) };
            return `${PREFIX} ${renderText(ctx.locale, cliText("export.downloading", values))}`;
          });
        });
        file.done = true;
        finished++;
        ctx.save();
        ctx.onFileDone?.(join(options.out, file.name));
        if (!ctx.progress.enabled)
          ctx.say(
            cliText("export.downloaded", {
              file: file.name,
              lines: String(file.lines),
              done: String(finished),
              total: String(total),
            }),
          );
      } catch (error) {
        if (ctx.signal?.aborted) return;
        failed.push(file);
        const message = error instanceof FileFailure ? error.text : exportErrorText(error);
        ctx.say(cliText("diag.at", { where: file.name, message }));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.parallel) }, worker));
  ctx.progress.clear();
  return failed;
}

/**
 * One file, streamed to `<name>.part` and renamed when whole. Retried on network errors, 429, 5xx and truncation
 * (the manifest's count, or a last line cut short); a 401 gets a new token (BulkClient.send).
 * @returns the number of resources (lines)
 */
async function downloadFile(
  file: FileState,
  withToken: boolean,
  out: string,
  client: BulkClient,
  signal: AbortSignal | undefined,
  onBytes: (n: number) => void,
): Promise<number> {
  const path = join(out, file.name);
  const part = `${path}.part`;
  for (let failures = 1; ; failures++) {
    let response: Response | undefined;
    let problem: CliText;
    try {
      response = await client.send(
        file.url,
        { headers: { accept: "application/fhir+ndjson" } },
        withToken,
        signal,
      );
      if (response.ok && response.body !== null) {
        const counter = new LineCounter(onBytes);
        await writeBody(response.body, part, counter);
        const cut = counter.truncation(file.count);
        if (cut === undefined) {
          renameSync(part, path);
          return counter.lines;
        }
        problem = cut;
      } else {
        const body: unknown = await response.json().catch(() => undefined);
        const said = outcomeText(body);
        const status = String(response.status);
        problem =
          said.length > 0
            ? cliText("export.fileHttpSaid", { status, said: said.join("; ") })
            : cliText("export.fileHttp", { status });
        if (response.status !== 429 && response.status < 500) throw new FileFailure(problem);
      }
    } catch (error) {
      if (signal?.aborted) throw new BulkError("cancelled", "cancelled");
      if (error instanceof FileFailure || (error instanceof BulkError && error.kind !== "network"))
        throw error;
      problem = exportErrorText(error);
    }
    rmSync(part, { force: true });
    if (failures > client.backoff.retries)
      throw new FileFailure(cliText("export.afterAttempts", { problem, count: String(failures) }));
    await client.sleep(client.waitMs(failures, response), signal);
  }
}

/**
 * Streams a download into a file through the line counter. The writes are synchronous: into the page cache a chunk's
 * write costs less than the stream machinery of an asynchronous one (`npm run bench`, 61 MB: about 0.1 s less CPU,
 * close to reading the bodies alone). A cancelled download ends the loop (fetch was given the signal).
 */
async function writeBody(
  body: ReadableStream<Uint8Array>,
  path: string,
  counter: LineCounter,
): Promise<void> {
  const fd = openSync(path, "w");
  try {
    for await (const chunk of body) {
      counter.add(chunk);
      for (let written = 0; written < chunk.byteLength;)
        written += writeSync(fd, chunk, written, chunk.byteLength - written);
    }
  } finally {
    closeSync(fd);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
