// @vitest-environment node
/**
 * The usage errors and the other lines on stderr of a command that fails, in the locale (issue 15): commander's errors
 * (mapped by their code), the option checks args.ts makes, the review's usage errors (paths, folders, code map files,
 * files that are not FHIR, --out, TMPDIR) and the CDS commands' lines. English stays byte for byte the line it was
 * (each written out here as it was before it was translated); es and zh-CN leave no English sentence, the facts in
 * them (paths, option names, the values given, commander's and the system's own words) kept as they are. The exit
 * codes do not change with the locale. Run as main.ts runs the command line, in-process.
 */
import { mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseArgs } from "../../src/cli/args";
import { runCdsCommand } from "../../src/cli/cds-commands";
import { UsageError, usageMessage } from "../../src/cli/diagnostics";
import { type CliText, cliText } from "../../src/cli/messages";
import { review } from "../../src/cli/review";
import { commanderLine } from "../../src/cli/usage";
import { FLAG_CODES, STATUSES } from "../../src/domain/codes";
import { parseCodeMap } from "../../src/fhir/code-map";
import type { Locale } from "../../src/i18n/locales";
import { AS_OF, patient, Sink, tempDir, writeJson, writeNdjson, writeText } from "./helpers";

type Env = Readonly<Record<string, string | undefined>>;

afterEach(() => {
  vi.unstubAllEnvs();
});

