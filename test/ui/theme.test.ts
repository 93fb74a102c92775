import { describe, expect, it } from "vitest";
import { her2Theme, severityTone, statusTone, timelineColour } from "../../src/ui/theme";

/** WCAG 2.1 relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r = 0, g = 0, b = 0] = channels.map((c) =>
    c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4,
  );
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe("contrast (WCAG 2.1 AA)", () => {
  it("checks the helper against known values", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrast("#767676", "#ffffff")).toBeCloseTo(4.54, 2);
  });

  it.each([...Object.entries(statusTone), ...Object.entries(severityTone)])(
    "badge %s: text ≥ 4.5:1 on its tint and on white",
    (_name, tone) => {
      expect(contrast(tone.fg, tone.bg)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(tone.fg, "#ffffff")).toBeGreaterThanOrEqual(4.5);
    },
  );

  it("theme text and primary colours are ≥ 4.5:1 on paper and on the page background", () => {
    const { palette } = her2Theme;
    for (const fg of [
      palette.text.primary,
      palette.text.secondary,
      palette.primary.main,
      palette.error.main,
    ]) {
      expect(contrast(fg, palette.background.paper)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(fg, palette.background.default)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("timeline marks are ≥ 3:1 on white (non-text contrast, WCAG 1.4.11)", () => {
    for (const colour of Object.values(timelineColour)) {
      expect(contrast(colour, "#ffffff")).toBeGreaterThanOrEqual(3);
    }
  });
});

describe("typography", () => {
  it("uses the system font stack and no web font", () => {
    const family = her2Theme.typography.fontFamily ?? "";
    expect(family.startsWith("system-ui")).toBe(true);
    expect(family).not.toMatch(/Roboto/);
  });
});
