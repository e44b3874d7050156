import { axisBottom, axisLeft, line, pointer, scaleLinear, scaleLog } from 'd3';
import type { ScaleContinuousNumeric, ScaleLinear, Selection } from 'd3';
import {
  createChart,
  textWidth,
  uniqueId,
  type Group,
  type Svg,
  type Tooltip,
} from './chart-shell';
import type { CrosshairBus } from './crosshair';
import { finiteExtent } from './extent';
import { formatNumber } from './format';
import { layoutLabels, legendRows } from './label-layout';
import {
  drawsPoints,
  logTicks,
  markersInDomain,
  plotSeries,
  snapStep,
  tooltipHtml,
  tooltipRows,
  valueDomain,
  type PlotSeries,
  type TooltipRow,
} from './line-chart-data';
import type { VerticalMarker } from './markers';
import { emaSmooth } from './smoothing';
import type { Extent, Point } from './types';
import { formatSeconds, relativeTicks, wallTicks, wallTimeFormat, type XFormat } from './x-axis';
import { brushDomain, isZoomed, pointsInDomain, visibleDomain } from './zoom';

/** One line of a {@link drawLineChart} chart. */
export interface LineSeries {
  /** Legend and tooltip label; also written to the path's `data-series` attribute. */
  name: string;
  /** Points in any order; non-finite values leave a gap in the line instead of breaking the scale. */
  points: readonly Point[];
  /** Stroke colour (CSS colour). Default: the palette colour for the series' position. */
  color?: string;
  /** Draw the line dashed, e.g. for a validation curve next to its training curve. */
  dashed?: boolean;
}

/** Space in pixels between the SVG edge and the plot area. */
export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** Options of {@link drawLineChart}; pass the full object again to `update`. */
export interface LineChartOptions {
  /** Series to plot on shared axes. */
  series: readonly LineSeries[];
  /** Width of the SVG in CSS pixels. */
  width: number;
  /** Height of the SVG in CSS pixels (the legend band, when it wraps, is added on top). */
  height: number;
  /** Label under the x axis (e.g. "epoch"). */
  xLabel?: string;
  /** Label along the y axis (e.g. "loss"). */
  yLabel?: string;
  /** Overrides of the default margins (room for axes, labels and legend). */
  margin?: Partial<Margin>;
  /** Formats y tick labels and tooltip values. Default {@link formatNumber}. */
  formatValue?: (value: number) => string;
  /** Draw a dot per point; default only when every series has at most 60 points (epoch-level data). */
  showPoints?: boolean;
  /** Show the legend in its own band above the plot (wrapped to rows). Default true. */
  legend?: boolean;
  /** Text drawn in the middle when there is no finite point. Default "No data yet". */
  emptyText?: string;
  /** Accessible name of the chart (`aria-label` of the SVG). */
  ariaLabel?: string;
  /**
   * Text written near each point (`text.point-label`, full text in `data-label`), placed so that
   * labels overlap neither each other, the points nor the axes (a label with no room gets class
   * `is-hidden`); an array is drawn as stacked lines. Return null for no label. Implies dots.
   */
  pointLabel?: (point: Point, series: LineSeries) => string | readonly string[] | null;
  /**
   * Vertical lines across the plot (`line.marker-line[data-step]`), e.g. the boundary between
   * training phases, with their labels (`text.marker-label`) on either side at the top.
   */
  markers?: readonly VerticalMarker[];
  /**
   * TensorBoard smoothing weight, 0 (off) to 0.999: each series gets a `path.series-smoothed`
   * (debiased EMA, {@link emaSmooth}) over its logged line, which is then drawn faint.
   */
  smoothing?: number;
  /** y scale; on `log` non-positive values are left out and a `text.chart-note` says how many. */
  yScale?: 'linear' | 'log';
  /** Fit the y axis to the 5th..95th percentile of the values in view (spikes run off the plot). */
  ignoreOutliers?: boolean;
  /**
   * Zoomed x range. Leave undefined to let the chart keep its own zoom (drag to zoom,
   * double-click to reset); pass a range or null, with `onZoom`, to control it from outside.
   */
  xDomain?: Extent | null;
  /** Called with the range a drag selected, or null on double-click (reset). */
  onZoom?: (domain: Extent | null) => void;
  /** How x ticks and the tooltip title read: numbers (default), seconds as durations, ms as clock times. */
  xFormat?: XFormat;
  /** Syncs the hover line with the other charts of `group` on `bus` (see {@link CrosshairBus}). */
  crosshair?: { bus: CrosshairBus; group: string };
}

