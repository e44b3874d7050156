/**
 * d3 drawing of a layer's distributions: percentile bands over epochs (TensorBoard style) and one
 * epoch's histogram. The data comes shaped by ./distributions.
 */
import { area, axisBottom, axisLeft, line, max as d3max, scaleLinear } from 'd3';
import {
  createChart,
  drawHorizontalGrid,
  showTooltip,
  type Group,
  type Svg,
  type Tooltip,
} from './chart-shell';
import type { DistributionBands, HistogramBar } from './distributions';
import { formatNumber } from './format';
import type { ChartHandle, Margin } from './line-chart';
import { PALETTE } from './palette';

const MARGIN: Margin = { top: 12, right: 14, bottom: 38, left: 62 };

/** Fill opacity of each band, outermost first (the bands overlap, so inner ones look darker). */
const BAND_OPACITY = [0.14, 0.18, 0.22, 0.28];

/** Options of {@link drawDistributionChart}. */
export interface DistributionChartOptions {
  bands: DistributionBands;
  width: number;
  height: number;
  /** Step drawn as a vertical rule (the epoch the histogram shows). */
  selectedStep?: number | null;
  /** Called with the nearest recorded step when the plot is clicked. */
  onSelectStep?: (step: number) => void;
  /** Label under the x axis (default "epoch"). */
  xLabel?: string;
  ariaLabel?: string;
  color?: string;
}

/**
 * Draws the bands (`path.band[data-range="16-84"]`), the median (`path.median`), one
 * `circle.epoch-dot[data-step]` per recorded epoch and, on hover, the nearest epoch's percentiles
 * in the tooltip. `svg[data-epochs]` holds the number of epochs drawn.
 */
export function drawDistributionChart(
  container: HTMLElement,
  initial: DistributionChartOptions,
): ChartHandle<DistributionChartOptions> {
  return createChart(container, 'distribution', initial, renderDistribution);
}

