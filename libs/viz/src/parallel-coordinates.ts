import { axisLeft, line, scaleLinear, scaleLog } from 'd3';
import type { ScaleLinear } from 'd3';
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

const MARGIN = { top: 34, bottom: 16 };

/** Font size (px) d3's axis gives its tick labels. */
const TICK_FONT = 10;
/** Title font size (px) and the widest title before it is shortened with "…". */
const TITLE_FONT = 12;
const TITLE_MAX = 140;

/** Sizes of {@link parallelAxisLayout}, in px. */
export const PC_LAYOUT = {
  /** Tick mark plus the padding between it and its label (d3: 6 + 3). */
  tick: 9,
  /** Least room between a tick label's left end and the axis line to its left. */
  labelGap: 8,
  /** Least room between two neighbouring titles. */
  titleGap: 10,
  /** Room kept at the left and right edges of the plot. */
  edge: 4,
  /** Half the width of a value dot (the last axis' dots must not be cut). */
  dot: 4,
} as const;

/** What {@link parallelAxisLayout} needs of an axis: the widths of its widest tick label and its title. */
export interface AxisExtent {
  labelWidth: number;
  titleWidth: number;
}

/** Where the axes go: their x positions and the width the plot needs (at least the given width). */
export interface ParallelLayout {
  positions: number[];
  width: number;
}

/**
 * Lays the axes out left to right so that no tick label (drawn left of its axis) reaches the
 * axis before it and no two titles (centred over their axes) overlap: each gap is at least the
 * next axis' label width plus the tick and {@link PC_LAYOUT}.labelGap, and at least half of both
 * titles plus titleGap. The first axis sits right of its labels and title, the last leaves room
 * for half its title. Spare width spreads the axes evenly when every gap allows it, else it is
 * added evenly to the minimum gaps. When `width` is too narrow, the returned width is the width
 * needed (the plot scrolls rather than letting labels collide); a single axis is centred.
 */
export function parallelAxisLayout(axes: readonly AxisExtent[], width: number): ParallelLayout {
  const n = axes.length;
  if (n === 0) return { positions: [], width };
  const L = PC_LAYOUT;
  const left = (a: AxisExtent) => Math.max(a.labelWidth + L.tick, a.titleWidth / 2);
  const first = axes[0] as AxisExtent;
  const last = axes[n - 1] as AxisExtent;
  const x0 = left(first) + L.edge;
  const right = Math.max(last.titleWidth / 2, L.dot) + L.edge;
  const gaps = axes
    .slice(1)
    .map((a, i) =>
      Math.max(
        a.labelWidth + L.tick + L.labelGap,
        ((axes[i] as AxisExtent).titleWidth + a.titleWidth) / 2 + L.titleGap,
      ),
    );
  const needed = x0 + gaps.reduce((sum, g) => sum + g, 0) + right;
  const total = Math.max(width, needed);
  if (n === 1) return { positions: [Math.max(x0, total / 2)], width: total };
  const even = (total - x0 - right) / (n - 1);
  const spread = gaps.every((g) => g <= even)
    ? gaps.map(() => even)
    : gaps.map((g) => g + (total - needed) / (n - 1));
  const positions = [x0];
  for (const g of spread) positions.push((positions.at(-1) as number) + g);
  return { positions, width: total };
}

/** An axis' scale, the tick values it labels and the title as drawn. */
interface AxisTicks {
  scale: ScaleLinear<number, number> | ReturnType<typeof scaleLog<number, number>>;
  ticks: number[];
}

/** The scale and tick values of an axis over `range` (log when wide, constant axes centred). */
function axisTicks(axis: ParallelAxis, range: [number, number]): AxisTicks {
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
  return { scale, ticks };
}

/** The title as drawn: shortened with "…" past {@link TITLE_MAX} px. */
function shownTitle(title: string): string {
  return textWidth(title, TITLE_FONT) > TITLE_MAX ? `${title.slice(0, 22)}…` : title;
}

/** What the lines and axes draw from: the options resolved once. */
interface PcFrame {
  svg: Svg;
  tooltip: Tooltip;
  o: ParallelCoordinatesOptions;
  axes: ParallelAxis[];
  /** x of each axis, by key. */
  x: (key: string) => number;
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
  if (o.ariaLabel) svg.attr('aria-label', o.ariaLabel);
  const { axes, lines } = parallelCoordinates(o.rows, o.keys);
  svg.attr('data-axes', axes.length).attr('data-lines', lines.length);
  const fmt = o.formatValue ?? ((v: number) => formatNumber(v));
  const label = o.labelOf ?? ((k: string) => k);
  const range: [number, number] = [o.height - MARGIN.bottom, MARGIN.top];
  const layout = parallelAxisLayout(
    axes.map((a) => ({
      labelWidth: Math.max(
        0,
        ...axisTicks(a, range).ticks.map((t) => textWidth(fmt(t, a.key), TICK_FONT)),
      ),
      titleWidth: textWidth(shownTitle(label(a.key)), TITLE_FONT),
    })),
    o.width,
  );
  // Wider than asked only when the labels need it: the host scrolls instead of labels colliding.
  const width = axes.length === 0 || o.rows.length === 0 ? o.width : layout.width;
  svg
    .attr('width', width)
    .attr('height', o.height)
    .attr('viewBox', `0 0 ${width} ${o.height}`)
    .attr('data-overflow', width > o.width ? 'scroll' : null);
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
    x: (key: string) => layout.positions[axes.findIndex((a) => a.key === key)] ?? 0,
    y: scaleLinear().domain([0, 1]).range(range),
    fmt,
    label,
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
  const pts = positions.map((p, j) => ({ x: x(axes[j]?.key ?? ''), p }));
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
    .attr('transform', `translate(${f.x(axis.key)},0)`);
  const { scale, ticks } = axisTicks(axis, [o.height - MARGIN.bottom, MARGIN.top]);
  ax.call(
    axisLeft(scale)
      .tickValues(ticks)
      .tickFormat((v) => fmt(Number(v), axis.key))
      .tickSizeOuter(0),
  );
  // Labels stay readable where a run's line crosses them.
  ax.selectAll('.tick text')
    .attr('class', 'pc-tick-label')
    .attr('paint-order', 'stroke')
    .style('stroke', 'var(--surface, #fff)')
    .attr('stroke-width', 3)
    .attr('stroke-linejoin', 'round');
  ax.append('text')
    .attr('class', 'pc-axis-title')
    .attr('y', MARGIN.top - 14)
    .attr('text-anchor', 'middle')
    .attr('fill', 'currentColor')
    .attr('font-weight', o.highlight?.includes(axis.key) ? 700 : 500)
    .attr('font-size', TITLE_FONT)
    .text(shownTitle(f.label(axis.key)));
}
