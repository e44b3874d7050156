// Heartbeats of a queue worker (heartbeatWorker: extends the leases of its jobs, answers which
// were cancelled), sent from a worker thread: a training batch of TensorFlow.js blocks the main
// event loop, and a lease must not expire because of it. Same design as the run heartbeat of
// tracking/heartbeat.ts: the thread has its own event loop, timer, fetch and client.
import { isMainThread, Worker } from 'node:worker_threads';
import {
  ApiError,
  createGraphqlClient,
  type ApiCredentials,
  type GraphqlClient,
  type RetryPolicy,
} from '../tracking/graphql-client';
import { graphqlQueueApi, type WorkerBeat, type WorkerQueueApi } from './run-queue-api';

/** What the beat loop reports. */
export type WorkerBeatEvent =
  | { type: 'beat'; beat: WorkerBeat; jobIds: string[] }
  /** One beat failed (after the client's retries); `code` is the API's error code if any. */
  | {
      type: 'error';
      message: string;
      code?: string;
      /** Jobs the API says this worker no longer holds (LEASE_LOST): stop them now. */
      lostJobIds?: string[];
    };

/** The jobs a LEASE_LOST refusal names (the other named jobs' leases were extended). */
function lostJobsOf(err: unknown): string[] | undefined {
  if (!(err instanceof ApiError) || err.extensions?.reason !== 'LEASE_LOST') return undefined;
  const ids = err.extensions.jobIds;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}

