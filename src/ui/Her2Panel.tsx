import Alert from "@mui/material/Alert";
import AlertTitle from "@mui/material/AlertTitle";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import GlobalStyles from "@mui/material/GlobalStyles";
import Typography from "@mui/material/Typography";
import { Suspense, lazy, useCallback, useState } from "react";
import type { AntiHer2Therapy, Assessment, DiseaseEvent, ResourceRef } from "../domain/types";
import { printHide, printOnly } from "./a11y";
import { DataCompleteness, DataGapAlert } from "./DataCompleteness";
import { LocaleSwitcher } from "./i18n/LocaleSwitcher";
import { useAssessedLine, useT } from "./i18n/translate";
import { EvidenceList } from "./EvidenceList";
import { FlagList } from "./FlagList";
import { PanelSection } from "./PanelSection";
import { PanelSkeleton } from "./PanelSkeleton";
import { PatientBanner, patientLine, type PanelPatient } from "./PatientBanner";
import { Recommendation } from "./Recommendation";
import { SectionErrorBoundary } from "./SectionErrorBoundary";
import { StatusHeader } from "./StatusHeader";

export type { PanelPatient } from "./PatientBanner";

/** What the shell knows so far: queries running, a failure, or the assessment. */
export type Her2PanelState =
  | { kind: "loading" }
  | { kind: "error"; message: string; detail?: string }
  | { kind: "ready"; assessment: Assessment; events?: DiseaseEvent[]; therapies?: AntiHer2Therapy[] };

export interface Her2PanelProps {
  /** The patient in the launch context (name and DOB from `client.patient.read()`). */
  patient?: PanelPatient;
  /** False only when the EHR says `need_patient_banner: false` (it shows its own). */
  showPatientBanner: boolean;
  state: Her2PanelState;
  /** Source JSON by "Type/id", for the JSON viewer. */
  resources?: ReadonlyMap<string, unknown>;
  onRetry?: () => void;
  /** Where the data came from, e.g. the FHIR server host. */
  sourceLabel?: string;
}

/**
 * Print view: hide interactive chrome, expand folded sections, keep the colour cues. The screen hides print-only
 * lines (the patient line when the EHR shows its own banner on screen).
 */
const printStyles = {
  "@media print": {
    '[data-print="hide"]': { display: "none !important" },
    // The one-page summary replaces the screen panel that follows it.
    "[data-print-summary] ~ *": { display: "none !important" },
    ".MuiCollapse-root, .MuiCollapse-hidden": {
      height: "auto !important",
      minHeight: "0 !important",
      visibility: "visible !important",
      overflow: "visible !important",
    },
    ".MuiDialog-root": { display: "none !important" },
    body: { background: "#fff !important" },
    main: { maxWidth: "none !important", padding: "0 !important" },
    "@page": { margin: "12mm" },
  },
  "@media screen": { '[data-print="only"]': { display: "none !important" } },
  // Folding is instant for people who ask the system for less motion.
  "@media (prefers-reduced-motion: reduce)": { ".MuiCollapse-root": { transition: "none !important" } },
} as const;

/**
 * The JSON viewer loads on first use: chart review is occasional, and MUI's Dialog (modal, focus trap, transitions)
 * is about 6 kB gzipped that the first paint inside the EHR does not need.
 */
const SourceJsonDialog = lazy(() =>
  import("./SourceJsonDialog").then((m) => ({ default: m.SourceJsonDialog })),
);

/** The last `Type/id` of a reference, so `https://ehr/fhir/Patient/1` and `Patient/1` compare equal. */
/**
 * The timeline and the print summary load just after the first screen (issue 18.7, 18.8): neither is first-screen
 * content, and together they are about 4 kB gzipped that the index bundle budget cannot carry.
 */
const Timeline = lazy(() => import("./Timeline").then((m) => ({ default: m.Timeline })));
const PrintSummary = lazy(() => import("./PrintSummary").then((m) => ({ default: m.PrintSummary })));
/** The patient explanation (issue 15.1) loads only when asked for: its texts never weigh on the first screen. */
const PatientExplanation = lazy(() =>
  import("./patient/PatientExplanation").then((m) => ({ default: m.PatientExplanation })),
);

