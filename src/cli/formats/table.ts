/**
 * A plain-text table for reading in a terminal. Column widths are fitted to the first 1,000 patients, which are held
 * back until then; later rows stream with those widths (a longer value pushes its row out rather than being cut).
 * The headers and "(not checked)" are in the CLI's locale (`--locale`, LANG); the values are codes and ids, as they are.
 *
 * Widths are terminal columns, not UTF-16 units: an East Asian wide or fullwidth character (the zh-CN headers, an id
 * in Chinese) and an emoji take two, a combining mark none (displayWidth below), so columns stay aligned with CJK text.
 *
 * Ids come from the EHR's data, so control characters (C0 with tab and newline, DEL, C1) and bidi overrides and
 * isolates are stripped from every cell: an ESC sequence must not recolour or clear the terminal, a newline must
 * not forge a row, a right-to-left override must not show an id reversed. NDJSON keeps the value as it was.
 */
import type { Assessment } from "../../domain";
import type { Locale } from "../../i18n/locales";
import { cliMessage, type CliMessageId } from "../messages";
import type { OutputFormat } from "./format";

const TITLES: readonly CliMessageId[] = [
  "table.patient",
  "table.status",
  "table.category",
  "table.setting",
  "table.flags",
];
const FIT_ROWS = 1000;

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** A grapheme of marks and format characters only (a lone combining accent, a zero-width joiner): no column. */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]+$/u;
/**
 * East Asian Wide and Fullwidth (UAX #11) as terminals draw them: Hangul Jamo, CJK radicals to CJK symbols and
 * punctuation, kana, CJK ideographs (and extensions), Yi, Hangul syllables, compatibility ideographs, vertical and
 * small forms, fullwidth forms, planes 2 and 3; and emoji shown as emoji.
 */
const WIDE =
  /^(?:[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]|\p{Emoji_Presentation})/u;
const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

/** Terminal columns `text` takes (no control characters: they are stripped before). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const { segment } of graphemes.segment(text)) {
    if (ZERO_WIDTH.test(segment)) continue;
    width += WIDE.test(segment) || segment.includes("\ufe0f") ? 2 : 1;
  }
  return width;
}

function printable(text: string): string {
  return text.replace(UNPRINTABLE, "");
}

function cells(a: Assessment, locale: Locale): string[] {
  // A check a failed query kept from being made shows as such, never as a raised flag (issue 18, point 4).
  const flags = [
    ...new Set(
      a.flags.map((f) =>
        f.state === "not-checked" ? cliMessage(locale, "table.notChecked", { code: f.code }) : f.code,
      ),
    ),
  ];
  return [a.patient, a.status, a.category, a.setting, flags.length === 0 ? "-" : flags.join(", ")].map(
    printable,
  );
}

function line(values: readonly string[], widths: readonly number[]): string {
  return `${values
    .map((value, i) => value + " ".repeat(Math.max(0, (widths[i] ?? 0) - displayWidth(value))))
    .join("  ")
    .trimEnd()}\n`;
}

export function tableFormat(locale: Locale = "en"): OutputFormat {
  const titles = TITLES.map((id) => cliMessage(locale, id));
  let pending: string[][] | undefined = [];
  let widths: number[] = [];
  const release = (): string => {
    if (pending === undefined) return "";
    const rows = [titles, ...pending];
    widths = titles.map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i] ?? ""))));
    pending = undefined;
    return rows.map((r) => line(r, widths)).join("");
  };
  return {
    begin: () => "",
    patient: (a: Assessment) => {
      if (pending === undefined) return line(cells(a, locale), widths);
      pending.push(cells(a, locale));
      return pending.length >= FIT_ROWS ? release() : "";
    },
    end: release,
  };
}
