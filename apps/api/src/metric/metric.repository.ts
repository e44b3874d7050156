// Prisma access for metric points (the only module touching the MetricPoint table).
import type { Db } from '../db/prisma';
import { checkMaxPoints, minMaxBucketCount } from './downsample';
import {
  chooseLevel,
  firstCandidateLevel,
  levelRowsOf,
  LEVELS,
  MERGE_LEVEL_SQL,
  type LevelRow,
} from './metric-levels';

/** A stored metric point. */
export interface StoredMetricPoint {
  runId: string;
  name: string;
  step: number;
  value: number;
  time: Date;
}

/** A metric point as the API serves it: with its stable id. */
export interface MetricPointRow extends StoredMetricPoint {
  /** `<runId>:<name>:<step>` (see {@link metricPointId}). */
  id: string;
}

/** The stable id of a metric series: `<runId>:<name>`. */
export function metricSeriesId(runId: string, name: string): string {
  return `${runId}:${name}`;
}

/** The stable id of a metric point: `<runId>:<name>:<step>` (one value per step). */
export function metricPointId(runId: string, name: string, step: number): string {
  return `${runId}:${name}:${step}`;
}

function withId(p: StoredMetricPoint): MetricPointRow {
  return { ...p, id: metricPointId(p.runId, p.name, p.step) };
}

/** A point as a raw query returns it (SQLite gives text times, PostgreSQL bigints for COUNTs). */
interface RawPoint {
  runId: string;
  name: string;
  step: number | bigint;
  value: number;
  time: Date | string;
}

function pointRow(runId: string, name: string, r: RawPoint): MetricPointRow {
  const step = Number(r.step);
  return {
    id: metricPointId(runId, name, step),
    runId,
    name,
    step,
    value: Number(r.value),
    time: r.time instanceof Date ? r.time : new Date(r.time),
  };
}

/** The map key of a series: `runId\0name`. */
function seriesKey(k: { runId: string; name: string }): string {
  return `${k.runId}\u0000${k.name}`;
}

/** What {@link MetricRepository.pointsPage} reads. */
export interface PointsPageRequest {
  /** forward: increasing steps; backward: decreasing steps. */
  direction: 'forward' | 'backward';
  /** Points wanted; one more is read to tell whether more exist. */
  size: number;
  /** Only steps strictly beyond this one in walking order (null: from the start or the end). */
  afterStep: number | null;
}

/** A point to insert. */
export interface NewMetricPoint {
  name: string;
  step: number;
  value: number;
  time: Date;
}

/** Aggregates of one (run, metric) series. */
export interface MetricSummaryRow {
  runId: string;
  name: string;
  count: number;
  min: number;
  max: number;
  lastStep: number;
  last: number;
}

// Rows per INSERT. SQLite binds 5 parameters per row (limit 32766); PostgreSQL binds five
// arrays per statement (unnest), so its chunks can be larger.
const SQLITE_CHUNK = 2000;
/** Most run ids plus names one series query binds (SQLite's limit is 32,766). */
const SERIES_PARAMS = 10_000;
const POSTGRES_CHUNK = 20_000;

/** A DateTime parameter in the format Prisma itself stores for the dialect. */
function timeParam(dialect: 'sqlite' | 'postgresql', time: Date): string {
  const iso = time.toISOString();
  return dialect === 'sqlite' ? iso.replace('Z', '+00:00') : iso.replace('Z', '');
}

/** `?` (SQLite) or `$n` (PostgreSQL) placeholders for `count` parameters starting after `offset`. */
function placeholders(dialect: 'sqlite' | 'postgresql', count: number, offset = 0): string {
  return Array.from({ length: count }, (_, i) =>
    dialect === 'sqlite' ? '?' : `$${offset + i + 1}`,
  ).join(', ');
}

/** A column of an aggregate table, and how a {@link LevelRow} fills it. */
interface AggregateColumn {
  name: string;
  of: (r: LevelRow) => number | string;
  /** A double, bound as its shortest round-trip text (Prisma rounds number parameters). */
  real?: boolean;
  text?: boolean;
}

