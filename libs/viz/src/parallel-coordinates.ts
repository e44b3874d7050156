import { axisLeft, line, scaleLinear, scaleLog, scalePoint } from 'd3';
import type { ScaleLinear, ScalePoint } from 'd3';
import {
  createChart,
  showTooltip,
  textWidth,
  type Svg,
  type Tooltip,
  type Group,
} from './chart-shell';
import { formatNumber } from './format';
import type { ChartHandle } from './line-chart';
import { seriesColor } from './palette';

/** One polyline of a parallel-coordinates plot: a run and its value per key (null or absent: missing). */
export interface ParallelRow {
  id: string;
  name: string;
  values: Readonly<Record<string, number | null | undefined>>;
  /** Stroke colour; default the palette colour of the row's position. */
  color?: string;
}

/** A vertical axis: its key, its finite value range and whether it is drawn on a log scale. */
export interface ParallelAxis {
  key: string;
  min: number;
  max: number;
  /** True when every value is positive and they span at least {@link LOG_RATIO} (learning rates). */
  log: boolean;
}

/** A row's position on each axis, 0 (bottom, min) … 1 (top, max); null where the value is missing. */
export interface ParallelLine {
  id: string;
  positions: (number | null)[];
}

/** Values spanning at least this ratio (all positive) get a log axis. */
export const LOG_RATIO = 20;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Keys whose present values are all finite numbers (and at least one is present), in first-seen
 * order: the hyperparameters a parallel-coordinates plot can place on an axis.
 */
export function numericKeys(records: readonly Readonly<Record<string, unknown>>[]): string[] {
  const seen = new Set<string>();
  for (const record of records) for (const key of Object.keys(record)) seen.add(key);
  // A key is numeric when no present value was non-numeric and some value was present.
  return [...seen.keys()].filter((key) => {
    const values = records.map((r) => r[key]).filter((v) => v !== null && v !== undefined);
    return values.length > 0 && values.every(finite);
  });
}

/**
 * Shapes rows for a parallel-coordinates plot: one axis per key (range of the finite values; a
 * log axis for positive values spanning ≥ {@link LOG_RATIO}×) and each row's normalised position
 * per axis. A constant axis puts every value in the middle (0.5).
 */
export function parallelCoordinates(
  rows: readonly ParallelRow[],
  keys: readonly string[],
): { axes: ParallelAxis[]; lines: ParallelLine[] } {
  const axes = keys.map((key): ParallelAxis => {
    const values = rows.map((r) => r.values[key]).filter(finite);
    if (values.length === 0) return { key, min: 0, max: 1, log: false };
    const min = Math.min(...values);
    const max = Math.max(...values);
    return { key, min, max, log: min > 0 && max / min >= LOG_RATIO };
  });
  const lines = rows.map((row) => ({
    id: row.id,
    positions: axes.map((axis) => {
      const v = row.values[axis.key];
      if (!finite(v)) return null;
      if (axis.max === axis.min) return 0.5;
      return axis.log
        ? Math.log(v / axis.min) / Math.log(axis.max / axis.min)
        : (v - axis.min) / (axis.max - axis.min);
    }),
  }));
  return { axes, lines };
}

/** Options of {@link drawParallelCoordinates}; pass the full object again to `update`. */
export interface ParallelCoordinatesOptions {
  rows: readonly ParallelRow[];
  /** Axis keys left to right (e.g. numeric hyperparameters, then the chosen metric). */
  keys: readonly string[];
  /** Axis titles; default the key. */
  labelOf?: (key: string) => string;
  /** Keys whose axis is emphasised (the metric). */
  highlight?: readonly string[];
  width: number;
  height: number;
  formatValue?: (value: number, key: string) => string;
  ariaLabel?: string;
  emptyText?: string;
}

/**
 * Draws a parallel-coordinates plot: `svg[data-chart="parallel-coordinates"]` with one
 * `g.pc-axis[data-key]` per key and one `path.pc-line[data-run-id]` per row (gaps where a value
 * is missing); hovering a line shows the row's values.
 */
export function drawParallelCoordinates(
  container: HTMLElement,
  initial: ParallelCoordinatesOptions,
): ChartHandle<ParallelCoordinatesOptions> {
  return createChart(container, 'parallel-coordinates', initial, renderParallelCoordinates);
}

const MARGIN = { top: 34, right: 40, bottom: 16, left: 40 };

/** What the lines and axes draw from: the options resolved once. */
interface PcFrame {
  svg: Svg;
  tooltip: Tooltip;
  o: ParallelCoordinatesOptions;
  axes: ParallelAxis[];
  x: ScalePoint<string>;
  y: ScaleLinear<number, number>;
  fmt: (value: number, key: string) => string;
  label: (key: string) => string;
}

