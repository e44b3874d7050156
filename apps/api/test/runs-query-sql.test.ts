// The runs query language compiled to SQL (run/query/sql.ts) against its oracle, the in-memory
// evaluator (run/query/evaluate.ts): a seeded set of runs written with the API's own column
// formats, a few hundred seeded queries built from every field and operator, and for each the
// same ids in the same order, the same count and the same cursor keys, on SQLite and on
// PostgreSQL; then hostile inputs over HTTP (a 4xx-style GraphQL error or an inert result).
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database as Db } from '../src/db/prisma';
import { parseDatabaseUrl } from '@convscope/prisma';
import {
  compileQuery,
  runSortKey,
  sortRuns,
  type MetricAggregate,
  type RunProjection,
} from '../src/run/query/evaluate';
import { parseQuery, parseSortKey, type FieldRef } from '../src/run/query/parser';
import { RunQueryRepository } from '../src/run/query/run-query.repository';
import { runParamRows } from '../src/run/query/params';
import { sqliteReaderOf } from '../src/db/sqlite-read-pool';
import type { KeyValue } from '../src/common/keyset';
import { codeOf, databases, startTestApi, type Loose, type TestApi } from './helpers';

const RUNS = 2500;
const QUERIES = 300;
const NOW = Date.parse('2026-11-20T00:00:00.000Z');

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = rng(Number(process.env.RUNS_QUERY_SQL_SEED ?? 20261207));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const chance = (p: number) => rand() < p;

/** A run as stored: the projection plus what only the database needs. */
interface SeedRun extends RunProjection {
  projectId: string;
  archived: boolean;
  reproducibilityJson: string | null;
}

const PROJECTS = [
  { id: 'projalpha000000000000001', name: 'alpha' },
  { id: 'projbeta0000000000000002', name: 'Beta' },
  { id: 'projgamma000000000000003', name: 'gamma-ü' },
];
const NUMBERS = [0, 0.0001, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 32, 64, 100, -3];
const STRINGS = [
  'adam',
  'Adam',
  'sgd',
  '0.5',
  '0.01',
  ' 7 ',
  '1e-3',
  'abc',
  '',
  'x"y',
  "it's",
  '%_',
];
const TAGS = ['baseline', 'sweep', 'Best', 'a"b', "o'k", 'x%y'];
const STATUSES = ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED'];
const NAMES = ['run', 'Run', 'alpha', 'beta', 'zeta', 'a"b', "drop'; --", 'Ünïcode', 'x_y%'];
const COMMITS = [
  '0123456789abcdef0123456789abcdef01234567',
  'fedcba9876543210fedcba9876543210fedcba98',
];
const T0 = Date.parse('2026-11-01T00:00:00.000Z');

/** A hyperparameter value of any JSON type. */
function anyValue(): unknown {
  const r = rand();
  if (r < 0.4) return pick(NUMBERS);
  if (r < 0.7) return pick(STRINGS);
  if (r < 0.8) return chance(0.5);
  if (r < 0.85) return null;
  if (r < 0.92) return [1, 'a'];
  return { k: pick(NUMBERS), s: 'v' };
}

function makeHyperparameters(): Record<string, unknown> {
  const hp: Record<string, unknown> = {};
  const lrKey = pick(['learningRate', 'lr', 'learning_rate', null]);
  if (lrKey) hp[lrKey] = chance(0.9) ? pick(NUMBERS) : pick(STRINGS);
  if (chance(0.3)) hp[pick(['lr', 'learning_rate'])] = pick(NUMBERS); // a second alias
  const bsKey = pick(['batchSize', 'batch_size', null]);
  if (bsKey) hp[bsKey] = pick([16, 32, 64, '32', 128]);
  if (chance(0.7)) hp.optimizer = pick(['adam', 'sgd', 'Adam', 'rmsprop']);
  if (chance(0.8)) hp.mixed = anyValue();
  if (chance(0.5)) hp.flag = chance(0.5);
  if (chance(0.4)) hp.opt = { name: pick(['adam', 'sgd']), beta: pick(NUMBERS) };
  if (chance(0.2)) hp['opt.name'] = 'literal';
  if (chance(0.2)) hp['a b'] = pick(NUMBERS);
  if (chance(0.2)) hp.deep = { a: chance(0.5) ? { b: anyValue() } : [anyValue()] };
  return hp;
}

