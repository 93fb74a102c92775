import Box from "@mui/material/Box";
import Typography from "@mui/material/Typography";
import type { ReactNode } from "react";
import type { Assessment, Flag } from "../domain/types";
import { clinicalText, siteLabel } from "./clinical-text";
import { displayDate } from "./dates";
import { sortFlags } from "./evidence";
import {
  categoryLabel,
  categoryMeaningOf,
  flagTitle,
  restsOnTextOnly,
  settingLabel,
  severityLabel,
  statusLabel,
  statusMeaningOf,
} from "./labels";
import { severityTone } from "./theme";
import { statusTone } from "./theme";
import { ToneBadge } from "./ToneBadge";

interface StatusHeaderProps {
  assessment: Assessment;
}

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <Box sx={{ display: "flex", flexWrap: "wrap", columnGap: 1, py: 0.25 }}>
      <Box component="dt" sx={{ fontWeight: 600, minWidth: "6.5rem" }}>
        {term}
      </Box>
      <Box component="dd" sx={{ m: 0, flex: "1 1 14rem" }}>
        {children}
      </Box>
    </Box>
  );
}

/**
 * Words for the specimen and date the status rests on. The date is labelled: the collection date when a record gives
 * it, else the date of the latest test on the specimen (issue 18.3).
 */
function basisText(basis: Assessment["basis"]): string {
  if (!basis) return "No conclusive specimen.";
  const specimen = basis.specimenLabel ?? basis.specimen;
  const parts = [specimen ? `Specimen ${specimen}` : "Specimen not recorded"];
  if (basis.bodySite) parts.push(siteLabel(basis.bodySite));
  if (basis.date) parts.push(`${basis.collected ? "collected" : "tested"} ${displayDate(basis.date)}`);
  else parts.push("date not recorded");
  return parts.join(", ");
}

/**
 * The reason in the patient's own facts, without restating the specimen the "Based on" line names: "Based on the most
 * recent conclusive specimen, specimen S-1 (Liver structure, 2024-01-20): IHC 3+ is positive." reads "IHC 3+ is
 * positive, on the most recent conclusive specimen." (issue 18.1, 18.3).
 */
function whyText(assessment: Assessment): string {
  const reason = clinicalText(assessment.statusReason, assessment.evidence);
  const m = /^Based on the most recent conclusive specimen, [^:]*?\([^)]*\): (.+?)\.(?=\s|$)(.*)$/s.exec(
    reason,
  );
  if (!assessment.basis || !m?.[1]) return reason;
  return `${m[1].charAt(0).toUpperCase()}${m[1].slice(1)}, on the most recent conclusive specimen.${m[2] ?? ""}`;
}

/**
 * The single most urgent next step: the first flag (the rules sort them most urgent first) that names one. Shown in
 * the status box, so at 360 px the clinician sees the status and what to do without scrolling (issue 18.1).
 */
function NextStep({ flags, evidence }: { flags: readonly Flag[]; evidence: Assessment["evidence"] }) {
  const first = sortFlags(flags).find((f) => f.action);
  if (!first?.action) return null;
  const tone = severityTone[first.severity];
  const others = flags.length - 1;
  return (
    <Box
      data-testid="first-next-step"
      sx={{
        mt: 1,
        p: 1,
        borderRadius: 1,
        bgcolor: tone.bg,
        color: tone.fg,
        border: "1px solid",
        borderColor: tone.fg,
      }}
    >
      <Typography sx={{ fontWeight: 700 }}>
        Next step ({severityLabel[first.severity].toLowerCase()}: {flagTitle[first.code]})
      </Typography>
      <Typography>{clinicalText(first.action, evidence)}</Typography>
      {others > 0 ? (
        <Typography sx={{ fontSize: "0.875rem" }}>
          {others} more flag{others === 1 ? "" : "s"} below.
        </Typography>
      ) : null}
    </Box>
  );
}

/**
 * Each tumour's own status when the patient has more than one (bilateral primaries): shown side by side, so the
 * top-level status is never read as the other tumour's.
 */
function TumourList({ tumours }: { tumours: NonNullable<Assessment["tumours"]> }) {
  return (
    <Box component="ul" data-testid="tumour-list" sx={{ m: 0, pl: 2.5 }}>
      {tumours.map((t) => (
        <li key={t.tumour}>
          <Box component="span" sx={{ fontWeight: 600, textTransform: "capitalize" }}>
            {t.tumour}
          </Box>
          {": "}
          <ToneBadge tone={statusTone[t.status]}>{statusLabel[t.status]}</ToneBadge>{" "}
          {categoryLabel[t.category]} ({basisText(t.basis)})
        </li>
      ))}
    </Box>
  );
}

/**
 * The one-glance answer: HER2 status in words with a symbol and colour, the category, the specimen and date it rests
 * on, the disease setting and the reason the rules give.
 */
export function StatusHeader({ assessment }: StatusHeaderProps) {
  const tone = statusTone[assessment.status];
  return (
    <Box
      data-testid="status-header"
      sx={{
        mt: 1.5,
        p: 1.5,
        bgcolor: "background.paper",
        border: "1px solid",
        borderColor: "divider",
        borderLeft: "6px solid",
        borderLeftColor: tone.fg,
        borderRadius: 1,
        breakInside: "avoid",
      }}
    >
      <Box sx={{ display: "flex", flexWrap: "wrap", alignItems: "center", gap: 1 }}>
        <Typography component="p" sx={{ m: 0 }}>
          <ToneBadge tone={tone} large>
            {statusLabel[assessment.status]}
          </ToneBadge>
        </Typography>
        {assessment.category !== "unknown" && assessment.category !== "her2-positive" ? (
          <Typography component="p" sx={{ fontSize: "1.125rem", fontWeight: 600 }}>
            {categoryLabel[assessment.category]}
          </Typography>
        ) : null}
      </Box>
      <Typography sx={{ mt: 0.75 }}>{statusMeaningOf(assessment)}</Typography>
      {restsOnTextOnly(assessment) ? (
        <Typography data-testid="text-only-basis" sx={{ mt: 0.5, fontWeight: 600 }}>
          Read from the report&apos;s words only: the result&apos;s code is not a recognised HER2 code and no
          score is given. Check the pathology report before relying on this status.
        </Typography>
      ) : null}
      <NextStep flags={assessment.flags} evidence={assessment.evidence} />
      <Box component="dl" sx={{ m: 0, mt: 1 }}>
        <Row term="Why">{whyText(assessment)}</Row>
        <Row term="Based on">{basisText(assessment.basis)}</Row>
        {assessment.tumours && assessment.tumours.length > 1 ? (
          <Row term="Tumours">
            <TumourList tumours={assessment.tumours} />
          </Row>
        ) : null}
        <Row term="Setting">{settingLabel[assessment.setting]}</Row>
        <Row term="Category">
          {categoryLabel[assessment.category]}: {categoryMeaningOf(assessment)}
        </Row>
      </Box>
    </Box>
  );
}
