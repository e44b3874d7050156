// Prisma access for metric points (the only module touching the MetricPoint table).
import type { Db } from '../db/prisma';
import { checkMaxPoints, downsampleMinMax, minMaxSeriesSql } from './downsample';

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

/** Options of {@link MetricRepository}. */
export interface MetricRepositoryOptions {
  /**
   * Where long series are downsampled: 'database' (one SQL statement, minMaxSeriesSql) or
   * 'node' (rows read, then downsampleMinMax). Default: 'database' on PostgreSQL, 'node' on
   * SQLite (in-process, where its window functions are ~4x slower than reading the rows).
   * Both give the same points; the tests run each on each database.
   */
  downsampleIn?: 'database' | 'node';
}

/** Reads and writes metric points. */
export class MetricRepository {
  private readonly downsampleIn: 'database' | 'node';

  constructor(
    private readonly prisma: Db,
    private readonly dialect: 'sqlite' | 'postgresql',
    options: MetricRepositoryOptions = {},
  ) {
    this.downsampleIn = options.downsampleIn ?? (dialect === 'sqlite' ? 'node' : 'database');
  }

  /**
   * The given (run, name) series in one query, each downsampled to at most `maxPoints` points
   * by min-max bucketing (downsample.ts: first and last point, then the min and max of each of
   * floor((maxPoints - 2) / 2) equal-count buckets; ties go to the earliest step). In the
   * database (PostgreSQL's default) this keeps a dashboard poll over many 100k-point runs from
   * shipping millions of rows to Node.
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
    if (this.downsampleIn === 'node') return this.seriesInJs(keys, runIds, names, maxPoints);
    return this.seriesInDatabase(keys, runIds, names, maxPoints);
  }

  private async seriesInDatabase(
    keys: readonly { runId: string; name: string }[],
    runIds: string[],
    names: string[],
    maxPoints: number,
  ): Promise<Map<string, { total: number; points: MetricPointRow[] }>> {
    const wanted = new Set(keys.map((k) => `${k.runId}\u0000${k.name}`));
    const rows = await this.prisma.$queryRawUnsafe<
      {
        runId: string;
        name: string;
        step: number | bigint;
        value: number;
        time: Date | string;
        n: number | bigint;
      }[]
    >(
      minMaxSeriesSql({
        maxPoints,
        where: `"runId" IN (${placeholders(this.dialect, runIds.length)})
           AND "name" IN (${placeholders(this.dialect, names.length, runIds.length)})`,
      }),
      ...runIds,
      ...names,
    );
    const out = new Map<string, { total: number; points: MetricPointRow[] }>();
    for (const r of rows) {
      const key = `${r.runId}\u0000${r.name}`;
      // runId IN x name IN may over-fetch cross pairs when several keys are batched.
      if (!wanted.has(key)) continue;
      let entry = out.get(key);
      if (!entry) out.set(key, (entry = { total: Number(r.n), points: [] }));
      const step = Number(r.step);
      entry.points.push({
        id: metricPointId(r.runId, r.name, step),
        runId: r.runId,
        name: r.name,
        step,
        value: Number(r.value),
        time: r.time instanceof Date ? r.time : new Date(r.time),
      });
    }
    return out;
  }

  private async seriesInJs(
    keys: readonly { runId: string; name: string }[],
    runIds: string[],
    names: string[],
    maxPoints: number,
  ): Promise<Map<string, { total: number; points: MetricPointRow[] }>> {
    const wanted = new Set(keys.map((k) => `${k.runId}\u0000${k.name}`));
    const rows = await this.prisma.$queryRawUnsafe<
      { runId: string; name: string; step: number; value: number; time: Date | string }[]
    >(
      `SELECT "runId", "name", "step", "value", "time" FROM "MetricPoint"
       WHERE "runId" IN (${placeholders(this.dialect, runIds.length)})
         AND "name" IN (${placeholders(this.dialect, names.length, runIds.length)})
       ORDER BY "runId", "name", "step"`,
      ...runIds,
      ...names,
    );
    const full = new Map<string, StoredMetricPoint[]>();
    for (const r of rows) {
      const key = `${r.runId}\u0000${r.name}`;
      // runId IN x name IN may over-fetch cross pairs when several keys are batched.
      if (!wanted.has(key)) continue;
      let list = full.get(key);
      if (!list) full.set(key, (list = []));
      list.push({
        runId: r.runId,
        name: r.name,
        step: Number(r.step),
        value: Number(r.value),
        time: r.time instanceof Date ? r.time : new Date(r.time),
      });
    }
    return new Map(
      [...full].map(([key, points]) => [
        key,
        // Ids only for the points kept (a series may be 100,000 points long).
        { total: points.length, points: downsampleMinMax(points, maxPoints).map(withId) },
      ]),
    );
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
   * Recomputes the RunMetricSummary rows of (runId, names) from MetricPoint, inside the
   * caller's transaction (so summaries never disagree with the committed points).
   */
  private async refreshSummaries(
    tx: Pick<Db, '$executeRawUnsafe'>,
    runId: string,
    names: string[],
  ): Promise<void> {
    const ph = placeholders(this.dialect, names.length, 1);
    const runParam = this.dialect === 'sqlite' ? '?' : '$1';
    await tx.$executeRawUnsafe(
      `INSERT INTO "RunMetricSummary" ("runId", "name", "last", "lastStep", "min", "max", "count")
       SELECT p."runId", p."name",
              (SELECT q."value" FROM "MetricPoint" q WHERE q."runId" = p."runId" AND q."name" = p."name" ORDER BY q."step" DESC LIMIT 1),
              MAX(p."step"), MIN(p."value"), MAX(p."value"), COUNT(*)
       FROM "MetricPoint" p
       WHERE p."runId" = ${runParam} AND p."name" IN (${ph})
       GROUP BY p."runId", p."name"
       ON CONFLICT ("runId", "name") DO UPDATE SET
         "last" = excluded."last", "lastStep" = excluded."lastStep", "min" = excluded."min",
         "max" = excluded."max", "count" = excluded."count"`,
      runId,
      ...names,
    );
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
        if (toInsert.length > 0)
          await this.refreshSummaries(tx, runId, [...new Set(toInsert.map((p) => p.name))]);
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