function makeRuns(): SeedRun[] {
  return Array.from({ length: RUNS }, (_, i) => {
    const status = pick(STATUSES);
    // Some runs share createdAt (ties break on id).
    const createdAt = new Date(T0 + Math.floor(i / 3) * 60_000 + (chance(0.1) ? 123 : 0));
    const startedAt =
      status === 'QUEUED' ? null : new Date(createdAt.getTime() + Math.floor(rand() * 5000));
    const endedAt =
      status === 'COMPLETED' || status === 'FAILED'
        ? new Date((startedAt ?? createdAt).getTime() + Math.floor(rand() * 7_200_000))
        : null;
    const metrics = new Map<string, MetricAggregate>();
    for (const name of ['val_accuracy', 'loss', 'val_loss']) {
      if (chance(0.15)) continue;
      // Two decimals: many ties.
      const a = Math.round(rand() * 100) / 100;
      const b = Math.round(rand() * 100) / 100;
      const last = chance(0.5) ? a : b;
      metrics.set(name, { min: Math.min(a, b), max: Math.max(a, b), last });
    }
    const project = pick(PROJECTS);
    const repro = chance(0.4)
      ? {
          git: { commit: pick(COMMITS), dirty: chance(0.5), branch: pick(['main', 'dev', 'Main']) },
          host: pick(['h1', 'h2']),
        }
      : null;
    const reproducibility = new Map<string, string | boolean | null>([
      ['git.commit', repro?.git.commit ?? null],
      ['git.dirty', repro?.git.dirty ?? null],
      ['git.branch', repro?.git.branch ?? null],
      ['host', repro?.host ?? null],
    ]);
    const id = `c${Math.floor(rand() * 36 ** 8)
      .toString(36)
      .padStart(8, '0')}${String(i).padStart(5, '0')}`;
    return {
      id,
      name: `${pick(NAMES)}${chance(0.5) ? `-${i % 7}` : ''}`,
      status,
      project: project.name,
      projectId: project.id,
      tags: TAGS.filter(() => chance(0.25)),
      hyperparameters: makeHyperparameters(),
      createdAt,
      startedAt,
      endedAt,
      metrics,
      reproducibility,
      reproducibilityJson: repro ? JSON.stringify(repro) : null,
      archived: chance(0.05),
    };
  });
}

// ---- Seeding: the column formats the API writes (Prisma's DateTime formats, JSON text) ----

/** The RunParam rows the API writes with each run (params.ts). */
const paramRowsOf = (runs: SeedRun[]) =>
  runs.flatMap((r) => runParamRows(r.hyperparameters).map((p) => ({ runId: r.id, ...p })));

const sqliteTime = (d: Date | null) => (d ? d.toISOString().replace('Z', '+00:00') : null);
const pgTime = (d: Date | null) => (d ? d.toISOString().replace('T', ' ').replace('Z', '') : null);

function seedSqlite(file: string, runs: SeedRun[]): void {
  const db = new Database(file);
  db.pragma('busy_timeout = 10000');
  const project = db.prepare(`INSERT INTO "Project" ("id", "name", "createdAt") VALUES (?, ?, ?)`);
  const run = db.prepare(
    `INSERT INTO "Run" ("id", "projectId", "name", "status", "hyperparameters", "tags", "createdAt", "startedAt", "endedAt", "archivedAt", "reproducibility")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const summary = db.prepare(
    `INSERT INTO "RunMetricSummary" ("runId", "name", "last", "lastStep", "min", "max", "count") VALUES (?, ?, ?, 1, ?, ?, 2)`,
  );
  const param = db.prepare(
    `INSERT INTO "RunParam" ("runId", "name", "num", "text", "bool", "sortNum") VALUES (?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const p of PROJECTS) project.run(p.id, p.name, sqliteTime(new Date(T0)));
    for (const r of runs) {
      run.run(
        r.id,
        r.projectId,
        r.name,
        r.status,
        JSON.stringify(r.hyperparameters),
        JSON.stringify(r.tags),
        sqliteTime(r.createdAt),
        sqliteTime(r.startedAt),
        sqliteTime(r.endedAt),
        r.archived ? sqliteTime(new Date(NOW)) : null,
        r.reproducibilityJson,
      );
      for (const [name, m] of r.metrics) summary.run(r.id, name, m.last, m.min, m.max);
    }
    for (const p of paramRowsOf(runs))
      param.run(p.runId, p.name, p.num, p.text, p.bool === null ? null : Number(p.bool), p.sortNum);
  })();
  db.exec('ANALYZE');
  db.close();
}

