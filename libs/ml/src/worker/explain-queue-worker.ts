/**
 * A queue worker that takes only explanation jobs, started inside this process: what
 * `npm run worker -- --kinds explain` runs (registration, long-poll claims, leases kept by
 * heartbeats, hand-back on stop), for scripts and tests that explain beside other work.
 */
import { hostname, totalmem } from 'node:os';
import { createGraphqlClient } from '../tracking/graphql-client';
import { ExplainJobExecutor, explainJobRunner } from './explain-worker';
import { graphqlQueueApi } from './run-queue-api';
import { startWorkerHeartbeat } from './run-heartbeat';
import { QueueWorker, type WorkerSummary } from './run-worker';

/** Options of {@link startExplainQueueWorker}. */
export interface ExplainQueueWorkerOptions {
  /** API origin, e.g. `http://localhost:4000`. */
  apiUrl: string;
  /** API key (default: resolved by resolveApiKey). */
  apiKey?: string;
  /** Name shown on the workers page (default `<host>-<pid>`). */
  name?: string;
  /** The backend it registers (default `cpu`; explanations ask for none). */
  backend?: string;
  /** Explanations computed at once (default 1). */
  concurrency?: number;
  /** Lease heartbeat period, ms (default 5000). */
  heartbeatMs?: number;
  /** Seconds each claim waits at the API for a job (long-poll; default 20, 0: poll). */
  claimWaitS?: number;
  /** Waits after a failed (or, without long-poll, empty) claim, ms (default 500, doubling up to 5000). */
  minPollMs?: number;
  maxPollMs?: number;
  log?: (line: string) => void;
}

/** A started explain-only queue worker. */
export interface RunningExplainQueueWorker {
  worker: QueueWorker;
  executor: ExplainJobExecutor;
  /** Stops claiming, hands running jobs back, frees the cached models. */
  stop(): Promise<WorkerSummary>;
}

/** Starts an explain-only queue worker in this process. */
export function startExplainQueueWorker(
  options: ExplainQueueWorkerOptions,
): RunningExplainQueueWorker {
  const client = createGraphqlClient({ apiUrl: options.apiUrl, apiKey: options.apiKey });
  const executor = new ExplainJobExecutor({ client, log: options.log });
  const host = hostname();
  const worker = new QueueWorker({
    api: graphqlQueueApi(client),
    registration: {
      name: options.name ?? `${host}-${process.pid}`,
      host,
      backend: options.backend ?? 'cpu',
      gpu: false,
      memoryMb: Math.floor(totalmem() / 2 ** 20),
      concurrency: options.concurrency ?? 1,
      kinds: ['EXPLAIN'],
    },
    runners: { EXPLAIN: explainJobRunner(executor, client) },
    kindSlots: {},
    startHeartbeat: (workerId, onEvent) =>
      startWorkerHeartbeat({
        client,
        workerId,
        periodMs: options.heartbeatMs ?? 5000,
        onEvent,
      }),
    claimWaitS: options.claimWaitS,
    minPollMs: options.minPollMs,
    maxPollMs: options.maxPollMs,
    log: options.log,
  });
  const abort = new AbortController();
  const running = worker.run(abort.signal);
  // A failure (a refused key) surfaces at stop(); until then it must not be unhandled.
  running.catch(() => undefined);
  return {
    worker,
    executor,
    async stop() {
      abort.abort();
      try {
        return await running;
      } finally {
        executor.dispose();
      }
    },
  };
}