/** An aggregate table the batch's {@link LevelRow}s merge into. */
interface AggregateTable {
  name: string;
  columns: AggregateColumn[];
  /** The ON CONFLICT clause merging a new aggregate into the stored one. */
  merge: string;
}

function sqlValue(c: AggregateColumn, r: LevelRow): number | string {
  const v = c.of(r);
  return c.real ? String(v) : v;
}

const SUMMARY_TABLE: AggregateTable = {
  name: 'RunMetricSummary',
  columns: [
    { name: 'name', of: (r) => r.name, text: true },
    { name: 'last', of: (r) => r.last.value, real: true },
    { name: 'lastStep', of: (r) => r.last.step },
    { name: 'min', of: (r) => r.min.value, real: true },
    { name: 'max', of: (r) => r.max.value, real: true },
    { name: 'count', of: (r) => r.count },
  ],
  merge: `ON CONFLICT ("runId", "name") DO UPDATE SET
    "last" = CASE WHEN excluded."lastStep" > "RunMetricSummary"."lastStep" THEN excluded."last" ELSE "RunMetricSummary"."last" END,
    "lastStep" = CASE WHEN excluded."lastStep" > "RunMetricSummary"."lastStep" THEN excluded."lastStep" ELSE "RunMetricSummary"."lastStep" END,
    "min" = CASE WHEN excluded."min" < "RunMetricSummary"."min" THEN excluded."min" ELSE "RunMetricSummary"."min" END,
    "max" = CASE WHEN excluded."max" > "RunMetricSummary"."max" THEN excluded."max" ELSE "RunMetricSummary"."max" END,
    "count" = "RunMetricSummary"."count" + excluded."count"`,
};

const LEVEL_TABLE: AggregateTable = {
  name: 'MetricLevel',
  columns: [
    { name: 'name', of: (r) => r.name, text: true },
    { name: 'level', of: (r) => r.level },
    { name: 'bucket', of: (r) => r.bucket },
    { name: 'count', of: (r) => r.count },
    { name: 'firstStep', of: (r) => r.first.step },
    { name: 'firstValue', of: (r) => r.first.value, real: true },
    { name: 'lastStep', of: (r) => r.last.step },
    { name: 'lastValue', of: (r) => r.last.value, real: true },
    { name: 'minStep', of: (r) => r.min.step },
    { name: 'minValue', of: (r) => r.min.value, real: true },
    { name: 'maxStep', of: (r) => r.max.step },
    { name: 'maxValue', of: (r) => r.max.value, real: true },
  ],
  merge: MERGE_LEVEL_SQL,
};

/** Reads and writes metric points. */
export class MetricRepository {
  constructor(
    private readonly prisma: Db,
    private readonly dialect: 'sqlite' | 'postgresql',
  ) {}

  /**
   * The given (run, name) series, each downsampled to at most `maxPoints` points by the level
   * contract (metric-levels.ts `downsampleLevels`): a series of at most `maxPoints` points whole
   * (one batched query for all of them), a longer one from its precomputed MetricLevel rows
   * (two small queries each, about maxPoints rows read whatever its length).
   * @returns the kept points by series key (`runId\0name`) and each series' full length.
   */
  async series(
    keys: readonly { runId: string; name: string }[],
    maxPoints: number,
  ): Promise<Map<string, { total: number; points: MetricPointRow[] }>> {
    checkMaxPoints(maxPoints);
    const runIds = [...new Set(keys.map((k) => k.runId))];
    const names = [...new Set(keys.map((k) => k.name))];
    // One statement binds every run id and name: past SQLite's parameter limit (32,766), split
    // the keys by name (a request with many aliases can ask for that many).
    if (runIds.length + names.length > SERIES_PARAMS) {
      const byName = new Map<string, { runId: string; name: string }[]>();
      for (const k of keys) {
        const list = byName.get(k.name);
        if (list) list.push(k);
        else byName.set(k.name, [k]);
      }
      const out = new Map<string, { total: number; points: MetricPointRow[] }>();
      const groups = [...byName.values()];
      const per = Math.max(1, Math.floor(SERIES_PARAMS / 2));
      for (let i = 0; i < groups.length; i += per) {
        const part = groups.slice(i, i + per).flat();
        // Still too many run ids: one run at a time.
        const chunks =
          new Set(part.map((k) => k.runId)).size + per > SERIES_PARAMS
            ? part.map((k) => [k])
            : [part];
        for (const chunk of chunks)
          for (const [key, value] of await this.series(chunk, maxPoints)) out.set(key, value);
      }
      return out;
    }
    if (keys.length === 0) return new Map();
    const out = await this.shortSeries(keys, runIds, names, maxPoints);
    for (const [key, entry] of out) {
      if (entry.total <= maxPoints) continue;
      const [runId = '', name = ''] = key.split('\u0000');
      entry.points = await this.levelSeries(runId, name, entry.total, maxPoints);
    }
    return out;
  }

