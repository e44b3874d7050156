// Part of `npm run bench -- --only scale` (bench/scale.bench.ts), or alone:
// `npx tsx bench/scale-runs-query.bench.ts` (prints the JSON). The runs table at 10k, 100k and
// 1M runs (BENCH_SCALE_SIZES=10000,100000 picks sizes, BENCH_SCALE_DBS=sqlite or postgresql
// one database; BENCH_SCALE_KEEP=1 keeps and reuses the seeded databases) on SQLite and, when reachable
// (TEST_POSTGRES_URL, default postgresql://root@127.0.0.1:5432/test), PostgreSQL: each size
// on a fresh database migrated by the API, bulk-loaded with SQL that writes what the API
// writes (Run rows with JSON text hyperparameters and tags, Prisma's DateTime formats, the
// RunParam rows of the hyperparameters, checked against params.ts on a sample, four
// RunMetricSummary rows per run), then three requests over HTTP GraphQL, median of 5 after 2
// warm-ups:
// - sortByMetricMs: the first 50 runs by best.val_accuracy (no totalCount);
// - filterQueryMs: the first 50 of an AND/OR/NOT query with a hyperparameter, same sort;
// - filterCountMs: totalCount of that query.
// Not a test: nothing here asserts timings.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { startApiServer } from '../apps/api/src/server';
import { runParamRowsOfJson, type RunParamRow } from '../apps/api/src/run/query/params';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://root@127.0.0.1:5432/test';
const REPEATS = 5;
const WARMUPS = 2;
const QUERY =
  'hp.lr < 0.01 and (best.val_accuracy >= 0.9 or tag = "baseline") and not status = "FAILED"';
const NODES = 'nodes { id name status hyperparameters tags createdAt }';
const DOCUMENTS = {
  sortByMetricMs: `{ runs(orderBy: { by: { key: "best.val_accuracy" }, direction: DESC }, first: 50) { pageInfo { endCursor } ${NODES} } }`,
  filterQueryMs: `query($q: String!) { runs(filter: { query: $q }, orderBy: { by: { key: "best.val_accuracy" }, direction: DESC }, first: 50) { pageInfo { endCursor } ${NODES} } }`,
  filterCountMs: `query($q: String!) { runs(filter: { query: $q }, first: 0) { totalCount } }`,
} as const;

/** Databases to measure: BENCH_SCALE_DBS (comma-separated: sqlite, postgresql) or both. */
function databasesToMeasure(): Set<string> {
  return new Set(
    (process.env.BENCH_SCALE_DBS ?? 'sqlite,postgresql').split(',').map((s) => s.trim()),
  );
}

/** Sizes to measure: BENCH_SCALE_SIZES (comma-separated) or 10k, 100k and 1M. */
function sizes(): number[] {
  const text = process.env.BENCH_SCALE_SIZES ?? '10000,100000,1000000';
  return text
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}

// ---- Bulk loading: the same rows on both databases, generated in SQL ----
// Run i: project i % 10, learningRate from a list of 7 (as JSON.stringify writes them),
// batchSize from 3, optimizer adam/sgd, tag baseline for i % 10 = 0, FAILED for i % 50 = 0,
// created one minute apart. Metric values come from a multiplicative hash of i.

const LRS = ['0.0001', '0.0005', '0.001', '0.005', '0.01', '0.05', '0.1'];
const T0 = Date.parse('2026-01-01T00:00:00Z') / 1000;
const caseOf = (expr: string, values: string[]) =>
  `CASE ${expr} ${values.map((v, k) => `WHEN ${k} THEN '${v}'`).join(' ')} END`;
const HP = (i: string) =>
  `'{"learningRate":' || ${caseOf(`${i} % 7`, LRS)} || ',"batchSize":' || ${caseOf(`${i} % 3`, ['32', '64', '128'])} || ',"epochs":200,"optimizer":"' || (CASE WHEN ${i} % 2 = 1 THEN 'adam' ELSE 'sgd' END) || '"}'`;
const TAGS = (i: string) => `(CASE WHEN ${i} % 10 = 0 THEN '["baseline"]' ELSE '["sweep"]' END)`;
const STATUS = (i: string) => `(CASE WHEN ${i} % 50 = 0 THEN 'FAILED' ELSE 'COMPLETED' END)`;
/**
 * The RunParam rows of run i's hyperparameters as params.ts writes them: [name, num, text,
 * sortNum] (no booleans here): the aliases of learningRate and batchSize resolve to them.
 */
