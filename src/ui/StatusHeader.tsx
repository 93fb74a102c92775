import Box from "@mui/material/Box";
import Typography from "@mui/material/Typography";
import type { ReactNode } from "react";
import type { Assessment, Flag } from "../domain/types";
import { clinicalText, siteLabel } from "./clinical-text";
import type { Locale } from "../i18n/locales";
import { useLocale } from "./i18n/locale-context";
import { type Translate, useDisplayDate, useT } from "./i18n/translate";
import { sortFlags } from "./evidence";
import { categoryMeaningOf, restsOnTextOnly, statusMeaningOf } from "./labels";
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
function basisText(
  basis: Assessment["basis"],
  t: Translate,
  displayDate: (iso: string | undefined) => string,
): string {
  if (!basis) return t("basis.none");
  const specimen = basis.specimenLabel ?? basis.specimen;
  const parts = [specimen ? t("basis.specimen", { specimen }) : t("basis.noSpecimen")];
  if (basis.bodySite) parts.push(siteLabel(basis.bodySite));
  if (basis.date)
    parts.push(t(basis.collected ? "basis.collected" : "basis.tested", { date: displayDate(basis.date) }));
  else parts.push(t("date.notRecorded"));
  return parts.join(", ");
}

/**
 * How each locale's rules catalog opens `status.based-on` + `status.basis` (src/domain/messages/): "Based on the most
 * recent conclusive specimen, <specimen> (<site>, <date>): <reason>." and its Spanish and Chinese forms. Group 1 is
 * the reason, group 2 what follows it.
 */
const BASED_ON: Readonly<Record<Locale, RegExp>> = {
  en: /^Based on the most recent conclusive specimen, [^:]*?\([^)]*\): (.+?)\.(?=\s|$)(.*)$/s,
  es: /^Según la muestra concluyente más reciente, [^:]*?\([^)]*\): (.+?)\.(?=\s|$)(.*)$/s,
  "zh-CN": /^依据最近的明确标本，[^：]*?[（(][^）)]*[）)]：(.+?)。(.*)$/s,
};

/**
 * The reason in the patient's own facts, without restating the specimen the "Based on" line names: "Based on the most
 * recent conclusive specimen, specimen S-1 (Liver structure, 2024-01-20): IHC 3+ is positive." reads "IHC 3+ is
 * positive, on the most recent conclusive specimen." (issue 18.1, 18.3), in each locale.
 */
function whyText(
  assessment: Assessment,
  t: Translate,
  locale: Locale,
  displayDate: (iso: string | undefined) => string,
): string {
  const reason = clinicalText(assessment.statusReason, assessment.evidence, t, displayDate);
  const m = BASED_ON[locale].exec(reason);
  if (!assessment.basis || !m?.[1]) return reason;
  const first = `${m[1].charAt(0).toUpperCase()}${m[1].slice(1)}`;
  return `${t("header.whyOnRecent", { reason: first })}${m[2] ?? ""}`;
}

/**
 * The single most urgent next step: the first flag (the rules sort them most urgent first) that names one. Shown in
 * the status box, so at 360 px the clinician sees the status and what to do without scrolling (issue 18.1).
 */
function NextStep({ flags, evidence }: { flags: readonly Flag[]; evidence: Assessment["evidence"] }) {
  const t = useT();
  const displayDate = useDisplayDate();
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
        {t("header.nextStep", {
          severity: t(`severity.${first.severity}`).toLowerCase(),
          title: t(`flag.${first.code}`),
        })}
      </Typography>
      <Typography>{clinicalText(first.action, evidence, t, displayDate)}</Typography>
      {others > 0 ? (
        <Typography sx={{ fontSize: "0.875rem" }}>{t("header.moreFlags", { count: others })}</Typography>
      ) : null}
    </Box>
  );
}

/**
 * Each tumour's own status when the patient has more than one (bilateral primaries): shown side by side, so the
 * top-level status is never read as the other tumour's.
 */
function TumourList({ tumours }: { tumours: NonNullable<Assessment["tumours"]> }) {
  const t = useT();
  const displayDate = useDisplayDate();
  return (
    <Box component="ul" data-testid="tumour-list" sx={{ m: 0, pl: 2.5 }}>
      {tumours.map((tumour) => (
        <li key={tumour.tumour}>
          <Box component="span" sx={{ fontWeight: 600, textTransform: "capitalize" }}>
            {tumour.tumour}
          </Box>
          {": "}
          <ToneBadge tone={statusTone[tumour.status]}>{t(`status.${tumour.status}`)}</ToneBadge>{" "}
          {t(`category.${tumour.category}`)} ({basisText(tumour.basis, t, displayDate)})
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
  const t = useT();
  const locale = useLocale();
  const displayDate = useDisplayDate();
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
            {t(`status.${assessment.status}`)}
          </ToneBadge>
        </Typography>
        {assessment.category !== "unknown" && assessment.category !== "her2-positive" ? (
          <Typography component="p" sx={{ fontSize: "1.125rem", fontWeight: 600 }}>
            {t(`category.${assessment.category}`)}
          </Typography>
        ) : null}
      </Box>
      <Typography sx={{ mt: 0.75 }}>{statusMeaningOf(assessment, t)}</Typography>
      {restsOnTextOnly(assessment) ? (
        <Typography data-testid="text-only-basis" sx={{ mt: 0.5, fontWeight: 600 }}>
          {t("header.textOnly")}
        </Typography>
      ) : null}
      <NextStep flags={assessment.flags} evidence={assessment.evidence} />
      <Box component="dl" sx={{ m: 0, mt: 1 }}>
        <Row term={t("header.why")}>{whyText(assessment, t, locale, displayDate)}</Row>
        <Row term={t("header.basedOn")}>{basisText(assessment.basis, t, displayDate)}</Row>
        {assessment.tumours && assessment.tumours.length > 1 ? (
          <Row term={t("header.tumours")}>
            <TumourList tumours={assessment.tumours} />
          </Row>
        ) : null}
        <Row term={t("header.setting")}>{t(`setting.${assessment.setting}`)}</Row>
        <Row term={t("header.category")}>
          {t("header.categoryLine", {
            label: t(`category.${assessment.category}`),
            meaning: categoryMeaningOf(assessment, t),
          })}
        </Row>
      </Box>
    </Box>
  );
}
