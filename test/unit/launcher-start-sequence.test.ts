// The order `npm start` brings its parts up in (tools/launcher/start-sequence.ts), with fake
// steps whose promises the test resolves by hand: the demo training starts while the dashboard's
// build is still running (it used to wait for it), the explain worker only once the dashboard
// answers, and `--only` starts one part. No timers: each check waits for the calls it needs.
import { describe, expect, it } from 'vitest';
import { parseTrainLine, secondsSince } from '../../tools/launcher/child-output';
import {
  runStartSequence,
  type StartSequenceOptions,
  type StartSteps,
} from '../../tools/launcher/start-sequence';

/** A promise resolved or rejected from outside. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise callback run (a few turns of the microtask queue). */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** Steps that record their calls and wait for the test to finish each. */
function fakeSteps() {
  const calls: string[] = [];
  const api = deferred<string>();
  const count = deferred<number>();
  const build = deferred<void>();
  const serve = deferred<string>();
  const steps: StartSteps = {
    startApi: () => (calls.push('api'), api.promise),
    countRuns: () => (calls.push('countRuns'), count.promise),
    startDemo: () => void calls.push('demo'),
    buildWeb: () => (calls.push('build'), build.promise),
    serveWeb: () => (calls.push('serve'), serve.promise),
    startExplainWorker: () => void calls.push('explain'),
    log: (line) => void calls.push(`log: ${line}`),
  };
  return { calls, api, count, build, serve, steps };
}

const FULL: StartSequenceOptions = { demo: true, explainWorker: true };

