import { ThemeProvider } from "@mui/material/styles";
import { render } from "@testing-library/react";
import { vi } from "vitest";
import { Her2Panel, type Her2PanelProps } from "../../src/ui/Her2Panel";
import { her2Theme } from "../../src/ui/theme";
import { PATIENT } from "./fixtures";

/** Renders the panel as the shell does (inside the theme), with a patient and banner by default. */
export function renderPanel(props: Partial<Her2PanelProps> & Pick<Her2PanelProps, "state">) {
  return render(
    <ThemeProvider theme={her2Theme}>
      <Her2Panel patient={PATIENT} showPatientBanner {...props} />
    </ThemeProvider>,
  );
}

/**
 * Makes MUI's useMediaQuery see a wide screen (jsdom has no matchMedia, so it sees a narrow one by default). Undo
 * with `vi.unstubAllGlobals()`.
 */
export function pretendWideScreen(): void {
  vi.stubGlobal("matchMedia", (query: string) => ({
    matches: query.includes("min-width"),
    media: query,
    onchange: null,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  }));
}
