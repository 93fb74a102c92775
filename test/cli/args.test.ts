// @vitest-environment node
/** Argument parsing: defaults, validation, help, and exit code 2 with one line for every usage error. */
import { describe, expect, it } from "vitest";
import { isIsoDate, localDate, parseArgs } from "../../src/cli/args";
import { Sink } from "./helpers";

function parse(argv: string[]): { parsed: ReturnType<typeof parseArgs>; stdout: string; stderr: string } {
  const stdout = new Sink();
  const stderr = new Sink();
  // No LANG: the tests do not depend on the machine's locale (test/cli/table-locale.test.ts covers it).
  const parsed = parseArgs(argv, { stdout, stderr }, "2026-11-25", {});
  return { parsed, stdout: stdout.text, stderr: stderr.text };
}

describe("parseArgs", () => {
  it("defaults: NDJSON, as of today, no filters", () => {
    expect(parse(["review", "a.ndjson", "export/"]).parsed).toEqual({
      kind: "review",
      options: {
        inputs: ["a.ndjson", "export/"],
        format: "ndjson",
        asOf: "2026-11-25",
        flags: [],
        statuses: [],
        locale: "en",
      },
    });
  });

  it("takes every option, with repeated --flag and --status", () => {
    const { parsed } = parse([
      "review",
      "x.json",
      "--format",
      "csv",
      "--as-of",
      "2024-02-29",
      "--flag",
      "reflex-ish-missing",
      "--flag",
      "metastatic-retest-missing",
      "--status",
      "positive",
    ]);
    expect(parsed).toEqual({
      kind: "review",
      options: {
        inputs: ["x.json"],
        format: "csv",
        asOf: "2024-02-29",
        flags: ["reflex-ish-missing", "metastatic-retest-missing"],
        statuses: ["positive"],
        locale: "en",
      },
    });
  });

  it("export takes --locale, else LANG; review --from exports in the review's locale", () => {
    const stdout = new Sink();
    const stderr = new Sink();
    const io = { stdout, stderr };
    const base = ["--from", "http://127.0.0.1:1/fhir", "--out", "x"];
    const locale = (argv: string[], env: Record<string, string> = {}): unknown => {
      const parsed = parseArgs(argv, io, "2026-11-25", env);
      return parsed.kind === "export" ? parsed.options.locale : parsed.kind;
    };
    expect(locale(["export", ...base])).toBe("en");
    expect(locale(["export", ...base, "--locale", "zh-CN"])).toBe("zh-CN");
    expect(locale(["export", ...base], { LANG: "es_ES.UTF-8" })).toBe("es");
    expect(locale(["review", ...base, "--locale", "es-MX"], { LANG: "zh_CN.UTF-8" })).toBe("es");
    expect(locale(["export", ...base, "--locale", "fr"])).toBe("exit");
    expect(stderr.text).toContain("--locale");
  });

  it.each([
    [[], /missing command/],
    // Files are optional since `review --from <base>` exports them (issue 14); none and no --from is still an error.
    [["review"], /missing files or folders to review, or --from/],
    [["review", "x", "--format", "xml"], /argument 'xml' is invalid/],
    [["review", "x", "--as-of", "2026-02-30"], /expected a date as YYYY-MM-DD/],
    [["review", "x", "--as-of", "25/11/2026"], /expected a date as YYYY-MM-DD/],
    [["review", "x", "--flag", "reflex-missing"], /expected one of: reflex-ish-missing, /],
    [["review", "x", "--status", "low"], /expected one of: positive, negative, /],
    [["review", "x", "--bogus"], /unknown option '--bogus'/],
    [["audit", "x"], /unknown command 'audit'/],
  ])("%j is a usage error: exit 2, one line on stderr", (argv, message) => {
    const { parsed, stdout, stderr } = parse(argv);
    expect(parsed).toEqual({ kind: "exit", code: 2 });
    expect(stdout).toBe("");
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/^her2: error: /);
    expect(stderr).toMatch(message);
  });

  it("review --help prints the options and examples on stdout and exits 0", () => {
    const { parsed, stdout, stderr } = parse(["review", "--help"]);
    expect(parsed).toEqual({ kind: "exit", code: 0 });
    expect(stderr).toBe("");
    for (const text of [
      "--format <format>",
      "--as-of <date>",
      "--flag <code>",
      "--status <status>",
      "Examples:",
    ]) {
      expect(stdout).toContain(text);
    }
  });
});

describe("dates", () => {
  it("accepts real calendar dates only", () => {
    expect(isIsoDate("2024-02-29")).toBe(true);
    expect(isIsoDate("2023-02-29")).toBe(false);
    expect(isIsoDate("2026-13-01")).toBe(false);
    expect(isIsoDate("2026-1-01")).toBe(false);
  });

  it("formats the local date", () => {
    expect(localDate(new Date(2026, 0, 5, 23, 59))).toBe("2026-01-05");
  });
});
