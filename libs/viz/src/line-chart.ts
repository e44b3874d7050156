import { axisBottom, axisLeft, line, pointer, scaleLinear } from 'd3';
import type { ScaleLinear } from 'd3';
import { createChart, drawHorizontalGrid, type Group, type Svg, type Tooltip } from './chart-shell';
import { seriesDomain } from './extent';
import { formatNumber } from './format';
import {
  drawsPoints,
  markersInDomain,
  plotSeries,
  snapStep,
  tooltipHtml,
  tooltipRows,
  type PlotSeries,
} from './line-chart-data';
import type { VerticalMarker } from './markers';
import type { Point } from './types';

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
  /** Height of the SVG in CSS pixels. */
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
  /** Show the legend above the plot. Default true. */
  legend?: boolean;
  /** Text drawn in the middle when there is no finite point. Default "No data yet". */
  emptyText?: string;
  /** Accessible name of the chart (`aria-label` of the SVG). */
  ariaLabel?: string;
  /**
   * Text written above each point (`text.point-label`, full text in `data-label`); an array is
   * drawn as stacked lines. Return null for no label. Implies dots.
   */
  pointLabel?: (point: Point, series: LineSeries) => string | readonly string[] | null;
  /**
   * Vertical lines across the plot (`line.marker-line[data-step]`), e.g. the boundary between
   * training phases, with their labels (`text.marker-label`) on either side at the top.
   */
  markers?: readonly VerticalMarker[];
}

/** Handle returned by the chart factories. */
export interface ChartHandle<O> {
  /** Re-renders with new options (e.g. new points while a run trains), keeping the hover state. */
  update(options: O): void;
  /** Removes everything the chart added to its container. */
  destroy(): void;
}

const DEFAULT_MARGIN: Margin = { top: 30, right: 16, bottom: 38, left: 52 };

type Scale = ScaleLinear<number, number>;

/** What one render draws from: the options resolved once. */
interface Frame {
  options: LineChartOptions;
  margin: Margin;
  innerW: number;
  innerH: number;
  fmt: (value: number) => string;
  series: PlotSeries<LineSeries>[];
  x: Scale;
  y: Scale;
}

/**
 * Draws a multi-series line chart with axes, grid, legend and a hover tooltip into `container`
 * (an empty element; it gets `position: relative` for the tooltip). The SVG carries
 * `data-chart="line"` and one `path.series-line[data-series]` per series so tests can find it.
 * Returns a handle to update the data in place (live runs) or remove the chart.
 */
export function drawLineChart(
  container: HTMLElement,
  initial: LineChartOptions,
): ChartHandle<LineChartOptions> {
  // Last hovered step, so a live update re-draws the tooltip where the user is looking.
  const hover: { step: number | null } = { step: null };
  return createChart(
    container,
    'line',
    initial,
    (svg, tooltip, options) => renderLineChart(svg, tooltip, options, hover),
    { className: 'line-chart' },
  );
}