/** `her2 <argv>` as main.ts runs it (the CDS commands apart, a review in-process), with the environment `env`. */
async function her2(
  argv: readonly string[],
  env: Env = {},
  stop?: AbortSignal,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Sink();
  const stderr = new Sink();
  const io = { stdout, stderr };
  let code: number;
  if (argv[0] === "cds-service" || argv[0] === "feedback-report")
    code = await runCdsCommand(argv, io, stop, env);
  else {
    const parsed = parseArgs(argv, io, AS_OF, env);
    if (parsed.kind === "exit") code = parsed.code;
    else if (parsed.kind === "review") code = (await review(parsed.options, io, { workers: 0 })).exitCode;
    else throw new Error("no export runs in these tests");
  }
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The error of `f`, as the system or V8 words it (a fact, shown as it is in every locale). */
function thrown(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("did not throw");
}

const COMMANDS = new Set(["review", "export"]);

/** The arguments in a locale: es from LANG, zh-CN from `--locale zh-CN` where the command has one, else LC_ALL. */
function inLocale(locale: Locale, argv: readonly string[]): { argv: string[]; env: Env } {
  if (locale === "en") return { argv: [...argv], env: {} };
  if (locale === "es") return { argv: [...argv], env: { LANG: "es_MX.UTF-8" } };
  if (COMMANDS.has(argv[0] ?? ""))
    return { argv: [argv[0] ?? "", "--locale", "zh-CN", ...argv.slice(1)], env: {} };
  return { argv: [...argv], env: { LC_ALL: "zh_CN.UTF-8", LANG: "en_US.UTF-8" } };
}

/** Terms and codes that are the same in every locale. */
const TERMS =
  /\b(JSON|NDJSON|FHIR|URL|TMPDIR|CDS Hooks|her2|HER2|YYYY-MM-DD|gzip|resourceType)\b|\bhttp\(s\)|\.(ndjson|jsonl|json|gz)\b/g;

/** The line without its facts: the given ones, anything quoted (commander's values), options and their metavariables. */
function withoutFacts(line: string, facts: readonly string[]): string {
  let out = line;
  for (const fact of [...facts].sort((a, b) => b.length - a.length)) out = out.replaceAll(fact, "§");
  return out
    .replace(/'[^']*'/g, "§")
    .replace(/--[\w-]+( <[^>]*>)?/g, "§")
    .replace(TERMS, "§");
}

/** English words of these lines (es shares "error" and "no"). */
const ENGLISH =
  /\b(error|unknown|option|argument|arguments|missing|invalid|is|expected|allowed|choices|cannot|read|write|written|file|files|folder|folders|such|give|once|whole|number|date|instant|must|not|see|too|many|got|did|you|mean|command|required|specified|code|map|temporary|index|set|space|free|config|listen|listening|service|readable|resource|line|or|the|of|to|in|for|with|public|try|both|more|holds|tag|such|port|copy|decompressed|inputs|back|output|incomplete|e\.g)\b/i;

function expectTranslated(locale: Locale, line: string, facts: readonly string[]): void {
  const rest = withoutFacts(line, facts);
  if (locale === "zh-CN") expect(rest, line).not.toMatch(/[A-Za-z]{2,}/);
  else expect(rest.replace(/\b(error|no)\b/g, "§"), line).not.toMatch(ENGLISH);
}

interface Case {
  /** The arguments after `her2`. */
  argv: readonly string[];
  /** The line on stderr in English, as it was. */
  english: string;
  code: number;
  /** What the line holds as it is in every locale, beyond quoted values and option names. */
  facts?: readonly string[];
}

/** Runs a case in the three locales: English the old line, es and zh-CN the same exit code, one line, translated. */
async function check(c: Case): Promise<Record<Locale, string>> {
  const lines = {} as Record<Locale, string>;
  for (const locale of ["en", "es", "zh-CN"] as const) {
    const { argv, env } = inLocale(locale, c.argv);
    const run = await her2(argv, env);
    expect(run.code, `${locale} ${argv.join(" ")}`).toBe(c.code);
    expect(run.stdout).toBe("");
    if (locale === "en") expect(run.stderr).toBe(`${c.english}\n`);
    else {
      expect(run.stderr.split("\n"), run.stderr).toHaveLength(2);
      expect(run.stderr).not.toBe(lines.en);
      expectTranslated(locale, run.stderr.trimEnd(), c.facts ?? []);
      for (const fact of c.facts ?? []) expect(run.stderr).toContain(fact);
    }
    lines[locale] = run.stderr;
  }
  return lines;
}

describe("commander's errors and the option checks, in the locale", () => {
  const dir = "/nonexistent/her2-usage";
  const cases: Case[] = [
    {
      argv: [],
      english: "her2: error: missing command: try 'her2 review <file-or-folder>...' (see 'her2 --help')",
      code: 2,
    },
    { argv: ["bogus"], english: "her2: error: unknown command 'bogus' (see 'her2 review --help')", code: 2 },
    {
      argv: ["reveiw", dir],
      english: "her2: error: unknown command 'reveiw' (Did you mean review?) (see 'her2 review --help')",
      code: 2,
      facts: ["review"],
    },
    {
      argv: ["review", dir, "--zzzzzzzzzz"],
      english: "her2: error: unknown option '--zzzzzzzzzz' (see 'her2 review --help')",
      code: 2,
    },
    {
      argv: ["review", dir, "--formt", "csv"],
      english: "her2: error: unknown option '--formt' (Did you mean --format?) (see 'her2 review --help')",
      code: 2,
    },
    {
      argv: ["review", dir, "--out"],
      english: "her2: error: option '--out <folder>' argument missing (see 'her2 review --help')",
      code: 2,
    },
    {
      argv: ["review", dir, "--format", "xml"],
      english:
        "her2: error: option '--format <format>' argument 'xml' is invalid. Allowed choices are ndjson, csv, table, html, report-csv. (see 'her2 review --help')",
      code: 2,
      facts: ["ndjson, csv, table, html, report-csv"],
    },
    {
      argv: ["review", dir, "--as-of", "2026-02-30"],
      english:
        "her2: error: option '--as-of <date>' argument '2026-02-30' is invalid. expected a date as YYYY-MM-DD, e.g. 2026-11-25. (see 'her2 review --help')",
      code: 2,
      facts: ["2026-11-25"],
    },
    {
      argv: ["review", dir, "--flag", "nope"],
      english: `her2: error: option '--flag <code>' argument 'nope' is invalid. expected one of: ${FLAG_CODES.join(", ")}. (see 'her2 review --help')`,
      code: 2,
      facts: [FLAG_CODES.join(", ")],
    },
    {
      argv: ["review", dir, "--status", "nope"],
      english: `her2: error: option '--status <status>' argument 'nope' is invalid. expected one of: ${STATUSES.join(", ")}. (see 'her2 review --help')`,
      code: 2,
      facts: [STATUSES.join(", ")],
    },
    {
      argv: ["review", dir, "--code-map", "a.json", "--code-map", "b.json"],
      english:
        "her2: error: option '--code-map <file>' argument 'b.json' is invalid. give --code-map once (one file holds the whole map). (see 'her2 review --help')",
      code: 2,
    },
    {
      argv: ["export", "--from", "http://127.0.0.1:9/fhir", "--out", dir, "--parallel", "0"],
      english:
        "her2: error: option '--parallel <n>' argument '0' is invalid. expected a whole number of 1 or more. (see 'her2 review --help')",
      code: 2,
    },
    {
      argv: ["export", "--from", "http://127.0.0.1:9/fhir", "--out", dir, "--since", "2026-01-01"],
      english:
        "her2: error: option '--since <instant>' argument '2026-01-01' is invalid. expected a FHIR instant, e.g. 2026-01-01T00:00:00Z. (see 'her2 review --help')",
      code: 2,
      facts: ["2026-01-01T00:00:00Z"],
    },
    {
      argv: ["review"],
      english:
        "her2: error: missing files or folders to review, or --from <FHIR base URL> (see 'her2 --help')",
      code: 2,
    },
    {
      argv: ["review", dir, "--from", "http://127.0.0.1:9/fhir"],
      english: "her2: error: give files to review or --from <FHIR base URL>, not both (see 'her2 --help')",
      code: 2,
    },
    {
      argv: ["export", "--out", dir],
      english: "her2: error: missing --from <FHIR base URL> (see 'her2 --help')",
      code: 2,
    },
    {
      argv: ["export", "--from", "ftp://example.org/fhir", "--out", dir],
      english: "her2: error: --from must be an http(s) URL (see 'her2 --help')",
      code: 2,
    },
    {
      argv: ["export", "--from", "not a url", "--out", dir],
      english: "her2: error: --from is not a URL: not a url (see 'her2 --help')",
      code: 2,
      facts: ["not a url"],
    },
    {
      argv: ["export", "--from", "http://127.0.0.1:9/fhir"],
      english: "her2: error: missing --out <folder> (see 'her2 --help')",
      code: 2,
    },
    {
      argv: ["cds-service", "--port", "0"],
      english: "her2: error: required option '--config <file>' not specified (see 'her2 cds-service --help')",
      code: 2,
    },
    {
      argv: ["cds-service", "--config", "cds.json", "--port", "70000"],
      english:
        "her2: error: option '--port <n>' argument '70000' is invalid. expected a port number, 0 to 65535. (see 'her2 cds-service --help')",
      code: 2,
      facts: ["65535"],
    },
    {
      argv: ["feedback-report"],
      english: "her2: error: missing required argument 'file' (see 'her2 feedback-report --help')",
      code: 2,
    },
    {
      argv: ["feedback-report", "a.ndjson", "b.ndjson"],
      english:
        "her2: error: too many arguments for 'feedback-report'. Expected 1 argument but got 2. (see 'her2 feedback-report --help')",
      code: 2,
    },
  ];
  it.each(cases)("her2 $argv", async (c) => {
    await check(c);
  });

  it("es: the choices, the example and the value in a Spanish sentence; zh-CN likewise", async () => {
    const lines = await check(cases[6] as Case);
    expect(lines.es).toBe(
      "her2: error: el valor 'xml' de la opción '--format <format>' no es válido. Valores permitidos: ndjson, csv, table, html, report-csv. (consulte 'her2 review --help')\n",
    );
    expect(lines["zh-CN"]).toBe(
      "her2：错误：选项 '--format <format>' 的参数值 'xml' 无效。允许的值为 ndjson, csv, table, html, report-csv。（参见 'her2 review --help'）\n",
    );
  });

  it("an error found before --locale is read is in that locale; a --locale that is not valid is said in LANG's", async () => {
    const early = await her2(["review", "x.ndjson", "--as-of", "2026-02-30", "--locale", "es"]);
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(
      /^her2: error: el valor '2026-02-30' de la opción '--as-of <date>' no es válido\./,
    );
    const bad = await her2(["review", "x.ndjson", "--locale", "fr"], { LANG: "zh_CN.UTF-8" });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      "her2：错误：选项 '--locale <tag>' 的参数值 'fr' 无效。应为以下之一：en, es, zh-CN（或 es-MX 这样的语言标签）。（参见 'her2 review --help'）\n",
    );
    const english = await her2(["review", "x.ndjson", "--locale", "fr"], { LANG: "C" });
    expect(english.stderr).toBe(
      "her2: error: option '--locale <tag>' argument 'fr' is invalid. expected one of: en, es, zh-CN (or a tag such as es-MX). (see 'her2 review --help')\n",
    );
  });

  it("--help stays commander's English in every locale, on stdout, exit 0", async () => {
    const en = await her2(["review", "--help"]);
    const es = await her2(["review", "--help"], { LANG: "es_MX.UTF-8" });
    expect(es.code).toBe(0);
    expect(es.stdout).toBe(en.stdout);
    expect(es.stdout).toContain("Usage: her2 review [options] [file-or-folder...]");
  });
});

