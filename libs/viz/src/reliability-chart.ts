import { axisBottom, axisLeft, scaleLinear } from 'd3';
import type { ScaleLinear } from 'd3';
import {
  createChart,
  drawHorizontalGrid,
  showTooltip,
  type Svg,
  type Tooltip,
  type Group,
} from './chart-shell';
import { reliabilityBars, type CalibrationBinLike, type ReliabilityBar } from './evaluation';
import type { ChartHandle } from './line-chart';

/** Options of {@link drawReliabilityDiagram}. */
export interface ReliabilityOptions {
  bins: readonly CalibrationBinLike[];
  /** Expected calibration error, written in the title. */
  ece: number;
  width: number;
  height: number;
  ariaLabel?: string;
}

/**
 * Draws a reliability diagram: per confidence bin, a bar of the accuracy with the mean confidence
 * marked, against the diagonal of perfect calibration; below it a small histogram of the bin
 * counts; the ECE in the title. The gap between accuracy and confidence is shaded. Hooks: `svg[data-chart="reliability"]`, `rect.reliability-bar[data-bin]`,
 * `rect.count-bar[data-bin][data-count]`, `line.perfect`, `text.chart-title`.
 */
export function drawReliabilityDiagram(
  container: HTMLElement,
  initial: ReliabilityOptions,
): ChartHandle<ReliabilityOptions> {
  return createChart(container, 'reliability', initial, renderReliability);
}

const MARGIN = { top: 30, right: 16, bottom: 38, left: 52 };
/** Space between the main panel and the count histogram. */
const GAP = 14;

type Scale = ScaleLinear<number, number>;

/** What the panels draw from: the plot area split into the main panel and the histogram. */
interface ReliabilityFrame {
  bars: ReliabilityBar[];
  innerW: number;
  innerH: number;
  mainH: number;
  histH: number;
  /** Confidence (0..1) to x, shared by both panels. */
  x: Scale;
}

/** One render: title and legend, the main panel, the histogram and the hover targets. */
function renderReliability(svg: Svg, tooltip: Tooltip, o: ReliabilityOptions): void {
  svg
    .attr('width', o.width)
    .attr('height', o.height)
    .attr('viewBox', `0 0 ${o.width} ${o.height}`)
    .attr('aria-label', o.ariaLabel ?? 'reliability diagram');
  const innerW = Math.max(40, o.width - MARGIN.left - MARGIN.right);
  // Phones: the legend goes on its own line under the title, and the panels move down for it.
  const stacked = legendStacked(o.width);
  const top = MARGIN.top + (stacked ? LEGEND_LINE : 0);
  const innerH = Math.max(60, o.height - top - MARGIN.bottom);
  const histH = Math.round(innerH * 0.22);
  const f: ReliabilityFrame = {
    bars: reliabilityBars(o.bins),
    innerW,
    innerH,
    histH,
    mainH: innerH - histH - GAP,
    x: scaleLinear().domain([0, 1]).range([0, innerW]),
  };
  drawTitle(svg, o);
  const plot = svg
    .append('g')
    .attr('class', 'plot')
    .attr('transform', `translate(${MARGIN.left},${top})`);
  drawMainPanel(plot, f);
  drawHistogram(plot, f);
  plot
    .append('text')
    .attr('class', 'axis-label')
    .attr('x', innerW)
    .attr('y', innerH + 32)
    .attr('text-anchor', 'end')
    .text('confidence (top-label probability)');
  // Hover targets span each bin's full column.
  plot
    .append('g')
    .attr('class', 'hover-targets')
    .selectAll('rect')
    .data(f.bars)
    .join('rect')
    .attr('x', (b) => f.x(b.x0))
    .attr('width', (b) => Math.max(1, f.x(b.x1) - f.x(b.x0)))
    .attr('y', 0)
    .attr('height', innerH)
    .attr('fill', 'transparent')
    .on('pointermove', (event: PointerEvent, b) => showTooltip(tooltip, svg, event, b.title))
    .on('pointerleave', () => tooltip.style('display', 'none'));
}

/** Width of the legend (accuracy, mean confidence, gap) in px. */
const LEGEND_W = 260;
/** Height of the legend's own line when it sits under the title. */
const LEGEND_LINE = 20;

/** Below this width (phones) the legend no longer fits beside the title. */
const STACK_BELOW = 440;

/** Whether the title and the legend do not fit side by side in `width` px. */
function legendStacked(width: number): boolean {
  return width < STACK_BELOW;
}

/** The title with the ECE, and the legend next to it (under it when too narrow). */
function drawTitle(svg: Svg, o: ReliabilityOptions): void {
  svg
    .append('text')
    .attr('class', 'chart-title')
    .attr('x', MARGIN.left)
    .attr('y', 16)
    .text(`Reliability · ECE ${o.ece.toFixed(4)}`);
  const legend = svg
    .append('g')
    .attr('class', 'legend')
    .attr(
      'transform',
      legendStacked(o.width)
        ? `translate(${Math.max(4, Math.min(MARGIN.left, o.width - LEGEND_W))},${12 + LEGEND_LINE})`
        : `translate(${Math.max(MARGIN.left + 170, o.width - 275)},12)`,
    )
    .attr('data-placement', legendStacked(o.width) ? 'below-title' : 'beside-title');
  legend.append('rect').attr('width', 12).attr('height', 10).attr('y', -5).attr('fill', '#3567c9');
  legend.append('text').attr('x', 16).attr('dy', '0.35em').text('accuracy');
  legend
    .append('line')
    .attr('x1', 84)
    .attr('x2', 98)
    .attr('stroke', '#dd7a30')
    .attr('stroke-width', 2.5);
  legend.append('text').attr('x', 102).attr('dy', '0.35em').text('mean confidence');
  legend
    .append('rect')
    .attr('x', 214)
    .attr('width', 12)
    .attr('height', 10)
    .attr('y', -5)
    .attr('fill', '#c4453c')
    .attr('opacity', 0.3);
  legend.append('text').attr('x', 230).attr('dy', '0.35em').text('gap');
}

