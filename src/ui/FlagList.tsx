import Box from "@mui/material/Box";
import Typography from "@mui/material/Typography";
import type { DataGap, EvidenceItem, Flag, ResourceRef } from "../domain/types";
import { clinicalText, labelIshValue } from "./clinical-text";
import { describeEvidence, resolveRefs, sortFlags } from "./evidence";
import { useDisplayDate, useT } from "./i18n/translate";
import { SourceButton } from "./SourceButton";
import { severityTone } from "./theme";
import { ToneBadge } from "./ToneBadge";

interface FlagListProps {
  flags: readonly Flag[];
  evidence: readonly EvidenceItem[];
  /** Returns the JSON-viewer opener for a reference, or undefined when its source was not loaded. */
  sourceOpener: (reference: ResourceRef) => ((reference: ResourceRef) => void) | undefined;
  /** What did not load: with a gap that matters, an empty list never reads as "nothing needs follow-up". */
  gaps?: readonly DataGap[];
}

/** One row per flag, most urgent first: what is wrong, which result it concerns, and the suggested next step. */
export function FlagList({ flags, evidence, sourceOpener, gaps = [] }: FlagListProps) {
  const t = useT();
  const displayDate = useDisplayDate();
  if (flags.length === 0 && gaps.some((g) => g.affectsAssessment)) {
    return <Typography data-testid="no-flags">{t("flags.noneWithGaps")}</Typography>;
  }
  if (flags.length === 0) {
    return <Typography data-testid="no-flags">{t("flags.none")}</Typography>;
  }
  return (
    <Box component="ul" sx={{ listStyle: "none", m: 0, p: 0, display: "grid", gap: 1 }}>
      {sortFlags(flags).map((flag, i) => {
        const tone = severityTone[flag.severity];
        const concerns = resolveRefs(flag.evidence, evidence);
        // A check a failed query kept from being made (issue 18.4): "Not checked", never shown as raised.
        const notChecked = flag.state === "not-checked";
        return (
          <Box
            component="li"
            key={`${flag.code}-${String(i)}`}
            data-flag-code={flag.code}
            data-flag-state={flag.state}
            sx={{
              p: 1.25,
              border: "1px solid",
              borderColor: "divider",
              borderLeft: "4px solid",
              borderLeftColor: tone.fg,
              borderRadius: 1,
              bgcolor: "background.paper",
              breakInside: "avoid",
            }}
          >
            <Box sx={{ display: "flex", flexWrap: "wrap", alignItems: "center", gap: 1 }}>
              <ToneBadge tone={tone}>
                {notChecked ? t("flags.notChecked") : t(`severity.${flag.severity}`)}
              </ToneBadge>
              <Typography component="h3" sx={{ fontWeight: 600, fontSize: "1rem" }}>
                {t(`flag.${flag.code}`)}
              </Typography>
            </Box>
            <Typography sx={{ mt: 0.5 }}>{clinicalText(flag.message, evidence, t, displayDate)}</Typography>
            {concerns.length > 0 ? (
              <Box sx={{ mt: 0.5 }}>
                <Typography component="span" sx={{ fontWeight: 600 }}>
                  {t("flags.concerns")}{" "}
                </Typography>
                <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
                  {concerns.map(({ ref, item }, i) => (
                    <li key={`${ref}-${String(i)}`}>
                      {item
                        ? labelIshValue(describeEvidence(item, t, displayDate))
                        : clinicalText(ref, evidence, t, displayDate)}{" "}
                      <SourceButton reference={ref} onShow={sourceOpener(ref)} />
                    </li>
                  ))}
                </Box>
              </Box>
            ) : null}
            {flag.action ? (
              <Typography sx={{ mt: 0.5 }}>
                <Box component="span" sx={{ fontWeight: 600 }}>
                  {t("flags.nextStep")}{" "}
                </Box>
                {clinicalText(flag.action, evidence, t, displayDate)}
              </Typography>
            ) : null}
          </Box>
        );
      })}
    </Box>
  );
}
