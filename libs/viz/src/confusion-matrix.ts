import { groups, type Selection } from 'd3';
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
import { formatPercent } from './format';
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
   * or activated with Enter/Space; the matrix then becomes a keyboard grid (see
   * {@link drawConfusionMatrix}).
   */
  onCellClick?: (cell: { row: number; col: number; count: number }) => void;
  /** Cell outlined as selected (e.g. the one whose samples are shown). */
  selected?: { row: number; col: number } | null;
}

/**
 * Draws a confusion matrix: true class down the left, predicted class along the top (labels
 * slanted when long), the count or row percentage written in each cell, the diagonal outlined,
 * a colour legend, and a tooltip "true X → predicted Y: n (p%)" on hover.
 * With `onCellClick` the matrix is an ARIA grid with one tab stop (roving tabindex): arrow keys
 * move between cells (Home/End to the row's ends, Ctrl+Home/End to the corners), Enter or Space
 * activates the focused cell, and each cell is named "true X, predicted Y: n (p%)". Without it
 * the SVG is a single image.
 * Hooks: `svg[data-chart="confusion-matrix"][data-mode]`, `g.confusion-cell[data-row][data-col][data-count]`
 * (class `diagonal` on the diagonal, `empty` on zero counts, `selected` on `options.selected`)
 * with `text.cell-text` inside; with `onCellClick` `g.cells[role="grid"]` holds
 * `g.confusion-row[role="row"]`s of `role="gridcell"` cells.
 */
export function drawConfusionMatrix(
  container: HTMLElement,
  initial: ConfusionMatrixOptions,
): ChartHandle<ConfusionMatrixOptions> {
  const legendId = uniqueId('confusion');
  // The grid's tab stop survives redraws (a new mode, a new selection).
  const focus: GridFocus = { active: null };
  return createChart(container, 'confusion-matrix', initial, (svg, tooltip, o) =>
    renderConfusionMatrix(svg, tooltip, o, { legendId, focus }),
  );
}

type CellGroups = Selection<SVGGElement, ConfusionCell, SVGGElement, unknown>;

/** A grid position: row = true class, col = predicted class. */
export interface GridPosition {
  row: number;
  col: number;
}

/** The keyboard grid's remembered tab stop (null until a cell has been focused). */
interface GridFocus {
  active: GridPosition | null;
}

/**
 * Where `key` moves the focus from `from` in a `size` × `size` grid (arrows one cell, stopping
 * at the edges; Home/End to the row's first/last cell, with `ctrl` to the first/last cell of the
 * grid); null for any other key.
 */
export function gridMove(
  from: GridPosition,
  key: string,
  size: number,
  { ctrl = false }: { ctrl?: boolean } = {},
): GridPosition | null {
  const last = Math.max(0, size - 1);
  const clamp = (v: number) => Math.min(last, Math.max(0, v));
  switch (key) {
    case 'ArrowUp':
      return { row: clamp(from.row - 1), col: from.col };
    case 'ArrowDown':
      return { row: clamp(from.row + 1), col: from.col };
    case 'ArrowLeft':
      return { row: from.row, col: clamp(from.col - 1) };
    case 'ArrowRight':
      return { row: from.row, col: clamp(from.col + 1) };
    case 'Home':
      return ctrl ? { row: 0, col: 0 } : { row: from.row, col: 0 };
    case 'End':
      return ctrl ? { row: last, col: last } : { row: from.row, col: last };
    default:
      return null;
  }
}

/** A cell's accessible name: "true X, predicted Y: n (p%)", p its share of the true class. */
export function confusionCellName(cell: ConfusionCell): string {
  return `true ${cell.trueLabel}, predicted ${cell.predictedLabel}: ${cell.count} (${formatPercent(cell.fraction, 1)})`;
}