function relativeRef(ref: string): string {
  return ref.split("/").slice(-2).join("/");
}

function LoadError({ message, detail, onRetry }: { message: string; detail?: string; onRetry?: () => void }) {
  const t = useT();
  return (
    <Alert
      severity="error"
      role="alert"
      sx={{ mt: 1.5 }}
      action={
        onRetry ? (
          <Button color="inherit" onClick={onRetry} {...printHide}>
            {t("panel.retry")}
          </Button>
        ) : undefined
      }
    >
      <AlertTitle>{t("panel.loadError.title")}</AlertTitle>
      {message}
      {detail ? (
        <Box component="details" sx={{ mt: 0.5 }}>
          <summary>{t("message.technicalDetail")}</summary>
          <Box
            component="pre"
            sx={{ whiteSpace: "pre-wrap", wordBreak: "break-word", m: 0, fontSize: "0.8125rem" }}
          >
            {detail}
          </Box>
        </Box>
      ) : null}
    </Alert>
  );
}

interface ReadyProps {
  assessment: Assessment;
  events: readonly DiseaseEvent[];
  therapies: readonly AntiHer2Therapy[];
  resources?: ReadonlyMap<string, unknown>;
  onRetry?: () => void;
  sourceLabel?: string;
}

function ReadyPanel({ assessment, events, therapies, resources, onRetry, sourceLabel }: ReadyProps) {
  const [sourceRef, setSourceRef] = useState<ResourceRef | null>(null);
  // Stays true after the first opening, so the dialog can play its closing transition and return focus.
  const [viewerWanted, setViewerWanted] = useState(false);
  const openSource = useCallback((ref: ResourceRef) => {
    setViewerWanted(true);
    setSourceRef(ref);
  }, []);
  const sourceOpener = useCallback(
    (ref: ResourceRef) => (resources?.has(ref) ? openSource : undefined),
    [resources, openSource],
  );
  const flagCount = assessment.flags.length;
  const t = useT();
  const assessedLine = useAssessedLine();
  return (
    <>
      {/* On paper: the one-page summary; the print stylesheet hides the screen panel after it (issue 18.8). */}
      <SectionErrorBoundary name="print summary">
        <Suspense fallback={null}>
          <PrintSummary assessment={assessment} sourceLabel={sourceLabel} />
        </Suspense>
      </SectionErrorBoundary>
      <DataGapAlert gaps={assessment.dataGaps} onRetry={onRetry} />
      <SectionErrorBoundary name="status" onRetry={onRetry}>
        <StatusHeader assessment={assessment} />
      </SectionErrorBoundary>
      <PanelSection
        title={t("section.flags")}
        titleNote={flagCount > 0 ? `(${String(flagCount)})` : undefined}
        onRetry={onRetry}
      >
        <FlagList
          flags={assessment.flags}
          evidence={assessment.evidence}
          sourceOpener={sourceOpener}
          gaps={assessment.dataGaps}
        />
      </PanelSection>
      <PanelSection title={t("section.recommendation")} onRetry={onRetry}>
        <Recommendation assessment={assessment} />
      </PanelSection>
      <PanelSection title={t("section.timeline")} collapsible onRetry={onRetry}>
        <Suspense fallback={<Box sx={{ minHeight: 200 }} />}>
          <Timeline
            evidence={assessment.evidence}
            events={events}
            therapies={therapies}
            asOf={assessment.asOf}
          />
        </Suspense>
      </PanelSection>
      <PanelSection
        title={t("section.evidence")}
        titleNote={t("section.evidenceCount", { count: assessment.evidence.length })}
        collapsible
        onRetry={onRetry}
      >
        <EvidenceList evidence={assessment.evidence} sourceOpener={sourceOpener} />
      </PanelSection>
      <PanelSection title={t("section.completeness")} collapsible onRetry={onRetry}>
        <DataCompleteness
          gaps={assessment.dataGaps}
          unreadableCount={assessment.unreadable.length}
          sourceLabel={sourceLabel}
        />
      </PanelSection>
      <Typography sx={{ mt: 2.5, fontSize: "0.8125rem", color: "text.secondary" }}>
        {assessedLine("panel", assessment, sourceLabel)}
      </Typography>
      {viewerWanted ? (
        <SectionErrorBoundary name="source JSON viewer">
          <Suspense fallback={null}>
            <SourceJsonDialog
              reference={sourceRef}
              resource={sourceRef ? resources?.get(sourceRef) : undefined}
              onClose={() => {
                setSourceRef(null);
              }}
            />
          </Suspense>
        </SectionErrorBoundary>
      ) : null}
    </>
  );
}

