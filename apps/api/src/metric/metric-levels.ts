// Precomputed downsampling levels of metric series (pure; the MetricLevel table holds them).
// At level k (1..LEVELS) step s lies in bucket floor(s / 4^k); each bucket keeps its point count
// and its first, last, min and max points. Merging two aggregates of the same bucket is
// associative and commutative, so a batch updates its buckets alone (no re-read of the series),
// in any order, and the stored levels always equal the levels computed from scratch. A level
// whose one bucket still spans the whole series is not stored (levelStored): it equals level 16,
// which the reader takes in its place; it is stored from the batch that reaches its 2nd bucket.
//
// The chart contract (downsampleLevels) reads one level: a series longer than maxPoints keeps its
// first and last point and the min and max of every bucket of the finest level with at most
// floor((maxPoints - 2) / 2) non-empty buckets. Like downsampleMinMax it is deterministic, a
// subsequence of the series (never interpolated), at most maxPoints long, and keeps the first,
// last and both global extremes; unlike it, its buckets are fixed step ranges, so they do not
// move as the series grows.
import { checkMaxPoints, minMaxBucketCount, type SeriesPoint } from './downsample';

/** Bucket width grows by this factor per level. */
export const LEVEL_BASE = 4;
/** Levels 1..LEVELS; level 16 (4^16 = 2^32 > any step) holds one bucket per series. */
export const LEVELS = 16;

/** Width in steps of a bucket of `level`. */
export function bucketWidth(level: number): number {
  return LEVEL_BASE ** level;
}

/** The bucket of `step` at `level`. */
export function bucketOf(step: number, level: number): number {
  return Math.floor(step / bucketWidth(level));
}

/** A point of a level row: its step and value. */
export interface LevelPoint {
  step: number;
  value: number;
}

/** The aggregate of one bucket (shape of a MetricLevel row without its run). */
export interface LevelRow {
  name: string;
  level: number;
  bucket: number;
  count: number;
  first: LevelPoint;
  last: LevelPoint;
  min: LevelPoint;
  max: LevelPoint;
}

/** a is lower than b: smaller value, ties to the earlier step. */
function lower(a: LevelPoint, b: LevelPoint): boolean {
  return a.value < b.value || (a.value === b.value && a.step < b.step);
}

/** a is higher than b: larger value, ties to the earlier step. */
function higher(a: LevelPoint, b: LevelPoint): boolean {
  return a.value > b.value || (a.value === b.value && a.step < b.step);
}

/** Merges two aggregates of the same bucket holding disjoint steps (what the SQL upsert does). */
export function mergeLevelRows(a: LevelRow, b: LevelRow): LevelRow {
  return {
    ...a,
    count: a.count + b.count,
    first: b.first.step < a.first.step ? b.first : a.first,
    last: b.last.step > a.last.step ? b.last : a.last,
    min: lower(b.min, a.min) ? b.min : a.min,
    max: higher(b.max, a.max) ? b.max : a.max,
  };
}

/**
 * The level rows of `points` (any names, any step order, (name, step) unique), every level, in
 * (name, level, bucket) order. Level 1 from the points sorted by step, each next level from the
 * one below (a bucket of level k + 1 is 4 buckets of level k): O(n log n) in all.
 */
export function levelRowsOf(
  points: readonly { name: string; step: number; value: number }[],
): LevelRow[] {
  const byName = new Map<string, LevelPoint[]>();
  for (const p of points) {
    const list = byName.get(p.name);
    const point = { step: p.step, value: p.value };
    if (list) list.push(point);
    else byName.set(p.name, [point]);
  }
  const out: LevelRow[] = [];
  for (const [name, list] of byName) {
    list.sort((a, b) => a.step - b.step);
    let rows: LevelRow[] = [];
    for (const point of list) {
      const bucket = Math.floor(point.step / LEVEL_BASE);
      const row = rows[rows.length - 1];
      if (row && row.bucket === bucket) {
        row.count += 1;
        row.last = point; // sorted: every later point is the bucket's last so far
        if (lower(point, row.min)) row.min = point;
        if (higher(point, row.max)) row.max = point;
      } else
        rows.push({
          name,
          level: 1,
          bucket,
          count: 1,
          first: point,
          last: point,
          min: point,
          max: point,
        });
    }
    for (const r of rows) out.push(r); // no spread: a batch can have 50,000 rows per level
    for (let level = 2; level <= LEVELS; level++) {
      const next: LevelRow[] = [];
      for (const r of rows) {
        const bucket = Math.floor(r.bucket / LEVEL_BASE);
        const row = next[next.length - 1];
        if (row && row.bucket === bucket) next[next.length - 1] = mergeLevelRows(row, r);
        else next.push({ ...r, level, bucket });
      }
      for (const r of next) out.push(r);
      rows = next;
    }
  }
  return out;
}

