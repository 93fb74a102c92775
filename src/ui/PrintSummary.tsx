import { allCitations } from "../domain/citations";
import type { Assessment, DataGap, EvidenceItem } from "../domain/types";
import { printOnly } from "./a11y";
import { sortFlags } from "./evidence";
import { DeferredMessages } from "./deferred/DeferredMessages";
import { deferredEnglishT } from "./deferred/english";
import { type Translate, useAssessedLine, useDisplayDate, useT } from "./i18n/translate";
import { statusMeaningOf } from "./labels";

/**
 * Clinical words only on paper: a FHIR reference (`Observation/abc`) becomes words in the page's language (`t`; the
 * references are the same in every locale's rules texts), UCUM annotations lose their braces (`{copies}/{nucleus}`
 * reads "copies/nucleus"). The screen keeps the detail one click away.
 */
export function paperText(text: string, t: Translate = deferredEnglishT): string {
  return text
    .replace(/\bSpecimen\/[\w.-]+/g, () => t("print.ref.specimen"))
    .replace(/\b(?:Observation|DiagnosticReport)\/[\w.-]+/g, () => t("print.ref.result"))
    .replace(/\b(?:Condition|Procedure)\/[\w.-]+/g, () => t("print.ref.diagnosis"))
    .replace(/\bMedication(?:Request|Statement|Administration)?\/[\w.-]+/g, () => t("print.ref.medication"))
    .replace(/\b[A-Z][A-Za-z]+\/[A-Za-z0-9][\w.-]*\b/g, () => t("print.ref.other"))
    .replace(/[{}]/g, "");
}

const GAP_WORDS = {
  Observation: "print.what.Observation",
  DiagnosticReport: "print.what.DiagnosticReport",
  Condition: "print.what.Condition",
  Specimen: "print.what.Specimen",
} as const;

function gapWords(gap: DataGap, t: Translate): string {
  const what = gap.resourceType.startsWith("Medication")
    ? "print.what.Medication"
    : gap.resourceType in GAP_WORDS
      ? GAP_WORDS[gap.resourceType as keyof typeof GAP_WORDS]
      : "print.what.other";
  const how =
    gap.kind === "denied" || gap.kind === "timeout" || gap.kind === "excluded"
      ? (`print.how.${gap.kind}` as const)
      : "print.how.other";
  return t("print.gap", { what: t(what), how: t(how) });
}

type Where = Pick<EvidenceItem, "specimen" | "specimenLabel" | "bodySite">;

/** The specimen's label (never its resource id) and the site in plain words ("Liver structure" reads "liver"). */
function specimenWords(e: Where): string | undefined {
  const name = e.specimenLabel ?? (e.specimen && !e.specimen.includes("/") ? e.specimen : undefined);
  const site = e.bodySite?.replace(/ structure$/i, "").toLowerCase();
  return [name, site].filter(Boolean).join(", ") || undefined;
}

const cell = {
  border: "1px solid #999",
  padding: "1px 4px",
  textAlign: "left",
  verticalAlign: "top",
} as const;

/**
 * The chart copy (issue 18.8): one page with the status, the next steps, the evidence table, the recommendation and
 * its sources, in clinical words; no resource ids, element names or codes. Shown only when printing; the screen
 * panel is hidden then (Her2Panel's print stylesheet).
 */
export function PrintSummary(props: { assessment: Assessment; sourceLabel?: string }) {
  return (
    <DeferredMessages>
      <PrintSummaryBody {...props} />
    </DeferredMessages>
  );
}

