import { pairwiseSum } from './numpy-sum';

/** Input of {@link rocCurve}. */
export interface RocCurveInput {
  /** True label of each sample (any integer class index; length n). */
  labels: Int32Array | readonly number[];
  /** Score of each sample for the positive class, higher = more positive (length n, finite). */
  scores: Float32Array | Float64Array | readonly number[];
  /** The label value treated as positive; every other label is negative. */
  positive: number;
}

/** A receiver operating characteristic curve, as returned by scikit-learn's `roc_curve`. */
export interface RocCurve {
  /** False-positive rate at each threshold, increasing from 0 to 1 (all NaN if there are no negatives). */
  fpr: number[];
  /** True-positive rate at each threshold, increasing from 0 to 1 (all NaN if there are no positives). */
  tpr: number[];
  /**
   * Decreasing score thresholds; point i counts samples with `score >= thresholds[i]` as positive.
   * `thresholds[0]` is `max(score) + 1` (scikit-learn 1.2 convention; sklearn >= 1.3 uses +Infinity)
   * and gives the (0, 0) point.
   */
  thresholds: number[];
}

/**
 * ROC curve exactly as `sklearn.metrics.roc_curve(labels, scores, pos_label=positive,
 * drop_intermediate=True)` in scikit-learn 1.2.1: tied scores form one point, collinear
 * intermediate points are dropped, and a leading (0, 0) point with threshold `max + 1` is added.
 * @throws Error on length mismatch, empty input or a non-finite score
 */
export function rocCurve({ labels, scores, positive }: RocCurveInput): RocCurve {
  const n = labels.length;
  if (scores.length !== n)
    throw new Error(`scores has ${scores.length} values; expected one per label (${n})`);
  if (n === 0) throw new Error('rocCurve needs at least one sample');
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scores[i]))
      throw new Error(`scores[${i}] is ${scores[i]}; scores must be finite`);
  }
  // Descending score order; the order inside a tie is irrelevant because ties collapse to one point.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let fps: number[] = [];
  let tps: number[] = [];
  let thresholds: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let r = 0; r < n; r++) {
    const i = order[r]!;
    if (labels[i] === positive) tp++;
    else fp++;
    // Emit a point at the last sample of each run of equal scores (sklearn's distinct_value_indices).
    if (r === n - 1 || scores[order[r + 1]!] !== scores[i]) {
      fps.push(fp);
      tps.push(tp);
      thresholds.push(scores[i]!);
    }
  }
  if (fps.length > 2) {
    // Keep the ends and every corner (non-zero second difference in fps or tps); counts are
    // integers so this test is exact.
    const keep = (j: number) =>
      j === 0 ||
      j === fps.length - 1 ||
      fps[j + 1]! - 2 * fps[j]! + fps[j - 1]! !== 0 ||
      tps[j + 1]! - 2 * tps[j]! + tps[j - 1]! !== 0;
    const idx = fps.map((_, j) => j).filter(keep);
    fps = idx.map((j) => fps[j]!);
    tps = idx.map((j) => tps[j]!);
    thresholds = idx.map((j) => thresholds[j]!);
  }
  fps.unshift(0);
  tps.unshift(0);
  thresholds.unshift(thresholds[0]! + 1);
  const fpTotal = fps[fps.length - 1]!;
  const tpTotal = tps[tps.length - 1]!;
  // sklearn returns NaN rates (with a warning) when a class is missing; we do the same.
  return {
    fpr: fps.map((v) => (fpTotal > 0 ? v / fpTotal : NaN)),
    tpr: tps.map((v) => (tpTotal > 0 ? v / tpTotal : NaN)),
    thresholds,
  };
}

/**
 * Area under a curve by the trapezoidal rule, as `sklearn.metrics.auc(x, y)`: `x` must be
 * monotonic (increasing, or non-increasing in which case the sign is flipped).
 * @param x abscissae, at least 2, monotonic
 * @param y ordinates, same length as `x`
 * @throws Error when lengths differ, fewer than 2 points, or `x` is not monotonic
 */
