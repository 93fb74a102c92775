import Box from "@mui/material/Box";
import Typography from "@mui/material/Typography";
import { useCallback, useMemo, useRef, useState } from "react";
import type { AntiHer2Therapy, DiseaseEvent, EvidenceItem, IsoDate } from "../domain/types";
import type { Locale } from "../i18n/locales";
import { visuallyHidden } from "./a11y";
import { DeferredMessages } from "./deferred/DeferredMessages";
import { useLocale } from "./i18n/locale-context";
import { type Translate, formatRecordedDate, useDisplayDate, useT } from "./i18n/translate";
import { timelineColour as c } from "./theme";
import {
  buildTimeline,
  DEFAULT_WIDTH,
  ENGLISH_TIMELINE_WORDS,
  FONT,
  type TimelineWords,
} from "./timeline-model";

interface TimelineProps {
  evidence: readonly EvidenceItem[];
  events: readonly DiseaseEvent[];
  therapies: readonly AntiHer2Therapy[];
  asOf: IsoDate;
}

/**
 * The drawing's width in px, followed as the pane is resized (the layout is computed for it, text never scales). A
 * callback ref, so measuring starts whenever the drawing appears.
 */
function useWidth(): [(el: HTMLDivElement | null) => void, number] {
  const [width, setWidth] = useState(DEFAULT_WIDTH);
  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback((el: HTMLDivElement | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (!el || typeof ResizeObserver === "undefined") return;
    const measure = () => {
      // The drawing sits inside a 1 px border and 6 px padding.
      const w = Math.floor(el.clientWidth) - 14;
      if (w > 0) setWidth(w);
    };
    measure();
    observer.current = new ResizeObserver(measure);
    observer.current.observe(el);
  }, []);
  return [ref, width];
}

/** The lane titles and month ticks in the page's language (English keeps the model's own words). */
function timelineWords(t: Translate, locale: Locale): TimelineWords {
  if (locale === "en") return ENGLISH_TIMELINE_WORDS;
  const month = new Intl.DateTimeFormat(locale, { month: "short", year: "numeric", timeZone: "UTC" });
  return {
    lanes: {
      tests: t("timeline.lane.tests"),
      events: t("timeline.lane.events"),
      therapy: t("timeline.lane.therapy"),
    },
    monthTick: (m, y) => month.format(new Date(Date.UTC(y, m, 1))),
    t,
    date: (iso) => formatRecordedDate(iso, locale) ?? iso,
  };
}

/**
 * A picture of HER2 tests, diagnosis / recurrence / metastasis and anti-HER2 therapy over time, with the date on every
 * mark, so a retest gap or an over-long course shows at a glance. The picture is one `role="img"` with a summary; a
 * visually hidden list gives every item.
 */
export function Timeline(props: TimelineProps) {
  return (
    <DeferredMessages>
      <TimelineBody {...props} />
    </DeferredMessages>
  );
}

