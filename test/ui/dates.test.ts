import { describe, expect, it } from "vitest";
import { calendarDate, compareNewestFirst, dayNumber, displayDate } from "../../src/ui/dates";

describe("dates as recorded", () => {
  it("shows the calendar date of a dateTime without shifting it to the viewer's time zone", () => {
    expect(displayDate("2024-03-02T23:30:00-05:00")).toBe("2024-03-02");
    expect(displayDate("2024-03-02T00:15:00+13:00")).toBe("2024-03-02");
  });

  it("keeps partial dates partial and says when there is no date", () => {
    expect(displayDate("2019-05")).toBe("2019-05");
    expect(displayDate("2019")).toBe("2019");
    expect(displayDate(undefined)).toBe("date not recorded");
    expect(calendarDate("not a date")).toBeUndefined();
  });

  it("sorts newest first with missing dates last", () => {
    const dates = ["2020-01-01", undefined, "2024-03-02T10:00:00Z", "2022"];
    expect([...dates].sort(compareNewestFirst)).toEqual([
      "2024-03-02T10:00:00Z",
      "2022",
      "2020-01-01",
      undefined,
    ]);
  });

  it("counts days in UTC from the calendar date", () => {
    expect(dayNumber("1970-01-02")).toBe(1);
    expect(dayNumber("2024-03-02T23:59:00-12:00")).toBe(dayNumber("2024-03-02"));
    expect(dayNumber("2024")).toBe(dayNumber("2024-01-01"));
    expect(dayNumber("")).toBeUndefined();
  });
});
