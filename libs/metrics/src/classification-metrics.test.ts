import { describe, expect, it } from 'vitest';
import { evaluateClassification, type ClassificationReport } from './classification-metrics';
import { loadFixture, type ClassificationFixture } from './test-fixtures';

/** Every number equal within `tol`; nulls, integers and strings exactly. */
function expectReport(
  actual: ClassificationReport,
  expected: ClassificationFixture['expected'],
  tol: number,
): void {
  const close = (a: number | null, e: number | null, what: string) => {
    if (e === null) return expect(a, what).toBeNull();
    expect(a, what).not.toBeNull();
    expect(Math.abs((a as number) - e), `${what}: ${a} vs sklearn ${e}`).toBeLessThanOrEqual(tol);
  };
  close(actual.accuracy, expected.accuracy, 'accuracy');
  expect(actual.topK.map((t) => t.k)).toEqual(expected.topK.map((t) => t.k));
  expected.topK.forEach((t, i) => close(actual.topK[i]!.accuracy, t.accuracy, `top-${t.k}`));
  expect(actual.confusionMatrix).toEqual(expected.confusionMatrix);
  expect(actual.perClass).toHaveLength(expected.perClass.length);
  expected.perClass.forEach((e, c) => {
    const a = actual.perClass[c]!; // lengths compared above
    expect(a.label).toBe(e.label);
    expect(a.support).toBe(e.support);
    for (const key of ['precision', 'recall', 'f1', 'sensitivity', 'specificity', 'auc'] as const) {
      close(a[key], e[key], `class ${c} ${key}`);
    }
  });
  for (const avg of ['macro', 'weighted'] as const) {
    for (const key of ['precision', 'recall', 'f1'] as const)
      close(actual[avg][key], expected[avg][key], `${avg} ${key}`);
  }
  close(actual.logLoss, expected.logLoss, 'logLoss');
  close(actual.ece, expected.ece, 'ece');
  expect(actual.calibration).toHaveLength(expected.calibration.length);
  expected.calibration.forEach((e, b) => {
    const a = actual.calibration[b]!; // lengths compared above
    expect(a.count, `bin ${b} count`).toBe(e.count);
    expect(a.binLower).toBe(e.binLower);
    expect(a.binUpper).toBe(e.binUpper);
    close(a.confidence, e.confidence, `bin ${b} confidence`);
    close(a.accuracy, e.accuracy, `bin ${b} accuracy`);
  });
}

function run(
  f: ClassificationFixture,
  probabilities: ArrayLike<number> = f.probabilities,
  bins?: number,
) {
  return evaluateClassification({
    labels: Int32Array.from(f.labels),
    probabilities: Float64Array.from(probabilities),
    numClasses: f.numClasses,
    classNames: f.classNames,
    calibrationBins: bins,
  });
}

describe('evaluateClassification vs scikit-learn fixtures', () => {
  it('10 classes, 500 samples', () => {
    const f = loadFixture('ten-class.json');
    expect(f.meta.sklearn).toBe('1.2.1');
    const r = run(f);
    expect(r.numSamples).toBe(500);
    expect(r.numClasses).toBe(10);
    expect(r.topK).toHaveLength(10);
    expectReport(r, f.expected, 1e-12);
  });

  it('gives identical results from a Float32Array (fixture values are float32-representable)', () => {
    const f = loadFixture('ten-class.json');
    const r = evaluateClassification({
      labels: f.labels,
      probabilities: Float32Array.from(f.probabilities),
      numClasses: f.numClasses,
      classNames: f.classNames,
    });
    expectReport(r, f.expected, 1e-12);
  });

  it('3 classes with a never-predicted class (zero_division = 0)', () => {
    const f = loadFixture('three-class-absent.json');
    const r = run(f, f.probabilities, 10);
    expect(r.perClass[2]!.precision).toBe(0);
    expect(r.perClass[2]!.f1).toBe(0);
    expect(r.calibration).toHaveLength(10);
    expectReport(r, f.expected, 1e-12);
  });

  it('4 classes with a class absent from the labels (recall 0, AUC null)', () => {
    const f = loadFixture('four-class-missing-label.json');
    const r = run(f);
    expect(r.perClass[3]).toMatchObject({
      support: 0,
      recall: 0,
      precision: 0,
      auc: null,
      specificity: 1,
    });
    expectReport(r, f.expected, 1e-12);
  });

  it('binary sigmoid given as one column, with saturated 0 / 1 outputs', () => {
    const f = loadFixture('binary-sigmoid.json');
    const r = run(f);
    expect(r.numClasses).toBe(2);
    expect(r.topK.map((t) => t.k)).toEqual([1, 2]);
    expect(Number.isFinite(r.logLoss)).toBe(true);
    expectReport(r, f.expected, 1e-12);
  });
});

