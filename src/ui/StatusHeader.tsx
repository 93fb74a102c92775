import Box from "@mui/material/Box";
import Typography from "@mui/material/Typography";
import type { ReactNode } from "react";
import type { Assessment } from "../domain/types";
import { displayDate } from "./dates";
import {
  categoryLabel,
  categoryMeaningOf,
  restsOnTextOnly,
  settingLabel,
  statusLabel,
  statusMeaningOf,
} from "./labels";
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

/** Words for the specimen and date the status rests on. */
function basisText(basis: Assessment["basis"]): string {
  if (!basis) return "No conclusive specimen.";
  const specimen = basis.specimenLabel ?? basis.specimen;
  const parts = [specimen ? `Specimen ${specimen}` : "Specimen not recorded"];
  if (basis.bodySite) parts.push(basis.bodySite);
  // The rules date the basis by collection when they know it, else by the test date: say neither, show the date.
  parts.push(displayDate(basis.date));
  return parts.join(", ");
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
      <Box component="dl" sx={{ m: 0, mt: 1 }}>
        <Row term="Category">
          {categoryLabel[assessment.category]}: {categoryMeaningOf(assessment)}
        </Row>
        <Row term="Based on">{basisText(assessment.basis)}</Row>
        {assessment.tumours && assessment.tumours.length > 1 ? (
          <Row term="Tumours">
            <TumourList tumours={assessment.tumours} />
          </Row>
        ) : null}
        <Row term="Setting">{settingLabel[assessment.setting]}</Row>
        <Row term="Why">{assessment.statusReason}</Row>
      </Box>
    </Box>
  );
}
