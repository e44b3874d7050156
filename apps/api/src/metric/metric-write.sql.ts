// SQL of logMetrics' writes (pure: the repository runs it). Each write is one multi-row
// statement per table and chunk whose text does not depend on the batch: SQLite reads the rows
// from one JSON parameter (json_each), PostgreSQL from one array parameter per column (unnest).
// Few parameters and a fixed text keep the per-statement cost (Prisma's parameter handling,
// SQLite's parse) independent of the batch size. Values travel as their shortest round-trip text
// (String(x)) and are cast in SQL, which both databases parse back to the exact double (Prisma
// rounds number parameters to 16 significant digits).
import type { LevelRow } from './metric-levels';
import { MERGE_LEVEL_SQL } from './metric-levels';

/** The two databases. */
export type Dialect = 'sqlite' | 'postgresql';

/** One statement and its parameters. */
export interface SqlStatement {
  sql: string;
  params: unknown[];
}

/** A point as the write SQL takes it. */
export interface PointToWrite {
  name: string;
  step: number;
  value: number;
  time: Date;
}

/** Rows per statement: one JSON text (SQLite) or one array per column (PostgreSQL). */
export const WRITE_CHUNK = 20_000;

/** A DateTime parameter in the format Prisma itself stores for the dialect. */
export function timeParam(dialect: Dialect, time: Date): string {
  const iso = time.toISOString();
  return dialect === 'sqlite' ? iso.replace('Z', '+00:00') : iso.replace('Z', '');
}

/** A column of a written table, and how a row fills it. */
interface Column<R> {
  name: string;
  of: (r: R) => number | string;
  kind: 'int' | 'real' | 'text' | 'time';
}

/** A table the write SQL fills, and its ON CONFLICT clause (after the column list). */
interface Table<R> {
  name: string;
  columns: Column<R>[];
  conflict: string;
}

const POINT_TABLE: Table<PointToWrite> = {
  name: 'MetricPoint',
  columns: [
    { name: 'name', of: (p) => p.name, kind: 'text' },
    { name: 'step', of: (p) => p.step, kind: 'int' },
    { name: 'value', of: (p) => String(p.value), kind: 'real' },
    // Filled per dialect by pointsTable (the stored text differs).
    { name: 'time', of: () => '', kind: 'time' },
  ],
  // A re-sent point is left alone: the caller counts the rows written and rolls back to its
  // careful path (read, compare) when any was already stored.
  conflict: 'ON CONFLICT ("runId", "name", "step") DO NOTHING',
};

function pointsTable(dialect: Dialect): Table<PointToWrite> {
  // Most points of a batch share one time (the request's "now"): format each distinct one once.
  let lastTime = NaN;
  let lastText = '';
  const time = (p: PointToWrite) => {
    const t = p.time.getTime();
    if (t !== lastTime) [lastTime, lastText] = [t, timeParam(dialect, p.time)];
    return lastText;
  };
  return {
    ...POINT_TABLE,
    columns: POINT_TABLE.columns.map((c) => (c.kind === 'time' ? { ...c, of: time } : c)),
  };
}

const real = (x: number) => String(x);

/** RunMetricSummary: the one-bucket level of each series. */
const SUMMARY_TABLE: Table<LevelRow> = {
  name: 'RunMetricSummary',
  columns: [
    { name: 'name', of: (r) => r.name, kind: 'text' },
    { name: 'last', of: (r) => real(r.last.value), kind: 'real' },
    { name: 'lastStep', of: (r) => r.last.step, kind: 'int' },
    { name: 'min', of: (r) => real(r.min.value), kind: 'real' },
    { name: 'max', of: (r) => real(r.max.value), kind: 'real' },
    { name: 'count', of: (r) => r.count, kind: 'int' },
  ],
  conflict: `ON CONFLICT ("runId", "name") DO UPDATE SET
    "last" = CASE WHEN excluded."lastStep" > "RunMetricSummary"."lastStep" THEN excluded."last" ELSE "RunMetricSummary"."last" END,
    "lastStep" = CASE WHEN excluded."lastStep" > "RunMetricSummary"."lastStep" THEN excluded."lastStep" ELSE "RunMetricSummary"."lastStep" END,
    "min" = CASE WHEN excluded."min" < "RunMetricSummary"."min" THEN excluded."min" ELSE "RunMetricSummary"."min" END,
    "max" = CASE WHEN excluded."max" > "RunMetricSummary"."max" THEN excluded."max" ELSE "RunMetricSummary"."max" END,
    "count" = "RunMetricSummary"."count" + excluded."count"`,
};

