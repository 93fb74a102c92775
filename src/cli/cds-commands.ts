/**
 * `her2 cds-service --port N --config FILE [--host H]`: the CDS Hooks service (src/cds) for a deployment, logging
 * one JSON line per request (method, URL, status; never a body, so never an access token) on stdout.
 * `her2 feedback-report FILE`: accepted / overridden per card kind, with override reasons, from the feedback file.
 * Usage errors are one line on stderr and exit code 2, as for `her2 review`.
 */
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { parseCdsConfig, type CdsConfig } from "../cds/config";
import { formatFeedbackReport, readFeedback, summariseFeedback } from "../cds/feedback";
import { buildCdsService } from "../cds/service";
import { readCodeMapFile } from "./code-map-file";
import type { ReviewIo } from "./review";

/** Reads and validates a config file; a relative feedbackFile is relative to the config file. */
export function readCdsConfigFile(path: string): CdsConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(
      `cannot read the config ${path}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
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
  if (!/^\d+$/.test(value) || port > 65535)
    throw new InvalidArgumentError("expected a port number, 0 to 65535.");
  return port;
}

/**
 * Runs `cds-service` or `feedback-report`.
 * @param stop ends the service (tests); otherwise SIGINT / SIGTERM do
 */
export async function runCdsCommand(
  argv: readonly string[],
  io: ReviewIo,
  stop?: AbortSignal,
): Promise<number> {
  let action: (() => Promise<number>) | undefined;
  const program = new Command("her2").exitOverride().configureOutput({
    writeOut: (text) => io.stdout.write(text),
    writeErr: (text) => io.stderr.write(text),
    outputError: (text, write) => {
      write(`her2: ${text.trim().replace(/\s*\n\s*/g, " ")} (see 'her2 ${argv[0] ?? ""} --help')\n`);
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
      action = () => serve(flags, io, stop);
    });
  program
    .command("feedback-report")
    .description("Summarise the CDS card feedback file: accepted / overridden per card kind, with reasons.")
    .argument("<file>", "the feedback file (the config's feedbackFile)")
    .action((file: string) => {
      action = () => report(file, io);
    });
  try {
    program.parse([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) return error.code === "commander.helpDisplayed" ? 0 : 2;
    throw error;
  }
  return action ? action() : 2;
}

async function serve(
  flags: { config: string; port: number; host: string },
  io: ReviewIo,
  stop: AbortSignal | undefined,
): Promise<number> {
  let config: CdsConfig;
  try {
    config = readCdsConfigFile(flags.config);
  } catch (error) {
    io.stderr.write(`her2: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const { app } = buildCdsService(config, { logger: { level: "info", stream: io.stdout } });
  try {
    await app.listen({ port: flags.port, host: flags.host });
  } catch (error) {
    io.stderr.write(`her2: cannot listen on ${flags.host}:${String(flags.port)}: ${String(error)}\n`);
    return 1;
  }
  io.stderr.write(
    `her2: CDS Hooks service listening at ${app.listeningOrigin}/cds-services (public ${config.serviceUrl})\n`,
  );
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

async function report(file: string, io: ReviewIo): Promise<number> {
  let read: Awaited<ReturnType<typeof readFeedback>>;
  try {
    read = await readFeedback(file);
  } catch (error) {
    io.stderr.write(`her2: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  io.stdout.write(formatFeedbackReport(summariseFeedback(read.records), read.badLines));
  return 0;
}
