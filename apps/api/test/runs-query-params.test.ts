// The indexed hyperparameters (RunParam, apps/api/src/run/query/params.ts): the rows the API
// writes with a run against hand-computed values, and the rows migration
// 20261207210000_run_params backfills for runs stored before it, on SQLite and PostgreSQL, which
// must be the ones the API would have written (the runs query reads either the same way).
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { applyMigrations, parseDatabaseUrl, repoRoot } from '@convscope/prisma';
import {
  paramName,
  runParamRows,
  runParamRowsOfJson,
  type RunParamRow,
} from '../src/run/query/params';
import { hyperparameter } from '../src/run/query/evaluate';
import { databases } from './helpers';

const MIGRATION = '20261207210000_run_params';

/** Hyperparameters with the edge cases of hyperparameter(): aliases, dots, arrays, types. */
const CASES: Record<string, unknown>[] = [
  {},
  { learningRate: 0.01, batchSize: 32, epochs: 200, optimizer: 'adam' },
  { lr: '0.5', learningRate: 1e-7, batch_size: '32' },
  { learning_rate: null, lr: 3, batchSize: null, batch_size: 8 },
  { opt: { name: 'adam', beta: [0.9, 0.999] }, 'opt.name': 'literal' },
  { 'a.b': { c: 1 }, a: { b: { c: 2, d: null } }, x: { 'y.z': 1 } },
  { layers: [{ units: 64 }, 'x', [1, 2], null, true], flag: true, off: false },
  { s: '', w: ' 7 ', e: '1e-3', f: '.5', t: 'adam', big: 1e21, neg: -0, tiny: 5e-324 },
  { 'key "quoted"': 1, 'back\\slash': 'v', é: 'ü', '': 5, 'a b': { '': 'empty' } },
  { deep: { a: { b: { c: { d: [[[]]] } } } }, empty: {}, list: [] },
  JSON.parse('{"__proto__": {"x": 1}, "constructor": 2}') as Record<string, unknown>,
];

const byName = (rows: RunParamRow[]) => [...rows].sort((a, b) => (a.name < b.name ? -1 : 1));

describe('RunParam rows (params.ts)', () => {
  it('hold what hyperparameter() reads for each name, aliases and paths resolved', () => {
    const rows = runParamRows({
      learningRate: 0.001,
      lr: '1e-2',
      opt: { name: 'sgd', momentum: [0.9] },
      'opt.name': 'literal',
      flag: false,
      gone: null,
    });
    const row = (name: string) => rows.find((r) => r.name === name);
    // hp.lr reads lr first; hp.learningRate and hp.learning_rate read learningRate.
    expect(row('lr')).toEqual({ name: 'lr', num: 0.01, text: '1e-2', bool: null, sortNum: null });
    expect(row('learningRate')).toEqual({
      name: 'learningRate',
      num: 0.001,
      text: '0.001',
      bool: null,
      sortNum: 0.001,
    });
    expect(row('learning_rate')?.num).toBe(0.001);
    // A top-level dotted key wins over the nested path; the nested keys are names too.
    expect(row('opt.name')?.text).toBe('literal');
    expect(row('opt.momentum.0')?.num).toBe(0.9);
    expect(row('opt.momentum.length')?.num).toBe(1);
    expect(row('opt')?.text).toBe('{"name":"sgd","momentum":[0.9]}');
    expect(row('flag')).toEqual({ name: 'flag', num: null, text: null, bool: false, sortNum: 0 });
    // JSON null and absent names have no row; batchSize has none either.
    expect(row('gone')).toBeUndefined();
    expect(row('batchSize')).toBeUndefined();
    expect(rows.map((r) => r.name).sort()).toEqual(
      [
        'flag',
        'learningRate',
        'learning_rate',
        'lr',
        'opt',
        'opt.momentum',
        'opt.momentum.0',
        'opt.momentum.length',
        'opt.name',
      ].sort(),
    );
  });

  it('agree with hyperparameter() for every case, and hash names too long to index', () => {
    for (const hp of CASES)
      for (const r of runParamRows(hp)) {
        const v = hyperparameter(hp, r.name);
        expect(v, r.name).not.toBeUndefined();
        expect(v, r.name).not.toBeNull();
        if (typeof v === 'number') expect(r.sortNum).toBe(v);
      }
    const long = 'x'.repeat(300);
    const [row] = runParamRows({ [long]: 1 }).filter((r) => r.num === 1);
    expect(row?.name).toBe(paramName(long));
    expect(row?.name).toMatch(/^\u0001h:[0-9a-f]{64}$/);
    expect(paramName('\u0001h:abc')).not.toBe('\u0001h:abc');
    // A NUL cannot be stored in PostgreSQL text.
    expect(runParamRows({ s: 'a\u0000b' })[0]?.text).toBe('a\ufffdb');
    expect(runParamRows({ 'a\u0000': 1 })).toEqual([]);
  });
});

