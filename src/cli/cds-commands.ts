/**
 * `her2 cds-service --port N --config FILE [--host H]`: the CDS Hooks service (src/cds) for a deployment, logging
 * one JSON line per request (method, URL, status; never a body, so never an access token) on stdout.
 * `her2 feedback-report FILE`: accepted / overridden per card kind, with override reasons, from the feedback file.
 * Usage errors are one line on stderr and exit code 2, as for `her2 review`; the lines on stderr are in the environment's
 * locale (LC_ALL, LC_MESSAGES, LANG), the config's validation errors (src/cds/config.ts) aside, which stay English.
 */
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { Command, CommanderError } from "commander";
import { parseCdsConfig, type CdsConfig } from "../cds/config";
import { formatFeedbackReport, readFeedback, summariseFeedback } from "../cds/feedback";
import { buildCdsService } from "../cds/service";
import type { Locale } from "../i18n/locales";
import { readCodeMapFile } from "./code-map-file";
import { errorMessage, UsageError, usageMessage } from "./diagnostics";
import { cliMessage, cliText, localeFromEnvironment } from "./messages";
import type { ReviewIo } from "./review";
import { commanderLine, rejectValue } from "./usage";

/**
 * Reads and validates a config file; a relative feedbackFile is relative to the config file.
 * @throws UsageError when it cannot be read or is not JSON, or its code map file is not a valid one; Error when it is
 *   not a valid config.
 */
export function readCdsConfigFile(path: string): CdsConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new UsageError(cliText("cds.configUnreadable", { path, error: errorMessage(error) }));
  }
  const codeMapFile = (json as { codeMapFile?: unknown }).codeMapFile;
  if (typeof json === "object" && json !== null && typeof codeMapFile === "string") {
    const rest = { ...(json as Record<string, unknown>) };
    delete rest.codeMapFile;
    const config = parseCdsConfig(rest);
    config.codeMap = readCodeMapFile(
      isAbsolute(codeMapFile) ? codeMapFile : resolve(dirname(path), codeMapFile),
    );
    return relativeTo(config, path);
  }
  return relativeTo(parseCdsConfig(json), path);
}

function relativeTo(config: CdsConfig, path: string): CdsConfig {
  if (config.feedbackFile !== undefined && !isAbsolute(config.feedbackFile))
    config.feedbackFile = resolve(dirname(path), config.feedbackFile);
  return config;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) rejectValue(cliText("cds.port"));
  return port;
}

/**
 * Runs `cds-service` or `feedback-report`.
 * @param stop ends the service (tests); otherwise SIGINT / SIGTERM do
 * @param env Where the locale of the lines on stderr comes from (LC_ALL, LC_MESSAGES, LANG).
 */
export async function runCdsCommand(
  argv: readonly string[],
  io: ReviewIo,
  stop?: AbortSignal,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  const locale = localeFromEnvironment(env);
  let action: (() => Promise<number>) | undefined;
  /** Commander's error message, written once its code is known (below). */
  let commanderError: string | undefined;
  const program = new Command("her2").exitOverride().configureOutput({
    writeOut: (text) => io.stdout.write(text),
    writeErr: (text) => io.stderr.write(text),
    outputError: (text) => {
      commanderError = text;
    },
  });
  program
    .command("cds-service")
    .description("Serve the CDS Hooks service (patient-view, order-sign, feedback) at /cds-services.")
    .requiredOption(
      "--config <file>",
      "the service configuration (JSON; format in README, 'CDS Hooks service')",
    )
    .option("--port <n>", "port to listen on (0: any free port)", parsePort, 8080)
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .action((flags: { config: string; port: number; host: string }) => {
      action = () => serve(flags, io, locale, stop);
    });
  program
    .command("feedback-report")
    .description("Summarise the CDS card feedback file: accepted / overridden per card kind, with reasons.")
    .argument("<file>", "the feedback file (the config's feedbackFile)")
    .action((file: string) => {
      action = () => report(file, io, locale);
    });
  try {
    program.parse([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (commanderError !== undefined)
        io.stderr.write(commanderLine(locale, error.code, commanderError, `her2 ${argv[0] ?? ""} --help`));
      return error.code === "commander.helpDisplayed" ? 0 : 2;
    }
    throw error;
  }
  return action ? action() : 2;
}

async function serve(
  flags: { config: string; port: number; host: string },
  io: ReviewIo,
  locale: Locale,
  stop: AbortSignal | undefined,
): Promise<number> {
  let config: CdsConfig;
  try {
    config = readCdsConfigFile(flags.config);
  } catch (error) {
    const message = error instanceof UsageError ? usageMessage(locale, error) : errorMessage(error);
    io.stderr.write(`${cliMessage(locale, "usage.failed", { message })}\n`);
    return 2;
  }
  const { app } = buildCdsService(config, { logger: { level: "info", stream: io.stdout } });
  try {
    await app.listen({ port: flags.port, host: flags.host });
  } catch (error) {
    const address = `${flags.host}:${String(flags.port)}`;
    io.stderr.write(`${cliMessage(locale, "cds.cannotListen", { address, error: String(error) })}\n`);
    return 1;
  }
  const url = `${app.listeningOrigin}/cds-services`;
  io.stderr.write(`${cliMessage(locale, "cds.listening", { url, public: config.serviceUrl })}\n`);
  await new Promise<void>((resolve) => {
    const done = (): void => {
      resolve();
    };
    if (stop) stop.addEventListener("abort", done, { once: true });
    else {
      process.once("SIGINT", done);
      process.once("SIGTERM", done);
    }
  });
  await app.close();
  return 0;
}

async function report(file: string, io: ReviewIo, locale: Locale): Promise<number> {
  let read: Awaited<ReturnType<typeof readFeedback>>;
  try {
    read = await readFeedback(file);
  } catch (error) {
    io.stderr.write(`${cliMessage(locale, "cds.cannotRead", { file, error: errorMessage(error) })}\n`);
    return 2;
  }
  io.stdout.write(formatFeedbackReport(summariseFeedback(read.records), read.badLines));
  return 0;
}
