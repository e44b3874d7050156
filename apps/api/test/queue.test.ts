// Queued work end to end over GraphQL, on SQLite (embedded table queue) and PostgreSQL (pg-boss):
// queue -> claim -> heartbeat -> start -> complete; priorities; capabilities; cancel while queued
// and while running; an expired lease retried on another worker with the stale worker refused;
// the retry limit; who may queue and claim; explanation jobs (kind EXPLAIN) beside training;
// bad input named.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/common/clock';
import {
  codeOf,
  createRun,
  databases,
  startTestApi,
  uniq,
  type Loose,
  type TestApi,
} from './helpers';

const LEASE_S = 30;

const QUEUE = `mutation($i: QueueRunInput!) {
  queueRun(input: $i) { id name status priority attempts cancelRequested queuedConfig hyperparameters sourceRunId sweepId }
}`;
const REGISTER = `mutation($i: RegisterWorkerInput!) { registerWorker(input: $i) { id status kinds } }`;
const CLAIM = `mutation($w: ID!) { claimJob(workerId: $w) { id kind runId attempt leaseExpiresAt payload } }`;
const BEAT = `mutation($w: ID!, $j: [ID!]!) { heartbeatWorker(workerId: $w, jobIds: $j) { cancelJobIds leaseExpiresAt } }`;
const START = `mutation($r: ID!, $w: ID!) { startQueuedRun(runId: $r, workerId: $w) { id status worker { id } } }`;
const COMPLETE = `mutation($w: ID!, $j: ID!) { completeJob(workerId: $w, jobId: $j) }`;
const FAIL = `mutation($w: ID!, $j: ID!, $e: String!, $r: Boolean) { failJob(workerId: $w, jobId: $j, error: $e, retryable: $r) }`;
const ACK = `mutation($w: ID!, $j: ID!) { acknowledgeCancel(workerId: $w, jobId: $j) }`;
const CANCEL = `mutation($id: ID!) { cancelRun(id: $id) { id status cancelRequested } }`;
const RUN = `query($id: ID!) { run(id: $id) { id status error attempts cancelRequested worker { id name } } }`;