const PARAMS = (i: string): [string, string, string, string][] => {
  const lr = caseOf(`${i} % 7`, LRS);
  const bs = caseOf(`${i} % 3`, ['32', '64', '128']);
  const num = (text: string) => `CAST(${text} AS REAL)`;
  const lrRow = (name: string): [string, string, string, string] => [name, num(lr), lr, num(lr)];
  const bsRow = (name: string): [string, string, string, string] => [name, num(bs), bs, num(bs)];
  return [
    lrRow('learningRate'),
    lrRow('lr'),
    lrRow('learning_rate'),
    bsRow('batchSize'),
    bsRow('batch_size'),
    ['epochs', '200', `'200'`, '200'],
    ['optimizer', 'NULL', `(CASE WHEN ${i} % 2 = 1 THEN 'adam' ELSE 'sgd' END)`, 'NULL'],
  ];
};
/** The RunParam rows of run i from its Run row (the `r` of FROM (SELECT id, i FROM "Run") r). */
const paramInserts = (castInt: string) =>
  PARAMS('r.i').map(
    ([name, num, text, sortNum]) =>
      `INSERT INTO "RunParam" ("runId", "name", "num", "text", "bool", "sortNum")
       SELECT r."id", '${name}', ${num}, ${text}, NULL, ${sortNum}
       FROM (SELECT "id", CAST(substr("id", 6) AS ${castInt}) AS i FROM "Run") r`,
  );

/** Throws unless the stored RunParam rows of a sample of runs are what params.ts writes. */
function checkParams(runs: { hyperparameters: string; rows: RunParamRow[] }[]): void {
  for (const run of runs) {
    const order = (rows: RunParamRow[]) =>
      [...rows].sort((a, b) => (a.name < b.name ? -1 : 1)).map((r) => JSON.stringify(r));
    const want = order(runParamRowsOfJson(run.hyperparameters));
    const got = order(run.rows);
    if (JSON.stringify(want) !== JSON.stringify(got))
      throw new Error(`bulk-loaded RunParam rows ${got.join()} are not params.ts's ${want.join()}`);
  }
}

/** A value in [0, 1) from run number i and a salt k (integers; no overflow below 2^63). */
const U = (i: string, k: number) => `((${i} * 2654435761 + ${k * 40503}) % 1000003) / 1000003.0`;
/** name, min, max, last of each metric's summary, from run number i. */
const SUMMARIES = (i: string): [string, string, string, string][] => [
  [
    'val_accuracy',
    `0.1 + 0.05 * ${U(i, 2)}`,
    `0.75 + 0.23 * ${U(i, 1)}`,
    `0.75 + 0.23 * ${U(i, 1)} - 0.02 * ${U(i, 3)}`,
  ],
  [
    'accuracy',
    `0.1 + 0.05 * ${U(i, 4)}`,
    `0.77 + 0.22 * ${U(i, 1)}`,
    `0.77 + 0.22 * ${U(i, 1)} - 0.01 * ${U(i, 5)}`,
  ],
  ['loss', `0.1 + 0.5 * ${U(i, 6)}`, `2.4`, `0.1 + 0.5 * ${U(i, 6)} + 0.05 * ${U(i, 7)}`],
  ['val_loss', `0.15 + 0.5 * ${U(i, 8)}`, `2.45`, `0.15 + 0.5 * ${U(i, 8)} + 0.05 * ${U(i, 9)}`],
];

/** Bulk-loads `n` runs and their summaries into a migrated SQLite file. */
export function seedSqlite(file: string, n: number): void {
  const db = new Database(file);
  db.pragma('busy_timeout = 10000');
  const ts = (secs: string) =>
    `strftime('%Y-%m-%dT%H:%M:%S', ${secs}, 'unixepoch') || '.000+00:00'`;
  db.transaction(() => {
    for (let p = 0; p < 10; p++)
      db.prepare(`INSERT INTO "Project" ("id", "name", "createdAt") VALUES (?, ?, ?)`).run(
        `benchproject${p}`,
        `bench-${p}`,
        new Date(T0 * 1000).toISOString().replace('Z', '+00:00'),
      );
    db.prepare(
      `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
       INSERT INTO "Run" ("id", "projectId", "name", "status", "hyperparameters", "tags", "createdAt", "startedAt", "endedAt")
       SELECT 'bench' || printf('%07d', i), 'benchproject' || (i % 10), 'run-' || i, ${STATUS('i')}, ${HP('i')}, ${TAGS('i')},
              ${ts(`${T0} + i * 60`)}, ${ts(`${T0} + i * 60`)}, ${ts(`${T0} + i * 60 + 3600`)}
       FROM s`,
    ).run(n - 1);
    for (const statement of paramInserts('INTEGER')) db.exec(statement);
    for (const [name, min, max, last] of SUMMARIES('i'))
      db.exec(
        `INSERT INTO "RunMetricSummary" ("runId", "name", "last", "lastStep", "min", "max", "count")
         SELECT r."id", '${name}', ${last}, 199, ${min}, ${max}, 200
         FROM (SELECT "id", CAST(substr("id", 6) AS INTEGER) AS i FROM "Run") r`,
      );
  })();
  const sample = db
    .prepare(`SELECT "id", "hyperparameters" FROM "Run" WHERE "id" <= 'bench0000041'`)
    .all() as { id: string; hyperparameters: string }[];
  const rowsOf = db.prepare(
    `SELECT "name", "num", "text", CASE WHEN "bool" IS NULL THEN NULL ELSE "bool" = 1 END AS "bool", "sortNum" FROM "RunParam" WHERE "runId" = ?`,
  );
  checkParams(
    sample.map((r) => ({
      hyperparameters: r.hyperparameters,
      rows: (rowsOf.all(r.id) as RunParamRow[]).map((x) => ({
        ...x,
        bool: x.bool === null ? null : Boolean(x.bool),
      })),
    })),
  );
  db.exec('ANALYZE');
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  db.close();
}

