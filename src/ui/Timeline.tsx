import Box from "@mui/material/Box";
import Typography from "@mui/material/Typography";
import type { ReactNode } from "react";
import type { AntiHer2Therapy, DiseaseEvent, EvidenceItem, IsoDate } from "../domain/types";
import { visuallyHidden } from "./a11y";
import { displayDate } from "./dates";
import { timelineColour as c } from "./theme";
import { buildTimeline } from "./timeline-model";

interface TimelineProps {
  evidence: readonly EvidenceItem[];
  events: readonly DiseaseEvent[];
  therapies: readonly AntiHer2Therapy[];
  asOf: IsoDate;
}

/** Row centres in px; the x axis is in percent so the picture fits any pane width without scaling the text. */
const ROW = { tests: 12, events: 34, therapy: 56, axis: 72 } as const;
const HEIGHT = 90;
const LABEL_WIDTH = "5.75rem";

/** A marker drawn around (0,0) and placed at a percentage x by a nested svg (polygons take no percentages). */
function At({ x, y, children }: { x: number; y: number; children: ReactNode }) {
  return (
    <svg x={`${x.toFixed(2)}%`} y={y} overflow="visible">
      {children}
    </svg>
  );
}

/**
 * A compact picture of HER2 tests, diagnosis / recurrence / metastasis and anti-HER2 therapy over time, so a retest
 * gap shows at a glance. The picture is one `role="img"` with a summary; a visually hidden list gives every item.
 */
export function Timeline({ evidence, events, therapies, asOf }: TimelineProps) {
  const model = buildTimeline(evidence, events, therapies, asOf);
  if (model.empty) {
    return (
      <Typography data-testid="timeline-empty">
        No dated HER2 tests, diagnoses or therapies to show.
      </Typography>
    );
  }
  return (
    <Box>
      <Box
        sx={{
          display: "flex",
          bgcolor: "background.paper",
          border: "1px solid",
          borderColor: "divider",
          borderRadius: 1,
          p: 0.75,
        }}
      >
        <Box
          aria-hidden="true"
          sx={{
            position: "relative",
            flex: `0 0 ${LABEL_WIDTH}`,
            height: HEIGHT,
            fontSize: "0.75rem",
            color: "text.secondary",
          }}
        >
          <Box sx={{ position: "absolute", top: ROW.tests - 8 }}>HER2 tests</Box>
          <Box sx={{ position: "absolute", top: ROW.events - 8 }}>Diagnosis</Box>
          <Box sx={{ position: "absolute", top: ROW.therapy - 8 }}>Anti-HER2</Box>
        </Box>
        <Box
          component="svg"
          role="img"
          aria-label={model.summary}
          sx={{ flex: "1 1 auto", minWidth: 0, height: HEIGHT, overflow: "visible", display: "block" }}
        >
          <line x1="0%" x2="100%" y1={ROW.axis} y2={ROW.axis} stroke={c.axis} strokeWidth={1} />
          {model.ticks.map((t) => (
            <g key={t.label}>
              <line
                x1={`${t.x.toFixed(2)}%`}
                x2={`${t.x.toFixed(2)}%`}
                y1={ROW.axis - 3}
                y2={ROW.axis + 3}
                stroke={c.axis}
              />
              <text
                x={`${t.x.toFixed(2)}%`}
                y={ROW.axis + 15}
                fontSize={11}
                textAnchor="middle"
                fill={c.axis}
              >
                {t.label}
              </text>
            </g>
          ))}
          <line
            x1={`${model.asOfX.toFixed(2)}%`}
            x2={`${model.asOfX.toFixed(2)}%`}
            y1={2}
            y2={ROW.axis}
            stroke={c.asOf}
            strokeDasharray="3 3"
          />
          {model.therapies.map((t, i) => (
            <rect
              key={`t${String(i)}`}
              x={`${t.x.toFixed(2)}%`}
              width={`${t.width.toFixed(2)}%`}
              y={ROW.therapy - 5}
              height={10}
              rx={2}
              fill={c.therapy}
            />
          ))}
          {model.events.map((e, i) => (
            <At key={`e${String(i)}`} x={e.x} y={ROW.events}>
              {e.kind === "primary" ? (
                <polygon points="0,-6 6,0 0,6 -6,0" fill="#fff" stroke={c.event} strokeWidth={2} />
              ) : (
                <polygon points="0,-7 6.5,5 -6.5,5" fill={c.event} />
              )}
            </At>
          ))}
          {model.tests.map((t, i) => (
            <At key={`h${String(i)}`} x={t.x} y={ROW.tests}>
              <circle
                r={5}
                fill={t.used ? c.test : "#fff"}
                stroke={t.used ? c.test : c.testNotUsed}
                strokeWidth={2}
              />
            </At>
          ))}
        </Box>
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
        <span>● HER2 test used</span>
        <span>○ not used</span>
        <span>◇ primary diagnosis</span>
        <span>▲ recurrence / metastasis</span>
        <span>▬ anti-HER2 therapy</span>
        <span>┆ as of {displayDate(asOf)}</span>
      </Box>
      <Box component="ul" style={visuallyHidden} aria-label="Timeline items, oldest first">
        {model.entries.map((entry, i) => (
          <li key={String(i)}>{entry}</li>
        ))}
      </Box>
    </Box>
  );
}
