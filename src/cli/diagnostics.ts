/**
 * Messages on stderr about the input: warnings with `file:line` for lines that were skipped, notices for skipped
 * resource types, and the errors that stop the run (exit 2). Per file, warnings are capped so a broken export does not
 * flood the terminal; the count of the rest is still reported. Warnings and notes come as messages (`CliText`) and are
 * written in the review's locale; the `file:line` part, codes and quoted data stay as they are.
 */
import type { Writable } from "node:stream";
import type { Locale } from "../i18n/locales";
import { type CliText, cliText, renderText } from "./messages";

/** The message of something thrown, for a one-line report. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A usage error or an input that is not FHIR JSON / NDJSON at all: one line on stderr, exit 2, no output. Made from a
 * message (`text`), its `message` is the English rendering, and `usageMessage` renders it where it is written.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
  /** The message, when it is one: rendered in the locale of the line it is written on. */
  readonly text: CliText | undefined;

  constructor(message: string | CliText) {
    super(typeof message === "string" ? message : renderText("en", message));
    this.text = typeof message === "string" ? undefined : message;
  }
}

/** A usage error's text in `locale`: its message rendered, or its English `message` when it has none. */
export function usageMessage(locale: Locale, error: UsageError): string {
  return error.text === undefined ? error.message : renderText(locale, error.text);
}

/** Warnings shown per file; the rest are counted. */
export const MAX_WARNINGS_PER_FILE = 20;

export class Diagnostics {
  private readonly perFile = new Map<string, number>();
  /** Per file, the warnings not shown that a line has already counted. */
  private readonly notShownReported = new Map<string, number>();
  /** Warnings issued, including those not shown. */
  warnings = 0;
  /** Lines, entries and files skipped that may hold a patient's data (see `skip`). */
  skipped = 0;

  /** @param locale The language of the warnings and notes (`--locale`, LANG); default en. */
  constructor(
    private readonly stderr: Writable,
    readonly locale: Locale = "en",
  ) {}

  /**
   * A line or entry that was skipped or read with reservations.
   * @param where `file:line` or `file: entry[3]`.
   */
  warn(file: string, where: string, message: CliText): void {
    this.warnings++;
    const shown = (this.perFile.get(file) ?? 0) + 1;
    this.perFile.set(file, shown);
    if (shown <= MAX_WARNINGS_PER_FILE) this.say(cliText("diag.warning", { where, message }));
  }

  /**
   * Input that may be a patient's data and was not read (a line, an entry, a file): a warning, also counted in
   * `skipped`, which the summary shows and which sets exit code 3 (see README).
   */
  skip(file: string, where: string, message: CliText): void {
    this.skipped++;
    this.warn(file, where, message);
  }

  /**
   * Counts skipped lines of a file that come after at least MAX_WARNINGS_PER_FILE warnings of it, so are never shown
   * (a scan worker sends only the first ones of its part of a file).
   */
  countUnshown(file: string, count: number): void {
    // Only lines skipped are counted this way (first-pass.ts).
    this.warnings += count;
    this.skipped += count;
    this.perFile.set(file, (this.perFile.get(file) ?? 0) + count);
  }

  /** Information that is not a problem with the data, e.g. a resource type the rules do not use. */
  note(where: string, message: CliText): void {
    this.say(cliText("diag.note", { where, message }));
  }

  /** Reports how many warnings of a file were not shown. Call once the file has been read. */
  endFile(file: string): void {
    const notShown = (this.perFile.get(file) ?? 0) - MAX_WARNINGS_PER_FILE;
    const reported = this.notShownReported.get(file) ?? 0;
    if (notShown > reported) {
      const count = notShown - reported;
      this.say(cliText("diag.notShown", { file, count, n: String(count) }));
      this.notShownReported.set(file, notShown);
    }
  }

  /**
   * Reports, per file, the warnings not shown since its `endFile`: those found when the second pass reads lines
   * again. Call once, before the summary.
   */
  endReview(): void {
    for (const file of this.perFile.keys()) this.endFile(file);
  }

  /** Warnings issued so far for a file. */
  warningsFor(file: string): number {
    return this.perFile.get(file) ?? 0;
  }

  write(line: string): void {
    this.stderr.write(`${line}\n`);
  }

  /** A message as a line in the locale. */
  say(text: CliText): void {
    this.write(renderText(this.locale, text));
  }
}

/** Counts skipped resources per type for one file and reports them as one notice per type. */
export class SkippedTypes {
  private readonly byType = new Map<string, { count: number; first: string }>();

  /** Counts `count` resources of the type; `where` is the first of them. */
  add(resourceType: string, where: string, count = 1): void {
    const seen = this.byType.get(resourceType);
    if (seen) seen.count += count;
    else this.byType.set(resourceType, { count, first: where });
  }

  report(diagnostics: Diagnostics): void {
    for (const [type, { count, first }] of this.byType)
      diagnostics.note(first, cliText("note.skippedType", { count, n: String(count), type }));
  }
}
