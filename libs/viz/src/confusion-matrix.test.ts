// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { drawConfusionMatrix, gridMove, type ConfusionMatrixOptions } from './confusion-matrix';
import { sequentialColor } from './evaluation';

const MATRIX = [
  [5, 1, 0],
  [2, 3, 0],
  [0, 0, 4],
];
const NAMES = ['cat', 'dog', 'bird'];

function draw(options: Partial<ConfusionMatrixOptions> = {}) {
  const container = document.createElement('div');
  document.body.append(container);
  const handle = drawConfusionMatrix(container, {
    matrix: MATRIX,
    classNames: NAMES,
    width: 400,
    ...options,
  });
  const cell = (row: number, col: number) =>
    container.querySelector<SVGGElement>(`g.confusion-cell[data-row="${row}"][data-col="${col}"]`);
  return { container, handle, cell };
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('drawConfusionMatrix', () => {
  it('draws a cell per entry with its count, coloured by count (empty cells white)', () => {
    const { container, cell } = draw();
    const svg = container.querySelector('svg[data-chart="confusion-matrix"]');
    expect(svg?.getAttribute('data-mode')).toBe('counts');
    const cells = [...container.querySelectorAll('g.confusion-cell')];
    expect(cells).toHaveLength(9);
    expect(cells.map((c) => c.querySelector('text.cell-text')?.textContent)).toEqual(
      MATRIX.flat().map(String),
    );
    expect(cells.map((c) => c.getAttribute('data-count'))).toEqual(MATRIX.flat().map(String));
    expect(cell(0, 0)?.querySelector('rect')?.getAttribute('fill')).toBe(
      sequentialColor(5, [0, 5]),
    );
    expect(cell(1, 0)?.querySelector('rect')?.getAttribute('fill')).toBe(
      sequentialColor(2, [0, 5]),
    );
    expect(cell(0, 2)?.querySelector('rect')?.getAttribute('fill')).toBe('#ffffff');
    // The diagonal is marked and outlined.
    expect(container.querySelectorAll('g.confusion-cell.diagonal')).toHaveLength(3);
    expect(container.querySelectorAll('g.diagonal-outline rect')).toHaveLength(3);
    expect([...container.querySelectorAll('text.row-label')].map((t) => t.textContent)).toEqual(
      NAMES,
    );
    expect([...container.querySelectorAll('text.column-label')].map((t) => t.textContent)).toEqual(
      NAMES,
    );
    // Legend from 0 to the largest count.
    expect([...container.querySelectorAll('text.legend-tick')].map((t) => t.textContent)).toEqual([
      '0',
      '5',
    ]);
  });

  it('writes row percentages in normalised mode, coloured over [0, 1]', () => {
    const { container, cell } = draw({ mode: 'normalized' });
    expect(container.querySelector('svg')?.getAttribute('data-mode')).toBe('normalized');
    expect(cell(0, 0)?.textContent).toBe('83.3%');
    expect(cell(1, 0)?.textContent).toBe('40.0%');
    expect(cell(0, 2)?.textContent).toBe('0%');
    expect(cell(0, 0)?.querySelector('rect')?.getAttribute('fill')).toBe(
      sequentialColor(5 / 6, [0, 1]),
    );
    expect([...container.querySelectorAll('text.legend-tick')].map((t) => t.textContent)).toEqual([
      '0%',
      '50%',
      '100%',
    ]);
  });

  it('is a grid of rows and named gridcells that report their cell on click, Enter and Space', () => {
    const onCellClick = vi.fn();
    const { container, cell } = draw({ onCellClick });
    const svg = container.querySelector('svg');
    expect(svg?.getAttribute('role'), 'no interactive parts inside an image').toBe('group');
    const grid = container.querySelector('g.cells');
    expect(grid?.getAttribute('role')).toBe('grid');
    const rows = [...container.querySelectorAll('g.confusion-row')];
    expect(rows.map((r) => r.getAttribute('role'))).toEqual(['row', 'row', 'row']);
    expect(rows.map((r) => r.querySelectorAll('[role="gridcell"]').length)).toEqual([3, 3, 3]);
    const target = cell(1, 0);
    expect(target?.getAttribute('role')).toBe('gridcell');
    expect(target?.getAttribute('aria-label')).toBe('true dog, predicted cat: 2 (40.0%)');
    target?.dispatchEvent(new MouseEvent('click'));
    target?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    target?.dispatchEvent(new KeyboardEvent('keydown', { key: ' ' }));
    target?.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
    expect(onCellClick.mock.calls).toEqual([
      [{ row: 1, col: 0, count: 2 }],
      [{ row: 1, col: 0, count: 2 }],
      [{ row: 1, col: 0, count: 2 }],
    ]);
  });

  it('has one tab stop that the arrow keys move, kept across redraws', () => {
    const onCellClick = vi.fn();
    const { container, cell, handle } = draw({ onCellClick });
    const stops = () =>
      [...container.querySelectorAll('g.confusion-cell[tabindex="0"]')].map(
        (c) => `${c.getAttribute('data-row')},${c.getAttribute('data-col')}`,
      );
    expect(stops()).toEqual(['0,0']);
    expect(container.querySelectorAll('g.confusion-cell[tabindex="-1"]')).toHaveLength(8);
    cell(0, 0)?.focus();
    const press = (key: string, init: KeyboardEventInit = {}) =>
      document.activeElement?.dispatchEvent(
        new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }),
      );
    press('ArrowRight');
    expect(document.activeElement).toBe(cell(0, 1));
    press('ArrowDown');
    press('ArrowDown');
    press('ArrowDown'); // stops at the last row
    expect(document.activeElement).toBe(cell(2, 1));
    expect(stops()).toEqual(['2,1']);
    press('Home');
    expect(document.activeElement).toBe(cell(2, 0));
    press('End', { ctrlKey: true });
    expect(document.activeElement).toBe(cell(2, 2));
    press('ArrowUp');
    expect(document.activeElement).toBe(cell(1, 2));
    expect(onCellClick).not.toHaveBeenCalled();
    // A redraw (e.g. the toggle to percentages) keeps the tab stop and the focus.
    handle.update({
      matrix: MATRIX,
      classNames: NAMES,
      width: 400,
      mode: 'normalized',
      onCellClick,
    });
    expect(stops()).toEqual(['1,2']);
    expect(document.activeElement).toBe(cell(1, 2));
    press('Enter');
    expect(onCellClick.mock.calls).toEqual([[{ row: 1, col: 2, count: 0 }]]);
  });

  it('starts the tab stop on the selected cell', () => {
    const { container } = draw({ onCellClick: vi.fn(), selected: { row: 2, col: 2 } });
    const stop = container.querySelector('g.confusion-cell[tabindex="0"]');
    expect([stop?.getAttribute('data-row'), stop?.getAttribute('data-col')]).toEqual(['2', '2']);
    expect(stop?.getAttribute('aria-selected')).toBe('true');
  });

  it('is one image, not interactive, without a click handler', () => {
    const { container, cell } = draw();
    expect(container.querySelector('svg')?.getAttribute('role')).toBe('img');
    expect(cell(1, 0)?.getAttribute('role')).toBeNull();
    expect(cell(1, 0)?.getAttribute('tabindex')).toBeNull();
    expect(container.querySelector('g.cells')?.getAttribute('role')).toBeNull();
  });

  it('marks zero cells empty so the theme can colour them', () => {
    const { container } = draw();
    expect(
      [...container.querySelectorAll('g.confusion-cell.empty')].map(
        (c) => `${c.getAttribute('data-row')},${c.getAttribute('data-col')}`,
      ),
    ).toEqual(['0,2', '1,2', '2,0', '2,1']);
  });

  it('outlines the selected cell and explains a cell on hover', () => {
    const { container, cell, handle } = draw({ selected: { row: 2, col: 1 } });
    expect(cell(2, 1)?.classList.contains('selected')).toBe(true);
    expect(container.querySelectorAll('g.confusion-cell.selected')).toHaveLength(1);
    expect(container.querySelectorAll('rect.selected-box')).toHaveLength(1);
    cell(0, 1)?.dispatchEvent(new MouseEvent('pointermove', { clientX: 10, clientY: 10 }));
    const tooltip = container.querySelector<HTMLElement>('[data-chart-tooltip]');
    expect(tooltip?.textContent).toBe('true cat → predicted dog: 1 (16.7%)');
    expect(tooltip?.style.display).toBe('block');
    cell(0, 1)?.dispatchEvent(new MouseEvent('pointerleave'));
    expect(tooltip?.style.display).toBe('none');
    // An update redraws from the new options.
    handle.update({ matrix: [[1]], classNames: ['only'], width: 200 });
    expect(container.querySelectorAll('g.confusion-cell')).toHaveLength(1);
    expect(container.querySelectorAll('rect.selected-box')).toHaveLength(0);
  });
});

