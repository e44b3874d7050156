import type { Selection } from 'd3';
import {
  createChart,
  drawColorLegend,
  fitFontSize,
  showTooltip,
  textWidth,
  uniqueId,
  type Svg,
  type Tooltip,
  type Group,
} from './chart-shell';
import { heatmapCells, sequentialColor, type HeatmapCell, type HeatmapRow } from './evaluation';
import { heatmapLayout, kindBoundaries, type HeatmapLayout } from './heatmap-data';
import type { ChartHandle } from './line-chart';

/** Angle of slanted column labels. */
const SLANT_DEG = 40;
const SLANT_RAD = (SLANT_DEG * Math.PI) / 180;

/** Options of {@link drawHeatmap}. */
export interface HeatmapOptions {
  rows: readonly HeatmapRow[];
  columns: readonly string[];
  /** Width of the SVG; the height follows from the number of rows. */
  width: number;
  /** Value range of the colour scale. Default [0, 1]. */
  domain?: readonly [number, number];
  /** Decimals written in each cell. Default 3. */
  digits?: number;
  /** Height of one row in px. Default 30. */
  rowHeight?: number;
  /** Title of the colour legend. */
  legendTitle?: string;
  ariaLabel?: string;
}

/**
 * Draws a value heatmap: one row per `rows` entry, one column per `columns` entry, the value
 * written in each cell (text colour chosen for contrast), the row note (e.g. support) on the right,
 * a separator above the first row of a new `kind` (averages under classes), and a colour legend.
 * Values shrink (down to 9 px) to stay whole in narrow cells, and column names wider than their
 * cells are slanted (the SVG grows taller for them). Cells without a value get class
 * `empty`, so the page's theme can colour them.
 * Hooks: `svg[data-chart="heatmap"]`, `g.heatmap-cell[data-row][data-col][data-row-label][data-col-label][data-row-kind]`
 * with `text.cell-text` inside.
 */
export function drawHeatmap(
  container: HTMLElement,
  initial: HeatmapOptions,
): ChartHandle<HeatmapOptions> {
  const legendId = uniqueId('heatmap');
  return createChart(container, 'heatmap', initial, (svg, tooltip, o) =>
    renderHeatmap(svg, tooltip, o, legendId),
  );
}

