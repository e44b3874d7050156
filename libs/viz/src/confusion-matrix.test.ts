// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { drawConfusionMatrix, type ConfusionMatrixOptions } from './confusion-matrix';
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

  it('makes cells buttons that report their cell on click, Enter and Space', () => {
    const onCellClick = vi.fn();
    const { cell } = draw({ onCellClick });
    const target = cell(1, 0);
    expect(target?.getAttribute('role')).toBe('button');
    expect(target?.getAttribute('tabindex')).toBe('0');
    expect(target?.getAttribute('aria-label')).toBe(
      'true dog → predicted cat: 2 (40.0%): show samples',
    );
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

  it('is not interactive without a click handler', () => {
    const { cell } = draw();
    expect(cell(1, 0)?.getAttribute('role')).toBeNull();
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
