// logMetrics idempotency/atomicity, downsampling of long series and DataLoader batching.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../src/db/prisma';
import { downsampleLevels } from '../src/metric/metric-levels';
import { MetricRepository } from '../src/metric/metric.repository';
import {
  codeOf,
  createRun,
  databases,
  LOG_METRICS,
  startTestApi,
  uniq,
  type TestApi,
} from './helpers';

const SERIES = `query($id: ID!, $name: String!, $max: Int) { run(id: $id) { metric(name: $name, maxPoints: $max) { step value } } }`;

describe.each(databases)('metrics on $label', (db) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(db);
  });
  afterAll(async () => {
    await api?.stop();
  });

  const series = async (id: string, name: string, max?: number) =>
    (await api.ok(SERIES, { id, name, max })).run.metric as { step: number; value: number }[];

  it('counts an exact re-send as duplicates (retries never duplicate or lose points)', async () => {
    const runId = await createRun(api, { project: uniq('m') });
    const points = Array.from({ length: 50 }, (_, i) => ({
      name: 'loss',
      step: i,
      value: 1 / (i + 1),
    }));
    expect((await api.ok(LOG_METRICS, { runId, points })).logMetrics).toEqual({
      accepted: 50,
      duplicates: 0,
    });
    // Retry of the same batch, concurrently twice, plus a batch overlapping old and new points.
    const [r1, r2] = await Promise.all([
      api.ok(LOG_METRICS, { runId, points }),
      api.ok(LOG_METRICS, { runId, points }),
    ]);
    expect(r1.logMetrics).toEqual({ accepted: 0, duplicates: 50 });
    expect(r2.logMetrics).toEqual({ accepted: 0, duplicates: 50 });
    const overlap = [
      ...points.slice(45),
      { name: 'loss', step: 50, value: 0.01 },
      { name: 'loss', step: 50, value: 0.01 },
    ];
    expect((await api.ok(LOG_METRICS, { runId, points: overlap })).logMetrics).toEqual({
      accepted: 1,
      duplicates: 6,
    });
    const stored = await series(runId, 'loss');
    expect(stored).toHaveLength(51);
    expect(stored[3]).toEqual({ step: 3, value: 0.25 });
    // Doubles survive the round trip bit for bit.
    expect(stored[5]).toEqual({ step: 5, value: 1 / 6 });
    expect(stored[2]).toEqual({ step: 2, value: 1 / 3 });
    const s = await api.ok(
      `query($id: ID!) { run(id: $id) { metricNames summary { name last lastStep min max count } } }`,
      { id: runId },
    );
    expect(s.run.metricNames).toEqual(['loss']);
    expect(s.run.summary).toEqual([
      { name: 'loss', last: 0.01, lastStep: 50, min: 0.01, max: 1, count: 51 },
    ]);
  });

  it('stores concurrent batches of many runs completely while the dashboard reads', async () => {
    const project = uniq('conc');
    const runIds = await Promise.all(
      Array.from({ length: 6 }, (_, i) => createRun(api, { project, name: `c${i}` })),
    );
    const writes = runIds.flatMap((runId) =>
      Array.from({ length: 5 }, (_, b) =>
        api.ok(LOG_METRICS, {
          runId,
          points: Array.from({ length: 200 }, (_, i) => ({
            name: 'loss',
            step: b * 200 + i,
            value: i,
          })),
        }),
      ),
    );
    const reads = Array.from({ length: 10 }, () =>
      api.ok(
        `query($p: String!) { runs(filter: { projects: [$p] }) { nodes { summary { count } } } }`,
        { p: project },
      ),
    );
    await Promise.all([...writes, ...reads]);
    const data = await api.ok(
      `query($p: String!) { runs(filter: { projects: [$p] }) { nodes { summary { name count lastStep } } } }`,
      { p: project },
    );
    for (const node of data.runs.nodes)
      expect(node.summary).toEqual([{ name: 'loss', count: 1000, lastStep: 999 }]);
  });

  it('a logMetrics batch, re-sent ones included, sends no statement through Prisma', async () => {
    // SQLite: one synchronous transaction on Prisma's own connection; PostgreSQL: one on a
    // connection of Prisma's pool, through node-pg (metric.repository.ts insertDirect/insertPg).
    const runId = await createRun(api, { project: uniq('direct') });
    const batch = (from: number) =>
      Array.from({ length: 100 }, (_, i) => ({
        name: `m${i % 4}`,
        step: from + (i >> 2),
        value: (from + (i >> 2)) / 7 + (i % 4),
      }));
    await api.ok(LOG_METRICS, { runId, points: batch(0) }); // the key verified and cached
    const before = api.server.queryCount();
    expect((await api.ok(LOG_METRICS, { runId, points: batch(25) })).logMetrics).toEqual({
      accepted: 100,
      duplicates: 0,
    });
    // A re-send takes the careful path (rollback, read the stored values, count duplicates).
    expect((await api.ok(LOG_METRICS, { runId, points: batch(40) })).logMetrics).toEqual({
      accepted: 60,
      duplicates: 40,
    });
    expect(api.server.queryCount() - before).toBe(0);
    const s = await api.ok(`query($id: ID!) { run(id: $id) { summary { name count lastStep } } }`, {
      id: runId,
    });
    expect(s.run.summary).toEqual(
      ['m0', 'm1', 'm2', 'm3'].map((name) => ({ name, count: 65, lastStep: 64 })),
    );
  });

  it('logMetricSeries stores the same points as logMetrics, idempotently, and refuses bad columns', async () => {
    const LOG_SERIES = `mutation($runId: ID!, $series: [MetricSeriesInput!]!) {
      logMetricSeries(runId: $runId, series: $series) { accepted duplicates } }`;
    const [byColumns, byPoints] = [
      await createRun(api, { project: uniq('cols') }),
      await createRun(api, { project: uniq('cols') }),
    ];
    const time = '2026-12-01T10:00:00.000Z';
    const columns = [
      {
        name: 'loss',
        steps: [0, 1, 2, 3],
        values: [1, 1 / 3, 0.25, 1e-300],
        times: [time, null, null, null],
      },
      { name: 'acc', steps: [3, 1], values: [0.5, 0.75] },
      { name: 'loss', steps: [4], values: [0.125] }, // a name may come again
    ];
    const points = columns.flatMap((s) =>
      s.steps.map((step, i) => ({
        name: s.name,
        step,
        value: s.values[i],
        time: s.times?.[i] ?? null,
      })),
    );
    expect(
      (await api.ok(LOG_SERIES, { runId: byColumns, series: columns })).logMetricSeries,
    ).toEqual({
      accepted: 7,
      duplicates: 0,
    });
    await api.ok(LOG_METRICS, { runId: byPoints, points });
    // A re-send is all duplicates, by either mutation.
    expect(
      (await api.ok(LOG_SERIES, { runId: byColumns, series: columns })).logMetricSeries,
    ).toEqual({
      accepted: 0,
      duplicates: 7,
    });
    expect((await api.ok(LOG_METRICS, { runId: byColumns, points })).logMetrics).toEqual({
      accepted: 0,
      duplicates: 7,
    });
    const read = (id: string) =>
      api.ok(
        `query($id: ID!) { run(id: $id) { summary { name count min max last lastStep }
          metrics(maxPoints: 2) { name points { step value time } } } }`,
        { id },
      );
    const [a, b] = [await read(byColumns), await read(byPoints)];
    expect(a.run.summary).toEqual(b.run.summary);
    expect(
      a.run.metrics.map((m: { name: string; points: { step: number; value: number }[] }) => ({
        ...m,
        points: m.points.map((p) => ({ step: p.step, value: p.value })),
      })),
    ).toEqual(
      b.run.metrics.map((m: { name: string; points: { step: number; value: number }[] }) => ({
        ...m,
        points: m.points.map((p) => ({ step: p.step, value: p.value })),
      })),
    );
    const loss = (await series(byColumns, 'loss')).map((p) => p.step);
    expect(loss).toEqual([0, 1, 2, 3, 4]);
    const first = await api.ok(
      `query($id: ID!) { run(id: $id) { metric(name: "loss") { step time } } }`,
      {
        id: byColumns,
      },
    );
    expect(first.run.metric[0]).toEqual({ step: 0, time });

    // Bad columns: nothing stored from the batch, a clear error naming the metric.
    const before = (await read(byColumns)).run.summary;
    const fresh = (name: string, value: number | null) => ({
      name,
      steps: [10, 11],
      values: [1, value],
    });
    const nan = await api.gql(LOG_SERIES, {
      runId: byColumns,
      series: [fresh('acc', 1), fresh('loss', null)],
    });
    expect(codeOf(nan)).toBe('INVALID_METRIC_VALUE');
    expect(nan.errors?.[0]?.message).toContain('"loss" at step 11');
    const short = await api.gql(LOG_SERIES, {
      runId: byColumns,
      series: [fresh('acc', 1), { name: 'loss', steps: [10, 11], values: [1] }],
    });
    expect(codeOf(short)).toBe('BAD_USER_INPUT');
    expect(short.errors?.[0]?.message).toMatch(/series\[1\].*2 steps but 1 values/);
    const conflict = await api.gql(LOG_SERIES, {
      runId: byColumns,
      series: [fresh('acc', 1), { name: 'loss', steps: [0], values: [2] }],
    });
    expect(codeOf(conflict)).toBe('STEP_CONFLICT');
    const badStep = await api.gql(LOG_SERIES, {
      runId: byColumns,
      series: [{ name: 'acc', steps: [-1], values: [1] }],
    });
    expect(codeOf(badStep)).toBe('BAD_USER_INPUT');
    expect((await read(byColumns)).run.summary).toEqual(before);
  });

  it('STEP_CONFLICT stores nothing from the batch and keeps stored points', async () => {
    const runId = await createRun(api, { project: uniq('m') });
    await api.ok(LOG_METRICS, { runId, points: [{ name: 'acc', step: 1, value: 0.5 }] });
    const r = await api.gql(LOG_METRICS, {
      runId,
      points: [
        { name: 'acc', step: 2, value: 0.6 },
        { name: 'loss', step: 1, value: 0.9 },
        { name: 'acc', step: 1, value: 0.55 },
      ],
    });
    expect(codeOf(r)).toBe('STEP_CONFLICT');
    expect(r.errors?.[0]?.extensions).toMatchObject({ metric: 'acc', step: 1 });
    expect(await series(runId, 'acc')).toEqual([{ step: 1, value: 0.5 }]);
    expect(await series(runId, 'loss')).toEqual([]);
    // Conflicting values inside one batch are refused the same way.
    const inBatch = await api.gql(LOG_METRICS, {
      runId,
      points: [
        { name: 'x', step: 7, value: 1 },
        { name: 'x', step: 7, value: 2 },
      ],
    });
    expect(codeOf(inBatch)).toBe('STEP_CONFLICT');
    expect(await series(runId, 'x')).toEqual([]);
  });

  it('INVALID_METRIC_VALUE names the metric and step and stores nothing', async () => {
    const runId = await createRun(api, { project: uniq('m') });
    await api.ok(LOG_METRICS, { runId, points: [{ name: 'acc', step: 0, value: 0.1 }] });
    // JSON has no NaN/Infinity: JSON.stringify turns them into null.
    const body = JSON.parse(
      JSON.stringify({
        points: [
          { name: 'acc', step: 1, value: 0.2 },
          { name: 'acc', step: 2, value: NaN },
        ],
      }),
    );
    const r = await api.gql(LOG_METRICS, { runId, points: body.points });
    expect(codeOf(r)).toBe('INVALID_METRIC_VALUE');
    expect(r.errors?.[0]?.message).toContain('acc');
    expect(r.errors?.[0]?.message).toContain('step 2');
    expect(r.errors?.[0]?.extensions).toMatchObject({ metric: 'acc', step: 2 });
    // An inline literal too big for a double is also refused.
    const inf = await api.gql(
      `mutation($id: ID!) { logMetrics(runId: $id, points: [{ name: "acc", step: 3, value: 1e999 }]) { accepted } }`,
      { id: runId },
    );
    expect(inf.errors).toBeTruthy();
    expect(await series(runId, 'acc')).toEqual([{ step: 0, value: 0.1 }]);
    const neg = await api.gql(LOG_METRICS, {
      runId,
      points: [{ name: 'acc', step: -1, value: 1 }],
    });
    expect(codeOf(neg)).toBe('BAD_USER_INPUT');
    const empty = await api.gql(LOG_METRICS, { runId, points: [{ name: ' ', step: 1, value: 1 }] });
    expect(codeOf(empty)).toBe('BAD_USER_INPUT');
  });

  it('downsamples a 100,000-point series keeping first, last and extremes', async () => {
    const runId = await createRun(api, { project: uniq('long') });
    const N = 100_000;
    const points = Array.from({ length: N }, (_, step) => ({
      name: 'loss',
      step,
      // A spike and a dip.
      value:
        step === 31_337
          ? 9.5
          : step === 66_666
            ? -3.25
            : 2 * Math.exp(-step / 20_000) + 0.01 * Math.sin(step),
    }));
    for (let i = 0; i < N; i += 25_000) {
      const res = await api.ok(LOG_METRICS, { runId, points: points.slice(i, i + 25_000) });
      expect(res.logMetrics.accepted).toBe(25_000);
    }
    const data = await api.ok(
      `query($id: ID!) { run(id: $id) {
        metric(name: "loss") { step value }
        metrics(names: ["loss"], maxPoints: 200) { name totalPoints downsampled points { step value } }
        summary { name count min max lastStep } } }`,
      { id: runId },
    );
    const def = data.run.metric as { step: number; value: number }[];
    expect(def.length).toBeLessThanOrEqual(1000);
    // Level 4 (buckets of 256 steps) is the finest with at most 499 buckets: 391, min and max each, plus the ends.
    expect(def.length).toBe(2 + 2 * Math.ceil(N / 256));
    expect(def[0]?.step).toBe(0);
    expect(def.at(-1)?.step).toBe(N - 1);
    expect(def).toContainEqual({ step: 31_337, value: 9.5 });
    expect(def).toContainEqual({ step: 66_666, value: -3.25 });
    for (let i = 1; i < def.length; i++)
      expect(def[i]?.step).toBeGreaterThan(def[i - 1]?.step ?? Infinity);
    const [s] = data.run.metrics;
    expect(s).toMatchObject({ name: 'loss', totalPoints: N, downsampled: true });
    expect(s.points.length).toBeLessThanOrEqual(200);
    expect(s.points).toContainEqual({ step: 31_337, value: 9.5 });
    expect(data.run.summary).toEqual([
      { name: 'loss', count: N, min: -3.25, max: 9.5, lastStep: N - 1 },
    ]);
    // Deterministic: the same request gives the same points.
    expect(await series(runId, 'loss')).toEqual(def);
    // The level read is exactly the in-memory reference of its contract.
    const full = await series(runId, 'loss', N);
    expect(full).toHaveLength(N);
    expect(full[123]).toEqual({ step: 123, value: points[123]?.value });
    expect(def).toEqual(downsampleLevels(full, 1000));
    expect(s.points).toEqual(downsampleLevels(full, 200));
    expect(await series(runId, 'loss', 7)).toEqual(downsampleLevels(full, 7));
    expect(codeOf(await api.gql(SERIES, { id: runId, name: 'loss', max: 1 }))).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('server-side downsampling equals downsampleLevels exactly, ties included', async () => {
    const runId = await createRun(api, { project: uniq('ties') });
    const values = Array.from(
      { length: 61 },
      (_, i) => ([0, 1, 1, 0, 2, 2, 2][i % 7] ?? 0) + (i === 40 ? 5 : 0),
    );
    await api.ok(LOG_METRICS, {
      runId,
      points: values.map((value, step) => ({ name: 't', step: step * 3, value })),
    });
    const full = await series(runId, 't', 1000);
    expect(full).toHaveLength(61);
    for (const max of [2, 3, 4, 5, 6, 7, 10, 13, 20, 59, 60, 61]) {
      expect(await series(runId, 't', max), `maxPoints ${max}`).toEqual(
        downsampleLevels(full, max),
      );
    }
  });

  it('batched series reads equal downsampleLevels on this database', async () => {
    const runA = await createRun(api, { project: uniq('paths') });
    const runB = await createRun(api, { project: uniq('paths') });
    // Lengths around the budgets (1, 2, 3 points; ties; a spike) in two runs, queried together.
    const lengths: Record<string, number> = { one: 1, two: 2, three: 3, mid: 17, long: 250 };
    const values = (name: string, run: number) =>
      Array.from({ length: lengths[name] ?? 0 }, (_, i) =>
        name === 'long' && i === 99 ? 7 : ((i * 37 + run * 11) % 9) / 4,
      );
    for (const [r, runId] of [runA, runB].entries()) {
      const points = Object.keys(lengths).flatMap((name) =>
        values(name, r).map((value, i) => ({ name, step: i * 2 + r, value })),
      );
      await api.ok(LOG_METRICS, { runId, points });
    }
    const keys = [runA, runB].flatMap((runId) =>
      Object.keys(lengths).map((name) => ({ runId, name })),
    );
    const database = createDatabase(api.databaseUrl);
    try {
      const repo = new MetricRepository(database.prisma, database.kind);
      const full = await repo.series(keys, 10_000);
      for (const max of [2, 3, 4, 5, 7, 16, 17, 100, 249, 250]) {
        const got = await repo.series(keys, max);
        for (const { runId, name } of keys) {
          const key = `${runId}\u0000${name}`;
          const all = full.get(key)?.points ?? [];
          expect(all).toHaveLength(lengths[name] ?? -1);
          expect(got.get(key), `${name}, maxPoints ${max}`).toEqual({
            total: all.length,
            points: downsampleLevels(all, max),
          });
        }
      }
    } finally {
      await database.close();
    }
  });

  it('batched short series read only the pairs asked for when the other pairs are long', async () => {
    // Run C: a (1 point), b (200); run D: a (1), b (2). Asking (C, a) and (D, b) together: the
    // pairs nobody asked for hold 201 points against 3 wanted, so each run is read on its own.
    const [runC, runD] = [
      await createRun(api, { project: uniq('pairs') }),
      await createRun(api, { project: uniq('pairs') }),
    ];
    const pts = (name: string, n: number, scale: number) =>
      Array.from({ length: n }, (_, i) => ({ name, step: i, value: (i % 5) * scale }));
    await api.ok(LOG_METRICS, { runId: runC, points: [...pts('a', 1, 1), ...pts('b', 200, 2)] });
    await api.ok(LOG_METRICS, { runId: runD, points: [...pts('a', 1, 3), ...pts('b', 2, 4)] });
    const database = createDatabase(api.databaseUrl);
    try {
      const repo = new MetricRepository(database.prisma, database.kind);
      const got = await repo.series(
        [
          { runId: runC, name: 'a' },
          { runId: runD, name: 'b' },
          { runId: runD, name: 'missing' },
        ],
        1000,
      );
      const row = (runId: string, name: string, step: number, value: number) =>
        expect.objectContaining({ id: `${runId}:${name}:${step}`, runId, name, step, value });
      expect([...got.keys()].sort()).toEqual([`${runC}\u0000a`, `${runD}\u0000b`].sort());
      expect(got.get(`${runC}\u0000a`)).toEqual({ total: 1, points: [row(runC, 'a', 0, 0)] });
      expect(got.get(`${runD}\u0000b`)).toEqual({
        total: 2,
        points: [row(runD, 'b', 0, 0), row(runD, 'b', 1, 4)],
      });
    } finally {
      await database.close();
    }
  });

  it('batches field resolvers: a page of N runs costs a constant number of queries', async () => {
    // Only the runs page: a top-level `projects { runCount }` beside it would race the nested
    // runCount loads for the same DataLoader tick, making the count vary by one with I/O timing.
    const PAGE = `query($p: String!) {
      runs(filter: { projects: [$p] }, first: 50) { totalCount nodes {
        id project { name runCount } metricNames metric(name: "acc") { step value }
        metrics { name points { step } } summary { name last } artifacts { nodes { name url } } } } }`;
    const queriesFor = async (n: number) => {
      const project = uniq('batch');
      for (let i = 0; i < n; i++) {
        const runId = await createRun(api, { project, name: `r${i}` });
        await api.ok(LOG_METRICS, {
          runId,
          points: [
            { name: 'acc', step: 1, value: i },
            { name: 'loss', step: 1, value: i },
          ],
        });
        await api.fetch(`${api.origin}/runs/${runId}/artifacts/a.txt?kind=text`, {
          method: 'PUT',
          body: `x${i}`,
        });
      }
      const before = api.server.queryCount();
      const data = await api.ok(PAGE, { p: project });
      expect(data.runs.nodes).toHaveLength(n);
      expect(data.runs.nodes[0].artifacts.nodes).toHaveLength(1);
      return api.server.queryCount() - before;
    };
    const small = await queriesFor(2);
    const large = await queriesFor(12);
    expect(small).toBeGreaterThan(0);
    expect(large).toBe(small);
    expect(large).toBeLessThan(15);
  });
});
