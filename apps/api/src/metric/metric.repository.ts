// Prisma access for metric points (the only module touching the MetricPoint table).
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import { pgPoolOf, sqliteConnectionOf, type Db } from '../db/prisma';
import { checkMaxPoints, minMaxBucketCount } from './downsample';
import {
  chooseLevel,
  firstCandidateLevel,
  levelRowsToWrite,
  LEVELS,
  type LevelRow,
} from './metric-levels';
import { batchWriteSql } from './metric-write.sql';

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

/** Most run ids plus names one series query binds (SQLite's limit is 32,766). */
const SERIES_PARAMS = 10_000;

/** `?` (SQLite) or `$n` (PostgreSQL) placeholders for `count` parameters starting after `offset`. */
function placeholders(dialect: 'sqlite' | 'postgresql', count: number, offset = 0): string {
  return Array.from({ length: count }, (_, i) =>
    dialect === 'sqlite' ? '?' : `$${offset + i + 1}`,
  ).join(', ');
}

/** Runs grouped by the set of names asked of them (the key: the sorted names). */
function groupRunsByNames(
  namesByRun: ReadonlyMap<string, string[]>,
): Map<string, { runIds: string[]; names: string[] }> {
  const groups = new Map<string, { runIds: string[]; names: string[] }>();
  for (const [runId, names] of namesByRun) {
    const signature = JSON.stringify([...names].sort());
    const group = groups.get(signature);
    if (group) group.runIds.push(runId);
    else groups.set(signature, { runIds: [runId], names });
  }
  return groups;
}

/** Reads and writes metric points. */
export class MetricRepository {
  constructor(
    private readonly prisma: Db,
    private readonly dialect: 'sqlite' | 'postgresql',
  ) {}

  /**
   * The given (run, name) series, each downsampled to at most `maxPoints` points by the level
   * contract (metric-levels.ts `downsampleLevels`): each series' length from its summary (one
   * batched query), a series of at most `maxPoints` points whole (one batched query per set of
   * names asked of several runs, normally one), a longer one from its precomputed MetricLevel
   * rows (two small queries each, about maxPoints rows read whatever its length).
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
    const { out, stored } = await this.seriesTotals(keys, runIds, names);
    await this.shortSeries(out, stored, maxPoints);
    for (const [key, entry] of out) {
      if (entry.total <= maxPoints) continue;
      const [runId = '', name = ''] = key.split('\u0000');
      entry.points = await this.levelSeries(runId, name, entry.total, maxPoints);
    }
    return out;
  }

  /**
   * Each wanted series' stored length (its summary), with no point yet; a series without a
   * summary (the run lacks the metric) is left out. One query on the summaries' primary key.
   * `stored`: the length of every stored series of runIds x names, wanted or not.
   */
  private async seriesTotals(
    keys: readonly { runId: string; name: string }[],
    runIds: string[],
    names: string[],
  ): Promise<{
    out: Map<string, { total: number; points: MetricPointRow[] }>;
    stored: Map<string, number>;
  }> {
    const wanted = new Set(keys.map(seriesKey));
    const rows = await this.prisma.$queryRawUnsafe<
      { runId: string; name: string; n: number | bigint }[]
    >(
      `SELECT "runId", "name", "count" AS n FROM "RunMetricSummary"
       WHERE "runId" IN (${placeholders(this.dialect, runIds.length)})
         AND "name" IN (${placeholders(this.dialect, names.length, runIds.length)})`,
      ...runIds,
      ...names,
    );
    const out = new Map<string, { total: number; points: MetricPointRow[] }>();
    const stored = new Map<string, number>();
    for (const r of rows) {
      const key = seriesKey(r);
      stored.set(key, Number(r.n));
      // runId IN x name IN may find cross pairs when several keys are batched.
      if (wanted.has(key)) out.set(key, { total: Number(r.n), points: [] });
    }
    return { out, stored };
  }

