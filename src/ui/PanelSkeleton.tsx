import Box from "@mui/material/Box";
import Skeleton from "@mui/material/Skeleton";
import { visuallyHidden } from "./a11y";
import { useT } from "./i18n/translate";

/** Placeholder shapes of the panel while the FHIR queries run, announced once as a status. */
export function PanelSkeleton() {
  const t = useT();
  return (
    <Box aria-busy="true" data-testid="panel-skeleton" sx={{ mt: 1.5 }}>
      <span role="status" style={visuallyHidden}>
        {t("panel.loading")}
      </span>
      <Box aria-hidden="true">
        <Skeleton variant="rounded" height={112} />
        <Skeleton variant="text" width="30%" sx={{ mt: 2, fontSize: "1.25rem" }} />
        <Skeleton variant="rounded" height={64} />
        <Skeleton variant="text" width="40%" sx={{ mt: 2, fontSize: "1.25rem" }} />
        <Skeleton variant="rounded" height={96} />
      </Box>
    </Box>
  );
}