describe('evaluateClassification by hand', () => {
  // preds: 0 ✓, 1 ✓, 1 ✗ (true 2, second-ranked), 2 ✓
  const labels = [0, 1, 2, 2];
  const probabilities = Float64Array.from([
    0.7, 0.2, 0.1, 0.3, 0.6, 0.1, 0.2, 0.5, 0.3, 0.1, 0.1, 0.8,
  ]);
  const r = evaluateClassification({
    labels,
    probabilities,
    numClasses: 3,
    classNames: ['a', 'b', 'c'],
    calibrationBins: 10,
  });

  it('accuracy, top-k and confusion matrix', () => {
    expect(r.accuracy).toBe(0.75);
    expect(r.topK).toEqual([
      { k: 1, accuracy: 0.75 },
      { k: 2, accuracy: 1 },
      { k: 3, accuracy: 1 },
    ]);
    expect(r.confusionMatrix).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 1],
    ]);
  });

  it('per-class metrics and averages', () => {
    const want = [
      { label: 'a', precision: 1, recall: 1, f1: 1, specificity: 1, support: 1, auc: 1 },
      { label: 'b', precision: 0.5, recall: 1, f1: 2 / 3, specificity: 2 / 3, support: 1, auc: 1 },
      { label: 'c', precision: 1, recall: 0.5, f1: 2 / 3, specificity: 1, support: 2, auc: 1 },
    ];
    want.forEach((w, c) => {
      const a = r.perClass[c]!;
      expect(a.label).toBe(w.label);
      expect(a.support).toBe(w.support);
      expect(a.sensitivity).toBe(a.recall);
      for (const key of ['precision', 'recall', 'f1', 'specificity', 'auc'] as const)
        expect(a[key]).toBeCloseTo(w[key], 15);
    });
    expect(r.macro.precision).toBeCloseTo(5 / 6, 15);
    expect(r.macro.recall).toBeCloseTo(5 / 6, 15);
    expect(r.macro.f1).toBeCloseTo(7 / 9, 15);
    expect(r.weighted.precision).toBeCloseTo(0.875, 15);
    expect(r.weighted.recall).toBeCloseTo(0.75, 15);
    expect(r.weighted.f1).toBeCloseTo(0.75, 15);
  });

  it('log loss and calibration', () => {
    expect(r.logLoss).toBeCloseTo(
      -(Math.log(0.7) + Math.log(0.6) + Math.log(0.3) + Math.log(0.8)) / 4,
      14,
    );
    expect(r.logLoss).toBeCloseTo(0.5736542308362171, 14); // sklearn.metrics.log_loss
    // Confidences 0.7, 0.6, 0.5, 0.8 fall in bins 6, 5, 4, 7 (right-inclusive); one sample each.
    expect(r.calibration.map((b) => b.count)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 0, 0]);
    expect(r.calibration[4]).toEqual({
      binLower: 0.4,
      binUpper: 0.5,
      confidence: 0.5,
      accuracy: 0,
      count: 1,
    });
    expect(r.calibration[0]).toEqual({
      binLower: 0,
      binUpper: 0.1,
      confidence: null,
      accuracy: null,
      count: 0,
    });
    expect(r.ece).toBeCloseTo((0.3 + 0.4 + 0.5 + 0.2) / 4, 14);
  });

  it('breaks top-k ties like sklearn (higher class index first) but argmax ties toward the first index', () => {
    const tie = evaluateClassification({
      labels: [0, 1],
      probabilities: [0.4, 0.4, 0.2, 0.4, 0.4, 0.2],
      numClasses: 3,
    });
    expect(tie.accuracy).toBe(0.5); // argmax picks class 0 for both rows
    expect(tie.topK[0]!.accuracy).toBe(0.5); // sklearn ranks class 1 first: hit for label 1 only
    expect(tie.confusionMatrix[1]![0]!).toBe(1);
    const tie3 = evaluateClassification({
      labels: [2, 0],
      probabilities: [1 / 3, 1 / 3, 1 / 3, 0.35, 0.35, 0.3],
      numClasses: 3,
    });
    // sklearn: top_k_accuracy_score([2, 0], these rows, k=2) = 1.0. Row 0 all equal: top-2 is {2, 1};
    // row 1: label 0 ties with 1, top-2 = {1, 0}.
    expect(tie3.topK[1]!.accuracy).toBe(1);
  });

  it('binary sigmoid by hand: p = 0.5 is predicted as class 0', () => {
    const b = evaluateClassification({
      labels: [1, 0, 1],
      probabilities: Float32Array.from([0.9, 0.2, 0.5]),
      numClasses: 1,
    });
    expect(b.confusionMatrix).toEqual([
      [1, 0],
      [1, 1],
    ]);
    expect(b.accuracy).toBeCloseTo(2 / 3, 15);
    expect(b.topK).toEqual([
      { k: 1, accuracy: 2 / 3 },
      { k: 2, accuracy: 1 },
    ]);
    expect(b.perClass.map((c) => c.label)).toEqual(['0', '1']);
    expect(b.logLoss).toBeCloseTo(0.34055041584399376, 7); // sklearn log_loss([1,0,1], [0.9,0.2,0.5]); float32 inputs
  });
});

