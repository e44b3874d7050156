// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import {
  drawParallelCoordinates,
  numericKeys,
  parallelAxisLayout,
  parallelCoordinates,
} from './parallel-coordinates';

describe('numericKeys', () => {
  it('keeps keys whose present values are all finite numbers, in first-seen order', () => {
    const keys = numericKeys([
      { lr: 0.001, batch: 64, optimizer: 'adam', seed: 1, dropout: null },
      { lr: 0.01, batch: 128, optimizer: 'sgd', seed: '2', extra: 3 },
    ]);
    expect(keys).toEqual(['lr', 'batch', 'extra']);
  });
  it('drops keys with only missing or non-finite values', () => {
    expect(numericKeys([{ a: null, b: Number.NaN }, { a: undefined }])).toEqual([]);
  });
});

describe('parallelCoordinates', () => {
  const rows = [
    { id: 'a', name: 'A', values: { lr: 0.0001, batch: 32, acc: 0.8 } },
    { id: 'b', name: 'B', values: { lr: 0.01, batch: 64, acc: 0.9 } },
    { id: 'c', name: 'C', values: { lr: 0.001, batch: null, acc: 0.85 } },
  ];
  it('builds one axis per key with its finite range and a log scale for wide positive ranges', () => {
    const { axes } = parallelCoordinates(rows, ['lr', 'batch', 'acc']);
    expect(axes).toEqual([
      { key: 'lr', min: 0.0001, max: 0.01, log: true },
      { key: 'batch', min: 32, max: 64, log: false },
      { key: 'acc', min: 0.8, max: 0.9, log: false },
    ]);
  });
  it('normalises positions to 0..1 (log axes in log space) with null for missing values', () => {
    const { lines } = parallelCoordinates(rows, ['lr', 'batch', 'acc']);
    expect(lines.map((l) => l.id)).toEqual(['a', 'b', 'c']);
    expect(lines[0]?.positions).toEqual([0, 0, 0]);
    expect(lines[1]?.positions).toEqual([1, 1, 1]);
    expect(lines[2]?.positions[0]).toBeCloseTo(0.5, 10);
    expect(lines[2]?.positions[1]).toBeNull();
    expect(lines[2]?.positions[2]).toBeCloseTo(0.5, 10);
  });
  it('puts a constant axis in the middle and an all-missing axis on 0..1', () => {
    const { axes, lines } = parallelCoordinates(
      [
        { id: 'a', name: 'A', values: { epochs: 8 } },
        { id: 'b', name: 'B', values: { epochs: 8 } },
      ],
      ['epochs', 'nothing'],
    );
    expect(axes[0]).toEqual({ key: 'epochs', min: 8, max: 8, log: false });
    expect(axes[1]).toEqual({ key: 'nothing', min: 0, max: 1, log: false });
    expect(lines[0]?.positions).toEqual([0.5, null]);
  });
});

describe('parallelAxisLayout', () => {
  const axis = (labelWidth: number, titleWidth: number) => ({ labelWidth, titleWidth });

  it('spreads the axes evenly when every gap has room', () => {
    // First axis: max(20 + 9, 30 / 2) + 4 = 33; right margin max(40 / 2, 4) + 4 = 24;
    // even gap (300 − 33 − 24) / 2 = 121.5 ≥ minimums max(10 + 17, 27.5 + 10) = 37.5 and 45.
    expect(parallelAxisLayout([axis(20, 30), axis(10, 45), axis(28, 40)], 300)).toEqual({
      positions: [33, 154.5, 276],
      width: 300,
    });
  });

  it('keeps a wide label clear of the axis before it, adding spare room evenly', () => {
    // Gaps: max(100 + 17, 10 + 10) = 117 and max(10 + 17, 10 + 10) = 27. x0 = 19 + 4 = 23,
    // right = max(10 / 2, 4) + 4 = 9: 176 needed; 24 spare, 12 per gap (even 84 < 117).
    expect(parallelAxisLayout([axis(10, 10), axis(100, 10), axis(10, 10)], 200)).toEqual({
      positions: [23, 152, 191],
      width: 200,
    });
  });

  it('asks for more width than given when the minimum gaps do not fit', () => {
    // x0 = 29 + 4 = 33; gaps max(20 + 17, 20 + 10) = 37 each; right 10 + 4 = 14: 121 px.
    expect(parallelAxisLayout([axis(20, 20), axis(20, 20), axis(20, 20)], 80)).toEqual({
      positions: [33, 70, 107],
      width: 121,
    });
  });

  it('centres a single axis and handles none', () => {
    expect(parallelAxisLayout([axis(20, 20)], 300)).toEqual({ positions: [150], width: 300 });
    expect(parallelAxisLayout([], 300)).toEqual({ positions: [], width: 300 });
  });
});

