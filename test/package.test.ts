// @vitest-environment node
/**
 * package.json: the runtime `dependencies` are what the compiled CLI imports (commander, csv-stringify; jose for
 * the Bulk Data backend-services client, issue 14). The built pages
 * bundle React, MUI, Emotion and fhirclient, and the build tools only build: all devDependencies.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "../package.json"), "utf8")) as {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
};

const BUILD_TIME = /^(?:react|react-dom|@mui\/.+|@emotion\/.+|fhirclient|vite|tsx|esbuild)$/;

describe("package.json", () => {
  it("its dependencies hold no UI library, fhirclient or build tool", () => {
    const runtime = Object.keys(pkg.dependencies ?? {});
    expect(runtime.filter((name) => BUILD_TIME.test(name))).toEqual([]);
    expect(runtime.sort()).toEqual(["commander", "csv-stringify", "jose"]);
  });

  it("the build-time packages are devDependencies", () => {
    for (const name of [
      "react",
      "react-dom",
      "@mui/material",
      "@emotion/react",
      "fhirclient",
      "vite",
      "tsx",
      "esbuild",
    ])
      expect(pkg.devDependencies?.[name], name).toBeDefined();
  });

  it("npm install / npm ci build the CLI (prepare), and npm test builds it before testing", () => {
    expect(pkg.scripts?.["build:cli"]).toBe("node scripts/build-cli.mjs");
    expect(pkg.scripts?.prepare).toContain("npm run build:cli");
    expect(pkg.scripts?.test).toMatch(/^npm run build:cli && /);
  });
});
