// Server-side downsampling of long metric series (pure, deterministic): one definition, min-max
// bucketing, with two evaluations of it. downsampleMinMax() runs it on points in memory;
// minMaxSeriesSql() writes the same bucketing as one SQL statement (window functions, valid on
// SQLite and PostgreSQL), built from the same bucket count and bucket bounds. The metric
// integration tests hold both, on both databases, to each other point for point.
//
// The API's chart reads no longer use this equal-count bucketing (its buckets move as a series
// grows, so it cannot be precomputed): they read precomputed levels (metric-levels.ts,
// downsampleLevels), which keep the same properties with fixed step buckets. This file keeps
// the shared helpers (checkMaxPoints, minMaxBucketCount) and the equal-count reference.

/** A point with an x (step) and a y (value). */
export interface SeriesPoint {
  step: number;
  value: number;
}

/** @throws RangeError unless `maxPoints` is an integer >= 2 */
export function checkMaxPoints(maxPoints: number): void {
  if (!Number.isInteger(maxPoints) || maxPoints < 2)
    throw new RangeError('maxPoints must be an integer >= 2');
}

/**
 * The number of buckets the interior of a series longer than `maxPoints` is cut into: each
 * bucket keeps at most two points (its min and max), plus the first and last point.
 */
export function minMaxBucketCount(maxPoints: number): number {
  checkMaxPoints(maxPoints);
  return Math.floor((maxPoints - 2) / 2);
}

/**
 * The first interior index of bucket `b` (of `buckets`) over the interior indexes
 * [1, 1 + interior): bucket b holds [bucketStart(b), bucketStart(b + 1)), so every interior
 * index is in exactly one bucket and the buckets hold equal counts (within one).
 */
export function bucketStart(b: number, interior: number, buckets: number): number {
  return 1 + Math.floor((b * interior) / buckets);
}

/**
 * Min-max bucketing: keeps the first and last point and, for each of
 * {@link minMaxBucketCount} equal-count buckets of the interior, the bucket's minimum and
 * maximum (in step order; ties go to the earliest step). The global extremes therefore always
 * survive, the output is a subsequence of the input (never interpolated), has at most
 * `maxPoints` points and is the same for the same input — no randomness, so a polling chart
 * does not flicker.
 *
 * @param points sorted by step
 * @param maxPoints at least 2; series not longer than this are returned unchanged
 */
export function downsampleMinMax<T extends SeriesPoint>(
  points: readonly T[],
  maxPoints: number,
): T[] {
  const buckets = minMaxBucketCount(maxPoints);
  const n = points.length;
  const first = points[0];
  const last = points[n - 1];
  if (n <= maxPoints || !first || !last) return points.slice();
  const out: T[] = [first];
  const interior = n - 2;
  for (let b = 0; b < buckets; b++) {
    const start = bucketStart(b, interior, buckets);
    const end = bucketStart(b + 1, interior, buckets);
    if (start >= end) continue;
    // Indexes in [start, end) exist: 1 <= start < end <= n - 1.
    let minI = start;
    let maxI = start;
    for (let i = start + 1; i < end; i++) {
      const v = points[i]!.value;
      if (v < points[minI]!.value) minI = i;
      if (v > points[maxI]!.value) maxI = i;
    }
    if (minI === maxI) out.push(points[minI]!);
    else if (minI < maxI) out.push(points[minI]!, points[maxI]!);
    else out.push(points[maxI]!, points[minI]!);
  }
  out.push(last);
  return out;
}

/** What {@link minMaxSeriesSql} reads and how many points it keeps per series. */
export interface MinMaxSqlOptions {
  /** Most points per series (an integer >= 2). */
  maxPoints: number;
  /** The WHERE condition on "MetricPoint" choosing the series (with the caller's placeholders). */
  where: string;
}

/**
 * One statement returning every chosen ("runId", "name") series of "MetricPoint", each
 * downsampled exactly as {@link downsampleMinMax} does, in ("runId", "name", "step") order, with
 * each series' full length as `n`. Interior index i (1..n-2) lies in the bucket b with
 * bucketStart(b) <= i < bucketStart(b + 1), that is b = floor((i * B - 1) / (n - 2)) for B
 * buckets (the inverse of {@link bucketStart}; integer division of non-negative integers).
 * Pass-through rows (a short series, its first and its last point) get a bucket of their own.
 */
export function minMaxSeriesSql({ maxPoints, where }: MinMaxSqlOptions): string {
  const buckets = minMaxBucketCount(maxPoints);
  // With no buckets only the ends are kept: interior rows get no bucket and are dropped.
  const interiorBucket = buckets > 0 ? `(i * ${buckets} - 1) / (n - 2)` : 'NULL';
  // Ties go to the earliest step, as the strict comparisons of downsampleMinMax do.
  return `WITH s AS (
       SELECT "runId", "name", "step", "value", "time",
              ROW_NUMBER() OVER (PARTITION BY "runId", "name" ORDER BY "step") - 1 AS i,
              COUNT(*) OVER (PARTITION BY "runId", "name") AS n
       FROM "MetricPoint"
       WHERE ${where}
     ), b AS (
       SELECT s.*, CASE WHEN n <= ${maxPoints} OR i = 0 OR i = n - 1 THEN -1 - i
                        ELSE ${interiorBucket} END AS bucket
       FROM s
     ), r AS (
       SELECT b.*,
              ROW_NUMBER() OVER (PARTITION BY "runId", "name", bucket ORDER BY "value" ASC, i ASC) AS rmin,
              ROW_NUMBER() OVER (PARTITION BY "runId", "name", bucket ORDER BY "value" DESC, i ASC) AS rmax
       FROM b
     )
     SELECT "runId", "name", "step", "value", "time", n FROM r
     WHERE bucket IS NOT NULL AND (rmin = 1 OR rmax = 1)
     ORDER BY "runId", "name", "step"`;
}
