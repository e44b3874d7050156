// `npx tsx bench/runs-query.bench.ts`: time of the runs query language at the API. Seeds 2,000
// runs × 200 epochs × 4 metrics (raw SQL, then RunMetricSummary filled the way the migration
// backfills it) into a temp SQLite file, and into a fresh PostgreSQL schema when one is
// reachable (TEST_POSTGRES_URL, default postgresql://root@127.0.0.1:5432/test), then times the
// example query (filter + sort by best.val_accuracy) over HTTP GraphQL. Prints one JSON object.
// Not a test: nothing here asserts timings.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { startApiServer } from '../apps/api/src/server';
import { runParamRowsOfJson } from '../apps/api/src/run/query/params';

const RUNS = Number(process.env.BENCH_RUNS ?? 2000);
const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 200);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 9);
const METRICS = ['loss', 'accuracy', 'val_loss', 'val_accuracy'] as const;
const QUERY = 'hp.lr < 0.01 and (best.val_accuracy >= 0.9 or tag = "baseline")';
const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://root@127.0.0.1:5432/test';
const DOCUMENT = `query($query: String!) {
  runs(filter: { query: $query }, orderBy: { by: { key: "best.val_accuracy" }, direction: DESC }, first: 50) {
    totalCount pageInfo { endCursor hasNextPage } nodes { id name hyperparameters tags }
  }
}`;

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SeedRun {
  id: string;
  name: string;
  hyperparameters: string;
  tags: string;
  createdAt: Date;
  points: [name: string, step: number, value: number][];
}

function makeRuns(): SeedRun[] {
  const rand = rng(42);
  const lrs = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1];
  const t0 = Date.parse('2026-11-01T00:00:00Z');
  return Array.from({ length: RUNS }, (_, i) => {
    const ceiling = 0.75 + rand() * 0.23;
    const speed = 0.02 + rand() * 0.08;
    const points: SeedRun['points'] = [];
    for (let step = 0; step < EPOCHS; step++) {
      const progress = 1 - Math.exp(-speed * (step + 1));
      const noise = (rand() - 0.5) * 0.02;
      const acc = ceiling * progress + noise;
      points.push(
        ['accuracy', step, acc + 0.02],
        ['val_accuracy', step, acc],
        ['loss', step, 2.3 * (1 - progress) + 0.1 + noise],
        ['val_loss', step, 2.3 * (1 - progress) + 0.15 - noise],
      );
    }
    return {
      id: `bench${String(i).padStart(5, '0')}`,
      name: `run-${i}`,
      hyperparameters: JSON.stringify({
        learningRate: lrs[i % lrs.length],
        batchSize: [32, 64, 128][i % 3],
        epochs: EPOCHS,
        optimizer: i % 2 ? 'adam' : 'sgd',
      }),
      tags: JSON.stringify(i % 10 === 0 ? ['baseline'] : ['sweep']),
      createdAt: new Date(t0 + i * 60_000),
      points,
    };
  });
}

const SUMMARY_SQL = `INSERT INTO "RunMetricSummary" ("runId", "name", "last", "lastStep", "min", "max", "count")
  SELECT p."runId", p."name",
         (SELECT q."value" FROM "MetricPoint" q WHERE q."runId" = p."runId" AND q."name" = p."name" ORDER BY q."step" DESC LIMIT 1),
         MAX(p."step"), MIN(p."value"), MAX(p."value"), COUNT(*)
  FROM "MetricPoint" p GROUP BY p."runId", p."name"`;

