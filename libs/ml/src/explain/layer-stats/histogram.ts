/**
 * Histograms and percentile bands of plain number arrays, with numpy's definitions (float64
 * arithmetic, as numpy computes on float64 input), so a stored histogram can be checked against
 * `np.histogram` and `np.percentile` on the same values.
 */

/** Default bin count of a layer's histograms. */
export const DEFAULT_BINS = 30;

/**
 * The percentiles of a "distributions" band (TensorBoard's): min, the ±1.5, ±1 and ±0.5 sigma
 * points of a normal distribution, the median and max.
 */
export const BAND_PERCENTILES = [0, 7, 16, 31, 50, 69, 84, 93, 100] as const;

/** Counts of equal-width bins and their `bins + 1` edges (ascending). */
export interface Histogram {
  counts: number[];
  edges: number[];
}

/**
 * `np.histogram(values, bins)`: `bins` equal-width bins over [min, max] (every bin half-open
 * except the last, which is closed); an empty array spans [0, 1] and a constant one
 * [v - 0.5, v + 0.5]. Edges are `np.linspace(first, last, bins + 1)`.
 * @throws RangeError when `bins` is not a positive integer or a value is not finite
 */
export function histogram(values: ArrayLike<number>, bins = DEFAULT_BINS): Histogram {
  if (!Number.isInteger(bins) || bins < 1)
    throw new RangeError(`bins must be a positive integer, got ${bins}`);
  let [first, last] = extent(values);
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const edges = linspace(first, last, bins + 1);
  const counts = new Array<number>(bins).fill(0);
  const norm = bins / (last - first);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    // numpy's fast path: a truncated index, then a one-step correction within ~1 ULP of an edge.
    let b = Math.trunc((v - first) * norm);
    if (b === bins) b -= 1;
    if (v < edges[b]!) b -= 1;
    if (b !== bins - 1 && v >= edges[b + 1]!) b += 1;
    counts[b]! += 1;
  }
  return { counts, edges };
}

/** `[min, max]` of the values (`[0, 1]` when there are none). */
function extent(values: ArrayLike<number>): [number, number] {
  if (values.length === 0) return [0, 1];
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v))
      throw new RangeError(`value ${i} is ${v}; histograms need finite values`);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}

/** `np.linspace(start, stop, num)` (num >= 2): `i * step + start`, the last exactly `stop`. */
function linspace(start: number, stop: number, num: number): number[] {
  const div = num - 1;
  const delta = stop - start;
  const step = delta / div;
  const out = new Array<number>(num);
  for (let i = 0; i < num; i++) out[i] = step === 0 ? (i / div) * delta + start : i * step + start;
  out[div] = stop;
  return out;
}

/**
 * `np.percentile(values, ps)` with the default `'linear'` method (numpy >= 1.22's formulas:
 * virtual index `n q + (1 - q) - 1`, then `a + (b - a) t`, or `b - (b - a)(1 - t)` for t >= 0.5).
 * @param sorted the values sorted ascending (not checked)
 * @param ps percentiles in [0, 100]
 * @throws RangeError on an empty array or a percentile outside [0, 100]
 */
export function percentilesOfSorted(sorted: ArrayLike<number>, ps: readonly number[]): number[] {
  return interpolate(sorted.length, ps, (ranks) => ranks.map((k) => sorted[k]!));
}

/**
 * {@link percentilesOfSorted} of unsorted values, without sorting them: the few order statistics
 * it needs are found by bucketing the values (two passes), so a large tensor costs O(n).
 * @throws RangeError on an empty array, a non-finite value or a percentile outside [0, 100]
 */
export function percentiles(values: ArrayLike<number>, ps: readonly number[]): number[] {
  return interpolate(values.length, ps, (ranks) => orderStatistics(values, ranks));
}