  /**
   * One query: each series' stored length (its summary) and, for series of at most `maxPoints`
   * points, every point; a longer series comes back with its length and no point yet.
   */
  private async shortSeries(
    keys: readonly { runId: string; name: string }[],
    runIds: string[],
    names: string[],
    maxPoints: number,
  ): Promise<Map<string, { total: number; points: MetricPointRow[] }>> {
    const wanted = new Set(keys.map(seriesKey));
    const rows = await this.prisma.$queryRawUnsafe<
      (Omit<RawPoint, 'step'> & { step: number | bigint | null; n: number | bigint })[]
    >(
      `SELECT s."runId", s."name", s."count" AS n, p."step", p."value", p."time"
       FROM "RunMetricSummary" s
       LEFT JOIN "MetricPoint" p ON p."runId" = s."runId" AND p."name" = s."name" AND s."count" <= ${maxPoints}
       WHERE s."runId" IN (${placeholders(this.dialect, runIds.length)})
         AND s."name" IN (${placeholders(this.dialect, names.length, runIds.length)})
       ORDER BY s."runId", s."name", p."step"`,
      ...runIds,
      ...names,
    );
    const out = new Map<string, { total: number; points: MetricPointRow[] }>();
    for (const r of rows) {
      const key = seriesKey(r);
      // runId IN x name IN may over-fetch cross pairs when several keys are batched.
      if (!wanted.has(key)) continue;
      let entry = out.get(key);
      if (!entry) out.set(key, (entry = { total: Number(r.n), points: [] }));
      if (r.step !== null) entry.points.push(pointRow(r.runId, r.name, { ...r, step: r.step }));
    }
    return out;
  }

