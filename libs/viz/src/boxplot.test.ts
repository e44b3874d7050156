import { describe, expect, it } from 'vitest';
import { boxplotStats, sampleBoxplotRows } from './boxplot';

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