/**
 * Whether a series whose highest step is `maxStep` stores the rows of `level` in MetricLevel.
 * A level whose first bucket still spans the whole series (4^level > maxStep) is implicit: its
 * one row would equal level {@link LEVELS}'s (relabelled), so it is not stored until the series
 * reaches its second bucket. Level {@link LEVELS} is always stored (the series' first, last,
 * min and max, and its highest step).
 */
export function levelStored(level: number, maxStep: number): boolean {
  return level >= LEVELS || bucketWidth(level) <= maxStep;
}

/**
 * The MetricLevel rows a batch merges (with {@link MERGE_LEVEL_SQL}), given the stored level
 * {@link LEVELS} row of each of its names (the series so far; absent for a new name): the
 * batch's rows of every level stored once it is in ({@link levelStored} of the new highest
 * step), and, for a level the batch makes stored, its bucket 0 as the stored series so far (all
 * of which lies in that bucket) merged with the batch's own bucket-0 row. Keys are unique.
 * `points`: (name, step) unique and none stored yet.
 */
export function levelRowsToWrite(
  points: readonly { name: string; step: number; value: number }[],
  tops: ReadonlyMap<string, LevelRow>,
): LevelRow[] {
  const rows = levelRowsOf(points);
  const maxStep = new Map<string, number>();
  for (const r of rows)
    if (r.level === LEVELS)
      maxStep.set(r.name, Math.max(r.last.step, tops.get(r.name)?.last.step ?? -1));
  const out: LevelRow[] = [];
  const newlyStored = new Set<string>(); // `name\0level` whose bucket 0 the batch already has
  for (const r of rows) {
    if (!levelStored(r.level, maxStep.get(r.name) ?? -1)) continue;
    const top = tops.get(r.name);
    if (top && r.bucket === 0 && !levelStored(r.level, top.last.step)) {
      out.push(mergeLevelRows({ ...top, name: r.name, level: r.level, bucket: 0 }, r));
      newlyStored.add(`${r.name}\u0000${r.level}`);
    } else out.push(r);
  }
  for (const [name, top] of tops) {
    const max = maxStep.get(name);
    if (max === undefined) continue; // not in this batch
    for (let level = 1; level < LEVELS; level++)
      if (
        levelStored(level, max) &&
        !levelStored(level, top.last.step) &&
        !newlyStored.has(`${name}\u0000${level}`)
      )
        out.push({ ...top, name, level, bucket: 0 });
  }
  return out;
}

/**
 * Deletes the MetricLevel rows of implicit levels ({@link levelStored}: a level whose one
 * bucket spans the whole series, judged by the series' level-{@link LEVELS} row), valid on
 * SQLite and PostgreSQL. After {@link levelFromPointsSql} of every level it leaves exactly what
 * ingest stores; the migration that made levels implicit runs it once.
 */
export function dropImplicitLevelsSql(where = 'TRUE'): string {
  return `DELETE FROM "MetricLevel" WHERE "level" < ${LEVELS} AND "bucket" = 0 AND (${where}) AND (1 << (2 * "level")) > (SELECT t."lastStep" FROM "MetricLevel" t WHERE t."runId" = "MetricLevel"."runId" AND t."name" = "MetricLevel"."name" AND t."level" = ${LEVELS} AND t."bucket" = 0)`;
}

/**
 * The finest level whose non-empty bucket count is at most `buckets`, given a function giving
 * that count (capped: any value above `buckets` means "too many"). Levels below
 * {@link firstCandidateLevel} are skipped: their count is certainly too high.
 */
export function chooseLevel(
  total: number,
  buckets: number,
  countAt: (level: number) => number,
): number {
  for (let level = firstCandidateLevel(total, buckets); level < LEVELS; level++)
    if (countAt(level) <= buckets) return level;
  return LEVELS;
}

/**
 * The finest level that can have at most `buckets` non-empty buckets for a series of `total`
 * points: a bucket of level k spans 4^k steps, so holds at most 4^k points, and level k has at
 * least ceil(total / 4^k) non-empty buckets.
 */
export function firstCandidateLevel(total: number, buckets: number): number {
  let level = 1;
  while (level < LEVELS && Math.ceil(total / bucketWidth(level)) > buckets) level++;
  return level;
}

/**
 * The chart contract, in memory (the reference the database read is tested against): a series
 * of at most `maxPoints` points unchanged; else its first and last point and the min and max
 * (ties: earliest step) of each bucket of the finest level with at most
 * floor((maxPoints - 2) / 2) non-empty buckets, in step order, each point once.
 *
 * @param points sorted by step, steps unique
 * @param maxPoints at least 2
 */