async function seedPostgres(connectionString: string, schema: string, runs: SeedRun[]) {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`SET search_path TO "${schema}"`);
    await client.query('BEGIN');
    for (const p of PROJECTS)
      await client.query(`INSERT INTO "Project" ("id", "name") VALUES ($1, $2)`, [p.id, p.name]);
    const col = <T>(f: (r: SeedRun) => T) => runs.map(f);
    await client.query(
      `INSERT INTO "Run" ("id", "projectId", "name", "status", "hyperparameters", "tags", "createdAt", "startedAt", "endedAt", "archivedAt", "reproducibility")
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamp(3)[], $8::timestamp(3)[], $9::timestamp(3)[], $10::timestamp(3)[], $11::text[])`,
      [
        col((r) => r.id),
        col((r) => r.projectId),
        col((r) => r.name),
        col((r) => r.status),
        col((r) => JSON.stringify(r.hyperparameters)),
        col((r) => JSON.stringify(r.tags)),
        col((r) => pgTime(r.createdAt)),
        col((r) => pgTime(r.startedAt)),
        col((r) => pgTime(r.endedAt)),
        col((r) => (r.archived ? pgTime(new Date(NOW)) : null)),
        col((r) => r.reproducibilityJson),
      ],
    );
    const rows = runs.flatMap((r) => [...r.metrics].map(([name, m]) => ({ id: r.id, name, m })));
    await client.query(
      `INSERT INTO "RunMetricSummary" ("runId", "name", "last", "lastStep", "min", "max", "count")
       SELECT r, n, l, 1, mi, ma, 2 FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::float8[]) AS u(r, n, l, mi, ma)`,
      [
        rows.map((x) => x.id),
        rows.map((x) => x.name),
        rows.map((x) => x.m.last),
        rows.map((x) => x.m.min),
        rows.map((x) => x.m.max),
      ],
    );
    const params = paramRowsOf(runs);
    // Statistics of the runs first: planned on an "empty" Run, the foreign-key check of each
    // RunParam row scans Run (quadratic).
    await client.query('ANALYZE "Run"');
    await client.query(
      `INSERT INTO "RunParam" ("runId", "name", "num", "text", "bool", "sortNum")
       SELECT * FROM unnest($1::text[], $2::text[], $3::float8[], $4::text[], $5::boolean[], $6::float8[])`,
      [
        params.map((p) => p.runId),
        params.map((p) => p.name),
        params.map((p) => p.num),
        params.map((p) => p.text),
        params.map((p) => p.bool),
        params.map((p) => p.sortNum),
      ],
    );
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

// ---- Queries: random trees over every field and operator ----

const quote = (s: string) => JSON.stringify(s);
const HP_NAMES = [
  'lr',
  'learningRate',
  'learning_rate',
  'batchSize',
  'batch_size',
  'optimizer',
  'mixed',
  'flag',
  'opt.name',
  'opt.beta',
  '"opt.name"',
  '"a b"',
  'missing',
  // Paths into arrays and objects (RunParam rows name every node hyperparameter() can reach).
  'mixed.0',
  'mixed.length',
  'mixed.k',
  'opt',
  'deep.a.b',
];
const ORDERED = ['=', '!=', '<', '<=', '>', '>='];
const DATES = [
  '"2026-11-01"',
  '"2026-11-02"',
  '"2026-11-01T10:00:00Z"',
  '"2026-11-03T00:00:00.123Z"',
];