describe('drawParallelCoordinates', () => {
  afterEach(() => {
    document.body.replaceChildren();
  });

  it('draws an axis per key and a line per run, with gaps where a value is missing', () => {
    const container = document.createElement('div');
    document.body.append(container);
    drawParallelCoordinates(container, {
      rows: [
        { id: 'r1', name: 'baseline', values: { batch: 32, dropout: 0.1, acc: 0.8 } },
        { id: 'r2', name: 'wide', values: { batch: 64, dropout: null, acc: 0.9 }, color: '#f00' },
      ],
      keys: ['batch', 'dropout', 'acc'],
      highlight: ['acc'],
      width: 480,
      height: 250,
    });
    const svg = container.querySelector('svg[data-chart="parallel-coordinates"]');
    expect([svg?.getAttribute('data-axes'), svg?.getAttribute('data-lines')]).toEqual(['3', '2']);
    const axes = [...container.querySelectorAll('g.pc-axis')];
    expect(axes.map((a) => a.getAttribute('data-key'))).toEqual(['batch', 'dropout', 'acc']);
    expect(axes.map((a) => a.classList.contains('highlight'))).toEqual([false, false, true]);
    // Widest tick labels (10 px font, 6 px a character): batch "60" 12, dropout "0.1" 18, acc
    // "0.82" 24; titles (12 px) 36, 50.4, 21.6. First axis at max(12 + 9, 36 / 2) + 4 = 25, the
    // last 10.8 + 4 from the right edge: even gaps of (480 − 25 − 14.8) / 2 = 220.1 beat the
    // minimums (53.2, 46). y runs from 234 (min) up to 34 (max).
    expect(axes.map((a) => a.getAttribute('transform'))).toEqual([
      'translate(25,0)',
      'translate(245.1,0)',
      'translate(465.2,0)',
    ]);
    expect(svg?.getAttribute('width')).toBe('480');
    const lines = [...container.querySelectorAll('path.pc-line')];
    expect(lines.map((l) => l.getAttribute('data-run-id'))).toEqual(['r1', 'r2']);
    // r1 is at the minimum of batch and acc; dropout has one value, drawn in the middle.
    expect(lines[0]?.getAttribute('d')).toBe('M25,234L245.1,134L465.2,234');
    // r2 has no dropout: two separate points, no segment through the missing value.
    expect(lines[1]?.getAttribute('d')).toBe('M25,34ZM465.2,34Z');
    expect(lines[1]?.getAttribute('stroke')).toBe('#f00');
    expect(container.querySelectorAll('circle.pc-point')).toHaveLength(5);
    lines[1]?.dispatchEvent(new MouseEvent('pointermove'));
    expect(container.querySelector('[data-chart-tooltip]')?.textContent).toBe(
      'wide\nbatch: 64\ndropout: —\nacc: 0.9',
    );
  });

  it('grows wider than its host rather than letting tick labels reach the next axis', () => {
    const container = document.createElement('div');
    document.body.append(container);
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    drawParallelCoordinates(container, {
      rows: [
        { id: 'r1', name: 'x', values: Object.fromEntries(keys.map((k) => [k, 0.000125])) },
        { id: 'r2', name: 'y', values: Object.fromEntries(keys.map((k) => [k, 0.000375])) },
      ],
      keys,
      width: 200,
      height: 200,
      formatValue: (v) => v.toFixed(6),
    });
    const svg = container.querySelector('svg');
    // Labels "0.000150" are 48 px: 4 + 57 for the first axis, gaps of 48 + 9 + 8 = 65, a dot's
    // 4 + 4 at the right: 61 + 5 × 65 + 8 = 394 px, scrolled by the host.
    expect(svg?.getAttribute('width')).toBe('394');
    expect(svg?.getAttribute('data-overflow')).toBe('scroll');
    const xs = [...container.querySelectorAll('g.pc-axis')].map((a) =>
      Number(/translate\(([\d.]+),/.exec(a.getAttribute('transform') ?? '')?.[1]),
    );
    expect(xs).toEqual([61, 126, 191, 256, 321, 386]);
  });

  it('says so when there is no numeric value', () => {
    const container = document.createElement('div');
    drawParallelCoordinates(container, {
      rows: [],
      keys: [],
      width: 300,
      height: 200,
      emptyText: 'Nothing numeric',
    });
    expect(container.querySelector('text.empty-text')?.textContent).toBe('Nothing numeric');
    expect(container.querySelectorAll('path.pc-line')).toHaveLength(0);
  });
});
