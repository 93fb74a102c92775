import Box from "@mui/material/Box";
import Link from "@mui/material/Link";
import Typography from "@mui/material/Typography";
import { allCitations } from "../domain/citations";
import type { Assessment } from "../domain/types";
import { useT } from "./i18n/translate";

/** The DOI link of a citation the rules give by its text (or id); undefined for a source the table does not know. */
function citationUrl(citation: string): string | undefined {
  return allCitations().find((c) => c.text === citation || c.id === citation)?.url;
}

interface RecommendationProps {
  assessment: Assessment;
}

/** The guideline-based statement for this status and setting, with its sources, marked as decision support. */
export function Recommendation({ assessment }: RecommendationProps) {
  const { recommendation } = assessment;
  const t = useT();
  return (
    <Box
      sx={{
        p: 1.25,
        border: "1px solid",
        borderColor: "divider",
        borderRadius: 1,
        bgcolor: "background.paper",
        breakInside: "avoid",
      }}
    >
      <Typography sx={{ fontSize: "0.8125rem", fontWeight: 600, color: "text.secondary" }}>
        {t("recommendation.decisionSupport")}
      </Typography>
      <Typography sx={{ mt: 0.5 }}>{recommendation.text}</Typography>
      <Typography component="h3" sx={{ mt: 1, fontWeight: 600, fontSize: "0.9375rem" }}>
        {t("recommendation.sources")}
      </Typography>
      {recommendation.citations.length > 0 ? (
        <Box component="ol" sx={{ m: 0, pl: 2.5, fontSize: "0.875rem" }}>
          {recommendation.citations.map((c) => {
            const url = citationUrl(c);
            return (
              <li key={c}>
                {c}
                {url ? (
                  <>
                    {". "}
                    {/* The address is shown, not hidden behind words, so it survives on the printed page. */}
                    <Link href={url} target="_blank" rel="noreferrer">
                      {url.replace(/^https:\/\//, "")}
                    </Link>
                  </>
                ) : null}
              </li>
            );
          })}
        </Box>
      ) : (
        <Typography sx={{ fontSize: "0.875rem" }}>{assessment.guideline}</Typography>
      )}
      <Typography sx={{ mt: 0.75, fontSize: "0.8125rem", color: "text.secondary" }}>
        {t("recommendation.guideline", { guideline: assessment.guideline, version: assessment.rulesVersion })}
      </Typography>
    </Box>
  );
}