const LEVEL_TABLE: Table<LevelRow> = {
  name: 'MetricLevel',
  columns: [
    { name: 'name', of: (r) => r.name, kind: 'text' },
    { name: 'level', of: (r) => r.level, kind: 'int' },
    { name: 'bucket', of: (r) => r.bucket, kind: 'int' },
    { name: 'count', of: (r) => r.count, kind: 'int' },
    { name: 'firstStep', of: (r) => r.first.step, kind: 'int' },
    { name: 'firstValue', of: (r) => real(r.first.value), kind: 'real' },
    { name: 'lastStep', of: (r) => r.last.step, kind: 'int' },
    { name: 'lastValue', of: (r) => real(r.last.value), kind: 'real' },
    { name: 'minStep', of: (r) => r.min.step, kind: 'int' },
    { name: 'minValue', of: (r) => real(r.min.value), kind: 'real' },
    { name: 'maxStep', of: (r) => r.max.step, kind: 'int' },
    { name: 'maxValue', of: (r) => real(r.max.value), kind: 'real' },
  ],
  conflict: MERGE_LEVEL_SQL,
};

/** PostgreSQL: the array type a column travels in, and the cast back to the column's type. */
const PG_TYPES = {
  int: ['int', ''],
  real: ['text', '::double precision'],
  text: ['text', ''],
  time: ['text', '::timestamp(3)'],
} as const;

/**
 * One multi-row INSERT of `rows` into `table` for `runId`. PostgreSQL placeholders start after
 * `offset` (so statements can be combined); `returning` adds `RETURNING 1` (PostgreSQL CTEs).
 */
function insertRows<R>(
  dialect: Dialect,
  table: Table<R>,
  runId: string,
  rows: readonly R[],
  options: { offset?: number; returning?: boolean } = {},
): SqlStatement {
  const cols = table.columns.map((c) => `"${c.name}"`).join(', ');
  const into = `INSERT INTO "${table.name}" ("runId", ${cols})`;
  if (dialect === 'sqlite') {
    const selected = table.columns.map((c, j) =>
      c.kind === 'real' ? `CAST(j.value ->> ${j} AS REAL)` : `j.value ->> ${j}`,
    );
    return {
      // WHERE true: SQLite's rule for an upsert after INSERT ... SELECT (parsing ambiguity).
      sql: `${into} SELECT ?, ${selected.join(', ')} FROM json_each(?) AS j WHERE true ${table.conflict}`,
      params: [runId, JSON.stringify(rows.map((r) => table.columns.map((c) => c.of(r))))],
    };
  }
  const offset = options.offset ?? 0;
  const p = (i: number) => `$${offset + i}`;
  const arrays = table.columns.map((c, j) => `${p(j + 2)}::${PG_TYPES[c.kind][0]}[]`);
  const selected = table.columns.map((c, j) => `c${j}${PG_TYPES[c.kind][1]}`);
  const aliases = table.columns.map((_, j) => `c${j}`).join(', ');
  return {
    sql: `${into} SELECT ${p(1)}, ${selected.join(', ')} FROM unnest(${arrays.join(', ')}) AS u(${aliases}) ${table.conflict}${options.returning ? ' RETURNING 1' : ''}`,
    params: [runId, ...table.columns.map((c) => rows.map((r) => c.of(r)))],
  };
}

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += WRITE_CHUNK) out.push(rows.slice(i, i + WRITE_CHUNK));
  return out;
}

/**
 * The statements writing a batch: its points (a stored one is skipped, not overwritten) and the
 * merge of its aggregates (`levels`: levelRowsOf of the points) into RunMetricSummary and
 * MetricLevel. `countPoints` is how many points the statements inserted, given their results
 * (each statement's affected-row count; for the combined statement, the count it selects).
 */
export function batchWriteSql(
  dialect: Dialect,
  runId: string,
  points: readonly PointToWrite[],
  levels: readonly LevelRow[],
  summaryLevel: number,
): { statements: (SqlStatement & { counts: 'points' | 'none' | 'selected' })[] } {
  const summaries = levels.filter((r) => r.level === summaryLevel);
  const table = pointsTable(dialect);
  if (dialect === 'postgresql' && points.length <= WRITE_CHUNK && levels.length <= WRITE_CHUNK) {
    // One round trip: the three INSERTs as data-modifying CTEs of one statement.
    const p = insertRows(dialect, table, runId, points, { returning: true });
    const s = insertRows(dialect, SUMMARY_TABLE, runId, summaries, { offset: p.params.length });
    const l = insertRows(dialect, LEVEL_TABLE, runId, levels, {
      offset: p.params.length + s.params.length,
    });
    return {
      statements: [
        {
          sql: `WITH p AS (${p.sql}), s AS (${s.sql}), l AS (${l.sql}) SELECT COUNT(*)::int AS "n" FROM p`,
          params: [...p.params, ...s.params, ...l.params],
          counts: 'selected',
        },
      ],
    };
  }
  return {
    statements: [
      ...chunks(points).map((c) => ({
        ...insertRows(dialect, table, runId, c),
        counts: 'points' as const,
      })),
      ...chunks(summaries).map((c) => ({
        ...insertRows(dialect, SUMMARY_TABLE, runId, c),
        counts: 'none' as const,
      })),
      ...chunks(levels).map((c) => ({
        ...insertRows(dialect, LEVEL_TABLE, runId, c),
        counts: 'none' as const,
      })),
    ],
  };
}
