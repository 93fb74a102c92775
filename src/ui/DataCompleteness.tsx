import Alert from "@mui/material/Alert";
import AlertTitle from "@mui/material/AlertTitle";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Typography from "@mui/material/Typography";
import type { DataGap } from "../domain/types";
import { printHide } from "./a11y";
import { useLocale } from "./i18n/locale-context";
import { useT } from "./i18n/translate";

/** The loader's reason as a sentence, so the next sentence does not run on from it. */
function asSentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

function GapItems({ gaps, showEffect }: { gaps: readonly DataGap[]; showEffect: boolean }) {
  const t = useT();
  const locale = useLocale();
  return (
    <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
      {gaps.map((g, i) => {
        // A reason the FHIR layer wrote as a message is in the page's language (localizeAssessment rendered it), the
        // server's own words inside it as they came. One without (an old saved state) is English: on a page in
        // another language it is quoted and marked so; on an English page it needs no "(in English)".
        const inLocale = g.reasonText !== undefined || locale === "en";
        return (
          <li key={`${g.resourceType}-${String(i)}`} data-testid="data-gap">
            <strong>{t("gap.item", { type: g.resourceType, kind: t(`gap.${g.kind}`) })}</strong>
            {`. ${t(`gap.lead.${g.kind}`)} ${t(inLocale ? "gap.detailInLocale" : "gap.detail")} `}
            {inLocale ? (
              <span data-testid="gap-reason">{asSentence(g.reason)}</span>
            ) : (
              <q lang="en" data-testid="gap-reason">
                {asSentence(g.reason)}
              </q>
            )}
            {showEffect ? (g.affectsAssessment ? ` ${t("gap.affects")}` : ` ${t("gap.noEffect")}`) : null}
          </li>
        );
      })}
    </Box>
  );
}

interface DataGapAlertProps {
  gaps: readonly DataGap[];
  onRetry?: () => void;
}

/**
 * Shown above the status when something that could change it was not loaded: the status then rests only on what
 * the EHR returned, and the clinician must know before reading it.
 */
export function DataGapAlert({ gaps, onRetry }: DataGapAlertProps) {
  const t = useT();
  const loading = gaps.filter((g) => g.kind === "loading" && g.affectsAssessment);
  const failed = <DataGapFailedAlert gaps={gaps.filter((g) => g.kind !== "loading")} onRetry={onRetry} />;
  if (loading.length === 0) return failed;
  // Queries still running (issue 18.4): what has arrived is shown, the pending part is named, no retry yet.
  return (
    <>
      <Alert severity="info" role="status" data-testid="data-loading-alert" sx={{ mt: 1.5 }}>
        <AlertTitle>
          {t("gap.stillLoadingTitle", { types: loading.map((g) => g.resourceType).join(", ") })}
        </AlertTitle>
        {t("gap.stillLoadingText")}
      </Alert>
      {failed}
    </>
  );
}

function DataGapFailedAlert({ gaps, onRetry }: DataGapAlertProps) {
  const t = useT();
  const affecting = gaps.filter((g) => g.affectsAssessment);
  if (affecting.length === 0) return null;
  // Resources left out as not this patient's come back the same on a retry: the chart is where to look.
  const excludedOnly = affecting.every((g) => g.kind === "excluded");
  const retry = onRetry && !excludedOnly;
  return (
    <Alert
      severity="warning"
      role="note"
      data-testid="data-gap-alert"
      sx={{ mt: 1.5 }}
      action={
        retry ? (
          <Button color="inherit" onClick={onRetry} {...printHide}>
            {t("panel.retry")}
          </Button>
        ) : undefined
      }
    >
      <AlertTitle>{t("gap.incompleteTitle")}</AlertTitle>
      <GapItems gaps={affecting} showEffect={false} />
      <Typography sx={{ mt: 0.5, fontSize: "0.875rem" }}>
        {t(affecting.some((g) => g.kind === "excluded") ? "gap.restsOnLoadedExcluded" : "gap.restsOnLoaded")}{" "}
        {t(retry ? "gap.checkChartOrRetry" : "gap.checkChart")}
      </Typography>
    </Alert>
  );
}

interface DataCompletenessProps {
  gaps: readonly DataGap[];
  unreadableCount: number;
  sourceLabel?: string;
}

/** Everything that could not be loaded or read, and what that means for the result. */
export function DataCompleteness({ gaps, unreadableCount, sourceLabel }: DataCompletenessProps) {
  const t = useT();
  const loading = gaps.filter((g) => g.kind === "loading");
  const failed = gaps.filter((g) => g.kind !== "excluded" && g.kind !== "loading");
  const excluded = gaps.filter((g) => g.kind === "excluded");
  return (
    <Box data-testid="data-completeness">
      {loading.length > 0 ? (
        <Typography>
          {t("completeness.stillLoading", { types: loading.map((g) => g.resourceType).join(", ") })}
        </Typography>
      ) : null}
      {failed.length === 0 && loading.length > 0 ? null : failed.length === 0 ? (
        <Typography>
          {sourceLabel
            ? t("completeness.allLoadedFrom", { source: sourceLabel })
            : t("completeness.allLoaded")}
        </Typography>
      ) : (
        <>
          <Typography>
            {sourceLabel
              ? t("completeness.failedOn", { count: failed.length, source: sourceLabel })
              : t("completeness.failed", { count: failed.length })}
          </Typography>
          <GapItems gaps={failed} showEffect />
        </>
      )}
      {excluded.length > 0 ? (
        <>
          <Typography sx={{ mt: 0.5 }}>{t("completeness.excluded")}</Typography>
          <GapItems gaps={excluded} showEffect />
        </>
      ) : null}
      {unreadableCount > 0 ? (
        <Typography sx={{ mt: 0.5 }}>{t("completeness.unreadable", { count: unreadableCount })}</Typography>
      ) : null}
    </Box>
  );
}
