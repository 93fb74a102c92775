/**
 * The deferred catalog (src/ui/deferred/messages: the timeline's and the chart copy's texts) ships only with those lazy
 * sections. An id of it used anywhere else would render as its bare id on the panel (the page's provider does not
 * have it), so this test keeps its ids to the modules that DeferredMessages wraps, and the two catalogs disjoint.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { createIntl } from "react-intl";
import { describe, expect, it } from "vitest";
import deferredEn from "../../src/ui/deferred/messages/en.json";
import { deferredEnglishT } from "../../src/ui/deferred/english";
import panelEn from "../../src/ui/messages/en.json";
import { paperText } from "../../src/ui/PrintSummary";

/** The modules rendered inside DeferredMessages (or called with its translator). */
const WRAPPED = new Set([
  "src/ui/Timeline.tsx",
  "src/ui/timeline-model.ts",
  "src/ui/PrintSummary.tsx",
  "src/ui/deferred/DeferredMessages.tsx",
  "src/ui/deferred/english.ts",
]);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

const deferredIds = Object.keys(deferredEn);
// Ids built from a prefix (`print.what.${type}`) are caught by their prefix, unless the panel has ids with it too.
const prefixes = [...new Set(deferredIds.map((id) => id.slice(0, id.lastIndexOf(".") + 1)))].filter(
  (prefix) => !Object.keys(panelEn).some((id) => id.startsWith(prefix)),
);

describe("the deferred catalog", () => {
  it("shares no id with the panel's catalog", () => {
    expect(deferredIds.filter((id) => id in panelEn)).toEqual([]);
  });

  it("is used by the wrapped modules only", () => {
    const misuse: string[] = [];
    for (const file of sources("src")) {
      const name = relative(".", file);
      if (WRAPPED.has(name)) continue;
      const code = readFileSync(file, "utf8");
      for (const id of [...deferredIds, ...prefixes]) {
        if (code.includes(`"${id}`) || code.includes(`\`${id}`) || code.includes(`'${id}`))
          misuse.push(`${name}: ${id}`);
      }
    }
    expect(misuse).toEqual([]);
  });

  it("is what the wrapped modules' English default speaks", () => {
    expect(deferredEnglishT("timeline.empty")).toBe(deferredEn["timeline.empty"]);
    expect(paperText("on Specimen/s-9")).toBe(`on ${deferredEn["print.ref.specimen"]}`);
    // Without the deferred catalog the same id has no text: the reason the lazy sections carry it.
    const panelOnly = createIntl({ locale: "en", messages: panelEn, onError: () => undefined });
    expect(panelOnly.formatMessage({ id: "timeline.empty" })).toBe("timeline.empty");
  });
});
