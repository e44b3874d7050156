// Part of `npm run bench -- --only scale` (bench/scale.bench.ts): queue throughput. An API in its
// own process (SQLite: the embedded table queue; PostgreSQL when reachable: pg-boss) gets JOBS
// queued runs; WORKERS fake workers in this process loop claimJob -> startQueuedRun ->
// completeJob over HTTP until the queue is empty. jobsPerSec = jobs / (first claim to last
// completion); claim and round-trip latencies are per request.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, spawnApi, type ApiProcess } from '../test/integration/api-process';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://root@127.0.0.1:5432/test';
const JOBS = Number(process.env.BENCH_QUEUE_JOBS ?? 300);
const WORKERS = Number(process.env.BENCH_QUEUE_WORKERS ?? 4);

/** Figures of one database. */
export interface QueueFigures {
  jobsPerSec: number;
  jobs: number;
  workers: number;
  /** claimJob latency, ms. */
  claimP50Ms: number;
  claimP99Ms: number;
  /** One job's three requests (claim, start, complete), ms. */
  jobP50Ms: number;
  /** queueRun latency while queueing the batch, ms. */
  queueRunP50Ms: number;
  engine: 'embedded' | 'pg-boss';
}

const round = (x: number) => Math.round(x * 10) / 10;

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

async function gql<T>(
  api: ApiProcess,
  query: string,
  variables: Record<string, unknown>,
): Promise<T> {
  const res = await fetch(`${api.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${api.key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data as T;
}

async function timed<T>(latencies: number[], f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await f();
  } finally {
    latencies.push(performance.now() - t0);
  }
}

async function benchOne(
  databaseUrl: string,
  dir: string,
  engine: QueueFigures['engine'],
): Promise<QueueFigures> {
  const api = await spawnApi({
    databaseUrl,
    artifactsDir: path.join(dir, 'artifacts'),
    keyFile: path.join(dir, 'key', 'local-api-key'),
    port: await freePort(),
    env: { RATE_LIMIT_PER_MIN: '10000000' },
  });
  try {
    const project = await gql<{ createProject: { id: string } }>(
      api,
      'mutation($n: String!) { createProject(name: $n) { id } }',
      { n: `bench-queue-${randomBytes(3).toString('hex')}` },
    );
    const projectId = project.createProject.id;
    const queueMs: number[] = [];
    for (let i = 0; i < JOBS; i += 10)
      await Promise.all(
        Array.from({ length: Math.min(10, JOBS - i) }, () =>
          timed(queueMs, () =>
            gql(api, 'mutation($i: QueueRunInput!) { queueRun(input: $i) { id } }', {
              i: { projectId, config: { preset: 'cifar3-cnn' }, hyperparameters: { epochs: 1 } },
            }),
          ),
        ),
      );
    const workerIds = await Promise.all(
      Array.from({ length: WORKERS }, async (_, i) => {
        const r = await gql<{ registerWorker: { id: string } }>(
          api,
          'mutation($i: RegisterWorkerInput!) { registerWorker(input: $i) { id } }',
          {
            i: {
              name: `bench-${i}`,
              host: 'bench',
              backend: 'fake',
              gpu: false,
              memoryMb: 1024,
              concurrency: 1,
            },
          },
        );
        return r.registerWorker.id;
      }),
    );
    const claimMs: number[] = [];
    const jobMs: number[] = [];
    let done = 0;
    const t0 = performance.now();
    await Promise.all(
      workerIds.map(async (w) => {
        for (;;) {
          const start = performance.now();
          const c = await timed(claimMs, () =>
            gql<{ claimJob: { id: string; runId: string } | null }>(
              api,
              'mutation($w: ID!) { claimJob(workerId: $w) { id runId } }',
              { w },
            ),
          );
          if (!c.claimJob) return;
          await gql(
            api,
            'mutation($r: ID!, $w: ID!) { startQueuedRun(runId: $r, workerId: $w) { id } }',
            {
              r: c.claimJob.runId,
              w,
            },
          );
          await gql(api, 'mutation($w: ID!, $j: ID!) { completeJob(workerId: $w, jobId: $j) }', {
            w,
            j: c.claimJob.id,
          });
          jobMs.push(performance.now() - start);
          done += 1;
        }
      }),
    );
    const elapsedS = (performance.now() - t0) / 1000;
    if (done !== JOBS) throw new Error(`queue bench: ${done} of ${JOBS} jobs completed`);
    return {
      jobsPerSec: round(done / elapsedS),
      jobs: done,
      workers: WORKERS,
      claimP50Ms: round(quantile(claimMs, 0.5)),
      claimP99Ms: round(quantile(claimMs, 0.99)),
      jobP50Ms: round(quantile(jobMs, 0.5)),
      queueRunP50Ms: round(quantile(queueMs, 0.5)),
      engine,
    };
  } catch (err) {
    console.error(api.output().slice(-4000));
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

async function dropSchemas(...schemas: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Returns this part's bench keys: `{ queue: { jobsPerSec, ..., sqlite, postgresql } }`. */
export async function benchQueueScale(): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'convscope-bench-queue-'));
  try {
    const sqlite = await benchOne(
      `file:${path.join(dir, 'sqlite', 'bench.db')}`,
      path.join(dir, 'sqlite'),
      'embedded',
    );
    console.error(`queue sqlite: ${JSON.stringify(sqlite)}`);
    let postgresql: QueueFigures | null = null;
    if (await postgresReachable()) {
      const schema = `bench_queue_${randomBytes(6).toString('hex')}`;
      try {
        postgresql = await benchOne(
          `${POSTGRES_URL}?schema=${schema}`,
          path.join(dir, 'pg'),
          'pg-boss',
        );
        console.error(`queue postgresql: ${JSON.stringify(postgresql)}`);
      } finally {
        await dropSchemas(schema, `${schema}_boss`);
      }
    }
    // Top-level jobsPerSec: the production path (pg-boss) when measured, else the embedded one.
    const main = postgresql ?? sqlite;
    return {
      queue: { jobsPerSec: main.jobsPerSec, workers: WORKERS, jobs: JOBS, sqlite, postgresql },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// `npx tsx bench/scale-queue.bench.ts` runs this part alone.
if (process.argv[1]?.endsWith('scale-queue.bench.ts')) {
  console.log(JSON.stringify(await benchQueueScale(), null, 2));
}