/** Handle returned by the chart factories. */
export interface ChartHandle<O> {
  /** Re-renders with new options (e.g. new points while a run trains), keeping the hover state. */
  update(options: O): void;
  /** Removes everything the chart added to its container. */
  destroy(): void;
}

const DEFAULT_MARGIN: Margin = { top: 30, right: 16, bottom: 38, left: 52 };
/** Height of one legend row; rows after the first push the plot down. */
const LEGEND_ROW = 16;

type Scale = ScaleContinuousNumeric<number, number>;

/** A series as drawn: its points in x order and, when smoothing, the smoothed points. */
type DrawnSeries = PlotSeries<LineSeries> & { smoothed: Point[] | null };

/** What one render draws from: the options resolved once. */
interface Frame {
  options: LineChartOptions;
  margin: Margin;
  innerW: number;
  innerH: number;
  fmt: (value: number) => string;
  fmtX: (x: number) => string;
  series: DrawnSeries[];
  x: ScaleLinear<number, number>;
  y: Scale;
  log: boolean;
  clipId: string;
}

/** State of one chart that outlives its redraws. */
interface ChartState {
  /** Last hovered x on this chart, so a live update re-draws the tooltip where the user looks. */
  hover: number | null;
  /** The chart's own zoom, when `xDomain` is not controlled from outside. */
  zoom: Extent | null;
  /** Shows or hides the hover at an x, set by each render; used by the crosshair bus. */
  showAt: ((x: number) => void) | null;
  hide: (() => void) | null;
}

/**
 * Draws a multi-series line chart with axes, grid, legend and a hover tooltip into `container`
 * (an empty element; it gets `position: relative` for the tooltip). The SVG carries
 * `data-chart="line"`, `data-x-domain="lo,hi"` (what is in view) and one
 * `path.series-line[data-series]` per series so tests can find it. Dragging across the plot
 * zooms into that x range (`rect.brush-selection` while dragging); double-click resets.
 * Returns a handle to update the data in place (live runs) or remove the chart.
 */
export function drawLineChart(
  container: HTMLElement,
  initial: LineChartOptions,
): ChartHandle<LineChartOptions> {
  const state: ChartState = { hover: null, zoom: null, showAt: null, hide: null };
  // Identity of this chart on the crosshair bus.
  const source = {};
  let current = initial;
  let subscription: { bus: CrosshairBus; group: string; off: () => void } | null = null;
  const resubscribe = (o: LineChartOptions) => {
    const want = o.crosshair;
    if (subscription && want?.bus === subscription.bus && want.group === subscription.group) return;
    subscription?.off();
    subscription = null;
    if (!want) return;
    const off = want.bus.subscribe({
      source,
      group: want.group,
      onMove: (x) => (x === null ? state.hide?.() : state.showAt?.(x)),
    });
    subscription = { bus: want.bus, group: want.group, off };
  };
  const events: ChartEvents = {
    hovered: (x) => {
      state.hover = x;
      current.crosshair?.bus.publish(source, current.crosshair.group, x);
    },
    zoomed: (domain) => {
      current.onZoom?.(domain);
      if (current.xDomain === undefined) {
        state.zoom = domain;
        inner.update(current);
      }
    },
  };
  const inner = createChart(
    container,
    'line',
    initial,
    (svg, tooltip, options) => {
      current = options;
      resubscribe(options);
      renderLineChart(svg, tooltip, options, { state, events });
    },
    { className: 'line-chart' },
  );
  return {
    update: (options) => inner.update(options),
    destroy() {
      subscription?.off();
      subscription = null;
      inner.destroy();
    },
  };
}

/** What the chart's pointer handlers report to {@link drawLineChart}. */
interface ChartEvents {
  hovered(x: number | null): void;
  zoomed(domain: Extent | null): void;
}

/** The series as drawn: sorted, coloured, and smoothed when asked. */
function drawnSeries(options: LineChartOptions): DrawnSeries[] {
  const weight = options.smoothing ?? 0;
  return plotSeries(options.series).map((s) => ({
    ...s,
    smoothed: weight > 0 ? emaSmooth(s.points, weight) : null,
  }));
}

