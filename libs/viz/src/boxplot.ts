import { axisBottom, quantileSorted, scaleLinear } from 'd3';
import type { ScaleLinear } from 'd3';
import { createChart, showTooltip, type Svg, type Tooltip, type Group } from './chart-shell';
import { formatNumber } from './format';
import type { ChartHandle } from './line-chart';
import { PALETTE } from './palette';

/** Five-number summary of a set of values. */
export interface BoxStats {
  min: number;
  /** First quartile. */
  q1: number;
  median: number;
  /** Third quartile. */
  q3: number;
  max: number;
}

/**
 * Five-number summary of the finite values, with quartiles like
 * `numpy.percentile(values, [0, 25, 50, 75, 100])`; null when no value is finite.
 */
export function boxplotStats(values: readonly number[]): BoxStats | null {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const [min, max] = [sorted[0], sorted.at(-1)];
  if (min === undefined || max === undefined) return null;
  // d3's quantileSorted interpolates linearly at (n - 1) * q, numpy's default method; it is
  // undefined only for an empty array, excluded above.
  const q = (p: number) => quantileSorted(sorted, p) ?? min;
  return { min, q1: q(0.25), median: q(0.5), q3: q(0.75), max };
}

/** One box of {@link drawBoxplots}: a class and its probability summary. */
export interface BoxplotRow extends BoxStats {
  /** Class index (written to `data-class`). */
  key: number;
  label: string;
  /** Mean over the passes, drawn as a dot. */
  mean: number | null;
  /** The sample's true class. */
  isTrue: boolean;
  /** The class predicted from the mean probabilities. */
  isPredicted: boolean;
}

/** What {@link sampleBoxplotRows} reads from a sample (shape of the API's UncertaintySample). */
export interface BoxplotSampleLike {
  label: number;
  predicted: number;
  meanProbabilities: readonly number[];
  boxplots: readonly ({ class: number; className?: string } & BoxStats)[];
}

/**
 * The boxes of one sample, one per class in class-index order, with the class names, the mean
 * probability and which class is the true one and which the prediction.
 */
export function sampleBoxplotRows(
  sample: BoxplotSampleLike,
  classNames: readonly string[] = [],
): BoxplotRow[] {
  return [...sample.boxplots]
    .sort((a, b) => a.class - b.class)
    .map((b) => ({
      key: b.class,
      label: classNames[b.class] ?? b.className ?? String(b.class),
      min: b.min,
      q1: b.q1,
      median: b.median,
      q3: b.q3,
      max: b.max,
      mean: sample.meanProbabilities[b.class] ?? null,
      isTrue: b.class === sample.label,
      isPredicted: b.class === sample.predicted,
    }));
}

/** Options of {@link drawBoxplots}; pass the full object again to `update`. */
export interface BoxplotOptions {
  rows: readonly BoxplotRow[];
  width: number;
  /** Height of one row in pixels (default 22). */
  rowHeight?: number;
  /** Value axis (default [0, 1], probabilities). */
  domain?: [number, number];
  /** Width reserved for the row labels (default 110). */
  labelWidth?: number;
  /** Tick and tooltip format (default 3 significant digits). */
  formatValue?: (v: number) => string;
  ariaLabel?: string;
  /** Title of the value axis (`text.x-label`, under it). Default "probability". */
  valueLabel?: string;
  /** Title of the row axis (`text.y-label`, above the row labels). Default "class". */
  rowLabel?: string;
}

const TRUE_COLOR = PALETTE[2];
const PRED_COLOR = PALETTE[1];
const BOX_COLOR = PALETTE[0];

/**
 * Horizontal boxplots, one row per class: whiskers min..max, a box q1..q3, the median as a bar
 * and the mean as a dot, on a shared value axis. The true class is labelled in teal, the
 * predicted class in orange. The SVG is `svg[data-chart=boxplot]`, each row a
 * `g.box-row[data-class][data-median]` so tests can find it; hovering a row shows its numbers.
 */
export function drawBoxplots(
  container: HTMLElement,
  initial: BoxplotOptions,
): ChartHandle<BoxplotOptions> {
  return createChart(container, 'boxplot', initial, renderBoxplots);
}

/** What every row draws from: the options resolved once. */
interface BoxFrame {
  svg: Svg;
  tooltip: Tooltip;
  x: ScaleLinear<number, number>;
  rowHeight: number;
  labelWidth: number;
  innerW: number;
  fmt: (v: number) => string;
}

