import { describe, expect, it } from 'vitest';
import { aucTrapezoid, oneVsRestRocCurves, rocAuc, rocCurve, type RocCurve } from './roc';
import { loadFixture, type RocFixture } from './test-fixtures';

function expectCurve(a: RocCurve, e: RocFixture, tol = 1e-15): void {
  expect(a.thresholds).toEqual(e.thresholds); // thresholds are input scores (or max + 1): exact
  expect(a.fpr).toHaveLength(e.fpr.length);
  a.fpr.forEach((v, i) => expect(Math.abs(v - e.fpr[i]!)).toBeLessThanOrEqual(tol));
  a.tpr.forEach((v, i) => expect(Math.abs(v - e.tpr[i]!)).toBeLessThanOrEqual(tol));
  expect(Math.abs(aucTrapezoid(a.fpr, a.tpr) - e.auc)).toBeLessThanOrEqual(1e-12);
}

describe('rocCurve', () => {
  it('matches the sklearn docstring example (threshold[0] = max + 1 in sklearn 1.2)', () => {
    const r = rocCurve({ labels: [1, 1, 2, 2], scores: [0.1, 0.4, 0.35, 0.8], positive: 2 });
    expect(r.fpr).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(r.tpr).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(r.thresholds).toEqual([1.8, 0.8, 0.4, 0.35, 0.1]);
    expect(aucTrapezoid(r.fpr, r.tpr)).toBe(0.75);
  });

  it('drops collinear intermediate points and merges ties', () => {
    // Scores 0.9, 0.8, 0.7 are all positives: the middle point lies on the tpr axis and is dropped.
    const r = rocCurve({ labels: [1, 1, 1, 0, 0], scores: [0.9, 0.8, 0.7, 0.5, 0.5], positive: 1 });
    expect(r.thresholds).toEqual([1.9, 0.9, 0.7, 0.5]);
    expect(r.tpr).toEqual([0, 1 / 3, 1, 1]);
    expect(r.fpr).toEqual([0, 0, 0, 1]);
  });

  it('returns NaN rates when a class is missing, as sklearn does', () => {
    const r = rocCurve({ labels: [1, 1], scores: [0.2, 0.7], positive: 1 });
    expect(r.fpr.every(Number.isNaN)).toBe(true);
    expect(r.tpr).toEqual([0, 0.5, 1]);
    expect(rocAuc({ labels: [1, 1], scores: [0.2, 0.7], positive: 1 })).toBeNull();
  });

  it('matches sklearn on the fixtures (multiclass one-vs-rest, binary, tied scores, other positive)', () => {
    const ten = loadFixture('ten-class.json');
    const C = ten.numClasses;
    const col3 = ten.labels.map((_, i) => ten.probabilities[i * C + 3]!);
    expectCurve(rocCurve({ labels: ten.labels, scores: col3, positive: 3 }), ten.roc3!);
    expect(rocAuc({ labels: ten.labels, scores: col3, positive: 3 })).toBeCloseTo(
      ten.expected.perClass[3]!.auc!,
      12,
    );

    const bin = loadFixture('binary-sigmoid.json');
    expectCurve(
      rocCurve({ labels: bin.labels, scores: Float64Array.from(bin.probabilities), positive: 1 }),
      bin.roc!,
    );
    expectCurve(
      rocCurve({ labels: bin.labels, scores: bin.rocTiedScores!, positive: 1 }),
      bin.rocTied!,
    );
    const neg = bin.probabilities.map((q) => 1 - q);
    expectCurve(rocCurve({ labels: bin.labels, scores: neg, positive: 0 }), bin.rocNegative!);
  });

  it('rejects bad input', () => {
    expect(() => rocCurve({ labels: [0, 1], scores: [0.1], positive: 1 })).toThrow(
      'scores has 1 values; expected one per label (2)',
    );
    expect(() => rocCurve({ labels: [0, 1], scores: [0.1, NaN], positive: 1 })).toThrow(
      'scores[1] is NaN',
    );
    expect(() => rocCurve({ labels: [], scores: [], positive: 1 })).toThrow('at least one sample');
  });
});

describe('aucTrapezoid', () => {
  it('integrates increasing and decreasing x like sklearn.metrics.auc', () => {
    expect(aucTrapezoid([0, 1], [0, 1])).toBe(0.5);
    expect(aucTrapezoid([1, 0.5, 0], [1, 1, 0])).toBe(0.75);
    expect(aucTrapezoid([0, 0, 1], [0, 1, 1])).toBe(1);
  });
  it('rejects non-monotonic x, mismatched lengths and single points', () => {
    expect(() => aucTrapezoid([0, 1, 0.5], [0, 1, 1])).toThrow('neither increasing nor decreasing');
    expect(() => aucTrapezoid([0, 1], [0])).toThrow('x has 2 values but y has 1');
    expect(() => aucTrapezoid([0], [0])).toThrow('at least 2 points');
  });
});

describe('oneVsRestRocCurves', () => {
  it('gives each class its sklearn roc_curve, null where a class is absent', () => {
    const ten = loadFixture('ten-class.json');
    const curves = oneVsRestRocCurves(ten);
    expect(curves).toHaveLength(10);
    expectCurve(curves[3]!, ten.roc3!);
    curves.forEach((curve, c) =>
      expect(
        Math.abs(aucTrapezoid(curve!.fpr, curve!.tpr) - ten.expected.perClass[c]!.auc!),
      ).toBeLessThanOrEqual(1e-12),
    );

    // Class 3 has no sample: its curve is undefined, like its AUC.
    const missing = loadFixture('four-class-missing-label.json');
    const four = oneVsRestRocCurves(missing);
    expect(four.map((c) => c === null)).toEqual([false, false, false, true]);
    expect(missing.expected.perClass[3]!.auc).toBeNull();
  });

  it('reads one sigmoid column as [1 - p, p]', () => {
    const bin = loadFixture('binary-sigmoid.json');
    const [negative, positive] = oneVsRestRocCurves(bin);
    expectCurve(positive!, bin.roc!);
    expectCurve(negative!, bin.rocNegative!);
  });

  it('is null for a class that is every sample, and rejects a wrong length', () => {
    expect(
      oneVsRestRocCurves({ labels: [1, 1], probabilities: [0.4, 0.6, 0.3, 0.7], numClasses: 2 }),
    ).toEqual([null, null]);
    expect(() =>
      oneVsRestRocCurves({ labels: [0, 1], probabilities: [0.4, 0.6, 0.3], numClasses: 2 }),
    ).toThrow('probabilities has 3 values; expected n * numClasses = 4');
  });
});
