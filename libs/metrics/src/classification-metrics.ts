import { expectedCalibrationError, type CalibrationBin } from './calibration';
import { numpyMean, pairwiseSum } from './numpy-sum';
import { rocAuc } from './roc';

/** Options of {@link evaluateClassification}. */
export interface EvaluateClassificationOptions {
  /** True class index of each sample, integers in [0, numClasses) (or {0, 1} when numClasses = 1). Length n >= 1. */
  labels: Int32Array | readonly number[];
  /**
   * Predicted class probabilities, row-major `[n, numClasses]`, every value finite and in [0, 1].
   * Rows need not sum to 1 exactly (log loss renormalises them, like scikit-learn).
   * With `numClasses = 1` this is one column per sample: P(class 1) from a sigmoid; it is expanded
   * to the two columns `[1 - p, p]`.
   */
  probabilities: Float32Array | Float64Array | readonly number[];
  /** Number of columns of `probabilities`; 1 means a binary sigmoid model (two classes). */
  numClasses: number;
  /** Optional display name per class (length = number of classes, 2 for a sigmoid model). */
  classNames?: readonly string[];
  /** Number of equal-width confidence bins for ECE / the reliability table. Default 15. */
  calibrationBins?: number;
}

/** Top-k accuracy for one k. */
export interface TopKAccuracy {
  /** How many of the highest-scoring classes may hold the true class (1..min(10, C)). */
  k: number;
  /** Fraction of samples whose true class is among the k highest-scoring classes. */
  accuracy: number;
}

/** One-vs-rest metrics of one class. Undefined ratios are 0 (scikit-learn's zero_division=0). */
export interface PerClassMetrics {
  /** Class name, or the class index as a string when no names were given. */
  label: string;
  /** TP / (TP + FP); 0 when the class is never predicted. */
  precision: number;
  /** TP / (TP + FN); 0 when the class has no samples. */
  recall: number;
  /** Harmonic mean of precision and recall; 0 when both are 0. */
  f1: number;
  /** Same value as `recall`. */
  sensitivity: number;
  /** TN / (TN + FP); 0 when every sample belongs to the class. */
  specificity: number;
  /** Number of samples whose true class is this one. */
  support: number;
  /** One-vs-rest ROC AUC of this class's probability column; null when the class is absent or is every sample. */
  auc: number | null;
}

/** Precision, recall and F1 averaged over classes. */
export interface AveragedMetrics {
  /** Averaged precision, in [0, 1]. */
  precision: number;
  /** Averaged recall, in [0, 1]. */
  recall: number;
  /** Averaged F1 (the mean of the per-class F1 scores, not the F1 of the means), in [0, 1]. */
  f1: number;
}

/** Result of {@link evaluateClassification}. */
export interface ClassificationReport {
  /** Number of samples n. */
  numSamples: number;
  /** Number of classes (2 for a sigmoid model given as one column). */
  numClasses: number;
  /** Fraction of samples whose argmax prediction equals the label. */
  accuracy: number;
  /** Top-k accuracy for k = 1..min(10, numClasses) (scikit-learn `top_k_accuracy_score`). */
  topK: TopKAccuracy[];
  /** `[numClasses][numClasses]` counts; rows = true class, columns = predicted (argmax) class. */
  confusionMatrix: number[][];
  /** Per-class metrics in class-index order. */
  perClass: PerClassMetrics[];
  /** Unweighted mean over all classes (absent classes included). */
  macro: AveragedMetrics;
  /** Mean over classes weighted by support. */
  weighted: AveragedMetrics;
  /** Mean cross-entropy, scikit-learn `log_loss` (clipped to [eps, 1 - eps], rows renormalised). */
  logLoss: number;
  /** Expected calibration error of the top-label confidence. */
  ece: number;
  /** Reliability table: `calibrationBins` bins, empty ones with null confidence/accuracy. */
  calibration: CalibrationBin[];
}