/** The full x range of the finite points (a single step widened by 1 each side); null if none. */
function fullXDomain(series: readonly DrawnSeries[]): Extent | null {
  const x = finiteExtent(
    series.flatMap((s) => s.points.filter((p) => Number.isFinite(p.value)).map((p) => p.step)),
  );
  if (!x) return null;
  return x[0] === x[1] ? [x[0] - 1, x[1] + 1] : x;
}

/** Sizes the SVG and draws the legend band; returns the margins and the plot group. */
function layoutChart(
  svg: Svg,
  options: LineChartOptions,
  series: readonly DrawnSeries[],
): { margin: Margin; innerW: number; innerH: number; plot: Group } {
  const { width } = options;
  const margin = { ...DEFAULT_MARGIN, ...options.margin };
  svg
    .attr('width', width)
    .attr('aria-label', options.ariaLabel ?? options.yLabel ?? 'line chart')
    .attr('data-x-domain', null);
  if (options.legend !== false) {
    const rows = drawLegend(svg, series, {
      left: margin.left,
      maxWidth: width - margin.left - margin.right,
    });
    // The legend has a band of its own: extra rows push the plot down instead of covering it.
    margin.top += Math.max(0, rows - 1) * LEGEND_ROW;
  }
  const height =
    options.height + Math.max(0, margin.top - (options.margin?.top ?? DEFAULT_MARGIN.top));
  svg.attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
  const plot = svg
    .append('g')
    .attr('class', 'plot')
    .attr('transform', `translate(${margin.left},${margin.top})`);
  return {
    margin,
    innerW: Math.max(10, width - margin.left - margin.right),
    innerH: Math.max(10, height - margin.top - margin.bottom),
    plot,
  };
}

/** The x formatter of the options' x format over `domain`. */
function xFormatter(options: LineChartOptions, domain: Extent): (x: number) => string {
  const xFormat = options.xFormat ?? 'number';
  if (xFormat === 'duration') return formatSeconds;
  if (xFormat === 'time') return wallTimeFormat(domain[1] - domain[0], { utc: true });
  return (v) => String(+v.toFixed(6));
}

/** Draws the whole chart from `options` into the cleared `svg`; `ctx.state` outlives redraws. */
function renderLineChart(
  svg: Svg,
  tooltip: Tooltip,
  options: LineChartOptions,
  ctx: { state: ChartState; events: ChartEvents },
): void {
  const { state } = ctx;
  state.showAt = null;
  state.hide = null;
  const series = drawnSeries(options);
  const { margin, innerW, innerH, plot } = layoutChart(svg, options, series);
  const full = fullXDomain(series);
  const zoom = options.xDomain !== undefined ? options.xDomain : state.zoom;
  const xDomain = full ? visibleDomain(full, zoom) : null;
  const log = options.yScale === 'log';
  // The y axis fits what is in view: zooming into the tail of a loss curve shows its detail.
  const inView = xDomain
    ? series.flatMap((s) => pointsInDomain(s.points, xDomain).map((p) => p.value))
    : [];
  const yFit = valueDomain(inView, {
    scale: options.yScale,
    ignoreOutliers: options.ignoreOutliers,
  });
  if (!full || !xDomain || !yFit) {
    const text =
      full && log
        ? 'No positive values to draw on a log scale'
        : (options.emptyText ?? 'No data yet');
    drawEmpty(plot, { innerW, innerH, text });
    return;
  }
  svg
    .attr('data-x-domain', xDomain.join(','))
    .attr('data-zoomed', isZoomed(full, xDomain) ? 'true' : null);
  const frame: Frame = {
    options,
    margin,
    innerW,
    innerH,
    fmt: options.formatValue ?? ((v: number) => formatNumber(v, 4)),
    fmtX: xFormatter(options, xDomain),
    series,
    x: scaleLinear().domain(xDomain).range([0, innerW]),
    y: log
      ? scaleLog().domain(yFit.domain).range([innerH, 0])
      : scaleLinear().domain(yFit.domain).range([innerH, 0]).nice(),
    log,
    clipId: uniqueId('line-clip'),
  };
  drawPlot(svg, plot, { frame, tooltip, ctx, nonPositive: yFit.nonPositive });
}