  /**
   * A series longer than `maxPoints` read from its levels: the finest level with at most
   * floor((maxPoints - 2) / 2) non-empty buckets (counted with a LIMIT, so each count reads at
   * most that many index entries), then the points at its buckets' min and max steps and the
   * series' first and last step (level 16's one bucket), by primary-key lookups.
   */
  private async levelSeries(
    runId: string,
    name: string,
    total: number,
    maxPoints: number,
  ): Promise<MetricPointRow[]> {
    const buckets = minMaxBucketCount(maxPoints);
    const q = this.dialect === 'sqlite' ? ['?', '?'] : ['$1', '$2'];
    const series = `"runId" = ${q[0]} AND "name" = ${q[1]}`;
    const params = (n: number) =>
      this.dialect === 'sqlite'
        ? Array.from({ length: n }, () => [runId, name]).flat()
        : [runId, name];
    let level = LEVELS;
    if (buckets > 0) {
      const from = firstCandidateLevel(total, buckets);
      const candidates = Array.from({ length: LEVELS - from }, (_, i) => from + i);
      if (candidates.length > 0) {
        const counts = await this.prisma.$queryRawUnsafe<
          { level: number | bigint; n: number | bigint }[]
        >(
          candidates
            .map(
              (k) =>
                `SELECT ${k} AS "level", COUNT(*) AS "n" FROM (SELECT 1 AS x FROM "MetricLevel" WHERE ${series} AND "level" = ${k} LIMIT ${buckets + 1}) AS c${k}`,
            )
            .join(' UNION ALL '),
          ...params(candidates.length),
        );
        const byLevel = new Map(counts.map((c) => [Number(c.level), Number(c.n)]));
        level = chooseLevel(total, buckets, (k) => byLevel.get(k) ?? Infinity);
      }
    }
    const ends = `SELECT "firstStep" AS s FROM "MetricLevel" WHERE ${series} AND "level" = ${LEVELS}
       UNION SELECT "lastStep" FROM "MetricLevel" WHERE ${series} AND "level" = ${LEVELS}`;
    const extremes =
      buckets > 0
        ? ` UNION SELECT "minStep" FROM "MetricLevel" WHERE ${series} AND "level" = ${level}
            UNION SELECT "maxStep" FROM "MetricLevel" WHERE ${series} AND "level" = ${level}`
        : '';
    const rows = await this.prisma.$queryRawUnsafe<RawPoint[]>(
      `SELECT p."runId", p."name", p."step", p."value", p."time" FROM "MetricPoint" p
       WHERE p."runId" = ${q[0]} AND p."name" = ${q[1]} AND p."step" IN (${ends}${extremes})
       ORDER BY p."step"`,
      ...params(buckets > 0 ? 5 : 3),
    );
    return rows.map((r) => pointRow(runId, name, r));
  }

  /**
   * One page of a run's points in (name, step) order after the key (afterName, afterStep)
   * (keyset paging on the unique (runId, name, step) index, so exports stream in constant memory).
   */
  pointsAfter(
    runId: string,
    after: { name: string; step: number } | null,
    take: number,
  ): Promise<StoredMetricPoint[]> {
    return this.prisma.metricPoint.findMany({
      where: after
        ? {
            runId,
            OR: [{ name: { gt: after.name } }, { name: after.name, step: { gt: after.step } }],
          }
        : { runId },
      select: { runId: true, name: true, step: true, value: true, time: true },
      orderBy: [{ name: 'asc' }, { step: 'asc' }],
      take,
    });
  }

  /**
   * One keyset page of a series by step (the unique (runId, name, step) index): `size + 1`
   * points in walking order, increasing steps forward, decreasing backward.
   */
  async pointsPage(
    runId: string,
    name: string,
    page: PointsPageRequest,
  ): Promise<MetricPointRow[]> {
    const beyond = page.direction === 'forward' ? 'gt' : 'lt';
    const rows = await this.prisma.metricPoint.findMany({
      where: {
        runId,
        name,
        ...(page.afterStep === null ? {} : { step: { [beyond]: page.afterStep } }),
      },
      select: { runId: true, name: true, step: true, value: true, time: true },
      orderBy: { step: page.direction === 'forward' ? 'asc' : 'desc' },
      take: page.size + 1,
    });
    return rows.map(withId);
  }

  /** Distinct metric names per run (one query on RunMetricSummary). */
  names(runIds: readonly string[]): Promise<{ runId: string; name: string }[]> {
    return this.prisma.runMetricSummary.findMany({
      where: { runId: { in: [...runIds] } },
      select: { runId: true, name: true },
      orderBy: [{ runId: 'asc' }, { name: 'asc' }],
    });
  }

  /** count/min/max/last of every series of the given runs (one query on RunMetricSummary). */
  async summaries(runIds: readonly string[]): Promise<MetricSummaryRow[]> {
    return this.prisma.runMetricSummary.findMany({
      where: { runId: { in: [...runIds] } },
      select: {
        runId: true,
        name: true,
        count: true,
        min: true,
        max: true,
        lastStep: true,
        last: true,
      },
      orderBy: [{ runId: 'asc' }, { name: 'asc' }],
    });
  }

