// Part of `npm run bench -- --only scale` (bench/scale.bench.ts); alone: `npx tsx bench/scale-series.bench.ts`.
// - seriesFetch1MMs: the run page's series request (Run.metrics, maxPoints 1000, step/value/time)
//   for one run with one 1,000,000-point series, over HTTP GraphQL against the API as a separate
//   process; median of 5 after one warm-up. The points are bulk-loaded with SQL that writes
//   exactly what the API writes: the MetricPoint rows, and the MetricLevel and RunMetricSummary
//   rows computed by the API's own levelRowsOf. SQLite file and a fresh PostgreSQL schema.
// - ingest: 50 concurrent loggers (libs/ml RunTracker, test/integration/ingest-load.ts), measured
//   by bench/ingest.bench.ts's benchIngestOn on each database; the top-level figures are the
//   worse database's.
// - apiPeakRssMb: the API process's peak resident memory (VmHWM) during each part.
// - Beside each database's series figure: apiCpuMsPerRequest (the API process's user + system
//   CPU over 20 more series requests, /proc, Linux only: less load-dependent than wall time),
//   and the fixed cost of a request on the same server, both with the key: emptyMs
//   (`{ __typename }`) and runIdMs (`run(id) { id }`: permission check, one run read), medians of 5.
// Not a test: nothing here asserts timings.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import {
  levelRowsOf,
  levelStored,
  LEVELS,
  type LevelRow,
} from '../apps/api/src/metric/metric-levels';
import { freePort, spawnApi, type ApiProcess } from '../test/integration/api-process';
import { quantile } from '../test/integration/ingest-load';
import { benchIngestOn as benchIngest, peakRssMb, type IngestFigures } from './ingest.bench';

const POINTS = Number(process.env.BENCH_SERIES_POINTS ?? 1_000_000);
const REPEATS = 5;
/** Series requests the API's CPU time is measured over. */
const CPU_REPEATS = 20;
/** BENCH_SERIES_SKIP_INGEST=1: only the series fetch (ingest figures left out). */
const SKIP_INGEST = process.env.BENCH_SERIES_SKIP_INGEST === '1';
const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://root@127.0.0.1:5432/test';

/** The run page's series request (apps/web/lib/queries.ts: metrics(maxPoints: 1000)). */
const SERIES = `query($id: ID!) { run(id: $id) { id metrics(maxPoints: 1000) {
  name totalPoints downsampled points { step value time } } } }`;

type Kind = 'sqlite' | 'postgresql';

interface SeriesFigures {
  medianMs: number;
  samplesMs: number[];
  /** API process CPU (user + system) per series request; null where /proc is missing. */
  apiCpuMsPerRequest: number | null;
  /** Median wall time of `{ __typename }` and of `run(id) { id }` on the same server. */
  emptyMs: number;
  runIdMs: number;
  points: number;
  apiPeakRssMb: number;
  /** The response's points, to compare the databases byte for byte. */
  body: string;
}

const round = (x: number) => Math.round(x * 10) / 10;

/** User + system CPU of process `pid` in ms (/proc/<pid>/stat, 100 ticks a second), or null. */
function cpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** Median wall time in ms of `n` sequential requests (after one warm-up). */
async function medianOf(n: number, request: () => Promise<unknown>): Promise<number> {
  await request();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await request();
    samples.push(performance.now() - t);
  }
  return round(quantile(samples, 0.5));
}

async function gql<T>(api: ApiProcess, query: string, variables: object): Promise<T> {
  const res = await fetch(`${api.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${api.key}` },
    body: JSON.stringify({ query, variables }),
  });
  const json = (await res.json()) as { data?: T; errors?: unknown[] };
  if (json.errors?.length || !json.data) throw new Error(JSON.stringify(json.errors));
  return json.data;
}

/** The value of point `step` of the bench series (a decaying curve with noise, a spike, a dip). */
function value(step: number): number {
  if (step === 313_370) return 9.5;
  if (step === 666_666) return -3.25;
  return 2 * Math.exp(-step / 200_000) + 0.01 * Math.sin(step);
}

/** A time parameter the way the API stores it (metric.repository.ts timeParam). */
const TIME = new Date('2026-12-07T12:00:00.000Z');

/** The bench series and its aggregates, computed by the API's own code (metric-levels.ts). */
function seriesRows(): { steps: number[]; values: string[]; levels: LevelRow[] } {
  const steps = Array.from({ length: POINTS }, (_, i) => i);
  // Stored levels only, as ingest stores them (an implicit level's one bucket is level 16's).
  const levels = levelRowsOf(
    steps.map((step) => ({ name: 'loss', step, value: value(step) })),
  ).filter((r) => levelStored(r.level, POINTS - 1));
  return { steps, values: steps.map((s) => String(value(s))), levels };
}

/** MetricLevel (and, from its one-bucket level, RunMetricSummary) column values of a row. */
function levelValues(r: LevelRow): (number | string)[] {
  return [
    r.level,
    r.bucket,
    r.count,
    r.first.step,
    String(r.first.value),
    r.last.step,
    String(r.last.value),
    r.min.step,
    String(r.min.value),
    r.max.step,
    String(r.max.value),
  ];
}