  /**
   * Fills in every point of the series of at most `maxPoints` points; only those are read (a
   * join to the summaries made both databases scan a long series only to drop its points).
   * One query over their runs x names when the pairs nobody asked for hold no more points than
   * the wanted ones (always for one run, or runs asked the same names: runs table, compare);
   * else one query per set of names asked of several runs, whose pairs are all wanted.
   */
  private async shortSeries(
    entries: Map<string, { total: number; points: MetricPointRow[] }>,
    stored: ReadonlyMap<string, number>,
    maxPoints: number,
  ): Promise<void> {
    const namesByRun = new Map<string, string[]>();
    let wantedPoints = 0;
    for (const [key, entry] of entries) {
      if (entry.total > maxPoints) continue;
      wantedPoints += entry.total;
      const [runId = '', name = ''] = key.split('\u0000');
      const list = namesByRun.get(runId);
      if (list) list.push(name);
      else namesByRun.set(runId, [name]);
    }
    const allNames = new Set([...namesByRun.values()].flat());
    let extra = 0; // stored points of runs x names pairs not wanted (or too long)
    for (const [key, n] of stored) {
      const [runId = '', name = ''] = key.split('\u0000');
      if (!namesByRun.has(runId) || !allNames.has(name)) continue;
      const entry = entries.get(key);
      if (!entry || entry.total > maxPoints) extra += n;
    }
    const groups =
      extra <= wantedPoints
        ? [{ runIds: [...namesByRun.keys()], names: [...allNames] }]
        : [...groupRunsByNames(namesByRun).values()];
    for (const { runIds, names } of groups) {
      if (runIds.length === 0) continue;
      const rows = await this.prisma.$queryRawUnsafe<RawPoint[]>(
        `SELECT "runId", "name", "step", "value", "time" FROM "MetricPoint"
         WHERE "runId" IN (${placeholders(this.dialect, runIds.length)})
           AND "name" IN (${placeholders(this.dialect, names.length, runIds.length)})
         ORDER BY "runId", "name", "step"`,
        ...runIds,
        ...names,
      );
      for (const r of rows) {
        const entry = entries.get(seriesKey(r));
        if (entry && entry.total <= maxPoints) entry.points.push(pointRow(r.runId, r.name, r));
      }
    }
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
        // A level without rows is implicit (metric-levels.ts levelStored): its one bucket holds
        // the whole series, and its row equals level LEVELS', whose extremes are read instead.
        level = chooseLevel(total, buckets, (k) => Math.max(1, byLevel.get(k) ?? Infinity));
        if (level < LEVELS && byLevel.get(level) === 0) level = LEVELS;
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

  /**
   * Distinct metric names per run (one query on RunMetricSummary). Plain SQL, like
   * {@link summaries}: a Prisma model query compiles its plan on every call.
   */
  async names(runIds: readonly string[]): Promise<{ runId: string; name: string }[]> {
    if (runIds.length === 0) return [];
    return this.prisma.$queryRawUnsafe<{ runId: string; name: string }[]>(
      `SELECT "runId", "name" FROM "RunMetricSummary"
       WHERE "runId" IN (${placeholders(this.dialect, runIds.length)})
       ORDER BY "runId", "name"`,
      ...runIds,
    );
  }

  /**
   * count/min/max/last of every series of the given runs (one query on RunMetricSummary; plain
   * SQL: a Prisma model query spent about 2 ms of CPU compiling its plan on every request).
   */
  async summaries(runIds: readonly string[]): Promise<MetricSummaryRow[]> {
    if (runIds.length === 0) return [];
    const rows = await this.prisma.$queryRawUnsafe<MetricSummaryRow[]>(
      `SELECT "runId", "name", "count", "min", "max", "lastStep", "last" FROM "RunMetricSummary"
       WHERE "runId" IN (${placeholders(this.dialect, runIds.length)})
       ORDER BY "runId", "name"`,
      ...runIds,
    );
    // The same numbers as the model query gave (Int and Float columns; no bigint on either database).
    return rows.map((r) => ({
      runId: r.runId,
      name: r.name,
      count: Number(r.count),
      min: Number(r.min),
      max: Number(r.max),
      lastStep: Number(r.lastStep),
      last: Number(r.last),
    }));
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
   * The project of a run read synchronously on SQLite's connection (a prepared statement: a
   * fraction of a Prisma query's cost, and fresh on every call), null for no such run;
   * undefined where that connection is not available (PostgreSQL, before Prisma connected, or
   * a Prisma transaction open on it): the caller then asks the access guard as usual.
   */
  projectOfRunNow(runId: string): string | null | undefined {
    const db = this.dialect === 'sqlite' ? sqliteConnectionOf(this.prisma) : null;
    if (!db || db.inTransaction || runId.includes('\u0000')) return undefined;
    const row = statement(db, PROJECT_OF_RUN_SQL).get(runId) as { projectId: string } | undefined;
    return row ? row.projectId : null;
  }

  /**
   * {@link projectOfRunNow}, and on PostgreSQL the same read as one prepared statement on a
   * connection of Prisma's pool (fresh on every call); undefined where neither is available.
   */
  async projectOfRun(runId: string): Promise<string | null | undefined> {
    if (this.dialect === 'sqlite') return this.projectOfRunNow(runId);
    const pool = pgPoolOf(this.prisma);
    if (!pool || runId.includes('\u0000')) return undefined;
    const { rows } = await pool.query<{ projectId: string }>(
      pgQuery(PROJECT_OF_RUN_SQL.replace('?', '$1'), [runId]),
    );
    return rows[0] ? rows[0].projectId : null;
  }

  /**
   * Stores a checked batch (steps unique per name) in one transaction: either all of it or
   * none. Reads the run's state first (PostgreSQL: the run row FOR SHARE under a per-run
   * advisory lock, so a concurrent finishRun or batch of the run waits) and lets `plan.admit`
   * refuse the batch. Fast path: one multi-row INSERT per table that skips stored points, and
   * merges the batch's aggregates (levelRowsToWrite: the levels stored once it is in, given
   * the series' stored level-16 rows) into RunMetricSummary and MetricLevel without
   * re-reading the series (merging is associative). If any point was stored already (a retry),
   * that transaction is rolled back and the careful path reads the stored values of the batch's
   * steps, lets `plan.settle` count duplicates or refuse a conflict, and writes the rest.
   */
  async insertAtomically(
    runId: string,
    points: readonly NewMetricPoint[],
    plan: IngestPlan,
  ): Promise<{ accepted: number; duplicates: number }> {
    if (points.length === 0) return { accepted: 0, duplicates: 0 };
    const names = [...new Set(points.map((p) => p.name))];
    // SQLite: the whole transaction synchronously on Prisma's own connection (nothing can
    // interleave; none of Prisma's per-statement costs), unless a Prisma interactive
    // transaction is open on it right now (then through Prisma, which waits for it).
    const direct = this.dialect === 'sqlite' ? sqliteConnectionOf(this.prisma) : null;
    if (direct && !direct.inTransaction) return insertDirect(direct, runId, points, names, plan);
    // PostgreSQL: the same transaction on a connection of Prisma's own pool, through node-pg
    // (named prepared statements). A run id holding NUL goes through Prisma, which refuses it.
    const pool = this.dialect === 'postgresql' ? pgPoolOf(this.prisma) : null;
    if (pool && !runId.includes('\u0000')) return insertPg(pool, runId, points, names, plan);
    try {
      return await this.inTransaction(runId, names, plan, async (tx, tops) => {
        await this.writeBatch(tx, runId, points, tops);
        return { accepted: points.length, duplicates: 0 };
      });
    } catch (err) {
      if (!(err instanceof StoredPointsFound)) throw err;
    }
    return this.inTransaction(runId, names, plan, async (tx, tops) => {
      const existing = await this.storedValues(tx, runId, names, points);
      const { insert, duplicates } = plan.settle(existing);
      if (insert.length > 0) await this.writeBatch(tx, runId, insert, tops);
      return { accepted: insert.length, duplicates };
    });
  }

  /** The batch transaction: lock (PostgreSQL), read the run's state, admit, then `write`. */
  private inTransaction<T>(
    runId: string,
    names: readonly string[],
    plan: IngestPlan,
    write: (tx: Tx, tops: Map<string, LevelRow>) => Promise<T>,
  ): Promise<T> {
    return this.prisma.$transaction(
      async (tx) => {
        // PostgreSQL (READ COMMITTED): batches of one run are serialised, so the names limit is
        // checked against every batch committed before this one. SQLite serialises write
        // transactions already.
        if (this.dialect === 'postgresql')
          await tx.$executeRawUnsafe(
            `SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext($1))) AS l`,
            `convscope-metrics:${runId}`,
          );
        plan.admit(await this.runState(tx, runId, names, plan.attempt ?? null));
        const tops = await tx.$queryRawUnsafe<RawTop[]>(
          topsSql(this.dialect),
          ...(this.dialect === 'postgresql' ? [runId, [...names]] : [runId, JSON.stringify(names)]),
        );
        return write(tx, toTops(tops));
      },
      // Large batches (200k points) take longer than Prisma's 5 s default.
      { maxWait: 20_000, timeout: 120_000 },
    );
  }

  /** The run's status, how many metric names it holds and how many of `names` it lacks (one query). */
  private async runState(
    tx: Tx,
    runId: string,
    names: readonly string[],
    attempt: number | null,
  ): Promise<RunIngestState> {
    const pg = this.dialect === 'postgresql';
    const [row] = await tx.$queryRawUnsafe<RawRunState[]>(
      runStateSql(this.dialect),
      ...(pg ? [runId, [...names], attempt] : [JSON.stringify(names), attempt, runId]),
    );
    return toRunState(row, names.length);
  }

  /** Stored values of the batch's (name, step) pairs (`name\0step` keys): the careful path. */
  private async storedValues(
    tx: Tx,
    runId: string,
    names: readonly string[],
    points: readonly NewMetricPoint[],
  ): Promise<Map<string, number>> {
    let minStep = Infinity;
    let maxStep = -Infinity;
    for (const p of points) {
      minStep = Math.min(minStep, p.step);
      maxStep = Math.max(maxStep, p.step);
    }
    const stored = await tx.metricPoint.findMany({
      where: { runId, name: { in: [...names] }, step: { gte: minStep, lte: maxStep } },
      select: { name: true, step: true, value: true },
    });
    return new Map(stored.map((s) => [`${s.name}\u0000${s.step}`, s.value]));
  }

  /**
   * Writes new points and merges their aggregates (metric-write.sql.ts). Throws
   * {@link StoredPointsFound} (the transaction rolls back) if any point was stored already.
   */
  private async writeBatch(
    tx: Tx,
    runId: string,
    points: readonly NewMetricPoint[],
    tops: ReadonlyMap<string, LevelRow>,
  ): Promise<void> {
    const levels = levelRowsToWrite(points, tops);
    const { statements } = batchWriteSql(this.dialect, runId, points, levels, LEVELS);
    let written = 0;
    for (const st of statements) {
      if (st.counts === 'selected') {
        const [row] = await tx.$queryRawUnsafe<{ n: number | bigint }[]>(st.sql, ...st.params);
        written += Number(row?.n ?? 0);
      } else {
        const n = await tx.$executeRawUnsafe(st.sql, ...st.params);
        if (st.counts === 'points') written += n;
      }
    }
    if (written !== points.length) throw new StoredPointsFound();
  }
}

/** A transaction client (what `$transaction` hands its callback). */
type Tx = Pick<Db, '$executeRawUnsafe' | '$queryRawUnsafe' | 'metricPoint'>;

/** Some points of a batch were stored already: roll back and take the careful path. */
export class StoredPointsFound extends Error {
  constructor() {
    super('Some points of the batch are stored already');
    this.name = 'StoredPointsFound';
  }
}

/** What the inserting transaction reads of the run before writing. */
export interface RunIngestState {
  /** The run's status (null: no such run). */
  status: string | null;
  /** How many metric names the run holds. */
  names: number;
  /** How many of the batch's distinct names the run has no point of yet. */
  freshNames: number;
  /**
   * Whether the run's queue job is ACTIVE in the attempt the batch names (only meaningful when
   * the plan names one: a worker's write; false otherwise).
   */
  attemptHeld: boolean;
}

/** The row of {@link runStateSql} (PostgreSQL counts are bigints, SQLite's too on Prisma's connection). */
interface RawRunState {
  status: string;
  names: number | bigint;
  known: number | bigint;
  held: number | bigint;
}

/**
 * The state query of a batch: the run's status, its metric names, how many of the batch's names
 * it has, and whether its job is ACTIVE in the given attempt (parameter null: never). PostgreSQL
 * ($1 run, $2 names, $3 attempt) locks the run row FOR SHARE; SQLite (? names JSON, ? attempt,
 * ? run) serialises write transactions already.
 */
function runStateSql(dialect: 'sqlite' | 'postgresql'): string {
  const pg = dialect === 'postgresql';
  return `SELECT r."status",
         (SELECT COUNT(*) FROM "RunMetricSummary" s WHERE s."runId" = r."id") AS "names",
         (SELECT COUNT(*) FROM "RunMetricSummary" s WHERE s."runId" = r."id" AND s."name" IN (SELECT ${pg ? 'unnest($2::text[])' : 'value FROM json_each(?)'})) AS "known",
         (SELECT COUNT(*) FROM "Job" j WHERE j."runId" = r."id" AND j."status" = 'ACTIVE' AND j."attempt" = ${pg ? '$3::int' : '?'}) AS "held"
       FROM "Run" r WHERE r."id" = ${pg ? '$1' : '?'}${pg ? ' FOR SHARE OF r' : ''}`;
}

function toRunState(row: RawRunState | undefined, names: number): RunIngestState {
  if (!row) return { status: null, names: 0, freshNames: names, attemptHeld: false };
  return {
    status: row.status,
    names: Number(row.names),
    freshNames: names - Number(row.known),
    attemptHeld: Number(row.held) > 0,
  };
}

/** A stored level-LEVELS row as {@link topsSql} reads it (PostgreSQL ints may come as text). */
interface RawTop {
  name: string;
  count: number | bigint | string;
  firstStep: number | bigint | string;
  firstValue: number;
  lastStep: number | bigint | string;
  lastValue: number;
  minStep: number | bigint | string;
  minValue: number;
  maxStep: number | bigint | string;
  maxValue: number;
}

/**
 * The stored level-LEVELS rows (each the whole series so far) of a run's batch names: what
 * levelRowsToWrite needs to store the levels a batch makes stored. SQLite (? run, ? names
 * JSON), PostgreSQL ($1 run, $2 names).
 */
function topsSql(dialect: 'sqlite' | 'postgresql'): string {
  const names = dialect === 'sqlite' ? 'IN (SELECT value FROM json_each(?))' : '= ANY($2::text[])';
  return `SELECT "name", "count", "firstStep", "firstValue", "lastStep", "lastValue", "minStep", "minValue", "maxStep", "maxValue"
    FROM "MetricLevel" WHERE "runId" = ${dialect === 'sqlite' ? '?' : '$1'} AND "level" = ${LEVELS} AND "bucket" = 0 AND "name" ${names}`;
}

function toTops(rows: readonly RawTop[]): Map<string, LevelRow> {
  const point = (step: number | bigint | string, value: number) => ({
    step: Number(step),
    value: Number(value),
  });
  return new Map(
    rows.map((r) => [
      r.name,
      {
        name: r.name,
        level: LEVELS,
        bucket: 0,
        count: Number(r.count),
        first: point(r.firstStep, r.firstValue),
        last: point(r.lastStep, r.lastValue),
        min: point(r.minStep, r.minValue),
        max: point(r.maxStep, r.maxValue),
      },
    ]),
  );
}

/** Prepared statements per SQLite connection (prepared once: the texts are fixed). */
const prepared = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

function statement(db: BetterSqlite3.Database, sql: string): BetterSqlite3.Statement {
  let cache = prepared.get(db);
  if (!cache) prepared.set(db, (cache = new Map()));
  let st = cache.get(sql);
  if (!st) {
    if (cache.size > 64) cache.clear(); // only a handful of texts exist; a bound all the same
    cache.set(sql, (st = db.prepare(sql)));
  }
  return st;
}

/**
 * {@link MetricRepository.insertAtomically} on SQLite, synchronously on Prisma's connection:
 * the same statements, the same two paths (fast; careful after a rollback when a point was
 * stored already), each one IMMEDIATE transaction.
 */
function insertDirect(
  db: BetterSqlite3.Database,
  runId: string,
  points: readonly NewMetricPoint[],
  names: readonly string[],
  plan: IngestPlan,
): { accepted: number; duplicates: number } {
  let tops = new Map<string, LevelRow>();
  const admit = () => {
    const json = JSON.stringify(names);
    const row = statement(db, runStateSql('sqlite')).get(json, plan.attempt ?? null, runId) as
      RawRunState | undefined;
    plan.admit(toRunState(row, names.length));
    tops = toTops(statement(db, topsSql('sqlite')).all(runId, json) as RawTop[]);
  };
  const write = (rows: readonly NewMetricPoint[]) => {
    const levels = levelRowsToWrite(rows, tops);
    const { statements } = batchWriteSql('sqlite', runId, rows, levels, LEVELS);
    let written = 0;
    for (const st of statements) {
      const { changes } = statement(db, st.sql).run(...st.params);
      if (st.counts === 'points') written += changes;
    }
    if (written !== rows.length) throw new StoredPointsFound();
  };
  try {
    return db
      .transaction(() => {
        admit();
        write(points);
        return { accepted: points.length, duplicates: 0 };
      })
      .immediate();
  } catch (err) {
    if (!(err instanceof StoredPointsFound)) throw err;
  }
  return db
    .transaction(() => {
      admit();
      const existing = new Map<string, number>();
      let minStep = Infinity;
      let maxStep = -Infinity;
      for (const p of points) {
        minStep = Math.min(minStep, p.step);
        maxStep = Math.max(maxStep, p.step);
      }
      const stored = statement(
        db,
        `SELECT "name", "step", "value" FROM "MetricPoint" WHERE "runId" = ? AND "name" IN (SELECT value FROM json_each(?)) AND "step" BETWEEN ? AND ?`,
      ).all(runId, JSON.stringify(names), minStep, maxStep) as {
        name: string;
        step: number | bigint;
        value: number;
      }[];
      for (const s of stored) existing.set(`${s.name}\u0000${Number(s.step)}`, Number(s.value));
      const { insert, duplicates } = plan.settle(existing);
      if (insert.length > 0) write(insert);
      return { accepted: insert.length, duplicates };
    })
    .immediate();
}

const PROJECT_OF_RUN_SQL = `SELECT "projectId" FROM "Run" WHERE "id" = ?`;

/** Names of the prepared statements of {@link insertPg}, by text (a handful of fixed texts). */
const pgStatementNames = new Map<string, string>();

function pgQuery(text: string, values: unknown[]): pg.QueryConfig {
  let name = pgStatementNames.get(text);
  if (name === undefined) {
    if (pgStatementNames.size >= 64) pgStatementNames.clear(); // a bound all the same
    name = `convscope_metric_${pgStatementNames.size}_${text.length}`;
    pgStatementNames.set(text, name);
  }
  return { name, text, values };
}

const PG_STORED_SQL = `SELECT "name", "step", "value" FROM "MetricPoint" WHERE "runId" = $1 AND "name" = ANY($2::text[]) AND "step" BETWEEN $3 AND $4`;

/**
 * {@link MetricRepository.insertAtomically} on PostgreSQL, on one connection of Prisma's pool:
 * the same statements as the Prisma path (per-run advisory lock, the run FOR SHARE, one
 * combined INSERT), the same two paths, each one READ COMMITTED transaction.
 */
async function insertPg(
  pool: pg.Pool,
  runId: string,
  points: readonly NewMetricPoint[],
  names: readonly string[],
  plan: IngestPlan,
): Promise<{ accepted: number; duplicates: number }> {
  const client = await pool.connect();
  let broken: Error | undefined;
  let tops = new Map<string, LevelRow>();
  const inTransaction = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      // BEGIN and the per-run lock in one round trip (simple protocol, the key an escaped literal).
      await client.query(
        `BEGIN; SELECT pg_advisory_xact_lock(hashtext(${client.escapeLiteral(`convscope-metrics:${runId}`)}))`,
      );
      const { rows } = await client.query<RawRunState>(
        pgQuery(runStateSql('postgresql'), [runId, names, plan.attempt ?? null]),
      );
      plan.admit(toRunState(rows[0], names.length));
      tops = toTops(
        (await client.query<RawTop>(pgQuery(topsSql('postgresql'), [runId, names]))).rows,
      );
      const out = await work();
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch((e: Error) => void (broken = e));
      throw err;
    }
  };
  const write = async (rows: readonly NewMetricPoint[]) => {
    const levels = levelRowsToWrite(rows, tops);
    const { statements } = batchWriteSql('postgresql', runId, rows, levels, LEVELS);
    let written = 0;
    for (const st of statements) {
      const res = await client.query<{ n: number | string }>(pgQuery(st.sql, st.params));
      if (st.counts === 'selected') written += Number(res.rows[0]?.n ?? 0);
      else if (st.counts === 'points') written += res.rowCount ?? 0;
    }
    if (written !== rows.length) throw new StoredPointsFound();
  };
  try {
    try {
      return await inTransaction(async () => {
        await write(points);
        return { accepted: points.length, duplicates: 0 };
      });
    } catch (err) {
      if (!(err instanceof StoredPointsFound)) throw err;
    }
    return await inTransaction(async () => {
      let minStep = Infinity;
      let maxStep = -Infinity;
      for (const p of points) {
        minStep = Math.min(minStep, p.step);
        maxStep = Math.max(maxStep, p.step);
      }
      const { rows } = await client.query<{ name: string; step: number; value: number }>(
        pgQuery(PG_STORED_SQL, [runId, names, minStep, maxStep]),
      );
      const existing = new Map<string, number>();
      for (const s of rows) existing.set(`${s.name}\u0000${Number(s.step)}`, Number(s.value));
      const { insert, duplicates } = plan.settle(existing);
      if (insert.length > 0) await write(insert);
      return { accepted: insert.length, duplicates };
    });
  } finally {
    // A connection whose ROLLBACK failed is closed rather than reused.
    client.release(broken);
  }
}

/** The caller's decisions inside the inserting transaction (each may throw to store nothing). */
export interface IngestPlan {
  /** The queue job attempt a worker's write names (read into the state; absent: not a worker). */
  attempt?: number | null;
  /** Refuses a batch from the run's state (finished run, too many names). */
  admit(state: RunIngestState): void;
  /**
   * Given the stored values of the batch's steps (`name\0step` keys; only on a retry), the
   * points to write and how many were duplicates; throws on a conflicting value.
   */
  settle(existing: Map<string, number>): { insert: NewMetricPoint[]; duplicates: number };
}