/** Everything inside the plot area: clip, axes, note, lines, markers and the hover layer. */
function drawPlot(
  svg: Svg,
  plot: Group,
  opts: {
    frame: Frame;
    tooltip: Tooltip;
    ctx: { state: ChartState; events: ChartEvents };
    nonPositive: number;
  },
): void {
  const { frame, nonPositive, ctx } = opts;
  svg
    .append('defs')
    .append('clipPath')
    .attr('id', frame.clipId)
    .append('rect')
    .attr('x', 0)
    .attr('y', -4)
    .attr('width', frame.innerW)
    .attr('height', frame.innerH + 8);
  drawAxes(plot, frame);
  if (nonPositive > 0)
    drawNote(
      plot,
      frame,
      `${nonPositive} value${nonPositive === 1 ? '' : 's'} ≤ 0 not drawn (log scale)`,
    );
  drawSeries(plot, frame);
  const xDomain = frame.x.domain() as Extent;
  drawMarkers(plot, frame, markersInDomain(frame.options.markers ?? [], xDomain));
  const showAt = drawHover(plot, opts.tooltip, frame, ctx);
  // createChart hid the tooltip before this redraw.
  if (ctx.state.hover !== null) showAt(ctx.state.hover);
}

/** The empty-chart message in the middle of the plot area. */
function drawEmpty(plot: Group, opts: { innerW: number; innerH: number; text: string }): void {
  plot
    .append('text')
    .attr('class', 'chart-empty')
    .attr('x', opts.innerW / 2)
    .attr('y', opts.innerH / 2)
    .attr('text-anchor', 'middle')
    .text(opts.text);
}

/** A note under the plot, left of the x axis title (e.g. values a log scale cannot show). */
function drawNote(plot: Group, f: Frame, text: string): void {
  plot
    .append('text')
    .attr('class', 'chart-note')
    .attr('x', 0)
    .attr('y', f.innerH + f.margin.bottom - 6)
    .attr('text-anchor', 'start')
    .text(text);
}

/** The x tick values and their labels for the frame's x format. */
function xTicks(f: Frame, count: number): { values: number[]; format: (v: number) => string } {
  const domain = f.x.domain() as Extent;
  const format = f.options.xFormat ?? 'number';
  if (format === 'duration') return { values: relativeTicks(domain, count), format: f.fmtX };
  if (format === 'time') return { values: wallTicks(domain, count), format: f.fmtX };
  const values = f.x.ticks(count);
  const integerSteps = f.series.every((s) => s.points.every((p) => Number.isInteger(p.step)));
  // Steps are integers: never print "2.5" as a step tick.
  if (integerSteps) return { values: values.filter(Number.isInteger), format: (d) => String(d) };
  return { values, format: f.x.tickFormat(count) };
}

/** Grid lines, both axes and both axis titles. */
function drawAxes(plot: Group, f: Frame): void {
  const { x, y, innerW, innerH, margin, options } = f;
  const yCount = Math.max(2, Math.floor(innerH / 40));
  const yValues = f.log ? logTicks(y.domain() as Extent, yCount) : y.ticks(yCount);
  plot
    .append('g')
    .attr('class', 'grid')
    .selectAll('line')
    .data(yValues)
    .join('line')
    .attr('x1', 0)
    .attr('x2', innerW)
    .attr('y1', (d) => y(d))
    .attr('y2', (d) => y(d));
  const xt = xTicks(f, Math.max(2, Math.floor(innerW / 80)));
  plot
    .append('g')
    .attr('class', 'axis x-axis')
    .attr('transform', `translate(0,${innerH})`)
    .call(
      axisBottom(x)
        .tickValues(xt.values)
        .tickFormat((d) => xt.format(Number(d)))
        .tickSizeOuter(0),
    );
  plot
    .append('g')
    .attr('class', 'axis y-axis')
    .call(
      axisLeft(y)
        .tickValues(yValues)
        .tickSizeOuter(0)
        .tickFormat((d) => f.fmt(Number(d))),
    );

  if (options.xLabel) {
    plot
      .append('text')
      .attr('class', 'axis-label x-label')
      .attr('x', innerW)
      .attr('y', innerH + margin.bottom - 6)
      .attr('text-anchor', 'end')
      .text(options.xLabel);
  }
  if (options.yLabel) {
    plot
      .append('text')
      .attr('class', 'axis-label y-label')
      .attr('transform', 'rotate(-90)')
      .attr('x', 0)
      .attr('y', -margin.left + 12)
      .attr('text-anchor', 'end')
      .text(f.log ? `${options.yLabel} (log)` : options.yLabel);
  }
}

