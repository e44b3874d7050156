// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { drawParallelCoordinates, numericKeys, parallelCoordinates } from './parallel-coordinates';

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
    // Axes spread over x 40..440; y runs from 234 (min) up to 34 (max).
    expect(axes.map((a) => a.getAttribute('transform'))).toEqual([
      'translate(40,0)',
      'translate(240,0)',
      'translate(440,0)',
    ]);
    const lines = [...container.querySelectorAll('path.pc-line')];
    expect(lines.map((l) => l.getAttribute('data-run-id'))).toEqual(['r1', 'r2']);
    // r1 is at the minimum of batch and acc; dropout has one value, drawn in the middle.
    expect(lines[0]?.getAttribute('d')).toBe('M40,234L240,134L440,234');
    // r2 has no dropout: two separate points, no segment through the missing value.
    expect(lines[1]?.getAttribute('d')).toBe('M40,34ZM440,34Z');
    expect(lines[1]?.getAttribute('stroke')).toBe('#f00');
    expect(container.querySelectorAll('circle.pc-point')).toHaveLength(5);
    lines[1]?.dispatchEvent(new MouseEvent('pointermove'));
    expect(container.querySelector('[data-chart-tooltip]')?.textContent).toBe(
      'wide\nbatch: 64\ndropout: —\nacc: 0.9',
    );
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
