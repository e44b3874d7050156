/**
 * The explain worker: claims on-demand jobs from the API over GraphQL (`claimExplanationJob`,
 * only the kinds it has a handler for), hands each to the handler of its kind (handlers/: IMAGE
 * explains an image with the run's stored model, PROJECTION computes the embedding projector),
 * and posts the result (`completeExplanationJob`) or the error (`failExplanationJob`). Models
 * are loaded from the run's artifacts (`model.json` + weights, tf.loadLayersModel from the
 * artifact URL) and kept per run (a few, least recently used first out). Every tensor a job
 * creates is disposed.
 */
import { hostname } from 'node:os';
import { ApiError, createGraphqlClient, type GraphqlClient } from '../tracking/graphql-client';
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
  /** Wait between claims while the queue is empty, ms (default 1000). */
  pollMs?: number;
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

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/** Claims and computes explanation jobs until stopped. */
export class ExplainWorker {
  readonly workerId: string;
  private readonly client: GraphqlClient;
  private readonly models = new Map<string, LoadedModel>();
  private readonly handlers: Map<JobKind, JobHandler>;

  constructor(private readonly options: ExplainWorkerOptions) {
    this.workerId = options.workerId ?? `${hostname()}-${process.pid}`;
    this.client =
      options.client ?? createGraphqlClient({ apiUrl: options.apiUrl, apiKey: options.apiKey });
    this.handlers = handlerRegistry(options.handlers ?? defaultHandlers());
  }

  /** The job kinds this worker claims. */
  get kinds(): JobKind[] {
    return [...this.handlers.keys()];
  }

  /** Number of models held in memory. */
  get cachedModels(): number {
    return this.models.size;
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
      const { result, summary } = await this.process(job);
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

  /** Processes jobs until `signal` aborts; waits `pollMs` whenever the queue is empty. */
  async run(signal?: AbortSignal): Promise<void> {
    const pollMs = this.options.pollMs ?? 1000;
    while (!signal?.aborted) {
      try {
        const r = await this.runOnce();
        if (r.outcome === 'idle') await sleep(pollMs, signal);
      } catch (err) {
        // A refused key will not get better by waiting: stop with the message that says why.
        if (err instanceof ApiError && (err.code === 'UNAUTHENTICATED' || err.code === 'FORBIDDEN'))
          throw err;
        // The API is down or restarting: keep trying, slower.
        this.options.log?.(`[explain-worker] ${(err as Error).message}`);
        await sleep(pollMs * 5, signal);
      }
    }
  }

  /** Frees every cached model. */
  dispose(): void {
    for (const m of this.models.values()) m.model.dispose();
    this.models.clear();
  }

  /** Hands the job to the handler of its kind. */
  private async process(job: ClaimedJob): Promise<HandlerOutput> {
    const handler = this.handlers.get(job.kind);
    // Claims ask only for the handled kinds; an API that ignores that still gets a clear failure.
    if (!handler) throw new Error(`this explain worker has no handler for ${job.kind} jobs`);
    const context: JobContext = {
      client: this.client,
      model: (runId) => this.model(runId),
      log: (line) => this.options.log?.(line),
    };
    return handler.handle(job, context);
  }

  /** The run's model, from the cache when its model.json and weights are unchanged. */
  private async model(runId: string): Promise<LoadedModel> {
    const { run } = await this.client.request(RUN, { id: runId });
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
    const model = await loadModelFromApi(this.client, json.url);
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