/** Bulk-loads `n` runs and their summaries into a migrated PostgreSQL schema. */
export async function seedPostgres(schema: string, n: number): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`SET search_path TO "${schema}"`);
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO "Project" ("id", "name") SELECT 'benchproject' || p, 'bench-' || p FROM generate_series(0, 9) p`,
    );
    const ts = (secs: string) => `CAST(to_timestamp(${secs}) AT TIME ZONE 'UTC' AS timestamp(3))`;
    await client.query(
      `INSERT INTO "Run" ("id", "projectId", "name", "status", "hyperparameters", "tags", "createdAt", "startedAt", "endedAt")
       SELECT 'bench' || lpad(i::text, 7, '0'), 'benchproject' || (i % 10), 'run-' || i, ${STATUS('i')}, ${HP('i')}, ${TAGS('i')},
              ${ts(`${T0} + i * 60`)}, ${ts(`${T0} + i * 60`)}, ${ts(`${T0} + i * 60 + 3600`)}
       FROM generate_series(0::bigint, $1::bigint - 1) i`,
      [n],
    );
    // Statistics of the runs just written before the summaries' foreign-key checks plan their
    // lookups: with the migrated table's "empty" figures they scanned Run for each summary
    // (quadratic: 100k runs took over 10 minutes).
    await client.query('ANALYZE "Run"');
    for (const statement of paramInserts('bigint'))
      await client.query(statement.replace(/AS REAL\)/g, 'AS float8)'));
    for (const [name, min, max, last] of SUMMARIES('i'))
      await client.query(
        `INSERT INTO "RunMetricSummary" ("runId", "name", "last", "lastStep", "min", "max", "count")
         SELECT r."id", '${name}', ${last}, 199, ${min}, ${max}, 200
         FROM (SELECT "id", CAST(substr("id", 6) AS bigint) AS i FROM "Run") r`,
      );
    await client.query('COMMIT');
    const sample = await client.query<{ id: string; hyperparameters: string }>(
      `SELECT "id", "hyperparameters" FROM "Run" WHERE "id" <= 'bench0000041'`,
    );
    const rows = await client.query<RunParamRow & { runId: string }>(
      `SELECT "runId", "name", "num", "text", "bool", "sortNum" FROM "RunParam" WHERE "runId" <= 'bench0000041'`,
    );
    checkParams(
      sample.rows.map((r) => ({
        hyperparameters: r.hyperparameters,
        rows: rows.rows
          .filter((x) => x.runId === r.id)
          .map(({ name, num, text, bool, sortNum }) => ({ name, num, text, bool, sortNum })),
      })),
    );
    // VACUUM as autovacuum would after a bulk insert: it sets the visibility map, without which
    // the summary index's index-only scans (the COUNT's metric semi-joins) read the heap.
    await client.query('VACUUM ANALYZE');
  } finally {
    await client.end();
  }
}

// ---- Timing ----

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  if (s.length % 2) return s[mid] ?? NaN;
  return ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}

interface Figures {
  sortByMetricMs: number;
  filterQueryMs: number;
  filterCountMs: number;
  seedMs: number;
  matching: number;
  /** The 1-minute load average after the requests (the machine is often shared). */
  load1: number;
}

/** Starts the API on a fresh database, seeds it, and times the three requests. */
async function measure(databaseUrl: string, seed: () => Promise<void> | void): Promise<Figures> {
  const artifactsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convscope-bench-art-'));
  const server = await startApiServer({
    port: 0,
    host: '127.0.0.1',
    databaseUrl,
    artifactsDir,
    keyFile: path.join(artifactsDir, 'local-api-key'),
    reaperIntervalMs: 3_600_000,
  });
  try {
    const seedStart = performance.now();
    await seed();
    const seedMs = Math.round(performance.now() - seedStart);
    const ask = async (document: string) => {
      const t = performance.now();
      const res = await fetch(`http://127.0.0.1:${server.port}/graphql`, {
        method: 'POST',
        // The admin key reads every project.
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.localKey}` },
        body: JSON.stringify({ query: document, variables: { q: QUERY } }),
      });
      const body = (await res.json()) as {
        data?: { runs: { totalCount?: number } };
        errors?: unknown[];
      };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return { ms: performance.now() - t, totalCount: body.data?.runs.totalCount };
    };
    const out: Record<string, number> = {};
    let matching = 0;
    for (const [key, document] of Object.entries(DOCUMENTS)) {
      for (let i = 0; i < WARMUPS; i++) await ask(document);
      const samples: number[] = [];
      for (let i = 0; i < REPEATS; i++) {
        const r = await ask(document);
        samples.push(r.ms);
        if (r.totalCount !== undefined) matching = r.totalCount;
      }
      out[key] = Number(median(samples).toFixed(1));
    }
    return {
      sortByMetricMs: out.sortByMetricMs ?? NaN,
      filterQueryMs: out.filterQueryMs ?? NaN,
      filterCountMs: out.filterCountMs ?? NaN,
      seedMs,
      matching,
      load1: Number((os.loadavg()[0] ?? NaN).toFixed(1)),
    };
  } finally {
    await server.close();
    fs.rmSync(artifactsDir, { recursive: true, force: true });
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

/**
 * BENCH_SCALE_KEEP=1: each size's database is kept (SQLite: <tmpdir>/convscope-bench-keep-N.db,
 * PostgreSQL: schema bench_keep_N) and reused by the next run when it holds N runs (the API
 * still applies any new migration on start), so one seeding serves many measurements.
 */
const KEEP = process.env.BENCH_SCALE_KEEP === '1';

/** The number of runs in a kept database, 0 if none. */
function keptSqliteRuns(file: string): number {
  if (!fs.existsSync(file)) return 0;
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM "Run"').get() as { n: number }).n;
  } catch {
    return 0;
  } finally {
    db.close();
  }
}

async function keptPostgresRuns(schema: string): Promise<number> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    const r = await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM "${schema}"."Run"`);
    return Number(r.rows[0]?.n ?? 0);
  } catch {
    return 0;
  } finally {
    await client.end();
  }
}