function PrintSummaryBody({ assessment, sourceLabel }: { assessment: Assessment; sourceLabel?: string }) {
  const flags = sortFlags(assessment.flags);
  const cited = new Set([
    ...assessment.recommendation.citations,
    ...flags.flatMap((f) => f.references ?? []),
  ]);
  const citations = allCitations().filter((c) => cited.has(c.text));
  const affecting = assessment.dataGaps.filter((g) => g.affectsAssessment);
  const basis = assessment.basis ? specimenWords(assessment.basis) : undefined;
  // The reason usually names the specimen already; say it once.
  const basisNamed = assessment.statusReason.includes(assessment.basis?.specimenLabel ?? "\u0000");
  const t = useT();
  const displayDate = useDisplayDate();
  const assessedLine = useAssessedLine();
  const columns = [
    t("print.col.date"),
    t("print.col.test"),
    t("print.col.result"),
    t("print.col.readAs"),
    t("print.col.specimen"),
    t("print.col.used"),
  ];
  return (
    <section
      {...printOnly}
      data-print-summary=""
      data-testid="print-summary"
      style={{ fontSize: "9.5pt", lineHeight: 1.3 }}
    >
      <h2 style={{ fontSize: "13pt", margin: "4pt 0" }}>
        {t(`status.${assessment.status}`)}
        {assessment.category !== "unknown" && assessment.category !== "her2-positive"
          ? ` · ${t(`category.${assessment.category}`)}`
          : ""}{" "}
        · {t(`setting.${assessment.setting}`)}
      </h2>
      <p style={{ margin: "2pt 0" }}>
        {statusMeaningOf(assessment, t)}
        {basis && !basisNamed ? ` ${t("print.basedOn", { basis })}` : ""}{" "}
        {paperText(assessment.statusReason, t)}
      </p>
      {affecting.length > 0 ? (
        <p style={{ margin: "2pt 0", fontWeight: 600 }}>
          {t("print.incomplete", { gaps: affecting.map((g) => gapWords(g, t)).join("; ") })}
        </p>
      ) : null}
      <h3 style={{ fontSize: "10.5pt", margin: "6pt 0 2pt" }}>{t("print.nextSteps")}</h3>
      {flags.length === 0 ? (
        <p style={{ margin: 0 }}>{t("print.noFlags")}</p>
      ) : (
        <ol style={{ margin: 0, paddingLeft: "14pt" }}>
          {flags.map((f, i) => (
            <li key={String(i)}>
              <strong>{t(`flag.${f.code}`)}</strong>
              {`: ${paperText(f.action ?? f.message, t)}`}
            </li>
          ))}
        </ol>
      )}
      <h3 style={{ fontSize: "10.5pt", margin: "6pt 0 2pt" }}>
        {t("print.results", { count: assessment.evidence.length })}
      </h3>
      <table style={{ borderCollapse: "collapse", width: "100%", fontSize: "8.5pt" }}>
        <thead>
          <tr>
            {columns.map((h) => (
              <th key={h} style={cell}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {assessment.evidence.map((e, i) => (
            <tr key={String(i)}>
              <td style={cell}>{displayDate(e.date)}</td>
              <td style={cell}>{t(`method.${e.method}`)}</td>
              <td style={cell}>{paperText(e.value, t)}</td>
              <td style={cell}>{paperText(e.interpretation ?? e.readAs ?? "", t)}</td>
              <td style={cell}>{specimenWords(e) ?? t("print.notRecorded")}</td>
              <td style={cell}>
                {e.used
                  ? t("print.yes")
                  : e.notUsedReason
                    ? t("print.noBecause", { reason: paperText(e.notUsedReason, t) })
                    : t("print.no")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3 style={{ fontSize: "10.5pt", margin: "6pt 0 2pt" }}>{t("print.recommendation")}</h3>
      <p style={{ margin: 0 }}>{assessment.recommendation.text}</p>
      <h3 style={{ fontSize: "10.5pt", margin: "6pt 0 2pt" }}>{t("recommendation.sources")}</h3>
      <ol style={{ margin: 0, paddingLeft: "14pt", fontSize: "8pt" }}>
        {citations.map((c) => (
          <li key={c.id}>
            {c.text}
            {c.url ? `. ${c.url.replace(/^https:\/\//, "")}` : ""}
          </li>
        ))}
      </ol>
      <p style={{ margin: "4pt 0 0", fontSize: "8pt" }}>{assessedLine("print", assessment, sourceLabel)}</p>
    </section>
  );
}
