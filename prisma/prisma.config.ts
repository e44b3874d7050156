// Prisma CLI configuration. Prisma 6 with the JS engine and a driver adapter works
// fully offline (no schema-engine binary download). The schema folder is picked from
// DATABASE_URL: postgresql:// -> prisma/postgresql, anything else -> prisma/sqlite.
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';

const url = process.env.DATABASE_URL ?? 'file:./data/convscope.db';
const isPostgres = /^postgres(ql)?:\/\//.test(url);
const here = path.dirname(new URL(import.meta.url).pathname);

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join(here, isPostgres ? 'postgresql' : 'sqlite'),
  migrations: { path: path.join(here, isPostgres ? 'postgresql' : 'sqlite', 'migrations') },
  adapter: async () =>
    isPostgres ? new PrismaPg({ connectionString: url }) : new PrismaBetterSQLite3({ url }),
});
