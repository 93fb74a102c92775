/**
 * The command line (contract, DESIGN.md): `her2 review <file-or-folder>... [--format ndjson|csv|table]
 * [--as-of YYYY-MM-DD] [--flag CODE]... [--status STATUS]... [--code-map FILE] [--out FILE]`, parsed with commander. Usage errors become one line on
 * stderr and exit code 2 (commander's own default would be exit 1 and a multi-line message).
 */
import { Command, CommanderError, Option } from "commander";
import type { FlagCode, Her2Status } from "../domain";
import { type Locale, SUPPORTED_LOCALES } from "../i18n/locales";
import { FLAG_CODES, isFlagCode, isStatus, STATUSES } from "./filters";
import { FORMAT_NAMES, type FormatName } from "./formats";
import type { ExportOptions } from "./export";
import { type CliText, cliText, localeFromEnvironment, localeOption } from "./messages";
import type { ReviewIo, ReviewOptions } from "./review";
import { argvLocale, commanderLine, rejectValue, usageLine } from "./usage";

export type ParsedArgs =
  | { kind: "review"; options: ReviewOptions }
  /** `her2 export`, or with `review`: `her2 review --from <base>` (export, then review the folder). */
  | { kind: "export"; options: ExportOptions; review?: ReviewOptions }
  | { kind: "exit"; code: 0 | 2 };

/** The sandbox's backend client (sandbox/config.ts): the defaults, so the offline demo needs no option. */
const SANDBOX_CLIENT_ID = "her2-bulk-sandbox";
const SANDBOX_KEY_FILE = "sandbox/backend-client/private-jwks.json";

interface ExportFlags {
  from?: string;
  group?: string;
  out?: string;
  clientId: string;
  key: string;
  scope: string;
  since?: string;
  typeFilter?: boolean;
  parallel: number;
  maxWait: number;
  locale?: Locale;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) rejectValue(cliText("usage.wholeNumber"));
  return n;
}

function parseInstant(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value))
    rejectValue(cliText("usage.instant", { example: "2026-01-01T00:00:00Z" }));
  return value;
}

/** The Bulk Data options shared by `export` and `review --from`. */
function addExportOptions(command: Command, outRequired: boolean): Command {
  return command
    .option("--from <base>", "FHIR base URL of the Bulk Data server")
    .option("--group <id>", "the Group to export (Group/<id>/$export); without it, Patient/$export")
    .option(
      "--out <folder>",
      outRequired
        ? "folder for the NDJSON files and the resume state"
        : "with --from: folder for the export (default: export-<group>); without: write the output to this file",
    )
    .option("--client-id <id>", "SMART Backend Services client id", SANDBOX_CLIENT_ID)
    .option("--key <jwks-file>", "JWKS file with the client's private RS384 or ES384 key", SANDBOX_KEY_FILE)
    .option("--scope <scopes>", "system scopes to ask for", "system/*.rs")
    .option("--since <instant>", "_since: only resources changed after this instant", parseInstant)
    .option(
      "--type-filter",
      "send _typeFilter for the HER2 LOINC codes (may drop results coded only by text)",
    )
    .option("--parallel <n>", "parallel downloads", positiveInteger, 4)
    .option("--max-wait <minutes>", "give up waiting for the server after this long", positiveInteger, 360);
}