/** Grid, accuracy axis, then the gap, accuracy bar and confidence tick per bin, and the diagonal. */
function drawMainPanel(plot: Group, f: ReliabilityFrame): void {
  const { x, innerW, mainH } = f;
  const y = scaleLinear().domain([0, 1]).range([mainH, 0]);
  drawHorizontalGrid(plot, y, { ticks: 5, width: innerW });
  plot.append('g').attr('class', 'axis y-axis').call(axisLeft(y).ticks(5).tickSizeOuter(0));
  drawVerticalLabel(plot, 'accuracy');
  drawBars(plot.append('g').attr('class', 'bars'), f, y);
  plot
    .append('line')
    .attr('class', 'perfect')
    .attr('x1', x(0))
    .attr('y1', y(0))
    .attr('x2', x(1))
    .attr('y2', y(1))
    .attr('stroke', '#6b7785')
    .attr('stroke-dasharray', '4 4');
}

/** A rotated axis label along the left edge of `g`. */
function drawVerticalLabel(g: Group, text: string): void {
  g.append('text')
    .attr('class', 'axis-label')
    .attr('transform', 'rotate(-90)')
    .attr('x', 0)
    .attr('y', -MARGIN.left + 12)
    .attr('text-anchor', 'end')
    .text(text);
}

/** Per non-empty bin: the shaded gap, the accuracy bar and the mean-confidence tick. */
function drawBars(main: Group, f: ReliabilityFrame, y: Scale): void {
  const { x, mainH } = f;
  const filled = f.bars.map((b, i) => ({ ...b, i })).filter((b) => b.accuracy !== null);
  // The gap between accuracy and mean confidence, shaded red under the bars: what shows above a
  // bar is over-confidence (under-confidence shows as the confidence tick inside the bar).
  main
    .selectAll('rect.gap-bar')
    .data(filled)
    .join('rect')
    .attr('class', 'gap-bar')
    .attr('x', (b) => x(b.x0) + 1)
    .attr('width', (b) => Math.max(1, x(b.x1) - x(b.x0) - 2))
    .attr('y', (b) => y(Math.max(b.accuracy!, b.confidence!)))
    .attr('height', (b) => Math.abs(y(b.accuracy!) - y(b.confidence!)))
    .attr('fill', '#c4453c')
    .attr('opacity', 0.25);
  main
    .selectAll('rect.reliability-bar')
    .data(filled)
    .join('rect')
    .attr('class', 'reliability-bar')
    .attr('data-bin', (b) => b.i)
    .attr('x', (b) => x(b.x0) + 1)
    .attr('width', (b) => Math.max(1, x(b.x1) - x(b.x0) - 2))
    .attr('y', (b) => y(b.accuracy!))
    .attr('height', (b) => mainH - y(b.accuracy!))
    .attr('fill', '#3567c9');
  // Mean confidence per bin: a tick across the bar.
  main
    .selectAll('line.confidence-mark')
    .data(filled)
    .join('line')
    .attr('class', 'confidence-mark')
    .attr('x1', (b) => x(b.x0) + 1)
    .attr('x2', (b) => x(b.x1) - 1)
    .attr('y1', (b) => y(b.confidence!))
    .attr('y2', (b) => y(b.confidence!))
    .attr('stroke', '#dd7a30')
    .attr('stroke-width', 2.5);
}

/** Count histogram under the main panel, sharing its x axis. */
function drawHistogram(plot: Group, f: ReliabilityFrame): void {
  const { x, histH } = f;
  const hist = plot
    .append('g')
    .attr('class', 'histogram')
    .attr('transform', `translate(0,${f.mainH + GAP})`);
  const maxCount = Math.max(1, ...f.bars.map((b) => b.count));
  const yc = scaleLinear().domain([0, maxCount]).range([histH, 0]);
  hist
    .selectAll('rect')
    .data(f.bars.map((b, i) => ({ ...b, i })))
    .join('rect')
    .attr('class', 'count-bar')
    .attr('data-bin', (b) => b.i)
    .attr('data-count', (b) => b.count)
    .attr('x', (b) => x(b.x0) + 1)
    .attr('width', (b) => Math.max(1, x(b.x1) - x(b.x0) - 2))
    .attr('y', (b) => yc(b.count))
    .attr('height', (b) => histH - yc(b.count))
    .attr('fill', '#8a93a3');
  hist.append('g').attr('class', 'axis y-axis').call(axisLeft(yc).ticks(2).tickSizeOuter(0));
  drawVerticalLabel(hist, 'samples');
  hist
    .append('g')
    .attr('class', 'axis x-axis')
    .attr('transform', `translate(0,${histH})`)
    .call(axisBottom(x).ticks(10).tickSizeOuter(0));
}
