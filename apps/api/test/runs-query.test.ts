// The runs query language and key-based sorting end to end, on both databases.
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

const RUNS = `query($filter: RunFilter, $orderBy: RunOrder, $first: Int, $after: String) {
  runs(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount pageInfo { endCursor hasNextPage } nodes { id name }
  }
}`;

const EXAMPLE = 'hp.lr < 0.01 and (best.val_accuracy >= 0.9 or tag = "baseline")';

describe.each(databases)('runs query language on $label', (db) => {
  let api: TestApi;
  let project: string;
  let other: string;
  const ids: Record<string, string> = {};

  /** Logs val_accuracy (one value per step) and a loss curve. */
  async function log(runId: string | undefined, acc: number[], loss: number[] = []) {
    if (runId === undefined) throw new Error('log: the run was not created');
    await api.ok(LOG_METRICS, {
      runId,
      points: [
        ...acc.map((value, step) => ({ name: 'val_accuracy', step, value })),
        ...loss.map((value, step) => ({ name: 'loss', step, value })),
      ],
    });
  }

  const names = (d: Loose) => d.runs.nodes.map((n: { name: string }) => n.name);
  const list = (variables: Record<string, unknown>) => api.ok(RUNS, variables);

  beforeAll(async () => {
    api = await startTestApi(db);
    project = uniq('q');
    other = uniq('q-other');
    const make = async (name: string, input: Record<string, unknown>) => {
      ids[name] = await createRun(api, { project, name, ...input });
    };
    // Expected by the example: a (best 0.95 though final 0.7), b (baseline), e (baseline, no metrics).
    await make('a', { hyperparameters: { learningRate: 0.001, batchSize: 32 } });
    await log(ids.a, [0.5, 0.95, 0.7], [1.0, 0.4, 0.6]);
    await make('b', { hyperparameters: { learningRate: 0.005 }, tags: ['baseline'] });
    await log(ids.b, [0.6, 0.8], [0.9, 0.5]);
    await make('c', { hyperparameters: { learningRate: 0.005 }, tags: ['other'] });
    await log(ids.c, [0.6, 0.89]);
    await make('d', { hyperparameters: { learningRate: 0.05 }, tags: ['baseline'] });
    await log(ids.d, [0.99]);
    await make('e', {
      hyperparameters: { learningRate: 0.0001, batchSize: 64 },
      tags: ['baseline'],
    });
    await make('f', { hyperparameters: { optimizer: 'sgd' } });
    await log(ids.f, [0.97]);
    ids.g = await createRun(api, { project: other, name: 'g', hyperparameters: { lr: 0.002 } });
    await log(ids.g, [0.91]);
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('returns exactly the runs of the example query', async () => {
    const d = await list({
      filter: { projects: [project], query: EXAMPLE },
      orderBy: { by: { field: 'NAME' }, direction: 'ASC' },
    });
    expect(names(d)).toEqual(['a', 'b', 'e']);
    expect(d.runs.totalCount).toBe(3);
    // Across projects, hp.lr also reads a run that stores `lr` itself.
    const all = await list({
      filter: { projects: [project, other], query: EXAMPLE },
      orderBy: { by: { key: 'name' }, direction: 'ASC' },
    });
    expect(names(all)).toEqual(['a', 'b', 'e', 'g']);
  });

  it('supports the other fields and operators', async () => {
    const q = async (query: string) =>
      names(
        await list({
          filter: { projects: [project, other], query },
          orderBy: { by: { key: 'name' }, direction: 'ASC' },
          first: 100,
        }),
      );
    expect(await q('final.val_accuracy < 0.75')).toEqual(['a']);
    expect(await q('best.loss <= 0.4')).toEqual(['a']);
    expect(await q('hp.batch_size >= 32 && !tag = "baseline"')).toEqual(['a']);
    expect(await q('hp.optimizer ~ "SG"')).toEqual(['f']);
    expect(await q(`project = "${other}"`)).toEqual(['g']);
    expect(await q('name ~ "A" or name = "c"')).toEqual(['a', 'c']);
    expect(
      await q('status = "queued" and created >= "2020-01-01" and created < "2999-01-01"'),
    ).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(await q('duration > 0 or started >= "2020-01-01"')).toEqual([]);
    expect(await q('NOT (tag = "baseline" OR tag = "other")')).toEqual(['a', 'f', 'g']);
  });

  it('ANDs the query with the other filter fields', async () => {
    const d = await list({
      filter: {
        projects: [project],
        ids: [ids.a, ids.d, ids.g],
        query: 'tag = "baseline" or hp.lr < 0.01',
      },
    });
    expect(d.runs.nodes.map((n: { id: string }) => n.id).sort()).toEqual([ids.a, ids.d].sort());
  });

  it('sorts by best.val_accuracy with missing values last, in both directions', async () => {
    const desc = await list({
      filter: { projects: [project] },
      orderBy: { by: { key: 'best.val_accuracy' }, direction: 'DESC' },
    });
    expect(names(desc)).toEqual(['d', 'f', 'a', 'c', 'b', 'e']);
    const asc = await list({
      filter: { projects: [project] },
      orderBy: { by: { key: 'best.val_accuracy' }, direction: 'ASC' },
    });
    expect(names(asc)).toEqual(['b', 'c', 'a', 'f', 'd', 'e']);
    const lr = await list({
      filter: { projects: [project] },
      orderBy: { by: { key: 'hp.learningRate' }, direction: 'ASC' },
    });
    expect(names(lr)).toEqual(['e', 'a', ...names(lr).slice(2, 4), 'd', 'f']);
    expect(names(lr).slice(2, 4).sort()).toEqual(['b', 'c']);
  });

  it('pages a query with correct cursors and totalCount', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const d: Loose = await list({
        filter: { projects: [project, other], query: 'best.val_accuracy > 0.85' },
        orderBy: { by: { key: 'best.val_accuracy' }, direction: 'DESC' },
        first: 2,
        after,
      });
      expect(d.runs.totalCount).toBe(5);
      seen.push(...names(d));
      if (!d.runs.pageInfo.hasNextPage) break;
      after = d.runs.pageInfo.endCursor;
    }
    expect(seen).toEqual(['d', 'f', 'a', 'g', 'c']);
  });

  it('keeps final./best. in step with newly logged points', async () => {
    const id = await createRun(api, { project, name: 'live' });
    await log(id, [0.1, 0.2]);
    const q = async (query: string) =>
      names(await list({ filter: { projects: [project], query } }));
    expect(await q('name = "live" and final.val_accuracy = 0.2')).toEqual(['live']);
    await api.ok(LOG_METRICS, {
      runId: id,
      points: [
        { name: 'val_accuracy', step: 7, value: 0.05 },
        { name: 'val_accuracy', step: 1, value: 0.2 },
      ],
    });
    expect(
      await q('name = "live" and final.val_accuracy = 0.05 and best.val_accuracy = 0.2'),
    ).toEqual(['live']);
    const s = await api.ok(
      `query($id: ID!) { run(id: $id) { summary { name last lastStep min max count } metricNames } }`,
      { id },
    );
    expect(s.run.summary).toEqual([
      { name: 'val_accuracy', last: 0.05, lastStep: 7, min: 0.05, max: 0.2, count: 3 },
    ]);
    expect(s.run.metricNames).toEqual(['val_accuracy']);
  });

  it('reads the hyperparameters a queued run was written with (RunParam rows)', async () => {
    const { runs } = await list({ filter: { projects: [project] }, first: 1 });
    const projectId = (
      await api.ok<{ run: { project: { id: string } } }>(
        'query($id: ID!) { run(id: $id) { project { id } } }',
        { id: runs.nodes[0].id },
      )
    ).run.project.id;
    const queued = await api.ok<{ queueRun: { id: string; name: string } }>(
      'mutation($i: QueueRunInput!) { queueRun(input: $i) { id name } }',
      {
        i: {
          projectId,
          config: { preset: 'cifar3-cnn' },
          hyperparameters: { learningRate: 0.0003, epochs: 3 },
        },
      },
    );
    // hp.lr reads learningRate through its alias; hp.epochs = "3" compares 3 as text.
    const d = await list({
      filter: { projects: [project], query: 'hp.lr = 0.0003 and hp.epochs = "3"' },
    });
    expect(d.runs.nodes.map((n: { id: string }) => n.id)).toEqual([queued.queueRun.id]);
    expect(d.runs.totalCount).toBe(1);
  });

  it('answers a syntax error with QUERY_SYNTAX_ERROR, its position and reason', async () => {
    const r = await api.gql(RUNS, { filter: { query: 'hp.lr <' } });
    expect(codeOf(r)).toBe('QUERY_SYNTAX_ERROR');
    expect(r.errors?.[0]?.message).toBe('expected a value after "<" at 1:8\n  hp.lr <\n         ^');
    expect(r.errors?.[0]?.extensions).toMatchObject({
      line: 1,
      column: 8,
      offset: 7,
      reason: 'expected a value after "<"',
      field: 'filter.query',
    });
    const unknown = await api.gql(RUNS, { filter: { query: 'tag = "a" and accuracy > 1' } });
    expect(codeOf(unknown)).toBe('QUERY_SYNTAX_ERROR');
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ column: 15 });
    const key = await api.gql(RUNS, { orderBy: { by: { key: 'best.' }, direction: 'ASC' } });
    expect(codeOf(key)).toBe('QUERY_SYNTAX_ERROR');
    const both = await api.gql(RUNS, {
      orderBy: { by: { key: 'name', field: 'NAME' }, direction: 'ASC' },
    });
    expect(codeOf(both)).toBe('BAD_USER_INPUT');
    expect(both.errors?.[0]?.message).toMatch(
      /Exactly one key must be specified for OneOf type "RunSortKey"/,
    );
  });
});
