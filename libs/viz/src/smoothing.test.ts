import { describe, expect, it } from 'vitest';
import { emaSmooth } from './smoothing';

const pts = (values: number[]) => values.map((value, i) => ({ step: i + 1, value }));
const values = (points: { value: number }[]) => points.map((p) => p.value);

describe('emaSmooth (TensorBoard debiased EMA)', () => {
  it('gives [1, 1.6667, 2.4286] for [1, 2, 3] at 0.5, worked by hand', () => {
    // last: 0.5, 1.25, 2.125; debias 1 - 0.5^n: 0.5, 0.75, 0.875.
    const out = emaSmooth(pts([1, 2, 3]), 0.5);
    expect(out.map((p) => p.step)).toEqual([1, 2, 3]);
    expect(values(out)[0]).toBe(1);
    expect(values(out)[1]).toBeCloseTo(5 / 3, 10);
    expect(values(out)[2]).toBeCloseTo(17 / 7, 10);
  });

  it('skips non-finite values without counting them', () => {
    // 1 -> 1; NaN skipped; 3: last 0.25 + 1.5 = 1.75, n = 2, debias 0.75 -> 7/3.
    const out = emaSmooth(pts([1, NaN, 3, Infinity]), 0.5);
    expect(out.map((p) => p.step)).toEqual([1, 3]);
    expect(values(out)[1]).toBeCloseTo(7 / 3, 10);
  });

  it('is the identity at 0 and clamps the weight below 1', () => {
    expect(emaSmooth(pts([4, -2, 7]), 0)).toEqual(pts([4, -2, 7]));
    // 0.999 (clamped from 5): a constant stays that constant after debiasing.
    const out = emaSmooth(pts([2, 2, 2]), 5);
    for (const v of values(out)) expect(v).toBeCloseTo(2, 9);
    // 0.9 on [0, 10]: last 0, then 1; debias 1 - 0.81 = 0.19 -> 5.263.
    expect(values(emaSmooth(pts([0, 10]), 0.9))[1]).toBeCloseTo(1 / 0.19, 10);
    expect(emaSmooth([], 0.5)).toEqual([]);
  });
});
