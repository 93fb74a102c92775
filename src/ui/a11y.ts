/** Accessibility helpers shared by the panel's components. */
import type { CSSProperties } from "react";

/** Hides content visually while keeping it for screen readers (the usual clip pattern). */
export const visuallyHidden: CSSProperties = {
  border: 0,
  clipPath: "inset(50%)",
  height: 1,
  margin: -1,
  overflow: "hidden",
  padding: 0,
  position: "absolute",
  whiteSpace: "nowrap",
  width: 1,
};

/**
 * Print markers: the panel's print stylesheet hides elements marked `hide` (buttons, toggles) and shows elements
 * marked `only` (the patient line when the EHR shows its own banner on screen).
 */
export const printHide = { "data-print": "hide" } as const;
export const printOnly = { "data-print": "only" } as const;