describe("the review's usage errors, in the locale", () => {
  it("paths and folders: no such path, no FHIR file, no readable one", async () => {
    const dir = tempDir();
    const missing = join(dir, "missing.ndjson");
    await check({
      argv: ["review", missing],
      english: `her2: no such file or folder: ${missing}`,
      code: 2,
      facts: [missing],
    });
    const empty = join(dir, "empty");
    writeText(dir, "notes.txt", "x");
    mkdirSync(empty);
    await check({
      argv: ["review", empty],
      english: `her2: no .ndjson, .jsonl or .json file in folder: ${empty}`,
      code: 2,
      facts: [empty],
    });
  });

  it("a folder whose only FHIR name is a folder: its note, then the usage error", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "Patient.ndjson"));
    for (const locale of ["en", "es", "zh-CN"] as const) {
      const { argv, env } = inLocale(locale, ["review", dir]);
      const run = await her2(argv, env);
      expect(run.code).toBe(2);
      const lines = run.stderr.trimEnd().split("\n");
      expect(lines).toHaveLength(2);
      if (locale === "en")
        expect(lines[1]).toBe(`her2: no readable .ndjson, .jsonl or .json file in folder: ${dir}`);
      else expectTranslated(locale, lines[1] ?? "", [dir]);
    }
  });

  it("code map files: not readable, not JSON, not a code map (the FHIR layer's words kept)", async () => {
    const dir = tempDir();
    const input = writeNdjson(dir, "Patient.ndjson", [patient("p1")]);
    const none = join(dir, "none.json");
    const noneError = thrown(() => readFileSync(none, "utf8"));
    await check({
      argv: ["review", input, "--code-map", none],
      english: `her2: code map ${none}: cannot be read (${noneError})`,
      code: 2,
      facts: [none, noneError],
    });
    const notJson = writeText(dir, "bad.json", "{nope");
    const jsonError = thrown(() => JSON.parse("{nope"));
    await check({
      argv: ["review", input, "--code-map", notJson],
      english: `her2: code map ${notJson}: not JSON (${jsonError})`,
      code: 2,
      facts: [notJson, jsonError],
    });
    const invalid = writeJson(dir, "invalid.json", { observations: 3 });
    const invalidError = thrown(() => parseCodeMap({ observations: 3 }));
    await check({
      argv: ["review", input, "--code-map", invalid],
      english: `her2: code map ${invalid}: ${invalidError}`,
      code: 2,
      facts: [invalid, invalidError],
    });
  });

  it("files that are not FHIR JSON or NDJSON", async () => {
    const dir = tempDir();
    const junk = writeText(dir, "junk.json", "{nope\nmore");
    const junkError = thrown(() => JSON.parse("{nope\nmore"));
    await check({
      argv: ["review", junk],
      english: `her2: ${junk}: not FHIR JSON or NDJSON (${junkError})`,
      code: 2,
      facts: [junk, junkError],
    });
    const noResource = writeText(dir, "plain.ndjson", '{"a":1}\n{"b":2}\n');
    await check({
      argv: ["review", noResource],
      english: `her2: ${noResource}: not FHIR NDJSON: no line is a FHIR resource (line 1: not a FHIR resource (no resourceType); line skipped)`,
      code: 2,
      facts: [noResource],
    });
    const manifest = writeJson(dir, "manifest.json", { transactionTime: "2026-11-01T00:00:00Z", output: [] });
    await check({
      argv: ["review", manifest],
      english: `her2: ${manifest}: a Bulk Data manifest, not FHIR data: pass the export folder instead`,
      code: 2,
      facts: [manifest, "Bulk Data"],
    });
    const array = writeText(dir, "array.json", "[1, 2]");
    await check({
      argv: ["review", array],
      english: `her2: ${array}: not a JSON object`,
      code: 2,
      facts: [array],
    });
  });

  it("--out that cannot be written", async () => {
    const dir = tempDir();
    const input = writeNdjson(dir, "Patient.ndjson", [patient("p1")]);
    const out = join(dir, "no-such-folder", "report.html");
    // The same call review.ts makes.
    const openError = thrown(() => openSync(out, "w"));
    await check({
      argv: ["review", input, "--format", "html", "--out", out],
      english: `her2: cannot write --out ${out}: ${openError}`,
      code: 2,
      facts: [out, openError],
    });
  });

  it("a TMPDIR where no temporary folder can be made (the decompressed .gz inputs)", async () => {
    const dir = tempDir();
    writeText(dir, "x", "");
    const input = join(dir, "Patient.ndjson.gz");
    writeFileSync(input, gzipSync(`${JSON.stringify(patient("p1"))}\n`));
    const tmp = join(dir, "x"); // a file: no folder can be made in it
    vi.stubEnv("TMPDIR", tmp);
    const mkdtempError = thrown(() => mkdtempSync(join(tmp, "her2-gunzip-")));
    await check({
      argv: ["review", input],
      english: `her2: cannot create a temporary folder for the decompressed .gz inputs in ${tmp} (${mkdtempError}); set TMPDIR to a writable folder`,
      code: 2,
      facts: [tmp, mkdtempError],
    });
  });
});