/** Runs SQL statements on the database of `url` (PostgreSQL: in its schema). */
async function execSql(url: string, statements: string[], params: unknown[][] = []) {
  const target = parseDatabaseUrl(url);
  if (target.kind === 'sqlite') {
    fs.mkdirSync(path.dirname(target.filePath), { recursive: true });
    const db = new Database(target.filePath);
    try {
      statements.forEach((s, i) => {
        const p = params[i];
        if (p) db.prepare(s).run(...p);
        else db.exec(s);
      });
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
    for (const [i, s] of statements.entries())
      await client.query(s.replace(/CREATE SCHEMA IF NOT EXISTS "public";/g, ''), params[i]);
  } finally {
    await client.end();
  }
}

async function storedParams(url: string): Promise<(RunParamRow & { runId: string })[]> {
  const sql = `SELECT "runId", "name", "num", "text", "bool", "sortNum" FROM "RunParam"`;
  const target = parseDatabaseUrl(url);
  if (target.kind === 'sqlite') {
    const db = new Database(target.filePath);
    try {
      const rows = db.prepare(sql).all() as (RunParamRow & { runId: string })[];
      return rows.map((r) => ({ ...r, bool: r.bool === null ? null : Boolean(r.bool) }));
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  try {
    await client.query(`SET search_path TO "${target.schema}"`);
    return (await client.query<RunParamRow & { runId: string }>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe.each(databases)('migration run_params on $label', (db) => {
  it('backfills the rows the API writes for the runs stored before it', async () => {
    const fresh = await db.create();
    try {
      const dir = path.join(repoRoot, 'prisma', db.label, 'migrations');
      const older = fs
        .readdirSync(dir)
        .filter((n) => /^\d+_/.test(n) && n < MIGRATION)
        .sort();
      const ts =
        db.label === 'sqlite' ? "'2026-11-01T00:00:00.000+00:00'" : "'2026-11-01 00:00:00'";
      const insertRun = `INSERT INTO "Run" ("id", "projectId", "name", "hyperparameters") VALUES (${db.label === 'sqlite' ? '?, ?, ?, ?' : '$1, $2, $3, $4'})`;
      await execSql(
        fresh.url,
        [
          ...older.map((n) => fs.readFileSync(path.join(dir, n, 'migration.sql'), 'utf8')),
          `CREATE TABLE "_convscope_migrations" ("name" TEXT PRIMARY KEY, "appliedAt" ${db.label === 'sqlite' ? 'TEXT NOT NULL' : 'TIMESTAMPTZ NOT NULL DEFAULT now()'})`,
          ...older.map(
            (n) =>
              `INSERT INTO "_convscope_migrations" ("name", "appliedAt") VALUES ('${n}', ${ts})`,
          ),
          `INSERT INTO "Project" ("id", "name") VALUES ('p1', 'old')`,
          ...CASES.map(() => insertRun),
        ],
        [
          ...older.map(() => []),
          [],
          ...older.map(() => []),
          [],
          ...CASES.map((hp, i) => [`r${i}`, 'p1', `run-${i}`, JSON.stringify(hp)]),
        ].map((p) => (p.length ? p : undefined)) as unknown[][],
      );
      expect(await applyMigrations(fresh.url)).toContain(MIGRATION);
      const stored = await storedParams(fresh.url);
      CASES.forEach((hp, i) => {
        const got = byName(
          stored
            .filter((r) => r.runId === `r${i}`)
            .map(({ name, num, text, bool, sortNum }) => ({ name, num, text, bool, sortNum })),
        );
        // The API writes them from the stored JSON text (-0 is stored as 0).
        expect(got, JSON.stringify(hp)).toEqual(byName(runParamRowsOfJson(JSON.stringify(hp))));
      });
    } finally {
      await fresh.dispose();
    }
  });
});