/** One `g.series-group` per series: its line, its smoothed line, its dots and its point labels. */
function drawSeries(plot: Group, f: Frame): void {
  const { x, y, options } = f;
  const drawable = (p: Point) => Number.isFinite(p.value) && (!f.log || p.value > 0);
  const pathOf = line<Point>()
    .defined(drawable)
    .x((p) => x(p.step))
    .y((p) => y(p.value));
  const showPoints = drawsPoints(f.series, {
    showPoints: options.showPoints,
    hasPointLabels: options.pointLabel !== undefined,
  });
  const lines = plot.append('g').attr('class', 'series').attr('clip-path', `url(#${f.clipId})`);
  const [lo, hi] = x.domain() as Extent;
  for (const s of f.series) {
    const g = lines.append('g').attr('class', 'series-group').attr('data-series', s.name);
    const smoothing = s.smoothed !== null;
    g.append('path')
      .attr('class', 'series-line')
      .attr('data-series', s.name)
      .attr('data-points', s.points.length)
      .attr('fill', 'none')
      .attr('stroke', s.color)
      .attr('stroke-width', smoothing ? 1.25 : 2)
      // The logged values stay visible, faint, behind the smoothed line (as in TensorBoard).
      .attr('stroke-opacity', smoothing ? 0.3 : null)
      .attr('stroke-linejoin', 'round')
      .attr('stroke-linecap', 'round')
      .attr('stroke-dasharray', s.dashed ? '6 4' : null)
      .attr('d', pathOf(s.points));
    if (s.smoothed)
      g.append('path')
        .attr('class', 'series-smoothed')
        .attr('data-series', s.name)
        .attr('data-points', s.smoothed.length)
        .attr('fill', 'none')
        .attr('stroke', s.color)
        .attr('stroke-width', 2)
        .attr('stroke-linejoin', 'round')
        .attr('stroke-dasharray', s.dashed ? '6 4' : null)
        .attr('d', pathOf(s.smoothed));
    if (showPoints) {
      g.selectAll('circle')
        .data(s.points.filter((p) => drawable(p) && p.step >= lo && p.step <= hi))
        .join('circle')
        .attr('class', 'series-point')
        .attr('r', 2.75)
        .attr('cx', (p) => x(p.step))
        .attr('cy', (p) => y(p.value))
        .attr('fill', s.dashed ? '#fff' : s.color)
        .attr('stroke', s.color)
        .attr('stroke-opacity', smoothing ? 0.4 : null)
        .attr('fill-opacity', smoothing ? 0.4 : null)
        .attr('stroke-width', 1.5);
    }
  }
  if (options.pointLabel) drawPointLabels(plot, f, options.pointLabel);
}

const LABEL_FONT = 11;
const LABEL_LINE = 12;

/**
 * `text.point-label` near each labelled point in view (stacked lines as tspans), placed by
 * {@link layoutLabels} so that no label covers another, a point or an axis.
 */
function drawPointLabels(
  plot: Group,
  f: Frame,
  labelOf: NonNullable<LineChartOptions['pointLabel']>,
): void {
  const { x, y, innerW, innerH } = f;
  const [lo, hi] = x.domain() as Extent;
  const wanted: { lines: readonly string[]; px: number; py: number; series: string }[] = [];
  for (const s of f.series)
    for (const p of s.points) {
      if (!Number.isFinite(p.value) || (f.log && p.value <= 0) || p.step < lo || p.step > hi)
        continue;
      const label = labelOf(p, s);
      if (label === null) continue;
      wanted.push({
        lines: typeof label === 'string' ? [label] : label,
        px: x(p.step),
        py: y(p.value),
        series: s.name,
      });
    }
  const placed = layoutLabels(
    wanted.map((w) => ({
      px: w.px,
      py: w.py,
      width: Math.max(...w.lines.map((l) => textWidth(l, LABEL_FONT))),
      height: w.lines.length * LABEL_LINE,
    })),
    { width: innerW, height: innerH },
  );
  const layer = plot.append('g').attr('class', 'point-labels');
  wanted.forEach((w, i) => {
    const box = placed[i];
    if (!box) return;
    const cx = box.x + box.width / 2;
    const text = layer
      .append('text')
      .attr('class', box.hidden ? 'point-label is-hidden' : 'point-label')
      .attr('data-label', w.lines.join(' '))
      .attr('data-series', w.series)
      .attr('x', cx)
      // The first baseline sits one line below the box top, less the descent.
      .attr('y', box.y + LABEL_LINE - 2)
      .attr('text-anchor', 'middle')
      .attr('visibility', box.hidden ? 'hidden' : null);
    w.lines.forEach((l, j) =>
      text
        .append('tspan')
        .attr('x', cx)
        .attr('dy', j === 0 ? 0 : LABEL_LINE)
        .text(l),
    );
  });
}

