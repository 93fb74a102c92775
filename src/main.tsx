/**
 * index.html: the SMART redirect page. Completes the launch (code -> token), loads the patient's HER2 data, runs the
 * rules and renders the panel.
 */
import CssBaseline from "@mui/material/CssBaseline";
import { ThemeProvider } from "@mui/material/styles";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { Boot } from "./app/Boot";
import { watchCspViolations } from "./smart/csp";
import { configureFhirClient } from "./smart/embedding";
import { browserLocales, pickLocale } from "./smart/locale-choice";
import { I18nProvider } from "./ui/i18n/I18nProvider";
import { her2Theme } from "./ui/theme";

watchCspViolations();
configureFhirClient();

const container = document.getElementById("root");
if (!container) throw new Error("index.html has no #root element");

createRoot(container).render(
  <StrictMode>
    <ThemeProvider theme={her2Theme}>
      <CssBaseline />
      <I18nProvider initialLocale={pickLocale({ browser: browserLocales() })}>
        <Boot />
      </I18nProvider>
    </ThemeProvider>
  </StrictMode>,
);
