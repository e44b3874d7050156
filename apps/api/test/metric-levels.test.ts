// Metric summaries and downsampling levels maintained batch by batch (metric-levels.ts): after
// concurrent, retried and out-of-order batches they equal what the whole series gives, computed
// two independent ways (the backfill SQL over the stored points, and levelRowsOf in memory).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../src/db/prisma';
import {
  dropImplicitLevelsSql,
  levelFromPointsSql,
  levelRowsOf,
  levelStored,
  LEVELS,
} from '../src/metric/metric-levels';
import {
  codeOf,
  createRun,
  databases,
  LOG_METRICS,
  startTestApi,
  uniq,
  type TestApi,
} from './helpers';

interface Point {
  name: string;
  step: number;
  value: number;
}

const LEVEL_SELECT = {
  name: true,
  level: true,
  bucket: true,
  count: true,
  firstStep: true,
  firstValue: true,
  lastStep: true,
  lastValue: true,
  minStep: true,
  minValue: true,
  maxStep: true,
  maxValue: true,
} as const;

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], rnd: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe.each(databases)('metric levels on $label', (db) => {
  let api: TestApi;
  let database: Database;
  beforeAll(async () => {
    api = await startTestApi(db);
    database = createDatabase(api.databaseUrl);
  });
  afterAll(async () => {
    await database?.close();
    await api?.stop();
  });

  const storedLevels = async (runId: string) =>
    (
      await database.prisma.metricLevel.findMany({
        where: { runId },
        select: LEVEL_SELECT,
        orderBy: [{ name: 'asc' }, { level: 'asc' }, { bucket: 'asc' }],
      })
    ).map((r) => ({ ...r }));

  const summaries = (runId: string) =>
    database.prisma.runMetricSummary.findMany({
      where: { runId },
      select: { name: true, count: true, min: true, max: true, last: true, lastStep: true },
      orderBy: { name: 'asc' },
    });

  /** The run's levels recomputed from its stored points by the backfill SQL. */
  const levelsFromScratch = async (runId: string) => {
    const p = database.kind === 'sqlite' ? '?' : '$1';
    await database.prisma.$transaction(async (tx) => {
      await tx.metricLevel.deleteMany({ where: { runId } });
      for (let k = 1; k <= LEVELS; k++)
        await tx.$executeRawUnsafe(levelFromPointsSql(k, `"runId" = ${p}`), runId);
      await tx.$executeRawUnsafe(dropImplicitLevelsSql(`"runId" = ${p}`), runId);
    });
    return storedLevels(runId);
  };

  /** Levels of `points` computed in memory, as stored rows (implicit levels left out). */
  const levelsInMemory = (points: readonly Point[]) => {
    const rows = levelRowsOf(points);
    const top = new Map(rows.filter((r) => r.level === LEVELS).map((r) => [r.name, r.last.step]));
    return rows
      .filter((r) => levelStored(r.level, top.get(r.name)!))
      .map((r) => ({
        name: r.name,
        level: r.level,
        bucket: r.bucket,
        count: r.count,
        firstStep: r.first.step,
        firstValue: r.first.value,
        lastStep: r.last.step,
        lastValue: r.last.value,
        minStep: r.min.step,
        minValue: r.min.value,
        maxStep: r.max.step,
        maxValue: r.max.value,
      }))
      .sort((a, b) =>
        a.name < b.name ? -1 : a.name > b.name ? 1 : a.level - b.level || a.bucket - b.bucket,
      );
  };

  it('levels and summary after concurrent, retried, out-of-order batches equal the whole series', async () => {
    const runId = await createRun(api, { project: uniq('levels') });
    const rnd = random(11);
    // Two metrics over sparse, unordered steps; values with ties, tiny and huge magnitudes.
    const palette = [0.5, 1 / 3, -2, 1e-300, 7e12, 0.5, -2];
    const all: Point[] = [];
    for (const name of ['acc', 'loss'])
      for (let i = 0; i < 1500; i++)
        all.push({
          name,
          step: i * 7 + (i % 5),
          value: rnd() < 0.3 ? palette[i % palette.length]! : rnd() * 10 - 5,
        });
    const batches: Point[][] = [];
    const order = shuffle(all, rnd);
    for (let i = 0; i < order.length; i += 60) batches.push(order.slice(i, i + 60));
    // All batches at once; every third also re-sent at the same time (a retry, reordered).
    const send = (points: Point[]) =>
      api.ok<{ logMetrics: { accepted: number } }>(LOG_METRICS, { runId, points });
    const results = await Promise.all(
      batches.flatMap((b, i) => (i % 3 === 0 ? [send(b), send(shuffle(b, rnd))] : [send(b)])),
    );
    const accepted = results.reduce((n, r) => n + r.logMetrics.accepted, 0);
    expect(accepted).toBe(all.length);

    // The whole series as stored (SQLite's text-to-double conversion rounds 1e-300 differently
    // from JavaScript's; levels and summary must agree with the points as stored).
    const whole = await database.prisma.metricPoint.findMany({
      where: { runId },
      select: { name: true, step: true, value: true },
    });
    expect(whole).toHaveLength(all.length);
    const expected = levelsInMemory(whole);
    const stored = await storedLevels(runId);
    expect(stored).toHaveLength(expected.length);
    expect(stored).toEqual(expected);
    expect(await levelsFromScratch(runId)).toEqual(expected);

    const summary = ['acc', 'loss'].map((name) => {
      const pts = whole.filter((p) => p.name === name).sort((a, b) => a.step - b.step);
      const values = pts.map((p) => p.value);
      return {
        name,
        count: pts.length,
        min: Math.min(...values),
        max: Math.max(...values),
        last: pts.at(-1)!.value,
        lastStep: pts.at(-1)!.step,
      };
    });
    expect(await summaries(runId)).toEqual(summary);
  });

  it('a point before the first and after the last step moves first/last of every level', async () => {
    const runId = await createRun(api, { project: uniq('levels') });
    const points: Point[] = [{ name: 'x', step: 1000, value: 3 }];
    await api.ok(LOG_METRICS, { runId, points });
    const later = [
      { name: 'x', step: 2_147_483_647, value: 3 }, // ties the max: the earlier step stays max
      { name: 'x', step: 0, value: -1 },
    ];
    await api.ok(LOG_METRICS, { runId, points: later });
    const top = (await storedLevels(runId)).find((r) => r.level === LEVELS);
    expect(top).toEqual({
      name: 'x',
      level: LEVELS,
      bucket: 0,
      count: 3,
      firstStep: 0,
      firstValue: -1,
      lastStep: 2_147_483_647,
      lastValue: 3,
      minStep: 0,
      minValue: -1,
      maxStep: 1000,
      maxValue: 3,
    });
    expect(await storedLevels(runId)).toEqual(levelsInMemory([...points, ...later]));
    expect(await summaries(runId)).toEqual([
      { name: 'x', count: 3, min: -1, max: 3, last: 3, lastStep: 2_147_483_647 },
    ]);
  });

  it('refused batches (non-finite values, bad steps, conflicts) store no point, level or summary', async () => {
    const runId = await createRun(api, { project: uniq('levels') });
    await api.ok(LOG_METRICS, { runId, points: [{ name: 'acc', step: 5, value: 0.25 }] });
    const before = { levels: await storedLevels(runId), summary: await summaries(runId) };

    const nan = await api.gql(LOG_METRICS, {
      runId,
      points: [
        { name: 'acc', step: 6, value: 0.5 },
        { name: 'acc', step: 7, value: null }, // what JSON.stringify makes of NaN and Infinity
      ],
    });
    expect(codeOf(nan)).toBe('INVALID_METRIC_VALUE');
    expect(nan.errors?.[0]?.message).toContain('"acc" at step 7');

    // A number literal beyond a double (JSON.parse gives Infinity) fails GraphQL's Float.
    const res = await api.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"query":${JSON.stringify(LOG_METRICS)},"variables":{"runId":"${runId}","points":[{"name":"acc","step":8,"value":1e999}]}}`,
    });
    const inf = (await res.json()) as { errors?: { message: string }[] };
    expect(inf.errors?.[0]?.message).toMatch(/value/);

    for (const step of [-1, 2_147_483_648, 1.5]) {
      const bad = await api.gql(LOG_METRICS, {
        runId,
        points: [
          { name: 'acc', step: 9, value: 1 },
          { name: 'acc', step, value: 1 },
        ],
      });
      expect(codeOf(bad), `step ${step}`).toBe('BAD_USER_INPUT');
      expect(bad.errors?.[0]?.message, `step ${step}`).toMatch(/step/);
    }

    const conflict = await api.gql(LOG_METRICS, {
      runId,
      points: [
        { name: 'acc', step: 10, value: 1 },
        { name: 'acc', step: 5, value: 0.75 },
      ],
    });
    expect(codeOf(conflict)).toBe('STEP_CONFLICT');

    expect({ levels: await storedLevels(runId), summary: await summaries(runId) }).toEqual(before);
    expect(await database.prisma.metricPoint.count({ where: { runId } })).toBe(1);
  });

  it('an unknown run fails with NOT_FOUND and stores nothing', async () => {
    const r = await api.gql(LOG_METRICS, {
      runId: 'no-such-run',
      points: [{ name: 'acc', step: 1, value: 1 }],
    });
    expect(codeOf(r)).toBe('NOT_FOUND');
    expect(await database.prisma.metricLevel.count({ where: { runId: 'no-such-run' } })).toBe(0);
  });
});
