/**
 * A quiet light theme that sits inside an EHR: system fonts only (nothing downloaded), compact controls, and colours
 * chosen for WCAG 2.1 AA (every text / background pair below is at least 4.5:1; test/ui/theme.test.ts checks it).
 */
import { createTheme } from "@mui/material/styles";
import type { FlagSeverity, Her2Status } from "../domain/types";

/** The operating system's UI font; no web font is loaded. */
export const systemFontStack =
  'system-ui, -apple-system, "Segoe UI", "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif';

/** Monospace stack for the source JSON. */
export const monoFontStack = 'ui-monospace, "Cascadia Mono", Consolas, "Liberation Mono", Menlo, monospace';

/** A coloured badge that never relies on colour alone: it carries a symbol and words too. */
export interface Tone {
  /** Text and border colour. */
  fg: string;
  /** Background colour. */
  bg: string;
  /** A text symbol shown beside the words (decorative: hidden from screen readers). */
  symbol: string;
}

/** Status colours. Categorical, not "good / bad": positive is a finding that opens treatment options. */
export const statusTone: Record<Her2Status, Tone> = {
  positive: { fg: "#6e1240", bg: "#fbeaf1", symbol: "+" },
  negative: { fg: "#1d4a73", bg: "#e9f1f9", symbol: "−" },
  equivocal: { fg: "#6a4300", bg: "#fff3d6", symbol: "?" },
  indeterminate: { fg: "#6a4300", bg: "#fff3d6", symbol: "!" },
  "no-result": { fg: "#3b4450", bg: "#eef0f3", symbol: "∅" },
};

export const severityTone: Record<FlagSeverity, Tone> = {
  action: { fg: "#8c1d18", bg: "#fdecea", symbol: "▲" },
  warning: { fg: "#6a4300", bg: "#fff3d6", symbol: "!" },
  info: { fg: "#1d4a73", bg: "#e9f1f9", symbol: "i" },
};

/** Colours of the timeline marks (on the white paper background). */
export const timelineColour = {
  axis: "#5c6670",
  test: "#1d5a8f",
  testNotUsed: "#5c6670",
  event: "#8c1d18",
  therapy: "#2e6b30",
  asOf: "#3b4450",
} as const;

/** The focus ring: dark blue, 3 px, contrast above 3:1 on the white and grey backgrounds and on the tone colours. */
const FOCUS_RING = "#0b57d0";

/** The theme the panel renders with; the app shell wraps the panel in `<ThemeProvider theme={her2Theme}>`. */
export const her2Theme = createTheme({
  palette: {
    mode: "light",
    primary: { main: "#1d5a8f" },
    secondary: { main: "#4a5561" },
    error: { main: "#b3261e" },
    warning: { main: "#8a5300" },
    info: { main: "#1d5a8f" },
    success: { main: "#2e6b30" },
    background: { default: "#f6f7f9", paper: "#ffffff" },
    text: { primary: "#1c2127", secondary: "#4a5561" },
    divider: "#d5d9de",
  },
  typography: {
    fontFamily: systemFontStack,
    fontSize: 14,
    h1: { fontSize: "1.375rem", fontWeight: 600, lineHeight: 1.3 },
    h2: { fontSize: "1.125rem", fontWeight: 600, lineHeight: 1.35 },
    h3: { fontSize: "1rem", fontWeight: 600, lineHeight: 1.4 },
    button: { textTransform: "none", fontWeight: 600 },
  },
  shape: { borderRadius: 4 },
  components: {
    // WCAG 2.4.7: a visible focus outline on every control, at once (MUI's focus ripple fades in and is faint), and
    // 2.5.8: targets at least 24 px (issue 18.9). Inline links in sentences are exempt from the target size.
    MuiCssBaseline: {
      styleOverrides: {
        ":focus-visible": { outline: `3px solid ${FOCUS_RING}`, outlineOffset: "2px" },
        "summary:focus-visible": { outline: `3px solid ${FOCUS_RING}`, outlineOffset: "2px" },
      },
    },
    MuiButtonBase: {
      styleOverrides: {
        root: {
          minHeight: 24,
          minWidth: 24,
          "&.Mui-focusVisible, &:focus-visible": { outline: `3px solid ${FOCUS_RING}`, outlineOffset: "2px" },
        },
      },
    },
    MuiButton: { defaultProps: { size: "small", disableElevation: true } },
    MuiIconButton: { defaultProps: { size: "small" } },
    MuiChip: { defaultProps: { size: "small" } },
    MuiTable: { defaultProps: { size: "small" } },
    MuiPaper: { defaultProps: { variant: "outlined" } },
    MuiAlert: { styleOverrides: { root: { alignItems: "flex-start" } } },
  },
});
