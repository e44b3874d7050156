// Server-side downsampling of long metric series (pure, deterministic).

/** A point with an x (step) and a y (value). */
export interface SeriesPoint {
  step: number;
  value: number;
}

/**
 * Min-max bucketing: keeps the first and last point and, for each of
 * floor((maxPoints - 2) / 2) equal-count buckets of the interior, the bucket's minimum and
 * maximum (in step order). The global extremes therefore always survive, the output is a
 * subsequence of the input (never interpolated), has at most `maxPoints` points and is the same
 * for the same input — no randomness, so a polling chart does not flicker.
 *
 * @param points sorted by step
 * @param maxPoints at least 2; series not longer than this are returned unchanged
 */
export function downsampleMinMax<T extends SeriesPoint>(
  points: readonly T[],
  maxPoints: number,
): T[] {
  if (!Number.isInteger(maxPoints) || maxPoints < 2)
    throw new RangeError('maxPoints must be an integer >= 2');
  const n = points.length;
  if (n <= maxPoints) return points.slice();
  const out: T[] = [points[0]];
  const interior = n - 2;
  const buckets = Math.floor((maxPoints - 2) / 2);
  for (let b = 0; b < buckets; b++) {
    // Integer bucket bounds over the interior [1, n-2]; every interior index is in exactly one bucket.
    const start = 1 + Math.floor((b * interior) / buckets);
    const end = 1 + Math.floor(((b + 1) * interior) / buckets);
    if (start >= end) continue;
    let minI = start;
    let maxI = start;
    for (let i = start + 1; i < end; i++) {
      if (points[i].value < points[minI].value) minI = i;
      if (points[i].value > points[maxI].value) maxI = i;
    }
    if (minI === maxI) out.push(points[minI]);
    else if (minI < maxI) out.push(points[minI], points[maxI]);
    else out.push(points[maxI], points[minI]);
  }
  out.push(points[n - 1]);
  return out;
}
