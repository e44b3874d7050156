// The one place a Prisma client is created. SQLite (default) and PostgreSQL each have their
// own generated client (one schema cannot switch provider); both expose the same model API,
// so the rest of the code is typed against the SQLite client and works with either.
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { parseDatabaseUrl, PostgresClient, SqliteClient } from '@convscope/prisma';
import { refuseNul } from './nul-guard';

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

/** Creates the Prisma client for `databaseUrl` (call once per server). */
export function createDatabase(databaseUrl: string): Database {
  const target = parseDatabaseUrl(databaseUrl);
  const log = [{ emit: 'event' as const, level: 'query' as const }];
  let queries = 0;
  const countQuery = (): void => {
    queries += 1;
  };
  let prisma: Db;
  if (target.kind === 'sqlite') {
    const adapter = new PrismaBetterSQLite3({ url: `file:${target.filePath}`, timeout: 10_000 });
    const client = new SqliteClient({ adapter, log });
    client.$on('query', countQuery);
    prisma = client;
  } else {
    const adapter = new PrismaPg(
      { connectionString: target.connectionString, options: `-c search_path="${target.schema}"` },
      { schema: target.schema },
    );
    const client = new PostgresClient({ adapter, log });
    client.$on('query', countQuery);
    // Same model API, but its own generated types (wider isolation levels): no structural match.
    prisma = client as unknown as Db;
  }
  // After $on: extended clients have no $on.
  prisma = refuseNul(prisma);
  return {
    prisma,
    kind: target.kind,
    queryCount: () => queries,
    close: () => prisma.$disconnect(),
  };
}
