/**
 * The command line's usage errors in the locale (issue 15): `her2: error: <message> (see 'her2 --help')`, one line on
 * stderr. Commander's own errors (unknown option, missing argument, a value its parser rejected, ...) are mapped by
 * their `code` to messages, with the option's or argument's name and the value given kept as commander writes them;
 * a code, or a wording, not mapped here stays commander's English. `--help` stays commander's English.
 */
import { InvalidArgumentError } from "commander";
import type { Locale } from "../i18n/locales";
import {
  type CliText,
  cliMessage,
  cliText,
  localeFromEnvironment,
  localeOption,
  renderText,
} from "./messages";

/** The last value an option's parser rejected (`rejectValue`): commander keeps only its English message. */
let rejected: CliText | undefined;

/**
 * Rejects an option's value (in an option's parser): commander reports it as
 * `option '--x <v>' argument 'v' is invalid. <text>`, which `commanderText` renders in the locale.
 */
export function rejectValue(text: CliText): never {
  rejected = text;
  throw new InvalidArgumentError(renderText("en", text));
}

/** Commander's "Did you mean" hint after an unknown option or command, as it writes it on its own line. */
function withSuggestion(text: CliText, suggestion: string | undefined): CliText {
  if (suggestion === undefined) return text;
  const oneOf = /^one of (.*)$/s.exec(suggestion);
  return oneOf
    ? cliText("usage.didYouMeanOneOf", { message: text, names: oneOf[1] ?? "" })
    : cliText("usage.didYouMean", { message: text, name: suggestion });
}

/** The reason after commander's "is invalid.": the parser's own message, or commander's list of choices. */
function invalidDetail(detail: string): CliText | undefined {
  if (rejected !== undefined && renderText("en", rejected) === detail) return rejected;
  const choices = /^Allowed choices are (.*)\.$/s.exec(detail);
  return choices ? cliText("usage.choices", { choices: choices[1] ?? "" }) : undefined;
}

/**
 * Commander's error (its `code`, and its message as it wrote it, starting with `error: `) as a message without that
 * `error: `, or undefined when the code or its wording is not one mapped here.
 */
export function commanderText(code: string, text: string): CliText | undefined {
  const message = text.trim();
  let m: RegExpExecArray | null;
  switch (code) {
    case "commander.unknownOption":
      m = /^error: unknown option '(.*?)'(?:\n\(Did you mean (.*)\?\))?$/s.exec(message);
      return m ? withSuggestion(cliText("usage.unknownOption", { option: m[1] ?? "" }), m[2]) : undefined;
    case "commander.unknownCommand":
      m = /^error: unknown command '(.*?)'(?:\n\(Did you mean (.*)\?\))?$/s.exec(message);
      return m ? withSuggestion(cliText("usage.unknownCommand", { command: m[1] ?? "" }), m[2]) : undefined;
    case "commander.optionMissingArgument":
      m = /^error: option '(.*)' argument missing$/s.exec(message);
      return m ? cliText("usage.optionMissingArgument", { option: m[1] ?? "" }) : undefined;
    case "commander.missingMandatoryOptionValue":
      m = /^error: required option '(.*)' not specified$/s.exec(message);
      return m ? cliText("usage.requiredOption", { option: m[1] ?? "" }) : undefined;
    case "commander.missingArgument":
      m = /^error: missing required argument '(.*)'$/s.exec(message);
      return m ? cliText("usage.missingArgument", { argument: m[1] ?? "" }) : undefined;
    case "commander.excessArguments": {
      m = /^error: too many arguments(?: for '(.*)')?\. Expected (\d+) arguments? but got (\d+)\.$/s.exec(
        message,
      );
      if (!m) return undefined;
      const counts = { expected: Number(m[2]), n: m[2] ?? "", got: m[3] ?? "" };
      return m[1] === undefined
        ? cliText("usage.excessArguments", counts)
        : cliText("usage.excessArgumentsFor", { ...counts, command: m[1] });
    }
    case "commander.invalidArgument": {
      m = /^error: option '(.*?)' argument '(.*)' is invalid\. (.*)$/s.exec(message);
      const detail = m ? invalidDetail(m[3] ?? "") : undefined;
      return m && detail
        ? cliText("usage.invalidOptionValue", { option: m[1] ?? "", value: m[2] ?? "", detail })
        : undefined;
    }
    default:
      return undefined;
  }
}

/** A usage error on one line, as commander's errors have always been written (its line breaks become spaces). */
function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, " ");
}

/**
 * The line of a usage error: `her2: error: <message> (see '<help>')`.
 * @param help The help to see, e.g. `her2 --help`.
 */
export function usageLine(locale: Locale, message: CliText, help: string): string {
  return `${oneLine(cliMessage(locale, "usage.error", { message: renderText(locale, message), help }))}\n`;
}

/**
 * The line of commander's error `text` (code `code`): in the locale when mapped, else commander's English as it was
 * always written, `her2: error: ... (see '<help>')`.
 */
export function commanderLine(locale: Locale, code: string, text: string, help: string): string {
  const message = commanderText(code, text);
  if (message !== undefined) return usageLine(locale, message, help);
  return `her2: ${oneLine(text)} (see '${help}')\n`;
}

/**
 * The locale of a usage error found before `--locale` was read, or when it was not valid: the last valid
 * `--locale <tag>` / `--locale=<tag>` before `--`, else the environment's (LC_ALL, LC_MESSAGES, LANG).
 */
export function argvLocale(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Locale {
  let found: Locale | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") break;
    const value = arg === "--locale" ? argv[i + 1] : arg.startsWith("--locale=") ? arg.slice(9) : undefined;
    const locale = value === undefined ? undefined : localeOption(value);
    if (locale !== undefined) found = locale;
  }
  return found ?? localeFromEnvironment(env);
}
