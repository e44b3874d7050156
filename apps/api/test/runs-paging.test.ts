// Keyset paging of Query.runs and Run.metricPoints under concurrent inserts, RunOrder's one-of
// input and the unknown-id rule of filter.ids, on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codeOf,
  createRun,
  databases,
  LOG_METRICS,
  startTestApi,
  uniq,
  type Loose,
  type TestApi,
} from './helpers';

const RUNS = `query($filter: RunFilter, $orderBy: RunOrder, $first: Int, $after: String, $last: Int, $before: String) {
  runs(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { id name } }
    nodes { id }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

const POINTS = `query($id: ID!, $name: String!, $first: Int, $after: String, $last: Int, $before: String) {
  run(id: $id) {
    metricPoints(name: $name, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      edges { cursor node { id step value } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}`;

interface Order {
  by: { field?: string; key?: string };
  direction: 'ASC' | 'DESC';
}

describe.each(databases)('runs paging on $label', (db) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(db);
  });
  afterAll(async () => {
    await api?.stop();
  });

  /** Creates a run with one val_accuracy point (the value of best.val_accuracy). */
  async function makeRun(project: string, name: string, accuracy: number): Promise<string> {
    const runId = await createRun(api, { project, name });
    await api.ok(LOG_METRICS, {
      runId,
      points: [{ name: 'val_accuracy', step: 0, value: accuracy }],
    });
    return runId;
  }

  /**
   * Pages through the project's runs 3 at a time (forward with first/after, or backward with
   * last/before), calling `between` after the first page. Returns the ids in list order.
   */
  async function walk(
    project: string,
    orderBy: Order | null,
    direction: 'forward' | 'backward',
    between: () => Promise<void>,
  ): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 20; page++) {
      const variables: Record<string, unknown> =
        direction === 'forward' ? { first: 3, after: cursor } : { last: 3, before: cursor };
      const d: Loose = await api.ok(RUNS, {
        filter: { projects: [project] },
        orderBy,
        ...variables,
      });
      const conn = d.runs;
      const pageIds: string[] = conn.edges.map((e: Loose) => e.node.id);
      expect(conn.nodes.map((n: Loose) => n.id)).toEqual(pageIds);
      expect(conn.pageInfo.startCursor).toBe(conn.edges[0]?.cursor ?? null);
      expect(conn.pageInfo.endCursor).toBe(conn.edges.at(-1)?.cursor ?? null);
      if (direction === 'forward') ids.push(...pageIds);
      else ids.unshift(...pageIds);
      if (page === 0) await between();
      const more =
        direction === 'forward' ? conn.pageInfo.hasNextPage : conn.pageInfo.hasPreviousPage;
      if (!more) return ids;
      cursor = direction === 'forward' ? conn.pageInfo.endCursor : conn.pageInfo.startCursor;
    }
    throw new Error('paging did not end');
  }

  /** Every id of `initial` exactly once in `seen`, and nothing twice. */
  function expectEachOnce(seen: string[], initial: string[]) {
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of initial) expect(seen.filter((s) => s === id)).toHaveLength(1);
  }

  const orders: { label: string; orderBy: Order | null }[] = [
    { label: 'the default order (newest first)', orderBy: null },
    { label: 'name ascending', orderBy: { by: { field: 'NAME' }, direction: 'ASC' } },
    {
      label: 'best.val_accuracy descending',
      orderBy: { by: { key: 'best.val_accuracy' }, direction: 'DESC' },
    },
  ];

  for (const { label, orderBy } of orders) {
    for (const direction of ['forward', 'backward'] as const) {
      it(`pages ${direction} in ${label} while runs are created, skipping and repeating none`, async () => {
        const project = uniq('paging');
        const initial: string[] = [];
        // Names m10..m17 and accuracies 0.50..0.57: new runs can sort before and after them.
        for (let i = 0; i < 8; i++)
          initial.push(await makeRun(project, `m${10 + i}`, 0.5 + i / 100));
        const expected = await walk(project, orderBy, direction, async () => undefined);
        expect([...expected].sort()).toEqual([...initial].sort());

        const added: string[] = [];
        const seen = await walk(project, orderBy, direction, async () => {
          // "a..." sorts first by name, "z..." last; 0.99 is the best accuracy, 0.01 the worst.
          added.push(await makeRun(project, `a${added.length}`, 0.99));
          added.push(await makeRun(project, `z${added.length}`, 0.01));
        });
        expectEachOnce(seen, initial);
        // The initial runs keep their relative order.
        expect(seen.filter((id) => initial.includes(id))).toEqual(expected);
        // New runs beyond the cursor (in walking order) are found; those behind it are not.
        if (orderBy) {
          const beyond = direction === 'forward' ? added[1] : added[0];
          const behind = direction === 'forward' ? added[0] : added[1];
          expect(seen).toContain(beyond);
          expect(seen).not.toContain(behind);
        }
      });
    }
  }

  it('answers a page of the same runs with last/before as with first/after', async () => {
    const project = uniq('both-ways');
    for (let i = 0; i < 7; i++) await makeRun(project, `n${i}`, i / 10);
    const orderBy = { by: { field: 'NAME' }, direction: 'DESC' };
    const all: Loose = await api.ok(RUNS, { filter: { projects: [project] }, orderBy });
    expect(all.runs.edges.map((e: Loose) => e.node.name)).toEqual([
      'n6',
      'n5',
      'n4',
      'n3',
      'n2',
      'n1',
      'n0',
    ]);
    expect(all.runs.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    const cursorOf = (name: string) =>
      all.runs.edges.find((e: Loose) => e.node.name === name).cursor;
    const before: Loose = await api.ok(RUNS, {
      filter: { projects: [project] },
      orderBy,
      last: 2,
      before: cursorOf('n2'),
    });
    expect(before.runs.edges.map((e: Loose) => e.node.name)).toEqual(['n4', 'n3']);
    expect(before.runs.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const after: Loose = await api.ok(RUNS, {
      filter: { projects: [project] },
      orderBy,
      first: 2,
      after: cursorOf('n5'),
    });
    expect(after.runs.edges.map((e: Loose) => e.node.name)).toEqual(['n4', 'n3']);
    const end: Loose = await api.ok(RUNS, { filter: { projects: [project] }, orderBy, last: 3 });
    expect(end.runs.edges.map((e: Loose) => e.node.name)).toEqual(['n2', 'n1', 'n0']);
    expect(end.runs.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(end.runs.totalCount).toBe(7);
  });

  it('refuses a cursor of another ordering, and first with last', async () => {
    const project = uniq('refuse');
    for (let i = 0; i < 3; i++) await makeRun(project, `r${i}`, i / 10);
    const filter = { projects: [project] };
    const byName = { by: { field: 'NAME' }, direction: 'ASC' };
    const page: Loose = await api.ok(RUNS, { filter, orderBy: byName, first: 1 });
    const cursor = page.runs.pageInfo.endCursor;
    const others: (Order | null)[] = [
      null,
      { by: { field: 'NAME' }, direction: 'DESC' },
      { by: { key: 'name' }, direction: 'ASC' },
      { by: { key: 'best.val_accuracy' }, direction: 'ASC' },
    ];
    for (const orderBy of others) {
      const r = await api.gql(RUNS, { filter, orderBy, first: 1, after: cursor });
      expect(codeOf(r), JSON.stringify(orderBy)).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0]?.message).toMatch(/another field or ordering/);
    }
    // The same cursor with its own ordering works, backward too.
    const next: Loose = await api.ok(RUNS, { filter, orderBy: byName, first: 5, after: cursor });
    expect(next.runs.edges.map((e: Loose) => e.node.name)).toEqual(['r1', 'r2']);
    const back: Loose = await api.ok(RUNS, { filter, orderBy: byName, last: 5, before: cursor });
    expect(back.runs.edges).toEqual([]);
    expect(back.runs.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

    for (const [variables, pattern] of [
      [{ first: 1, last: 1 }, /first or last, not both/],
      [{ first: 1, before: cursor }, /forward with first\/after or backward with last\/before/],
      [{ last: 501 }, /last must be between 0 and 500/],
      [{ first: 501 }, /first must be between 0 and 500/],
    ] as const) {
      const r = await api.gql(RUNS, { filter, orderBy: byName, ...variables });
      expect(codeOf(r), JSON.stringify(variables)).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0]?.message).toMatch(pattern);
    }
  });

  it('refuses a RunOrder naming both field and key, or neither', async () => {
    const both = await api.gql(
      'query { runs(orderBy: { by: { field: NAME, key: "name" }, direction: ASC }) { totalCount } }',
    );
    expect(both.errors?.[0]?.message).toBe(
      'OneOf Input Object "RunSortKey" must specify exactly one key.',
    );
    const neither = await api.gql(
      'query { runs(orderBy: { by: {}, direction: ASC }) { totalCount } }',
    );
    expect(neither.errors?.[0]?.message).toBe(
      'OneOf Input Object "RunSortKey" must specify exactly one key.',
    );
    const nulled = await api.gql(
      'query { runs(orderBy: { by: { field: null }, direction: ASC }) { totalCount } }',
    );
    expect(nulled.errors?.[0]?.message).toMatch(/RunSortKey.field" must be non-null/);
    // In variables the same rule applies, answered as BAD_USER_INPUT.
    const vars = await api.gql(RUNS, {
      orderBy: { by: { field: 'NAME', key: 'name' }, direction: 'ASC' },
    });
    expect(codeOf(vars)).toBe('BAD_USER_INPUT');
    expect(vars.errors?.[0]?.message).toMatch(
      /Exactly one key must be specified for OneOf type "RunSortKey"/,
    );
    const introspection: Loose = await api.ok('query { __type(name: "RunSortKey") { isOneOf } }');
    expect(introspection.__type.isOneOf).toBe(true);
  });

  it('answers NOT_FOUND naming ids of filter.ids that name no readable run', async () => {
    const project = uniq('ids');
    const known = await makeRun(project, 'known', 0.5);
    const r = await api.gql(RUNS, { filter: { ids: [known, 'no-such-run-1'] } });
    expect(codeOf(r)).toBe('NOT_FOUND');
    expect(r.errors?.[0]?.message).toContain('no-such-run-1');
    expect(r.errors?.[0]?.message).not.toContain(known);
    const ok: Loose = await api.ok(RUNS, { filter: { ids: [known] } });
    expect(ok.runs.nodes).toEqual([{ id: known }]);
  });

  it('pages a metric by step both ways with stable ids while points are logged', async () => {
    const runId = await createRun(api, { project: uniq('points') });
    // Steps 0, 3, 6, ..., 57 (20 points); values computed by hand: step / 100.
    const steps = Array.from({ length: 20 }, (_, i) => i * 3);
    await api.ok(LOG_METRICS, {
      runId,
      points: steps.map((step) => ({ name: 'loss', step, value: step / 100 })),
    });
    const read = (variables: Record<string, unknown>) =>
      api
        .ok(POINTS, { id: runId, name: 'loss', ...variables })
        .then((d: Loose) => d.run.metricPoints);

    const first = await read({ first: 8 });
    expect(first.totalCount).toBe(20);
    expect(first.edges.map((e: Loose) => e.node)).toEqual(
      steps.slice(0, 8).map((step) => ({ id: `${runId}:loss:${step}`, step, value: step / 100 })),
    );
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    // Points logged between pages: a later step shows up on the last page, nothing repeats.
    await api.ok(LOG_METRICS, { runId, points: [{ name: 'loss', step: 100, value: 1 }] });
    const forward: number[] = first.edges.map((e: Loose) => e.node.step);
    let page = first;
    while (page.pageInfo.hasNextPage) {
      page = await read({ first: 8, after: page.pageInfo.endCursor });
      forward.push(...page.edges.map((e: Loose) => e.node.step));
    }
    expect(forward).toEqual([...steps, 100]);

    const backward: number[] = [];
    let back = await read({ last: 6 });
    expect(back.edges.map((e: Loose) => e.node.step)).toEqual([45, 48, 51, 54, 57, 100]);
    expect(back.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    backward.unshift(...back.edges.map((e: Loose) => e.node.step));
    while (back.pageInfo.hasPreviousPage) {
      back = await read({ last: 6, before: back.pageInfo.startCursor });
      backward.unshift(...back.edges.map((e: Loose) => e.node.step));
    }
    expect(backward).toEqual(forward);
    // Ids are the same whichever way and whichever field reads the point.
    const again = await read({ first: 2 });
    expect(again.edges.map((e: Loose) => e.node.id)).toEqual([
      `${runId}:loss:0`,
      `${runId}:loss:3`,
    ]);
    const series: Loose = await api.ok(
      `query($id: ID!) { run(id: $id) { metrics(names: ["loss"]) { id points { id step } } metric(name: "loss") { id } } }`,
      { id: runId },
    );
    expect(series.run.metrics[0].id).toBe(`${runId}:loss`);
    expect(series.run.metrics[0].points[1]).toEqual({ id: `${runId}:loss:3`, step: 3 });
    expect(series.run.metric.at(-1)).toEqual({ id: `${runId}:loss:100` });

    // A metric the run lacks is an empty page; a cursor of another field or too large a page is refused.
    const none = await api.ok(POINTS, { id: runId, name: 'nope' });
    expect(none.run.metricPoints).toMatchObject({ totalCount: 0, edges: [] });
    const runsCursor: Loose = await api.ok(RUNS, { first: 1 });
    const wrong = await api.gql(POINTS, {
      id: runId,
      name: 'loss',
      after: runsCursor.runs.pageInfo.endCursor,
    });
    expect(codeOf(wrong)).toBe('BAD_USER_INPUT');
    const tooMany = await api.gql(POINTS, { id: runId, name: 'loss', first: 10_001 });
    expect(tooMany.errors?.[0]?.message).toMatch(/first must be between 0 and 10000/);
  });
});
