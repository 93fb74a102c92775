import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Collapse from "@mui/material/Collapse";
import Typography from "@mui/material/Typography";
import { useId, useState, type ReactNode } from "react";
import { printHide } from "./a11y";
import { useLocale } from "./i18n/locale-context";
import { useT } from "./i18n/translate";
import { SectionErrorBoundary } from "./SectionErrorBoundary";

interface PanelSectionProps {
  title: string;
  /** Text after the title, e.g. a count ("3 results"). */
  titleNote?: string;
  children: ReactNode;
  /** Sections can be folded away in a narrow pane; the print view always expands them. */
  collapsible?: boolean;
  onRetry?: () => void;
}

/**
 * A titled region of the panel (an h2 and a `section` landmark labelled by it) with its own error boundary, so a
 * failure stays local. Folding keeps the content in the DOM so the print stylesheet can expand it.
 */
export function PanelSection({
  title,
  titleNote,
  children,
  collapsible = false,
  onRetry,
}: PanelSectionProps) {
  const id = useId();
  const headingId = `${id}-heading`;
  const bodyId = `${id}-body`;
  const [open, setOpen] = useState(true);
  const t = useT();
  const lowerTitle = title.toLocaleLowerCase(useLocale());
  return (
    <Box component="section" aria-labelledby={headingId} sx={{ mt: 2.5 }}>
      <Box sx={{ display: "flex", alignItems: "baseline", gap: 1, flexWrap: "wrap", mb: 1 }}>
        <Typography variant="h2" id={headingId}>
          {title}
          {titleNote ? " " : null}
          {titleNote ? (
            <Typography component="span" sx={{ fontWeight: 400, color: "text.secondary", ml: 0.5 }}>
              {titleNote}
            </Typography>
          ) : null}
        </Typography>
        {collapsible ? (
          <Button
            aria-expanded={open}
            aria-controls={bodyId}
            onClick={() => {
              setOpen((o) => !o);
            }}
            sx={{ ml: "auto" }}
            {...printHide}
          >
            {t(open ? "section.hide" : "section.show", { title: lowerTitle })}
          </Button>
        ) : null}
      </Box>
      <Collapse in={open} id={bodyId}>
        <SectionErrorBoundary name={title} onRetry={onRetry}>
          {children}
        </SectionErrorBoundary>
      </Collapse>
    </Box>
  );
}