describe("the CDS commands' lines on stderr, in LANG's locale", () => {
  it("a config or a feedback file that cannot be read", async () => {
    const dir = tempDir();
    const config = join(dir, "cds.json");
    const configError = thrown(() => readFileSync(config, "utf8"));
    await check({
      argv: ["cds-service", "--config", config],
      english: `her2: cannot read the config ${config}: ${configError}`,
      code: 2,
      facts: [config, configError],
    });
    const feedback = join(dir, "feedback.ndjson");
    await check({
      argv: ["feedback-report", feedback],
      english: `her2: cannot read ${feedback}: ${configError.replace(config, feedback)}`,
      code: 2,
      facts: [feedback, configError.replace(config, feedback)],
    });
  });

  it("listening, and a port that is taken", async () => {
    const dir = tempDir();
    const config = writeJson(dir, "cds.json", {
      serviceUrl: "https://cds.example.org/cds-services",
      issuers: [{ iss: "https://ehr.example.org", jwks: { keys: [] } }],
    });
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const lines: string[] = [];
      for (const locale of ["en", "es", "zh-CN"] as const) {
        const { argv, env } = inLocale(locale, ["cds-service", "--config", config, "--port", String(port)]);
        const run = await her2(argv, env);
        expect(run.code).toBe(1);
        const line = run.stderr.trimEnd();
        expect(run.stderr.split("\n")).toHaveLength(2);
        const error = /(Error: listen EADDRINUSE.*)$/.exec(line)?.[1] ?? "";
        expect(error).toContain(`127.0.0.1:${port}`);
        if (locale === "en") expect(line).toBe(`her2: cannot listen on 127.0.0.1:${port}: ${error}`);
        else expectTranslated(locale, line, [`127.0.0.1:${port}`, error]);
        lines.push(line);
      }
      expect(new Set(lines).size).toBe(3);
    } finally {
      taken.close();
    }
    for (const locale of ["en", "es", "zh-CN"] as const) {
      const { argv, env } = inLocale(locale, ["cds-service", "--config", config, "--port", "0"]);
      const stop = new AbortController();
      const stderr = new Sink();
      const running = runCdsCommand(argv, { stdout: new Sink(), stderr }, stop.signal, env);
      for (let i = 0; i < 100 && stderr.text === ""; i++) await new Promise((r) => setTimeout(r, 20));
      stop.abort();
      expect(await running).toBe(0);
      const line = stderr.text.trimEnd();
      const url = /(http:\/\/127\.0\.0\.1:\d+\/cds-services)/.exec(line)?.[1] ?? "none";
      if (locale === "en")
        expect(line).toBe(
          `her2: CDS Hooks service listening at ${url} (public https://cds.example.org/cds-services)`,
        );
      else expectTranslated(locale, line, [url, "https://cds.example.org/cds-services"]);
    }
  });
});