/** One render: titles and labels, the cells, their outlines, hover and the colour legend. */
function renderConfusionMatrix(
  svg: Svg,
  tooltip: Tooltip,
  o: ConfusionMatrixOptions,
  ids: { legendId: string; focus: GridFocus },
): void {
  const { legendId } = ids;
  const mode = o.mode ?? 'counts';
  const C = o.matrix.length;
  const layout = confusionLayout({ classNames: o.classNames, classes: C, width: o.width });
  const { left, top, gridSize, height } = layout;
  svg
    .attr('width', o.width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${o.width} ${height}`)
    .attr('data-mode', mode)
    // An image has no interactive parts: with clickable cells the SVG is a group holding a grid.
    .attr('role', o.onCellClick ? 'group' : 'img')
    .attr('aria-label', o.ariaLabel ?? 'confusion matrix');
  const plot = svg.append('g').attr('class', 'plot').attr('transform', `translate(${left},${top})`);
  drawLabels(plot, o.classNames, layout);
  const cells = confusionCells(o.matrix, o.classNames, mode);
  const g = drawCells(plot, cells, layout.cell);
  const selected = o.selected;
  if (selected) g.classed('selected', (c) => c.row === selected.row && c.col === selected.col);
  if (o.onCellClick)
    makeGrid(plot, g, {
      size: C,
      focus: ids.focus,
      selected: selected ?? null,
      label: `${o.ariaLabel ?? 'confusion matrix'}: rows are true classes, columns predicted classes`,
      onCellClick: o.onCellClick,
    });
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

/** A `g.confusion-row` per true class holding a `g.confusion-cell` per cell (square and text). */
function drawCells(plot: Group, cells: readonly ConfusionCell[], cell: number): CellGroups {
  const fontSize = Math.max(8, Math.min(12, cell / 4.2));
  const byRow = groups(cells, (c) => c.row).map(([, row]) => row);
  const g = plot
    .append('g')
    .attr('class', 'cells')
    .selectAll<SVGGElement, ConfusionCell[]>('g')
    .data(byRow)
    .join('g')
    .attr('class', 'confusion-row')
    .selectAll<SVGGElement, ConfusionCell>('g')
    .data((row) => row)
    .join('g')
    .attr(
      'class',
      (c) => `confusion-cell${c.diagonal ? ' diagonal' : ''}${c.count === 0 ? ' empty' : ''}`,
    )
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

/**
 * The cells become an ARIA grid with a roving tabindex: the remembered cell (else the selected
 * one, else the first) is the only tab stop; arrows move it, Enter/Space and clicks report the
 * cell to `onCellClick`.
 */
function makeGrid(
  plot: Group,
  g: CellGroups,
  opts: {
    size: number;
    focus: GridFocus;
    selected: GridPosition | null;
    label: string;
    onCellClick: NonNullable<ConfusionMatrixOptions['onCellClick']>;
  },
): void {
  const { size, focus, onCellClick } = opts;
  const inside = (p: GridPosition | null): p is GridPosition => !!p && p.row < size && p.col < size;
  const stop = inside(focus.active)
    ? focus.active
    : inside(opts.selected)
      ? opts.selected
      : { row: 0, col: 0 };
  plot.select('g.cells').attr('role', 'grid').attr('aria-label', opts.label);
  plot.selectAll('g.confusion-row').attr('role', 'row');
  const key = (p: GridPosition) => `${p.row}:${p.col}`;
  const setStop = (p: GridPosition) => {
    focus.active = { row: p.row, col: p.col };
    g.attr('tabindex', (c) => (c.row === p.row && c.col === p.col ? 0 : -1));
  };
  g.attr('role', 'gridcell')
    .attr('data-focus-key', key)
    .attr('aria-label', confusionCellName)
    .attr('aria-selected', (c) =>
      opts.selected ? String(c.row === opts.selected.row && c.col === opts.selected.col) : null,
    )
    .style('cursor', 'pointer')
    .on('focus', (_event: FocusEvent, c) => setStop(c))
    .on('click', (_event: MouseEvent, c) => onCellClick({ row: c.row, col: c.col, count: c.count }))
    .on('keydown', (event: KeyboardEvent, c) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        onCellClick({ row: c.row, col: c.col, count: c.count });
        return;
      }
      const next = gridMove(c, event.key, size, { ctrl: event.ctrlKey || event.metaKey });
      if (!next) return;
      event.preventDefault();
      setStop(next);
      const target = g.filter((d) => d.row === next.row && d.col === next.col).node();
      target?.focus();
    });
  setStop(stop);
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