/** One render: the empty message, or a line per row under an axis per key. */
function renderParallelCoordinates(
  svg: Svg,
  tooltip: Tooltip,
  o: ParallelCoordinatesOptions,
): void {
  svg.attr('width', o.width).attr('height', o.height).attr('viewBox', `0 0 ${o.width} ${o.height}`);
  if (o.ariaLabel) svg.attr('aria-label', o.ariaLabel);
  const { axes, lines } = parallelCoordinates(o.rows, o.keys);
  svg.attr('data-axes', axes.length).attr('data-lines', lines.length);
  if (axes.length === 0 || o.rows.length === 0) {
    svg
      .append('text')
      .attr('class', 'empty-text')
      .attr('x', o.width / 2)
      .attr('y', o.height / 2)
      .attr('text-anchor', 'middle')
      .text(o.emptyText ?? 'No numeric values to plot');
    return;
  }
  const frame: PcFrame = {
    svg,
    tooltip,
    o,
    axes,
    x: scalePoint<string>()
      .domain(axes.map((a) => a.key))
      .range([MARGIN.left, Math.max(MARGIN.left + 1, o.width - MARGIN.right)])
      .padding(axes.length === 1 ? 0.5 : 0),
    y: scaleLinear()
      .domain([0, 1])
      .range([o.height - MARGIN.bottom, MARGIN.top]),
    fmt: o.formatValue ?? ((v: number) => formatNumber(v)),
    label: o.labelOf ?? ((k: string) => k),
  };
  const g = svg.append('g');
  const linesG = g.append('g').attr('class', 'pc-lines');
  lines.forEach((ln, i) => {
    // parallelCoordinates gives one line per row, in row order.
    const row = o.rows[i];
    if (row) drawRunLine(linesG, frame, { row, positions: ln.positions, index: i });
  });
  for (const axis of axes) drawAxis(g, frame, axis);
}

/** A row's polyline (gaps at missing values) with a dot per value; hovering it shows its values. */
function drawRunLine(
  linesG: Group,
  f: PcFrame,
  run: { row: ParallelRow; positions: readonly (number | null)[]; index: number },
): void {
  const { row, positions, index } = run;
  const { axes, x, y, fmt, label } = f;
  const color = row.color ?? seriesColor(index);
  const pts = positions.map((p, j) => ({ x: x(axes[j]?.key ?? '') ?? 0, p }));
  const text = `${row.name}\n${axes.map((a) => `${label(a.key)}: ${finite(row.values[a.key]) ? fmt(row.values[a.key] as number, a.key) : '—'}`).join('\n')}`;
  const lineGen = line<{ x: number; p: number | null }>()
    .defined((d) => d.p !== null)
    .x((d) => d.x)
    .y((d) => y(d.p ?? 0));
  linesG
    .append('path')
    .attr('class', 'pc-line')
    .attr('data-run-id', row.id)
    .attr('d', lineGen(pts) ?? '')
    .attr('fill', 'none')
    .attr('stroke', color)
    .attr('stroke-width', 2.5)
    .attr('stroke-opacity', 0.85)
    .style('cursor', 'default')
    .on('pointermove', (event: PointerEvent) => showTooltip(f.tooltip, f.svg, event, text))
    .on('pointerleave', () => f.tooltip.style('display', 'none'));
  pts.forEach((pt) => {
    if (pt.p === null) return;
    linesG
      .append('circle')
      .attr('class', 'pc-point')
      .attr('cx', pt.x)
      .attr('cy', y(pt.p))
      .attr('r', 3.5)
      .attr('fill', color);
  });
}

/** A `g.pc-axis` at the key's position: its own scale (log when wide), ticks and title. */
function drawAxis(g: Group, f: PcFrame, axis: ParallelAxis): void {
  const { o, fmt } = f;
  const ax = g
    .append('g')
    .attr('class', `pc-axis${o.highlight?.includes(axis.key) ? ' highlight' : ''}`)
    .attr('data-key', axis.key)
    .attr('transform', `translate(${f.x(axis.key) ?? 0},0)`);
  const range: [number, number] = [o.height - MARGIN.bottom, MARGIN.top];
  const constant = axis.min === axis.max;
  const scale = axis.log
    ? scaleLog().domain([axis.min, axis.max]).range(range)
    : scaleLinear()
        .domain(constant ? [axis.min - 1, axis.max + 1] : [axis.min, axis.max])
        .range(range);
  const ticks = constant
    ? [axis.min]
    : axis.log
      ? [axis.min, Math.sqrt(axis.min * axis.max), axis.max]
      : scale.ticks(4);
  ax.call(
    axisLeft(scale)
      .tickValues(ticks)
      .tickFormat((v) => fmt(Number(v), axis.key))
      .tickSizeOuter(0),
  );
  const title = f.label(axis.key);
  ax.append('text')
    .attr('class', 'pc-axis-title')
    .attr('y', MARGIN.top - 14)
    .attr('text-anchor', 'middle')
    .attr('fill', 'currentColor')
    .attr('font-weight', o.highlight?.includes(axis.key) ? 700 : 500)
    .attr('font-size', 12)
    .text(textWidth(title, 12) > 140 ? `${title.slice(0, 22)}…` : title);
}
