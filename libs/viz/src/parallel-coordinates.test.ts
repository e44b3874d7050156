import { describe, expect, it } from 'vitest';
import { numericKeys, parallelCoordinates } from './parallel-coordinates';

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
    expect(lines[0].positions).toEqual([0, 0, 0]);
    expect(lines[1].positions).toEqual([1, 1, 1]);
    expect(lines[2].positions[0]).toBeCloseTo(0.5, 10);
    expect(lines[2].positions[1]).toBeNull();
    expect(lines[2].positions[2]).toBeCloseTo(0.5, 10);
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
    expect(lines[0].positions).toEqual([0.5, null]);
  });
});
