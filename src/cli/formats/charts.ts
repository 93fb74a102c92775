/**
 * The quality report's charts as inline SVG text, made at report time with d3-scale (the axes' scales and ticks) and
 * d3-shape (the rate lines): no DOM, no script, nothing fetched, so the file opens from disk under the report's strict
 * CSP. d3 is loaded with a dynamic import by `loadCharts`, only for `--format html`: the other formats never pay its
 * start-up.
 *
 * Accessibility: every chart is `role="img"` with a `<title>` and a `<desc>` that says what it shows, and the report
 * puts a table with the same numbers beside it. Colours: text #1a1a1a and bars / lines #1f5f99 on white (contrast
 * 16:1 and 6.9:1, WCAG AA for text and for graphics).
 */
import { escapeHtml } from "./html";

export interface BarChart {
  id: string;
  title: string;
  description: string;
  entries: readonly (readonly [string, number])[];
}

export interface RatePoint {
  /** A calendar year (`YYYY`); other rows (undated) are not plotted: the table beside the chart has them. */
  year: string;
  numerator: number;
  denominator: number;
  /** Undefined when the year's denominator is 0: no point, a gap in the line. */
  percent: number | undefined;
}

export interface RateChart {
  id: string;
  title: string;
  description: string;
  points: readonly RatePoint[];
}

export interface Charts {
  bars(chart: BarChart): string;
  rateOverYears(chart: RateChart): string;
}

const FONT = 13;

function svgOpen(id: string, title: string, description: string, width: number, height: number): string {
  return (
    `<svg id="${escapeHtml(id)}" role="img" aria-labelledby="${escapeHtml(id)}-title ${escapeHtml(id)}-desc" ` +
    `width="${String(width)}" height="${String(height)}" viewBox="0 0 ${String(width)} ${String(height)}" ` +
    `xmlns="http://www.w3.org/2000/svg" font-size="${String(FONT)}">` +
    `<title id="${escapeHtml(id)}-title">${escapeHtml(title)}</title>` +
    `<desc id="${escapeHtml(id)}-desc">${escapeHtml(description)}</desc>`
  );
}

function round(n: number): string {
  return String(Math.round(n * 10) / 10);
}

function percentText(p: number): string {
  return `${p.toFixed(1)} %`;
}

/** Loads d3-scale and d3-shape and returns the chart makers. */
export async function loadCharts(): Promise<Charts> {
  const [{ scaleBand, scaleLinear, scalePoint }, { line }] = await Promise.all([
    import("d3-scale"),
    import("d3-shape"),
  ]);

  function bars(chart: BarChart): string {
    const labelWidth = 210;
    const plotWidth = 360;
    const right = 60;
    const top = 24;
    const rowHeight = 26;
    const height = top + chart.entries.length * rowHeight + 8;
    const max = Math.max(1, ...chart.entries.map(([, n]) => n));
    const x = scaleLinear()
      .domain([0, max])
      .nice()
      .range([labelWidth, labelWidth + plotWidth]);
    const y = scaleBand()
      .domain(chart.entries.map(([label]) => label))
      .range([top, top + chart.entries.length * rowHeight])
      .paddingInner(0.25);
    const ticks = x
      .ticks(Math.min(5, x.domain()[1] ?? 5))
      .filter((t) => Number.isInteger(t))
      .map(
        (t) =>
          `<line x1="${round(x(t))}" x2="${round(x(t))}" y1="${String(top - 4)}" y2="${String(height - 8)}" class="grid"/>` +
          `<text x="${round(x(t))}" y="${String(top - 8)}" text-anchor="middle">${t.toLocaleString("en-US")}</text>`,
      )
      .join("");
    const rows = chart.entries
      .map(([label, n]) => {
        const y0 = y(label) ?? top;
        const w = n === 0 ? 0 : Math.max(2, x(n) - labelWidth);
        const mid = round(y0 + y.bandwidth() / 2 + FONT / 3);
        return (
          `<text x="${String(labelWidth - 8)}" y="${mid}" text-anchor="end">${escapeHtml(label)}</text>` +
          `<rect x="${String(labelWidth)}" y="${round(y0)}" width="${round(w)}" height="${round(y.bandwidth())}" class="bar"/>` +
          `<text x="${round(labelWidth + w + 6)}" y="${mid}">${n.toLocaleString("en-US")}</text>`
        );
      })
      .join("");
    return `${svgOpen(chart.id, chart.title, chart.description, labelWidth + plotWidth + right, height)}${ticks}${rows}</svg>`;
  }

  function rateOverYears(chart: RateChart): string {
    const left = 52;
    const width = 560;
    const top = 28;
    const plotHeight = 160;
    const bottom = 40;
    const height = top + plotHeight + bottom;
    const years = chart.points.map((p) => p.year);
    const x = scalePoint()
      .domain(years)
      .range([left + 20, width - 40])
      .padding(years.length === 1 ? 0.5 : 0);
    const y = scaleLinear()
      .domain([0, 100])
      .range([top + plotHeight, top]);
    const grid = y
      .ticks(4)
      .map(
        (t) =>
          `<line x1="${String(left)}" x2="${String(width - 20)}" y1="${round(y(t))}" y2="${round(y(t))}" class="grid"/>` +
          `<text x="${String(left - 6)}" y="${round(y(t) + FONT / 3)}" text-anchor="end">${String(t)} %</text>`,
      )
      .join("");
    const xLabels = chart.points
      .map(
        (p) =>
          `<text x="${round(x(p.year) ?? left)}" y="${String(top + plotHeight + 18)}" text-anchor="middle">${escapeHtml(p.year)}</text>` +
          `<text x="${round(x(p.year) ?? left)}" y="${String(top + plotHeight + 34)}" text-anchor="middle" class="small">n=${String(p.denominator)}</text>`,
      )
      .join("");
    const path =
      line<RatePoint>()
        .defined((p) => p.percent !== undefined)
        .x((p) => x(p.year) ?? left)
        .y((p) => y(p.percent ?? 0))(chart.points) ?? "";
    const dots = chart.points
      .filter((p): p is RatePoint & { percent: number } => p.percent !== undefined)
      .map((p) => {
        const cx = round(x(p.year) ?? left);
        const cy = y(p.percent);
        return (
          `<circle cx="${cx}" cy="${round(cy)}" r="4" class="dot"><title>${escapeHtml(`${p.year}: ${String(p.numerator)} of ${String(p.denominator)} (${percentText(p.percent)})`)}</title></circle>` +
          `<text x="${cx}" y="${round(cy - 8)}" text-anchor="middle">${percentText(p.percent)}</text>`
        );
      })
      .join("");
    const empty =
      chart.points.length === 0 || chart.points.every((p) => p.percent === undefined)
        ? `<text x="${String(left + 20)}" y="${String(top + plotHeight / 2)}">No dated patient in this rate's denominator.</text>`
        : "";
    return (
      `${svgOpen(chart.id, chart.title, chart.description, width, height)}${grid}` +
      (path === "" ? "" : `<path d="${path}" class="line"/>`) +
      `${dots}${xLabels}${empty}</svg>`
    );
  }

  return { bars, rateOverYears };
}