function renderDistribution(svg: Svg, tooltip: Tooltip, o: DistributionChartOptions): void {
  const { width, height, bands } = o;
  svg
    .attr('width', width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('aria-label', o.ariaLabel ?? 'distribution over epochs')
    .attr('data-epochs', bands.steps.length);
  const innerW = Math.max(10, width - MARGIN.left - MARGIN.right);
  const innerH = Math.max(10, height - MARGIN.top - MARGIN.bottom);
  const plot: Group = svg.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
  const steps = bands.steps;
  if (steps.length === 0) {
    emptyText(plot, innerW, innerH, 'No epochs recorded yet');
    return;
  }
  const lo = Math.min(
    ...bands.bands.flatMap((b) => b.points.map((p) => p.lo)),
    ...bands.median.map((p) => p.value),
  );
  const hi = Math.max(
    ...bands.bands.flatMap((b) => b.points.map((p) => p.hi)),
    ...bands.median.map((p) => p.value),
  );
  const pad = lo === hi ? Math.abs(lo) * 0.1 || 1 : 0;
  const x = scaleLinear()
    .domain(steps.length === 1 ? [steps[0]! - 1, steps[0]! + 1] : [steps[0]!, steps.at(-1)!])
    .range([0, innerW]);
  const y = scaleLinear()
    .domain([lo - pad, hi + pad])
    .nice()
    .range([innerH, 0]);
  drawHorizontalGrid(plot, y, { ticks: 5, width: innerW });
  drawAxes(plot, { x, y, innerW, innerH, xLabel: o.xLabel ?? 'epoch', integerX: true });
  const frame: DistFrame = { plot, x, y, innerH, color: o.color ?? PALETTE[0] };
  drawBands(frame, bands);
  if (o.selectedStep != null) drawSelectedStep(frame, o.selectedStep);
  drawHoverTarget(frame, { svg, tooltip, innerW, bands, onSelectStep: o.onSelectStep });
}

type Linear = ReturnType<typeof scaleLinear<number, number>>;

interface DistFrame {
  plot: Group;
  x: Linear;
  y: Linear;
  innerH: number;
  color: string;
}

/** The bands, the median line and one dot per epoch. */
function drawBands({ plot, x, y, color }: DistFrame, bands: DistributionBands): void {
  bands.bands.forEach((b, i) => {
    plot
      .append('path')
      .datum(b.points)
      .attr('class', 'band')
      .attr('data-range', `${b.range[0]}-${b.range[1]}`)
      .attr('fill', color)
      .attr('fill-opacity', BAND_OPACITY[i] ?? 0.3)
      .attr(
        'd',
        area<{ step: number; lo: number; hi: number }>()
          .x((p) => x(p.step))
          .y0((p) => y(p.lo))
          .y1((p) => y(p.hi)),
      );
  });
  plot
    .append('path')
    .datum(bands.median)
    .attr('class', 'median')
    .attr('fill', 'none')
    .attr('stroke', color)
    .attr('stroke-width', 2)
    .attr(
      'd',
      line<{ step: number; value: number }>()
        .x((p) => x(p.step))
        .y((p) => y(p.value)),
    );
  plot
    .selectAll('circle.epoch-dot')
    .data(bands.median)
    .join('circle')
    .attr('class', 'epoch-dot')
    .attr('data-step', (p) => p.step)
    .attr('cx', (p) => x(p.step))
    .attr('cy', (p) => y(p.value))
    .attr('r', 2.5)
    .attr('fill', color);
}

function drawSelectedStep({ plot, x, innerH }: DistFrame, step: number): void {
  plot
    .append('line')
    .attr('class', 'selected-step')
    .attr('data-step', step)
    .attr('x1', x(step))
    .attr('x2', x(step))
    .attr('y1', 0)
    .attr('y2', innerH)
    .attr('stroke', 'currentColor')
    .attr('stroke-dasharray', '3 3');
}

/** Hover shows the nearest epoch's percentiles; a click selects it. */
function drawHoverTarget(
  { plot, x, innerH }: DistFrame,
  h: {
    svg: Svg;
    tooltip: Tooltip;
    innerW: number;
    bands: DistributionBands;
    onSelectStep?: (step: number) => void;
  },
): void {
  const steps = h.bands.steps;
  const nearest = (event: PointerEvent) => {
    const s = x.invert(pointerX(event, h.svg) - MARGIN.left);
    return steps.reduce((a, b) => (Math.abs(b - s) < Math.abs(a - s) ? b : a), steps[0]!);
  };
  plot
    .append('rect')
    .attr('class', 'hover-target')
    .attr('width', h.innerW)
    .attr('height', innerH)
    .attr('fill', 'transparent')
    .on('pointermove', (event: PointerEvent) => {
      showTooltip(h.tooltip, h.svg, event, bandText(h.bands, nearest(event)));
    })
    .on('pointerleave', () => h.tooltip.style('display', 'none'))
    .on('click', (event: PointerEvent) => h.onSelectStep?.(nearest(event)));
}

/** The tooltip text of one epoch: every band's range and the median. */
export function bandText(bands: DistributionBands, step: number): string {
  const parts = bands.bands.map((b) => {
    const p = b.points.find((q) => q.step === step);
    return p ? `p${b.range[0]}–p${b.range[1]} ${formatNumber(p.lo)} … ${formatNumber(p.hi)}` : '';
  });
  const m = bands.median.find((p) => p.step === step);
  return [`epoch ${step}`, m ? `median ${formatNumber(m.value)}` : '', ...parts]
    .filter(Boolean)
    .join(' · ');
}

/** Options of {@link drawHistogramChart}. */
export interface HistogramChartOptions {
  bars: readonly HistogramBar[];
  width: number;
  height: number;
  /** Label under the x axis (e.g. "kernel value"). */
  xLabel?: string;
  ariaLabel?: string;
  color?: string;
}

/**
 * Draws one histogram: a `rect.hist-bar[data-count]` per bin (with a `<title>`), and on hover
 * the bin's range and count in the tooltip. `svg[data-bins]` holds the number of bins.
 */
export function drawHistogramChart(
  container: HTMLElement,
  initial: HistogramChartOptions,
): ChartHandle<HistogramChartOptions> {
  return createChart(container, 'histogram', initial, renderHistogram);
}

function renderHistogram(svg: Svg, tooltip: Tooltip, o: HistogramChartOptions): void {
  const { width, height, bars } = o;
  svg
    .attr('width', width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('aria-label', o.ariaLabel ?? 'histogram')
    .attr('data-bins', bars.length);
  const innerW = Math.max(10, width - MARGIN.left - MARGIN.right);
  const innerH = Math.max(10, height - MARGIN.top - MARGIN.bottom);
  const plot: Group = svg.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
  const first = bars[0];
  const last = bars.at(-1);
  if (!first || !last) {
    emptyText(plot, innerW, innerH, 'No histogram');
    return;
  }
  const x = scaleLinear().domain([first.x0, last.x1]).range([0, innerW]);
  const y = scaleLinear()
    .domain([0, d3max(bars, (b) => b.count) || 1])
    .nice()
    .range([innerH, 0]);
  drawHorizontalGrid(plot, y, { ticks: 4, width: innerW });
  drawAxes(plot, { x, y, innerW, innerH, xLabel: o.xLabel ?? 'value', integerX: false });
  const color = o.color ?? PALETTE[0];
  const text = (b: HistogramBar, i: number) =>
    `[${formatNumber(b.x0)}, ${formatNumber(b.x1)}${i === bars.length - 1 ? ']' : ')'}: ${b.count}`;
  plot
    .selectAll('rect.hist-bar')
    .data(bars)
    .join('rect')
    .attr('class', 'hist-bar')
    .attr('data-count', (b) => b.count)
    .attr('x', (b) => x(b.x0))
    .attr('width', (b) => Math.max(0.5, x(b.x1) - x(b.x0) - 1))
    .attr('y', (b) => y(b.count))
    .attr('height', (b) => innerH - y(b.count))
    .attr('fill', color)
    .on('pointermove', (event: PointerEvent, b) =>
      showTooltip(tooltip, svg, event, text(b, bars.indexOf(b))),
    )
    .on('pointerleave', () => tooltip.style('display', 'none'))
    .append('title')
    .text((b, i) => text(b, i));
}

function drawAxes(
  plot: Group,
  a: {
    x: Linear;
    y: Linear;
    innerW: number;
    innerH: number;
    xLabel: string;
    integerX: boolean;
  },
): void {
  const xTicks = Math.max(2, Math.min(8, Math.floor(a.innerW / 70)));
  const xAxis = axisBottom(a.x).ticks(xTicks).tickSizeOuter(0);
  if (a.integerX) {
    const ticks = a.x.ticks(xTicks).filter((t) => Number.isInteger(t));
    xAxis.tickValues(ticks).tickFormat((d) => String(d));
  } else xAxis.tickFormat((d) => formatNumber(Number(d), 2));
  plot
    .append('g')
    .attr('class', 'axis x-axis')
    .attr('transform', `translate(0,${a.innerH})`)
    .call(xAxis);
  plot
    .append('g')
    .attr('class', 'axis y-axis')
    .call(
      axisLeft(a.y)
        .ticks(4)
        .tickSizeOuter(0)
        .tickFormat((d) => formatNumber(Number(d), 2)),
    );
  plot
    .append('text')
    .attr('class', 'axis-title')
    .attr('x', a.innerW)
    .attr('y', a.innerH + 32)
    .attr('text-anchor', 'end')
    .text(a.xLabel);
}

function emptyText(plot: Group, w: number, h: number, text: string): void {
  plot
    .append('text')
    .attr('class', 'chart-empty')
    .attr('x', w / 2)
    .attr('y', h / 2)
    .attr('text-anchor', 'middle')
    .text(text);
}

function pointerX(event: PointerEvent, svg: Svg): number {
  const rect = svg.node()?.getBoundingClientRect();
  return rect ? event.clientX - rect.left : 0;
}