describe('runStartSequence', () => {
  it('starts the demo as soon as the API is up, while the dashboard still builds', async () => {
    const f = fakeSteps();
    const done = runStartSequence(f.steps, FULL);
    await settle();
    // Nothing before the API is ready: the demo and the dashboard both need it.
    expect(f.calls).toEqual(['api']);
    f.api.resolve('http://localhost:4000/graphql');
    await settle();
    expect(f.calls).toEqual(['api', 'countRuns', 'build']);
    f.count.resolve(0);
    await settle();
    // The build has not finished, and the demo is already training.
    expect(f.calls).toEqual(['api', 'countRuns', 'build', 'demo']);
    f.build.resolve();
    await settle();
    expect(f.calls).toEqual(['api', 'countRuns', 'build', 'demo', 'serve']);
    // The explain worker waits for the dashboard to answer.
    f.serve.resolve('http://localhost:3000');
    await done;
    expect(f.calls).toEqual(['api', 'countRuns', 'build', 'demo', 'serve', 'explain']);
  });

  it('starts the queue worker with the explain worker when asked (QUEUE_WORKER)', async () => {
    const f = fakeSteps();
    f.steps.startQueueWorker = () => void f.calls.push('queue-worker');
    const done = runStartSequence(f.steps, { ...FULL, queueWorker: true });
    f.api.resolve('http://localhost:4000/graphql');
    f.count.resolve(1);
    f.build.resolve();
    f.serve.resolve('http://localhost:3000');
    await done;
    expect(f.calls).toEqual(['api', 'countRuns', 'build', 'serve', 'explain', 'queue-worker']);
    const off = fakeSteps();
    off.steps.startQueueWorker = () => void off.calls.push('queue-worker');
    const done2 = runStartSequence(off.steps, { ...FULL, queueWorker: false });
    off.api.resolve('http://localhost:4000/graphql');
    off.count.resolve(1);
    off.build.resolve();
    off.serve.resolve('http://localhost:3000');
    await done2;
    expect(off.calls).not.toContain('queue-worker');
  });

  it('does not wait for the demo decision to build, nor for the build to decide', async () => {
    const f = fakeSteps();
    const done = runStartSequence(f.steps, FULL);
    f.api.resolve('http://localhost:4000/graphql');
    await settle();
    // The build finishes first and the dashboard is served while countRuns is still pending.
    f.build.resolve();
    f.serve.resolve('http://localhost:3000');
    await settle();
    expect(f.calls).toEqual(['api', 'countRuns', 'build', 'serve', 'explain']);
    f.count.resolve(0);
    await done;
    expect(f.calls.at(-1)).toBe('demo');
  });

  it('starts no demo when the database holds runs, or with DEMO=0', async () => {
    const f = fakeSteps();
    const done = runStartSequence(f.steps, FULL);
    f.api.resolve('u');
    f.count.resolve(3);
    f.build.resolve();
    f.serve.resolve('w');
    await done;
    expect(f.calls).toEqual(['api', 'countRuns', 'build', 'serve', 'explain']);

    const g = fakeSteps();
    const off = runStartSequence(g.steps, { demo: false, explainWorker: false });
    g.api.resolve('u');
    g.build.resolve();
    g.serve.resolve('w');
    await off;
    expect(g.calls).toEqual(['api', 'build', 'serve']);
  });

  it('--only api: the API and its explain worker, no demo, no dashboard', async () => {
    const f = fakeSteps();
    const done = runStartSequence(f.steps, { ...FULL, only: 'api' });
    f.api.resolve('u');
    await done;
    expect(f.calls).toEqual(['api', 'explain']);
  });

  it('--only web: the dashboard alone', async () => {
    const f = fakeSteps();
    const done = runStartSequence(f.steps, { ...FULL, only: 'web' });
    await settle();
    expect(f.calls).toEqual(['build']);
    f.build.resolve();
    f.serve.resolve('w');
    await done;
    expect(f.calls).toEqual(['build', 'serve']);
  });

  it('a failed demo is logged and the dashboard still starts', async () => {
    const f = fakeSteps();
    const done = runStartSequence(f.steps, FULL);
    f.api.resolve('u');
    await settle();
    f.count.reject(new Error('fetch failed'));
    f.build.resolve();
    f.serve.resolve('w');
    await done;
    expect(f.calls).toEqual([
      'api',
      'countRuns',
      'build',
      'log: [demo] not started: fetch failed',
      'serve',
      'explain',
    ]);
  });

  it('a failed build rejects, after the demo was started', async () => {
    const f = fakeSteps();
    const done = runStartSequence(f.steps, FULL);
    f.api.resolve('u');
    f.count.resolve(0);
    await settle();
    f.build.reject(new Error('next build failed with exit code 1'));
    await expect(done).rejects.toThrow('next build failed with exit code 1');
    expect(f.calls).toEqual(['api', 'countRuns', 'build', 'demo']);
  });

  it('an API that dies before it is ready stops everything', async () => {
    const f = fakeSteps();
    const done = runStartSequence(f.steps, FULL);
    f.api.reject(new Error('the api process exited (exit code 1) before it was ready'));
    await expect(done).rejects.toThrow(/before it was ready/);
    expect(f.calls).toEqual(['api']);
  });
});

/** fakeSteps plus the warm-up page's steps, whose promises the test settles too. */
function warmSteps(stale: boolean) {
  const f = fakeSteps();
  const warmStart = deferred<void>();
  const warmStop = deferred<void>();
  const steps: StartSteps = {
    ...f.steps,
    webBuildStale: () => (f.calls.push('stale?'), stale),
    startWarmup: () => (f.calls.push('warmup'), warmStart.promise),
    stopWarmup: () => (f.calls.push('warmup closed'), warmStop.promise),
  };
  return { ...f, steps, warmStart, warmStop };
}

