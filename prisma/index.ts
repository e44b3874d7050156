// The entry point of the data project (@convscope/prisma): what the API may use of prisma/.
// The schemas, migrations and generated clients stay behind it.
export { applyMigrations } from './migrate';
export {
  DEFAULT_DATABASE_URL,
  isPostgresUrl,
  parseDatabaseUrl,
  repoRoot,
  type DatabaseTarget,
} from './database-url';
export { PrismaClient as SqliteClient } from './generated/sqlite/client';
export { PrismaClient as PostgresClient } from './generated/postgresql/client';