const LEVEL_COLUMNS = `"runId", "name", "level", "bucket", "count", "firstStep", "firstValue", "lastStep", "lastValue", "minStep", "minValue", "maxStep", "maxValue"`;

function summaryOf(levels: readonly LevelRow[]): LevelRow {
  const top = levels.find((r) => r.level === LEVELS);
  if (!top) throw new Error('no top level');
  return top;
}

async function loadSqlite(file: string, runId: string): Promise<void> {
  const { steps, values, levels } = seriesRows();
  const db = new Database(file, { timeout: 60_000 });
  try {
    const point = db.prepare(
      `INSERT INTO "MetricPoint" ("runId", "name", "step", "value", "time") VALUES (?, 'loss', ?, CAST(? AS REAL), ?)`,
    );
    const level = db.prepare(
      `INSERT INTO "MetricLevel" (${LEVEL_COLUMNS}) VALUES (?, 'loss', ?, ?, ?, ?, CAST(? AS REAL), ?, CAST(? AS REAL), ?, CAST(? AS REAL), ?, CAST(? AS REAL))`,
    );
    const top = summaryOf(levels);
    const time = TIME.toISOString().replace('Z', '+00:00');
    db.transaction(() => {
      for (let i = 0; i < steps.length; i++) point.run(runId, steps[i], values[i], time);
      for (const r of levels) level.run(runId, ...levelValues(r));
      db.prepare(
        `INSERT INTO "RunMetricSummary" ("runId", "name", "last", "lastStep", "min", "max", "count")
         VALUES (?, 'loss', CAST(? AS REAL), ?, CAST(? AS REAL), CAST(? AS REAL), ?)`,
      ).run(
        runId,
        String(top.last.value),
        top.last.step,
        String(top.min.value),
        String(top.max.value),
        top.count,
      );
    })();
  } finally {
    db.close();
  }
}

