// prisma/migrate.ts: idempotent and safe when several processes start at once.
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { applyMigrations, parseDatabaseUrl, repoRoot } from '@convscope/prisma';
import { databases } from './helpers';

async function appliedNames(url: string): Promise<string[]> {
  const target = parseDatabaseUrl(url);
  if (target.kind === 'sqlite') {
    const db = new Database(target.filePath);
    try {
      return db
        .prepare<[], { name: string }>('SELECT name FROM "_convscope_migrations" ORDER BY name')
        .all()
        .map((r) => r.name);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  try {
    const r = await client.query<{ name: string }>(
      `SELECT name FROM "${target.schema}"."_convscope_migrations" ORDER BY name`,
    );
    return r.rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

const migrationsRoot = path.join(repoRoot, 'prisma');

/**
 * Runs SQL statements on the database of `url` (PostgreSQL: in its schema, created if missing).
 * Used to build a database as an older release left it.
 */
async function execSql(url: string, statements: string[]): Promise<void> {
  const target = parseDatabaseUrl(url);
  if (target.kind === 'sqlite') {
    fs.mkdirSync(path.dirname(target.filePath), { recursive: true });
    const db = new Database(target.filePath);
    try {
      for (const sql of statements) db.exec(sql);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${target.schema}"`);
    await client.query(`SET search_path TO "${target.schema}"`);
    for (const sql of statements)
      await client.query(sql.replace(/CREATE SCHEMA IF NOT EXISTS "public";/g, ''));
  } finally {
    await client.end();
  }
}

async function queryRows<T>(url: string, sql: string): Promise<T[]> {
  const target = parseDatabaseUrl(url);
  if (target.kind === 'sqlite') {
    const db = new Database(target.filePath);
    try {
      return db.prepare<[], T>(sql).all();
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  try {
    await client.query(`SET search_path TO "${target.schema}"`);
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe.each(databases)('migrations on $label', (db) => {
  it('backfill RunMetricSummary from the points stored before it existed', async () => {
    const fresh = await db.create();
    try {
      const dir = path.join(migrationsRoot, db.label, 'migrations');
      const older = fs
        .readdirSync(dir)
        .filter((n) => /^\d+_(init|evaluation)$/.test(n))
        .sort();
      const ts =
        db.label === 'sqlite' ? "'2026-11-01T00:00:00.000+00:00'" : "'2026-11-01 00:00:00'";
      await execSql(fresh.url, [
        ...older.map((n) => fs.readFileSync(path.join(dir, n, 'migration.sql'), 'utf8')),
        `CREATE TABLE "_convscope_migrations" ("name" TEXT PRIMARY KEY, "appliedAt" ${db.label === 'sqlite' ? 'TEXT NOT NULL' : 'TIMESTAMPTZ NOT NULL DEFAULT now()'})`,
        ...older.map(
          (n) => `INSERT INTO "_convscope_migrations" ("name", "appliedAt") VALUES ('${n}', ${ts})`,
        ),
        `INSERT INTO "Project" ("id", "name") VALUES ('p1', 'old')`,
        `INSERT INTO "Run" ("id", "projectId", "name") VALUES ('r1', 'p1', 'old-run')`,
        `INSERT INTO "MetricPoint" ("runId", "name", "step", "value", "time") VALUES
           ('r1', 'loss', 0, 2.5, ${ts}), ('r1', 'loss', 3, 0.75, ${ts}), ('r1', 'loss', 1, 0.5, ${ts}), ('r1', 'acc', 0, 0.25, ${ts})`,
      ]);
      // Everything after the two older migrations, the summary backfill first.
      const newer = fs
        .readdirSync(dir)
        .filter((n) => /^\d+_/.test(n) && !older.includes(n))
        .sort();
      expect(newer[0]).toMatch(/_run_metric_summary$/);
      expect(await applyMigrations(fresh.url)).toEqual(newer);
      const rows = await queryRows<Record<string, unknown>>(
        fresh.url,
        `SELECT "runId", "name", "last", "lastStep", "min", "max", "count" FROM "RunMetricSummary" ORDER BY "name"`,
      );
      expect(rows.map((r) => ({ ...r, count: Number(r.count) }))).toEqual([
        { runId: 'r1', name: 'acc', last: 0.25, lastStep: 0, min: 0.25, max: 0.25, count: 1 },
        { runId: 'r1', name: 'loss', last: 0.75, lastStep: 3, min: 0.5, max: 2.5, count: 3 },
      ]);
    } finally {
      await fresh.dispose();
    }
  });

  it('apply once, then are a no-op, also when run concurrently', async () => {
    const fresh = await db.create();
    try {
      const results = await Promise.all([
        applyMigrations(fresh.url),
        applyMigrations(fresh.url),
        applyMigrations(fresh.url),
      ]);
      // Every migration is applied by exactly one of the concurrent callers.
      const applied = results.flat().sort();
      expect(await applyMigrations(fresh.url)).toEqual([]);
      const names = await appliedNames(fresh.url);
      expect(applied).toEqual(names);
      // Every migration folder, in name (timestamp) order.
      const dir = path.join(migrationsRoot, db.label, 'migrations');
      expect(names).toEqual(
        fs
          .readdirSync(dir)
          .filter((n) => /^\d+_/.test(n))
          .sort(),
      );
      expect(names.slice(0, 3).map((n) => n.replace(/^\d+_/, ''))).toEqual([
        'init',
        'evaluation',
        'run_metric_summary',
      ]);
    } finally {
      await fresh.dispose();
    }
  });
});