describe('runStartSequence with the warm-up page', () => {
  const WARM: StartSequenceOptions = { ...FULL, warmup: true };

  it('serves the page before the API, and closes it before the dashboard binds the port', async () => {
    const f = warmSteps(true);
    const done = runStartSequence(f.steps, WARM);
    await settle();
    expect(f.calls).toEqual(['stale?', 'warmup']);
    f.warmStart.resolve();
    await settle();
    expect(f.calls).toEqual(['stale?', 'warmup', 'api']);
    f.api.resolve('u');
    f.count.resolve(0);
    await settle();
    expect(f.calls).toEqual(['stale?', 'warmup', 'api', 'countRuns', 'build', 'demo']);
    f.build.resolve();
    await settle();
    expect(f.calls.at(-1)).toBe('warmup closed');
    // The port is not free yet: the dashboard must wait for the close to finish.
    await settle();
    expect(f.calls).not.toContain('serve');
    f.warmStop.resolve();
    await settle();
    expect(f.calls.slice(-2)).toEqual(['warmup closed', 'serve']);
    f.serve.resolve('w');
    await done;
    expect(f.calls.at(-1)).toBe('explain');
  });

  it('no page when the build is up to date, with --only, or when not wanted', async () => {
    const fresh = warmSteps(false);
    const done = runStartSequence(fresh.steps, WARM);
    fresh.api.resolve('u');
    fresh.count.resolve(1);
    fresh.build.resolve();
    fresh.serve.resolve('w');
    await done;
    expect(fresh.calls).toEqual(['stale?', 'api', 'countRuns', 'build', 'serve', 'explain']);

    const web = warmSteps(true);
    const onlyWeb = runStartSequence(web.steps, { ...WARM, only: 'web' });
    web.build.resolve();
    web.serve.resolve('w');
    await onlyWeb;
    expect(web.calls).toEqual(['build', 'serve']);

    const off = warmSteps(true);
    const noWarm = runStartSequence(off.steps, FULL);
    off.api.resolve('u');
    off.count.resolve(1);
    off.build.resolve();
    off.serve.resolve('w');
    await noWarm;
    expect(off.calls).not.toContain('warmup');
  });

  it('a failed build still closes the page; a page that cannot listen is logged, not fatal', async () => {
    const f = warmSteps(true);
    f.warmStart.resolve();
    f.warmStop.resolve();
    const done = runStartSequence(f.steps, WARM);
    f.api.resolve('u');
    f.count.resolve(1);
    await settle();
    f.build.reject(new Error('next build failed with exit code 1'));
    await expect(done).rejects.toThrow('next build failed');
    expect(f.calls.at(-1)).toBe('warmup closed');
    expect(f.calls).not.toContain('serve');

    const busy = warmSteps(true);
    busy.warmStart.reject(new Error('listen EADDRINUSE: address already in use 127.0.0.1:3000'));
    const goes = runStartSequence(busy.steps, WARM);
    busy.api.resolve('u');
    busy.count.resolve(1);
    busy.build.resolve();
    busy.serve.resolve('w');
    await goes;
    expect(busy.calls).toEqual([
      'stale?',
      'warmup',
      'log: [web] no warm-up page: listen EADDRINUSE: address already in use 127.0.0.1:3000',
      'api',
      'countRuns',
      'build',
      'serve',
      'explain',
    ]);
  });

  it('an API that dies before it is ready closes the page too', async () => {
    const f = warmSteps(true);
    f.warmStart.resolve();
    f.warmStop.resolve();
    const done = runStartSequence(f.steps, WARM);
    await settle();
    f.api.reject(new Error('the api process exited (exit code 1) before it was ready'));
    await expect(done).rejects.toThrow(/before it was ready/);
    expect(f.calls).toEqual(['stale?', 'warmup', 'api', 'warmup closed']);
  });
});

describe('parseTrainLine', () => {
  it('finds the run id and the epochs in the training CLI output', () => {
    expect(parseTrainLine('Run cmabc123 logged to http://localhost:4000')).toEqual({
      kind: 'run',
      runId: 'cmabc123',
    });
    expect(
      parseTrainLine('epoch 3/10  loss 0.4123  acc 0.8512  val_loss 0.45  12s  480 img/s'),
    ).toEqual({ kind: 'epoch', epoch: 3, epochs: 10 });
    expect(parseTrainLine('Training fmnist-cnn on 5400 images, backend cpu (x)')).toBeNull();
    expect(parseTrainLine('API unreachable (logMetrics: ECONNREFUSED); retry 1 in 1s')).toBeNull();
  });

  it('says how long ago in whole seconds', () => {
    expect(secondsSince(1_000, 13_400)).toBe('12 s');
    expect(secondsSince(5_000, 4_000)).toBe('0 s');
  });
});
