import { describe, expect, it } from 'vitest';
import { finiteExtent, seriesDomain } from './extent';

describe('finiteExtent', () => {
  it('ignores NaN, Infinity and null', () => {
    expect(finiteExtent([3, NaN, -2, Infinity, null, 7, -Infinity, undefined])).toEqual([-2, 7]);
  });
  it('is null without finite values', () => {
    expect(finiteExtent([NaN, Infinity])).toBeNull();
    expect(finiteExtent([])).toBeNull();
  });
});

describe('seriesDomain', () => {
  it('pads the value range by 5% and clamps at zero for non-negative data', () => {
    const d = seriesDomain([
      {
        name: 'loss',
        points: [
          { step: 1, value: 0.2 },
          { step: 5, value: 2.2 },
          { step: 6, value: NaN },
        ],
      },
      { name: 'val_loss', points: [{ step: 2, value: 1.2 }] },
    ]);
    // range 2.0 -> pad 0.1: [0.1, 2.3]
    expect(d?.x).toEqual([1, 5]);
    expect(d?.y[0]).toBeCloseTo(0.1, 12);
    expect(d?.y[1]).toBeCloseTo(2.3, 12);
  });

  it('clamps the padded minimum at zero', () => {
    const d = seriesDomain([
      {
        name: 'acc',
        points: [
          { step: 0, value: 0 },
          { step: 1, value: 1 },
        ],
      },
    ]);
    expect(d).toEqual({ x: [0, 1], y: [0, 1.05] });
  });

  it('widens a single step and a constant value', () => {
    expect(seriesDomain([{ name: 'a', points: [{ step: 3, value: 0.5 }] }])).toEqual({
      x: [2, 4],
      y: [0.45, 0.55],
    });
    expect(
      seriesDomain([{ name: 'a', points: [{ step: 3, value: 0 }] }], { clampZero: false }),
    ).toEqual({ x: [2, 4], y: [-1, 1] });
  });

  it('is null when nothing is finite', () => {
    expect(seriesDomain([{ name: 'a', points: [{ step: 1, value: Infinity }] }])).toBeNull();
  });
});
