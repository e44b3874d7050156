// The queue worker's loop against a fake of the protocol: back-off while idle or failing, the
// concurrency cap, cancel, lost leases when heartbeats fail, failures (retryable or not) and the
// hand-back at shutdown. Time is a fake clock; the heartbeat is driven by the test.
import { describe, expect, it } from 'vitest';
import { ApiError, type GraphqlClient } from '../tracking/graphql-client';
import {
  graphqlQueueApi,
  type ClaimedQueueJob,
  type WorkerBeat,
  type WorkerQueueApi,
} from './run-queue-api';
import { workerBeatLoop, type WorkerBeatEvent, type WorkerHeartbeat } from './run-heartbeat';
import { JobStopped, QueueWorker, type JobRunner, type WorkerClock } from './run-worker';

function job(id: string, leaseMs = 30_000): ClaimedQueueJob {
  return {
    id,
    kind: 'TRAIN',
    runId: `run-${id}`,
    attempt: 1,
    leaseExpiresAt: new Date(Date.now() + leaseMs).toISOString(),
    payload: {},
  };
}

/** A fake API: jobs handed out in order, every call recorded. */
function fakeApi(jobs: ClaimedQueueJob[], options: { claimErrors?: number } = {}) {
  const calls: string[] = [];
  let claimErrors = options.claimErrors ?? 0;
  const api: WorkerQueueApi = {
    register: async () => {
      calls.push('register');
      return 'w1';
    },
    claim: async () => {
      calls.push('claim');
      if (claimErrors > 0) {
        claimErrors--;
        throw new Error('API down');
      }
      return jobs.shift() ?? null;
    },
    heartbeat: async () => ({ cancelJobIds: [], leaseExpiresAt: new Date().toISOString() }),
    complete: async (_w, id) => void calls.push(`complete ${id}`),
    fail: async (_w, id, error, retryable) =>
      void calls.push(`fail ${id} ${retryable ? 'retryable' : 'permanent'}: ${error}`),
    acknowledgeCancel: async (_w, id) => void calls.push(`cancel ${id}`),
  };
  return { api, calls };
}

/** A clock whose sleeps return at once (recorded) and whose time the test moves. */
function fakeClock() {
  const sleeps: number[] = [];
  let t = 0;
  const clock: WorkerClock = {
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      await new Promise((r) => setImmediate(r));
    },
  };
  return { clock, sleeps, advance: (ms: number) => (t += ms) };
}

/** A heartbeat the test drives: `emit` delivers an event to the worker. */
function fakeHeartbeat() {
  let onEvent: ((e: WorkerBeatEvent) => void) | undefined;
  const jobSets: string[][] = [];
  let stopped = false;
  return {
    start: (_id: string, cb: (e: WorkerBeatEvent) => void): WorkerHeartbeat => {
      onEvent = cb;
      return {
        mode: 'main-thread',
        setJobs: (ids) => void jobSets.push([...ids]),
        stop: async () => void (stopped = true),
      };
    },
    beat: (beat: Partial<WorkerBeat>, jobIds: string[]) =>
      onEvent?.({
        type: 'beat',
        beat: { cancelJobIds: [], leaseExpiresAt: new Date().toISOString(), ...beat },
        jobIds,
      }),
    error: (message: string) => onEvent?.({ type: 'error', message }),
    emit: (e: WorkerBeatEvent) => onEvent?.(e),
    jobSets,
    stopped: () => stopped,
  };
}

const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));

/** A runner whose jobs wait until the test settles them (or their signal aborts). */
function controlledRunner() {
  const pending = new Map<string, { resolve(): void; reject(e: unknown): void }>();
  let running = 0;
  let maxRunning = 0;
  const runner: JobRunner = (j, ctx) =>
    new Promise<void>((resolve, reject) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      const done = () => running--;
      pending.set(j.id, {
        resolve: () => (done(), resolve()),
        reject: (e) => (done(), reject(asError(e))),
      });
      ctx.signal.addEventListener('abort', () => (done(), reject(asError(ctx.signal.reason))), {
        once: true,
      });
    });
  return { runner, pending, max: () => maxRunning };
}

const registration = {
  name: 'test',
  host: 'h',
  backend: 'cpu',
  gpu: false,
  memoryMb: 1024,
  concurrency: 1,
  kinds: ['TRAIN' as const],
};

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setImmediate(r));
  expect(cond()).toBe(true);
};

