import { describe, expect, it } from "vitest";
import { assess } from "../../src/domain";

describe("assess (placeholder)", () => {
  it("reports no-result when there is no HER2 test", () => {
    const a = assess({ patient: "Patient/p1", asOf: "2026-11-25", tests: [], events: [], therapies: [] });
    expect(a.status).toBe("no-result");
  });
});