function TimelineBody({ evidence, events, therapies, asOf }: TimelineProps) {
  const [ref, width] = useWidth();
  const t = useT();
  const locale = useLocale();
  const words = useMemo(() => timelineWords(t, locale), [t, locale]);
  const model = buildTimeline(evidence, events, therapies, asOf, width, words);
  const displayDate = useDisplayDate();
  if (model.empty) {
    return <Typography data-testid="timeline-empty">{t("timeline.empty")}</Typography>;
  }
  return (
    <Box ref={ref}>
      <Box
        sx={{
          bgcolor: "background.paper",
          border: "1px solid",
          borderColor: "divider",
          borderRadius: 1,
          p: 0.75,
          overflow: "hidden",
        }}
      >
        <svg
          role="img"
          aria-label={model.summary}
          data-testid="timeline-svg"
          width={model.width}
          height={model.height}
          viewBox={`0 0 ${String(model.width)} ${String(model.height)}`}
          style={{ display: "block", maxWidth: "100%", height: "auto" }}
          fontSize={FONT}
          fontFamily="inherit"
        >
          {model.titles.map((t) => (
            <text key={t.text} x={0} y={t.y} fill={c.asOf} fontWeight={600}>
              {t.text}
            </text>
          ))}
          <line x1={0} x2={model.width} y1={model.axisY} y2={model.axisY} stroke={c.axis} />
          {model.ticks.map((t) => (
            <g key={t.label}>
              <line x1={t.x} x2={t.x} y1={model.axisY - 3} y2={model.axisY + 3} stroke={c.axis} />
              <text x={t.x} y={model.axisY + 16} textAnchor="middle" fill={c.axis}>
                {t.label}
              </text>
            </g>
          ))}
          <line
            x1={model.asOfX}
            x2={model.asOfX}
            y1={14}
            y2={model.axisY}
            stroke={c.asOf}
            strokeDasharray="3 3"
          />
          {model.therapies.map((t, i) => (
            <g key={`t${String(i)}`} data-mark="therapy">
              <text x={t.textX} y={t.textY} fill={c.therapy}>
                {t.lines.map((line, j) => (
                  <tspan key={String(j)} x={t.textX} dy={j === 0 ? 0 : 13}>
                    {line}
                  </tspan>
                ))}
              </text>
              <rect x={t.x} width={t.width} y={t.y - 4} height={8} rx={2} fill={c.therapy} />
              {t.open ? (
                <line
                  x1={t.x + t.width}
                  x2={t.x + t.width + 10}
                  y1={t.y}
                  y2={t.y}
                  stroke={c.therapy}
                  strokeWidth={2}
                  strokeDasharray="2 2"
                />
              ) : null}
            </g>
          ))}
          {model.events.map((e, i) => (
            <g key={`e${String(i)}`} data-mark="event" data-kind={e.kind}>
              {e.kind === "primary" ? (
                <polygon
                  points={`${String(e.x)},${String(e.y - 6)} ${String(e.x + 6)},${String(e.y)} ${String(e.x)},${String(e.y + 6)} ${String(e.x - 6)},${String(e.y)}`}
                  fill="#fff"
                  stroke={c.event}
                  strokeWidth={2}
                />
              ) : (
                <polygon
                  points={`${String(e.x)},${String(e.y - 7)} ${String(e.x + 6.5)},${String(e.y + 5)} ${String(e.x - 6.5)},${String(e.y + 5)}`}
                  fill={c.event}
                />
              )}
              <text x={e.textX} y={e.textY} fill={c.event}>
                {e.text}
              </text>
            </g>
          ))}
          {model.tests.map((t, i) => (
            <g key={`h${String(i)}`} data-mark="test">
              <circle
                cx={t.x}
                cy={t.y}
                r={5}
                fill={t.used ? c.test : "#fff"}
                stroke={t.used ? c.test : c.testNotUsed}
                strokeWidth={2}
              />
              <text x={t.textX} y={t.textY} fill={t.used ? c.test : c.testNotUsed}>
                {t.text}
              </text>
            </g>
          ))}
        </svg>
      </Box>
      <Box
        aria-hidden="true"
        sx={{
          display: "flex",
          flexWrap: "wrap",
          columnGap: 2,
          rowGap: 0.25,
          mt: 0.5,
          fontSize: "0.8125rem",
          color: "text.secondary",
        }}
      >
        <span>{t("timeline.legend.used")}</span>
        <span>{t("timeline.legend.notUsed")}</span>
        <span>{t("timeline.legend.primary")}</span>
        <span>{t("timeline.legend.recurrence")}</span>
        <span>{t("timeline.legend.therapy")}</span>
        <span>{t("timeline.legend.asOf", { date: displayDate(asOf) })}</span>
      </Box>
      {model.undated.length > 0 ? (
        <Typography sx={{ mt: 0.5, fontSize: "0.8125rem" }} data-testid="timeline-undated">
          {t("timeline.undated", { items: model.undated.join("; ") })}
        </Typography>
      ) : null}
      <Box component="ul" style={visuallyHidden} aria-label={t("timeline.items")}>
        {model.entries.map((entry, i) => (
          <li key={String(i)}>{entry}</li>
        ))}
      </Box>
    </Box>
  );
}
