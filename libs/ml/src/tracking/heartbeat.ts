// Heartbeats of a tracked run, sent from a worker thread: a long synchronous TensorFlow.js
// computation on the main thread (100 MC-dropout passes, an explanation pack) blocks its event
// loop, and with it any timer there, for longer than the API's heartbeat timeout. The worker has
// its own event loop, timer and fetch, the same key and the same back-off as the main client.
import { isMainThread, Worker } from 'node:worker_threads';
import {
  ApiError,
  createGraphqlClient,
  type ApiCredentials,
  type GraphqlClient,
  type RetryPolicy,
} from './graphql-client';
import { graphql } from './gql';

/** What a heartbeat loop reports. */
export type HeartbeatEvent =
  | { type: 'beat' }
  /** One beat failed after its retries (the API stayed down); the loop goes on. */
  | { type: 'error'; message: string }
  /** The API will not take beats for this run any more (failed, finished, unknown, bad key); the loop ended. */
  | { type: 'lost'; code: string; message: string };

/** Errors after which beating again is pointless. */
const FATAL_CODES = new Set(['INVALID_STATE', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN']);

const BEAT = graphql(`
  mutation Beat($id: ID!) {
    heartbeat(id: $id) {
      id
    }
  }
`);

/** Options of {@link heartbeatLoop}. */
export interface HeartbeatLoopOptions {
  client: GraphqlClient;
  runId: string;
  periodMs: number;
  /** Ends the loop (also cuts the wait short). */
  signal: AbortSignal;
  report(event: HeartbeatEvent): void;
}

/** Sends a beat every `periodMs` until `signal` aborts or the API refuses the run. */
export async function heartbeatLoop(options: HeartbeatLoopOptions): Promise<void> {
  const { signal } = options;
  while (!signal.aborted) {
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, options.periodMs);
      // On the main thread a heartbeat alone never keeps the process alive; a worker's thread
      // must stay up (the parent unrefs the worker itself).
      if (isMainThread) timer.unref();
      signal.addEventListener('abort', done, { once: true });
    });
    if (signal.aborted) return;
    try {
      await options.client.request(BEAT, { id: options.runId });
      options.report({ type: 'beat' });
    } catch (err) {
      if (signal.aborted) return;
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof ApiError && FATAL_CODES.has(err.code)) {
        options.report({ type: 'lost', code: err.code, message });
        return;
      }
      options.report({ type: 'error', message });
    }
  }
}

/** What the worker thread is started with (structured-clonable). */
export interface HeartbeatWorkerData {
  apiUrl: string;
  credentials: ApiCredentials;
  retry: RetryPolicy;
  timeoutMs: number;
  runId: string;
  periodMs: number;
}

/** Options of {@link startHeartbeat}. */
export interface StartHeartbeatOptions {
  /** The run's client: the worker makes one with the same URL, key and retry policy. */
  client: GraphqlClient;
  runId: string;
  periodMs: number;
  /** Told of every beat, failure and loss (from the worker's messages). */
  onEvent?(event: HeartbeatEvent): void;
  /** `main-thread` skips the worker (a fallback; starves under long synchronous work). Default `worker`. */
  mode?: 'worker' | 'main-thread';
}

/** A running heartbeat. */
export interface Heartbeat {
  /** Where the beats are sent from now (`main-thread` while the worker loads, or if it failed). */
  readonly mode: 'worker' | 'main-thread';
  /** Resolves once the worker beats (or failed, or the heartbeat stopped); never rejects. */
  readonly ready: Promise<void>;
  /** Stops the beats; resolves once the worker thread has exited. Idempotent. */
  stop(): Promise<void>;
}

/**
 * The script the worker evaluates. Node's Worker loads a file without its parent's module hooks
 * (tsx, vitest), so a TypeScript entry is imported after registering tsx (as data-parallel.ts
 * does); compiled JavaScript is loaded directly.
 */
