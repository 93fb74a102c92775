import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inject, describe, expect, it } from "vitest";
import { BUDGETS_GZIP, measurePage } from "../../scripts/bundle-size";

describe("bundle budgets of the built pages", () => {
  const dist = inject("distDir");

  it.each(Object.entries(BUDGETS_GZIP))("%s ships at most its gzip budget of JavaScript", (page, budget) => {
    const size = measurePage(dist, page);
    expect(size.files.length).toBeGreaterThan(0);
    console.info(`${page}: ${size.raw} B raw, ${size.gzip} B gzip`);
    expect(size.gzip).toBeLessThanOrEqual(budget);
  });

  it("keeps React off the launch page", () => {
    const launch = measurePage(dist, "launch.html");
    const index = measurePage(dist, "index.html");
    const contains = (files: string[]) =>
      files.some((f) => readFileSync(join(dist, f), "utf8").includes("react.transitional.element"));
    expect(contains(index.files)).toBe(true);
    expect(contains(launch.files)).toBe(false);
  });
});
