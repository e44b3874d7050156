import { max } from 'd3';
import { createChart, drawColorLegend, showTooltip, textWidth, uniqueId } from './chart-shell';
import { confusionCells, sequentialColor, type ConfusionMode } from './evaluation';
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

const MAX_CELL = 64;

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
  return createChart(container, 'confusion-matrix', initial, (svg, tooltip, o) => {
    const mode = o.mode ?? 'counts';
    const C = o.matrix.length;
    const longest = max(o.classNames, (n) => textWidth(n, 11)) ?? 0;
    const left = longest + 34;
    // Column labels slant at 40° when they do not fit the cell width.
    const provisionalCell = Math.min(MAX_CELL, (o.width - left - 16) / Math.max(1, C));
    const slanted = longest > provisionalCell - 6;
    const top = (slanted ? longest * 0.68 + 14 : 18) + 22;
    const cell = Math.max(18, provisionalCell);
    const gridSize = cell * C;
    const legendH = 50;
    const height = top + gridSize + legendH;
    svg
      .attr('width', o.width)
      .attr('height', height)
      .attr('viewBox', `0 0 ${o.width} ${height}`)
      .attr('data-mode', mode)
      .attr('aria-label', o.ariaLabel ?? 'confusion matrix');
    const plot = svg
      .append('g')
      .attr('class', 'plot')
      .attr('transform', `translate(${left},${top})`);

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
      .data(o.classNames)
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
      .data(o.classNames)
      .join('text')
      .attr('class', 'row-label')
      .attr('x', -7)
      .attr('y', (_, i) => (i + 0.5) * cell)
      .attr('dy', '0.35em')
      .attr('text-anchor', 'end')
      .text((d) => d);

    const cells = confusionCells(o.matrix, o.classNames, mode);
    const fontSize = Math.max(8, Math.min(12, cell / 4.2));
    const g = plot
      .append('g')
      .attr('class', 'cells')
      .selectAll('g')
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
    const clickable = o.onCellClick;
    if (clickable) {
      g.attr('role', 'button')
        .attr('tabindex', 0)
        .attr('aria-label', (c) => `${c.title}: show samples`)
        .style('cursor', 'pointer')
        .on('click', (_event: MouseEvent, c) =>
          clickable({ row: c.row, col: c.col, count: c.count }),
        )
        .on('keydown', (event: KeyboardEvent, c) => {
          if (event.key !== 'Enter' && event.key !== ' ') return;
          event.preventDefault();
          clickable({ row: c.row, col: c.col, count: c.count });
        });
    }
    const selected = o.selected;
    if (selected) g.classed('selected', (c) => c.row === selected.row && c.col === selected.col);
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
    if (selected && selected.row < C && selected.col < C)
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
      showTooltip(tooltip, svg, event, c.title);
    }).on('pointerleave', () => {
      hoverBox.style('display', 'none');
      tooltip.style('display', 'none');
    });

    const maxCount = Math.max(1, ...o.matrix.flat());
    const domain: [number, number] = mode === 'counts' ? [0, maxCount] : [0, 1];
    const legendW = Math.min(200, Math.max(120, gridSize * 0.6));
    drawColorLegend(svg, plot, {
      id: legendId,
      x: gridSize - legendW,
      y: gridSize + 22,
      width: legendW,
      colorAt: (t) => sequentialColor(domain[0] + t * (domain[1] - domain[0]), domain),
      ticks:
        mode === 'counts'
          ? [
              { t: 0, label: '0' },
              { t: 1, label: String(maxCount) },
            ]
          : [
              { t: 0, label: '0%' },
              { t: 0.5, label: '50%' },
              { t: 1, label: '100%' },
            ],
      title: mode === 'counts' ? 'samples' : 'share of true class',
    });
  });
}
