/** `npm run check:readability`: the reading level of every patient-page text (issue 15.2); exits 1 above grade 8. */
import { patientTextLevels } from "./readability";

const MAX_GRADE = 8;
const rows = patientTextLevels();
console.log("Flesch-Kincaid grade | reading ease | consensus grade | text id");
for (const r of rows)
  console.log(
    `${r.fleschKincaid.toFixed(1).padStart(6)} | ${r.readingEase.toFixed(1).padStart(6)} | ${String(r.consensus).padStart(3)} | ${r.id}`,
  );
const over = rows.filter((r) => r.fleschKincaid > MAX_GRADE);
const max = Math.max(...rows.map((r) => r.fleschKincaid));
console.log(
  `\n${String(rows.length - 1)} texts; highest Flesch-Kincaid grade ${max.toFixed(1)}; limit ${String(MAX_GRADE)}.`,
);
if (over.length > 0) {
  console.error(`Above grade ${String(MAX_GRADE)}: ${over.map((r) => r.id).join(", ")}`);
  process.exitCode = 1;
}