function atom(): string {
  switch (Math.floor(rand() * 11)) {
    case 0:
    case 1: {
      const hp = `hp.${pick(HP_NAMES)}`;
      const r = rand();
      if (r < 0.45) return `${hp} ${pick(ORDERED)} ${pick(NUMBERS)}`;
      if (r < 0.75)
        return `${hp} ${pick([...ORDERED, '~'])} ${quote(pick([...STRINGS, 'a', 'd']))}`;
      if (r < 0.9) return `${hp} ${pick(['=', '!=', '<'])} ${pick(['true', 'false'])}`;
      return `${hp} ~ ${quote(pick(['"k"', '1', 'A', '[1', '0.0']))}`;
    }
    case 2:
    case 3:
      return `${pick(['best', 'final'])}.${pick(['val_accuracy', 'loss', 'val_loss', 'nope'])} ${pick(ORDERED)} ${pick([0.1, 0.25, 0.5, 0.75, 0.9, 0.33])}`;
    case 4:
      return `tag ${pick(['=', '!=', '~'])} ${quote(pick([...TAGS, 'BEST', 'a', '%', "'"]))}`;
    case 5:
      return `status ${pick([...ORDERED, '~'])} ${quote(pick(['running', 'COMPLETED', 'failed', 'Q', 'n']))}`;
    case 6:
      return `${pick(['name', 'project'])} ${pick([...ORDERED, '~'])} ${quote(pick([...NAMES, 'a', 'B', 'ü', '-3', 'gamma-ü', 'alpha']))}`;
    case 7:
      return `${pick(['created', 'started', 'ended'])} ${pick(ORDERED)} ${pick(DATES)}`;
    case 8:
      return `duration ${pick(ORDERED)} ${pick([0, 1, 60, 1800.5, 3600, 100000])}`;
    case 9: {
      const r = rand();
      if (r < 0.4)
        return `git.commit ${pick(['=', '!=', '~'])} ${quote(pick([...COMMITS, '0123456', 'FEDCBA9', 'abc']))}`;
      if (r < 0.6) return `git.dirty ${pick(['=', '!='])} ${pick(['true', 'false'])}`;
      return `${pick(['git.branch', 'repro.host'])} ${pick([...ORDERED, '~'])} ${quote(pick(['main', 'Main', 'h1', 'a']))}`;
    }
    default:
      return `hp.mixed ${pick(['=', '!='])} ${quote(pick(['{"k":0.5,"s":"v"}', '[1,"a"]', 'true']))}`;
  }
}

function expression(depth: number): string {
  const r = rand();
  if (depth <= 0 || r < 0.35) return atom();
  if (r < 0.5) return `${pick(['NOT ', '!', 'not '])}(${expression(depth - 1)})`;
  const op = pick(['AND', 'OR', '&&', '||', 'and']);
  return `(${expression(depth - 1)} ${op} ${expression(depth - 1)})`;
}

const SORT_KEYS = [
  'best.val_accuracy',
  'best.loss',
  'final.val_loss',
  'best.nope',
  'hp.lr',
  'hp.mixed',
  'hp.optimizer',
  'hp.opt.beta',
  'hp.flag',
  'hp.mixed.0',
  'created',
  'started',
  'ended',
  'duration',
  'name',
  'status',
  'project',
  'git.branch',
  'git.dirty',
];