function seedSqlite(filePath: string, runs: SeedRun[]): void {
  const db = new Database(filePath);
  const ts = (d: Date) => d.toISOString().replace('Z', '+00:00');
  const project = db.prepare(`INSERT INTO "Project" ("id", "name", "createdAt") VALUES (?, ?, ?)`);
  const run = db.prepare(
    `INSERT INTO "Run" ("id", "projectId", "name", "status", "hyperparameters", "tags", "createdAt", "startedAt", "endedAt") VALUES (?, ?, ?, 'COMPLETED', ?, ?, ?, ?, ?)`,
  );
  const point = db.prepare(
    `INSERT INTO "MetricPoint" ("runId", "name", "step", "value", "time") VALUES (?, ?, ?, ?, ?)`,
  );
  // The indexed hyperparameters the API writes with each run (run/query/params.ts).
  const param = db.prepare(
    `INSERT INTO "RunParam" ("runId", "name", "num", "text", "bool", "sortNum") VALUES (?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    project.run('benchproject', 'bench', ts(new Date()));
    for (const r of runs) {
      run.run(
        r.id,
        'benchproject',
        r.name,
        r.hyperparameters,
        r.tags,
        ts(r.createdAt),
        ts(r.createdAt),
        ts(new Date(r.createdAt.getTime() + 3_600_000)),
      );
      for (const p of runParamRowsOfJson(r.hyperparameters))
        param.run(r.id, p.name, p.num, p.text, p.bool === null ? null : Number(p.bool), p.sortNum);
      const time = ts(r.createdAt);
      for (const [name, step, value] of r.points) point.run(r.id, name, step, value, time);
    }
    db.exec(SUMMARY_SQL);
  })();
  db.exec('ANALYZE');
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  db.close();
}

async function seedPostgres(
  connectionString: string,
  schema: string,
  runs: SeedRun[],
): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`SET search_path TO "${schema}"`);
    await client.query('BEGIN');
    await client.query(`INSERT INTO "Project" ("id", "name") VALUES ('benchproject', 'bench')`);
    await client.query(
      `INSERT INTO "Run" ("id", "projectId", "name", "status", "hyperparameters", "tags", "createdAt", "startedAt", "endedAt")
       SELECT id, 'benchproject', name, 'COMPLETED', hp, tags, c::timestamp(3), c::timestamp(3), c::timestamp(3) + interval '1 hour'
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(id, name, hp, tags, c)`,
      [
        runs.map((r) => r.id),
        runs.map((r) => r.name),
        runs.map((r) => r.hyperparameters),
        runs.map((r) => r.tags),
        runs.map((r) => r.createdAt.toISOString().replace('Z', '')),
      ],
    );
    // The indexed hyperparameters the API writes with each run (run/query/params.ts).
    const params = runs.flatMap((r) =>
      runParamRowsOfJson(r.hyperparameters).map((p) => ({ runId: r.id, ...p })),
    );
    await client.query(
      `INSERT INTO "RunParam" ("runId", "name", "num", "text", "bool", "sortNum")
       SELECT * FROM unnest($1::text[], $2::text[], $3::float8[], $4::text[], $5::boolean[], $6::float8[])`,
      [
        params.map((p) => p.runId),
        params.map((p) => p.name),
        params.map((p) => p.num),
        params.map((p) => p.text),
        params.map((p) => p.bool),
        params.map((p) => p.sortNum),
      ],
    );
    for (let i = 0; i < runs.length; i += 50) {
      const chunk = runs.slice(i, i + 50);
      const rows = chunk.flatMap((r) => r.points.map((p) => [r.id, ...p] as const));
      await client.query(
        `INSERT INTO "MetricPoint" ("runId", "name", "step", "value", "time")
         SELECT r, n, s, v, now() FROM unnest($1::text[], $2::text[], $3::int[], $4::float8[]) AS u(r, n, s, v)`,
        [
          rows.map((x) => x[0]),
          rows.map((x) => x[1]),
          rows.map((x) => x[2]),
          rows.map((x) => x[3]),
        ],
      );
    }
    await client.query(SUMMARY_SQL);
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  // NaN for an empty list.
  if (s.length % 2) return s[mid] ?? NaN;
  return ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}

async function timeQuery(
  databaseUrl: string,
  seed: () => Promise<void>,
): Promise<Record<string, unknown>> {
  const artifactsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convscope-bench-art-'));
  // The server applies the migrations (creating the tables), then the data is seeded beside it.
  const server = await startApiServer({
    port: 0,
    host: '127.0.0.1',
    databaseUrl,
    artifactsDir,
    keyFile: path.join(artifactsDir, 'local-api-key'),
  });
  try {
    const seedStart = performance.now();
    await seed();
    const seedMs = performance.now() - seedStart;
    const ask = async () => {
      const t = performance.now();
      const res = await fetch(`http://127.0.0.1:${server.port}/graphql`, {
        method: 'POST',
        // The admin key reads every project (an anonymous caller would see none).
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.localKey}` },
        body: JSON.stringify({ query: DOCUMENT, variables: { query: QUERY } }),
      });
      const body = (await res.json()) as {
        data?: { runs: { totalCount: number } };
        errors?: unknown[];
      };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return { ms: performance.now() - t, totalCount: body.data!.runs.totalCount };
    };
    for (let i = 0; i < 3; i++) await ask(); // warm-up (JIT, connection pool, page cache)
    const samples: number[] = [];
    let totalCount = 0;
    for (let i = 0; i < REPEATS; i++) {
      const r = await ask();
      samples.push(r.ms);
      totalCount = r.totalCount;
    }
    return {
      seedMs: Math.round(seedMs),
      matching: totalCount,
      medianMs: Number(median(samples).toFixed(1)),
      minMs: Number(Math.min(...samples).toFixed(1)),
      maxMs: Number(Math.max(...samples).toFixed(1)),
    };
  } finally {
    await server.close();
    fs.rmSync(artifactsDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const runs = makeRuns();
  const result: Record<string, unknown> = {
    runs: RUNS,
    epochs: EPOCHS,
    metrics: METRICS.length,
    points: RUNS * EPOCHS * METRICS.length,
    query: QUERY,
    sort: 'best.val_accuracy DESC',
    repeats: REPEATS,
  };

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convscope-bench-'));
  const file = path.join(dir, 'bench.db');
  try {
    result.sqlite = await timeQuery(`file:${file}`, async () => seedSqlite(file, runs));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  if (await postgresReachable()) {
    const schema = `bench_${randomBytes(4).toString('hex')}`;
    try {
      result.postgresql = await timeQuery(`${POSTGRES_URL}?schema=${schema}`, () =>
        seedPostgres(POSTGRES_URL, schema, runs),
      );
    } finally {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  } else {
    result.postgresql = null;
  }
  console.log(JSON.stringify(result));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