/** A signed-in user's API key (through a one-time login link). */
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
  const made = await fetch(`${api.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: cookie ?? '' },
    body: JSON.stringify({
      query: 'mutation { createApiKey(input: { name: "worker", role: OWNER }) { key } }',
    }),
  });
  const body = await made.json();
  return body.data.createApiKey.key as string;
}

describe.each(databases)('queued work on $label', (db) => {
  let api: TestApi;
  const clock = new FakeClock();
  let projectId = '';
  let projectName = '';
  let otherProjectId = '';
  const keys = { viewer: '', outsider: '' };
  const worker = (over: Record<string, unknown> = {}) => ({
    name: 'w',
    host: 'host-a',
    backend: 'onednn',
    gpu: false,
    memoryMb: 8000,
    concurrency: 1,
    ...over,
  });
  const queue = async (over: Record<string, unknown> = {}) =>
    (
      await api.ok(QUEUE, {
        i: { projectId, config: { preset: 'cifar3-cnn' }, hyperparameters: { epochs: 1 }, ...over },
      })
    ).queueRun;
  const register = async (over: Record<string, unknown> = {}, as?: string) => {
    const r = await api.gql(REGISTER, { i: worker(over) }, as ? { key: as } : undefined);
    expect(r.errors).toBeUndefined();
    return r.data.registerWorker.id as string;
  };
  const claim = async (w: string, as?: string) => {
    const r = await api.gql(CLAIM, { w }, as ? { key: as } : undefined);
    expect(r.errors).toBeUndefined();
    return r.data.claimJob;
  };
  /** Claims until nothing is left, finishing each (keeps tests independent). */
  const drain = async (w: string) => {
    for (let job = await claim(w); job; job = await claim(w))
      await api.ok(COMPLETE, { w, j: job.id });
  };

  beforeAll(async () => {
    api = await startTestApi(db, { clock, jobLeaseS: LEASE_S, jobMaxAttempts: 2 });
    const names = { a: uniq('q'), b: uniq('other') };
    projectName = names.a;
    projectId = (
      await api.ok('mutation($n: String!) { createProject(name: $n) { id } }', { n: names.a })
    ).createProject.id;
    otherProjectId = (
      await api.ok('mutation($n: String!) { createProject(name: $n) { id } }', { n: names.b })
    ).createProject.id;
    for (const [who, email] of [
      ['viewer', 'viewer@q.test'],
      ['outsider', 'outsider@q.test'],
    ] as const) {
      await api.ok('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
        i: { email, name: who },
      });
      keys[who] = await keyOf(api, email);
    }
    await api.ok(
      `mutation($a: String!, $b: String!) {
        v: setProjectMember(project: $a, email: "viewer@q.test", role: VIEWER) { email }
        o: setProjectMember(project: $b, email: "outsider@q.test", role: EDITOR) { email }
      }`,
      names,
    );
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('lists the presets', async () => {
    const d = await api.ok<Loose>('{ presets { name classes inputShape epochs } }');
    expect(d.presets.find((p: Loose) => p.name === 'cifar3-cnn')).toEqual({
      name: 'cifar3-cnn',
      classes: 3,
      inputShape: [32, 32, 3],
      epochs: 10,
    });
  });

  it('queues, claims, heartbeats, starts and completes a run', async () => {
    const run = await queue({ name: 'first', tags: ['q'], priority: 0 });
    expect(run).toMatchObject({
      name: 'first',
      status: 'QUEUED',
      attempts: 0,
      cancelRequested: false,
    });
    expect(run.queuedConfig).toEqual({ preset: 'cifar3-cnn', training: { epochs: 1 } });
    expect(run.hyperparameters).toMatchObject({ preset: 'cifar3-cnn', epochs: 1, batchSize: 64 });
    const w = await register({ name: 'one' });
    const job = await claim(w);
    expect(job).toMatchObject({ kind: 'TRAIN', runId: run.id, attempt: 1 });
    expect(job.payload).toMatchObject({
      projectId,
      runId: run.id,
      runName: 'first',
      config: { preset: 'cifar3-cnn', training: { epochs: 1 } },
      hyperparameters: { epochs: 1 },
      resumeFromArtifactId: null,
    });
    expect(await claim(w)).toBeNull(); // nothing else queued
    const started = await api.ok<Loose>(START, { r: run.id, w });
    expect(started.startQueuedRun).toMatchObject({ status: 'RUNNING', worker: { id: w } });
    clock.advance(10_000);
    const beat = await api.ok<Loose>(BEAT, { w, j: [job.id] });
    expect(beat.heartbeatWorker.cancelJobIds).toEqual([]);
    expect(Date.parse(beat.heartbeatWorker.leaseExpiresAt)).toBeGreaterThan(
      Date.parse(job.leaseExpiresAt),
    );
    const list = await api.ok<Loose>(
      '{ workers(first: 10) { nodes { id status currentRuns { id } } } }',
    );
    expect(list.workers.nodes.find((n: Loose) => n.id === w)).toMatchObject({
      status: 'BUSY',
      currentRuns: [{ id: run.id }],
    });
    expect((await api.ok<Loose>(COMPLETE, { w, j: job.id })).completeJob).toBe(true);
    const done = (await api.ok<Loose>(RUN, { id: run.id })).run;
    expect(done).toMatchObject({
      status: 'COMPLETED',
      attempts: 1,
      worker: { id: w, name: 'one' },
    });
    // A second completion of the same job is refused: the worker no longer holds it.
    const again = await api.gql(COMPLETE, { w, j: job.id });
    expect(again.errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_STATE',
      reason: 'LEASE_LOST',
    });
  });

  it('claims higher priority first, then oldest first', async () => {
    const low1 = await queue({ name: 'low1' });
    const high = await queue({ name: 'high', priority: 5 });
    const low2 = await queue({ name: 'low2' });
    const w = await register();
    const order: string[] = [];
    for (let job = await claim(w); job; job = await claim(w)) {
      order.push(job.runId);
      await api.ok(COMPLETE, { w, j: job.id });
    }
    expect(order).toEqual([high.id, low1.id, low2.id]);
  });

  it('places jobs only on workers that meet their requirements', async () => {
    const gpuRun = await queue({ requirements: { gpu: true, minMemoryMb: 16000 } });
    const tfRun = await queue({ requirements: { backend: 'tensorflow' } });
    const cpu = await register({ gpu: false, memoryMb: 64000 });
    const smallGpu = await register({ gpu: true, memoryMb: 8000, backend: 'tensorflow' });
    const bigGpu = await register({ gpu: true, memoryMb: 32000 });
    expect(await claim(cpu)).toBeNull();
    const onSmall = await claim(smallGpu);
    expect(onSmall.runId).toBe(tfRun.id); // memory too small for the GPU job, backend fits
    const onBig = await claim(bigGpu);
    expect(onBig.runId).toBe(gpuRun.id);
    await api.ok(COMPLETE, { w: smallGpu, j: onSmall.id });
    await api.ok(COMPLETE, { w: bigGpu, j: onBig.id });
  });

  it('cancels a queued run at once and a running one through its worker', async () => {
    const queued = await queue();
    const c = await api.ok<Loose>(CANCEL, { id: queued.id });
    expect(c.cancelRun.status).toBe('CANCELLED');
    const w = await register();
    expect(await claim(w)).toBeNull(); // the cancelled job is never delivered

    const running = await queue();
    const job = await claim(w);
    await api.ok(START, { r: running.id, w });
    const asked = await api.ok<Loose>(CANCEL, { id: running.id });
    expect(asked.cancelRun).toMatchObject({ status: 'RUNNING', cancelRequested: true });
    const beat = await api.ok<Loose>(BEAT, { w, j: [job.id] });
    expect(beat.heartbeatWorker.cancelJobIds).toEqual([job.id]);
    await api.ok(ACK, { w, j: job.id });
    expect((await api.ok<Loose>(RUN, { id: running.id })).run.status).toBe('CANCELLED');
    // A finished run cannot be cancelled.
    const done = await api.gql(CANCEL, { id: running.id });
    expect(done.errors).toBeUndefined(); // already CANCELLED: returned as it is
  });

  it('retries an expired lease on another worker, refuses the stale one, and fails past the limit', async () => {
    const run = await queue({ name: 'retry-me' });
    const a = await register({ name: 'a' });
    const b = await register({ name: 'b' });
    const first = await claim(a);
    await api.ok(START, { r: run.id, w: a });
    clock.advance((LEASE_S + 1) * 1000);
    await api.server.reapNow();
    expect((await api.ok<Loose>(RUN, { id: run.id })).run.status).toBe('QUEUED');
    const second = await claim(b);
    expect(second).toMatchObject({ id: first.id, runId: run.id, attempt: 2 });
    const stale = await api.gql(BEAT, { w: a, j: [first.id] });
    expect(stale.errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_STATE',
      reason: 'LEASE_LOST',
    });
    expect(stale.errors?.[0]?.message).toContain(first.id);
    const staleDone = await api.gql(COMPLETE, { w: a, j: first.id });
    expect(staleDone.errors?.[0]?.extensions?.reason).toBe('LEASE_LOST');
    await api.ok(START, { r: run.id, w: b });
    expect((await api.ok<Loose>(RUN, { id: run.id })).run).toMatchObject({
      status: 'RUNNING',
      worker: { id: b },
    });
    // The second attempt is the last (jobMaxAttempts 2): its lease expiring fails the run.
    clock.advance((LEASE_S + 1) * 1000);
    await api.server.reapNow();
    const failed = (await api.ok<Loose>(RUN, { id: run.id })).run;
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatch(/lease expired.*gave up after 2 attempts/);
    expect(await claim(b)).toBeNull();
  });

  it('hands each job to one worker when many claim at once', async () => {
    const runs = await Promise.all(Array.from({ length: 6 }, () => queue()));
    const workers = await Promise.all(Array.from({ length: 4 }, () => register()));
    const claimed: Loose[] = [];
    await Promise.all(
      workers.map(async (w) => {
        for (let job = await claim(w); job; job = await claim(w)) {
          claimed.push(job);
          await api.ok(COMPLETE, { w, j: job.id });
        }
      }),
    );
    expect(claimed.map((j) => j.runId).sort()).toEqual(runs.map((r) => r.id).sort());
    expect(new Set(claimed.map((j) => j.id)).size).toBe(6);
  });

  // Several API instances on one database is the PostgreSQL deployment (SQLite is one process).
  it.skipIf(db.label === 'sqlite')(
    'retries an expired lease once when two API instances reap it together',
    async () => {
      const second = await startTestApi(
        db,
        { clock, jobLeaseS: LEASE_S, jobMaxAttempts: 2 },
        { url: api.databaseUrl, dispose: () => Promise.resolve() },
      );
      try {
        const run = await queue();
        const w = await register();
        const job = await claim(w);
        clock.advance((LEASE_S + 1) * 1000);
        await Promise.all([api.server.reapNow(), second.server.reapNow(), api.server.reapNow()]);
        const again = await claim(await register());
        expect(again).toMatchObject({ id: job.id, runId: run.id, attempt: 2 });
        expect((await api.ok<Loose>(RUN, { id: run.id })).run.status).toBe('QUEUED');
        await api.ok(COMPLETE, {
          w: (await api.ok<Loose>(RUN, { id: run.id })).run.worker.id,
          j: job.id,
        });
        expect((await api.ok<Loose>(RUN, { id: run.id })).run.attempts).toBe(2);
      } finally {
        await second.stop();
      }
    },
  );

  it('does not redo a run its lost worker had already finished', async () => {
    const run = await queue();
    const w = await register();
    const job = await claim(w);
    await api.ok(START, { r: run.id, w });
    await api.ok('mutation($id: ID!) { finishRun(id: $id, status: COMPLETED) { status } }', {
      id: run.id,
    });
    clock.advance((LEASE_S + 1) * 1000); // the worker died before completeJob
    await api.server.reapNow();
    expect((await api.ok<Loose>(RUN, { id: run.id })).run.status).toBe('COMPLETED');
    expect(await claim(await register())).toBeNull();
    expect(codeOf(await api.gql(BEAT, { w, j: [job.id] }))).toBe('INVALID_STATE');
  });

  it('fails a run for good on a non-retryable failJob, retries a retryable one', async () => {
    const run = await queue();
    const w = await register();
    const job = await claim(w);
    await api.ok(FAIL, { w, j: job.id, e: 'out of memory', r: true });
    expect((await api.ok<Loose>(RUN, { id: run.id })).run.status).toBe('QUEUED');
    const again = await claim(w);
    expect(again.attempt).toBe(2);
    await api.ok(FAIL, { w, j: again.id, e: 'bad data', r: false });
    const r = (await api.ok<Loose>(RUN, { id: run.id })).run;
    expect(r).toMatchObject({ status: 'FAILED', error: 'bad data' });
  });

  it('lets only editors queue and only permitted workers claim', async () => {
    const refused = await api.gql(
      QUEUE,
      { i: { projectId, config: { preset: 'cifar3-cnn' } } },
      { key: keys.viewer },
    );
    expect(codeOf(refused)).toBe('FORBIDDEN');
    const cancelRefused = await api.gql(CANCEL, { id: (await queue()).id }, { key: keys.viewer });
    expect(codeOf(cancelRefused)).toBe('FORBIDDEN');
    // The outsider is editor of another project only: its worker never gets this project's jobs.
    const outsiderWorker = await register({}, keys.outsider);
    expect(await claim(outsiderWorker, keys.outsider)).toBeNull();
    // Nor may it drive someone else's worker.
    const mine = await register();
    expect(codeOf(await api.gql(CLAIM, { w: mine }, { key: keys.outsider }))).toBe('NOT_FOUND');
    const ownProject = await api.gql(
      QUEUE,
      { i: { projectId: otherProjectId, config: { preset: 'vnn' } } },
      { key: keys.outsider },
    );
    expect(ownProject.errors).toBeUndefined();
    const got = await claim(outsiderWorker, keys.outsider);
    expect(got.runId).toBe(ownProject.data.queueRun.id);
    await api.gql(COMPLETE, { w: outsiderWorker, j: got.id }, { key: keys.outsider });
    await drain(mine);
  });

  it('hands explanation jobs only to workers that take them and may edit the project', async () => {
    // A run of the project with a stored model and a projector asked for it: one EXPLAIN job.
    const runId = await runWithModel(api, projectName);
    const projection = (
      await api.ok<Loose>('mutation($r: ID!) { requestProjection(runId: $r) { id status } }', {
        r: runId,
      })
    ).requestProjection;
    expect(projection.status).toBe('QUEUED');
    const trainOnly = await register(); // kinds default to TRAIN
    expect(await claim(trainOnly)).toBeNull();
    const outsider = await register({ kinds: ['EXPLAIN'] }, keys.outsider);
    expect(await claim(outsider, keys.outsider)).toBeNull(); // not an editor of this project
    const both = await register({ kinds: ['TRAIN', 'EXPLAIN'] });
    const job = await claim(both);
    expect(job).toMatchObject({ id: projection.id, kind: 'EXPLAIN', runId: null, attempt: 1 });
    expect(job.payload).toMatchObject({ explainKind: 'PROJECTION', runId, params: {} });
    const list = await api.ok<Loose>(
      '{ workers(first: 50) { nodes { id status currentRuns { id } } } }',
    );
    // Busy with a job of no run: currentRuns lists runs only.
    expect(list.workers.nodes.find((n: Loose) => n.id === both)).toMatchObject({
      status: 'BUSY',
      currentRuns: [],
    });
    await api.ok(
      'mutation($id: ID!, $t: String!) { completeExplanationJob(id: $id, claimToken: $t, result: { files: [] }) { status } }',
      { id: job.id, t: job.payload.claimToken },
    );
    expect(await claim(both)).toBeNull();
    const state = await api.ok<Loose>(
      'query($id: ID!) { explanationJob(id: $id) { status attempts } }',
      {
        id: projection.id,
      },
    );
    expect(state.explanationJob).toEqual({ status: 'DONE', attempts: 1 });
    // Asked again with force: queued anew on the queue, claimed by a worker again.
    await api.ok('mutation($r: ID!) { requestProjection(runId: $r, force: true) { id } }', {
      r: runId,
    });
    expect(await claim(trainOnly)).toBeNull();
    const again = await claim(both);
    expect(again).toMatchObject({ id: projection.id, kind: 'EXPLAIN', attempt: 1 });
    await api.ok(
      'mutation($id: ID!, $t: String!) { failExplanationJob(id: $id, claimToken: $t, error: "x") { status } }',
      { id: again.id, t: again.payload.claimToken },
    );
  });

  it('refuses bad input naming it', async () => {
    const bad = async (i: Record<string, unknown>) => {
      const r = await api.gql(QUEUE, { i: { projectId, config: { preset: 'cifar3-cnn' }, ...i } });
      return {
        code: codeOf(r),
        message: r.errors?.[0]?.message ?? '',
        ext: r.errors?.[0]?.extensions,
      };
    };
    const unknownPreset = await bad({ config: { preset: 'no-such-net' } });
    expect(unknownPreset).toMatchObject({
      code: 'BAD_USER_INPUT',
      ext: { field: 'config.preset' },
    });
    expect(unknownPreset.message).toContain('no-such-net');
    const nanEpochs = await bad({ hyperparameters: { epochs: 'NaN' } });
    expect(nanEpochs).toMatchObject({
      code: 'BAD_USER_INPUT',
      ext: { field: 'hyperparameters.epochs' },
    });
    const nullEpochs = await bad({ hyperparameters: { epochs: null } }); // what JSON makes of NaN
    expect(nullEpochs).toMatchObject({
      code: 'BAD_USER_INPUT',
      ext: { field: 'hyperparameters.epochs' },
    });
    expect((await bad({ hyperparameters: { momentum: 0.9 } })).code).toBe('BAD_USER_INPUT');
    expect((await bad({ config: {} })).message).toContain('preset or a model');
    expect((await bad({ sweepId: 'x' })).ext).toMatchObject({ field: 'sweepId' });
    expect((await bad({ priority: 5000 })).ext).toMatchObject({ field: 'priority' });
    const noProject = await api.gql(QUEUE, { i: { projectId: 'nope', config: { preset: 'vnn' } } });
    expect(noProject.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', id: 'nope' });
    const noSource = await bad({ sourceRunId: 'gone' });
    expect(noSource).toMatchObject({ code: 'NOT_FOUND', ext: { id: 'gone' } });
    expect((await api.gql(CANCEL, { id: 'missing-run' })).errors?.[0]?.extensions).toMatchObject({
      code: 'NOT_FOUND',
      id: 'missing-run',
    });
    expect((await api.gql(CLAIM, { w: 'no-worker' })).errors?.[0]?.extensions).toMatchObject({
      code: 'NOT_FOUND',
      id: 'no-worker',
    });
    const badWorker = await api.gql(REGISTER, { i: worker({ concurrency: 0 }) });
    expect(badWorker.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'concurrency',
    });
    // Nothing was queued by the refused requests.
    const w = await register();
    expect(await claim(w)).toBeNull();
  });
});

const CLAIM_WAIT = `mutation($w: ID!, $s: Int, $k: [JobKind!]) { claimJob(workerId: $w, waitSeconds: $s, kinds: $k) { id kind runId attempt payload } }`;

/** A run of the project with a stored (tiny) model: what an explanation needs. */
async function runWithModel(api: TestApi, project: string): Promise<string> {
  const runId = await createRun(api, { project });
  const model = JSON.stringify({
    format: 'layers-model',
    modelTopology: {
      class_name: 'Sequential',
      config: {
        layers: [
          { class_name: 'Conv2D', config: { name: 'c', batch_input_shape: [null, 8, 8, 1] } },
        ],
      },
    },
    weightsManifest: [{ paths: ['weights.bin'], weights: [] }],
  });
  for (const [name, bytes] of [
    ['weights.bin', new Uint8Array(4)],
    ['model.json', model],
  ] as const) {
    const res = await api.fetch(`${api.origin}/runs/${runId}/artifacts/${name}`, {
      method: 'PUT',
      body: bytes,
    });
    expect(res.status).toBe(201);
  }
  return runId;
}

describe.each(databases)('long-poll claims on $label', (db) => {
  let api: TestApi;
  // Deadlines run on this clock: only advance() ends a wait at its deadline, so a claim that
  // answers a job did so because the job's queue notice woke it.
  const clock = new FakeClock();
  let projectId = '';
  let projectName = '';
  const register = async (kinds: string[]) =>
    (
      await api.ok(REGISTER, {
        i: {
          name: 'lp',
          host: 'h',
          backend: 'onednn',
          gpu: false,
          memoryMb: 8000,
          concurrency: 1,
          kinds,
        },
      })
    ).registerWorker.id as string;
  /**
   * Starts a waiting claim and resolves once the API has taken it (the worker's contact time
   * moved to this clock's time): from then on a queue notice or close reaches it.
   */
  const startClaim = async (w: string, waitSeconds: number, kinds?: string[]) => {
    clock.advance(1);
    const at = clock.now();
    const answer = api.gql(CLAIM_WAIT, { w, s: waitSeconds, k: kinds ?? null });
    for (;;) {
      const d = await api.ok<Loose>('{ workers(first: 100) { nodes { id lastSeenAt } } }');
      const seen = d.workers.nodes.find((n: Loose) => n.id === w);
      if (seen && Date.parse(seen.lastSeenAt) >= at) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    return { answer };
  };
  const queueRun = async (name: string) =>
    (
      await api.ok(QUEUE, {
        i: { projectId, name, config: { preset: 'cifar3-cnn' }, hyperparameters: { epochs: 1 } },
      })
    ).queueRun.id as string;

  beforeAll(async () => {
    api = await startTestApi(db, { clock, jobLeaseS: LEASE_S });
    projectName = uniq('lp');
    projectId = (
      await api.ok('mutation($n: String!) { createProject(name: $n) { id } }', { n: projectName })
    ).createProject.id;
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('answers a waiting claim with the TRAIN job queued while it waits', async () => {
    const w = await register(['TRAIN']);
    const { answer } = await startClaim(w, 25);
    const runId = await queueRun('waited-for');
    const r = await answer;
    expect(r.errors).toBeUndefined();
    expect(r.data.claimJob).toMatchObject({ kind: 'TRAIN', runId, attempt: 1 });
    await api.ok(COMPLETE, { w, j: r.data.claimJob.id });
  });

  it('answers a waiting claim with the EXPLAIN job of an explanation asked for meanwhile', async () => {
    const runId = await runWithModel(api, projectName);
    const w = await register(['EXPLAIN']);
    const { answer } = await startClaim(w, 25);
    const asked = (
      await api.ok<Loose>('mutation($r: ID!) { requestProjection(runId: $r) { id status } }', {
        r: runId,
      })
    ).requestProjection;
    const r = await answer;
    expect(r.errors).toBeUndefined();
    expect(r.data.claimJob).toMatchObject({ id: asked.id, kind: 'EXPLAIN', attempt: 1 });
    expect(r.data.claimJob.payload).toMatchObject({ explainKind: 'PROJECTION', runId });
    await api.ok(
      'mutation($id: ID!, $t: String!) { failExplanationJob(id: $id, claimToken: $t, error: "x") { status } }',
      { id: asked.id, t: r.data.claimJob.payload.claimToken },
    );
  });

  it('ends a waiting claim with null at its deadline', async () => {
    const w = await register(['TRAIN']);
    const { answer: pending } = await startClaim(w, 5);
    let done = false;
    void pending.then(() => (done = true));
    // Past the deadline on the API's clock (advanced until the answer: no real-time waiting).
    while (!done) {
      clock.advance(1000);
      await new Promise((r) => setTimeout(r, 20));
    }
    const r = await pending;
    expect(r.errors).toBeUndefined();
    expect(r.data.claimJob).toBeNull();
  });

  it('keeps one waiting claim per worker: a newer one ends the older with null', async () => {
    const w = await register(['TRAIN']);
    const older = await startClaim(w, 25);
    const newer = await startClaim(w, 25);
    const runId = await queueRun('one-per-worker');
    const answers = [await older.answer, await newer.answer];
    for (const a of answers) expect(a.errors).toBeUndefined();
    const jobs = answers.map((a) => a.data.claimJob);
    // Whichever reached the API second waits; the other ended with null.
    expect(jobs.filter((j) => j === null)).toHaveLength(1);
    const job = jobs.find((j) => j !== null);
    expect(job).toMatchObject({ kind: 'TRAIN', runId });
    await api.ok(COMPLETE, { w, j: job.id });
  });

  it('refuses waitSeconds outside 0..25 with BAD_USER_INPUT naming it', async () => {
    const w = await register(['TRAIN']);
    for (const s of [-1, 26, 3600]) {
      const r = await api.gql(CLAIM_WAIT, { w, s });
      expect(r.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'waitSeconds',
      });
      expect(r.errors?.[0]?.message).toContain('waitSeconds');
    }
    // 0 is today's claim: answered at once.
    expect((await api.ok<Loose>(CLAIM_WAIT, { w, s: 0 })).claimJob).toBeNull();
  });

  it('ends waiting claims with null when the server closes', async () => {
    const w = await register(['TRAIN']);
    const { answer: pending } = await startClaim(w, 25);
    await api.server.close();
    const r = await pending;
    expect(r.errors).toBeUndefined();
    expect(r.data.claimJob).toBeNull();
  });
});
