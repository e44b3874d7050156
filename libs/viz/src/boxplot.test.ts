// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { boxplotStats, drawBoxplots, sampleBoxplotRows, type BoxplotRow } from './boxplot';

describe('boxplotStats', () => {
  it('gives numpy.percentile(x, [0, 25, 50, 75, 100]) (linear), worked by hand', () => {
    // Sorted [1, 2, 3, 4]: q1 at position 0.75 -> 1 + 0.75 = 1.75; median at 1.5 -> 2.5; q3 at 2.25 -> 3.25.
    expect(boxplotStats([4, 1, 3, 2])).toEqual({ min: 1, q1: 1.75, median: 2.5, q3: 3.25, max: 4 });
    // Five values: the quartiles are the 2nd and 4th.
    expect(boxplotStats([0.9, 0.1, 0.5, 0.3, 0.7])).toEqual({
      min: 0.1,
      q1: 0.3,
      median: 0.5,
      q3: 0.7,
      max: 0.9,
    });
    // numpy.percentile([0.1, 0.5, 0.2, 0.9], [25, 50, 75]) = [0.175, 0.35, 0.6]
    const s = boxplotStats([0.1, 0.5, 0.2, 0.9])!;
    expect(s.q1).toBeCloseTo(0.175, 12);
    expect(s.median).toBeCloseTo(0.35, 12);
    expect(s.q3).toBeCloseTo(0.6, 12);
  });

  it('collapses one value to a line, ignores non-finite values, is null when none is left', () => {
    expect(boxplotStats([0.4])).toEqual({ min: 0.4, q1: 0.4, median: 0.4, q3: 0.4, max: 0.4 });
    expect(boxplotStats([NaN, 2, Infinity, 0])).toEqual({
      min: 0,
      q1: 0.5,
      median: 1,
      q3: 1.5,
      max: 2,
    });
    expect(boxplotStats([])).toBeNull();
    expect(boxplotStats([NaN])).toBeNull();
  });
});

describe('sampleBoxplotRows', () => {
  const box = (c: number, median: number) => ({
    class: c,
    className: `c${c}`,
    min: median - 0.1,
    q1: median - 0.05,
    median,
    q3: median + 0.05,
    max: median + 0.1,
  });

  it('orders rows by class, names them, adds the mean and marks true and predicted classes', () => {
    const rows = sampleBoxplotRows(
      {
        label: 0,
        predicted: 2,
        meanProbabilities: [0.3, 0.1, 0.6],
        boxplots: [box(2, 0.6), box(0, 0.3), box(1, 0.1)],
      },
      ['cat', 'dog', 'bird'],
    );
    expect(rows.map((r) => [r.key, r.label, r.mean, r.isTrue, r.isPredicted])).toEqual([
      [0, 'cat', 0.3, true, false],
      [1, 'dog', 0.1, false, false],
      [2, 'bird', 0.6, false, true],
    ]);
    const { class: _c, className: _n, ...stats } = box(2, 0.6);
    expect(rows[2]).toMatchObject(stats);
  });

  it('falls back to the class names of the boxes, then to the index; a correct sample is both', () => {
    const rows = sampleBoxplotRows({
      label: 1,
      predicted: 1,
      meanProbabilities: [],
      boxplots: [box(0, 0.2), { ...box(1, 0.8), className: undefined }],
    });
    expect(rows.map((r) => [r.label, r.mean, r.isTrue && r.isPredicted])).toEqual([
      ['c0', null, false],
      ['1', null, true],
    ]);
  });
});

afterEach(() => {
  document.body.replaceChildren();
});

const row = (key: number, stats: number[], extra: Partial<BoxplotRow> = {}): BoxplotRow => {
  const [min = 0, q1 = 0, median = 0, q3 = 0, max = 0] = stats;
  return {
    key,
    label: `c${key}`,
    min,
    q1,
    median,
    q3,
    max,
    mean: median,
    isTrue: false,
    isPredicted: false,
    ...extra,
  };
};

describe('drawBoxplots', () => {
  it('draws whiskers, box, median and mean per class on the [0, 1] axis', () => {
    const container = document.createElement('div');
    document.body.append(container);
    // 100 px of labels + 400 px of plot + 16 px right margin.
    drawBoxplots(container, {
      width: 516,
      labelWidth: 100,
      rows: [
        row(0, [0.1, 0.2, 0.25, 0.5, 0.9], { isTrue: true, mean: 0.3 }),
        row(1, [0.5, 0.5, 0.5, 0.5, 0.5], { isPredicted: true, mean: null }),
      ],
    });
    const rows = [...container.querySelectorAll('g.box-row')];
    expect(rows.map((r) => [r.getAttribute('data-class'), r.getAttribute('data-median')])).toEqual([
      ['0', '0.25'],
      ['1', '0.5'],
    ]);
    expect(rows[0]?.classList.contains('is-true')).toBe(true);
    expect(rows[1]?.classList.contains('is-pred')).toBe(true);
    const attr = (r: Element | undefined, sel: string, a: string) =>
      r?.querySelector(sel)?.getAttribute(a);
    expect([attr(rows[0], '.box-whisker', 'x1'), attr(rows[0], '.box-whisker', 'x2')]).toEqual([
      '40',
      '360',
    ]);
    expect([attr(rows[0], 'rect.box', 'x'), attr(rows[0], 'rect.box', 'width')]).toEqual([
      '80',
      '120',
    ]);
    expect(attr(rows[0], '.box-median', 'x1')).toBe('100');
    expect(attr(rows[0], '.box-mean', 'cx')).toBe('120');
    // Every pass agrees: the box stays visible as a 1 px hairline; no mean, no dot.
    expect(attr(rows[1], 'rect.box', 'width')).toBe('1');
    expect(rows[1]?.querySelector('.box-mean')).toBeNull();
    expect([...container.querySelectorAll('.x-axis .tick text')].map((t) => t.textContent)).toEqual(
      ['0', '0.2', '0.4', '0.6', '0.8', '1'],
    );
    // Both axes have a title; the SVG grows by their room: 22 + 2 rows × 22 + 44.
    expect(container.querySelector('text.x-label')?.textContent).toBe('probability');
    expect(container.querySelector('text.y-label')?.textContent).toBe('class');
    expect(container.querySelector('svg')?.getAttribute('height')).toBe('110');
    rows[0]?.querySelector('rect.hover-target')?.dispatchEvent(new MouseEvent('pointermove'));
    expect(container.querySelector('[data-chart-tooltip]')?.textContent).toBe(
      'c0: min 0.1, q1 0.2, median 0.25, q3 0.5, max 0.9, mean 0.3',
    );
  });
});