/** The export's options, or the usage error that stops it. */
function exportOptions(flags: ExportFlags, defaultOut: boolean, locale: Locale): ExportOptions | CliText {
  if (flags.from === undefined) return cliText("usage.missingFrom");
  try {
    const url = new URL(flags.from);
    if (url.protocol !== "http:" && url.protocol !== "https:") return cliText("usage.fromNotHttp");
  } catch {
    return cliText("usage.fromNotUrl", { value: flags.from });
  }
  const out = flags.out ?? (defaultOut ? `export-${flags.group ?? "patients"}` : undefined);
  if (out === undefined) return cliText("usage.missingOut");
  return {
    from: flags.from,
    group: flags.group,
    out,
    clientId: flags.clientId,
    keyFile: flags.key,
    scope: flags.scope,
    since: flags.since,
    typeFilter: flags.typeFilter === true,
    parallel: flags.parallel,
    maxWaitMs: flags.maxWait * 60_000,
    locale,
  };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Today's date in the local time zone, `YYYY-MM-DD`: the default "as of" date. */
export function localDate(now: Date): string {
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function parseDate(value: string): string {
  if (!isIsoDate(value)) rejectValue(cliText("usage.date", { format: "YYYY-MM-DD", example: "2026-11-25" }));
  return value;
}

/** A value option that may be given once: a second one is a usage error, not the last one silently winning. */
function onlyOnce(name: string): (value: string, previous: string | undefined) => string {
  return (value, previous) => {
    if (previous !== undefined) rejectValue(cliText("usage.once", { option: name }));
    return value;
  };
}

function parseLocale(value: string): Locale {
  const locale = localeOption(value);
  if (locale === undefined)
    rejectValue(cliText("usage.locale", { locales: SUPPORTED_LOCALES.join(", "), example: "es-MX" }));
  return locale;
}

function collectFlag(value: string, previous: FlagCode[] | undefined): FlagCode[] {
  if (!isFlagCode(value)) rejectValue(cliText("usage.oneOf", { values: FLAG_CODES.join(", ") }));
  return [...(previous ?? []), value];
}

function collectStatus(value: string, previous: Her2Status[] | undefined): Her2Status[] {
  if (!isStatus(value)) rejectValue(cliText("usage.oneOf", { values: STATUSES.join(", ") }));
  return [...(previous ?? []), value];
}

const EXAMPLES = `
Inputs: FHIR R4 Bundles (.json, any Bundle type), NDJSON files (.ndjson, .jsonl), or Bulk Data export folders.
Output: one assessment per patient, sorted by patient id, on stdout; warnings and a summary line on stderr.
Exit codes: 0 inputs read (bad lines are warnings), 1 a patient could not be assessed, 2 usage error or a file
that is not FHIR JSON / NDJSON.

Examples:
  $ npx her2 review export/ --as-of 2026-11-25 > assessments.ndjson
  $ npx her2 review export/ --flag reflex-ish-missing --flag metastatic-retest-missing --format table
  $ npx her2 review bundles/*.json --status positive --format csv > positive.csv
  $ npx her2 review export/ --code-map site-codes.json > assessments.ndjson
  $ npx her2 review export/ --as-of 2026-11-25 --format html --out her2-report.html
  $ npx her2 review export/ --format table --locale es`;

interface ReviewFlags extends Partial<ExportFlags> {
  format: FormatName;
  codeMap?: string;
  asOf?: string;
  flag?: FlagCode[];
  status?: Her2Status[];
  locale?: Locale;
}

/**
 * Parses the arguments after `her2`. Help goes to stdout (exit 0, commander's English), usage errors to stderr (exit 2)
 * in the locale: `--locale`, else the environment's; an error found before `--locale` was read still uses it (usage.ts).
 * @param today The default for `--as-of`.
 * @param env Where the locale comes from without `--locale` (LC_ALL, LC_MESSAGES, LANG).
 */
export function parseArgs(
  argv: readonly string[],
  io: ReviewIo,
  today: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ParsedArgs {
  if (argv.length === 0) {
    // Commander would print the whole help on stderr; a usage error is one line.
    io.stderr.write(
      usageLine(
        localeFromEnvironment(env),
        cliText("usage.missingCommand", { command: "her2 review <file-or-folder>..." }),
        "her2 --help",
      ),
    );
    return { kind: "exit", code: 2 };
  }
  let parsed: ParsedArgs | undefined;
  /** A usage error found once the options were read, and the locale they name. */
  let usage: { text: CliText; locale: Locale } | undefined;
  /** Commander's error message, written once its code is known (below). */
  let commanderError: string | undefined;
  const program = new Command("her2")
    .description("HER2 status in breast cancer (ASCO/CAP 2018, 2023 update): chart review from FHIR files.")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Written below as one line, prefixed like every other message of the command, in the locale.
      outputError: (text) => {
        commanderError = text;
      },
    });
  const reviewCommand = program
    .command("review")
    .description(
      "Assess every patient in FHIR Bundles, NDJSON files or Bulk Data export folders, or export them first (--from).",
    )
    .argument(
      "[file-or-folder...]",
      "FHIR R4 Bundle .json, .ndjson / .jsonl files, or Bulk Data export folders",
    )
    .addOption(new Option("--format <format>", "output format").choices(FORMAT_NAMES).default("ndjson"))
    .option("--as-of <date>", `"today" for the rules, YYYY-MM-DD (default: ${today})`, parseDate)
    .option("--flag <code>", "only patients with this flag (repeat for any of several)", collectFlag, [])
    .option(
      "--status <status>",
      `only patients with this status: ${STATUSES.join(", ")} (repeatable)`,
      collectStatus,
      [],
    )
    .option(
      "--code-map <file>",
      "the institution's local HER2 result, answer and drug codes (JSON; format in src/fhir/README.md)",
      onlyOnce("--code-map"),
    )
    .option(
      "--locale <tag>",
      `language of the table headers and the messages on stderr: ${SUPPORTED_LOCALES.join(", ")} (default: from LC_ALL / LC_MESSAGES / LANG, else en); codes, NDJSON and CSV are not translated`,
      parseLocale,
    )
    .addHelpText("after", EXAMPLES);
  addExportOptions(reviewCommand, false).action((inputs: string[], flags: ReviewFlags) => {
    const locale = flags.locale ?? localeFromEnvironment(env);
    const review: ReviewOptions = {
      inputs,
      format: flags.format,
      asOf: flags.asOf ?? today,
      flags: flags.flag ?? [],
      statuses: flags.status ?? [],
      codeMapFile: flags.codeMap,
      locale,
    };
    if (flags.from === undefined) {
      // Without --from, --out is the file the output goes to (e.g. the HTML report), instead of stdout.
      review.outFile = flags.out;
      if (inputs.length === 0) usage = { text: cliText("usage.missingInputs"), locale };
      else parsed = { kind: "review", options: review };
      return;
    }
    if (inputs.length > 0) {
      usage = { text: cliText("usage.inputsAndFrom"), locale };
      return;
    }
    const options = exportOptions(flags as ExportFlags, true, locale);
    if ("id" in options) usage = { text: options, locale };
    else parsed = { kind: "export", options, review: { ...review, inputs: [options.out] } };
  });
  addExportOptions(
    program
      .command("export")
      .description("Export a Group (or all patients) from a FHIR Bulk Data server into a folder, resumably."),
    true,
  )
    .option(
      "--locale <tag>",
      `language of the messages on stderr: ${SUPPORTED_LOCALES.join(", ")} (default: from LC_ALL / LC_MESSAGES / LANG, else en)`,
      parseLocale,
    )
    .addHelpText(
      "after",
      `
Auth: SMART Backend Services (client_credentials, private_key_jwt). The defaults are the sandbox's demo client.
Exit codes: 0 complete, 2 usage error, 4 incomplete or failed (run the same command again to resume), 130 cancelled.

Examples:
  $ npx her2 export --from http://127.0.0.1:5173/fhir --group her2-breast-cancer --out export/
  $ npx her2 review --from http://127.0.0.1:5173/fhir --group her2-breast-cancer --format table`,
    )
    .action((flags: ExportFlags) => {
      const locale = flags.locale ?? localeFromEnvironment(env);
      const options = exportOptions(flags, false, locale);
      if ("id" in options) usage = { text: options, locale };
      else parsed = { kind: "export", options };
    });

  try {
    program.parse([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (commanderError !== undefined)
        io.stderr.write(
          commanderLine(argvLocale(argv, env), error.code, commanderError, "her2 review --help"),
        );
      const ok = error.code === "commander.helpDisplayed" || error.code === "commander.version";
      return { kind: "exit", code: ok ? 0 : 2 };
    }
    throw error;
  }
  if (usage !== undefined) {
    io.stderr.write(usageLine(usage.locale, usage.text, "her2 --help"));
    return { kind: "exit", code: 2 };
  }
  return parsed ?? { kind: "exit", code: 2 };
}