  /** Summaries of the named metrics over all runs (the runs query language reads these). */
  summariesByNames(names: readonly string[]): Promise<MetricSummaryRow[]> {
    return this.prisma.runMetricSummary.findMany({
      where: { name: { in: [...names] } },
      select: {
        runId: true,
        name: true,
        count: true,
        min: true,
        max: true,
        lastStep: true,
        last: true,
      },
    });
  }

  /**
   * Merges the aggregates of the points a batch inserted into the series' RunMetricSummary and
   * MetricLevel rows, inside the caller's transaction (so they never disagree with the committed
   * points): each from the batch alone, no re-read of the series. Correct whatever the order of
   * batches, because merging is associative and the batch's points are new (the caller held the
   * run's lock and checked them against the stored ones).
   */
  private async mergeAggregates(
    tx: Pick<Db, '$executeRawUnsafe'>,
    runId: string,
    inserted: readonly NewMetricPoint[],
  ): Promise<void> {
    const levels = levelRowsOf(inserted);
    // Level LEVELS holds one bucket per series: its aggregate is the batch's summary.
    const summaries = levels.filter((r) => r.level === LEVELS);
    await this.upsertRows(tx, runId, summaries, SUMMARY_TABLE);
    await this.upsertRows(tx, runId, levels, LEVEL_TABLE);
  }

  /** Multi-row upserts of aggregate rows (chunked by the dialect's parameter limits). */
  private async upsertRows(
    tx: Pick<Db, '$executeRawUnsafe'>,
    runId: string,
    rows: readonly LevelRow[],
    table: AggregateTable,
  ): Promise<void> {
    const cols = table.columns.map((c) => `"${c.name}"`).join(', ');
    if (this.dialect === 'sqlite') {
      const per = Math.floor(30_000 / (table.columns.length + 1));
      for (let i = 0; i < rows.length; i += per) {
        const chunk = rows.slice(i, i + per);
        const row = `(?, ${table.columns.map((c) => (c.real ? 'CAST(? AS REAL)' : '?')).join(', ')})`;
        await tx.$executeRawUnsafe(
          `INSERT INTO "${table.name}" ("runId", ${cols}) VALUES ${chunk.map(() => row).join(', ')} ${table.merge}`,
          ...chunk.flatMap((r) => [runId, ...table.columns.map((c) => sqlValue(c, r))]),
        );
      }
      return;
    }
    for (let i = 0; i < rows.length; i += POSTGRES_CHUNK) {
      const chunk = rows.slice(i, i + POSTGRES_CHUNK);
      const arrays = table.columns.map(
        (c, j) => `$${j + 2}::${c.real || c.text ? 'text' : 'int'}[]`,
      );
      const selected = table.columns.map((c, j) => (c.real ? `c${j}::double precision` : `c${j}`));
      await tx.$executeRawUnsafe(
        `INSERT INTO "${table.name}" ("runId", ${cols})
         SELECT $1, ${selected.join(', ')}
         FROM unnest(${arrays.join(', ')}) AS u(${table.columns.map((_, j) => `c${j}`).join(', ')})
         ${table.merge}`,
        runId,
        ...table.columns.map((c) => chunk.map((r) => sqlValue(c, r))),
      );
    }
  }

