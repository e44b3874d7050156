/**
 * Explanation jobs on the worker side: {@link ExplainJobExecutor} hands a job to the handler of
 * its kind (handlers/: IMAGE explains an image with the run's stored model, PROJECTION computes
 * the embedding projector) with the run's model loaded from its artifacts (`model.json` +
 * weights, kept per run, a few, least recently used first out); {@link explainJobRunner} runs
 * the EXPLAIN jobs of the queue worker (`npm run worker`, run-worker.ts: claim, lease,
 * heartbeats, retries) and posts each result (`completeExplanationJob`) or error
 * (`failExplanationJob`) with the claim token of its claim. Every tensor a job creates is
 * disposed.
 *
 * {@link ExplainWorker} is the old one-shot claim over `claimExplanationJob` (no heartbeats: its
 * claims are held for EXPLAIN_JOB_TIMEOUT_S), kept for scripts (`runOnce`); its polling loop
 * is gone: `npm run explain-worker` runs the queue worker.
 */
import { hostname } from 'node:os';
import { z } from 'zod';
import { createGraphqlClient, type GraphqlClient } from '../tracking/graphql-client';
import { loadModelFromApi } from '../tracking/api-model';
import { recordedDatasetInfo } from '../tracking/dataset-info';
import { graphql } from '../tracking/gql';
import {
  defaultHandlers,
  handlerRegistry,
  type ClaimedJob,
  type HandlerOutput,
  type JobContext,
  type JobHandler,
  type JobKind,
  type LoadedModel,
} from './handlers';
import { PermanentJobError, type JobRunner } from './run-worker';

export {
  computeExplanation,
  imageForModel,
  imageTensorForModel,
  modelImageShape,
  type ExplainJobParams,
  type ExplanationResult,
  type PredictedClass,
} from './explain-image';

/** Options of {@link ExplainWorker}. */
export interface ExplainWorkerOptions {
  /** API origin, e.g. `http://localhost:4000`. */
  apiUrl: string;
  /** API key (default: resolved by resolveApiKey). */
  apiKey?: string;
  /** Name the API records as the claimer (default `<host>-<pid>`). */
  workerId?: string;
  /** Models kept loaded, least recently used dropped first (default 4). */
  maxModels?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** A client to use instead of a new one (tests). */
  client?: GraphqlClient;
  /** Handlers by job kind (default {@link defaultHandlers}); only their kinds are claimed. */
  handlers?: readonly JobHandler[];
}

const CLAIM = graphql(`
  mutation ClaimJob($w: String!, $kinds: [ExplanationJobKind!]) {
    claimExplanationJob(workerId: $w, kinds: $kinds) {
      id
      runId
      kind
      params
      claimToken
    }
  }
`);

const COMPLETE = graphql(`
  mutation CompleteJob($id: ID!, $t: String!, $r: JSON!) {
    completeExplanationJob(id: $id, claimToken: $t, result: $r) {
      id
    }
  }
`);

const FAIL = graphql(`
  mutation FailJob($id: ID!, $t: String!, $e: String!) {
    failExplanationJob(id: $id, claimToken: $t, error: $e) {
      id
    }
  }
`);

const RUN = graphql(`
  query ExplainedRun($id: ID!) {
    run(id: $id) {
      id
      datasetInfo
      evaluation {
        classNames
      }
      modelJson: artifact(name: "model.json") {
        sha256
        url
      }
      weights: artifact(name: "weights.bin") {
        sha256
      }
    }
  }
`);

/** Options of {@link ExplainJobExecutor}. */
export interface ExplainJobExecutorOptions {
  /** The worker's API client. */
  client: GraphqlClient;
  /** Models kept loaded, least recently used dropped first (default 4). */
  maxModels?: number;
  /** Handlers by job kind (default {@link defaultHandlers}). */
  handlers?: readonly JobHandler[];
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** Computes explanation jobs: the handler of each kind, with a cache of run models. */
export class ExplainJobExecutor {
  private readonly models = new Map<string, LoadedModel>();
  private readonly handlers: Map<JobKind, JobHandler>;

  constructor(private readonly options: ExplainJobExecutorOptions) {
    this.handlers = handlerRegistry(options.handlers ?? defaultHandlers());
  }

  /** The explanation kinds it has a handler for. */
  get kinds(): JobKind[] {
    return [...this.handlers.keys()];
  }

  /** Number of models held in memory. */
  get cachedModels(): number {
    return this.models.size;
  }

  /** Hands the job to the handler of its kind. */
  async process(job: ClaimedJob, log?: (line: string) => void): Promise<HandlerOutput> {
    const handler = this.handlers.get(job.kind);
    // Claims ask only for the handled kinds; an API that ignores that still gets a clear failure.
    if (!handler) throw new Error(`this explain worker has no handler for ${job.kind} jobs`);
    const context: JobContext = {
      client: this.options.client,
      model: (runId) => this.model(runId),
      log: (line) => (log ?? this.options.log)?.(line),
    };
    return handler.handle(job, context);
  }

  /** Frees every cached model. */
  dispose(): void {
    for (const m of this.models.values()) m.model.dispose();
    this.models.clear();
  }