describe.each(databases)('runs query language in SQL on $label', (db) => {
  let api: TestApi;
  let database: Db;
  let repo: RunQueryRepository;
  let joiningRepo: RunQueryRepository;
  const runs = makeRuns();
  const active = runs.filter((r) => !r.archived);

  beforeAll(async () => {
    api = await startTestApi(db);
    const target = parseDatabaseUrl(api.databaseUrl);
    if (target.kind === 'sqlite') seedSqlite(target.filePath, runs);
    else await seedPostgres(target.connectionString, target.schema, runs);
    database = createDatabase(api.databaseUrl);
    // As the API reads: on SQLite through the read pool's threads (db/sqlite-read-pool.ts).
    const reader = sqliteReaderOf(database.prisma);
    if (db.label === 'sqlite') expect(reader).toBeDefined();
    repo = new RunQueryRepository(database.prisma, database.kind, reader);
    // A count walks the runs of a required set of up to SMALL_SET runs (count()): every set of
    // these 2,500 runs. This one does so only for sets of up to 10 runs and joins the others.
    joiningRepo = new RunQueryRepository(database.prisma, database.kind, reader, 10);
  });
  afterAll(async () => {
    await database?.close();
    await api?.stop();
  });

  /** The oracle's matching runs, in list order. */
  function oracle(query: string | null, sort: FieldRef, direction: 'asc' | 'desc') {
    const expr = query ? parseQuery(query) : null;
    const matching = expr ? active.filter(compileQuery(expr, NOW)) : active;
    return sortRuns(matching, sort, direction, NOW);
  }

  async function sqlPage(
    query: string | null,
    sort: FieldRef,
    direction: 'asc' | 'desc',
    page: { direction: 'forward' | 'backward'; size: number; key: KeyValue[] | null },
  ) {
    return repo.page({
      where: { archived: 'active' },
      expr: query ? parseQuery(query) : null,
      sort,
      direction,
      page,
      now: NOW,
    });
  }

  it(`gives the evaluator's runs, order, count and cursor keys for ${QUERIES} queries`, async () => {
    const queryRand = rng(7);
    let nonEmpty = 0;
    for (let i = 0; i < QUERIES; i++) {
      const query = i % 10 === 0 ? null : expression(1 + (i % 4));
      const keyText = SORT_KEYS[i % SORT_KEYS.length] as string;
      const sort = parseSortKey(keyText);
      const direction = queryRand() < 0.5 ? 'asc' : 'desc';
      const label = `${query ?? '(no query)'} sorted by ${keyText} ${direction}`;
      const expected = oracle(query, sort, direction);
      if (expected.length > 0) nonEmpty += 1;
      const all = await sqlPage(query, sort, direction, {
        direction: 'forward',
        size: RUNS,
        key: null,
      });
      expect(all.ids, label).toEqual(expected.map((r) => r.id));
      // The cursor keys the SQL path hands out are the evaluator's sort keys.
      for (const run of expected.slice(0, 20))
        expect(all.keys.get(run.id), label).toEqual(runSortKey(run, sort, NOW));
      expect(
        await repo.count({ archived: 'active' }, query ? parseQuery(query) : null, NOW),
        label,
      ).toBe(expected.length);
      expect(
        await joiningRepo.count({ archived: 'active' }, query ? parseQuery(query) : null, NOW),
        `${label} (sets joined)`,
      ).toBe(expected.length);
      if (expected.length < 2) continue;
      // Resuming from a cursor in the middle, forward and backward.
      const middle = Math.floor(queryRand() * expected.length);
      const key = runSortKey(expected[middle] as RunProjection, sort, NOW);
      const after = await sqlPage(query, sort, direction, { direction: 'forward', size: 7, key });
      expect(after.ids, `${label} after #${middle}`).toEqual(
        expected.slice(middle + 1, middle + 9).map((r) => r.id),
      );
      const before = await sqlPage(query, sort, direction, { direction: 'backward', size: 7, key });
      expect(before.ids, `${label} before #${middle}`).toEqual(
        expected
          .slice(Math.max(0, middle - 8), middle)
          .reverse()
          .map((r) => r.id),
      );
    }
    // The generated queries are not all trivially empty.
    expect(nonEmpty).toBeGreaterThan(QUERIES / 2);
  });

  const RUNS_QUERY = `query($filter: RunFilter, $orderBy: RunOrder, $first: Int, $after: String) {
    runs(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount pageInfo { endCursor hasNextPage } nodes { id }
    }
  }`;

  it('pages the same runs over GraphQL with cursors and totalCount', async () => {
    const query = '(hp.lr < 0.05 or tag = "baseline") and not status = "queued"';
    const sort = parseSortKey('best.val_accuracy');
    const expected = oracle(query, sort, 'desc').map((r) => r.id);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const d: Loose = await api.ok(RUNS_QUERY, {
        filter: { query },
        orderBy: { by: { key: 'best.val_accuracy' }, direction: 'DESC' },
        first: 200,
        after,
      });
      expect(d.runs.totalCount).toBe(expected.length);
      seen.push(...d.runs.nodes.map((n: { id: string }) => n.id));
      if (!d.runs.pageInfo.hasNextPage) break;
      after = d.runs.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });

  it('keeps hostile queries, sort keys and cursors inert', async () => {
    const before = await repo.count({}, null, NOW);
    const ask = (filter: Record<string, unknown>, key = 'created', cursor?: string) =>
      api.gql(RUNS_QUERY, {
        filter,
        orderBy: { by: { key }, direction: 'DESC' },
        first: 5,
        after: cursor,
      });
    const inert = [
      `name = "x'; DROP TABLE \\"Run\\"; --"`,
      `name ~ "'); DELETE FROM \\"Run\\" WHERE ('1' = '1"`,
      `hp."a'b\\"c" = 1 or hp."$.x" = 2 or hp."a\\\\b" ~ "x" or hp."?" = "?"`,
      `best."a\\"b; DROP" > 0 or tag = "'" or tag ~ "%" or project = "\\u00ffx"`,
      `git.branch = "main' OR '1'='1"`,
    ];
    for (const query of inert) {
      const res = await ask({ query });
      expect(res.errors, query).toBeUndefined();
      const expected = oracle(query, parseSortKey('created'), 'desc');
      expect(res.data.runs.totalCount, query).toBe(expected.length);
    }
    // Hostile sort keys: sorted like the evaluator, nothing executed.
    for (const key of [`hp."x'); DROP TABLE \\"Run\\"; --"`, `best."'"`, `hp."?"`]) {
      const res = await ask({}, key);
      expect(res.errors, key).toBeUndefined();
      const first = oracle(null, parseSortKey(key), 'desc')
        .slice(0, 5)
        .map((r) => r.id);
      expect(
        res.data.runs.nodes.map((n: { id: string }) => n.id),
        key,
      ).toEqual(first);
    }
    // A forged cursor of the right kind with a hostile value: an inert page, no error.
    const forged = Buffer.from(
      JSON.stringify(['run:key:hp.optimizer:desc', `'; DROP TABLE "Run"; --`, 'zzz']),
    ).toString('base64url');
    const page = await ask({}, 'hp.optimizer', forged);
    expect(page.errors).toBeUndefined();
    // A NUL cannot be stored, so it is refused by name.
    expect(codeOf(await ask({ query: 'name = "\\u0000"' }))).toBe('BAD_USER_INPUT');
    // Too long, too deep, not a cursor: errors naming the problem, never INTERNAL_SERVER_ERROR.
    const tooLong = await ask({ query: `name = "${'x'.repeat(10_001)}"` });
    expect(codeOf(tooLong)).toBe('QUERY_SYNTAX_ERROR');
    const tooDeep = await ask({ query: `${'('.repeat(40)}name = "a"${')'.repeat(40)}` });
    expect(codeOf(tooDeep)).toBe('QUERY_SYNTAX_ERROR');
    const badCursor = await ask({ query: 'name = "a"' }, 'created', 'not-a-cursor!');
    expect(codeOf(badCursor)).toBe('BAD_USER_INPUT');
    // Deep but within the limits: answered, and the same runs as the evaluator.
    const deep = `${'not ('.repeat(15)}!hp.lr < 0.01${')'.repeat(15)}`;
    const deepRes = await ask({ query: deep });
    expect(deepRes.errors).toBeUndefined();
    expect(deepRes.data.runs.totalCount).toBe(oracle(deep, parseSortKey('created'), 'desc').length);
    // A long query of 250 comparisons.
    const wide = Array.from({ length: 250 }, (_, i) => `name = "n${i}'"`).join(' or ');
    const wideRes = await ask({ query: wide });
    expect(wideRes.errors).toBeUndefined();
    expect(wideRes.data.runs.totalCount).toBe(0);
    // Nothing was written or dropped.
    expect(await repo.count({}, null, NOW)).toBe(before);
    expect(before).toBe(RUNS);
  });
});
