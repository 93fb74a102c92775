// @vitest-environment node
import { afterEach, describe, expect, it, vi } from "vitest";
import { formatPatientDate } from "../../src/ui/patient/patient-dates";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("patient page dates (issue 15.2)", () => {
  it("writes the recorded day as a long date in each locale", () => {
    expect(formatPatientDate("2024-03-02", "en")).toBe("March 2, 2024");
    expect(formatPatientDate("2024-03-02", "es")).toBe("2 de marzo de 2024");
    expect(formatPatientDate("2024-03-02", "zh-CN")).toBe("2024年3月2日");
  });

  it("never moves a dateTime to another day, whatever the viewer's time zone", () => {
    for (const tz of ["Pacific/Kiritimati", "America/Los_Angeles", "UTC"]) {
      vi.stubEnv("TZ", tz);
      // 23:30 in New York is already 3 March in UTC and 4:30 p.m. on 3 March in Kiritimati: the record says 2 March.
      expect(formatPatientDate("2024-03-02T23:30:00-05:00", "en"), tz).toBe("March 2, 2024");
      expect(formatPatientDate("2024-03-02T00:15:00+14:00", "es"), tz).toBe("2 de marzo de 2024");
    }
  });

  it("keeps a partial date's precision and shows an impossible date as written", () => {
    expect(formatPatientDate("2024-03", "en")).toBe("March 2024");
    expect(formatPatientDate("2024-03", "es")).toBe("marzo de 2024");
    expect(formatPatientDate("2024", "zh-CN")).toBe("2024年");
    expect(formatPatientDate("2024-02-30", "en")).toBe("2024-02-30");
    expect(formatPatientDate("0099-01-05", "en")).toBe("January 5, 99");
    expect(formatPatientDate(undefined, "en")).toBeUndefined();
    expect(formatPatientDate("unknown", "en")).toBeUndefined();
  });
});