  /** The run's model, from the cache when its model.json and weights are unchanged. */
  private async model(runId: string): Promise<LoadedModel> {
    const { client } = this.options;
    const { run } = await client.request(RUN, { id: runId });
    if (!run) throw new Error(`run ${runId} not found`);
    const json = run.modelJson;
    if (!json) throw new Error(`run ${runId} has no stored model (no model.json artifact)`);
    const key = `${json.sha256}:${run.weights?.sha256 ?? ''}`;
    const cached = this.models.get(runId);
    if (cached?.key === key) {
      // Re-inserted: Map order is the LRU order.
      this.models.delete(runId);
      this.models.set(runId, cached);
      return cached;
    }
    cached?.model.dispose();
    this.models.delete(runId);
    const model = await loadModelFromApi(client, json.url);
    const fromDataset = recordedDatasetInfo(run.datasetInfo).classNames;
    const classNames =
      run.evaluation?.classNames ??
      (Array.isArray(fromDataset) ? fromDataset.map((c) => String(c)) : []);
    const loaded = { key, model, classNames };
    this.models.set(runId, loaded);
    const max = this.options.maxModels ?? 4;
    for (const [id, m] of this.models) {
      if (this.models.size <= max) break;
      m.model.dispose();
      this.models.delete(id);
    }
    return loaded;
  }
}

/** The EXPLAIN payload the API puts on the queue (claimJob adds params and the claim token). */
const explainPayloadSchema = z.object({
  explanationJobId: z.string().min(1),
  runId: z.string().min(1),
  explainKind: z.enum(['IMAGE', 'PROJECTION']),
  params: z.unknown(),
  claimToken: z.string().min(1),
});

/**
 * The runner of EXPLAIN jobs for the queue worker: computes the explanation and posts it with
 * the claim's token (which ends the job); a handler's error fails the explanation for good (the
 * same image fails the same way), as the old explain worker did. A lost worker's job is the
 * queue's: its lease expires and another claim retries it.
 */
export function explainJobRunner(executor: ExplainJobExecutor, client: GraphqlClient): JobRunner {
  return async (queued, context) => {
    const parsed = explainPayloadSchema.safeParse(queued.payload);
    if (!parsed.success)
      throw new PermanentJobError(
        `EXPLAIN job ${queued.id} has a bad payload: ${parsed.error.issues[0]?.path.join('.') || 'payload'}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      );
    const p = parsed.data;
    const job: ClaimedJob = {
      id: p.explanationJobId,
      runId: p.runId,
      kind: p.explainKind,
      params: p.params,
      claimToken: p.claimToken,
    };
    const started = Date.now();
    let output: HandlerOutput;
    try {
      output = await executor.process(job, context.log);
    } catch (err) {
      // Stopped (shutdown, lost lease): the queue decides; the worker hands it back.
      if (context.signal.aborted) throw err;
      const message = (err as Error).message ?? String(err);
      context.log(`${job.kind} job ${job.id} failed: ${message}`);
      await client.request(FAIL, { id: job.id, t: job.claimToken, e: message });
      return { reported: 'failed' };
    }
    await client.request(COMPLETE, {
      id: job.id,
      t: job.claimToken,
      r: { ...output.result, durationMs: Date.now() - started },
    });
    context.log(
      `${job.kind} job ${job.id} (run ${job.runId}, ${output.summary}) done in ${Date.now() - started} ms`,
    );
    return { reported: 'completed' };
  };
}

/**
 * The old stand-alone explain worker: claims with claimExplanationJob (no registered worker,
 * no heartbeats) and posts each result. Prefer the queue worker (`npm run worker`, which runs
 * {@link explainJobRunner}).
 * @deprecated kept for scripts; `npm run explain-worker` runs the queue worker now
 */
export class ExplainWorker {
  readonly workerId: string;
  private readonly client: GraphqlClient;
  private readonly executor: ExplainJobExecutor;

  constructor(private readonly options: ExplainWorkerOptions) {
    this.workerId = options.workerId ?? `${hostname()}-${process.pid}`;
    this.client =
      options.client ?? createGraphqlClient({ apiUrl: options.apiUrl, apiKey: options.apiKey });
    this.executor = new ExplainJobExecutor({
      client: this.client,
      maxModels: options.maxModels,
      handlers: options.handlers,
      log: options.log,
    });
  }

  /** The job kinds this worker claims. */
  get kinds(): JobKind[] {
    return this.executor.kinds;
  }

  /** Number of models held in memory. */
  get cachedModels(): number {
    return this.executor.cachedModels;
  }

  /**
   * Claims one job and processes it.
   * @returns `idle` when the queue was empty, else the job's id and outcome
   */
  async runOnce(): Promise<{ outcome: 'idle' } | { outcome: 'done' | 'failed'; jobId: string }> {
    const { claimExplanationJob: job } = await this.client.request(CLAIM, {
      w: this.workerId,
      kinds: this.kinds,
    });
    if (!job) return { outcome: 'idle' };
    const started = Date.now();
    try {
      const { result, summary } = await this.executor.process(job);
      await this.client.request(COMPLETE, {
        id: job.id,
        t: job.claimToken,
        r: { ...result, durationMs: Date.now() - started },
      });
      this.options.log?.(
        `[explain-worker] ${job.kind} job ${job.id} (run ${job.runId}, ${summary}) done in ${Date.now() - started} ms`,
      );
      return { outcome: 'done', jobId: job.id };
    } catch (err) {
      const message = (err as Error).message ?? String(err);
      this.options.log?.(`[explain-worker] job ${job.id} failed: ${message}`);
      await this.client.request(FAIL, { id: job.id, t: job.claimToken, e: message });
      return { outcome: 'failed', jobId: job.id };
    }
  }

  /** Frees every cached model. */
  dispose(): void {
    this.executor.dispose();
  }
}