/** One render of {@link drawBoxplots}: size the SVG, then the value axis, then a row per class. */
function renderBoxplots(svg: Svg, tooltip: Tooltip, o: BoxplotOptions): void {
  const rowHeight = o.rowHeight ?? 22;
  const labelWidth = o.labelWidth ?? 110;
  // Room above the rows for the row axis title and under the ticks for the value axis title.
  const margin = { top: 22, right: 16, bottom: 44, left: labelWidth };
  const height = margin.top + margin.bottom + Math.max(1, o.rows.length) * rowHeight;
  const innerW = Math.max(10, o.width - margin.left - margin.right);
  const fmt = o.formatValue ?? ((v: number) => formatNumber(v, 3));
  svg
    .attr('width', o.width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${o.width} ${height}`)
    .attr('aria-label', o.ariaLabel ?? 'boxplots');
  const x = scaleLinear()
    .domain(o.domain ?? [0, 1])
    .range([0, innerW])
    .clamp(true);
  const plot = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  drawValueAxis(plot, x, o.rows.length * rowHeight, fmt);
  drawAxisTitles(plot, {
    innerW,
    innerH: o.rows.length * rowHeight,
    bottom: margin.bottom,
    valueLabel: o.valueLabel ?? 'probability',
    rowLabel: o.rowLabel ?? 'class',
  });
  const frame: BoxFrame = { svg, tooltip, x, rowHeight, labelWidth, innerW, fmt };
  o.rows.forEach((r, i) => drawBoxRow(plot, frame, r, i));
}

/** Vertical grid lines and the bottom axis, `innerH` below the top of the plot. */
function drawValueAxis(
  plot: Group,
  x: ScaleLinear<number, number>,
  innerH: number,
  fmt: (v: number) => string,
): void {
  plot
    .append('g')
    .attr('class', 'grid')
    .selectAll('line')
    .data(x.ticks(5))
    .join('line')
    .attr('x1', (d) => x(d))
    .attr('x2', (d) => x(d))
    .attr('y1', 0)
    .attr('y2', innerH);
  plot
    .append('g')
    .attr('class', 'axis x-axis')
    .attr('transform', `translate(0,${innerH})`)
    .call(
      axisBottom(x)
        .ticks(5)
        .tickSizeOuter(0)
        .tickFormat((d) => fmt(Number(d))),
    );
}

/** The value axis title under the ticks (right-aligned) and the row axis title above the labels. */
function drawAxisTitles(
  plot: Group,
  o: { innerW: number; innerH: number; bottom: number; valueLabel: string; rowLabel: string },
): void {
  plot
    .append('text')
    .attr('class', 'axis-label x-label')
    .attr('x', o.innerW)
    .attr('y', o.innerH + o.bottom - 8)
    .attr('text-anchor', 'end')
    .text(o.valueLabel);
  plot
    .append('text')
    .attr('class', 'axis-label y-label')
    .attr('x', -8)
    .attr('y', -8)
    .attr('text-anchor', 'end')
    .text(o.rowLabel);
}

/** Row `i`: its label, whiskers with caps, box, median, mean and the hover target. */
function drawBoxRow(plot: Group, f: BoxFrame, r: BoxplotRow, i: number): void {
  const { x, rowHeight } = f;
  const cy = i * rowHeight + rowHeight / 2;
  const boxH = Math.max(6, rowHeight * 0.55);
  const g = plot
    .append('g')
    .attr('class', `box-row${r.isTrue ? ' is-true' : ''}${r.isPredicted ? ' is-pred' : ''}`)
    .attr('data-class', r.key)
    .attr('data-median', r.median);
  g.append('text')
    .attr('class', 'box-label')
    .attr('x', -8)
    .attr('y', cy)
    .attr('dy', '0.35em')
    .attr('text-anchor', 'end')
    .attr('fill', r.isTrue ? TRUE_COLOR : r.isPredicted ? PRED_COLOR : 'currentColor')
    .attr('font-weight', r.isTrue || r.isPredicted ? 600 : null)
    .text(r.label);
  drawWhiskers(g, x, r, cy, boxH);
  g.append('rect')
    .attr('class', 'box')
    .attr('x', x(r.q1))
    // A box of zero width (every pass agrees) stays visible as a hairline.
    .attr('width', Math.max(1, x(r.q3) - x(r.q1)))
    .attr('y', cy - boxH / 2)
    .attr('height', boxH)
    .attr('fill', r.isPredicted ? PRED_COLOR : BOX_COLOR)
    .attr('fill-opacity', 0.25)
    .attr('stroke', r.isPredicted ? PRED_COLOR : BOX_COLOR);
  g.append('line')
    .attr('class', 'box-median')
    .attr('x1', x(r.median))
    .attr('x2', x(r.median))
    .attr('y1', cy - boxH / 2)
    .attr('y2', cy + boxH / 2)
    .attr('stroke', '#1f2937')
    .attr('stroke-width', 2);
  if (r.mean !== null && Number.isFinite(r.mean))
    g.append('circle')
      .attr('class', 'box-mean')
      .attr('cx', x(r.mean))
      .attr('cy', cy)
      .attr('r', 2.5)
      .attr('fill', '#1f2937');
  drawRowHoverTarget(g, f, r, i);
}

/** The min..max whisker and a cap at each end. */
function drawWhiskers(
  g: Group,
  x: ScaleLinear<number, number>,
  r: BoxplotRow,
  cy: number,
  boxH: number,
): void {
  g.append('line')
    .attr('class', 'box-whisker')
    .attr('x1', x(r.min))
    .attr('x2', x(r.max))
    .attr('y1', cy)
    .attr('y2', cy)
    .attr('stroke', BOX_COLOR);
  for (const v of [r.min, r.max])
    g.append('line')
      .attr('class', 'box-cap')
      .attr('x1', x(v))
      .attr('x2', x(v))
      .attr('y1', cy - boxH / 3)
      .attr('y2', cy + boxH / 3)
      .attr('stroke', BOX_COLOR);
}

/** A transparent rect over the whole row (label included) that shows the row's numbers on hover. */
function drawRowHoverTarget(g: Group, f: BoxFrame, r: BoxplotRow, i: number): void {
  const { fmt } = f;
  g.append('rect')
    .attr('class', 'hover-target')
    .attr('x', -f.labelWidth)
    .attr('y', i * f.rowHeight)
    .attr('width', f.innerW + f.labelWidth)
    .attr('height', f.rowHeight)
    .attr('fill', 'transparent')
    .on('pointermove', (event: PointerEvent) => {
      const mean = r.mean === null ? '' : `, mean ${fmt(r.mean)}`;
      showTooltip(
        f.tooltip,
        f.svg,
        event,
        `${r.label}: min ${fmt(r.min)}, q1 ${fmt(r.q1)}, median ${fmt(r.median)}, q3 ${fmt(r.q3)}, max ${fmt(r.max)}${mean}`,
      );
    })
    .on('pointerleave', () => f.tooltip.style('display', 'none'));
}