describe('QueueWorker', () => {
  it('backs off while the queue is empty or the API fails, and polls fast again after a job', async () => {
    const { api, calls } = fakeApi([], { claimErrors: 2 });
    const { clock, sleeps } = fakeClock();
    const hb = fakeHeartbeat();
    const stop = new AbortController();
    const w = new QueueWorker({
      api,
      registration,
      runners: { TRAIN: async () => undefined },
      startHeartbeat: hb.start,
      clock,
      minPollMs: 100,
      maxPollMs: 1000,
    });
    const running = w.run(stop.signal);
    await until(() => sleeps.length >= 7);
    expect(sleeps.slice(0, 7)).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
    stop.abort();
    await running;
    expect(calls[0]).toBe('register');
    expect(hb.stopped()).toBe(true);

    // After a claimed job the wait starts from the minimum again.
    const queue: ClaimedQueueJob[] = [];
    const second = fakeApi(queue);
    const c2 = fakeClock();
    const stop2 = new AbortController();
    const w2 = new QueueWorker({
      api: second.api,
      registration,
      runners: { TRAIN: async () => undefined },
      startHeartbeat: fakeHeartbeat().start,
      clock: c2.clock,
      minPollMs: 100,
      maxPollMs: 1000,
    });
    const r2 = w2.run(stop2.signal);
    await until(() => c2.sleeps.length >= 3);
    queue.push(job('a'));
    await until(() => second.calls.includes('complete a'));
    await until(() => c2.sleeps.length >= 5);
    stop2.abort();
    await r2;
    expect(c2.sleeps.slice(0, 3)).toEqual([100, 200, 400]);
    // Without the job the waits would only grow; the claim reset them to the minimum.
    expect(c2.sleeps.slice(3)).toContain(100);
  });

  it('claims its first job only once beats come from the heartbeat thread', async () => {
    const { api, calls } = fakeApi([job('a')]);
    const hb = fakeHeartbeat();
    let ready!: () => void;
    const stop = new AbortController();
    const w = new QueueWorker({
      api,
      registration,
      runners: { TRAIN: async () => undefined },
      startHeartbeat: (id, cb) => ({
        ...hb.start(id, cb),
        ready: new Promise<void>((r) => (ready = r)),
      }),
      // The minute-long bound on that wait never ends here (until aborted): only ready counts.
      clock: {
        now: () => 0,
        sleep: (ms, s) =>
          new Promise<void>((r) => {
            if (ms < 60_000) return void setImmediate(r);
            s.addEventListener('abort', () => r(), { once: true });
          }),
      },
    });
    const running = w.run(stop.signal);
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    expect(calls).toEqual(['register']);
    ready();
    await until(() => calls.includes('complete a'));
    stop.abort();
    await running;
  });

  it('runs at most `concurrency` jobs at once and claims nothing while full', async () => {
    const { api, calls } = fakeApi(['a', 'b', 'c', 'd', 'e'].map((id) => job(id)));
    const { clock } = fakeClock();
    const hb = fakeHeartbeat();
    const r = controlledRunner();
    const stop = new AbortController();
    const w = new QueueWorker({
      api,
      registration: { ...registration, concurrency: 2 },
      runners: { TRAIN: r.runner },
      startHeartbeat: hb.start,
      clock,
    });
    const running = w.run(stop.signal);
    await until(() => r.pending.size === 2);
    const claims = calls.filter((c) => c === 'claim').length;
    for (let i = 0; i < 20; i++) await new Promise((res) => setImmediate(res));
    expect(calls.filter((c) => c === 'claim').length).toBe(claims); // full: no claim
    expect(w.runningJobIds).toEqual(['a', 'b']);
    expect(hb.jobSets.at(-1)).toEqual(['a', 'b']); // the heartbeat names both leases
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      await until(() => r.pending.has(id));
      r.pending.get(id)!.resolve();
    }
    await until(() => calls.filter((c) => c.startsWith('complete')).length === 5);
    stop.abort();
    const summary = await running;
    expect(r.max()).toBe(2);
    expect(summary).toMatchObject({ completed: 5, failed: 0 });
    expect(hb.jobSets.at(-1)).toEqual([]);
  });

  it('stops a job whose id comes back in cancelJobIds and acknowledges the cancel', async () => {
    const { api, calls } = fakeApi([job('a'), job('b')]);
    const { clock } = fakeClock();
    const hb = fakeHeartbeat();
    const r = controlledRunner();
    const stop = new AbortController();
    const w = new QueueWorker({
      api,
      registration: { ...registration, concurrency: 2 },
      runners: { TRAIN: r.runner },
      startHeartbeat: hb.start,
      clock,
    });
    const running = w.run(stop.signal);
    await until(() => r.pending.size === 2);
    hb.beat({ cancelJobIds: ['a'] }, ['a', 'b']);
    await until(() => calls.includes('cancel a'));
    expect(w.runningJobIds).toEqual(['b']);
    r.pending.get('b')!.resolve();
    await until(() => calls.includes('complete b'));
    stop.abort();
    expect(await running).toMatchObject({ completed: 1, cancelled: 1, failed: 0 });
    expect(calls.some((c) => c.startsWith('complete a') || c.startsWith('fail a'))).toBe(false);
  });

  it('stops a job silently once heartbeats failed for its whole lease (another worker may hold it)', async () => {
    const { api, calls } = fakeApi([job('a', 10_000)]);
    const { clock, advance } = fakeClock();
    const hb = fakeHeartbeat();
    const r = controlledRunner();
    let reason: unknown;
    const stop = new AbortController();
    const w = new QueueWorker({
      api,
      registration,
      runners: {
        TRAIN: (j, ctx) => {
          ctx.signal.addEventListener('abort', () => (reason = ctx.signal.reason));
          return r.runner(j, ctx);
        },
      },
      startHeartbeat: hb.start,
      clock,
    });
    const running = w.run(stop.signal);
    await until(() => r.pending.size === 1);
    advance(4_000);
    hb.error('HTTP 503'); // within the lease: the job goes on
    hb.beat({}, ['a']); // renewed at t=4 s
    advance(9_000);
    hb.error('HTTP 503'); // 9 s since the renewal: still inside a ~10 s lease
    for (let i = 0; i < 10; i++) await new Promise((res) => setImmediate(res));
    expect(reason).toBeUndefined();
    advance(2_000);
    hb.error('connect ECONNREFUSED'); // 11 s without renewal: lost
    await until(() => w.runningJobIds.length === 0);
    stop.abort();
    expect(await running).toMatchObject({ abandoned: 1, completed: 0, failed: 0 });
    expect(reason).toBeInstanceOf(JobStopped);
    expect((reason as JobStopped).why).toBe('lease-lost');
    // Neither completed, failed nor acknowledged: the API's lease expiry decides.
    expect(calls.filter((c) => / a/.test(c))).toEqual([]);
  });

  it('fails a job with its error: not retryable for a config error, retryable otherwise', async () => {
    const { api, calls } = fakeApi([job('a'), job('b')]);
    const { clock } = fakeClock();
    const stop = new AbortController();
    const w = new QueueWorker({
      api,
      registration,
      runners: {
        TRAIN: async (j) => {
          if (j.id === 'a') {
            const e = new Error('preset: unknown preset "nope"');
            e.name = 'ConfigError';
            throw e;
          }
          throw new Error('out of memory');
        },
      },
      startHeartbeat: fakeHeartbeat().start,
      clock,
    });
    const running = w.run(stop.signal);
    await until(() => calls.filter((c) => c.startsWith('fail')).length === 2);
    stop.abort();
    expect(await running).toMatchObject({ failed: 2 });
    expect(calls).toContain('fail a permanent: preset: unknown preset "nope"');
    expect(calls).toContain('fail b retryable: out of memory');
  });

  it('on stop claims nothing new and hands its running jobs back', async () => {
    const { api, calls } = fakeApi([job('a'), job('b')]);
    const { clock } = fakeClock();
    const r = controlledRunner();
    const stop = new AbortController();
    const w = new QueueWorker({
      api,
      registration,
      runners: { TRAIN: r.runner },
      startHeartbeat: fakeHeartbeat().start,
      clock,
    });
    const running = w.run(stop.signal);
    await until(() => r.pending.size === 1);
    stop.abort();
    expect(await running).toMatchObject({ abandoned: 1, completed: 0 });
    expect(calls.filter((c) => c === 'claim')).toHaveLength(1);
    expect(calls.at(-1)).toMatch(/^fail a retryable: the worker is stopping/);
  });
});