async function loadPostgres(url: string, schema: string, runId: string): Promise<void> {
  const { steps, values, levels } = seriesRows();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET search_path TO "${schema}"`);
    await client.query('BEGIN');
    const time = TIME.toISOString().replace('Z', '');
    for (let start = 0; start < steps.length; start += 50_000) {
      await client.query(
        `INSERT INTO "MetricPoint" ("runId", "name", "step", "value", "time")
         SELECT $1, 'loss', s, v::double precision, $4::timestamp(3) FROM unnest($2::int[], $3::text[]) AS u(s, v)`,
        [runId, steps.slice(start, start + 50_000), values.slice(start, start + 50_000), time],
      );
    }
    for (let start = 0; start < levels.length; start += 50_000) {
      const chunk = levels.slice(start, start + 50_000).map(levelValues);
      const column = (j: number) => chunk.map((v) => v[j]);
      await client.query(
        `INSERT INTO "MetricLevel" (${LEVEL_COLUMNS})
         SELECT $1, 'loss', l, b, c, fs, fv::double precision, ls, lv::double precision,
                ns, nv::double precision, xs, xv::double precision
         FROM unnest($2::int[], $3::int[], $4::int[], $5::int[], $6::text[], $7::int[], $8::text[],
                     $9::int[], $10::text[], $11::int[], $12::text[]) AS u(l, b, c, fs, fv, ls, lv, ns, nv, xs, xv)`,
        [runId, ...Array.from({ length: 11 }, (_, j) => column(j))],
      );
    }
    const top = summaryOf(levels);
    await client.query(
      `INSERT INTO "RunMetricSummary" ("runId", "name", "last", "lastStep", "min", "max", "count")
       VALUES ($1, 'loss', $2::double precision, $3, $4::double precision, $5::double precision, $6)`,
      [
        runId,
        String(top.last.value),
        top.last.step,
        String(top.min.value),
        String(top.max.value),
        top.count,
      ],
    );
    await client.query('COMMIT');
    await client.query('ANALYZE "MetricPoint"');
    await client.query('ANALYZE "MetricLevel"');
  } finally {
    await client.end();
  }
}

async function startApi(databaseUrl: string, dir: string): Promise<ApiProcess> {
  return spawnApi({
    databaseUrl,
    artifactsDir: path.join(dir, 'artifacts'),
    keyFile: path.join(dir, 'key', 'local-api-key'),
    port: await freePort(),
    // 50 loggers share the admin key; the per-key default (6,000 a minute) is for people.
    env: { RATE_LIMIT_PER_MIN: '1000000' },
  });
}

async function benchSeries(
  kind: Kind,
  databaseUrl: string,
  dir: string,
  load: (runId: string) => Promise<void>,
): Promise<SeriesFigures> {
  const api = await startApi(databaseUrl, dir);
  try {
    const { createRun } = await gql<{ createRun: { id: string } }>(
      api,
      'mutation($input: CreateRunInput!) { createRun(input: $input) { id } }',
      { input: { project: 'bench-series', name: 'one-million' } },
    );
    const loadStart = performance.now();
    await load(createRun.id);
    console.error(
      `series ${kind}: loaded ${POINTS} points in ${Math.round(performance.now() - loadStart)} ms`,
    );
    type Series = {
      run: { metrics: { totalPoints: number; points: unknown[] }[] };
    };
    const first = await gql<Series>(api, SERIES, { id: createRun.id }); // warm-up
    const [series] = first.run.metrics;
    if (series?.totalPoints !== POINTS) throw new Error(`expected ${POINTS} points`);
    const samplesMs: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const t = performance.now();
      await gql<Series>(api, SERIES, { id: createRun.id });
      samplesMs.push(round(performance.now() - t));
    }
    const cpuBefore = cpuMs(api.pid);
    for (let i = 0; i < CPU_REPEATS; i++) await gql<Series>(api, SERIES, { id: createRun.id });
    const cpuAfter = cpuMs(api.pid);
    const emptyMs = await medianOf(REPEATS, () => gql(api, '{ __typename }', {}));
    const runIdMs = await medianOf(REPEATS, () =>
      gql(api, 'query($id: ID!) { run(id: $id) { id } }', { id: createRun.id }),
    );
    return {
      medianMs: round(quantile(samplesMs, 0.5)),
      samplesMs,
      apiCpuMsPerRequest:
        cpuBefore === null || cpuAfter === null
          ? null
          : round((cpuAfter - cpuBefore) / CPU_REPEATS),
      emptyMs,
      runIdMs,
      points: series.points.length,
      apiPeakRssMb: peakRssMb(api.pid),
      body: JSON.stringify(series.points),
    };
  } catch (err) {
    console.error(`series ${kind}: API output:\n${api.output().slice(-4000)}`);
    throw err;
  } finally {
    await api.stop();
  }
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function withPostgresSchema<T>(run: (url: string, schema: string) => Promise<T>): Promise<T> {
  const schema = `bench_series_${randomBytes(6).toString('hex')}`;
  try {
    return await run(`${POSTGRES_URL}?schema=${schema}`, schema);
  } finally {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
}

/** Returns this part's bench keys: `seriesFetch1MMs`, `ingest` and their details. */
export async function benchSeriesScale(): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'convscope-bench-series-'));
  try {
    const sqliteFile = path.join(dir, 'sqlite', 'series.db');
    const series: Partial<Record<Kind, SeriesFigures>> = {};
    const ingest: Partial<Record<Kind, IngestFigures>> = {};
    series.sqlite = await benchSeries(
      'sqlite',
      `file:${sqliteFile}`,
      path.join(dir, 'sqlite'),
      (id) => loadSqlite(sqliteFile, id),
    );
    console.error(`series sqlite: ${series.sqlite.medianMs} ms`);
    if (!SKIP_INGEST) {
      ingest.sqlite = await benchIngest(
        `file:${path.join(dir, 'sqlite-ingest', 'ingest.db')}`,
        path.join(dir, 'sqlite-ingest'),
      );
      console.error(`ingest sqlite: ${JSON.stringify(ingest.sqlite)}`);
    }
    if (await postgresReachable()) {
      series.postgresql = await withPostgresSchema((url, schema) =>
        benchSeries('postgresql', url, path.join(dir, 'pg'), (id) =>
          loadPostgres(POSTGRES_URL, schema, id),
        ),
      );
      console.error(`series postgresql: ${series.postgresql.medianMs} ms`);
      if (!SKIP_INGEST) {
        ingest.postgresql = await withPostgresSchema((url) =>
          benchIngest(url, path.join(dir, 'pg-ingest')),
        );
        console.error(`ingest postgresql: ${JSON.stringify(ingest.postgresql)}`);
      }
    } else {
      console.error(`series postgresql: skipped (no server at ${POSTGRES_URL})`);
    }
    const measured = Object.values(ingest);
    const worst = measured.length
      ? measured.reduce((a, b) => (b.pointsPerSec < a.pointsPerSec ? b : a))
      : null;
    const strip = (s: SeriesFigures | undefined) =>
      s && {
        medianMs: s.medianMs,
        samplesMs: s.samplesMs,
        apiCpuMsPerRequest: s.apiCpuMsPerRequest,
        emptyMs: s.emptyMs,
        runIdMs: s.runIdMs,
        points: s.points,
        apiPeakRssMb: s.apiPeakRssMb,
      };
    return {
      seriesFetch1MMs: {
        sqlite: series.sqlite.medianMs,
        postgresql: series.postgresql?.medianMs ?? null,
      },
      ingest: worst && {
        pointsPerSec: worst.pointsPerSec,
        p50Ms: Math.max(...measured.map((m) => m.p50Ms)),
        p99Ms: Math.max(...measured.map((m) => m.p99Ms)),
        apiPeakRssMb: Math.max(...measured.map((m) => m.apiPeakRssMb)),
        loggers: worst.loggers,
      },
      seriesScale: {
        points: POINTS,
        sqlite: strip(series.sqlite),
        postgresql: strip(series.postgresql) ?? null,
        identicalOnBothDatabases: series.postgresql
          ? series.postgresql.body === series.sqlite.body
          : null,
        ingest,
        loadAverage: loadavg().map(round),
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchSeriesScale().then(
    (out) => console.log(JSON.stringify(out, null, 2)),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
