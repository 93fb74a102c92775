import { useCallback, useEffect, useMemo, useState } from "react";
import type Client from "fhirclient/lib/Client";
import { type CodeMap, parseCodeMap } from "../fhir/code-map";
import { fromFhirClient } from "../fhir/fhirclient-source";
import { type IssuerConfig, hostOf } from "../smart/config";
import { rememberLaunchFailure } from "../smart/failure-memory";
import { localizeAssessment } from "../i18n/localize-assessment";
import { Her2Panel, type Her2PanelProps } from "../ui/Her2Panel";
import { useLocale } from "../ui/i18n/locale-context";
import { useT } from "../ui/i18n/translate";
import { MessageScreen } from "./LaunchFailureScreen";
import { describeSessionProblem } from "./launch-failure-text";
import { type SessionProblem, guardSession } from "./session-guard";
import { type PatientAssessment, formatPatientName, loadPatientAssessment, localToday } from "./pipeline";

interface Props {
  client: Client;
  patientId: string;
  issuer: IssuerConfig;
  needPatientBanner: boolean;
}

type Outcome =
  | { ok: true; value: PatientAssessment }
  | { ok: false; message: "app.loadFailed" | "app.codeMapInvalid"; detail?: string }
  | { ok: false; session: SessionProblem };

/** An ended session stays ended: a reload shows this screen again (fhirclient has wiped its stored launch by then). */
function sessionEnded(session: SessionProblem): Outcome {
  rememberLaunchFailure({ kind: "session-ended", problem: session.kind, summary: session.summary });
  return { ok: false, session };
}

function describeError(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The issuer's local code map, validated; an invalid map stops the load rather than risk misreading results. */
function useCodeMap(issuer: IssuerConfig): { codeMap?: CodeMap; error?: string } {
  return useMemo(() => {
    if (issuer.codeMap === undefined) return {};
    try {
      return { codeMap: parseCodeMap(issuer.codeMap) };
    } catch (e) {
      return { error: describeError(e) };
    }
  }, [issuer]);
}

/** Loads one launch's data, runs the rules and renders the panel; the retry button loads again. */
export function PatientApp({ client, patientId, issuer, needPatientBanner }: Props) {
  const { codeMap, error: codeMapError } = useCodeMap(issuer);
  const t = useT();
  const locale = useLocale();
  const [attempt, setAttempt] = useState(0);
  // The outcome remembers which attempt it answers, so a retry shows the loading state without resetting it here.
  const [outcome, setOutcome] = useState<{ attempt: number; outcome: Outcome }>();
  // What has arrived while a slow query runs (issue 18.4): shown with the pending part marked, not a long skeleton.
  const [partial, setPartial] = useState<{ attempt: number; value: PatientAssessment }>();

  useEffect(() => {
    if (codeMapError !== undefined) return;
    const controller = new AbortController();
    const guard = guardSession(fromFhirClient(client));
    loadPatientAssessment(guard.source, patientId, {
      asOf: localToday(),
      signal: controller.signal,
      ...(codeMap ? { codeMap } : {}),
      onPartial: (value) => {
        // An ended session shows nothing partial: its screen comes with the final answer.
        if (controller.signal.aborted || guard.problem()) return;
        setPartial({ attempt, value });
      },
    })
      .then((value) => {
        if (controller.signal.aborted) return;
        // An ended session is never assessed: the data it could not load would read as "nothing conclusive".
        const session = guard.problem();
        setOutcome({ attempt, outcome: session ? sessionEnded(session) : { ok: true, value } });
      })
      .catch((e: unknown) => {
        if (controller.signal.aborted) return;
        const session = guard.problem();
        if (session) {
          setOutcome({ attempt, outcome: sessionEnded(session) });
          return;
        }
        setOutcome({
          attempt,
          outcome: {
            ok: false,
            message: "app.loadFailed",
            detail: describeError(e),
          },
        });
      });
    return () => {
      controller.abort();
    };
  }, [client, patientId, codeMap, codeMapError, attempt]);

  const retry = useCallback(() => {
    setAttempt((n) => n + 1);
  }, []);

  const current: Outcome | undefined =
    codeMapError !== undefined
      ? {
          ok: false,
          message: "app.codeMapInvalid",
          detail: codeMapError,
        }
      : outcome?.attempt === attempt
        ? outcome.outcome
        : partial?.attempt === attempt
          ? { ok: true, value: partial.value }
          : undefined;
  if (current && "session" in current) {
    const text = describeSessionProblem(current.session, t);
    return <MessageScreen title={text.title} what={text.what} todo={text.todo} detail={text.detail} />;
  }
  const result = current?.ok ? current.value : undefined;

  const state: Her2PanelProps["state"] = !current
    ? { kind: "loading" }
    : current.ok
      ? {
          kind: "ready",
          // The one place the panel receives the assessment: its texts follow the page's locale (issue 15.5).
          assessment: localizeAssessment(current.value.assessment, locale),
          events: current.value.input.events,
          therapies: current.value.input.therapies,
        }
      : { kind: "error", message: t(current.message), ...(current.detail ? { detail: current.detail } : {}) };

  return (
    <Her2Panel
      patient={
        // Without the Patient resource there is no name or birth date to check against the chart: the banner then
        // warns instead of showing a placeholder name (wrong-patient safety).
        result?.patient
          ? {
              name: formatPatientName(result.patient),
              reference: `Patient/${patientId}`,
              ...(result.patient.birthDate ? { birthDate: result.patient.birthDate } : {}),
              ...(result.patient.gender ? { gender: result.patient.gender } : {}),
            }
          : undefined
      }
      showPatientBanner={needPatientBanner}
      state={state}
      {...(result ? { resources: result.resources } : {})}
      {...(codeMapError === undefined ? { onRetry: retry } : {})}
      sourceLabel={hostOf(client.state.serverUrl)}
    />
  );
}
