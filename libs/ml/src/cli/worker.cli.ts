#!/usr/bin/env node
// `npm run worker -- --api URL [--api-key K] [--concurrency N] [--backend B] [--kinds train,explain]
// [--name N]`: a queue worker on any machine that reaches the API. It registers (host, backend,
// GPU, memory), claims queued jobs that fit it, trains each TRAIN job INTO its queued run and
// computes each EXPLAIN job (an explanation or a projector) with the run's stored model, and
// keeps their leases alive with heartbeats; a cancel stops a job within a batch. SIGINT/SIGTERM:
// claims nothing new and hands the running jobs back to the queue. Exit code 1 on failure, 2 on
// bad usage. (`npm run explain-worker` is this worker with --kinds explain.)
import { hostname, totalmem } from 'node:os';
import { apiUrlFlag, numberFlag, parseCli, usageFailure, UsageError } from './cli-args';
import { selectBackend } from '../backend/select-backend';
import { createGraphqlClient } from '../tracking/graphql-client';
import { graphqlQueueApi, type QueueJobKind } from '../worker/run-queue-api';
import { startWorkerHeartbeat } from '../worker/run-heartbeat';
import { ExplainJobExecutor, explainJobRunner } from '../worker/explain-worker';
import { trainJobRunner } from '../worker/run-train-job';
import { QueueWorker, type JobRunner } from '../worker/run-worker';

const USAGE = `Usage: npm run worker -- [options]

  --api URL          API origin (default $API_URL or http://localhost:4000)
  --api-key KEY      API key (default $CONVSCOPE_API_KEY, else the local API's key file
                     data/local-api-key when the API is on this machine)
  --concurrency N    jobs run at once (default 1; they share this process's CPU or GPU);
                     with train, explanations have slots of their own (--explain-slots)
  --explain-slots N  explanations run beside the training jobs (default 1; with train only)
  --backend NAME     force a backend: tensorflow-gpu, tensorflow, onednn, wasm, cpu
  --kinds LIST       job kinds to take, comma-separated: train, explain (default both)
  --name NAME        name shown on the workers page (default <host>-<pid>)
  --heartbeat-ms N   lease heartbeat period (default 5000)
  --light            skip the optional per-run extras (explanation pack, snapshots, layer
                     statistics, projector): faster short runs
  -h, --help         this text`;

/** `--light`: the optional per-run extras left out. */
const LIGHT = {
  explanations: { samples: 0 },
  snapshots: false,
  layerStats: false,
  projector: false,
} as const;

const KINDS: Record<string, QueueJobKind> = { train: 'TRAIN', explain: 'EXPLAIN' };

/** Aborts on SIGINT / SIGTERM: the worker claims nothing new and hands its jobs back. */
function stopOnSignals(): AbortController {
  const stop = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => {
      console.log(`[worker] ${sig}: claiming nothing new, handing running jobs back`);
      stop.abort();
    });
  return stop;
}

const OPTIONS = {
  api: { type: 'string' },
  'api-key': { type: 'string' },
  concurrency: { type: 'string' },
  'explain-slots': { type: 'string' },
  backend: { type: 'string' },
  kinds: { type: 'string' },
  name: { type: 'string' },
  'heartbeat-ms': { type: 'string' },
  light: { type: 'boolean' },
} as const;

/** The checked numbers and kinds of the command line. */
interface WorkerFlags {
  concurrency: number;
  explainSlots: number;
  heartbeatMs: number;
  kinds: QueueJobKind[];
}

/** @throws UsageError naming the bad flag */
function workerFlags(args: {
  concurrency?: string;
  'explain-slots'?: string;
  'heartbeat-ms'?: string;
  kinds?: string;
}): WorkerFlags {
  const kinds = (args.kinds ?? 'train,explain').split(',').map((k) => {
    const kind = KINDS[k.trim().toLowerCase()];
    if (!kind) throw new UsageError(`--kinds: unknown kind "${k}"; known: train, explain`);
    return kind;
  });
  return {
    concurrency: numberFlag(args.concurrency, '--concurrency', { min: 1 }) ?? 1,
    explainSlots: numberFlag(args['explain-slots'], '--explain-slots', { min: 1 }) ?? 1,
    heartbeatMs: numberFlag(args['heartbeat-ms'], '--heartbeat-ms', { min: 100 }) ?? 5000,
    kinds: [...new Set(kinds)],
  };
}

async function main(): Promise<number> {
  const parsed = parseCli({ usage: USAGE, options: OPTIONS });
  if (!parsed.ok) return parsed.exitCode;
  const args = parsed.args.values;
  let flags: WorkerFlags;
  try {
    flags = workerFlags(args);
  } catch (err) {
    return usageFailure(USAGE, (err as Error).message);
  }
  const { kinds } = flags;
  const apiUrl = apiUrlFlag(args.api);
  try {
    const backend = await selectBackend({ requested: args.backend });
    const client = createGraphqlClient({
      apiUrl,
      apiKey: args['api-key'],
      onRetry: (info) =>
        console.error(`[worker] API unreachable (${info.error}); retrying in ${info.delayMs} ms`),
    });
    const host = hostname();
    const explain = new ExplainJobExecutor({ client });
    const runners: Partial<Record<QueueJobKind, JobRunner>> = {
      TRAIN: trainJobRunner({
        apiUrl,
        client,
        backend: backend.backend,
        extra: args.light ? LIGHT : {},
      }),
      EXPLAIN: explainJobRunner(explain, client),
    };
    const worker = new QueueWorker({
      api: graphqlQueueApi(client),
      registration: {
        name: args.name ?? `${host}-${process.pid}`,
        host,
        backend: backend.backend,
        // selectBackend picks tensorflow-gpu only once libtensorflow reported a GPU device.
        gpu: backend.backend === 'tensorflow-gpu',
        memoryMb: Math.floor(totalmem() / 2 ** 20),
        concurrency: flags.concurrency,
        kinds,
      },
      runners,
      // Beside training, explanations get slots of their own (someone is waiting for them); an
      // explain-only worker runs --concurrency of them.
      kindSlots: kinds.includes('TRAIN') ? { EXPLAIN: flags.explainSlots } : {},
      startHeartbeat: (workerId, onEvent) =>
        startWorkerHeartbeat({ client, workerId, periodMs: flags.heartbeatMs, onEvent }),
      log: (line) => console.log(`[worker ${new Date().toISOString().slice(11, 23)}] ${line}`),
    });
    const stop = stopOnSignals();
    console.log(`[worker] ${backend.backend} (${backend.reason}); API ${apiUrl}`);
    try {
      const summary = await worker.run(stop.signal);
      console.log(`[worker] stopped: ${JSON.stringify(summary)}`);
    } finally {
      explain.dispose();
    }
    return 0;
  } catch (err) {
    console.error(`worker failed: ${(err as Error).message}`);
    return 1;
  }
}

process.exitCode = await main();