/** `g.marker` per marker: a dashed vertical line and its labels on either side at the top. */
function drawMarkers(plot: Group, f: Frame, markers: readonly VerticalMarker[]): void {
  if (markers.length === 0) return;
  const layer = plot.append('g').attr('class', 'markers');
  for (const m of markers) {
    const mx = f.x(m.step);
    const g = layer.append('g').attr('class', 'marker').attr('data-step', m.step);
    g.append('line')
      .attr('class', 'marker-line')
      .attr('data-step', m.step)
      .attr('x1', mx)
      .attr('x2', mx)
      .attr('y1', 0)
      .attr('y2', f.innerH)
      .attr('stroke', '#6b7785')
      .attr('stroke-width', 1.5)
      .attr('stroke-dasharray', '4 3');
    for (const [text, side] of [
      [m.before, 'before'],
      [m.after, 'after'],
    ] as const) {
      if (!text) continue;
      g.append('text')
        .attr('class', `marker-label marker-${side}`)
        .attr('data-side', side)
        .attr('x', side === 'before' ? mx - 5 : mx + 5)
        .attr('y', 11)
        .attr('text-anchor', side === 'before' ? 'end' : 'start')
        .text(text);
    }
  }
}

/**
 * The hover layer: a vertical line and a dot per series at the logged x nearest the pointer,
 * and the tooltip listing every series' value there; dragging selects an x range to zoom into
 * and double-click resets. Sets `state.showAt` / `state.hide` for the crosshair bus.
 * @returns `showAt(x)`, to show the hover at an x (after a live update)
 */
function drawHover(
  plot: Group,
  tooltip: Tooltip,
  f: Frame,
  ctx: { state: ChartState; events: ChartEvents },
): (x: number) => void {
  const { x, y, innerW, innerH } = f;
  const { state, events } = ctx;
  const hover = plot.append('g').attr('class', 'hover').style('display', 'none');
  const hoverLine = hover
    .append('line')
    .attr('class', 'hover-line')
    .attr('y1', 0)
    .attr('y2', innerH);
  const hoverDots = f.series.map((s) =>
    hover
      .append('circle')
      .attr('class', 'hover-dot')
      .attr('r', 4)
      .attr('fill', s.color)
      .attr('stroke', '#fff')
      .attr('stroke-width', 1.5),
  );
  const [lo, hi] = x.domain() as Extent;

  /** Shows the hover at the logged x nearest `at`; returns that x (null: nothing there). */
  function showAt(at: number): number | null {
    const snapped = snapStep(f.series, at);
    if (snapped === null || snapped < lo || snapped > hi) {
      hide();
      return null;
    }
    hover.style('display', null).attr('data-x', snapped);
    hoverLine.attr('x1', x(snapped)).attr('x2', x(snapped));
    const rows = tooltipRows(f.series, snapped).map((r, i) => {
      const smoothed = f.series[i]?.smoothed?.find((q) => q.step === snapped)?.value;
      return smoothed === undefined ? r : { ...r, smoothed };
    });
    rows.forEach((r, i) => {
      const dot = hoverDots[i];
      const v = r.smoothed ?? r.point?.value;
      if (!dot) return;
      if (r.point && v !== undefined && Number.isFinite(v) && (!f.log || v > 0))
        dot.style('display', null).attr('cx', x(r.point.step)).attr('cy', y(v));
      else dot.style('display', 'none');
    });
    placeTooltip(tooltip, f, { rows, x: snapped });
    return snapped;
  }
  function hide(): void {
    hover.style('display', 'none');
    tooltip.style('display', 'none');
  }
  state.showAt = (at) => void showAt(at);
  state.hide = hide;

  const target = plot
    .append('rect')
    .attr('class', 'hover-target')
    .attr('width', innerW)
    .attr('height', innerH)
    .attr('fill', 'transparent')
    .on('pointermove', (event: PointerEvent) => {
      const snapped = showAt(x.invert(pointer(event)[0]));
      events.hovered(snapped);
    })
    .on('pointerleave', () => {
      events.hovered(null);
      hide();
    });
  attachBrushX(plot, target, { x, innerW, innerH, onZoom: (d) => events.zoomed(d) });
  return state.showAt;
}

