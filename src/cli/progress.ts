/**
 * A progress line on stderr for long runs, redrawn in place at most a few times a second. Only when stderr is a
 * terminal: in a pipe or a log file it would be noise.
 */
import type { Writable } from "node:stream";

const INTERVAL_MS = 250;

export class Progress {
  private last = Number.NEGATIVE_INFINITY;
  private drawn = false;

  constructor(
    private readonly stderr: Writable & { isTTY?: boolean },
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.stderr.isTTY === true;
  }

  /** Redraws the line if enough time has passed; `text` is built only then. */
  update(text: () => string): void {
    if (!this.enabled) return;
    const now = this.now();
    if (now - this.last < INTERVAL_MS) return;
    this.last = now;
    this.stderr.write(`\r\x1b[2K${text()}`);
    this.drawn = true;
  }

  /** The next update draws at once: a new phase (reading, then assessing) shows as it starts, not 250 ms later. */
  startPhase(): void {
    this.last = Number.NEGATIVE_INFINITY;
  }

  /** Clears the line, so the next message starts on a clean line. */
  clear(): void {
    if (this.drawn) this.stderr.write("\r\x1b[2K");
    this.drawn = false;
  }
}