describe('gridMove', () => {
  const at = { row: 1, col: 1 };
  it('moves one cell per arrow and stops at the edges', () => {
    expect(gridMove(at, 'ArrowUp', 3)).toEqual({ row: 0, col: 1 });
    expect(gridMove(at, 'ArrowDown', 3)).toEqual({ row: 2, col: 1 });
    expect(gridMove(at, 'ArrowLeft', 3)).toEqual({ row: 1, col: 0 });
    expect(gridMove(at, 'ArrowRight', 3)).toEqual({ row: 1, col: 2 });
    expect(gridMove({ row: 0, col: 0 }, 'ArrowUp', 3)).toEqual({ row: 0, col: 0 });
    expect(gridMove({ row: 2, col: 2 }, 'ArrowRight', 3)).toEqual({ row: 2, col: 2 });
  });
  it('goes to the row ends with Home/End and the corners with Ctrl', () => {
    expect(gridMove(at, 'Home', 3)).toEqual({ row: 1, col: 0 });
    expect(gridMove(at, 'End', 3)).toEqual({ row: 1, col: 2 });
    expect(gridMove(at, 'Home', 3, { ctrl: true })).toEqual({ row: 0, col: 0 });
    expect(gridMove(at, 'End', 3, { ctrl: true })).toEqual({ row: 2, col: 2 });
  });
  it('ignores other keys', () => {
    expect(gridMove(at, 'Enter', 3)).toBeNull();
    expect(gridMove(at, 'a', 3)).toBeNull();
  });
});