describe('QueueWorker with explanation jobs', () => {
  const explainJob = (id: string): ClaimedQueueJob => ({
    ...job(id),
    kind: 'EXPLAIN',
    runId: null,
  });

  it('runs an explanation in its own slot while the shared slots are full of training', async () => {
    const claims: string[][] = [];
    const queue = [job('t1'), job('t2'), explainJob('e1'), explainJob('e2')];
    const { api, calls } = fakeApi([]);
    api.claim = async (_w, kinds) => {
      claims.push([...kinds]);
      // The fake queue hands out the oldest job of the asked kinds.
      const i = queue.findIndex((j) => kinds.includes(j.kind));
      return i < 0 ? null : queue.splice(i, 1)[0]!;
    };
    const train = controlledRunner();
    const explain = controlledRunner();
    const stop = new AbortController();
    const w = new QueueWorker({
      api,
      registration: { ...registration, kinds: ['TRAIN', 'EXPLAIN'] },
      runners: { TRAIN: train.runner, EXPLAIN: explain.runner },
      startHeartbeat: fakeHeartbeat().start,
      clock: fakeClock().clock,
    });
    const running = w.run(stop.signal);
    await until(() => train.pending.size === 1 && explain.pending.size === 1);
    // Training holds the one shared slot: the next claims ask for explanations only.
    expect(claims[0]).toEqual(['TRAIN', 'EXPLAIN']);
    expect(claims.at(-1)).toEqual(['EXPLAIN']);
    expect(w.runningJobIds.sort()).toEqual(['e1', 't1']);
    explain.pending.get('e1')!.resolve();
    await until(() => explain.pending.has('e2'));
    expect(train.pending.has('t2')).toBe(false); // t2 still waits for the training slot
    explain.pending.get('e2')!.resolve();
    // Both slots full or the queue holds training only: nothing claims past the cap.
    await until(() => calls.includes('complete e2'));
    expect(claims.at(-1)).toEqual(['EXPLAIN']);
    train.pending.get('t1')!.resolve();
    await until(() => train.pending.has('t2'));
    train.pending.get('t2')!.resolve();
    await until(() => calls.includes('complete t2'));
    stop.abort();
    expect(await running).toMatchObject({ completed: 4, failed: 0 });
  });

  it('long-polls while idle: claims again at once after a waited null, backs off after a fast one', async () => {
    const { clock, sleeps, advance } = fakeClock();
    const waits: (number | undefined)[] = [];
    let calls = 0;
    const { api } = fakeApi([]);
    api.claim = async (_w, _kinds, options) => {
      waits.push(options?.waitSeconds);
      expect(options?.signal?.aborted).toBe(false);
      calls++;
      // Three claims the API held for their whole wait, then one it answered at once.
      if (calls <= 3) advance((options?.waitSeconds ?? 0) * 1000);
      return null;
    };
    const stop = new AbortController();
    const w = new QueueWorker({
      api,
      registration,
      runners: { TRAIN: async () => undefined },
      startHeartbeat: fakeHeartbeat().start,
      clock,
      claimWaitS: 20,
      minPollMs: 100,
    });
    const running = w.run(stop.signal);
    await until(() => sleeps.length >= 1);
    stop.abort();
    await running;
    expect(waits.slice(0, 4)).toEqual([20, 20, 20, 20]);
    // No sleep between the held claims; the first back-off follows the fast null.
    expect(calls).toBeGreaterThanOrEqual(4);
    expect(sleeps[0]).toBe(100);
  });

  it('cuts a waiting claim short when a slot frees, and claims again with the kinds it may take', async () => {
    const claims: string[][] = [];
    const queue = [job('t1')];
    const { api, calls } = fakeApi([]);
    api.claim = (_w, kinds, options) => {
      claims.push([...kinds]);
      const i = queue.findIndex((j) => kinds.includes(j.kind));
      if (i >= 0) return Promise.resolve(queue.splice(i, 1)[0]!);
      // Nothing fits: wait like the API until the claim is cut (no deadline in this fake).
      return new Promise((_resolve, reject) =>
        options?.signal?.addEventListener(
          'abort',
          () => reject(new ApiError('GraphQL request aborted', 'ABORTED')),
          { once: true },
        ),
      );
    };
    const train = controlledRunner();
    const { clock, sleeps } = fakeClock();
    const stop = new AbortController();
    const w = new QueueWorker({
      api,
      registration: { ...registration, kinds: ['TRAIN', 'EXPLAIN'] },
      runners: { TRAIN: train.runner, EXPLAIN: async () => undefined },
      startHeartbeat: fakeHeartbeat().start,
      clock,
    });
    const running = w.run(stop.signal);
    await until(() => train.pending.has('t1') && claims.length === 2);
    // Training holds the shared slot: the waiting claim asks for explanations only.
    expect(claims).toEqual([['TRAIN', 'EXPLAIN'], ['EXPLAIN']]);
    train.pending.get('t1')!.resolve();
    await until(() => calls.includes('complete t1') && claims.length === 3);
    expect(claims[2]).toEqual(['TRAIN', 'EXPLAIN']);
    expect(sleeps).toEqual([]); // cut short, not failed: no back-off
    stop.abort(); // ends the waiting claim too
    expect(await running).toMatchObject({ completed: 1, failed: 0 });
  });

  it('reports nothing more for a job whose runner reported its end itself', async () => {
    const { api, calls } = fakeApi([explainJob('a'), explainJob('b')]);
    const stop = new AbortController();
    const w = new QueueWorker({
      api,
      registration: { ...registration, kinds: ['EXPLAIN'] },
      runners: {
        EXPLAIN: async (j) => ({ reported: j.id === 'a' ? 'completed' : 'failed' }),
      },
      startHeartbeat: fakeHeartbeat().start,
      clock: fakeClock().clock,
    });
    const running = w.run(stop.signal);
    await until(() => w.summary.completed + w.summary.failed === 2);
    stop.abort();
    expect(await running).toMatchObject({ completed: 1, failed: 1, abandoned: 0 });
    expect(calls.filter((c) => / [ab]\b/.test(c))).toEqual([]);
  });
});