export function aucTrapezoid(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new Error(`x has ${x.length} values but y has ${y.length}`);
  if (x.length < 2)
    throw new Error(`at least 2 points are needed to compute an area under curve, got ${x.length}`);
  let anyDecrease = false;
  let allNonIncreasing = true;
  for (let i = 1; i < x.length; i++) {
    const dx = x[i]! - x[i - 1]!;
    if (dx < 0) anyDecrease = true;
    if (dx > 0) allNonIncreasing = false;
  }
  if (anyDecrease && !allNonIncreasing) throw new Error('x is neither increasing nor decreasing');
  // numpy.trapz: add.reduce(d * (y[1:] + y[:-1]) / 2.0), same operation order.
  const parts = new Float64Array(x.length - 1);
  for (let i = 0; i < parts.length; i++) parts[i] = ((x[i + 1]! - x[i]!) * (y[i + 1]! + y[i]!)) / 2;
  const area = pairwiseSum(parts);
  return anyDecrease ? -area : area;
}

/**
 * ROC AUC of a binary problem, as `sklearn.metrics.roc_auc_score(labels == positive, scores)`,
 * or null when it is undefined (no positive or no negative samples; sklearn raises there).
 */
export function rocAuc(input: RocCurveInput): number | null {
  let pos = 0;
  for (let i = 0; i < input.labels.length; i++) if (input.labels[i] === input.positive) pos++;
  if (pos === 0 || pos === input.labels.length) return null;
  const { fpr, tpr } = rocCurve(input);
  return aucTrapezoid(fpr, tpr);
}

/** Input of {@link oneVsRestRocCurves}. */
export interface OneVsRestRocInput {
  /** True class index of each sample, in [0, C) (C = numClasses, or 2 when numClasses = 1). */
  labels: Int32Array | readonly number[];
  /**
   * Class probabilities, row-major `[n, numClasses]`; with `numClasses = 1` one column P(class 1)
   * per sample, read as the two columns `[1 - p, p]` (as evaluateClassification does).
   */
  probabilities: Float32Array | Float64Array | readonly number[];
  /** Number of columns of `probabilities` (1 for a binary sigmoid model). */
  numClasses: number;
}

/**
 * The one-vs-rest ROC curve of every class, in class-index order ({@link rocCurve} of the class's
 * probability column against "label is this class"), or null for a class whose curve is
 * undefined: no sample of it, or every sample of it (where {@link rocAuc} is null). This is the
 * `roc` list an evaluation stores beside its report.
 * @throws Error on a probabilities length that is not n x numClasses, or a non-finite score
 */
export function oneVsRestRocCurves({
  labels,
  probabilities,
  numClasses,
}: OneVsRestRocInput): (RocCurve | null)[] {
  const n = labels.length;
  if (!Number.isInteger(numClasses) || numClasses < 1)
    throw new Error(`numClasses must be an integer >= 1, got ${numClasses}`);
  if (probabilities.length !== n * numClasses)
    throw new Error(
      `probabilities has ${probabilities.length} values; expected n * numClasses = ${n * numClasses}`,
    );
  const sigmoid = numClasses === 1;
  const C = sigmoid ? 2 : numClasses;
  const support = new Array<number>(C).fill(0);
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    if (y >= 0 && y < C) support[y]!++;
  }
  return support.map((count, c) => {
    if (count === 0 || count === n) return null;
    const scores = new Float64Array(n);
    // probabilities holds n x numClasses values (checked above): every read is in bounds.
    if (!sigmoid) for (let i = 0; i < n; i++) scores[i] = probabilities[i * C + c]!;
    else if (c === 1) for (let i = 0; i < n; i++) scores[i] = probabilities[i]!;
    else for (let i = 0; i < n; i++) scores[i] = 1 - probabilities[i]!;
    return rocCurve({ labels, scores, positive: c });
  });
}