function workerScript(): { script: string | URL; eval: boolean } {
  if (!import.meta.url.endsWith('.ts'))
    return { script: new URL('./heartbeat.worker.js', import.meta.url), eval: false };
  const entry = new URL('./heartbeat.worker.ts', import.meta.url).href;
  // Missing when tsx loads this file as CommonJS: startHeartbeat then beats from the main thread.
  const tsxApi = import.meta.resolve('tsx/esm/api');
  return {
    script:
      `import(${JSON.stringify(tsxApi)})` +
      `.then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`,
    eval: true,
  };
}

/** A back-off wait that neither keeps the process alive nor outlives `signal`. */
function unrefSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener('abort', done, { once: true });
  });
}

function startInThread(options: StartHeartbeatOptions): Heartbeat {
  const stop = new AbortController();
  // A client of its own: its waits and requests end with the heartbeat.
  const client = createGraphqlClient({
    apiUrl: options.client.baseUrl,
    credentials: options.client.credentials,
    retry: { ...options.client.retry, connectBudgetMs: options.client.retry.budgetMs },
    timeoutMs: options.client.timeoutMs,
    signal: stop.signal,
    clock: { sleep: (ms) => unrefSleep(ms, stop.signal) },
  });
  const done = heartbeatLoop({
    client,
    runId: options.runId,
    periodMs: options.periodMs,
    signal: stop.signal,
    report: (e) => options.onEvent?.(e),
  });
  return {
    mode: 'main-thread',
    ready: Promise.resolve(),
    stop: () => {
      stop.abort();
      return done;
    },
  };
}

/**
 * Starts the heartbeat of a run in a worker thread. Until the worker has loaded (a second or more
 * on a busy machine) the main thread beats in its place, so a short API timeout cannot fail the
 * run before the first worker beat; if the worker cannot start, the main thread goes on (with an
 * `error` event). The worker never keeps the process alive.
 */
export function startHeartbeat(options: StartHeartbeatOptions): Heartbeat {
  if (options.mode === 'main-thread') return startInThread(options);
  const data: HeartbeatWorkerData = {
    apiUrl: options.client.baseUrl,
    credentials: options.client.credentials,
    // The run exists, so the API was reachable: a down API is an outage to ride out, not a typo.
    retry: { ...options.client.retry, connectBudgetMs: options.client.retry.budgetMs },
    timeoutMs: options.client.timeoutMs,
    runId: options.runId,
    periodMs: options.periodMs,
  };
  let worker: Worker;
  try {
    const { script, eval: isEval } = workerScript();
    worker = new Worker(script, { eval: isEval, workerData: data });
  } catch (err) {
    options.onEvent?.({
      type: 'error',
      message: `heartbeat worker did not start (${(err as Error).message}); beating from the main thread`,
    });
    return startInThread(options);
  }
  // Beats from the main thread while the worker loads, and for good if it fails.
  let inThread: Heartbeat | undefined = startInThread(options);
  let workerReady = false;
  let stopped = false;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  worker.on('message', (e: HeartbeatEvent | { type: 'ready' }) => {
    if (e.type !== 'ready') return options.onEvent?.(e);
    workerReady = true;
    void inThread?.stop();
    inThread = undefined;
    markReady();
  });
  worker.on('error', (err) => {
    if (stopped) return;
    workerReady = false;
    options.onEvent?.({
      type: 'error',
      message: `heartbeat worker failed (${err.message}); beating from the main thread`,
    });
    inThread ??= startInThread(options);
    markReady();
  });
  // After the listeners: attaching a 'message' listener refs the worker's port again.
  worker.unref();
  let stopping: Promise<void> | undefined;
  return {
    get mode() {
      return workerReady ? 'worker' : 'main-thread';
    },
    ready,
    stop() {
      stopped = true;
      markReady();
      stopping ??= Promise.all([worker.terminate().catch(() => undefined), inThread?.stop()]).then(
        () => undefined,
      );
      return stopping;
    },
  };
}
