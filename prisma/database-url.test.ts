import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl, repoRoot } from './database-url';

describe('parseDatabaseUrl', () => {
  it('resolves relative SQLite files against the repository root', () => {
    expect(parseDatabaseUrl('file:./data/convscope.db')).toMatchObject({
      kind: 'sqlite',
      filePath: path.join(repoRoot, 'data/convscope.db'),
    });
    expect(parseDatabaseUrl()).toMatchObject({
      kind: 'sqlite',
      filePath: path.join(repoRoot, 'data/convscope.db'),
    });
    expect(parseDatabaseUrl('file:/tmp/x.db')).toMatchObject({
      kind: 'sqlite',
      filePath: '/tmp/x.db',
    });
  });

  it('splits the schema parameter off PostgreSQL URLs', () => {
    expect(parseDatabaseUrl('postgresql://root@127.0.0.1:5432/test?schema=t_abc')).toEqual({
      kind: 'postgresql',
      url: 'postgresql://root@127.0.0.1:5432/test?schema=t_abc',
      connectionString: 'postgresql://root@127.0.0.1:5432/test',
      schema: 't_abc',
    });
    expect(parseDatabaseUrl('postgres://h/db')).toMatchObject({
      kind: 'postgresql',
      schema: 'public',
    });
    expect(() => parseDatabaseUrl('postgresql://h/db?schema=a;drop')).toThrow(/schema/);
  });
});
