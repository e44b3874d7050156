// Fencing stale queue workers out of logMetrics, on SQLite and PostgreSQL: a worker's tracker
// sends its job attempt with every batch; once the lease of that attempt was lost (the reaper
// put the job back, another worker claimed it as attempt 2) its batches fail with INVALID_STATE,
// reason LEASE_LOST, and store nothing, while attempt 2 writes as usual. A run no worker started
// (a user's own script, no attempt sent) is unaffected. startQueuedRun and artifact uploads are
// fenced by the attempt too.
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

const QUEUE = `mutation($i: QueueRunInput!) { queueRun(input: $i) { id } }`;
const REGISTER = `mutation($i: RegisterWorkerInput!) { registerWorker(input: $i) { id } }`;
const CLAIM = `mutation($w: ID!) { claimJob(workerId: $w) { id runId attempt } }`;
const START = `mutation($r: ID!, $w: ID!, $a: Int) {
  startQueuedRun(runId: $r, workerId: $w, attempt: $a) { id status attempts }
}`;
const HOLDER = `query($id: ID!) { run(id: $id) { status attempts worker { id } } }`;
const LOG = `mutation($r: ID!, $p: [MetricPointInput!]!, $a: Int) {
  logMetrics(runId: $r, points: $p, attempt: $a) { accepted duplicates }
}`;
const SUMMARY = `query($id: ID!) { run(id: $id) { status summary { name count last } } }`;