describe("commander's errors not reached above, and the usage errors of a failing disk", () => {
  const line = (locale: Locale, code: string, text: string): string =>
    commanderLine(locale, code, text, "her2 review --help");

  it("maps commander's codes with their values; a code or a wording not mapped stays commander's English", () => {
    const oneOf = "error: unknown option '--fromm'\n(Did you mean one of --from, --format?)";
    expect(line("en", "commander.unknownOption", oneOf)).toBe(
      "her2: error: unknown option '--fromm' (Did you mean one of --from, --format?) (see 'her2 review --help')\n",
    );
    expect(line("es", "commander.unknownOption", oneOf)).toBe(
      "her2: error: opción desconocida '--fromm' (¿quiso decir alguno de estos: --from, --format?) (consulte 'her2 review --help')\n",
    );
    const excess = "error: too many arguments. Expected 0 arguments but got 1.";
    expect(line("en", "commander.excessArguments", excess)).toBe(
      "her2: error: too many arguments. Expected 0 arguments but got 1. (see 'her2 review --help')\n",
    );
    expect(line("zh-CN", "commander.excessArguments", excess)).toBe(
      "her2：错误：参数过多。应为 0 个参数，实际为 1 个。（参见 'her2 review --help'）\n",
    );
    // Not mapped: the line as it always was, in every locale.
    const conflict = "error: option '--a' cannot be used with option '--b'";
    for (const locale of ["en", "es", "zh-CN"] as const)
      expect(line(locale, "commander.conflictingOption", conflict)).toBe(
        "her2: error: option '--a' cannot be used with option '--b' (see 'her2 review --help')\n",
      );
    // A wording this module does not know (another commander version), and a reason no parser of ours gave.
    expect(line("es", "commander.unknownOption", "error: no such option: --x")).toBe(
      "her2: error: no such option: --x (see 'her2 review --help')\n",
    );
    const foreign = "error: option '--x <n>' argument '1' is invalid. some other reason.";
    expect(line("es", "commander.invalidArgument", foreign)).toBe(
      `her2: ${foreign} (see 'her2 review --help')\n`,
    );
  });

  it("a value given with a line break stays one line, as before", async () => {
    const run = await her2(["review", "x.ndjson", "--format", "a\nb"]);
    expect(run.stderr).toBe(
      "her2: error: option '--format <format>' argument 'a b' is invalid. Allowed choices are ndjson, csv, table, html, report-csv. (see 'her2 review --help')\n",
    );
  });

  /** The review's usage errors on a failing TMPDIR, as spill-files.ts, grouping.ts and gunzip.ts throw them. */
  const folder = "/tmp/her2-index-abc";
  const disk: [CliText, string][] = [
    [
      cliText("usage.indexReadBack", { folder, error: "EIO: i/o error, read" }),
      `cannot read the patient index back from its temporary files in ${folder} (EIO: i/o error, read)`,
    ],
    [
      cliText("usage.indexFile", { path: `${folder}/3.bin`, error: "ENOENT: no such file or directory" }),
      `cannot read the patient index's temporary file ${folder}/3.bin (ENOENT: no such file or directory); the output is incomplete`,
    ],
    [
      cliText("usage.gunzipWrite", {
        path: "in/Patient.ndjson.gz",
        folder: "/tmp",
        error: "ENOSPC: no space",
      }),
      "cannot write the decompressed copy of in/Patient.ndjson.gz to /tmp (ENOSPC: no space); set TMPDIR to a folder with more free space",
    ],
    [
      cliText("usage.tempFolder", { what: cliText("usage.purposeIndex"), folder: "/tmp", error: "EACCES" }),
      "cannot create a temporary folder for the patient index in /tmp (EACCES); set TMPDIR to a writable folder",
    ],
    [
      cliText("usage.folderUnreadable", {
        path: "export/",
        error: "EACCES: permission denied, scandir 'export/'",
      }),
      "export/: cannot be read (EACCES: permission denied, scandir 'export/')",
    ],
  ];
  it.each(disk)("%j: English as before; es and zh-CN translated", (text, english) => {
    const error = new UsageError(text);
    expect(error.message).toBe(english);
    expect(usageMessage("en", error)).toBe(english);
    const facts = [folder, `${folder}/3.bin`, "in/Patient.ndjson.gz", "/tmp", "export/"];
    for (const locale of ["es", "zh-CN"] as const) {
      const rendered = usageMessage(locale, error);
      const values = Object.values(text.values ?? {}).filter((v): v is string => typeof v === "string");
      expectTranslated(locale, rendered, [...facts, ...values]);
    }
  });
});
