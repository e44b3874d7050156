// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { EMPTY_FILL, sequentialColor } from './evaluation';
import { drawHeatmap } from './heatmap';

afterEach(() => {
  document.body.replaceChildren();
});

describe('drawHeatmap', () => {
  it('writes each value in a cell coloured on the scale, with a separator before the averages', () => {
    const container = document.createElement('div');
    document.body.append(container);
    drawHeatmap(container, {
      rows: [
        { label: 'cat', values: [0.9, 0.25], note: 'n=10', kind: 'class' },
        { label: 'dog', values: [0.5, 0.75], note: 'n=12', kind: 'class' },
        { label: 'macro', values: [0.7, null], kind: 'average' },
      ],
      columns: ['precision', 'recall'],
      width: 420,
      legendTitle: 'score',
    });
    expect(container.querySelector('svg')?.getAttribute('data-chart')).toBe('heatmap');
    const cells = [...container.querySelectorAll('g.heatmap-cell')];
    expect(cells).toHaveLength(6);
    expect(cells.map((c) => c.textContent)).toEqual([
      '0.900',
      '0.250',
      '0.500',
      '0.750',
      '0.700',
      '—',
    ]);
    expect(cells.map((c) => c.querySelector('rect')?.getAttribute('fill'))).toEqual([
      ...[0.9, 0.25, 0.5, 0.75, 0.7].map((v) => sequentialColor(v, [0, 1])),
      EMPTY_FILL,
    ]);
    expect(cells[5]?.getAttribute('data-row-kind')).toBe('average');
    expect(cells[5]?.getAttribute('data-col-label')).toBe('recall');
    expect([...container.querySelectorAll('text.row-note')].map((t) => t.textContent)).toEqual([
      'n=10',
      'n=12',
      '',
    ]);
    // One separator, above the first average row (row 2 of 30 px rows).
    const separators = [...container.querySelectorAll('line.row-separator')];
    expect(separators.map((s) => s.getAttribute('y1'))).toEqual(['60']);
    expect([...container.querySelectorAll('text.legend-tick')].map((t) => t.textContent)).toEqual([
      '0',
      '0.50',
      '1',
    ]);
    expect(container.querySelector('text.legend-title')?.textContent).toBe('score');
    cells[1]?.dispatchEvent(new MouseEvent('pointermove'));
    expect(container.querySelector('[data-chart-tooltip]')?.textContent).toBe(
      'cat · recall: 0.250',
    );
  });
});

describe('drawHeatmap in narrow cells (phones)', () => {
  const ROWS = [{ label: 'Pullover', values: [0.96, 0.5], note: 'n=20', kind: 'class' }];
  const COLUMNS = ['precision', 'specificity'];
  function drawAt(width: number) {
    const container = document.createElement('div');
    document.body.append(container);
    drawHeatmap(container, { rows: ROWS, columns: COLUMNS, width });
    return container;
  }

  it('keeps values whole with a smaller font, and slants the column names', () => {
    const narrow = drawAt(200);
    const text = narrow.querySelector('text.cell-text');
    expect(text?.textContent).toBe('0.960');
    const size = Number(text?.getAttribute('font-size'));
    expect(size).toBeLessThan(12);
    expect(size).toBeGreaterThanOrEqual(9);
    const label = narrow.querySelector('text.column-label');
    expect(label?.getAttribute('transform')).toMatch(/rotate\(-40\)/);
    expect(label?.getAttribute('text-anchor')).toBe('start');
    // Taller than the wide layout by the slanted names' rise: ceil(72.6 × sin 40°) = 47 px.
    const wide = drawAt(900);
    expect(wide.querySelector('text.column-label')?.getAttribute('transform')).toBeNull();
    expect(wide.querySelector('text.cell-text')?.getAttribute('font-size')).toBe('12');
    const h = (c: HTMLElement) => Number(c.querySelector('svg')?.getAttribute('height'));
    expect(h(narrow) - h(wide)).toBe(47);
  });
});
