/**
 * Disease setting from disease events, and the metastatic-retest rule: HER2 should be retested on recurrent or
 * metastatic tissue when it is available, and that result governs treatment (ASCO/CAP 2013, reaffirmed 2018).
 */
import { byText, calendarDate, daysBefore, onOrAfter } from "./dates";
import { makeFlag } from "./flags";
import type { SpecimenResult } from "./specimen";
import { canBeRetest, RETEST_WINDOW_DAYS } from "./tumour";
import { text, type Text, type TextValue } from "./text";
import type { DataGap, DiseaseEvent, Flag, IsoDate, Setting } from "./types";

const RETEST_KINDS: ReadonlySet<string> = new Set(["recurrence", "metastasis"]);

/**
 * An event after which HER2 is retested: any recurrence or metastasis, locoregional included (Wolff 2018: retest on
 * the recurrent or metastatic tumour when tissue is available; 2013 recommendation reaffirmed).
 */
function needsRetest(event: DiseaseEvent): boolean {
  // Nodes of uncertain extent at diagnosis may be staging (regional) nodes: only a recurrence of them is retested.
  return event.kind === "recurrence" || (event.kind === "metastasis" && event.extent !== "uncertain");
}

/**
 * Metastatic disease: a distant metastasis or a recurrence not known to be locoregional. A local or regional
 * recurrence (breast, chest wall, regional nodes: AJCC 8th / UICC TNM breast regional nodes) is not stage IV disease
 * and does not get the metastatic recommendation (rules 1.2.0).
 */
function isDistant(event: DiseaseEvent): boolean {
  return RETEST_KINDS.has(event.kind) && event.extent === undefined;
}

// Disease events come from Conditions and from observations (stage); a gap in either may hide a metastasis.
const EVENT_SOURCES: ReadonlySet<string> = new Set(["Condition", "Observation"]);

/** The earliest date of a distant event (metastasis, or a recurrence not known to be locoregional), when dated. */
export function firstDistantDate(events: readonly DiseaseEvent[]): IsoDate | undefined {
  let first: IsoDate | undefined;
  for (const e of events) {
    const date = isDistant(e) ? calendarDate(e.date) : undefined;
    if (date !== undefined && (first === undefined || date < first)) first = date;
  }
  return first;
}

/** The data gap that may hide a recurrence or metastasis, when there is one. */
export function eventsGap(dataGaps: readonly DataGap[]): DataGap | undefined {
  return dataGaps.find((g) => g.affectsAssessment && EVENT_SOURCES.has(g.resourceType));
}

/**
 * metastatic when any event is a recurrence or metastasis; early when only primary disease; unknown without events,
 * or when events may be missing (`gap`): "early" would then be a claim the loaded data cannot support.
 */
export function settingOf(events: readonly DiseaseEvent[], gap?: DataGap): Setting {
  if (events.some(isDistant)) return "metastatic";
  // Nodal disease the code cannot place as regional or distant: "early" would be a claim the record does not make.
  if (gap || events.some((e) => e.extent === "uncertain")) return "unknown";
  return events.some((e) => e.kind === "primary") ? "early" : "unknown";
}

/** The event in the record's own words (capitalised), else "Metastasis" / "Recurrence" from the catalog. */
function describeEvent(event: DiseaseEvent): TextValue {
  const words = event.description;
  if (words === undefined)
    return text(event.kind === "metastasis" ? "event.metastasis.start" : "event.recurrence.start");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A metastasis with a body site (not the breast, where the primary was also sampled) is matched by a specimen from
 * that site: without dates this is the only sign that the metastasis itself was tested.
 */
function testedAtSite(events: readonly DiseaseEvent[], conclusive: readonly SpecimenResult[]): boolean {
  const sites = events
    .filter((e) => e.kind === "metastasis" && e.bodySite && !/breast/i.test(e.bodySite))
    .map((e) => (e.bodySite ?? "").toLowerCase());
  return conclusive.some((r) => {
    const site = r.group.bodySite?.toLowerCase();
    return site !== undefined && sites.some((s) => site.includes(s) || s.includes(site));
  });
}

function retestAction(since?: IsoDate): Text {
  return since ? text("flag.retest.action.since", { date: since }) : text("flag.retest.action");
}

/**
 * `metastatic-retest-missing` when no conclusive HER2 test was done on a specimen collected (or, without a collection
 * date, tested) on or after the earliest dated recurrence or metastasis. When no event has a date (common in mCODE
 * data), only a conclusive specimen from the metastatic site clears it; otherwise the flag is raised, as a warning
 * when some conclusive test exists (it may have been on metastatic tissue) and as an action when none does.
 */
export function retestFlag(
  events: readonly DiseaseEvent[],
  conclusive: readonly SpecimenResult[],
): Flag | undefined {
  const distant = events.filter(needsRetest).sort((a, b) => byText(a.source, b.source));
  const [firstRecorded] = distant;
  if (!firstRecorded) return undefined;
  const dated = distant
    .map((e) => ({ event: e, date: calendarDate(e.date) }))
    .filter((d): d is { event: DiseaseEvent; date: IsoDate } => d.date !== undefined)
    .sort((a, b) => byText(a.date, b.date));
  const evidence = distant.map((e) => e.source);
  const first = dated[0];
  if (first) {
    // A biopsy shortly before the event was recorded is often the one that made the diagnosis (tumour.ts).
    const from = daysBefore(first.date, RETEST_WINDOW_DAYS);
    if (conclusive.some((r) => canBeRetest(r) && onOrAfter(r.group.date, from))) return undefined;
    const breastOnly = conclusive.some((r) => !canBeRetest(r) && onOrAfter(r.group.date, from));
    // DiseaseEvent.date is the onset, else the recorded date: the message must not call an onset "recorded" (18.3).
    return makeFlag("metastatic-retest-missing", {
      message: text(breastOnly ? "flag.retest.message.breast-only" : "flag.retest.message", {
        event: describeEvent(first.event),
        date: first.date,
        from,
        window: text("flag.retest.window", { days: RETEST_WINDOW_DAYS }),
      }),
      action: retestAction(first.date),
      evidence,
    });
  }
  if (testedAtSite(distant, conclusive)) return undefined;
  const latest = conclusive[0];
  const event = describeEvent(firstRecorded);
  const date = latest?.group.date ?? text("date.unknown");
  const site = latest?.group.bodySite;
  return makeFlag("metastatic-retest-missing", {
    message: !latest
      ? text("flag.retest.undated.none", { event })
      : site
        ? text("flag.retest.undated.latest.site", { event, date, site })
        : text("flag.retest.undated.latest", { event, date }),
    action: retestAction(),
    evidence,
    severity: latest ? "warning" : "action",
  });
}
