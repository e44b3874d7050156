// Ingest under load (`npm run bench -- --only load`): the API as a separate process (as a lab
// runs it) on a temporary SQLite file, and on a fresh PostgreSQL schema when one is reachable
// (TEST_POSTGRES_URL, default postgresql://root@127.0.0.1:5432/test); 50 loggers, each the
// libs/ml RunTracker of one run, log 2,000 points in requests of 100 at the same time. Reports
// acknowledged points per second over the whole ingest and the latency of one logMetrics request
// (p50, p99), the API's peak resident memory and its CPU time per 1,000 points (less dependent on
// the machine's load than wall-clock figures). bench/scale-series.bench.ts reports the same
// figures through {@link benchIngestOn}. Not a test: nothing here asserts timings.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, spawnApi } from '../test/integration/api-process';
import { INGEST_METRICS, quantile, runIngest } from '../test/integration/ingest-load';

const LOGGERS = Number(process.env.BENCH_INGEST_LOGGERS ?? 50);
/** Steps per logger: 500 x 4 metric names = 2,000 points. */
const STEPS = Number(process.env.BENCH_INGEST_STEPS ?? 500);
/** Steps per request: 25 x 4 names = 100 points. */
const STEPS_PER_BATCH = Number(process.env.BENCH_INGEST_BATCH_STEPS ?? 25);
const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://root@127.0.0.1:5432/test';

/** Ingest figures of one database. */
export interface IngestFigures {
  /** Points acknowledged per second, first createRun to last finishRun. */
  pointsPerSec: number;
  /** Latency of one logMetrics request (a flush of 100 points), ms. */
  p50Ms: number;
  p99Ms: number;
  loggers: number;
  pointsPerRequest: number;
  points: number;
  /** Median time of a logger's createRun while the others start too, ms. */
  createRunP50Ms: number;
  /** The API process's peak resident memory (VmHWM) up to the end of the ingest, MB. */
  apiPeakRssMb: number;
  /** CPU time (user + system) the API process spent per 1,000 points of the measured ingest, ms. */
  apiCpuMsPer1kPoints: number;
}

/** Peak resident memory of a process so far (Linux VmHWM), MB. */
export function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? round(Number(m[1]) / 1024) : NaN;
}

/** CPU time (user + system) a process has used so far (Linux /proc/<pid>/stat, 100 Hz ticks), ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

const round = (x: number) => Math.round(x * 10) / 10;

/**
 * Ingest figures of the API (a child process) on one database: a warm-up, then {@link LOGGERS}
 * loggers of {@link STEPS} steps in requests of {@link STEPS_PER_BATCH} steps.
 */
export async function benchIngestOn(databaseUrl: string, dir: string): Promise<IngestFigures> {
  const api = await spawnApi({
    databaseUrl,
    artifactsDir: path.join(dir, 'artifacts'),
    keyFile: path.join(dir, 'key', 'local-api-key'),
    port: await freePort(),
    // 50 loggers share the admin key; the per-key default (6,000 a minute) is for people. A
    // loaded machine can keep a logger's requests waiting past the 60 s heartbeat timeout.
    env: { RATE_LIMIT_PER_MIN: '1000000', RUN_HEARTBEAT_TIMEOUT_S: '3600' },
  });
  try {
    const common = {
      apiUrl: api.origin,
      apiKey: api.key,
      stepsPerBatch: STEPS_PER_BATCH,
      // A busy machine can keep a request waiting past the client's 30 s default.
      timeoutMs: 120_000,
      retry: { connectBudgetMs: 120_000 },
    };
    // Warm-up: the first queries of each kind, the JIT of both processes.
    await runIngest({ ...common, project: 'bench-warmup', loggers: 5, steps: 50 });
    const cpu0 = cpuMs(api.pid);
    const r = await runIngest({
      ...common,
      project: 'bench-ingest',
      loggers: LOGGERS,
      steps: STEPS,
    });
    return {
      pointsPerSec: round(r.points / (r.elapsedMs / 1000)),
      p50Ms: round(quantile(r.latenciesMs, 0.5)),
      p99Ms: round(quantile(r.latenciesMs, 0.99)),
      loggers: LOGGERS,
      pointsPerRequest: STEPS_PER_BATCH * INGEST_METRICS.length,
      points: r.points,
      createRunP50Ms: round(quantile(r.createMs, 0.5)),
      apiPeakRssMb: peakRssMb(api.pid),
      apiCpuMsPer1kPoints: round((cpuMs(api.pid) - cpu0) / (r.points / 1000)),
    };
  } finally {
    await api.stop();
  }
}

/** Ingest figures on SQLite, and on PostgreSQL when reachable (null otherwise). */
export async function benchIngest(): Promise<{
  sqlite: IngestFigures;
  postgresql: IngestFigures | null;
}> {
  const dir = await mkdtemp(path.join(tmpdir(), 'convscope-bench-ingest-'));
  try {
    const sqlite = await benchIngestOn(
      `file:${path.join(dir, 'sqlite', 'bench.db')}`,
      path.join(dir, 'sqlite'),
    );
    console.error(`ingest sqlite: ${JSON.stringify(sqlite)}`);
    let postgresql: IngestFigures | null = null;
    if (await postgresReachable()) {
      const schema = `bench_ingest_${randomBytes(6).toString('hex')}`;
      try {
        postgresql = await benchIngestOn(`${POSTGRES_URL}?schema=${schema}`, path.join(dir, 'pg'));
      } finally {
        await dropSchema(schema);
      }
      console.error(`ingest postgresql: ${JSON.stringify(postgresql)}`);
    } else {
      console.error(`ingest postgresql: skipped (no server at ${POSTGRES_URL})`);
    }
    return { sqlite, postgresql };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
