// Sweeps end to end on both databases: createSweep from YAML and JSON, BAD_USER_INPUT naming the
// field, roles, grid queuing exactly its points (never more than `parallel` in flight), runs
// finishing (through startRun/finishRun, as a worker would) queuing the next, ASHA cancelling a
// weak run at its rung, pause/resume/stop, best run and importance. The server's own sweep timer
// is slowed down: each test ticks explicitly (tickSweeps), as the timer would.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/common/context';
import { createDatabase } from '../src/db/prisma';
import { SweepRepository } from '../src/sweep/sweep.repository';
import { SweepService } from '../src/sweep/sweep.service';
import { codeOf, databases, LOG_METRICS, startTestApi, uniq, type TestApi } from './helpers';

/** Signs a user in through a one-time login link and returns an owner-capped API key of theirs. */
async function keyOf(api: TestApi, email: string): Promise<string> {
  const link = (
    await api.ok<{ createLoginLink: string }>(
      'mutation($e: String!) { createLoginLink(email: $e) }',
      { e: email },
    )
  ).createLoginLink;
  const url = new URL(link);
  const res = await fetch(`${api.origin}${url.pathname}${url.search}`, { redirect: 'manual' });
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((c) => c?.startsWith('convscope.session_token='));
  expect(cookie, 'login link sets a session cookie').toBeTruthy();
  const created = await fetch(`${api.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: cookie! },
    body: JSON.stringify({
      query: 'mutation { createApiKey(input: { name: "t", role: OWNER }) { key } }',
    }),
  });
  const body = (await created.json()) as { data: { createApiKey: { key: string } } };
  return body.data.createApiKey.key;
}

const CREATE = `mutation($p: ID!, $n: String!, $c: String!) {
  createSweep(projectId: $p, name: $n, config: $c) { id name status method metric { name goal } }
}`;
const SWEEP = `query($id: ID!) { sweep(id: $id) {
  id status lastError
  progress { queued running completed failed cancelled launched planned parallel launchErrors }
  points { runId runName status parameters value }
  bestRun { runId value }
  importance { name correlation importance }
  runs(first: 100) { totalCount nodes { id name status sweepId hyperparameters } }
} }`;

const GRID = `
method: grid
metric: { name: val_accuracy, goal: maximize }
parameters:
  learningRate: { values: [0.001, 0.01, 0.1] }
  batchSize: { values: [16, 32] }
budget: { maxRuns: 100, parallel: 2 }
base: { preset: fmnist-cnn, training: { epochs: 1 } }
`;

describe.each(databases)('sweeps on $label', (db) => {
  let api: TestApi;
  let projectId = '';
  const keys = { editor: '', viewer: '', outsider: '' };

  beforeAll(async () => {
    api = await startTestApi(db, { sweepTickMs: 3_600_000 });
    const name = uniq('sweeps');
    projectId = (
      await api.ok<{ createProject: { id: string } }>(
        'mutation($n: String!) { createProject(name: $n) { id } }',
        { n: name },
      )
    ).createProject.id;
    const emails = {
      editor: 'sw-ed@lab.test',
      viewer: 'sw-vi@lab.test',
      outsider: 'sw-out@lab.test',
    };
    for (const [who, email] of Object.entries(emails))
      await api.ok('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
        i: { email, name: who },
      });
    await api.ok(
      `mutation($p: String!) {
        a: setProjectMember(project: $p, email: "${emails.editor}", role: EDITOR) { email }
        b: setProjectMember(project: $p, email: "${emails.viewer}", role: VIEWER) { email }
      }`,
      { p: name },
    );
    for (const who of ['editor', 'viewer', 'outsider'] as const)
      keys[who] = await keyOf(api, emails[who]);
  });
  afterAll(() => api?.stop());

  async function sweep(id: string) {
    return (await api.ok<{ sweep: Loose }>(SWEEP, { id })).sweep;
  }
  type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

  async function create(config: string, as = keys.editor) {
    const r = await api.gql(CREATE, { p: projectId, n: uniq('sw'), c: config }, { key: as });
    expect(r.errors).toBeUndefined();
    return r.data.createSweep as { id: string; status: string };
  }

  /** Runs a run as a worker would: start, log `values` (step = epoch), finish. */
  async function train(
    runId: string,
    values: number[],
    finish: 'COMPLETED' | 'FAILED' | null,
    t0 = Date.now(),
  ) {
    await api.ok('mutation($id: ID!) { startRun(id: $id) { id } }', { id: runId });
    if (values.length)
      await api.ok(LOG_METRICS, {
        runId,
        points: values.map((value, i) => ({
          name: 'val_accuracy',
          step: i + 1,
          value,
          time: new Date(t0 + i * 1000).toISOString(),
        })),
      });
    if (finish)
      await api.ok(
        'mutation($id: ID!, $s: FinalRunStatus!) { finishRun(id: $id, status: $s) { id } }',
        {
          id: runId,
          s: finish,
        },
      );
  }

  it('refuses a bad config with BAD_USER_INPUT naming the field, storing nothing', async () => {
    const cases: [string, string, RegExp][] = [
      ['method: [grid', 'config', /not valid YAML or JSON/],
      [
        GRID.replace('method: grid', 'method: bayes'),
        'config.method',
        /expected grid, random or asha/,
      ],
      [GRID.replace('maxRuns: 100', 'maxRuns: -3'), 'config.budget.maxRuns', /got -3/],
      [
        GRID.replace('batchSize:', 'dropoutRate:'),
        'config.parameters.dropoutRate',
        /training overrides/,
      ],
      [GRID.replace('[16, 32]', '[16, 0]'), 'config.parameters.batchSize', /./],
      [GRID.replace('fmnist-cnn', 'no-such-preset'), 'config.base.preset', /unknown preset/],
      [
        JSON.stringify({
          method: 'random',
          metric: { name: 'a', goal: 'maximize' },
          parameters: {},
          budget: { maxRuns: 2 },
        }),
        'config.parameters',
        /at least one parameter/,
      ],
    ];
    for (const [config, field, message] of cases) {
      const r = await api.gql(CREATE, { p: projectId, n: 'bad', c: config }, { key: keys.editor });
      expect(codeOf(r), config).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0]?.extensions?.field, config).toBe(field);
      expect(r.errors?.[0]?.message, config).toMatch(message);
    }
    const list = await api.ok('query($p: ID!) { sweeps(projectId: $p) { totalCount } }', {
      p: projectId,
    });
    expect(list.sweeps.totalCount).toBe(0);
  });

  it('checks roles: viewers read, only editors create and stop, outsiders see nothing', async () => {
    const denied = await api.gql(CREATE, { p: projectId, n: 'v', c: GRID }, { key: keys.viewer });
    expect(codeOf(denied)).toBe('FORBIDDEN');
    const hidden = await api.gql(CREATE, { p: projectId, n: 'o', c: GRID }, { key: keys.outsider });
    expect(codeOf(hidden)).toBe('NOT_FOUND');
    const anon = await api.gql(CREATE, { p: projectId, n: 'a', c: GRID }, { key: null });
    expect(codeOf(anon)).toBe('UNAUTHENTICATED');
    const s = await create(GRID);
    const read = await api.gql(
      'query($id: ID!) { sweep(id: $id) { id } }',
      { id: s.id },
      { key: keys.viewer },
    );
    expect(read.data.sweep.id).toBe(s.id);
    const outsider = await api.gql(
      'query($id: ID!) { sweep(id: $id) { id } }',
      { id: s.id },
      { key: keys.outsider },
    );
    expect(outsider.data.sweep).toBeNull();
    const list = await api.gql(
      'query($p: ID!) { sweeps(projectId: $p) { totalCount } }',
      { p: projectId },
      { key: keys.outsider },
    );
    expect(codeOf(list)).toBe('NOT_FOUND');
    const stop = await api.gql(
      'mutation($id: ID!) { stopSweep(id: $id) { id } }',
      { id: s.id },
      { key: keys.viewer },
    );
    expect(codeOf(stop)).toBe('FORBIDDEN');
    await api.ok('mutation($id: ID!) { stopSweep(id: $id) { status } }', { id: s.id });
  });

  it('queues exactly the grid, `parallel` at a time, the next as runs finish', async () => {
    const s = await create(GRID);
    let view = await sweep(s.id);
    expect(view.progress).toMatchObject({
      queued: 2,
      running: 0,
      launched: 2,
      planned: 6,
      parallel: 2,
    });
    // A tick with nothing finished queues nothing more.
    await api.server.tickSweeps();
    expect((await sweep(s.id)).progress.launched).toBe(2);
    const seen: string[] = [];
    for (let round = 0; round < 10 && view.status === 'RUNNING'; round++) {
      const queued = view.runs.nodes.filter((r: Loose) => r.status === 'QUEUED');
      expect(queued.length).toBeLessThanOrEqual(2);
      for (const run of queued) {
        expect(run.sweepId).toBe(s.id);
        seen.push(`${run.hyperparameters.learningRate}/${run.hyperparameters.batchSize}`);
        await train(run.id, [0.5 + run.hyperparameters.learningRate], 'COMPLETED');
      }
      await api.server.tickSweeps();
      view = await sweep(s.id);
    }
    expect(view.status).toBe('FINISHED');
    expect(view.progress).toMatchObject({ completed: 6, launched: 6, queued: 0, running: 0 });
    expect(view.runs.totalCount).toBe(6);
    expect(seen.sort()).toEqual(
      ['0.001/16', '0.001/32', '0.01/16', '0.01/32', '0.1/16', '0.1/32'].sort(),
    );
    expect(view.bestRun.value).toBeCloseTo(0.6, 12);
    expect(view.points).toHaveLength(6);
    // learningRate drives the metric exactly; batchSize not at all.
    const lr = view.importance.find((r: Loose) => r.name === 'learningRate');
    const bs = view.importance.find((r: Loose) => r.name === 'batchSize');
    // np.corrcoef([.001,.001,.01,.01,.1,.1], .5 + lr) = 1; batch sizes share each value: 0.
    expect(lr.correlation).toBeCloseTo(1, 9);
    expect(bs.correlation).toBeCloseTo(0, 9);
    expect(lr.importance).toBeGreaterThan(bs.importance);
  });

  it('ASHA cancels a run that falls outside the top 1/eta at a rung', async () => {
    const config = JSON.stringify({
      method: 'asha',
      metric: { name: 'val_accuracy', goal: 'maximize' },
      parameters: { learningRate: { min: 0.0001, max: 0.1, distribution: 'log_uniform' } },
      budget: { maxRuns: 3, parallel: 3 },
      seed: 1,
      base: { preset: 'fmnist-cnn' },
      asha: { minResource: 1, eta: 3, maxResource: 9 },
    });
    const s = await create(config);
    const view = await sweep(s.id);
    const runs = view.runs.nodes as Loose[];
    expect(runs).toHaveLength(3);
    for (const r of runs) expect(r.hyperparameters.epochs).toBe(9);
    const t0 = Date.now() - 60_000;
    // Rung 1 (epoch 1): arrivals .5, .6, then .2: n = 3, top floor(3/3) = 1 -> the third is stopped.
    await train(runs[0]!.id, [0.5], null, t0);
    await train(runs[1]!.id, [0.6], null, t0 + 100);
    await train(runs[2]!.id, [0.2], null, t0 + 200);
    await api.server.tickSweeps();
    const after = await api.ok('query($id: ID!) { run(id: $id) { status cancelRequested } }', {
      id: runs[2]!.id,
    });
    expect(after.run.cancelRequested).toBe(true);
    for (const r of runs.slice(0, 2)) {
      const other = await api.ok('query($id: ID!) { run(id: $id) { cancelRequested } }', {
        id: r.id,
      });
      expect(other.run.cancelRequested).toBe(false);
    }
    await api.ok('mutation($id: ID!) { stopSweep(id: $id) { id } }', { id: s.id });
  });

  it('pause queues no more, resume goes on, stop cancels queued runs', async () => {
    const s = await create(GRID.replace('parallel: 2', 'parallel: 1'));
    let view = await sweep(s.id);
    expect(view.progress.queued).toBe(1);
    const paused = await api.ok('mutation($id: ID!) { pauseSweep(id: $id) { status } }', {
      id: s.id,
    });
    expect(paused.pauseSweep.status).toBe('PAUSED');
    await train(view.runs.nodes[0].id, [0.7], 'COMPLETED');
    await api.server.tickSweeps();
    view = await sweep(s.id);
    expect(view.progress).toMatchObject({ launched: 1, completed: 1, queued: 0 });
    const resumed = await api.ok(
      'mutation($id: ID!) { resumeSweep(id: $id) { status progress { queued launched } } }',
      { id: s.id },
    );
    expect(resumed.resumeSweep).toMatchObject({
      status: 'RUNNING',
      progress: { queued: 1, launched: 2 },
    });
    const stopped = await api.ok(
      'mutation($id: ID!) { stopSweep(id: $id) { status progress { queued cancelled completed } } }',
      { id: s.id },
    );
    expect(stopped.stopSweep).toMatchObject({
      status: 'STOPPED',
      progress: { queued: 0, cancelled: 1, completed: 1 },
    });
    await api.server.tickSweeps();
    expect((await sweep(s.id)).progress.launched).toBe(2);
    const again = await api.gql('mutation($id: ID!) { resumeSweep(id: $id) { id } }', { id: s.id });
    expect(codeOf(again)).toBe('INVALID_STATE');
  });

  it('a stop while another instance is queuing the next run cancels that run too', async () => {
    const s = await create(GRID.replace('parallel: 2', 'parallel: 1'));
    await train((await sweep(s.id)).runs.nodes[0].id, [0.5], 'COMPLETED');
    // A second API instance on the same database ticks the sweep: it claims index 2 while the
    // sweep is RUNNING, and this instance's stopSweep lands before that run exists (so the
    // stop's cancel cannot see it). No later tick looks at a STOPPED sweep.
    const database = createDatabase(api.databaseUrl);
    try {
      const other = createApp(database.prisma, database.kind, {
        artifactsDir: api.artifactsDir,
        maxArtifactBytes: 1024,
        publicUrl: () => api.origin,
        auth: { secret: 'x'.repeat(32), baseUrl: api.origin, trustedOrigins: [] },
      });
      const stopped = { status: '' };
      const racing = new SweepService(
        new SweepRepository(database.prisma),
        other.repos.access,
        () => ({
          async queueRun(principal, input) {
            if (!stopped.status)
              stopped.status = (
                await api.ok<{ stopSweep: { status: string } }>(
                  'mutation($id: ID!) { stopSweep(id: $id) { status } }',
                  { id: s.id },
                )
              ).stopSweep.status;
            return other.services.queue.queueRun(principal, input);
          },
          cancelRun: (principal, runId) => other.services.queue.cancelRun(principal, runId),
        }),
      );
      await racing.tick(s.id);
      expect(stopped.status).toBe('STOPPED');
    } finally {
      await database.close();
    }
    const view = await sweep(s.id);
    expect(view.status).toBe('STOPPED');
    expect(view.runs.totalCount).toBe(2);
    expect(view.progress).toMatchObject({
      launched: 2,
      queued: 0,
      running: 0,
      completed: 1,
      cancelled: 1,
    });
  });

  // Several instances serve one PostgreSQL database; the embedded SQLite default is one process.
  it.skipIf(db.label === 'sqlite')(
    'two API instances ticking one sweep at once queue each grid point once',
    async () => {
      const second = await startTestApi(
        db,
        {
          sweepTickMs: 3_600_000,
          // Instances of one deployment share the key file and its auth secret.
          keyFile: path.join(
            api.artifactsDir,
            '..',
            `${path.basename(api.artifactsDir)}-key`,
            'local-api-key',
          ),
        },
        { url: api.databaseUrl, dispose: async () => undefined },
      );
      try {
        const s = await create(GRID.replace('parallel: 2', 'parallel: 3'));
        for (let round = 0; round < 6; round++) {
          const view = await sweep(s.id);
          if (view.status !== 'RUNNING') break;
          for (const run of view.runs.nodes.filter((r: Loose) => r.status === 'QUEUED'))
            await train(run.id, [0.5], 'COMPLETED');
          await Promise.all([
            api.server.tickSweeps(),
            second.server.tickSweeps(),
            api.server.tickSweeps(),
            second.server.tickSweeps(),
          ]);
          const after = await sweep(s.id);
          expect(after.progress.queued + after.progress.running).toBeLessThanOrEqual(3);
        }
        const view = await sweep(s.id);
        expect(view.status).toBe('FINISHED');
        expect(view.runs.totalCount).toBe(6);
        const points = view.runs.nodes.map(
          (r: Loose) => `${r.hyperparameters.learningRate}/${r.hyperparameters.batchSize}`,
        );
        expect(new Set(points).size).toBe(6);
      } finally {
        await second.stop();
      }
    },
  );

  it("pages a project's sweeps newest first", async () => {
    const all: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Loose = await api.ok(
        'query($p: ID!, $a: String) { sweeps(projectId: $p, first: 2, after: $a) { totalCount pageInfo { hasNextPage endCursor } nodes { id createdAt } } }',
        { p: projectId, a: after },
      );
      all.push(...page.sweeps.nodes.map((n: Loose) => n.id));
      if (!page.sweeps.pageInfo.hasNextPage) break;
      after = page.sweeps.pageInfo.endCursor;
    }
    expect(new Set(all).size).toBe(all.length);
    const total = (
      await api.ok('query($p: ID!) { sweeps(projectId: $p) { totalCount } }', { p: projectId })
    ).sweeps.totalCount;
    expect(all).toHaveLength(total);
    expect(total).toBeGreaterThanOrEqual(4);
  });
});
