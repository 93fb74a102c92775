import Button from "@mui/material/Button";
import Dialog from "@mui/material/Dialog";
import DialogActions from "@mui/material/DialogActions";
import DialogContent from "@mui/material/DialogContent";
import DialogTitle from "@mui/material/DialogTitle";
import { useTheme } from "@mui/material/styles";
import Typography from "@mui/material/Typography";
import useMediaQuery from "@mui/material/useMediaQuery";
import { useId, useState } from "react";
import { monoFontStack } from "./theme";

import { useT } from "./i18n/translate";
interface SourceJsonDialogProps {
  /** The resource shown, e.g. `Observation/ihc-1`; null when closed. */
  reference: string | null;
  resource: unknown;
  onClose: () => void;
}

/**
 * The source FHIR resource as JSON, for chart review. Copy uses the clipboard because downloads do not work in an
 * embedded Epic browser. Escape and the Close button both close it (MUI Dialog traps and restores focus).
 */
export function SourceJsonDialog({ reference, resource, onClose }: SourceJsonDialogProps) {
  const titleId = useId();
  const t = useT();
  // In the EHR's narrow sidebar the JSON needs every pixel: full screen below the small breakpoint.
  const narrow = useMediaQuery(useTheme().breakpoints.down("sm"));
  const [copied, setCopied] = useState<string | null>(null);
  const json = reference ? JSON.stringify(resource, null, 2) : "";
  const copy = (): void => {
    const target = reference;
    void navigator.clipboard.writeText(json).then(
      () => {
        setCopied(target);
      },
      () => {
        setCopied(null);
      },
    );
  };
  return (
    <Dialog
      open={reference !== null}
      onClose={onClose}
      aria-labelledby={titleId}
      maxWidth="md"
      fullScreen={narrow}
      fullWidth
      scroll="paper"
    >
      <DialogTitle id={titleId} sx={{ fontSize: "1.0625rem", wordBreak: "break-all" }}>
        {t("json.title", { reference: reference ?? "" })}
      </DialogTitle>
      <DialogContent dividers>
        <Typography
          component="pre"
          data-testid="source-json"
          tabIndex={0}
          aria-label={t("json.label", { reference: reference ?? "" })}
          sx={{
            m: 0,
            fontFamily: monoFontStack,
            fontSize: "0.8125rem",
            whiteSpace: "pre-wrap",
            wordBreak: "break-word",
          }}
        >
          {json}
        </Typography>
      </DialogContent>
      <DialogActions>
        <Typography role="status" sx={{ mr: "auto", fontSize: "0.875rem" }}>
          {copied !== null && copied === reference ? t("json.copied") : ""}
        </Typography>
        {typeof navigator !== "undefined" && "clipboard" in navigator ? (
          <Button onClick={copy}>{t("json.copy")}</Button>
        ) : null}
        <Button onClick={onClose} variant="contained">
          {t("json.close")}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
