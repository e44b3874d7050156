// The data shaping of drawLineChart, apart from the drawing: which points are drawn in which
// colour, whether dots are drawn, which markers fall inside the plot, and what the tooltip says.
import { quantileSorted } from 'd3';
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
  /** The smoothed value at the step, when the chart smooths. */
  smoothed?: number;
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
  /** Formats the step in the title (relative or wall time). Default: the number as is. */
  formatX?: (x: number) => string;
}

/** The tooltip's HTML: "step N" and one row per series (names and values escaped). */
export function tooltipHtml(options: TooltipHtmlOptions): string {
  const { rows, step, formatValue } = options;
  const body = rows
    .map(
      (r) =>
        `<div class="chart-tooltip-row"><span class="chart-tooltip-swatch" style="background:${r.color}"></span>` +
        `<span class="chart-tooltip-name">${escapeHtml(r.name)}</span>` +
        `<span class="chart-tooltip-value">${valueHtml(r, formatValue)}</span></div>`,
    )
    .join('');
  const x = options.formatX ? options.formatX(step) : String(step);
  return `<div class="chart-tooltip-title">${escapeHtml(options.xLabel ?? 'step')} ${escapeHtml(x)}</div>${body}`;
}

/** A row's value: the logged one, or the smoothed one with the logged one faint after it. */
function valueHtml(r: TooltipRow, formatValue: (value: number) => string): string {
  if (!r.point) return '—';
  const raw = escapeHtml(formatValue(r.point.value));
  if (r.smoothed === undefined) return raw;
  return `${escapeHtml(formatValue(r.smoothed))} <span class="chart-tooltip-raw">(${raw})</span>`;
}

/** Text as HTML: the five special characters as numeric entities. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Options of {@link valueDomain}. */
export interface ValueDomainOptions {
  /** Log scale: only positive values count (the others cannot be drawn). Default linear. */
  scale?: 'linear' | 'log';
  /**
   * Fit the 5th to 95th percentile instead of min..max, so one spike (a diverging step) does
   * not flatten the rest of the curve; the padding is then 10% of that range.
   */
  ignoreOutliers?: boolean;
}

/** A y domain and how many values it cannot show. */
export interface ValueDomain {
  domain: Extent;
  /** Values left out because they are not positive (log scale). */
  nonPositive: number;
}

/** The value at percentile `p` (0..1) of ascending `sorted`, interpolated like numpy's default. */
export function percentile(sorted: readonly number[], p: number): number {
  return quantileSorted(sorted as number[], p) ?? NaN;
}

/**
 * The y domain of a chart's values, non-finite values skipped; null when nothing is left.
 * Linear: min..max padded 5% (the low end clamped at 0 for non-negative data), or with
 * `ignoreOutliers` the 5th..95th percentile padded 10%. Log: the positive values only (the
 * number left out is returned), min..max or percentiles, padded by 5% of the span in log space.
 * A single value gets a non-empty range around it.
 */
export function valueDomain(
  values: readonly number[],
  options: ValueDomainOptions = {},
): ValueDomain | null {
  const finite = values.filter(Number.isFinite);
  const log = options.scale === 'log';
  const usable = log ? finite.filter((v) => v > 0) : finite;
  const nonPositive = finite.length - usable.length;
  if (usable.length === 0) return null;
  const sorted = (log ? usable.map(Math.log10) : usable).sort((a, b) => a - b);
  let lo = sorted[0] ?? 0;
  let hi = sorted.at(-1) ?? 0;
  let padding = 0.05;
  if (options.ignoreOutliers) {
    const p5 = percentile(sorted, 0.05);
    const p95 = percentile(sorted, 0.95);
    if (p95 > p5) {
      [lo, hi] = [p5, p95];
      padding = 0.1;
    }
  }
  const span = hi - lo;
  const pad = span === 0 ? (log ? 0.5 : Math.abs(lo) * 0.1 || 1) : span * padding;
  if (log) return { domain: [10 ** (lo - pad), 10 ** (hi + pad)], nonPositive };
  let bottom = lo - pad;
  // Losses and accuracies are never negative: do not start their axis below 0.
  if (lo >= 0 && bottom < 0) bottom = 0;
  return { domain: [bottom, hi + pad], nonPositive };
}

/**
 * Tick values of a log axis over `domain`: the powers of ten inside it, with the 2× and 5×
 * multiples added while there are fewer than `count`, and every integer multiple when the
 * domain spans less than a decade (at most `2 * count` values either way).
 */
export function logTicks(domain: Extent, count: number): number[] {
  const [lo, hi] = domain[0] <= domain[1] ? domain : [domain[1], domain[0]];
  if (!(lo > 0) || !Number.isFinite(hi)) return [];
  const from = Math.floor(Math.log10(lo));
  const to = Math.ceil(Math.log10(hi));
  const pick = (mantissas: readonly number[]) => {
    const out: number[] = [];
    for (let e = from; e <= to; e++)
      for (const m of mantissas) {
        // Rounded so 3 × 10^-1 prints as 0.3, not 0.30000000000000004.
        const v = +(m * 10 ** e).toPrecision(12);
        if (v >= lo && v <= hi) out.push(v);
      }
    return out;
  };
  for (const mantissas of [[1], [1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]]) {
    const ticks = pick(mantissas);
    if (ticks.length >= Math.min(count, 3) || mantissas.length === 9) {
      if (ticks.length <= 2 * count) return ticks;
      const every = Math.ceil(ticks.length / (2 * count));
      return ticks.filter((_, i) => i % every === 0);
    }
  }
  return [];
}
