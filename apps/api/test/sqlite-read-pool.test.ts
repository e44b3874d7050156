// SQLite reads off the event loop (db/sqlite-read-pool.ts): the runs query's page and count run
// on worker threads with their own read-only connections, so while a slow runs query is in
// flight the API still answers other requests; plus the pool's own rules (reads only, a time
// budget after which the caller gets QUERY_TIMEOUT and the pool keeps serving, clean close).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '@convscope/prisma';
import { SqliteReadPool, sqliteReadsInFlight } from '../src/db/sqlite-read-pool';
import { createRun, databases, startTestApi, uniq, type TestApi } from './helpers';

const sqlite = databases.find((d) => d.label === 'sqlite')!;
/** Enough runs that the slow query below takes a while on any machine. */
const RUNS = 60_000;
/** Every run whose number is a multiple of this is named with an "é". */
const MARKED_EVERY = 1000;

/** Copies `n` runs of project `projectId` into the file in one statement (as the API stores them). */
function seedRuns(file: string, projectId: string, n: number): void {
  const db = new Database(file);
  db.pragma('busy_timeout = 10000');
  db.prepare(
    `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
     INSERT INTO "Run" ("id", "projectId", "name", "status", "hyperparameters", "tags", "createdAt")
     SELECT 'poolrun' || printf('%07d', i), ?, CASE WHEN i % ? = 0 THEN 'run-é-' || i ELSE 'run-' || i END,
            'COMPLETED', '{"lr":0.01,"optimizer":"adam","note":"' || hex(randomblob(16)) || '"}', '["sweep"]',
            strftime('%Y-%m-%dT%H:%M:%S', 1767225600 + i, 'unixepoch') || '.000+00:00'
     FROM s`,
  ).run(n, projectId, MARKED_EVERY);
  db.close();
}

/** Resolves once a read is running or queued in a pool of this process (or fails after `max` polls). */
async function readInFlight(max = 2000): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (sqliteReadsInFlight() > 0) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('no SQLite read reached the read pool');
}

describe('SQLite read pool: slow runs queries off the event loop', () => {
  let api: TestApi;
  let project: string;
  beforeAll(async () => {
    api = await startTestApi(sqlite);
    project = uniq('pool');
    await createRun(api, { project, name: 'first' });
    const [row] = (
      await api.ok<{ runs: { nodes: { project: { id: string } }[] } }>(
        `query($p: [String!]) { runs(filter: { projects: $p }, first: 1) { nodes { project { id } } } }`,
        { p: [project] },
      )
    ).runs.nodes;
    seedRuns(api.databaseUrl.replace(/^file:/, ''), row!.project.id, RUNS);
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
  });

  it('answers a trivial request while a slow runs query is in flight, then the query', async () => {
    // `~` with a non-ASCII needle folds Latin-1 letters with a chain of replace() per run and
    // value: a slow COUNT over every run (and a scan for the page).
    const slowQuery = `name ~ "é" or hp.optimizer ~ "é" or hp.note ~ "é"`;
    let slowDone = false;
    const slow = api
      .ok<{ runs: { totalCount: number; nodes: { name: string }[] } }>(
        `query($q: String!, $p: [String!]) { runs(filter: { query: $q, projects: $p }, first: 5) { totalCount nodes { name } } }`,
        { q: slowQuery, p: [project] },
      )
      .finally(() => {
        slowDone = true;
      });
    await readInFlight();
    const trivial = await api.ok<{ __typename: string }>('{ __typename }');
    const health = await api.fetch('/healthz');
    // Ordering, not timing: both answered while the runs query was still being read.
    expect(trivial.__typename).toBe('Query');
    expect(health.status).toBe(200);
    expect(slowDone).toBe(false);
    const result = await slow;
    expect(result.runs.totalCount).toBe(Math.floor(RUNS / MARKED_EVERY));
    expect(result.runs.nodes).toHaveLength(5);
    for (const n of result.runs.nodes) expect(n.name).toContain('é');
  }, 120_000);
});

describe('SQLite read pool', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convscope-read-pool-'));
    file = path.join(dir, 'pool.db');
    await applyMigrations(`file:${file}`);
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs reads with parameters and refuses statements that write', async () => {
    const pool = new SqliteReadPool({ filePath: file, size: 1 });
    try {
      const rows = await pool.read('SELECT ? + 1 AS "n", ? AS "s", ? AS "b"', [41, 'x', true]);
      expect(rows).toEqual([{ n: 42, s: 'x', b: 1 }]);
      await expect(pool.read(`DELETE FROM "Run"`, [])).rejects.toThrow(/only statements that read/);
      await expect(pool.read('SELECT nope FROM "Run"', [])).rejects.toThrow(/no such column/);
      await expect(pool.read('SELECT ? AS "s"', ['a\u0000b'])).rejects.toMatchObject({
        extensions: { code: 'BAD_USER_INPUT' },
      });
      // Still serving after those errors.
      expect(await pool.read('SELECT 7 AS "n"', [])).toEqual([{ n: 7 }]);
    } finally {
      await pool.close();
    }
  });

  it('abandons a read past its budget with QUERY_TIMEOUT and keeps serving', async () => {
    const pool = new SqliteReadPool({ filePath: file, size: 1, timeoutMs: 300 });
    // Counts to 300 million inside SQLite: seconds, far past the 300 ms budget.
    const long = `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000000) SELECT count(*) AS "n" FROM c`;
    await expect(pool.read(long, [])).rejects.toMatchObject({
      extensions: { code: 'QUERY_TIMEOUT' },
    });
    // The busy thread was retired: a new one serves the next read.
    expect(await pool.read('SELECT 1 AS "n"', [])).toEqual([{ n: 1 }]);
    expect(pool.inFlight).toBe(0);
    await pool.close();
    await expect(pool.read('SELECT 1', [])).rejects.toThrow(/closed/);
  });
});
