// @vitest-environment node
/** The real command, spawned as a user runs it (`node bin/her2.js`, which `npx her2` runs): exit codes and help. */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { compileCli, currentCompiledCli } from "../../bin/compiled-cli.js";
import { AS_OF, ihc, patient, tempDir, writeNdjson } from "./helpers";

const root = join(import.meta.dirname, "../..");

function her2(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return run(args, {});
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
  it("--help lists the review command (exit 0)", () => {
    const run = her2("--help");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/review \[options\] <file-or-folder\.\.\.>/);
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
});

describe("the compiled CLI (bin/compiled-cli.js)", { timeout: 60_000 }, () => {
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

  it("is rebuilt when a source file it was built from changes, and not before", async () => {
    const project = tempDir();
    const cache = join(project, "cache");
    mkdirSync(join(project, "src/cli"), { recursive: true });
    const write = (name: string, text: string) => {
      writeFileSync(join(project, "src/cli", name), text);
    };
    write("main.ts", 'import { word } from "./word.ts";\nexport const said: string = word;\n');
    write("word.ts", 'export const word = "first";\n');
    expect(currentCompiledCli(project, cache)).toBeUndefined();

    const built = await compileCli(project, cache);
    expect(currentCompiledCli(project, cache)).toBe(built);
    const first = (await import(`${pathToFileURL(built).href}?1`)) as { said: string };
    expect(first.said).toBe("first");

    write("word.ts", 'export const word = "second";\n');
    expect(currentCompiledCli(project, cache)).toBeUndefined();
    const rebuilt = await compileCli(project, cache);
    const second = (await import(`${pathToFileURL(rebuilt).href}?2`)) as { said: string };
    expect(second.said).toBe("second");
    expect(currentCompiledCli(project, cache)).toBe(rebuilt);

    // The TypeScript settings esbuild reads count too.
    writeFileSync(join(project, "tsconfig.json"), '{ "compilerOptions": { "strict": true } }\n');
    expect(currentCompiledCli(project, cache)).toBeUndefined();
  });

  it("a source saved while esbuild compiles is not taken as compiled: the next run rebuilds", async () => {
    const project = tempDir();
    const cache = join(project, "cache");
    mkdirSync(join(project, "src/cli"), { recursive: true });
    const main = join(project, "src/cli/main.ts");
    writeFileSync(main, 'export const said: string = "before";\n');
    await compileCli(project, cache, () => {
      writeFileSync(main, 'export const said: string = "after";\n');
    });
    expect(currentCompiledCli(project, cache)).toBeUndefined();
    const rebuilt = await compileCli(project, cache);
    expect(((await import(`${pathToFileURL(rebuilt).href}?3`)) as { said: string }).said).toBe("after");
  });
});
