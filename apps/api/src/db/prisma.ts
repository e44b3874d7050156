// The one place a Prisma client is created. SQLite (default) and PostgreSQL each have their
// own generated client (one schema cannot switch provider); both expose the same model API,
// so the rest of the code is typed against the SQLite client and works with either.
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { parseDatabaseUrl, PostgresClient, SqliteClient } from '@convscope/prisma';
import { refuseNul } from './nul-guard';
import { attachSqliteReader, SqliteReadPool } from './sqlite-read-pool';

/** The Prisma client type the repositories use (identical model API on both databases). */
export type Db = InstanceType<typeof SqliteClient>;

/** A connected database plus a query counter (used to prove DataLoader batching). */
export interface Database {
  prisma: Db;
  kind: 'sqlite' | 'postgresql';
  /** Number of SQL statements Prisma has sent since creation. */
  queryCount(): number;
  close(): Promise<void>;
}

const sqliteConnections = new WeakMap<object, () => BetterSqlite3.Database | null>();
const pgPools = new WeakMap<object, pg.Pool>();

/**
 * The pg pool Prisma itself uses for a PostgreSQL client (null on SQLite). For hot write paths
 * (logMetrics) that run a whole transaction on one of its connections with node-pg's own
 * protocol (named prepared statements, none of Prisma's per-statement costs).
 */
export function pgPoolOf(prisma: object): pg.Pool | null {
  return pgPools.get(prisma) ?? null;
}

/**
 * The better-sqlite3 connection Prisma itself uses for a SQLite client (null before Prisma's
 * first query, and on PostgreSQL). For hot write paths (logMetrics) that run a whole
 * transaction synchronously on it: nothing else can interleave on that one connection, and
 * none of Prisma's per-statement costs are paid. A caller must not start one while
 * `inTransaction` (a Prisma interactive transaction is open on the connection).
 */
export function sqliteConnectionOf(prisma: object): BetterSqlite3.Database | null {
  return sqliteConnections.get(prisma)?.() ?? null;
}

/** SQLITE_WAL_AUTOCHECKPOINT: WAL pages between automatic checkpoints (SQLite's own default: 1,000). */
export function walAutocheckpointPages(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SQLITE_WAL_AUTOCHECKPOINT;
  const n = raw === undefined || raw === '' ? 10_000 : Number(raw);
  if (!Number.isSafeInteger(n) || n < 1 || n > 1_000_000)
    throw new Error(
      `SQLITE_WAL_AUTOCHECKPOINT must be an integer from 1 to 1,000,000, got "${raw}"`,
    );
  return n;
}

/** Creates the Prisma client for `databaseUrl` (call once per server). */
export function createDatabase(databaseUrl: string): Database {
  const target = parseDatabaseUrl(databaseUrl);
  const log = [{ emit: 'event' as const, level: 'query' as const }];
  let queries = 0;
  const countQuery = (): void => {
    queries += 1;
  };
  let prisma: Db;
  let readPool: SqliteReadPool | null = null;
  let connection: BetterSqlite3.Database | null = null;
  let pool: pg.Pool | null = null;
  if (target.kind === 'sqlite') {
    const walPages = walAutocheckpointPages();
    const adapter = new PrismaBetterSQLite3({ url: `file:${target.filePath}`, timeout: 10_000 });
    // Keep the connection the adapter opens (its `client`), for sqliteConnectionOf.
    const connect = adapter.connect.bind(adapter);
    adapter.connect = async () => {
      const opened = await connect();
      connection = (opened as unknown as { client?: BetterSqlite3.Database }).client ?? null;
      // Checkpoint the WAL every SQLITE_WAL_AUTOCHECKPOINT pages (default 10,000, ~40 MB)
      // instead of SQLite's 1,000: hot pages (summaries, top levels, the runs' tails) rewritten
      // by every metric batch are copied back once per checkpoint, not once per 1,000 pages
      // (ingest bench: ~0.4-0.6 ms less API CPU per 100-point batch). Bounded all the same.
      connection?.pragma(`wal_autocheckpoint = ${walPages}`);
      return opened;
    };
    const client = new SqliteClient({ adapter, log });
    client.$on('query', countQuery);
    prisma = client;
  } else {
    // jit=off: the runs query's COUNTs over 1M runs cost past jit_above_cost, and compiling
    // them took longer than the few hundred ms they run (bench/scale-runs-query.bench.ts).
    // The pool is ours (Prisma's adapter takes it), so logMetrics can borrow its connections.
    pool = new pg.Pool({
      connectionString: target.connectionString,
      options: `-c search_path="${target.schema}" -c jit=off`,
    });
    const adapter = new PrismaPg(pool, { schema: target.schema });
    const client = new PostgresClient({ adapter, log });
    client.$on('query', countQuery);
    // Same model API, but its own generated types (wider isolation levels): no structural match.
    prisma = client as unknown as Db;
  }
  // After $on: extended clients have no $on.
  prisma = refuseNul(prisma);
  if (target.kind === 'sqlite') sqliteConnections.set(prisma, () => connection);
  if (pool) pgPools.set(prisma, pool);
  // Slow SQLite reads run on worker threads (sqlite-read-pool.ts); SQLITE_READ_THREADS=0 keeps
  // them on the main connection. An in-memory database has no file another connection can open.
  const threads = Number(process.env.SQLITE_READ_THREADS ?? 2);
  if (target.kind === 'sqlite' && target.filePath !== ':memory:' && threads > 0) {
    readPool = new SqliteReadPool({
      filePath: target.filePath,
      size: threads,
      timeoutMs: Number(process.env.SQLITE_READ_TIMEOUT_MS ?? 30_000),
    });
    attachSqliteReader(prisma, readPool);
  }
  return {
    prisma,
    kind: target.kind,
    queryCount: () => queries,
    close: async () => {
      await readPool?.close();
      await prisma.$disconnect();
      const ours = pool;
      pool = null;
      await ours?.end();
    },
  };
}
