import { useEffect, useState } from "react";
import { ConfigError } from "../smart/config";
import { takeAppConfig } from "../smart/config-handoff";
import { browserLocales, pickLocale } from "../smart/locale-choice";
import { type ReadyOutcome, completeLaunch } from "../smart/ready";
import { useLocaleSetter } from "../ui/i18n/I18nProvider";
import { useT } from "../ui/i18n/translate";
import { LaunchFailureScreen, MessageScreen } from "./LaunchFailureScreen";
import { PatientApp } from "./PatientApp";
import Box from "@mui/material/Box";
import CircularProgress from "@mui/material/CircularProgress";
import Typography from "@mui/material/Typography";

type BootState =
  { kind: "starting" } | { kind: "config-error"; detail: string } | { kind: "done"; outcome: ReadyOutcome };

// ready() must run once per page load (Epic Hyperdrive stale-patient issue); React StrictMode mounts twice in dev.
let launchOnce: Promise<BootState> | undefined;

function startOnce(): Promise<BootState> {
  launchOnce ??= takeAppConfig()
    .then((config) => completeLaunch(config, new URL(window.location.href)))
    .then((outcome): BootState => ({ kind: "done", outcome }))
    .catch((e: unknown): BootState => ({
      kind: "config-error",
      detail: e instanceof ConfigError || e instanceof Error ? e.message : String(e),
    }));
  return launchOnce;
}

/** Completes the SMART launch, then shows either the patient's panel or a screen explaining what went wrong. */
export function Boot() {
  const [state, setState] = useState<BootState>({ kind: "starting" });
  const t = useT();
  const localeSetter = useLocaleSetter();
  useEffect(() => {
    let live = true;
    void startOnce().then((next) => {
      if (!live) return;
      // The EHR's language in the token response comes before the browser's (a switcher choice before both).
      const token =
        next.kind === "done" && next.outcome.kind === "ready" ? next.outcome.launchLocale : undefined;
      if (token !== undefined) localeSetter?.setLocale(pickLocale({ token, browser: browserLocales() }));
      setState(next);
    });
    return () => {
      live = false;
    };
  }, [localeSetter]);

  if (state.kind === "starting") {
    return (
      <Box component="main" sx={{ p: 2, display: "flex", gap: 1, alignItems: "center" }}>
        <CircularProgress size={20} aria-hidden />
        <Typography role="status">{t("app.signingIn")}</Typography>
      </Box>
    );
  }
  if (state.kind === "config-error") {
    return (
      <MessageScreen
        title={t("app.configInvalid.title")}
        what={t("app.configInvalid.what")}
        todo={t("app.configInvalid.todo")}
        detail={state.detail}
      />
    );
  }
  const { outcome } = state;
  if (outcome.kind === "failed")
    return <LaunchFailureScreen failure={outcome.failure} shownAgain={outcome.shownAgain === true} />;
  return (
    <PatientApp
      client={outcome.client}
      patientId={outcome.patientId}
      issuer={outcome.issuer}
      needPatientBanner={outcome.needPatientBanner}
    />
  );
}
