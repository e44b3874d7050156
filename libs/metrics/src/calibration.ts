import { numpyMean } from './numpy-sum';

/** One equal-width confidence bin of a reliability diagram. */
export interface CalibrationBin {
  /** Lower edge; the bin is (binLower, binUpper], except the first which also includes 0. */
  binLower: number;
  /** Upper edge (inclusive). */
  binUpper: number;
  /** Mean top-label confidence of the samples in the bin; null when the bin is empty. */
  confidence: number | null;
  /** Fraction of the bin's samples whose predicted (argmax) class is correct; null when empty. */
  accuracy: number | null;
  /** Number of samples in the bin. */
  count: number;
}

/** Expected calibration error and the per-bin table it is computed from. */
export interface CalibrationResult {
  /** Sum over bins of |accuracy - confidence| * count / n (empty bins contribute 0). */
  ece: number;
  /** All `bins` bins in increasing order, empty ones included. */
  bins: CalibrationBin[];
}

/**
 * Expected calibration error over `bins` equal-width bins on [0, 1].
 * @param confidence top-label confidence of each sample, in [0, 1]
 * @param correct whether each sample's predicted class equals its label
 * @param bins number of bins (integer >= 1)
 */
export function expectedCalibrationError(
  confidence: ArrayLike<number>,
  correct: ArrayLike<boolean>,
  bins: number,
): CalibrationResult {
  if (!Number.isInteger(bins) || bins < 1)
    throw new Error(`calibrationBins must be an integer >= 1, got ${bins}`);
  const n = confidence.length;
  if (correct.length !== n) throw new Error(`correct has ${correct.length} values; expected ${n}`);
  // Edges exactly as numpy.linspace(0, 1, bins + 1): i * step, last edge forced to 1.
  const step = 1 / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? 1 : i * step));
  // Per-bin confidences are kept so the mean can use numpy's summation order (bit-identical to np.mean).
  const members: number[][] = Array.from({ length: bins }, () => []);
  const hits = new Array<number>(bins).fill(0);
  for (let s = 0; s < n; s++) {
    const c = confidence[s]!;
    if (!(c >= 0 && c <= 1)) throw new Error(`confidence[${s}] = ${c} is outside [0, 1]`);
    // Guess from the arithmetic, then fix up against the actual edges so the (lo, hi] rule is exact.
    let b = Math.min(bins - 1, Math.max(0, Math.ceil(c * bins) - 1));
    while (b > 0 && c <= edges[b]!) b--;
    while (b < bins - 1 && c > edges[b + 1]!) b++;
    members[b]!.push(c);
    if (correct[s]) hits[b]!++;
  }
  let ece = 0;
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const count = members[b]!.length;
    if (count === 0) {
      out.push({
        binLower: edges[b]!,
        binUpper: edges[b + 1]!,
        confidence: null,
        accuracy: null,
        count: 0,
      });
      continue;
    }
    const acc = hits[b]! / count;
    const conf = numpyMean(members[b]!);
    ece += (Math.abs(acc - conf) * count) / n;
    out.push({
      binLower: edges[b]!,
      binUpper: edges[b + 1]!,
      confidence: conf,
      accuracy: acc,
      count,
    });
  }
  return { ece, bins: out };
}