/** Draws the whole chart from `options` into the cleared `svg`; `hover` outlives redraws. */
function renderLineChart(
  svg: Svg,
  tooltip: Tooltip,
  options: LineChartOptions,
  hover: { step: number | null },
): void {
  const { width, height } = options;
  const margin = { ...DEFAULT_MARGIN, ...options.margin };
  const innerW = Math.max(10, width - margin.left - margin.right);
  const innerH = Math.max(10, height - margin.top - margin.bottom);
  svg
    .attr('width', width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('aria-label', options.ariaLabel ?? options.yLabel ?? 'line chart');
  const series = plotSeries(options.series);
  if (options.legend !== false) drawLegend(svg, series, margin.left);
  const plot = svg
    .append('g')
    .attr('class', 'plot')
    .attr('transform', `translate(${margin.left},${margin.top})`);
  const domain = seriesDomain(series);
  if (!domain) {
    drawEmpty(plot, { innerW, innerH, text: options.emptyText ?? 'No data yet' });
    return;
  }
  const frame: Frame = {
    options,
    margin,
    innerW,
    innerH,
    fmt: options.formatValue ?? ((v: number) => formatNumber(v, 4)),
    series,
    x: scaleLinear().domain(domain.x).range([0, innerW]),
    y: scaleLinear().domain(domain.y).range([innerH, 0]).nice(),
  };
  drawAxes(plot, frame);
  drawSeries(plot, frame);
  drawMarkers(plot, frame, markersInDomain(options.markers ?? [], domain.x));
  const showAt = drawHover(plot, tooltip, frame, {
    onMove: (step) => {
      hover.step = step;
    },
  });
  // createChart hid the tooltip before this redraw.
  if (hover.step !== null) showAt(hover.step);
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

/** Grid lines, both axes (integer step ticks when every step is an integer) and axis labels. */
function drawAxes(plot: Group, f: Frame): void {
  const { x, y, innerW, innerH, margin, options } = f;
  const xTicks = Math.max(2, Math.floor(innerW / 80));
  const yTicks = Math.max(2, Math.floor(innerH / 40));
  const integerSteps = f.series.every((s) => s.points.every((p) => Number.isInteger(p.step)));
  drawHorizontalGrid(plot, y, { ticks: yTicks, width: innerW });

  const xAxis = axisBottom(x).ticks(xTicks).tickSizeOuter(0);
  // Steps are integers: never print "2.5" as a step tick.
  if (integerSteps)
    xAxis.tickValues(x.ticks(xTicks).filter(Number.isInteger)).tickFormat((d) => String(d));
  plot
    .append('g')
    .attr('class', 'axis x-axis')
    .attr('transform', `translate(0,${innerH})`)
    .call(xAxis);
  plot
    .append('g')
    .attr('class', 'axis y-axis')
    .call(
      axisLeft(y)
        .ticks(yTicks)
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
      .text(options.yLabel);
  }
}

/** One `g.series-group` per series: its line, its dots and its point labels. */
function drawSeries(plot: Group, f: Frame): void {
  const { x, y, options } = f;
  const pathOf = line<Point>()
    .defined((p) => Number.isFinite(p.value))
    .x((p) => x(p.step))
    .y((p) => y(p.value));
  const showPoints = drawsPoints(f.series, {
    showPoints: options.showPoints,
    hasPointLabels: options.pointLabel !== undefined,
  });
  const lines = plot.append('g').attr('class', 'series');
  for (const s of f.series) {
    const g = lines.append('g').attr('class', 'series-group').attr('data-series', s.name);
    g.append('path')
      .attr('class', 'series-line')
      .attr('data-series', s.name)
      .attr('data-points', s.points.length)
      .attr('fill', 'none')
      .attr('stroke', s.color)
      .attr('stroke-width', 2)
      .attr('stroke-linejoin', 'round')
      .attr('stroke-linecap', 'round')
      .attr('stroke-dasharray', s.dashed ? '6 4' : null)
      .attr('d', pathOf(s.points));
    if (showPoints) {
      g.selectAll('circle')
        .data(s.points.filter((p) => Number.isFinite(p.value)))
        .join('circle')
        .attr('class', 'series-point')
        .attr('r', 2.75)
        .attr('cx', (p) => x(p.step))
        .attr('cy', (p) => y(p.value))
        .attr('fill', s.dashed ? '#fff' : s.color)
        .attr('stroke', s.color)
        .attr('stroke-width', 1.5);
    }
    if (options.pointLabel) drawPointLabels(g, f, s, options.pointLabel);
  }
}

/** `text.point-label` above each point the label function labels (stacked lines as tspans). */
function drawPointLabels(
  g: Group,
  f: Frame,
  s: PlotSeries<LineSeries>,
  labelOf: NonNullable<LineChartOptions['pointLabel']>,
): void {
  const { x, y, innerW } = f;
  for (const p of s.points) {
    if (!Number.isFinite(p.value)) continue;
    const label = labelOf(p, s);
    if (label === null) continue;
    const lines = typeof label === 'string' ? [label] : label;
    const text = g
      .append('text')
      .attr('class', 'point-label')
      .attr('data-label', lines.join(' '))
      .attr('x', x(p.step))
      .attr('y', y(p.value) - 8 - (lines.length - 1) * 12)
      // Labels at the plot edges grow inwards instead of hanging over the axis.
      .attr('text-anchor', x(p.step) < 16 ? 'start' : x(p.step) > innerW - 16 ? 'end' : 'middle');
    lines.forEach((l, i) =>
      text
        .append('tspan')
        .attr('x', x(p.step))
        .attr('dy', i === 0 ? 0 : 12)
        .text(l),
    );
  }
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
 * The hover layer: a vertical line and a dot per series at the logged step nearest the
 * pointer, and the tooltip listing every series' value there.
 * @returns `showAt(step)`, to show the hover at a step (after a live update)
 */
function drawHover(
  plot: Group,
  tooltip: Tooltip,
  f: Frame,
  events: { onMove: (step: number | null) => void },
): (step: number) => void {
  const { x, y, innerW, innerH, margin, options } = f;
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

  function showAt(step: number): void {
    const snapped = snapStep(f.series, step);
    if (snapped === null) return;
    hover.style('display', null);
    hoverLine.attr('x1', x(snapped)).attr('x2', x(snapped));
    const rows = tooltipRows(f.series, snapped);
    rows.forEach(({ point: p }, i) => {
      const dot = hoverDots[i];
      if (!dot) return;
      if (p && Number.isFinite(p.value))
        dot.style('display', null).attr('cx', x(p.step)).attr('cy', y(p.value));
      else dot.style('display', 'none');
    });
    tooltip
      .style('display', 'block')
      .html(tooltipHtml({ rows, step: snapped, xLabel: options.xLabel, formatValue: f.fmt }));
    // Flip the tooltip to the left of the cursor line in the right half of the plot.
    const px = margin.left + x(snapped);
    const node = tooltip.node();
    const tipWidth = node ? node.offsetWidth : 0;
    const left = px > options.width / 2 ? px - tipWidth - 12 : px + 12;
    tooltip.style('left', `${Math.max(0, left)}px`).style('top', `${margin.top + 4}px`);
  }

  plot
    .append('rect')
    .attr('class', 'hover-target')
    .attr('width', innerW)
    .attr('height', innerH)
    .attr('fill', 'transparent')
    .on('pointermove', (event: PointerEvent) => {
      const [mx] = pointer(event);
      const step = x.invert(mx);
      events.onMove(step);
      showAt(step);
    })
    .on('pointerleave', () => {
      events.onMove(null);
      hover.style('display', 'none');
      tooltip.style('display', 'none');
    });
  return showAt;
}

function drawLegend(
  svg: Svg,
  series: readonly { name: string; color: string; dashed?: boolean }[],
  left: number,
): void {
  const legend = svg.append('g').attr('class', 'legend').attr('transform', `translate(${left},12)`);
  let offset = 0;
  for (const s of series) {
    const item = legend
      .append('g')
      .attr('class', 'legend-item')
      .attr('transform', `translate(${offset},0)`);
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
    const textWidth =
      node && typeof node.getComputedTextLength === 'function' ? node.getComputedTextLength() : 0;
    offset += 24 + (textWidth || s.name.length * 7) + 18;
  }
}
