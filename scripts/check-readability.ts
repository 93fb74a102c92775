/**
 * `npm run check:readability`: the reading level of every patient-page text (issue 15.2); exits 1 when an English
 * text is above grade 8 or a Spanish or Chinese sentence is longer than its limit. English by Flesch-Kincaid
 * (text-readability); es and zh-CN by sentence length, as no maintained package measures them (scripts/readability.ts).
 */
import { MAX_SENTENCE, median, patientTextLevels, sentenceLengths } from "./readability";

const MAX_GRADE = 8;
const rows = patientTextLevels();
console.log("en: Flesch-Kincaid grade | reading ease | consensus grade | text id");
for (const r of rows)
  console.log(
    `${r.fleschKincaid.toFixed(1).padStart(6)} | ${r.readingEase.toFixed(1).padStart(6)} | ${String(r.consensus).padStart(3)} | ${r.id}`,
  );
const texts = rows.filter((r) => r.id !== "all");
const grades = texts.map((r) => r.fleschKincaid);
const whole = rows.find((r) => r.id === "all");
console.log(
  `\nen: ${String(texts.length)} texts; Flesch-Kincaid grade max ${Math.max(...grades).toFixed(1)}, median ${median(grades).toFixed(1)}, whole page ${whole?.fleschKincaid.toFixed(1) ?? "?"}; limit ${String(MAX_GRADE)}.`,
);
const problems = texts
  .filter((r) => r.fleschKincaid > MAX_GRADE)
  .map((r) => `en ${r.id} grade ${String(r.fleschKincaid)}`);

for (const locale of ["es", "zh-CN"] as const) {
  const unit = locale === "es" ? "words" : "characters";
  console.log(`\n${locale}: sentences | ${unit} per sentence | text id`);
  const lengths = sentenceLengths(locale);
  for (const r of lengths)
    console.log(`${String(r.sentences).padStart(3)} | ${r.lengths.join(", ").padEnd(18)} | ${r.id}`);
  const all = lengths.flatMap((r) => r.lengths);
  console.log(
    `${locale}: ${String(all.length)} sentences; ${unit} per sentence max ${String(Math.max(...all))}, median ${String(median(all))}; limit ${String(MAX_SENTENCE[locale])}.`,
  );
  for (const r of lengths)
    if (r.lengths.some((n) => n > MAX_SENTENCE[locale]))
      problems.push(`${locale} ${r.id} (${r.lengths.join(", ")})`);
}
if (problems.length > 0) {
  console.error(`\nToo hard: ${problems.join("; ")}`);
  process.exitCode = 1;
}