/** Options of {@link workerBeatLoop}. */
export interface WorkerBeatLoopOptions {
  api: WorkerQueueApi;
  workerId: string;
  periodMs: number;
  /** The jobs held now (read before every beat). */
  jobIds(): string[];
  /** Ends the loop (also cuts the wait short). */
  signal: AbortSignal;
  report(event: WorkerBeatEvent): void;
  /** Beat once at once (default: first after one period). */
  immediate?: boolean;
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    // On the main thread a heartbeat alone never keeps the process alive.
    if (isMainThread) timer.unref();
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Beats every `periodMs` until `signal` aborts; failures are reported and the loop goes on. */
export async function workerBeatLoop(options: WorkerBeatLoopOptions): Promise<void> {
  const { signal } = options;
  let first = options.immediate === true;
  while (!signal.aborted) {
    if (!first) await wait(options.periodMs, signal);
    first = false;
    if (signal.aborted) return;
    const jobIds = options.jobIds();
    try {
      const beat = await options.api.heartbeat(options.workerId, jobIds);
      if (!signal.aborted) options.report({ type: 'beat', beat, jobIds });
    } catch (err) {
      if (signal.aborted) return;
      options.report({
        type: 'error',
        message: err instanceof Error ? err.message : String(err),
        code: err instanceof ApiError ? err.code : undefined,
        lostJobIds: lostJobsOf(err),
      });
    }
  }
}

/** What the worker thread is started with (structured-clonable). */
export interface WorkerBeatThreadData {
  apiUrl: string;
  credentials: ApiCredentials;
  retry: RetryPolicy;
  timeoutMs: number;
  workerId: string;
  periodMs: number;
}

/** Messages from the main thread to the beat thread. */
export type WorkerBeatCommand = { type: 'jobs'; ids: string[] };

/** A running worker heartbeat. */
export interface WorkerHeartbeat {
  /** Where beats come from: the thread once it loaded, else the main thread. */
  readonly mode: 'worker' | 'main-thread';
  /**
   * Resolves once beats come from the thread (or it failed to start, or stopped); never
   * rejects. Main-thread beats stop while training blocks the event loop, so the worker claims
   * its first job only after this (bounded wait).
   */
  readonly ready?: Promise<void>;
  /** The jobs the next beats name. */
  setJobs(ids: readonly string[]): void;
  /** Stops the beats; resolves once the thread exited. Idempotent. */
  stop(): Promise<void>;
}

/** Options of {@link startWorkerHeartbeat}. */
export interface StartWorkerHeartbeatOptions {
  /** The worker's client (the thread makes one with the same URL, key and retry policy). */
  client?: GraphqlClient;
  /** The protocol for main-thread beats (default graphqlQueueApi(client)). */
  api?: WorkerQueueApi;
  workerId: string;
  periodMs: number;
  onEvent(event: WorkerBeatEvent): void;
  /** `main-thread` skips the thread (tests with a fake API). Default `worker` when a client is given. */
  mode?: 'worker' | 'main-thread';
}

function startInThread(
  api: WorkerQueueApi,
  options: StartWorkerHeartbeatOptions,
  jobs: { ids: string[] },
): WorkerHeartbeat {
  const stop = new AbortController();
  const done = workerBeatLoop({
    api,
    workerId: options.workerId,
    periodMs: options.periodMs,
    jobIds: () => jobs.ids,
    signal: stop.signal,
    report: (e) => options.onEvent(e),
  });
  return {
    mode: 'main-thread',
    setJobs: (ids) => (jobs.ids = [...ids]),
    stop: () => {
      stop.abort();
      return done;
    },
  };
}

/** The thread's entry (tsx registered first when running from TypeScript, as in heartbeat.ts). */
function threadScript(): { script: string | URL; eval: boolean } {
  if (!import.meta.url.endsWith('.ts'))
    return { script: new URL('./run-heartbeat.worker.js', import.meta.url), eval: false };
  const entry = new URL('./run-heartbeat.worker.ts', import.meta.url).href;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  return {
    script:
      `import(${JSON.stringify(tsxApi)})` +
      `.then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`,
    eval: true,
  };
}

/**
 * Starts the worker's heartbeat in a worker thread (main-thread beats stand in while it loads,
 * and for good if it cannot start). The thread never keeps the process alive.
 */
export function startWorkerHeartbeat(options: StartWorkerHeartbeatOptions): WorkerHeartbeat {
  const jobs = { ids: [] as string[] };
  const client = options.client;
  // A failed beat is reported within about 10 s (the worker then judges its leases), instead
  // of being retried for the client's whole outage budget; a slow, loaded API still answers.
  const budgetMs = Math.max(3 * options.periodMs, 10_000);
  const retry = client && { ...client.retry, budgetMs, connectBudgetMs: budgetMs };
  const beatClient =
    client &&
    createGraphqlClient({
      apiUrl: client.baseUrl,
      credentials: client.credentials,
      retry,
      timeoutMs: Math.min(client.timeoutMs, budgetMs),
    });
  const api = options.api ?? (beatClient ? graphqlQueueApi(beatClient) : undefined);
  if (!api) throw new Error('startWorkerHeartbeat needs a client or an api');
  if (options.mode === 'main-thread' || !client || !retry) return startInThread(api, options, jobs);
  const data: WorkerBeatThreadData = {
    apiUrl: client.baseUrl,
    credentials: client.credentials,
    retry,
    timeoutMs: Math.min(client.timeoutMs, budgetMs),
    workerId: options.workerId,
    periodMs: options.periodMs,
  };
  let thread: Worker;
  try {
    const { script, eval: isEval } = threadScript();
    thread = new Worker(script, { eval: isEval, workerData: data });
  } catch (err) {
    options.onEvent({
      type: 'error',
      message: `heartbeat thread did not start (${(err as Error).message}); beating from the main thread`,
    });
    return startInThread(api, options, jobs);
  }
  let inThread: WorkerHeartbeat | undefined = startInThread(api, options, jobs);
  let threadReady = false;
  let stopped = false;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  thread.on('message', (e: WorkerBeatEvent | { type: 'ready' }) => {
    if (e.type !== 'ready') return options.onEvent(e);
    threadReady = true;
    markReady();
    void inThread?.stop();
    inThread = undefined;
  });
  thread.on('error', (err) => {
    if (stopped) return;
    threadReady = false;
    options.onEvent({
      type: 'error',
      message: `heartbeat thread failed (${err.message}); beating from the main thread`,
    });
    inThread ??= startInThread(api, options, jobs);
    markReady();
  });
  thread.unref();
  let stopping: Promise<void> | undefined;
  return {
    get mode() {
      return threadReady ? 'worker' : 'main-thread';
    },
    ready,
    setJobs(ids) {
      jobs.ids = [...ids];
      inThread?.setJobs(ids);
      // Posted even while the thread loads: its port queues messages until it listens, so its
      // first beats already name the jobs (the main thread may be blocked by training then).
      thread.postMessage({ type: 'jobs', ids: jobs.ids } satisfies WorkerBeatCommand);
    },
    stop() {
      stopped = true;
      markReady();
      stopping ??= Promise.all([thread.terminate().catch(() => undefined), inThread?.stop()]).then(
        () => undefined,
      );
      return stopping;
    },
  };
}
