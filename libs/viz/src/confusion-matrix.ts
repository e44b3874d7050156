import type { Selection } from 'd3';
import {
  createChart,
  drawColorLegend,
  showTooltip,
  uniqueId,
  type Svg,
  type Tooltip,
  type Group,
} from './chart-shell';
import { confusionLayout, confusionLegend, type ConfusionLayout } from './confusion-matrix-data';
import {
  confusionCells,
  sequentialColor,
  type ConfusionCell,
  type ConfusionMode,
} from './evaluation';
import type { ChartHandle } from './line-chart';

/** Options of {@link drawConfusionMatrix}. */
export interface ConfusionMatrixOptions {
  /** Counts; rows = true class, columns = predicted class. */
  matrix: readonly (readonly number[])[];
  /** Class names in class-index order. */
  classNames: readonly string[];
  /** Counts, or row-normalised fractions (recall per true class). Default counts. */
  mode?: ConfusionMode;
  /** Width available; cells stay square (at most 64 px). */
  width: number;
  ariaLabel?: string;
  /**
   * Called with a cell's true class (row), predicted class (col) and count when it is clicked
   * or activated with Enter/Space; cells then become focusable buttons.
   */
  onCellClick?: (cell: { row: number; col: number; count: number }) => void;
  /** Cell outlined as selected (e.g. the one whose samples are shown). */
  selected?: { row: number; col: number } | null;
}

/**
 * Draws a confusion matrix: true class down the left, predicted class along the top (labels
 * slanted when long), the count or row percentage written in each cell, the diagonal outlined,
 * a colour legend, and a tooltip "true X → predicted Y: n (p%)" on hover.
 * Hooks: `svg[data-chart="confusion-matrix"][data-mode]`, `g.confusion-cell[data-row][data-col][data-count]`
 * (class `diagonal` on the diagonal, `selected` on `options.selected`) with `text.cell-text`
 * inside; with `onCellClick` the cells are `role="button"` and focusable.
 */
export function drawConfusionMatrix(
  container: HTMLElement,
  initial: ConfusionMatrixOptions,
): ChartHandle<ConfusionMatrixOptions> {
  const legendId = uniqueId('confusion');
  return createChart(container, 'confusion-matrix', initial, (svg, tooltip, o) =>
    renderConfusionMatrix(svg, tooltip, o, legendId),
  );
}

type CellGroups = Selection<SVGGElement, ConfusionCell, SVGGElement, unknown>;