describe.each(databases)('logMetrics from a stale job attempt on $label', (db) => {
  let api: TestApi;
  const clock = new FakeClock();
  let projectId = '';
  let projectName = '';

  const register = async (name: string) =>
    (
      await api.ok<Loose>(REGISTER, {
        i: { name, host: name, backend: 'onednn', gpu: false, memoryMb: 8000, concurrency: 1 },
      })
    ).registerWorker.id as string;
  const log = (runId: string, step: number, value: number, attempt?: number | null) =>
    api.gql<Loose>(LOG, {
      r: runId,
      p: [
        { name: 'loss', step, value },
        { name: 'acc', step, value: value / 2 },
      ],
      ...(attempt === undefined ? {} : { a: attempt }),
    });
  const summary = async (runId: string) =>
    ((await api.ok<Loose>(SUMMARY, { id: runId })).run.summary as Loose[]).map(
      (s) => `${s.name}:${s.count}:${s.last}`,
    );

  beforeAll(async () => {
    api = await startTestApi(db, { clock, jobLeaseS: LEASE_S, jobMaxAttempts: 3 });
    projectName = uniq('lease');
    projectId = (
      await api.ok<Loose>('mutation($n: String!) { createProject(name: $n) { id } }', {
        n: projectName,
      })
    ).createProject.id;
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('refuses attempt 1 once the job was retried as attempt 2, and takes attempt 2', async () => {
    const run = (
      await api.ok<Loose>(QUEUE, {
        i: { projectId, config: { preset: 'cifar3-cnn' }, hyperparameters: { epochs: 1 } },
      })
    ).queueRun;
    const a = await register(uniq('a'));
    const b = await register(uniq('b'));
    const first = (await api.ok<Loose>(CLAIM, { w: a })).claimJob;
    expect(first).toMatchObject({ runId: run.id, attempt: 1 });
    const started = (await api.ok<Loose>(START, { r: run.id, w: a })).startQueuedRun;
    expect(started).toMatchObject({ status: 'RUNNING', attempts: 1 });

    // The holder writes.
    expect((await log(run.id, 0, 1)).data?.logMetrics).toEqual({ accepted: 2, duplicates: 0 });
    // Attempt 2 does not hold the job yet: refused.
    const early = await log(run.id, 1, 0.9, 2);
    expect(early.errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_STATE',
      reason: 'LEASE_LOST',
      attempt: 2,
    });

    // The lease expires; the reaper puts the job back; worker b claims it as attempt 2.
    clock.advance((LEASE_S + 1) * 1000);
    await api.server.reapNow();
    const whileQueued = await log(run.id, 1, 0.9, 1);
    expect(whileQueued.errors?.[0]?.extensions?.reason).toBe('LEASE_LOST');
    const second = (await api.ok<Loose>(CLAIM, { w: b })).claimJob;
    expect(second).toMatchObject({ id: first.id, runId: run.id, attempt: 2 });
    await api.ok(START, { r: run.id, w: b });

    // The stale attempt is refused and stores nothing (not even the names it would add).
    const stale = await api.gql<Loose>(LOG, {
      r: run.id,
      p: [
        { name: 'loss', step: 1, value: 0.9 },
        { name: 'stale_only', step: 1, value: 5 },
      ],
      a: 1,
    });
    expect(stale.data?.logMetrics ?? null).toBeNull();
    expect(stale.errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_STATE',
      reason: 'LEASE_LOST',
      attempt: 1,
    });
    expect(stale.errors?.[0]?.message).toContain('attempt 1');
    expect(await summary(run.id)).toEqual(['acc:1:0.5', 'loss:1:1']);

    // The holder (attempt 2) writes, re-sent points of attempt 1 count as duplicates.
    expect((await log(run.id, 0, 1, 2)).data?.logMetrics).toEqual({ accepted: 0, duplicates: 2 });
    expect((await log(run.id, 1, 0.8, 2)).data?.logMetrics).toEqual({
      accepted: 2,
      duplicates: 0,
    });
    expect(await summary(run.id)).toEqual(['acc:2:0.4', 'loss:2:0.8']);
    // Still refused after the holder wrote.
    expect(codeOf(await log(run.id, 2, 0.7, 1))).toBe('INVALID_STATE');
    expect(await summary(run.id)).toEqual(['acc:2:0.4', 'loss:2:0.8']);
  });

  it('refuses startQueuedRun from a superseded attempt and leaves the run to its holder', async () => {
    const run = (
      await api.ok<Loose>(QUEUE, {
        i: {
          projectId,
          config: { preset: 'cifar3-cnn' },
          hyperparameters: { epochs: 1 },
          // Ahead of the earlier test's job, which the reaper also puts back below.
          priority: 10,
        },
      })
    ).queueRun;
    const a = await register(uniq('a'));
    const b = await register(uniq('b'));
    const first = (await api.ok<Loose>(CLAIM, { w: a })).claimJob;
    expect(first).toMatchObject({ runId: run.id, attempt: 1 });
    // A wrong attempt for a job this worker holds is refused too.
    const wrong = await api.gql<Loose>(START, { r: run.id, w: a, a: 2 });
    expect(wrong.errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_STATE',
      reason: 'LEASE_LOST',
    });
    expect((await api.ok<Loose>(HOLDER, { id: run.id })).run.status).toBe('QUEUED');
    const bad = await api.gql<Loose>(START, { r: run.id, w: a, a: 0 });
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.extensions?.field).toBe('attempt');

    // Worker a's lease expires before its startQueuedRun arrives; b claims and starts attempt 2.
    clock.advance((LEASE_S + 1) * 1000);
    await api.server.reapNow();
    const second = (await api.ok<Loose>(CLAIM, { w: b })).claimJob;
    expect(second).toMatchObject({ id: first.id, attempt: 2 });
    expect((await api.ok<Loose>(START, { r: run.id, w: b, a: 2 })).startQueuedRun).toMatchObject({
      status: 'RUNNING',
      attempts: 2,
    });
    // a's late start (attempt 1) is refused and does not take the run back from b.
    const late = await api.gql<Loose>(START, { r: run.id, w: a, a: 1 });
    expect(late.data?.startQueuedRun ?? null).toBeNull();
    expect(late.errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_STATE',
      reason: 'LEASE_LOST',
    });
    expect((await api.ok<Loose>(HOLDER, { id: run.id })).run).toMatchObject({
      status: 'RUNNING',
      attempts: 2,
      worker: { id: b },
    });

    // Artifact uploads are fenced the same way: a's (attempt 1) is refused, b's stored, and a's
    // later replace of b's artifact is refused too (b's bytes stay).
    const put = (attempt: string, bytes: number[]) =>
      api.fetch(`/runs/${run.id}/artifacts/model.bin?kind=model&attempt=${attempt}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream' },
        body: new Uint8Array(bytes),
      });
    const stale = await put('1', [1, 2, 3]);
    expect(stale.status).toBe(409);
    const refusal = (await stale.json()) as { code: string; message: string };
    expect(refusal.code).toBe('LEASE_LOST');
    expect(refusal.message).toContain('job attempt 1 no longer holds the run');
    expect((await api.fetch(`/runs/${run.id}/artifacts/model.bin`)).status).toBe(404);
    const fresh = await put('2', [4, 5]);
    expect(fresh.status, await fresh.clone().text()).toBe(201);
    const replace = await put('1', [6]);
    expect(replace.status).toBe(409);
    const kept = await api.fetch(`/runs/${run.id}/artifacts/model.bin`);
    expect([...new Uint8Array(await kept.arrayBuffer())]).toEqual([4, 5]);
    const malformed = await put('1e3', [7]);
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 'BAD_USER_INPUT', field: 'attempt' });
  });

  it('leaves a run no worker started alone, and refuses an attempt for it', async () => {
    const runId = await createRun(api, {
      project: projectName,
      name: uniq('script'),
      status: 'RUNNING',
    });
    expect((await log(runId, 0, 1)).data?.logMetrics).toEqual({ accepted: 2, duplicates: 0 });
    expect((await log(runId, 1, 1, null)).data?.logMetrics).toEqual({
      accepted: 2,
      duplicates: 0,
    });
    // No job holds this run in any attempt.
    expect((await log(runId, 2, 1, 1)).errors?.[0]?.extensions?.reason).toBe('LEASE_LOST');
    // A malformed attempt is bad input, named.
    const bad = await log(runId, 2, 1, 0);
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.extensions?.field).toBe('attempt');
    expect(await summary(runId)).toEqual(['acc:2:0.5', 'loss:2:1']);
  });
});