/** Fills the tooltip with `rows` at `x` and puts it beside the hover line, inside the chart. */
function placeTooltip(tooltip: Tooltip, f: Frame, at: { rows: TooltipRow[]; x: number }): void {
  const { margin, options } = f;
  tooltip.style('display', 'block').html(
    tooltipHtml({
      rows: at.rows,
      step: at.x,
      xLabel: options.xLabel,
      formatValue: f.fmt,
      formatX: f.fmtX,
    }),
  );
  // Flip the tooltip to the left of the cursor line in the right half of the plot.
  const px = margin.left + f.x(at.x);
  const node = tooltip.node();
  const tipWidth = node ? node.offsetWidth : 0;
  const left = px > options.width / 2 ? px - tipWidth - 12 : px + 12;
  tooltip.style('left', `${Math.max(0, left)}px`).style('top', `${margin.top + 4}px`);
}

/**
 * The legend in its own band above the plot, wrapped to rows that fit `maxWidth`.
 * @returns the number of rows drawn
 */
function drawLegend(
  svg: Svg,
  series: readonly { name: string; color: string; dashed?: boolean }[],
  opts: { left: number; maxWidth: number },
): number {
  const legend = svg
    .append('g')
    .attr('class', 'legend')
    .attr('transform', `translate(${opts.left},12)`);
  const items = series.map((s) => {
    const item = legend.append('g').attr('class', 'legend-item');
    item
      .append('line')
      .attr('x1', 0)
      .attr('x2', 18)
      .attr('y1', 0)
      .attr('y2', 0)
      .attr('stroke', s.color)
      .attr('stroke-width', 2)
      .attr('stroke-dasharray', s.dashed ? '5 3' : null);
    const label = item.append('text').attr('x', 24).attr('dy', '0.35em').text(s.name);
    const node = label.node();
    // getComputedTextLength is unavailable outside a layout engine; fall back to a character estimate.
    const measured =
      node && typeof node.getComputedTextLength === 'function' ? node.getComputedTextLength() : 0;
    return { item, width: 24 + (measured || s.name.length * 7) };
  });
  const { slots, rows } = legendRows(
    items.map((i) => i.width),
    { maxWidth: Math.max(40, opts.maxWidth) },
  );
  items.forEach(({ item }, i) => {
    const slot = slots[i];
    if (slot) item.attr('transform', `translate(${slot.x},${slot.row * LEGEND_ROW})`);
  });
  return rows;
}

/**
 * Drag-to-zoom on `target` (a plot-sized rect in `plot`): a `rect.brush-selection` follows the
 * drag; on release `onZoom` gets the selected x range (drags under 5 px are ignored), and a
 * double-click calls `onZoom(null)`. For charts other than the line chart (ROC).
 */
export function attachBrushX(
  plot: Group,
  target: Selection<SVGRectElement, unknown, null, undefined>,
  opts: {
    x: { domain(): number[]; invert(px: number): number };
    innerW: number;
    innerH: number;
    onZoom: (domain: Extent | null) => void;
  },
): void {
  const brush = plot
    .append('rect')
    .attr('class', 'brush-selection')
    .attr('y', 0)
    .attr('height', opts.innerH)
    .style('display', 'none');
  let from: number | null = null;
  const [lo = 0, hi = 1] = opts.x.domain();
  target
    .on('pointerdown', function (this: SVGRectElement, event: PointerEvent) {
      if (event.button !== 0) return;
      from = pointer(event, plot.node())[0];
      if (typeof this.setPointerCapture === 'function') this.setPointerCapture(event.pointerId);
      brush.style('display', null).attr('x', from).attr('width', 0);
    })
    .on('pointermove.brush', (event: PointerEvent) => {
      if (from === null) return;
      const mx = pointer(event, plot.node())[0];
      const a = Math.max(0, Math.min(from, mx));
      const b = Math.min(opts.innerW, Math.max(from, mx));
      brush.attr('x', a).attr('width', b - a);
    })
    .on('pointerup', (event: PointerEvent) => {
      if (from === null) return;
      const range = brushDomain(from, pointer(event, plot.node())[0], {
        domain: [lo, hi],
        range: [0, opts.innerW],
      });
      from = null;
      brush.style('display', 'none');
      if (range) opts.onZoom(range);
    })
    .on('dblclick', () => opts.onZoom(null));
}
