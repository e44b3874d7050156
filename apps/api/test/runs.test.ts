// Projects, runs, lifecycle, idempotency, errors and the dashboard's main query, on both databases.
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

const DASHBOARD_QUERY = `query {
  projects { nodes { name runCount } }
  runs(filter: { projects: ["demo"] }, first: 20) {
    totalCount
    nodes { id name status backend hyperparameters project { name }
            metric(name: "val_accuracy") { step value }
            artifacts { nodes { kind name sha256 bytes url } } }
  }
}`;

describe.each(databases)('runs on $label', (db) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(db);
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('answers the dashboard query exactly as written', async () => {
    const runId = await createRun(api, {
      project: 'demo',
      name: 'cnn-a',
      hyperparameters: { lr: 0.01, epochs: 3 },
      backend: 'wasm',
    });
    await api.ok(LOG_METRICS, {
      runId,
      points: [
        { name: 'val_accuracy', step: 2, value: 0.7 },
        { name: 'val_accuracy', step: 1, value: 0.5 },
        { name: 'loss', step: 1, value: 1.2 },
      ],
    });
    const put = await api.fetch(`${api.origin}/runs/${runId}/artifacts/model.json?kind=model`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"modelTopology":{}}',
    });
    expect(put.status).toBe(201);
    await createRun(api, { project: uniq('other'), name: 'not-demo' });

    const data = await api.ok(DASHBOARD_QUERY);
    expect(data.projects.nodes).toContainEqual({ name: 'demo', runCount: 1 });
    expect(data.runs.totalCount).toBe(1);
    const [node] = data.runs.nodes;
    expect(node).toMatchObject({
      id: runId,
      name: 'cnn-a',
      status: 'QUEUED',
      backend: 'wasm',
      hyperparameters: { lr: 0.01, epochs: 3 },
      project: { name: 'demo' },
      metric: [
        { step: 1, value: 0.5 },
        { step: 2, value: 0.7 },
      ],
    });
    expect(node.artifacts.nodes).toHaveLength(1);
    expect(node.artifacts.nodes[0]).toMatchObject({ kind: 'model', name: 'model.json', bytes: 20 });
    expect(node.artifacts.nodes[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(node.artifacts.nodes[0].url).toBe(
      `http://127.0.0.1:${api.server.port}/runs/${runId}/artifacts/model.json`,
    );
  });

  it('walks a run through its lifecycle and rejects invalid transitions', async () => {
    const project = uniq('life');
    const id = await createRun(api, { project });
    const FIELDS = 'id status startedAt endedAt heartbeatAt backend backendReason error durationMs';
    const started = await api.ok(
      `mutation($id: ID!) { startRun(id: $id, backend: "cpu", backendReason: "no gpu") { ${FIELDS} } }`,
      { id },
    );
    expect(started.startRun).toMatchObject({
      status: 'RUNNING',
      backend: 'cpu',
      backendReason: 'no gpu',
    });
    expect(started.startRun.startedAt).toBeTruthy();

    // A retried start is a no-op, a heartbeat refreshes heartbeatAt.
    const again = await api.ok(`mutation($id: ID!) { startRun(id: $id) { ${FIELDS} } }`, { id });
    expect(again.startRun.status).toBe('RUNNING');
    expect(again.startRun.startedAt).toBe(started.startRun.startedAt);
    const hb = await api.ok(`mutation($id: ID!) { heartbeat(id: $id) { heartbeatAt } }`, { id });
    expect(Date.parse(hb.heartbeat.heartbeatAt)).toBeGreaterThanOrEqual(
      Date.parse(started.startRun.heartbeatAt),
    );

    const done = await api.ok(
      `mutation($id: ID!) { finishRun(id: $id, status: COMPLETED) { ${FIELDS} } }`,
      { id },
    );
    expect(done.finishRun.status).toBe('COMPLETED');
    expect(done.finishRun.endedAt).toBeTruthy();
    expect(done.finishRun.durationMs).toBeGreaterThanOrEqual(0);
    // Repeating the same final status is an idempotent retry...
    const repeat = await api.ok(
      `mutation($id: ID!) { finishRun(id: $id, status: COMPLETED) { status endedAt } }`,
      { id },
    );
    expect(repeat.finishRun).toEqual({ status: 'COMPLETED', endedAt: done.finishRun.endedAt });

    // ...but a finished run can't change state.
    for (const m of [
      `mutation($id: ID!) { finishRun(id: $id, status: FAILED) { id } }`,
      `mutation($id: ID!) { startRun(id: $id) { id } }`,
      `mutation($id: ID!) { heartbeat(id: $id) { id } }`,
    ]) {
      const r = await api.gql(m, { id });
      expect(codeOf(r)).toBe('INVALID_STATE');
    }
    // A queued run cannot complete without starting; it can fail (cancelled).
    const q = await createRun(api, { project });
    expect(
      codeOf(
        await api.gql(`mutation($id: ID!) { finishRun(id: $id, status: COMPLETED) { id } }`, {
          id: q,
        }),
      ),
    ).toBe('INVALID_STATE');
    const failed = await api.ok(
      `mutation($id: ID!) { finishRun(id: $id, status: FAILED, error: "cancelled") { status error } }`,
      { id: q },
    );
    expect(failed.finishRun).toEqual({ status: 'FAILED', error: 'cancelled' });

    const r = await api.ok(`query($id: ID!) { run(id: $id) { status } }`, { id });
    expect(r.run.status).toBe('COMPLETED');
  });

  it('createRun is idempotent on clientRequestId, createProject on name', async () => {
    const project = uniq('idem');
    const key = uniq('req');
    const input = { project, name: 'x', clientRequestId: key, status: 'RUNNING', tags: ['a', 'b'] };
    const [a, b] = await Promise.all([createRun(api, input), createRun(api, input)]);
    const c = await createRun(api, input);
    expect(b).toBe(a);
    expect(c).toBe(a);
    const data = await api.ok(
      `query($p: String!) { project(name: $p) { runCount } runs(filter: { projects: [$p] }) { totalCount nodes { tags status startedAt } } }`,
      { p: project },
    );
    expect(data.project.runCount).toBe(1);
    expect(data.runs.nodes[0]).toMatchObject({ tags: ['a', 'b'], status: 'RUNNING' });

    const name = uniq('proj');
    const p1 = await api.ok(
      `mutation($n: String!) { createProject(name: $n, description: "first") { id description } }`,
      { n: name },
    );
    const p2 = await api.ok(
      `mutation($n: String!) { createProject(name: $n, description: "second") { id description } }`,
      { n: name },
    );
    expect(p2.createProject).toEqual(p1.createProject);
  });

  it('reports unknown ids as NOT_FOUND naming the id', async () => {
    const missing = 'does-not-exist-123';
    expect(
      (await api.ok(`query($id: ID!) { run(id: $id) { id } }`, { id: missing })).run,
    ).toBeNull();
    expect(
      (await api.ok(`query { project(name: "no-such-project-xyz") { id } }`)).project,
    ).toBeNull();
    for (const m of [
      `mutation($id: ID!) { startRun(id: $id) { id } }`,
      `mutation($id: ID!) { heartbeat(id: $id) { id } }`,
      `mutation($id: ID!) { finishRun(id: $id, status: FAILED) { id } }`,
      `mutation($id: ID!) { updateRun(id: $id, notes: "n") { id } }`,
      `mutation($id: ID!) { logMetrics(runId: $id, points: [{ name: "loss", step: 0, value: 1 }]) { accepted } }`,
    ]) {
      const r = await api.gql(m, { id: missing });
      expect(codeOf(r)).toBe('NOT_FOUND');
      expect(r.errors?.[0]?.message).toContain(missing);
    }
  });

  it('rejects malformed input with BAD_USER_INPUT and stores nothing', async () => {
    const project = uniq('bad');
    const cases: Record<string, unknown>[] = [
      { project: '   ' },
      { project, hyperparameters: [1, 2] },
      { project, status: 'COMPLETED' },
      { project, name: 'x'.repeat(201) },
    ];
    for (const input of cases) {
      const r = await api.gql(
        'mutation($input: CreateRunInput!) { createRun(input: $input) { id } }',
        { input },
      );
      expect(codeOf(r), JSON.stringify(input)).toBe('BAD_USER_INPUT');
    }
    // Wrong variable types are rejected by GraphQL itself, with the same code.
    const typed = await api.gql(
      'mutation($input: CreateRunInput!) { createRun(input: $input) { id } }',
      { input: { project: 5 } },
    );
    expect(codeOf(typed)).toBe('BAD_USER_INPUT');
    expect(codeOf(await api.gql('query { runs(first: -1) { totalCount } }'))).toBe(
      'BAD_USER_INPUT',
    );
    expect(codeOf(await api.gql('query { runs(after: "garbage") { totalCount } }'))).toBe(
      'BAD_USER_INPUT',
    );
    expect(
      (await api.ok(`query($p: String!) { project(name: $p) { id } }`, { p: project })).project,
    ).toBeNull();
  });

  it('pages, filters and sorts runs', async () => {
    const project = uniq('page');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await createRun(api, { project, name: `r${i}` }));
    await api.ok(`mutation($id: ID!) { startRun(id: $id) { id } }`, { id: ids[2] });
    const Q = `query($p: String!, $after: String) {
      runs(filter: { projects: [$p] }, first: 2, after: $after, orderBy: { by: { field: NAME }, direction: ASC }) {
        totalCount pageInfo { endCursor hasNextPage } nodes { name } } }`;
    const names: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Loose = await api.ok(Q, { p: project, after });
      expect(page.runs.totalCount).toBe(5);
      names.push(...page.runs.nodes.map((n: { name: string }) => n.name));
      if (!page.runs.pageInfo.hasNextPage) break;
      after = page.runs.pageInfo.endCursor;
    }
    expect(names).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    const running = await api.ok(
      `query($p: String!) { runs(filter: { projects: [$p], statuses: [RUNNING] }) { totalCount nodes { id } } }`,
      { p: project },
    );
    expect(running.runs.nodes).toEqual([{ id: ids[2] }]);
    const byId = await api.ok(`query($ids: [ID!]) { runs(filter: { ids: $ids }) { totalCount } }`, {
      ids: [ids[0], ids[4]],
    });
    expect(byId.runs.totalCount).toBe(2);
    const upd = await api.ok(
      `mutation($id: ID!) { updateRun(id: $id, notes: "hello", tags: ["x"]) { notes tags } }`,
      { id: ids[0] },
    );
    expect(upd.updateRun).toEqual({ notes: 'hello', tags: ['x'] });
  });

  it('serves /healthz and CORS preflight', async () => {
    const h = await api.fetch(`${api.origin}/healthz`);
    expect(h.status).toBe(200);
    expect(await h.json()).toMatchObject({ ok: true, database: db.label });
    const pre = await api.fetch(`${api.origin}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:3000',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(pre.status).toBe(204);
    // The dashboard's origin only (WEB_ORIGIN, by default http://localhost:3000), with credentials.
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(pre.headers.get('access-control-allow-credentials')).toBe('true');
    expect(pre.headers.get('access-control-allow-methods')).toContain('PUT');
  });
});