/**
 * The clinician's HER2 panel: patient banner, status, flags, guideline suggestion, timeline, evidence and data
 * completeness, with a print view for the chart. Renders the page's one `main` landmark and its `h1`.
 */
export function Her2Panel({
  patient,
  showPatientBanner,
  state,
  resources,
  onRetry,
  sourceLabel,
}: Her2PanelProps) {
  const mismatch =
    state.kind === "ready" &&
    patient !== undefined &&
    relativeRef(patient.reference) !== relativeRef(state.assessment.patient);
  const [explain, setExplain] = useState(false);
  const t = useT();
  if (explain && state.kind === "ready" && !mismatch)
    return (
      <SectionErrorBoundary name="patient explanation">
        <Suspense fallback={<PanelSkeleton />}>
          <PatientExplanation
            assessment={state.assessment}
            patientName={patient?.name}
            onBack={() => {
              setExplain(false);
            }}
          />
        </Suspense>
      </SectionErrorBoundary>
    );
  return (
    <>
      <GlobalStyles styles={printStyles} />
      {showPatientBanner ? <PatientBanner patient={patient} loading={state.kind === "loading"} /> : null}
      <Box component="main" sx={{ px: { xs: 1.5, sm: 2 }, py: 1.5, maxWidth: 1200, mx: "auto" }}>
        <Box sx={{ display: "flex", alignItems: "center", flexWrap: "wrap", gap: 1 }}>
          <Typography variant="h1">{t("app.title")}</Typography>
          {state.kind === "ready" && !mismatch ? (
            <Button
              variant="outlined"
              onClick={() => {
                window.print();
              }}
              sx={{ ml: "auto" }}
              {...printHide}
            >
              {t("panel.print")}
            </Button>
          ) : null}
          {state.kind === "ready" && !mismatch ? (
            <Button
              variant="outlined"
              onClick={() => {
                setExplain(true);
              }}
              {...printHide}
            >
              {t("panel.explain")}
            </Button>
          ) : null}
          <Box sx={{ ml: state.kind === "ready" && !mismatch ? 0 : "auto" }}>
            <LocaleSwitcher />
          </Box>
        </Box>
        {!showPatientBanner && patient ? (
          <Typography sx={{ fontWeight: 600 }} {...printOnly}>
            {t("panel.patientLine", { line: patientLine(patient) })}
          </Typography>
        ) : null}
        {state.kind === "loading" ? <PanelSkeleton /> : null}
        {state.kind === "error" ? (
          <LoadError message={state.message} detail={state.detail} onRetry={onRetry} />
        ) : null}
        {state.kind === "ready" && mismatch ? (
          <Alert severity="error" role="alert" sx={{ mt: 1.5 }}>
            <AlertTitle>{t("panel.mismatch.title")}</AlertTitle>
            {t("panel.mismatch.text", { results: state.assessment.patient, opened: patient.reference })}
          </Alert>
        ) : null}
        {state.kind === "ready" && !mismatch ? (
          <ReadyPanel
            assessment={state.assessment}
            events={state.events ?? []}
            therapies={state.therapies ?? []}
            resources={resources}
            onRetry={onRetry}
            sourceLabel={sourceLabel}
          />
        ) : null}
      </Box>
    </>
  );
}