/**
 * Classification metrics from labels and predicted probabilities, matching scikit-learn 1.2.1
 * (computed in float64 regardless of the input array type):
 * - prediction = argmax of the row, first index on ties (numpy `argmax`);
 * - precision/recall/F1 as `precision_recall_fscore_support(labels=range(C), zero_division=0)`;
 * - AUC as `roc_auc_score(y == c, p[:, c])`;
 * - top-k as `top_k_accuracy_score(labels=range(C))`. Tie rule (sklearn's reversed stable argsort):
 *   among equal scores the higher class index ranks first, so with ties top-1 can differ from
 *   `accuracy`. For two classes sklearn scores on `p[:, 1]` alone: top-1 hit iff `(p1 > 0.5) == y`;
 * - log loss with eps = float64 machine epsilon (`Number.EPSILON`), i.e. what sklearn 1.2.1's
 *   `eps="auto"` gives for float64 input. (For a float32 array sklearn 1.2.1 would use the float32
 *   epsilon; we always work in float64.) For one sigmoid column, clipping happens before the
 *   expansion to `[1 - p, p]`, as in sklearn.
 * @throws Error naming the offending value on a wrong array length, non-finite or out-of-[0, 1]
 *   probability, a label outside the class range, or bad option values
 */
export function evaluateClassification(
  options: EvaluateClassificationOptions,
): ClassificationReport {
  const { labels, probabilities, numClasses, classNames, calibrationBins = 15 } = options;
  const n = labels.length;
  checkInputs(options);
  const sigmoid = numClasses === 1;
  const C = sigmoid ? 2 : numClasses;

  // Full float64 [n, C] matrix; a sigmoid column becomes [1 - p, p].
  const p = new Float64Array(n * C);
  if (sigmoid) {
    for (let i = 0; i < n; i++) {
      p[2 * i] = 1 - probabilities[i]!;
      p[2 * i + 1] = probabilities[i]!;
    }
  } else {
    for (let i = 0; i < p.length; i++) p[i] = probabilities[i]!;
  }

  const predicted = new Int32Array(n);
  const confidence = new Float64Array(n);
  const correct = new Array<boolean>(n);
  const confusion = Array.from({ length: C }, () => new Array<number>(C).fill(0));
  let hits = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (p[i * C + c]! > p[i * C + best]!) best = c; // strict > keeps the first on ties
    predicted[i] = best;
    confidence[i] = p[i * C + best]!;
    correct[i] = best === labels[i];
    if (correct[i]) hits++;
    confusion[labels[i]!]![best]!++;
  }

  const { perClass, precision, recall, f1, support } = perClassMetrics({
    labels,
    p,
    confusion,
    classNames,
  });

  return {
    numSamples: n,
    numClasses: C,
    accuracy: hits / n,
    topK: topKAccuracies(labels, p, n, C),
    confusionMatrix: confusion,
    perClass,
    macro: { precision: numpyMean(precision), recall: numpyMean(recall), f1: numpyMean(f1) },
    weighted: {
      precision: weightedMean(precision, support),
      recall: weightedMean(recall, support),
      f1: weightedMean(f1, support),
    },
    logLoss: logLoss(labels, sigmoid ? probabilities : p, n, C, sigmoid),
    ...calibrationFields(confidence, correct, calibrationBins),
  };
}

/** Throws naming the offending value (see {@link evaluateClassification}). */
function checkInputs(options: EvaluateClassificationOptions): void {
  const { labels, probabilities, numClasses, classNames, calibrationBins = 15 } = options;
  const n = labels.length;
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new Error(`numClasses must be an integer >= 1, got ${numClasses}`);
  }
  if (n === 0) throw new Error('labels is empty; need at least one sample');
  if (probabilities.length !== n * numClasses) {
    throw new Error(
      `probabilities has ${probabilities.length} values; expected n * numClasses = ${n * numClasses} (n = ${n} labels, numClasses = ${numClasses})`,
    );
  }
  const C = numClasses === 1 ? 2 : numClasses;
  if (classNames !== undefined && classNames.length !== C) {
    throw new Error(`classNames has ${classNames.length} names; expected ${C}`);
  }
  if (!Number.isInteger(calibrationBins) || calibrationBins < 1) {
    throw new Error(`calibrationBins must be an integer >= 1, got ${calibrationBins}`);
  }
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= C) {
      throw new Error(`labels[${i}] = ${y} is not a class index in [0, ${C - 1}]`);
    }
  }
  for (let i = 0; i < probabilities.length; i++) {
    const v = probabilities[i]!;
    if (!Number.isFinite(v) || v < 0 || v > 1) {
      const where = `probabilities[${i}] (sample ${Math.floor(i / numClasses)}, column ${i % numClasses})`;
      throw new Error(`${where} is ${v}; probabilities must be finite and in [0, 1]`);
    }
  }
}