describe('the protocol over GraphQL', () => {
  /** A GraphqlClient whose request answers by operation name and records the variables. */
  function fakeClient(answer: (op: string, vars: Record<string, unknown>) => unknown) {
    const sent: { op: string; vars: Record<string, unknown> }[] = [];
    const client = {
      baseUrl: 'http://api',
      request: async (doc: unknown, vars: Record<string, unknown> = {}) => {
        const op = /(?:mutation|query)\s+(\w+)/.exec(String(doc))![1]!;
        sent.push({ op, vars });
        return answer(op, vars);
      },
    } as unknown as GraphqlClient;
    return { client, sent };
  }

  it('sends each call with its variables and reads the answers', async () => {
    const { client, sent } = fakeClient((op) => {
      if (op === 'RegisterQueueWorker') return { registerWorker: { id: 'w9' } };
      if (op === 'ClaimQueueJob') return { claimJob: null };
      if (op === 'HeartbeatQueueWorker')
        return { heartbeatWorker: { cancelJobIds: ['j1'], leaseExpiresAt: 'T' } };
      return { completeJob: true, failJob: true, acknowledgeCancel: true };
    });
    const api = graphqlQueueApi(client);
    expect(await api.register(registration)).toBe('w9');
    expect(await api.claim('w9', ['TRAIN'])).toBeNull();
    expect(await api.heartbeat('w9', ['j1', 'j2'])).toEqual({
      cancelJobIds: ['j1'],
      leaseExpiresAt: 'T',
    });
    await api.fail('w9', 'j2', 'x'.repeat(10_000), false);
    expect(sent.map((s) => s.op)).toEqual([
      'RegisterQueueWorker',
      'ClaimQueueJob',
      'HeartbeatQueueWorker',
      'FailQueueJob',
    ]);
    expect(sent[1]!.vars).toEqual({ workerId: 'w9', kinds: ['TRAIN'] });
    expect(sent[3]!.vars).toMatchObject({ workerId: 'w9', jobId: 'j2', retryable: false });
    expect((sent[3]!.vars.error as string).length).toBe(4000);
  });

  it('reports the jobs a LEASE_LOST heartbeat refusal names, and the worker stops them', async () => {
    const { client } = fakeClient(() => {
      throw new ApiError('Job a is no longer held by worker w1', 'INVALID_STATE', 200, {
        reason: 'LEASE_LOST',
        jobIds: ['a'],
      });
    });
    const events: WorkerBeatEvent[] = [];
    const stop = new AbortController();
    await workerBeatLoop({
      api: graphqlQueueApi(client),
      workerId: 'w1',
      periodMs: 1,
      jobIds: () => ['a', 'b'],
      signal: stop.signal,
      immediate: true,
      report: (e) => {
        events.push(e);
        stop.abort();
      },
    });
    expect(events).toEqual([
      expect.objectContaining({ type: 'error', code: 'INVALID_STATE', lostJobIds: ['a'] }),
    ]);

    // The worker stops that job at once (no waiting for the lease) and reports nothing for it.
    const { api, calls } = fakeApi([job('a')]);
    const hb = fakeHeartbeat();
    const r = controlledRunner();
    const stopWorker = new AbortController();
    const w = new QueueWorker({
      api,
      registration,
      runners: { TRAIN: r.runner },
      startHeartbeat: hb.start,
      clock: fakeClock().clock,
    });
    const running = w.run(stopWorker.signal);
    await until(() => r.pending.size === 1);
    const lost = events[0]!;
    hb.error('HTTP 503');
    expect(w.runningJobIds).toEqual(['a']); // a plain error inside the lease changes nothing
    hb.emit(lost);
    await until(() => w.runningJobIds.length === 0);
    stopWorker.abort();
    expect(await running).toMatchObject({ abandoned: 1, completed: 0 });
    expect(calls.filter((c) => / a/.test(c))).toEqual([]);
  });
});