/** One render: titles and labels, the cells, their outlines, hover and the colour legend. */
function renderConfusionMatrix(
  svg: Svg,
  tooltip: Tooltip,
  o: ConfusionMatrixOptions,
  legendId: string,
): void {
  const mode = o.mode ?? 'counts';
  const C = o.matrix.length;
  const layout = confusionLayout({ classNames: o.classNames, classes: C, width: o.width });
  const { left, top, gridSize, height } = layout;
  svg
    .attr('width', o.width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${o.width} ${height}`)
    .attr('data-mode', mode)
    .attr('aria-label', o.ariaLabel ?? 'confusion matrix');
  const plot = svg.append('g').attr('class', 'plot').attr('transform', `translate(${left},${top})`);
  drawLabels(plot, o.classNames, layout);
  const cells = confusionCells(o.matrix, o.classNames, mode);
  const g = drawCells(plot, cells, layout.cell);
  if (o.onCellClick) makeClickable(g, o.onCellClick);
  const selected = o.selected;
  if (selected) g.classed('selected', (c) => c.row === selected.row && c.col === selected.col);
  drawOutlines(
    plot,
    cells,
    layout.cell,
    selected && selected.row < C && selected.col < C ? selected : null,
  );
  drawHover(plot, g, layout.cell, (event, c) => showTooltip(tooltip, svg, event, c.title), tooltip);
  const legend = confusionLegend(o.matrix, mode);
  const { domain } = legend;
  const legendW = Math.min(200, Math.max(120, gridSize * 0.6));
  drawColorLegend(svg, plot, {
    id: legendId,
    x: gridSize - legendW,
    y: gridSize + 22,
    width: legendW,
    colorAt: (t) => sequentialColor(domain[0] + t * (domain[1] - domain[0]), domain),
    ticks: legend.ticks,
    title: legend.title,
  });
}

/** The two axis titles, the column labels (slanted when long) and the row labels. */
function drawLabels(plot: Group, classNames: readonly string[], layout: ConfusionLayout): void {
  const { left, top, cell, gridSize, slanted } = layout;
  plot
    .append('text')
    .attr('class', 'axis-title')
    .attr('x', gridSize / 2)
    .attr('y', -top + 12)
    .attr('text-anchor', 'middle')
    .text('predicted class');
  plot
    .append('text')
    .attr('class', 'axis-title')
    .attr('transform', 'rotate(-90)')
    .attr('x', -gridSize / 2)
    .attr('y', -left + 12)
    .attr('text-anchor', 'middle')
    .text('true class');
  plot
    .append('g')
    .attr('class', 'column-labels')
    .selectAll('text')
    .data(classNames)
    .join('text')
    .attr('class', 'column-label')
    .attr(
      'transform',
      (_, j) => `translate(${(j + 0.5) * cell},-7)${slanted ? ' rotate(-40)' : ''}`,
    )
    .attr('text-anchor', slanted ? 'start' : 'middle')
    .text((d) => d);
  plot
    .append('g')
    .attr('class', 'row-labels')
    .selectAll('text')
    .data(classNames)
    .join('text')
    .attr('class', 'row-label')
    .attr('x', -7)
    .attr('y', (_, i) => (i + 0.5) * cell)
    .attr('dy', '0.35em')
    .attr('text-anchor', 'end')
    .text((d) => d);
}

/** A `g.confusion-cell` per cell: its coloured square and its text. */
function drawCells(plot: Group, cells: readonly ConfusionCell[], cell: number): CellGroups {
  const fontSize = Math.max(8, Math.min(12, cell / 4.2));
  const g = plot
    .append('g')
    .attr('class', 'cells')
    .selectAll<SVGGElement, ConfusionCell>('g')
    .data(cells)
    .join('g')
    .attr('class', (c) => `confusion-cell${c.diagonal ? ' diagonal' : ''}`)
    .attr('data-row', (c) => c.row)
    .attr('data-col', (c) => c.col)
    .attr('data-count', (c) => c.count)
    .attr('transform', (c) => `translate(${c.col * cell},${c.row * cell})`);
  g.append('rect')
    .attr('class', 'cell-rect')
    .attr('width', cell)
    .attr('height', cell)
    .attr('fill', (c) => c.fill)
    .attr('stroke', '#e3e6eb')
    .attr('stroke-width', 1);
  g.append('text')
    .attr('class', 'cell-text')
    .attr('x', cell / 2)
    .attr('y', cell / 2)
    .attr('dy', '0.35em')
    .attr('text-anchor', 'middle')
    .attr('font-size', fontSize)
    .attr('font-weight', (c) => (c.diagonal ? 600 : null))
    .attr('fill', (c) => c.textColor)
    .text((c) => c.text);
  return g;
}

/** Cells become focusable buttons that report their cell on click, Enter or Space. */
function makeClickable(
  g: CellGroups,
  onCellClick: NonNullable<ConfusionMatrixOptions['onCellClick']>,
): void {
  g.attr('role', 'button')
    .attr('tabindex', 0)
    .attr('aria-label', (c) => `${c.title}: show samples`)
    .style('cursor', 'pointer')
    .on('click', (_event: MouseEvent, c) => onCellClick({ row: c.row, col: c.col, count: c.count }))
    .on('keydown', (event: KeyboardEvent, c) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault();
      onCellClick({ row: c.row, col: c.col, count: c.count });
    });
}

/** Diagonal outlines, then the selected cell's box (when inside the grid), over every cell. */
function drawOutlines(
  plot: Group,
  cells: readonly ConfusionCell[],
  cell: number,
  selected: { row: number; col: number } | null,
): void {
  // Diagonal outlines on top of every cell so neighbours do not cover them.
  plot
    .append('g')
    .attr('class', 'diagonal-outline')
    .selectAll('rect')
    .data(cells.filter((c) => c.diagonal))
    .join('rect')
    .attr('x', (c) => c.col * cell + 1)
    .attr('y', (c) => c.row * cell + 1)
    .attr('width', cell - 2)
    .attr('height', cell - 2)
    .attr('fill', 'none')
    .attr('stroke', '#1d2330')
    .attr('stroke-width', 1.5)
    .attr('pointer-events', 'none');
  if (selected)
    plot
      .append('rect')
      .attr('class', 'selected-box')
      .attr('x', selected.col * cell + 1)
      .attr('y', selected.row * cell + 1)
      .attr('width', cell - 2)
      .attr('height', cell - 2)
      .attr('fill', 'none')
      .attr('stroke', '#3567c9')
      .attr('stroke-width', 3)
      .attr('pointer-events', 'none');
}

/** An orange box that follows the hovered cell, with `onMove` showing its tooltip. */
function drawHover(
  plot: Group,
  g: CellGroups,
  cell: number,
  onMove: (event: PointerEvent, c: ConfusionCell) => void,
  tooltip: Tooltip,
): void {
  const hoverBox = plot
    .append('rect')
    .attr('class', 'hover-box')
    .attr('width', cell)
    .attr('height', cell)
    .attr('fill', 'none')
    .attr('stroke', '#dd7a30')
    .attr('stroke-width', 2)
    .attr('pointer-events', 'none')
    .style('display', 'none');
  g.on('pointermove', (event: PointerEvent, c) => {
    hoverBox
      .style('display', null)
      .attr('x', c.col * cell)
      .attr('y', c.row * cell);
    onMove(event, c);
  }).on('pointerleave', () => {
    hoverBox.style('display', 'none');
    tooltip.style('display', 'none');
  });
}