describe('evaluateClassification input errors', () => {
  const ok = { labels: [0, 1], probabilities: [0.9, 0.1, 0.2, 0.8], numClasses: 2 };
  it('rejects a wrong probabilities length', () => {
    expect(() => evaluateClassification({ ...ok, probabilities: new Float64Array(3) })).toThrow(
      'probabilities has 3 values; expected n * numClasses = 4',
    );
    const labels = new Int32Array(10);
    expect(() =>
      evaluateClassification({
        labels,
        probabilities: new Float32Array(99).fill(0.1),
        numClasses: 10,
      }),
    ).toThrow('probabilities has 99 values; expected n * numClasses = 100');
  });
  it('rejects NaN, Infinity and values outside [0, 1], naming the index', () => {
    expect(() => evaluateClassification({ ...ok, probabilities: [0.9, 0.1, NaN, 0.8] })).toThrow(
      /probabilities\[2\] \(sample 1, column 0\) is NaN/,
    );
    expect(() =>
      evaluateClassification({ ...ok, probabilities: [0.9, Infinity, 0.2, 0.8] }),
    ).toThrow(/probabilities\[1\].*Infinity/);
    expect(() => evaluateClassification({ ...ok, probabilities: [0.9, 0.1, 0.2, 3.5] })).toThrow(
      /probabilities\[3\].*in \[0, 1\]/,
    );
  });
  it('rejects labels out of range or not integers, naming the index', () => {
    expect(() => evaluateClassification({ ...ok, labels: [0, 2] })).toThrow(
      'labels[1] = 2 is not a class index in [0, 1]',
    );
    expect(() => evaluateClassification({ ...ok, labels: [-1, 0] })).toThrow('labels[0] = -1');
    expect(() => evaluateClassification({ ...ok, labels: [0.5, 0] })).toThrow('labels[0] = 0.5');
    expect(() =>
      evaluateClassification({ labels: [0, 2], probabilities: [0.1, 0.9], numClasses: 1 }),
    ).toThrow('labels[1] = 2');
  });
  it('rejects bad options and empty input', () => {
    expect(() => evaluateClassification({ ...ok, numClasses: 0, probabilities: [] })).toThrow(
      'numClasses must be an integer >= 1',
    );
    expect(() => evaluateClassification({ labels: [], probabilities: [], numClasses: 3 })).toThrow(
      'labels is empty',
    );
    expect(() => evaluateClassification({ ...ok, classNames: ['x'] })).toThrow(
      'classNames has 1 names; expected 2',
    );
    expect(() => evaluateClassification({ ...ok, calibrationBins: 0 })).toThrow(
      'calibrationBins must be an integer >= 1',
    );
  });
});
