// @vitest-environment node
/**
 * The real command, spawned as a user runs it (`node bin/her2.js`, which `npx her2` runs): exit codes and help. It runs
 * the compiled CLI, dist-cli/her2.js, built here first by the same script `npm run build:cli` runs.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { AS_OF, ihc, patient, tempDir, writeNdjson } from "./helpers";

const root = join(import.meta.dirname, "../..");
const compiled = join(root, "dist-cli/her2.js");

beforeAll(() => {
  const build = spawnSync(process.execPath, [join(root, "scripts/build-cli.mjs")], {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(build.stderr).toBe("");
  expect(build.status).toBe(0);
}, 60_000);

/** The modules a compiled file imports statically (loaded with it), in `import … from "x"` statements. */
function staticImports(code: string): string[] {
  return [...code.matchAll(/^\s*import\s[^"'()]*["']([^"']+)["']/gm)].map((m) => m[1] ?? "");
}

/** The npm packages loaded with a compiled file: its static imports, and those of the chunks it imports, and so on. */
function packagesLoadedWith(file: string, seen = new Set<string>()): Set<string> {
  const packages = new Set<string>();
  if (seen.has(file)) return packages;
  seen.add(file);
  for (const name of staticImports(readFileSync(file, "utf8"))) {
    if (name.startsWith("."))
      for (const p of packagesLoadedWith(join(dirname(file), name), seen)) packages.add(p);
    else if (!name.startsWith("node:") && !builtinModules.includes(name))
      packages.add(name.split("/")[0] ?? name);
  }
  return packages;
}

/** English whatever the environment's locale: the lines these tests compare are English (usage-locale.test.ts). */
const ENGLISH = { LC_ALL: "", LC_MESSAGES: "", LANG: "C" };

function her2(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return run(args, ENGLISH);
}

function run(
  args: string[],
  env: Record<string, string>,
): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [join(root, "bin/her2.js"), ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 30_000,
    // Several MB of assessments: spawnSync's 1 MB default would stop the child.
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NODE_OPTIONS: "", ...env },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("bin/her2.js", { timeout: 60_000 }, () => {
  it("--help lists the review and export commands (exit 0)", () => {
    const run = her2("--help");
    expect(run.status).toBe(0);
    // Files are optional: `review --from <base>` exports them first (issue 14).
    expect(run.stdout).toMatch(/review \[options\] \[file-or-folder\.\.\.\]/);
    expect(run.stdout).toMatch(/export \[options\]/);
  });

  it("feedback-report summarises a CDS feedback file (the CDS commands are dispatched by main.ts)", () => {
    const dir = tempDir();
    const file = join(dir, "feedback.ndjson");
    writeFileSync(
      file,
      `${JSON.stringify({ received: "2026-11-25T10:00:00Z", service: "her2-patient-view", card: "c", kind: "reflex-ish-missing", outcome: "accepted" })}\n`,
    );
    const run = her2("feedback-report", file);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("reflex-ish-missing\t1\t0\t100%");
  });

  it("review reads a Bulk Data folder: NDJSON on stdout, summary on stderr, exit 3 for the skipped line", () => {
    const dir = tempDir();
    writeNdjson(dir, "Patient.ndjson", [patient("b"), patient("a")]);
    writeNdjson(dir, "Observation.ndjson", [ihc("o", "Patient/a", "3+"), "not json"]);
    const run = her2("review", dir, "--as-of", AS_OF);
    expect(run.status).toBe(3);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines.map((l) => (JSON.parse(l) as { patient: string }).patient)).toEqual([
      "Patient/a",
      "Patient/b",
    ]);
    expect(run.stderr).toContain(`${join(dir, "Observation.ndjson")}:2: warning: not a FHIR resource`);
    expect(run.stderr).toMatch(/^her2 review: 2 patients, 3 resources read, /m);
  });

  it("a missing file: exit 2, one line on stderr, nothing on stdout", () => {
    const run = her2("review", "no-such-export/");
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe("her2: no such file or folder: no-such-export/\n");
  });

  it("a usage error: exit 2, one line", () => {
    const run = her2("review", "x", "--format", "xml");
    expect(run.status).toBe(2);
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("usage errors in LANG's locale, the CDS commands' too; exit codes as in English", () => {
    const es = { ...ENGLISH, LANG: "es_MX.UTF-8" };
    const option = run(["review", "x", "--formt", "csv"], es);
    expect(option.status).toBe(2);
    expect(option.stderr).toBe(
      "her2: error: opción desconocida '--formt' (¿quiso decir --format?) (consulte 'her2 review --help')\n",
    );
    const missing = run(["review", "no-such-export/"], { ...ENGLISH, LC_ALL: "zh_CN.UTF-8" });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe("her2：没有此文件或文件夹：no-such-export/\n");
    const report = run(["feedback-report", "a.ndjson", "b.ndjson"], es);
    expect(report.status).toBe(2);
    expect(report.stderr).toBe(
      "her2: error: demasiados argumentos para 'feedback-report'. Se esperaba 1 argumento; cantidad recibida: 2. (consulte 'her2 feedback-report --help')\n",
    );
  });
});

describe("the compiled CLI (dist-cli/her2.js, scripts/build-cli.mjs)", { timeout: 60_000 }, () => {
  it("is built by the build step, and imports no npm package but the runtime dependencies", () => {
    expect(statSync(compiled).mtimeMs).toBeGreaterThan(Date.now() - 120_000);
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    // her2.js and the chunks of main.ts's dynamic imports (scripts/build-cli.mjs splits them off), with the packages
    // they import dynamically (the HTML report's d3).
    const imported = readdirSync(dirname(compiled))
      .filter((name) => name.endsWith(".js"))
      .flatMap((name) => {
        const code = readFileSync(join(dirname(compiled), name), "utf8");
        const dynamic = [...code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? "");
        return [...staticImports(code), ...dynamic];
      });
    const packages = imported
      .filter((name) => !name.startsWith(".") && !name.startsWith("node:") && !builtinModules.includes(name))
      .map((name) =>
        (name.startsWith("@") ? name.split("/").slice(0, 2) : name.split("/").slice(0, 1)).join("/"),
      );
    expect(new Set(packages)).toEqual(new Set(Object.keys(pkg.dependencies)));
  });

  it("loads fastify, jose and d3 only for the commands and formats that need them, not for a review of files (or its workers)", () => {
    const loaded = packagesLoadedWith(compiled);
    expect(loaded).toContain("commander"); // the walk through the chunks finds the packages
    expect(loaded).not.toContain("fastify");
    expect(loaded).not.toContain("jose");
    // The quality report's chart library loads only for --format html.
    expect(loaded).not.toContain("d3-scale");
    expect(loaded).not.toContain("d3-shape");
    // The lazily imported commands still run from the compiled chunks.
    const report = her2("feedback-report", join(tempDir(), "none.ndjson"));
    expect(report.status).toBe(2);
    expect(report.stderr).toContain("none.ndjson");
    expect(her2("cds-service", "--help").stdout).toContain("--config");
    const exported = her2(
      "export",
      "--from",
      "http://127.0.0.1:9/fhir",
      "--out",
      tempDir(),
      "--max-wait",
      "1",
    );
    expect(exported.status).toBe(4);
    expect(exported.stderr).toContain("cannot reach");
  });

  it("bin/her2.js without a build: exit 2 and says how to build it", () => {
    const checkout = tempDir();
    mkdirSync(join(checkout, "bin"));
    copyFileSync(join(root, "bin/her2.js"), join(checkout, "bin/her2.js"));
    const run = spawnSync(process.execPath, [join(checkout, "bin/her2.js"), "--help"], {
      encoding: "utf8",
      timeout: 30_000,
      env: { ...process.env, NODE_OPTIONS: "" },
    });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      "her2: the compiled CLI (dist-cli/her2.js) is missing: run `npm run build:cli`\n",
    );
  });

  it("runs the first and second passes in worker threads of its own module, with the one-thread output byte for byte", () => {
    const dir = tempDir();
    const ids = Array.from({ length: 2100 }, (_, i) => `w${String((i * 7919) % 2100)}`);
    writeNdjson(
      dir,
      "Patient.ndjson",
      ids.map((id) => patient(id)),
    );
    writeNdjson(
      dir,
      "Observation.ndjson",
      ids.map((id, i) => ihc(`${id}-o`, `Patient/${id}`, ["0", "1+", "2+", "3+"][i % 4] ?? "0")),
    );
    const args = ["review", dir, "--as-of", AS_OF];
    // The scan worker of the first pass too, for these few bytes.
    const parallel = run(args, {
      HER2_REVIEW_STATS: "1",
      HER2_REVIEW_WORKERS: "1",
      HER2_PARALLEL_SCAN_FROM_BYTES: "0",
    });
    const alone = run(args, { HER2_REVIEW_STATS: "1", HER2_REVIEW_WORKERS: "0" });
    const stats = (text: string) =>
      JSON.parse(
        text
          .split("\n")
          .find((l) => l.startsWith("her2-stats "))
          ?.slice(11) ?? "{}",
      ) as {
        workers?: number;
        scanWorkers?: number;
      };
    expect(stats(parallel.stderr).workers).toBe(1);
    expect(stats(parallel.stderr).scanWorkers).toBe(1);
    expect(stats(alone.stderr).workers).toBe(0);
    expect(stats(alone.stderr).scanWorkers).toBe(0);
    expect(parallel.status).toBe(0);
    expect(parallel.stdout.trimEnd().split("\n")).toHaveLength(2100);
    expect(parallel.stdout).toBe(alone.stdout);
    const summary = (text: string) => text.split("\n").find((l) => l.startsWith("her2 review:"));
    expect(summary(parallel.stderr)).toBe(summary(alone.stderr));
  });

  it("gives the same output as the TypeScript source, for every sandbox patient", () => {
    const args = ["review", "sandbox/patients", "--as-of", AS_OF, "--format", "ndjson"];
    const compiled = run(args, {});
    const source = run(args, { HER2_CLI_FROM_SOURCE: "1" });
    expect(compiled.status).toBe(0);
    const manifest = JSON.parse(readFileSync(join(root, "sandbox/patients/index.json"), "utf8")) as {
      patients: unknown[];
    };
    expect(compiled.stdout.trimEnd().split("\n")).toHaveLength(manifest.patients.length);
    expect(compiled).toEqual(source);
  });
});