export function downsampleLevels<T extends SeriesPoint>(
  points: readonly T[],
  maxPoints: number,
): T[] {
  checkMaxPoints(maxPoints);
  const first = points[0];
  const last = points[points.length - 1];
  if (points.length <= maxPoints || !first || !last) return points.slice();
  const buckets = minMaxBucketCount(maxPoints);
  if (buckets === 0) return [first, last];
  const level = chooseLevel(
    points.length,
    buckets,
    (k) => new Set(points.map((p) => bucketOf(p.step, k))).size,
  );
  const keep = new Set<number>([first.step, last.step]);
  for (const row of levelRowsOf(points.map((p) => ({ name: '', step: p.step, value: p.value }))))
    if (row.level === level) keep.add(row.min.step).add(row.max.step);
  return points.filter((p) => keep.has(p.step));
}

/**
 * One statement computing the MetricLevel rows of `level` from the MetricPoint rows chosen by
 * `where` (window functions, valid on SQLite and PostgreSQL): the migration's backfill, the
 * bench's bulk load and the tests' from-scratch reference. Writes exactly what ingest writes.
 */
export function levelFromPointsSql(level: number, where = 'TRUE'): string {
  const bucket = `"step" / ${bucketWidth(level)}`;
  const part = `PARTITION BY "runId", "name", ${bucket}`;
  return `INSERT INTO "MetricLevel" ("runId", "name", "level", "bucket", "count", "firstStep", "firstValue", "lastStep", "lastValue", "minStep", "minValue", "maxStep", "maxValue")
SELECT "runId", "name", ${level}, "bucket", COUNT(*),
       MAX(CASE WHEN rf = 1 THEN "step" END), MAX(CASE WHEN rf = 1 THEN "value" END),
       MAX(CASE WHEN rl = 1 THEN "step" END), MAX(CASE WHEN rl = 1 THEN "value" END),
       MAX(CASE WHEN rmin = 1 THEN "step" END), MAX(CASE WHEN rmin = 1 THEN "value" END),
       MAX(CASE WHEN rmax = 1 THEN "step" END), MAX(CASE WHEN rmax = 1 THEN "value" END)
FROM (SELECT "runId", "name", "step", "value", ${bucket} AS "bucket",
             ROW_NUMBER() OVER (${part} ORDER BY "step") AS rf,
             ROW_NUMBER() OVER (${part} ORDER BY "step" DESC) AS rl,
             ROW_NUMBER() OVER (${part} ORDER BY "value", "step") AS rmin,
             ROW_NUMBER() OVER (${part} ORDER BY "value" DESC, "step") AS rmax
      FROM "MetricPoint" WHERE ${where}) AS t
GROUP BY "runId", "name", "bucket"`;
}

/** The ON CONFLICT clause merging an incoming bucket aggregate into the stored one. */
export const MERGE_LEVEL_SQL = `ON CONFLICT ("runId", "name", "level", "bucket") DO UPDATE SET
  "count" = "MetricLevel"."count" + excluded."count",
  "firstStep" = CASE WHEN excluded."firstStep" < "MetricLevel"."firstStep" THEN excluded."firstStep" ELSE "MetricLevel"."firstStep" END,
  "firstValue" = CASE WHEN excluded."firstStep" < "MetricLevel"."firstStep" THEN excluded."firstValue" ELSE "MetricLevel"."firstValue" END,
  "lastStep" = CASE WHEN excluded."lastStep" > "MetricLevel"."lastStep" THEN excluded."lastStep" ELSE "MetricLevel"."lastStep" END,
  "lastValue" = CASE WHEN excluded."lastStep" > "MetricLevel"."lastStep" THEN excluded."lastValue" ELSE "MetricLevel"."lastValue" END,
  "minStep" = CASE WHEN ${lowerSql('min')} THEN excluded."minStep" ELSE "MetricLevel"."minStep" END,
  "minValue" = CASE WHEN ${lowerSql('min')} THEN excluded."minValue" ELSE "MetricLevel"."minValue" END,
  "maxStep" = CASE WHEN ${higherSql()} THEN excluded."maxStep" ELSE "MetricLevel"."maxStep" END,
  "maxValue" = CASE WHEN ${higherSql()} THEN excluded."maxValue" ELSE "MetricLevel"."maxValue" END`;

function lowerSql(col: 'min'): string {
  const [v, s] = [`"${col}Value"`, `"${col}Step"`];
  return `(excluded.${v} < "MetricLevel".${v} OR (excluded.${v} = "MetricLevel".${v} AND excluded.${s} < "MetricLevel".${s}))`;
}

function higherSql(): string {
  return `(excluded."maxValue" > "MetricLevel"."maxValue" OR (excluded."maxValue" = "MetricLevel"."maxValue" AND excluded."maxStep" < "MetricLevel"."maxStep"))`;
}
