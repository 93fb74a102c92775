// @vitest-environment node
/** Progress on stderr: only on a terminal, throttled, and cleared before other messages. */
import { describe, expect, it } from "vitest";
import { Progress } from "../../src/cli/progress";
import { Sink } from "./helpers";

describe("Progress", () => {
  it("writes nothing when stderr is not a terminal", () => {
    const stderr = new Sink();
    const progress = new Progress(stderr, () => 1000);
    progress.update(() => "reading");
    progress.clear();
    expect(stderr.text).toBe("");
  });

  it("on a terminal, redraws at most every 250 ms and clears the line", () => {
    const stderr = new Sink();
    stderr.isTTY = true;
    let now = 1000;
    const progress = new Progress(stderr, () => now);
    progress.update(() => "one");
    now += 100;
    progress.update(() => "too soon");
    now += 200;
    progress.update(() => "two");
    progress.clear();
    expect(stderr.text).toBe("\r\x1b[2Kone\r\x1b[2Ktwo\r\x1b[2K");
  });

  it("a new phase's first line is drawn at once, however soon after the last one", () => {
    const stderr = new Sink();
    stderr.isTTY = true;
    let now = 1000;
    const progress = new Progress(stderr, () => now);
    progress.update(() => "reading");
    now += 10;
    progress.startPhase();
    progress.update(() => "assessing 1 of 3");
    now += 10;
    progress.update(() => "assessing 2 of 3");
    expect(stderr.text).toBe("\r\x1b[2Kreading\r\x1b[2Kassessing 1 of 3");
  });
});
