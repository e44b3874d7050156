import { describe, expect, it } from 'vitest';
import { groupRows, metricStats } from './grouping';

interface R {
  id: string;
  opt?: string | null;
  lr?: number;
  acc: number | null;
}

describe('metricStats', () => {
  it('counts, averages and bounds the finite values only', () => {
    // (0.8 + 0.9 + 0.7) / 3 = 0.8
    const s = metricStats([0.8, null, 0.9, NaN, 0.7, undefined, Infinity]);
    expect(s.n).toBe(3);
    expect(s.mean).toBeCloseTo(0.8, 12);
    expect(s.min).toBe(0.7);
    expect(s.max).toBe(0.9);
  });

  it('is all null without a finite value', () => {
    expect(metricStats([null, NaN])).toEqual({ n: 0, mean: null, min: null, max: null });
  });
});

describe('groupRows', () => {
  const rows: R[] = [
    { id: 'a', opt: 'sgd', lr: 0.1, acc: 0.6 },
    { id: 'b', opt: 'adam', lr: 0.01, acc: 0.9 },
    { id: 'c', opt: null, lr: 0.1, acc: 0.5 },
    { id: 'd', opt: 'adam', lr: 0.001, acc: 0.8 },
    { id: 'e', opt: 'sgd', lr: 0.01, acc: null },
    { id: 'f', opt: 'Adam2', acc: 0.7 },
  ];

  it('groups by a string value, groups by value, rows in input order, stats per group', () => {
    const groups = groupRows(
      rows,
      (r) => r.opt,
      (r) => r.acc,
    );
    expect(groups.map((g) => g.value)).toEqual(['adam', 'Adam2', 'sgd', null]);
    expect(groups.map((g) => g.rows.map((r) => r.id))).toEqual([
      ['b', 'd'],
      ['f'],
      ['a', 'e'],
      ['c'],
    ]);
    // adam: (0.9 + 0.8) / 2 = 0.85, min 0.8, max 0.9
    expect(groups[0]!.stats.n).toBe(2);
    expect(groups[0]!.stats.mean).toBeCloseTo(0.85, 12);
    expect(groups[0]!.stats.min).toBe(0.8);
    expect(groups[0]!.stats.max).toBe(0.9);
    // sgd: only a has a value: 0.6
    expect(groups[2]!.stats).toEqual({ n: 1, mean: 0.6, min: 0.6, max: 0.6 });
    expect(groups[3]!.key).toBe('missing');
  });

  it('orders numeric groups numerically (0.001 < 0.01 < 0.1), missing last', () => {
    const groups = groupRows(
      rows,
      (r) => r.lr,
      (r) => r.acc,
    );
    expect(groups.map((g) => g.value)).toEqual([0.001, 0.01, 0.1, null]);
    expect(groups.map((g) => g.rows.length)).toEqual([1, 2, 2, 1]);
    // lr 0.1: a 0.6, c 0.5 -> mean 0.55
    expect(groups[2]!.stats.mean).toBeCloseTo(0.55, 12);
    // lr 0.01: b 0.9, e missing -> n 1
    expect(groups[1]!.stats).toEqual({ n: 1, mean: 0.9, min: 0.9, max: 0.9 });
  });

  it('keeps the number 1 and the string "1" apart, numbers first', () => {
    const groups = groupRows(
      [1, '1', 1] as (number | string)[],
      (v) => v,
      () => 1,
    );
    expect(groups.map((g) => [g.key, g.rows.length])).toEqual([
      ['number:1', 2],
      ['string:1', 1],
    ]);
  });

  it('gives no group for no rows', () => {
    expect(
      groupRows(
        [] as R[],
        (r) => r.opt,
        (r) => r.acc,
      ),
    ).toEqual([]);
  });
});
