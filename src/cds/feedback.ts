/**
 * Card feedback (CDS Hooks 2.0 "Feedback"): every outcome a client posts is appended as one JSON line to a file
 * (opened with the append flag, never rewritten), with the card's kind so a department can see which cards are
 * accepted and which are overridden, and why. `her2 feedback-report` summarises the file.
 */
import { appendFile, readFile } from "node:fs/promises";
import type { CardKind } from "./cards";

export interface FeedbackRecord {
  /** When the service received it (ISO 8601). */
  received: string;
  service: string;
  card: string;
  kind: CardKind | "unknown";
  outcome: "accepted" | "overridden";
  outcomeTimestamp?: string;
  acceptedSuggestions?: string[];
  overrideReason?: { code?: string; display?: string; comment?: string };
}

/** Appends records, one JSON line each. */
export async function appendFeedback(file: string, records: readonly FeedbackRecord[]): Promise<void> {
  if (records.length === 0) return;
  await appendFile(file, records.map((r) => `${JSON.stringify(r)}\n`).join(""), {
    flag: "a",
    encoding: "utf8",
  });
}

/** Reads every record back; a line that is not a record is counted, not fatal. */
export async function readFeedback(file: string): Promise<{ records: FeedbackRecord[]; badLines: number }> {
  const text = await readFile(file, "utf8");
  const records: FeedbackRecord[] = [];
  let badLines = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const value = JSON.parse(line) as Partial<FeedbackRecord>;
      if (typeof value.card === "string" && (value.outcome === "accepted" || value.outcome === "overridden"))
        records.push(value as FeedbackRecord);
      else badLines++;
    } catch {
      badLines++;
    }
  }
  return { records, badLines };
}

export interface FeedbackSummaryRow {
  kind: string;
  accepted: number;
  overridden: number;
  /** Override reasons by display (or code), most frequent first. */
  reasons: [string, number][];
}

/** Accepted / overridden per card kind, with the override reasons. */
export function summariseFeedback(records: readonly FeedbackRecord[]): FeedbackSummaryRow[] {
  const rows = new Map<string, { accepted: number; overridden: number; reasons: Map<string, number> }>();
  for (const r of records) {
    const row = rows.get(r.kind) ?? { accepted: 0, overridden: 0, reasons: new Map<string, number>() };
    rows.set(r.kind, row);
    if (r.outcome === "accepted") row.accepted++;
    else {
      row.overridden++;
      const reason = r.overrideReason?.display ?? r.overrideReason?.code ?? "(no reason given)";
      row.reasons.set(reason, (row.reasons.get(reason) ?? 0) + 1);
    }
  }
  return [...rows.entries()]
    .map(([kind, row]) => ({
      kind,
      accepted: row.accepted,
      overridden: row.overridden,
      reasons: [...row.reasons.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)),
    }))
    .sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
}

/** The report as a text table. */
export function formatFeedbackReport(rows: readonly FeedbackSummaryRow[], badLines: number): string {
  const lines = ["card kind\taccepted\toverridden\tacceptance\toverride reasons"];
  for (const row of rows) {
    const total = row.accepted + row.overridden;
    const rate = total === 0 ? "-" : `${String(Math.round((100 * row.accepted) / total))}%`;
    const reasons = row.reasons.map(([r, n]) => `${r} (${String(n)})`).join("; ");
    lines.push(`${row.kind}\t${String(row.accepted)}\t${String(row.overridden)}\t${rate}\t${reasons}`);
  }
  if (badLines > 0) lines.push(`(${String(badLines)} unreadable line(s) skipped)`);
  return `${lines.join("\n")}\n`;
}