function interpolate(
  n: number,
  ps: readonly number[],
  at: (ranks: number[]) => number[],
): number[] {
  if (n === 0) throw new RangeError('percentiles of an empty array');
  const picks = ps.map((p) => {
    if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside [0, 100]`);
    const q = p / 100;
    const virtual = n * q + (1 - q) - 1;
    const lo = Math.min(Math.max(Math.floor(virtual), 0), n - 1);
    return { lo, hi: Math.min(lo + 1, n - 1), t: virtual - Math.floor(virtual) };
  });
  const values = at(picks.flatMap((p) => [p.lo, p.hi]));
  return picks.map(({ t }, i) => {
    const a = values[2 * i]!;
    const b = values[2 * i + 1]!;
    const d = b - a;
    return t >= 0.5 ? b - d * (1 - t) : a + d * t;
  });
}

/** Buckets of the order-statistics search. */
const SELECT_BUCKETS = 4096;

/**
 * The values of the given ranks (0-based positions in ascending order). The bucket of a value,
 * `floor((v - min) * scale)`, never decreases as v grows (each float step rounds monotonically),
 * so the rank-k value lies in the bucket where the cumulative count passes k; only those
 * buckets' values are sorted.
 */
function orderStatistics(values: ArrayLike<number>, ranks: number[]): number[] {
  const [min, max] = extent(values);
  if (min === max) return ranks.map(() => min);
  const scale = SELECT_BUCKETS / (max - min);
  const bucketOf = (v: number) => Math.min(SELECT_BUCKETS - 1, Math.floor((v - min) * scale));
  const counts = new Float64Array(SELECT_BUCKETS);
  for (let i = 0; i < values.length; i++) counts[bucketOf(values[i]!)]! += 1;
  const starts = new Float64Array(SELECT_BUCKETS);
  for (let b = 1; b < SELECT_BUCKETS; b++) starts[b] = starts[b - 1]! + counts[b - 1]!;
  const bucketOfRank = (k: number) => {
    let b = 0;
    while (b < SELECT_BUCKETS - 1 && starts[b + 1]! <= k) b++;
    return b;
  };
  // Slot of each bucket whose values are needed (-1: not needed).
  const slot = new Int32Array(SELECT_BUCKETS).fill(-1);
  const lists: number[][] = [];
  for (const k of ranks) {
    const b = bucketOfRank(k);
    if (slot[b] === -1) slot[b] = lists.push([]) - 1;
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const s = slot[bucketOf(v)]!;
    if (s >= 0) lists[s]!.push(v);
  }
  for (const list of lists) list.sort((a, b) => a - b);
  return ranks.map((k) => {
    const b = bucketOfRank(k);
    return lists[slot[b]!]![k - starts[b]!]!;
  });
}

/** Summary of one tensor's values: histogram, distribution band and norms. */
export interface ValueSummary extends Histogram {
  /** Number of values. */
  count: number;
  min: number;
  max: number;
  mean: number;
  /** L2 norm (square root of the sum of squares). */
  l2: number;
  /** {@link BAND_PERCENTILES} of the values, exact (`np.percentile`'s linear method). */
  band: number[];
}

/** Options of {@link summarizeValues}. */
export interface SummarizeOptions {
  /** Bin count (default {@link DEFAULT_BINS}). */
  bins?: number;
}

/**
 * Histogram, percentile band, mean and L2 norm of a tensor's values (empty arrays excluded).
 * @throws RangeError on an empty array or a non-finite value
 */
export function summarizeValues(
  values: Float32Array | Float64Array,
  options: SummarizeOptions = {},
): ValueSummary {
  if (values.length === 0) throw new RangeError('cannot summarize an empty tensor');
  const { counts, edges } = histogram(values, options.bins ?? DEFAULT_BINS);
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    sum += v;
    squares += v * v;
  }
  const [min, max] = extent(values);
  const band = percentiles(values, BAND_PERCENTILES);
  return {
    count: values.length,
    min,
    max,
    mean: sum / values.length,
    l2: Math.sqrt(squares),
    counts,
    edges,
    band,
  };
}
