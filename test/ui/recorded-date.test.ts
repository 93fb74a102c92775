/**
 * Dates in es / zh-CN go through Intl.DateTimeFormat but show the calendar date the record gives, in every time
 * zone: a date west of UTC, where `new Date("2024-03-02")` is still 1 March locally, must not become 1 March.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatRecordedDate } from "../../src/ui/i18n/translate";

const zones = ["America/Los_Angeles", "Pacific/Kiritimati", "Asia/Shanghai"];
let saved: string | undefined;

beforeAll(() => {
  saved = process.env.TZ;
});
afterAll(() => {
  process.env.TZ = saved;
});

describe.each(zones)("in time zone %s", (zone) => {
  it("shows the recorded day, month and year", () => {
    process.env.TZ = zone;
    expect(formatRecordedDate("2024-03-02", "es")).toBe("2 mar 2024");
    expect(formatRecordedDate("2024-03-02", "zh-CN")).toBe("2024年3月2日");
    // A dateTime with its own offset: the calendar date as recorded, not the viewer's.
    expect(formatRecordedDate("2024-03-02T23:30:00-05:00", "es")).toBe("2 mar 2024");
    expect(formatRecordedDate("2024-12-31T00:15:00+14:00", "zh-CN")).toBe("2024年12月31日");
  });

  it("keeps partial dates partial and English in ISO form", () => {
    process.env.TZ = zone;
    expect(formatRecordedDate("2024-03", "zh-CN")).toBe("2024年3月");
    expect(formatRecordedDate("2024", "es")).toBe("2024");
    expect(formatRecordedDate("2024-03-02T23:30:00-05:00", "en")).toBe("2024-03-02");
    expect(formatRecordedDate("not a date", "es")).toBeUndefined();
    expect(formatRecordedDate(undefined, "zh-CN")).toBeUndefined();
  });
});

it("the time zone really is in effect (the naive local-time display would have moved the date)", () => {
  process.env.TZ = "America/Los_Angeles";
  expect(new Date("2024-03-02").getDate()).toBe(1);
  expect(new Date("2024-03-02").toLocaleDateString("es", { day: "numeric", month: "short" })).toBe("1 mar");
});