  /**
   * In one transaction: reads the run's status, the stored points of `runId` that could
   * collide with `points` (same names, step range) and how many metric names the run holds and
   * which of the batch's are new to it, lets `plan` decide what to insert (it may throw to
   * abort: nothing is written), inserts that. Either the whole batch is stored or none
   * of it. On PostgreSQL the run row is read FOR SHARE, so a concurrent finishRun waits for the
   * batch (and the batch never lands in a run that finished before it).
   */
  async insertAtomically(
    runId: string,
    points: readonly NewMetricPoint[],
    plan: (
      existing: Map<string, number>,
      runStatus: string | null,
      names: StoredNames,
    ) => NewMetricPoint[],
  ): Promise<number> {
    if (points.length === 0) return 0;
    const names = [...new Set(points.map((p) => p.name))];
    let minStep = Infinity;
    let maxStep = -Infinity;
    for (const p of points) {
      minStep = Math.min(minStep, p.step);
      maxStep = Math.max(maxStep, p.step);
    }
    return this.prisma.$transaction(
      async (tx) => {
        // PostgreSQL (READ COMMITTED): batches of one run are serialised, so the summary
        // recomputed below always sees the points of every batch committed before it (without
        // the lock two concurrent batches could each upsert an aggregate missing the other's
        // points). SQLite serialises write transactions already.
        if (this.dialect === 'postgresql') {
          await tx.$executeRawUnsafe(
            `SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext($1))) AS l`,
            `convscope-metrics:${runId}`,
          );
        }
        const run = await tx.$queryRawUnsafe<{ status: string }[]>(
          this.dialect === 'postgresql'
            ? `SELECT "status" FROM "Run" WHERE "id" = $1 FOR SHARE`
            : `SELECT "status" FROM "Run" WHERE "id" = ?`,
          runId,
        );
        const stored = await tx.metricPoint.findMany({
          where: { runId, name: { in: names }, step: { gte: minStep, lte: maxStep } },
          select: { name: true, step: true, value: true },
        });
        const existing = new Map(stored.map((s) => [`${s.name}\u0000${s.step}`, s.value]));
        const toInsert = plan(
          existing,
          run[0]?.status ?? null,
          await storedNames(tx, runId, names),
        );
        // Raw INSERTs: createMany is ~6x slower on 100k-point batches, and Prisma rounds number
        // parameters to 16 significant digits. Values go in as their shortest round-trip text
        // (String(x)), which both databases parse back to the exact double.
        if (this.dialect === 'sqlite') {
          for (let i = 0; i < toInsert.length; i += SQLITE_CHUNK) {
            const chunk = toInsert.slice(i, i + SQLITE_CHUNK);
            const values = chunk.map(() => '(?, ?, ?, ?, ?)').join(', ');
            await tx.$executeRawUnsafe(
              `INSERT INTO "MetricPoint" ("runId", "name", "step", "value", "time") VALUES ${values}`,
              ...chunk.flatMap((p) => [
                runId,
                p.name,
                p.step,
                String(p.value),
                timeParam('sqlite', p.time),
              ]),
            );
          }
        } else {
          for (let i = 0; i < toInsert.length; i += POSTGRES_CHUNK) {
            const chunk = toInsert.slice(i, i + POSTGRES_CHUNK);
            await tx.$executeRawUnsafe(
              `INSERT INTO "MetricPoint" ("runId", "name", "step", "value", "time")
               SELECT $1, n, s, v::double precision, t::timestamp(3)
               FROM unnest($2::text[], $3::int[], $4::text[], $5::text[]) AS u(n, s, v, t)`,
              runId,
              chunk.map((p) => p.name),
              chunk.map((p) => p.step),
              chunk.map((p) => String(p.value)),
              chunk.map((p) => timeParam('postgresql', p.time)),
            );
          }
        }
        if (toInsert.length > 0) await this.mergeAggregates(tx, runId, toInsert);
        return toInsert.length;
      },
      // Large batches (100k points) take longer than Prisma's 5 s default.
      { maxWait: 20_000, timeout: 120_000 },
    );
  }
}

/** How many metric names a run holds, and which names of a batch it lacks. */
export interface StoredNames {
  count: number;
  /** The batch's names the run has no point of yet (in batch order). */
  fresh: string[];
}

/** {@link StoredNames} from RunMetricSummary (one row per name of the run: two cheap reads). */
async function storedNames(
  tx: Pick<Db, 'runMetricSummary'>,
  runId: string,
  names: readonly string[],
): Promise<StoredNames> {
  const count = await tx.runMetricSummary.count({ where: { runId } });
  const known = await tx.runMetricSummary.findMany({
    where: { runId, name: { in: [...names] } },
    select: { name: true },
  });
  const have = new Set(known.map((k) => k.name));
  return { count, fresh: names.filter((n) => !have.has(n)) };
}
