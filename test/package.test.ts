// @vitest-environment node
/**
 * package.json: the runtime `dependencies` are what the compiled CLI imports (commander, csv-stringify; fastify,
 * @fastify/cors and jose for the CDS Hooks service and the Bulk Data client; d3-scale and d3-shape for the quality
 * report's charts; intl-messageformat for the table headers and summary in es / zh-CN). The built pages
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
    expect(runtime.sort()).toEqual([
      "@fastify/cors",
      "commander",
      "csv-stringify",
      "d3-scale",
      "d3-shape",
      "fastify",
      "intl-messageformat",
      "jose",
    ]);
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

  it("npm start -- --port N: the extra arguments reach vite preview, whose last --port wins (issue 18.11)", () => {
    // npm appends `-- …` arguments to the end of the script: the last command must be the server, not the build.
    const last = (pkg.scripts?.start ?? "").split("&&").at(-1)?.trim() ?? "";
    expect(last).toMatch(/^vite preview --mode development --host 127\.0\.0\.1 --port 5173 --strictPort$/);
    // The README documents it, after the Node version, and matches what npm start runs.
    const readme = readFileSync(join(import.meta.dirname, "../README.md"), "utf8");
    expect(readme).toContain("npm start -- --port 8080");
    expect(readme).toContain(`\`npm start\` runs \`${pkg.scripts?.start ?? ""}\``);
    const node = readme.indexOf("Node.js");
    expect(node).toBeGreaterThan(0);
    expect(node).toBeLessThan(readme.indexOf("npm install && npm start"));
  });
});