/** Precision, recall, F1, specificity, support and one-vs-rest AUC of each class. */
function perClassMetrics(args: {
  labels: EvaluateClassificationOptions['labels'];
  /** The float64 `[n, C]` probabilities. */
  p: Float64Array;
  confusion: number[][];
  classNames: readonly string[] | undefined;
}) {
  const { labels, p, confusion, classNames } = args;
  const n = labels.length;
  const C = confusion.length;
  const perClass: PerClassMetrics[] = [];
  const precision = new Float64Array(C);
  const recall = new Float64Array(C);
  const f1 = new Float64Array(C);
  const support = new Float64Array(C);
  const column = new Float64Array(n);
  for (let c = 0; c < C; c++) {
    const tp = confusion[c]![c]!;
    let trueSum = 0;
    let predSum = 0;
    for (let k = 0; k < C; k++) {
      trueSum += confusion[c]![k]!;
      predSum += confusion[k]![c]!;
    }
    const fp = predSum - tp;
    const tn = n - trueSum - fp;
    precision[c] = predSum > 0 ? tp / predSum : 0;
    recall[c] = trueSum > 0 ? tp / trueSum : 0;
    // sklearn 1.2.1: (1 + beta^2) * P * R / (beta^2 * P + R), denominator 0 -> F = 0.
    const denom = precision[c]! + recall[c]!;
    f1[c] = denom === 0 ? 0 : (2 * precision[c]! * recall[c]!) / denom;
    support[c] = trueSum;
    for (let i = 0; i < n; i++) column[i] = p[i * C + c]!;
    perClass.push({
      label: classNames?.[c] ?? String(c),
      precision: precision[c]!,
      recall: recall[c]!,
      f1: f1[c]!,
      sensitivity: recall[c]!,
      specificity: tn + fp > 0 ? tn / (tn + fp) : 0,
      support: trueSum,
      auc: rocAuc({ labels, scores: column, positive: c }),
    });
  }

  return { perClass, precision, recall, f1, support };
}

function calibrationFields(confidence: Float64Array, correct: boolean[], bins: number) {
  const { ece, bins: calibration } = expectedCalibrationError(confidence, correct, bins);
  return { ece, calibration };
}

/** numpy `average(x, weights=w)` = sum(x * w) / sum(w); n >= 1 guarantees sum(w) > 0 here. */
function weightedMean(x: Float64Array, w: Float64Array): number {
  const xw = x.map((v, i) => v * w[i]!);
  return pairwiseSum(xw) / pairwiseSum(w);
}

function topKAccuracies(
  labels: ArrayLike<number>,
  p: Float64Array,
  n: number,
  C: number,
): TopKAccuracy[] {
  const out: TopKAccuracy[] = [];
  const maxK = Math.min(10, C);
  if (C === 2) {
    // sklearn's binary branch scores p[:, 1] only: k = 1 thresholds at 0.5 (strict), k >= 2 always hits.
    let hits = 0;
    for (let i = 0; i < n; i++) if ((p[2 * i + 1]! > 0.5 ? 1 : 0) === labels[i]) hits++;
    out.push({ k: 1, accuracy: hits / n });
    out.push({ k: 2, accuracy: 1 });
    return out;
  }
  // Rank of the true class under sklearn's order (score descending, higher index first on ties).
  const rank = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const t = labels[i]!;
    const st = p[i * C + t]!;
    let r = 0;
    for (let c = 0; c < C; c++) {
      const s = p[i * C + c]!;
      if (s > st || (s === st && c > t)) r++;
    }
    rank[i] = r;
  }
  for (let k = 1; k <= maxK; k++) {
    let hits = 0;
    for (let i = 0; i < n; i++) if (rank[i]! < k) hits++;
    out.push({ k, accuracy: hits / n });
  }
  return out;
}

/**
 * sklearn 1.2.1 `log_loss(y, p, labels=range(C))`: clip to [eps, 1 - eps], expand a single
 * column to [1 - p, p] (after clipping), renormalise rows, mean of -log p[true].
 */
function logLoss(
  labels: ArrayLike<number>,
  p: ArrayLike<number>,
  n: number,
  C: number,
  sigmoid: boolean,
): number {
  const eps = Number.EPSILON;
  const clip = (v: number) => Math.min(Math.max(v, eps), 1 - eps);
  const losses = new Float64Array(n);
  const row = new Float64Array(C);
  for (let i = 0; i < n; i++) {
    if (sigmoid) {
      const q = clip(p[i]!);
      row[0] = 1 - q;
      row[1] = q;
    } else {
      for (let c = 0; c < C; c++) row[c] = clip(p[i * C + c]!);
    }
    losses[i] = -Math.log(row[labels[i]!]! / pairwiseSum(row));
  }
  return pairwiseSum(losses) / n;
}
