// Applies the SQL migrations in prisma/<sqlite|postgresql>/migrations without the Prisma CLI
// (`prisma migrate deploy` is unreliable offline with the pg adapter). Applied migrations are
// recorded in `_convscope_migrations`; running it again is a no-op, so the API runs it at
// every start. Usage: `npm run db:migrate` (DATABASE_URL, default file:./data/convscope.db).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { DEFAULT_DATABASE_URL, parseDatabaseUrl } from './database-url';

const here = path.dirname(fileURLToPath(import.meta.url));
const TABLE = '_convscope_migrations';

/** A migration folder: its name (sorts chronologically) and its SQL. */
interface Migration {
  name: string;
  sql: string;
}

/** Lists the migrations of one provider in order. */
function readMigrations(kind: 'sqlite' | 'postgresql'): Migration[] {
  const dir = path.join(here, kind, 'migrations');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'migration.sql')))
    .map((e) => e.name)
    .sort()
    .map((name) => ({ name, sql: fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8') }));
}

function applySqlite(filePath: string): string[] {
  if (filePath !== ':memory:') fs.mkdirSync(path.dirname(filePath), { recursive: true });
  const db = new Database(filePath);
  try {
    // WAL lets the dashboard read while a worker writes; busy_timeout waits instead of failing
    // when two processes migrate at once.
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 10000');
    db.exec(
      `CREATE TABLE IF NOT EXISTS "${TABLE}" ("name" TEXT PRIMARY KEY, "appliedAt" TEXT NOT NULL)`,
    );
    const applied: string[] = [];
    for (const m of readMigrations('sqlite')) {
      const apply = db.transaction(() => {
        // Re-checked inside the (write) transaction so a concurrent migrator cannot apply twice.
        const done = db.prepare(`SELECT 1 FROM "${TABLE}" WHERE "name" = ?`).all(m.name);
        if (done.length > 0) return false;
        db.exec(m.sql);
        db.prepare(`INSERT INTO "${TABLE}" ("name", "appliedAt") VALUES (?, ?)`).run(
          m.name,
          new Date().toISOString(),
        );
        return true;
      });
      // IMMEDIATE takes the write lock up front, so a second process waits (busy_timeout)
      // instead of failing on a read-to-write lock upgrade.
      if (apply.immediate()) applied.push(m.name);
    }
    return applied;
  } finally {
    db.close();
  }
}

async function applyPostgres(connectionString: string, schema: string): Promise<string[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    // A session-level advisory lock serialises concurrent starts against the same database.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`convscope-migrate:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`SET search_path TO "${schema}"`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS "${TABLE}" ("name" TEXT PRIMARY KEY, "appliedAt" TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    const rows = await client.query<{ name: string }>(`SELECT "name" FROM "${TABLE}"`);
    const done = new Set(rows.rows.map((r) => r.name));
    const applied: string[] = [];
    for (const m of readMigrations('postgresql')) {
      if (done.has(m.name)) continue;
      // The generated SQL creates "public"; tables themselves are unqualified and land in
      // the schema on the search_path (a per-test schema in the test suite).
      const sql = m.sql.replace(/CREATE SCHEMA IF NOT EXISTS "public";/g, '');
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query(`INSERT INTO "${TABLE}" ("name") VALUES ($1)`, [m.name]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
      applied.push(m.name);
    }
    return applied;
  } finally {
    await client
      .query('SELECT pg_advisory_unlock(hashtext($1))', [`convscope-migrate:${schema}`])
      .catch(() => undefined);
    await client.end();
  }
}

/**
 * Applies pending migrations to the database at `databaseUrl` (SQLite file or PostgreSQL).
 * Creates the SQLite file's directory and the PostgreSQL schema if missing. Idempotent.
 * @returns the names of the migrations applied by this call.
 */
export async function applyMigrations(
  databaseUrl: string = DEFAULT_DATABASE_URL,
): Promise<string[]> {
  const target = parseDatabaseUrl(databaseUrl);
  return target.kind === 'sqlite'
    ? applySqlite(target.filePath)
    : applyPostgres(target.connectionString, target.schema);
}

// CLI: `tsx prisma/migrate.ts`
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  applyMigrations(url)
    .then((applied) => {
      console.log(
        applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database is up to date.',
      );
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
