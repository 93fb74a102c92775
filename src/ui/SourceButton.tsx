import Button from "@mui/material/Button";
import type { ResourceRef } from "../domain/types";
import { printHide } from "./a11y";
import { useT } from "./i18n/translate";

interface SourceButtonProps {
  reference: ResourceRef;
  /** Opens the JSON viewer; absent when the source resource was not loaded into the panel. */
  onShow?: (reference: ResourceRef) => void;
}

/**
 * "Source JSON" for chart review. Its accessible name starts with the visible words and adds the reference, so
 * speech input users can say what they see and screen-reader users know which result it opens.
 */
export function SourceButton({ reference, onShow }: SourceButtonProps) {
  const t = useT();
  if (!onShow) return null;
  return (
    <Button
      variant="text"
      aria-label={t("source.label", { reference })}
      onClick={() => {
        onShow(reference);
      }}
      sx={{ minWidth: 0, px: 0.75, py: 0, whiteSpace: "nowrap" }}
      {...printHide}
    >
      {t("source.button")}
    </Button>
  );
}
