import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export interface PageSize {
  page: string;
  files: string[];
  raw: number;
  gzip: number;
}

/** JavaScript a built page loads: its module script and every modulepreload, as Vite writes them. */
export function pageScripts(html: string): string[] {
  const scripts = [
    ...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]+href="([^"]+\.js)"/g),
  ];
  return [...new Set(scripts.map((m) => m[1] ?? ""))].filter(Boolean);
}

/** Raw and gzip (level 9) bytes of the JavaScript each built page ships. */
export function measurePage(distDir: string, page: string): PageSize {
  const files = pageScripts(readFileSync(join(distDir, page), "utf8"));
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = readFileSync(join(distDir, file.replace(/^\//, "")));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { page, files, raw, gzip };
}

export const BUDGETS_GZIP: Record<string, number> = { "launch.html": 20 * 1024, "index.html": 227 * 1024 };

if (import.meta.url === `file://${process.argv[1] ?? ""}`) {
  const dist = process.argv[2] ?? "dist";
  let over = false;
  for (const page of Object.keys(BUDGETS_GZIP)) {
    const size = measurePage(dist, page);
    const budget = BUDGETS_GZIP[page] ?? Infinity;
    over ||= size.gzip > budget;
    console.log(
      `${page}: ${size.raw} B raw, ${size.gzip} B gzip (budget ${budget} B gzip) — ${size.files.join(", ")}`,
    );
  }
  process.exitCode = over ? 1 : 0;
}
