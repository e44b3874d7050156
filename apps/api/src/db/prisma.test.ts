import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDatabase, sqliteConnectionOf, walAutocheckpointPages } from './prisma';

describe('SQLite WAL checkpoints', () => {
  it('SQLITE_WAL_AUTOCHECKPOINT: default 10,000 pages, a bad value refused with its name', () => {
    expect(walAutocheckpointPages({})).toBe(10_000);
    expect(walAutocheckpointPages({ SQLITE_WAL_AUTOCHECKPOINT: '500' })).toBe(500);
    for (const bad of ['0', '-1', '1.5', 'lots', '2000000'])
      expect(() => walAutocheckpointPages({ SQLITE_WAL_AUTOCHECKPOINT: bad })).toThrow(
        /SQLITE_WAL_AUTOCHECKPOINT/,
      );
  });

  it("is set on Prisma's own connection", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convscope-wal-'));
    const url = `file:${path.join(dir, 'wal.db')}`;
    const db = createDatabase(url);
    try {
      await db.prisma.$queryRawUnsafe('SELECT 1');
      const connection = sqliteConnectionOf(db.prisma);
      expect(Number(connection?.pragma('wal_autocheckpoint', { simple: true }))).toBe(10_000);
    } finally {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
