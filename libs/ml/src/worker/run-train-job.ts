/**
 * The TRAIN job of the queue worker: trains a queued run's experiment file (with its
 * hyperparameter overrides) INTO that run (RunTracker.adopt through trainQueuedRun), stopping
 * within a batch when the job's signal aborts. The run's final status is the queue's business:
 * the tracker finishes it COMPLETED on success and leaves it to failJob / acknowledgeCancel
 * otherwise.
 *
 * A retried job (its worker died) restarts the run from epoch 0 with the same seed: metrics are
 * idempotent on (run, name, step), so the points the dead attempt logged are kept and the
 * restart's equal steps are counted as duplicates (no step is ever doubled), and artifacts of the
 * same name are replaced. Resuming from the checkpoint artifact named by `resumeFromArtifactId`
 * is not implemented (logged when the payload names one).
 */
import { z } from 'zod';
import type { GraphqlClient } from '../tracking/graphql-client';
import type { TrainExperimentOptions } from '../train/experiment-options';
import { queuedRunConfig, trainQueuedRun } from '../train/run-config';
import { PermanentJobError, type JobRunner } from './run-worker';

/** The TRAIN payload the API puts on the queue. */
const trainPayloadSchema = z.object({
  projectId: z.string().optional(),
  runId: z.string().min(1),
  runName: z.string().optional(),
  config: z.unknown(),
  hyperparameters: z.unknown().optional(),
  resumeFromArtifactId: z.string().nullish(),
});

/** Options of {@link trainJobRunner}. */
export interface TrainJobOptions {
  apiUrl: string;
  apiKey?: string;
  /** The worker's client (trackers share it). */
  client?: GraphqlClient;
  /** Backend to force (default: selectBackend's choice). */
  backend?: string;
  /**
   * Run heartbeat period in ms (default 0: none; the worker's heartbeat keeps its runs alive,
   * and a second thread per run would only cost its start-up).
   */
  heartbeatMs?: number;
  /**
   * Extra trainExperiment options for every run (e.g. `{ explanations: { samples: 0 } }`).
   * Only options the queued run does not decide itself.
   */
  extra?: Pick<
    TrainExperimentOptions,
    'explanations' | 'snapshots' | 'layerStats' | 'projector' | 'systemMetrics' | 'dataParallel'
  >;
}

/** The runner of TRAIN jobs. */
export function trainJobRunner(options: TrainJobOptions): JobRunner {
  return async (job, context) => {
    const parsed = trainPayloadSchema.safeParse(job.payload);
    if (!parsed.success)
      throw new PermanentJobError(
        `TRAIN job ${job.id} has a bad payload: ${parsed.error.issues[0]?.path.join('.') || 'payload'}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      );
    const payload = parsed.data;
    const runId = job.runId ?? payload.runId;
    // A ConfigError (bad preset, bad override) is permanent: the worker fails it without retry.
    const config = queuedRunConfig(payload.config, payload.hyperparameters);
    if (job.attempt > 1 || payload.resumeFromArtifactId)
      context.log(
        `attempt ${job.attempt}: restarting run ${runId} from epoch 0 (checkpoint resume not implemented; logged steps are kept)`,
      );
    const result = await trainQueuedRun(config, {
      ...options.extra,
      apiUrl: options.apiUrl,
      apiKey: options.apiKey,
      client: options.client,
      backend: options.backend,
      heartbeatMs: options.heartbeatMs ?? 0,
      runId,
      workerId: context.workerId,
      attempt: job.attempt,
      signal: context.signal,
      failRunOnError: false,
      onStart: (info) =>
        context.log(
          `training run ${runId} on ${info.backend.backend}: ${info.epochs} epoch(s) of ${info.batchesPerEpoch} batches`,
        ),
    });
    context.log(
      `run ${runId} done: test accuracy ${result.testAccuracy.toFixed(4)} in ${result.wallSeconds.toFixed(1)} s`,
    );
  };
}