async function onSqlite(n: number): Promise<Figures> {
  if (KEEP) {
    const file = path.join(os.tmpdir(), `convscope-bench-keep-${n}.db`);
    if (keptSqliteRuns(file) !== n)
      for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    const reuse = fs.existsSync(file);
    return measure(`file:${file}`, () => (reuse ? undefined : seedSqlite(file, n)));
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convscope-bench-scale-'));
  const file = path.join(dir, 'bench.db');
  try {
    return await measure(`file:${file}`, () => seedSqlite(file, n));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function onPostgres(n: number): Promise<Figures> {
  if (KEEP) {
    const schema = `bench_keep_${n}`;
    if ((await keptPostgresRuns(schema)) !== n) {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      for (const name of [schema, `${schema}_boss`])
        await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      await client.end();
      return measure(`${POSTGRES_URL}?schema=${schema}`, () => seedPostgres(schema, n));
    }
    return measure(`${POSTGRES_URL}?schema=${schema}`, () => undefined);
  }
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  try {
    return await measure(`${POSTGRES_URL}?schema=${schema}`, () => seedPostgres(schema, n));
  } finally {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    // The API's pg-boss queue keeps its own schema beside the database's.
    for (const name of [schema, `${schema}_boss`])
      await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    await client.end();
  }
}

/** Returns this part's bench keys: `{ runsQuery: { sqlite: { "10000": {...} }, postgresql } }`. */
export async function benchRunsQueryScale(): Promise<Record<string, unknown>> {
  const sqlite: Record<string, Figures> = {};
  const postgresql: Record<string, Figures> = {};
  const dbs = databasesToMeasure();
  const withPostgres = dbs.has('postgresql') && (await postgresReachable());
  for (const n of sizes()) {
    if (dbs.has('sqlite')) {
      sqlite[String(n)] = await onSqlite(n);
      console.error(`runsQuery sqlite ${n}: ${JSON.stringify(sqlite[String(n)])}`);
    }
    if (withPostgres) {
      postgresql[String(n)] = await onPostgres(n);
      console.error(`runsQuery postgresql ${n}: ${JSON.stringify(postgresql[String(n)])}`);
    }
  }
  return {
    runsQuery: {
      query: QUERY,
      sort: 'best.val_accuracy DESC, first 50',
      repeats: REPEATS,
      sqlite,
      postgresql: withPostgres ? postgresql : null,
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchRunsQueryScale()
    .then((r) => console.log(JSON.stringify(r)))
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
