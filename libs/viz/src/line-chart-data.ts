// The data shaping of drawLineChart, apart from the drawing: which points are drawn in which
// colour, whether dots are drawn, which markers fall inside the plot, and what the tooltip says.
import type { Extent, Point } from './types';
import type { VerticalMarker } from './markers';
import { seriesColor } from './palette';
import { nearestIndex } from './series';

/** Series with more points than this get no dots by default (step-level data). */
export const MAX_POINTS_WITH_DOTS = 60;

/** What {@link plotSeries} reads of a series (LineSeries). */
export interface SeriesInput {
  name: string;
  points: readonly Point[];
  color?: string;
  dashed?: boolean;
}

/** A series as drawn: its colour settled, its points with a finite step in step order. */
export type PlotSeries<S extends SeriesInput = SeriesInput> = S & {
  color: string;
  points: Point[];
};

/**
 * The series as the chart draws them: the palette colour for those without one (by position),
 * points with a non-finite step dropped (a NaN value stays: it is a gap), sorted by step.
 */
export function plotSeries<S extends SeriesInput>(series: readonly S[]): PlotSeries<S>[] {
  return series.map((s, i) => ({
    ...s,
    color: s.color ?? seriesColor(i),
    points: s.points.filter((p) => Number.isFinite(p.step)).sort((a, b) => a.step - b.step),
  }));
}

/** Options of {@link drawsPoints}. */
export interface DrawsPointsOptions {
  /** An explicit choice; default: dots only when every series has at most 60 points. */
  showPoints?: boolean;
  /** Point labels need their dots. */
  hasPointLabels?: boolean;
}

/** Whether a dot is drawn per point. */
export function drawsPoints(
  series: readonly { points: readonly Point[] }[],
  options: DrawsPointsOptions = {},
): boolean {
  if (options.hasPointLabels) return true;
  return options.showPoints ?? series.every((s) => s.points.length <= MAX_POINTS_WITH_DOTS);
}

/** The markers inside the plotted steps (those outside are left out, not drawn on the axis). */
export function markersInDomain(
  markers: readonly VerticalMarker[],
  domain: Extent,
): VerticalMarker[] {
  return markers.filter(
    (m) => Number.isFinite(m.step) && m.step >= domain[0] && m.step <= domain[1],
  );
}

/** The logged step nearest to `step` across every series (the hover snaps to it); null if none. */
export function snapStep(
  series: readonly { points: readonly Point[] }[],
  step: number,
): number | null {
  let best: number | null = null;
  for (const s of series) {
    const p = s.points[nearestIndex(s.points, step)];
    if (p === undefined) continue;
    // Ties keep the earlier series' step, as a left-to-right reduce does.
    if (best === null || Math.abs(p.step - step) < Math.abs(best - step)) best = p.step;
  }
  return best;
}

/** One row of the hover tooltip: a series and its value at the hovered step. */
export interface TooltipRow {
  name: string;
  color: string;
  /** The point at the step, if the series logged one. */
  point: Point | undefined;
}

/** The tooltip rows at a step, one per series in series order. */
export function tooltipRows(series: readonly PlotSeries[], step: number): TooltipRow[] {
  return series.map((s) => ({
    name: s.name,
    color: s.color,
    point: s.points.find((q) => q.step === step),
  }));
}

/** Options of {@link tooltipHtml}. */
export interface TooltipHtmlOptions {
  rows: readonly TooltipRow[];
  step: number;
  /** Name of the x axis in the title. Default "step". */
  xLabel?: string;
  formatValue: (value: number) => string;
}

/** The tooltip's HTML: "step N" and one row per series (names and values escaped). */
export function tooltipHtml(options: TooltipHtmlOptions): string {
  const { rows, step, formatValue } = options;
  const body = rows
    .map(
      (r) =>
        `<div class="chart-tooltip-row"><span class="chart-tooltip-swatch" style="background:${r.color}"></span>` +
        `<span class="chart-tooltip-name">${escapeHtml(r.name)}</span>` +
        `<span class="chart-tooltip-value">${r.point ? escapeHtml(formatValue(r.point.value)) : '—'}</span></div>`,
    )
    .join('');
  return `<div class="chart-tooltip-title">${escapeHtml(options.xLabel ?? 'step')} ${step}</div>${body}`;
}

/** Text as HTML: the five special characters as numeric entities. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
