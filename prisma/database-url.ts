// Parses DATABASE_URL into what each driver needs. Shared by prisma/migrate.ts and the API's
// Prisma client so that both always talk to the same file / schema.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root (relative SQLite URLs are resolved against it). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Default database: an embedded SQLite file, so a fresh checkout needs no server. */
export const DEFAULT_DATABASE_URL = 'file:./data/convscope.db';

/** A parsed DATABASE_URL. */
export type DatabaseTarget =
  | { kind: 'sqlite'; url: string; filePath: string }
  | { kind: 'postgresql'; url: string; connectionString: string; schema: string };

/** True for postgres:// and postgresql:// URLs. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/**
 * Parses a DATABASE_URL. `file:./x.db` is resolved against the repository root (not the
 * process cwd, so every entry point finds the same file); for PostgreSQL the `?schema=`
 * parameter is split off because `pg` does not understand it.
 */
export function parseDatabaseUrl(url: string = DEFAULT_DATABASE_URL): DatabaseTarget {
  if (isPostgresUrl(url)) {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get('schema') ?? 'public';
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
      throw new Error(`Invalid PostgreSQL schema name in DATABASE_URL: ${schema}`);
    }
    parsed.searchParams.delete('schema');
    return { kind: 'postgresql', url, connectionString: parsed.toString(), schema };
  }
  const raw = url.replace(/^(file|sqlite):/, '');
  if (raw === ':memory:') return { kind: 'sqlite', url, filePath: raw };
  const [withoutQuery = ''] = raw.split('?');
  const filePath = path.isAbsolute(withoutQuery)
    ? withoutQuery
    : path.resolve(repoRoot, withoutQuery);
  return { kind: 'sqlite', url, filePath };
}
