import { describe, expect, it } from "vitest";
import { formatMessage } from "../../src/i18n/format";

describe("formatMessage", () => {
  const catalog = { tests: "{count, plural, one {# test} other {# tests}} on {date}" };
  it("fills placeholders with ICU plural rules of the locale", () => {
    expect(formatMessage("en", catalog, "tests", { count: 1, date: "2024-03-02" })).toBe(
      "1 test on 2024-03-02",
    );
    expect(formatMessage("en", catalog, "tests", { count: 1200, date: "x" })).toBe("1,200 tests on x");
    expect(formatMessage("es", catalog, "tests", { count: 1200, date: "x" })).toBe("1200 tests on x");
  });
  it("throws on a missing id rather than showing an empty string", () => {
    expect(() => formatMessage("es", catalog, "nope")).toThrow(/No message "nope" in the es catalog/);
  });
});
