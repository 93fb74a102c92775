import Box from "@mui/material/Box";
import type { ReactNode } from "react";
import type { Tone } from "./theme";

interface ToneBadgeProps {
  tone: Tone;
  children: ReactNode;
  /** Larger badge for the status headline. */
  large?: boolean;
}

/** Words on a tinted background with a symbol, so the meaning never rests on colour alone. */
export function ToneBadge({ tone, children, large = false }: ToneBadgeProps) {
  return (
    <Box
      component="span"
      sx={{
        display: "inline-flex",
        alignItems: "center",
        gap: 0.75,
        px: large ? 1.25 : 0.75,
        py: large ? 0.5 : 0.125,
        border: "1px solid",
        borderColor: tone.fg,
        borderRadius: 1,
        color: tone.fg,
        bgcolor: tone.bg,
        fontWeight: 700,
        fontSize: large ? "1.25rem" : "0.8125rem",
        lineHeight: 1.3,
        whiteSpace: "nowrap",
        // Keep the tint when printing (browsers drop backgrounds by default); the border and words carry it anyway.
        printColorAdjust: "exact",
        WebkitPrintColorAdjust: "exact",
      }}
    >
      <Box component="span" aria-hidden="true" sx={{ minWidth: "1em", textAlign: "center" }}>
        {tone.symbol}
      </Box>
      <span>{children}</span>
    </Box>
  );
}