/** One render: labels and notes, the cells with their hover, the separators and the legend. */
function renderHeatmap(svg: Svg, tooltip: Tooltip, o: HeatmapOptions, legendId: string): void {
  const domain = o.domain ?? [0, 1];
  const layout = heatmapLayout({
    rows: o.rows,
    columns: o.columns.length,
    width: o.width,
    rowHeight: o.rowHeight ?? 30,
  });
  const { cellW } = layout;
  // Column names wider than their cells (phones) are slanted; the grid moves down for them.
  const labelW = Math.max(0, ...o.columns.map((c) => textWidth(c, 11)));
  const slanted = labelW > cellW - 4;
  const lift = slanted ? Math.ceil(labelW * Math.sin(SLANT_RAD)) : 0;
  const height = layout.height + lift;
  svg
    .attr('width', o.width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${o.width} ${height}`)
    .attr('aria-label', o.ariaLabel ?? 'heatmap');

  const plot = svg
    .append('g')
    .attr('class', 'plot')
    .attr('transform', `translate(${layout.labelW},${layout.top + lift})`);
  drawLabels(plot, o, layout, { slanted });
  const cells = heatmapCells(o.rows, o.columns, { domain, digits: o.digits });
  drawCells(plot, cells, layout)
    .on('pointermove', (event: PointerEvent, c) =>
      showTooltip(tooltip, svg, event, `${c.rowLabel} · ${c.colLabel}: ${c.text}`),
    )
    .on('pointerleave', () => tooltip.style('display', 'none'));
  // Separator above the first row of each new kind (e.g. the averages).
  for (const i of kindBoundaries(o.rows)) {
    plot
      .append('line')
      .attr('class', 'row-separator')
      .attr('x1', -layout.labelW + 8)
      .attr('x2', o.columns.length * cellW + layout.noteW)
      .attr('y1', i * layout.rowHeight)
      .attr('y2', i * layout.rowHeight);
  }
  const legendW = Math.min(220, o.columns.length * cellW);
  const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));
  drawColorLegend(svg, plot, {
    id: legendId,
    x: o.columns.length * cellW - legendW,
    y: layout.gridH + 20,
    width: legendW,
    colorAt: (t) => sequentialColor(domain[0] + t * (domain[1] - domain[0]), domain),
    ticks: [0, 0.5, 1].map((t) => ({ t, label: fmt(domain[0] + t * (domain[1] - domain[0])) })),
    title: o.legendTitle,
  });
}

/** Column labels above the grid, row labels left of it and row notes right of it. */
function drawLabels(
  plot: Group,
  o: HeatmapOptions,
  layout: HeatmapLayout,
  { slanted }: { slanted: boolean },
): void {
  const { cellW, rowHeight } = layout;
  plot
    .append('g')
    .attr('class', 'column-labels')
    .selectAll('text')
    .data(o.columns)
    .join('text')
    .attr('class', 'column-label')
    .attr('x', (_, j) => (slanted ? 0 : (j + 0.5) * cellW))
    .attr('y', slanted ? 0 : -9)
    .attr('transform', (_, j) =>
      slanted ? `translate(${(j + 0.5) * cellW},-7) rotate(-${SLANT_DEG})` : null,
    )
    .attr('text-anchor', slanted ? 'start' : 'middle')
    .text((d) => d);
  plot
    .append('g')
    .attr('class', 'row-labels')
    .selectAll('text')
    .data(o.rows)
    .join('text')
    .attr('class', (r) => `row-label row-${r.kind ?? 'row'}`)
    .attr('x', -10)
    .attr('y', (_, i) => (i + 0.5) * rowHeight)
    .attr('dy', '0.35em')
    .attr('text-anchor', 'end')
    .text((r) => r.label);
  plot
    .append('g')
    .attr('class', 'row-notes')
    .selectAll('text')
    .data(o.rows)
    .join('text')
    .attr('class', 'row-note')
    .attr('x', o.columns.length * cellW + 10)
    .attr('y', (_, i) => (i + 0.5) * rowHeight)
    .attr('dy', '0.35em')
    .text((r) => r.note ?? '');
}

/** A `g.heatmap-cell` per cell with its rounded rect and value; returned for the hover handlers. */
function drawCells(
  plot: Group,
  cells: readonly HeatmapCell[],
  layout: HeatmapLayout,
): Selection<SVGGElement, HeatmapCell, SVGGElement, unknown> {
  const { cellW, rowHeight } = layout;
  const fontSize = fitFontSize(
    cells.map((c) => c.text),
    cellW - 2,
  );
  const g = plot
    .append('g')
    .attr('class', 'cells')
    .selectAll<SVGGElement, HeatmapCell>('g')
    .data(cells)
    .join('g')
    .attr('class', (c) => `heatmap-cell${c.value === null ? ' empty' : ''}`)
    .attr('data-row', (c) => c.row)
    .attr('data-col', (c) => c.col)
    .attr('data-row-label', (c) => c.rowLabel)
    .attr('data-col-label', (c) => c.colLabel)
    .attr('data-row-kind', (c) => c.kind)
    .attr('transform', (c) => `translate(${c.col * cellW},${c.row * rowHeight})`);
  g.append('rect')
    .attr('class', 'cell-rect')
    .attr('width', Math.max(0, cellW - 2))
    .attr('height', rowHeight - 2)
    .attr('x', 1)
    .attr('y', 1)
    .attr('rx', 3)
    .attr('fill', (c) => c.fill);
  g.append('text')
    .attr('class', 'cell-text')
    .attr('x', cellW / 2)
    .attr('y', rowHeight / 2)
    .attr('dy', '0.35em')
    .attr('text-anchor', 'middle')
    .attr('font-size', fontSize)
    .attr('fill', (c) => c.textColor)
    .text((c) => c.text);
  return g;
}
