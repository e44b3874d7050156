// Explanation jobs: an image uploaded to a run (POST /runs/:id/explain) is checked against the
// run's stored model, cached by (image hash, parameters), queued on the job queue (kind EXPLAIN,
// explain-queue.ts) and computed by a queue worker (libs/ml `npm run worker`) that claims it over
// GraphQL and posts the result back. The API only queues, hands out and stores: it never loads
// the model itself.
import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import { GraphQLError } from 'graphql';
import type { ArtifactStore } from '../artifact/artifact-store';
import type { ArtifactService } from '../artifact/artifact.service';
import { systemClock, type Clock } from '../common/clock';
import { apiError, badInput, ErrorCode, isUniqueViolation, notFound } from '../common/errors';
import { isJsonObject, parseJsonColumn } from '../common/json';
import { limits, LIMITS } from '../common/limits';
import type { RunQueueService } from '../queue/run-queue.service';
import type { RunService } from '../run/run.service';
import { ExplainQueue } from './explain-queue';
import {
  canonicalParams,
  explainCacheKey,
  hasLayer,
  inspectImage,
  readModelInfo,
  sha256,
  type ExplainParams,
  type ModelInfo,
  type SampleSource,
} from './explain-image';
import { readSamplePng } from './explain-sample';
import type {
  ExplanationJobRepository,
  ExplanationJobRow,
  JobPageRequest,
} from './explain-job.repository';
import {
  type PageArgs,
  encodeKeyset,
  pageRequest,
  toConnection,
  type ConnectionPage,
  type PageLimits,
  type PageRequest,
} from '../common/keyset';

/** Cursor kind and page sizes of Run.explanationJobs (newest first: createdAt desc, id desc). */
export const JOB_PAGES: PageLimits = {
  kind: 'explanation-job:createdAt',
  defaultSize: 20,
  maxSize: 100,
};

/** States of an explanation job (alphabetical, as the schema lists them). */
export enum ExplanationJobStatus {
  DONE = 'DONE',
  FAILED = 'FAILED',
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
}

/** What a job computes (alphabetical, as the schema lists them). */
export enum ExplanationJobKind {
  /** Explanations of one image (uploaded, or a stored sample). */
  IMAGE = 'IMAGE',
  /** A run's embedding projector (files stored as run artifacts). */
  PROJECTION = 'PROJECTION',
}

/** A job as the API exposes it (shape of the ExplanationJob GraphQL type and of the HTTP JSON). */
export interface ExplanationJobModel {
  id: string;
  runId: string;
  kind: ExplanationJobKind;
  status: ExplanationJobStatus;
  /** The stored sample an IMAGE job explains; null for an upload and for other kinds. */
  source: SampleSource | null;
  /** The image columns are null for kinds without an image. */
  imageSha256: string | null;
  imageMime: string | null;
  imageBytes: number | null;
  imageWidth: number | null;
  imageHeight: number | null;
  /** IMAGE: the explain parameters (`methods` filled in for jobs stored without it); else {}. */
  params: ExplainParams | Record<string, never>;
  result: unknown;
  error: string | null;
  attempts: number;
  workerId: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Where to poll the job (GET). */
  url: string;
  /** The image (GET), what the worker downloads; null for kinds without an image. */
  imageUrl: string | null;
}

/** Options of the service (see ApiServerOptions for their defaults). */
export interface ExplainJobOptions {
  publicUrl: () => string;
  /** Largest accepted upload in bytes (larger: 413). */
  maxImageBytes: number;
  /**
   * The lease of a job claimed with claimExplanationJob (no heartbeats): without a result after
   * this long it is retried or failed. Queue workers hold theirs with heartbeats (JOB_LEASE_S).
   */
  jobTimeoutS: number;
  /** The same for PROJECTION jobs (default: the larger of jobTimeoutS and 600 s). */
  projectionTimeoutS?: number;
  /** The job queue explanations travel on (kind EXPLAIN). */
  queue: RunQueueService;
  /** Default long-poll of POST /runs/:id/explain, in seconds. */
  waitS: number;
  /** Time of claims, time-outs and waits (default: the system clock). */
  clock?: Clock;
}

/** A job as its claim returns it: with the token that completes or fails it. */
export interface ClaimedExplanationJobModel extends ExplanationJobModel {
  claimToken: string;
}

/** What a submission returns. */
export interface SubmitResult {
  job: ExplanationJobModel;
  /** True when the result was stored before this request (no work done for it). */
  cached: boolean;
}

/** Longest error message of a failed job (longer ones are cut). */
const MAX_ERROR_CHARS = 10_000;

function toStatus(value: string): ExplanationJobStatus {
  return (Object.values(ExplanationJobStatus) as string[]).includes(value)
    ? (value as ExplanationJobStatus)
    : ExplanationJobStatus.FAILED;
}

function toKind(value: string): ExplanationJobKind {
  return value === 'PROJECTION' ? ExplanationJobKind.PROJECTION : ExplanationJobKind.IMAGE;
}

/** The stored `source` column: { split, index } or null. */
function toSource(text: string | null): SampleSource | null {
  const v = parseJsonColumn<unknown>(text, null);
  return isJsonObject(v) && typeof v.split === 'string' && Number.isSafeInteger(v.index)
    ? { split: v.split, index: v.index as number }
    : null;
}

/** Stored IMAGE params with `methods` filled in (jobs stored before it existed, or only [method]). */
function toParams(text: string): ExplainParams {
  const p = parseJsonColumn<ExplainParams>(text, {} as ExplainParams);
  return { ...p, methods: Array.isArray(p.methods) ? p.methods : [p.method] };
}

/** Default time a PROJECTION job may run, in seconds. */
export const PROJECTION_TIMEOUT_S = 600;

/** Cache key of a run's projection job: one per run (the unique (run, key) index keeps it one). */
const PROJECTION_CACHE_KEY = sha256('kind PROJECTION');

/** Explanation-job business logic. */
export class ExplainJobService {
  /** Emits `settled:<id>` when a job becomes DONE or FAILED in this process (long-polls wake). */
  private readonly events = new EventEmitter();
  /** Parsed model.json per blob hash (model files are immutable blobs). */
  private readonly modelInfos = new Map<string, ModelInfo>();

  private readonly clock: Clock;
  private readonly queue: ExplainQueue;

  constructor(
    private readonly jobs: ExplanationJobRepository,
    private readonly runs: RunService,
    private readonly artifacts: ArtifactService,
    private readonly store: ArtifactStore,
    readonly options: ExplainJobOptions,
  ) {
    this.events.setMaxListeners(0);
    this.clock = options.clock ?? systemClock;
    this.queue = new ExplainQueue(jobs, options.queue, {
      now: () => this.now(),
      onSettled: (id) => this.events.emit(`settled:${id}`),
      timeoutOf: (kind) => this.timeoutOf(toKind(kind)),
    });
  }

  /** The current time of this service's clock. */
  private now(): Date {
    return new Date(this.clock.now());
  }

  /** Maps a stored row to the API model. */
  toModel(row: ExplanationJobRow): ExplanationJobModel {
    const base = `${this.options.publicUrl()}/explain-jobs/${encodeURIComponent(row.id)}`;
    const kind = toKind(row.kind);
    const image = kind === ExplanationJobKind.IMAGE;
    return {
      ...row,
      kind,
      status: toStatus(row.status),
      source: toSource(row.source),
      // Kinds without an image store '' and 0 there (SQLite keeps the columns NOT NULL).
      imageSha256: image ? row.imageSha256 : null,
      imageMime: image ? row.imageMime : null,
      imageBytes: image ? row.imageBytes : null,
      imageWidth: image ? row.imageWidth : null,
      imageHeight: image ? row.imageHeight : null,
      params: image ? toParams(row.params) : {},
      result: parseJsonColumn<unknown>(row.result, null),
      url: base,
      imageUrl: image ? `${base}/image` : null,
    };
  }

  /** A job by id, or null. */
  async find(id: string): Promise<ExplanationJobModel | null> {
    const row = await this.jobs.findById(limits.id(id, 'id'));
    return row ? this.toModel(row) : null;
  }

  /** A job by id; NOT_FOUND otherwise. */
  async get(id: string): Promise<ExplanationJobModel> {
    const job = await this.find(id);
    if (!job) throw notFound('ExplanationJob', id);
    return job;
  }

  /**
   * Checks the arguments of Run.explanationJobs into a repository page request (one row more
   * than the page, to learn whether more exist).
   * @throws BAD_USER_INPUT for bad page arguments or a cursor Run.explanationJobs did not return
   */
  pageRequest(args: PageArgs): { request: PageRequest; page: JobPageRequest } {
    const request = pageRequest(args, JOB_PAGES);
    const { key } = request;
    const [ms, id] = key ?? [];
    if (key !== null && (key.length !== 2 || !Number.isInteger(ms) || typeof id !== 'string'))
      throw badInput('Invalid cursor: not a cursor of Run.explanationJobs', {
        field: request.direction === 'forward' ? 'after' : 'before',
      });
    return {
      request,
      page: {
        direction: request.direction,
        key: key === null ? null : [Number(ms), String(id)],
        take: request.size + 1,
      },
    };
  }

  /** One page of the jobs of each run, in walking order (for a DataLoader batch). */
  async pagesOf(runIds: readonly string[], page: JobPageRequest): Promise<ExplanationJobRow[][]> {
    const pages = await this.jobs.pages(runIds, page);
    return runIds.map((id) => pages.get(id) ?? []);
  }

  /** The connection answering `request` from the rows its page request read. */
  toPage(
    rows: readonly ExplanationJobRow[],
    request: PageRequest,
  ): ConnectionPage<ExplanationJobModel> {
    return toConnection(
      rows.map((r) => this.toModel(r)),
      request,
      (job) => encodeKeyset(JOB_PAGES.kind, [job.createdAt.getTime(), job.id]),
    );
  }

  /**
   * The stored model of a run, read from its model.json artifact.
   * @throws NOT_FOUND for an unknown run; INVALID_STATE (`reason: MODEL_NOT_FOUND`, naming the
   *   missing artifact) when the run stored no model or only part of it
   */
  async modelOf(runId: string): Promise<ModelInfo> {
    await this.runs.get(runId);
    const missing = (name: string, why = '') =>
      apiError(
        ErrorCode.INVALID_STATE,
        `Run ${runId} has no stored model: artifact ${name} is missing${why} (a run stores model.json and weights.bin when training completes)`,
        { reason: 'MODEL_NOT_FOUND', artifact: name },
      );
    const locate = async (name: string) => {
      try {
        return await this.artifacts.locate(runId, name);
      } catch (err) {
        if (err instanceof GraphQLError && err.extensions.entity === 'Artifact')
          throw missing(name);
        throw err;
      }
    };
    const json = await locate('model.json');
    let info = this.modelInfos.get(json.artifact.sha256);
    if (!info) {
      try {
        const text = await this.artifacts.read(json.artifact.sha256, {
          maxBytes: json.artifact.bytes,
        });
        info = readModelInfo(text.toString('utf8'));
      } catch (err) {
        throw apiError(
          ErrorCode.INVALID_STATE,
          `The stored model of run ${runId} is unreadable: ${(err as Error).message}`,
          { reason: 'MODEL_UNREADABLE', artifact: 'model.json' },
        );
      }
      this.modelInfos.set(json.artifact.sha256, info);
    }
    for (const file of info.weightFiles) await locate(file);
    return info;
  }

  /**
   * Checks an image against the run's model, then answers from the cache, or queues the job (or
   * joins the identical one already queued) and waits up to `waitMs` for a worker. An image whose
   * channels or size differ from the model input is accepted: the worker converts it and says how
   * (`result.conversion`).
   * @param source the stored sample the image is (null: an upload)
   * @throws BAD_USER_INPUT (corrupt image, unknown layer, class out of range), NOT_FOUND,
   *   INVALID_STATE (no model)
   */
  async submit(
    runId: string,
    model: ModelInfo,
    bytes: Uint8Array,
    params: ExplainParams,
    waitMs: number,
    source: SampleSource | null = null,
  ): Promise<SubmitResult> {
    const image = await inspectImage(bytes);
    for (const name of ['layer', 'activationsLayer'] as const) {
      const layer = params[name];
      if (layer !== null && !hasLayer(model, layer))
        throw badInput(
          `${name} "${layer}" is not a layer of the model of run ${runId}; layers: ${[...model.layerNames].slice(0, 40).join(', ')}`,
          { field: name },
        );
    }
    const run = await this.runs.get(runId);
    const classNames = isJsonObject(run.datasetInfo) ? run.datasetInfo.classNames : undefined;
    if (params.classIndex !== null && Array.isArray(classNames) && classNames.length > 0) {
      if (params.classIndex >= classNames.length)
        throw badInput(
          `classIndex ${params.classIndex} is out of range: the model of run ${runId} has ${classNames.length} classes (0 to ${classNames.length - 1})`,
          { field: 'classIndex' },
        );
    }

    const imageSha256 = sha256(bytes);
    const cacheKey = explainCacheKey(imageSha256, params, source);
    let row = await this.jobs.findByKey(runId, cacheKey);
    if (row?.status === ExplanationJobStatus.DONE) return { job: this.toModel(row), cached: true };
    if (!row) {
      // The image is stored before the job exists, so a worker never claims a job without it.
      if (!(await this.store.exists(imageSha256))) await this.store.put(bytes);
      try {
        row = await this.jobs.create({
          runId,
          imageSha256,
          imageMime: image.mimeType,
          imageBytes: bytes.length,
          imageWidth: image.width,
          imageHeight: image.height,
          params: canonicalParams(params),
          cacheKey,
          kind: ExplanationJobKind.IMAGE,
          source: source ? JSON.stringify({ split: source.split, index: source.index }) : null,
        });
        await this.queue.enqueue(row, run.projectId);
      } catch (err) {
        // An identical request raced us: join its job.
        if (!isUniqueViolation(err)) throw err;
        row = await this.jobs.findByKey(runId, cacheKey);
        if (!row) throw err;
      }
    } else if (row.status === ExplanationJobStatus.FAILED) {
      // Asking again for a failed explanation retries it.
      if (await this.jobs.requeueFailed(row.id)) await this.queue.enqueue(row, run.projectId);
    }
    const job = await this.waitFor(row.id, waitMs);
    return { job, cached: false };
  }

  /**
   * Explains sample `index` of the run's stored `split` images (the PNG the sample route serves)
   * through the same cache and workers as an upload; returns at once (clients poll the job).
   * @throws NOT_FOUND (run), INVALID_STATE (no model, or no stored samples of the split:
   *   `reason` MODEL_NOT_FOUND / SAMPLES_NOT_FOUND), BAD_USER_INPUT (index out of range naming
   *   the split's count, unknown layer, class out of range)
   */
  async submitSample(
    runId: string,
    source: SampleSource,
    params: ExplainParams,
  ): Promise<SubmitResult> {
    const model = await this.modelOf(runId);
    const png = await readSamplePng(this.artifacts, runId, source);
    return this.submit(runId, model, png, params, 0, source);
  }

  /**
   * Queues the run's embedding projector for a worker (kind PROJECTION): one job per run, so a
   * second request returns the same job (live or done) unless `force` queues a done or failed
   * one again.
   * @throws NOT_FOUND (run), INVALID_STATE (no stored model)
   */
  async requestProjection(
    runId: string,
    options: { force?: boolean } = {},
  ): Promise<ExplanationJobModel> {
    await this.modelOf(runId);
    const { projectId } = await this.runs.get(runId);
    let row = await this.jobs.findByKey(runId, PROJECTION_CACHE_KEY);
    if (!row) {
      try {
        row = await this.jobs.create({
          runId,
          kind: ExplanationJobKind.PROJECTION,
          source: null,
          imageSha256: '',
          imageMime: '',
          imageBytes: 0,
          imageWidth: 0,
          imageHeight: 0,
          params: '{}',
          cacheKey: PROJECTION_CACHE_KEY,
        });
        await this.queue.enqueue(row, projectId);
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        row = await this.jobs.findByKey(runId, PROJECTION_CACHE_KEY);
        if (!row) throw err;
      }
      return this.toModel(row);
    }
    const settled =
      row.status === ExplanationJobStatus.DONE || row.status === ExplanationJobStatus.FAILED;
    if (row.status === ExplanationJobStatus.FAILED || (settled && options.force))
      if (await this.jobs.requeueSettled(row.id)) await this.queue.enqueue(row, projectId);
    return this.get(row.id);
  }

  /**
   * The job once it is DONE or FAILED, or as it is after `waitMs`. Woken at once by a
   * completion in this process; re-reads the database every second as well (another API
   * process may have stored the result).
   */
  async waitFor(id: string, waitMs: number): Promise<ExplanationJobModel> {
    const { clock } = this;
    const deadline = clock.now() + Math.max(0, waitMs);
    for (;;) {
      const job = await this.get(id);
      if (job.status === ExplanationJobStatus.DONE || job.status === ExplanationJobStatus.FAILED)
        return job;
      const left = deadline - clock.now();
      if (left <= 0) return job;
      await new Promise<void>((resolve) => {
        const done = () => {
          clock.clear(timer);
          this.events.off(`settled:${id}`, done);
          resolve();
        };
        const timer = clock.setTimeout(done, Math.min(left, 1000));
        this.events.on(`settled:${id}`, done);
      });
    }
  }

  /** The uploaded image of a job: its bytes from the store, MIME type and size. */
  async image(id: string): Promise<{ stream: Readable; mimeType: string; bytes: number }> {
    const job = await this.get(id);
    if (job.imageSha256 === null || job.imageMime === null || job.imageBytes === null)
      throw apiError(
        ErrorCode.NOT_FOUND,
        `Explanation job ${id} is a ${job.kind} job: it has no image`,
        {
          entity: 'ExplanationJobImage',
          id,
        },
      );
    return {
      stream: await this.store.get(job.imageSha256),
      mimeType: job.imageMime,
      bytes: job.imageBytes,
    };
  }

  /**
   * The old worker claim (claimExplanationJob): the best QUEUED explanation of `projectIds`
   * (null: any project; an empty list: none) and of `kinds` (null: any kind) from the job queue,
   * held for the kind's timeout (no heartbeats), with a fresh claim token. Null when nothing is
   * queued. Queue workers claim with claimJob instead.
   */
  async claim(
    workerId: string,
    projectIds: readonly string[] | null = null,
    kinds: readonly ExplanationJobKind[] | null = null,
  ): Promise<ClaimedExplanationJobModel | null> {
    const worker = limits.name(workerId, 'workerId', LIMITS.workerId);
    if (projectIds && projectIds.length === 0) return null;
    if (kinds && kinds.length === 0) return null;
    const claimed = await this.queue.claimDirect(worker, projectIds, kinds);
    if (!claimed) return null;
    return { ...(await this.get(claimed.id)), claimToken: claimed.claimToken };
  }

  /**
   * Stores the result of a job RUNNING under `claimToken` (DONE). Idempotent: the same token
   * again on the DONE job returns it.
   * @throws NOT_FOUND, BAD_USER_INPUT (not a JSON object, too large or too deep), INVALID_STATE
   *   (RUNNING under another claim: `reason: CLAIM_TOKEN_MISMATCH`; or not RUNNING: queued
   *   again, done or failed)
   */
  async complete(id: string, claimToken: string, result: unknown): Promise<ExplanationJobModel> {
    limits.id(id, 'id');
    limits.id(claimToken, 'claimToken');
    const text = limits.json(result, 'result', LIMITS.explanationResult, true) ?? 'null';
    if (!(await this.jobs.complete(id, claimToken, text, this.now())))
      return this.refused(id, claimToken, ExplanationJobStatus.DONE, 'completed');
    await this.queue.reported(id, 'completed');
    this.events.emit(`settled:${id}`);
    return this.get(id);
  }

  /**
   * Marks a job RUNNING under `claimToken` FAILED with the worker's error (cut to 10,000
   * characters). Idempotent like {@link complete}.
   * @throws NOT_FOUND, BAD_USER_INPUT (NUL in the error), INVALID_STATE
   */
  async fail(id: string, claimToken: string, error: string): Promise<ExplanationJobModel> {
    limits.id(id, 'id');
    limits.id(claimToken, 'claimToken');
    // Cut rather than refused: a worker's failure must not be lost to the length of its message.
    const message =
      limits.text(error.slice(0, MAX_ERROR_CHARS), 'error', LIMITS.errorBytes)!.trim() ||
      'explanation failed';
    if (!(await this.jobs.fail(id, claimToken, message, this.now())))
      return this.refused(id, claimToken, ExplanationJobStatus.FAILED, 'failed');
    // A failure the worker reports is final (the same image fails the same way): no retry.
    await this.queue.reported(id, 'failed', message);
    this.events.emit(`settled:${id}`);
    return this.get(id);
  }

  /** Why a worker's complete/fail matched nothing, or the job when it is a retry of one that did. */
  private async refused(
    id: string,
    claimToken: string,
    settled: ExplanationJobStatus,
    verb: string,
  ): Promise<ExplanationJobModel> {
    const job = await this.get(id);
    const ours = await this.jobs.hasClaimToken(id, claimToken);
    if (job.status === settled && ours) return job;
    // INVALID_STATE rather than FORBIDDEN: a slow worker whose job was queued again and claimed
    // by another one lands here too, and workers treat FORBIDDEN as a refused key (they stop).
    if (job.status === ExplanationJobStatus.RUNNING)
      throw apiError(
        ErrorCode.INVALID_STATE,
        `Explanation job ${id} is RUNNING under another claim: claimToken does not match (a job is ${verb} only by the worker that claimed it, with the claimToken claimExplanationJob returned)`,
        { id, status: job.status, reason: 'CLAIM_TOKEN_MISMATCH' },
      );
    throw apiError(
      ErrorCode.INVALID_STATE,
      `Explanation job ${id} is ${job.status}; only a RUNNING job can be ${verb}, by the worker that claimed it` +
        (job.status === ExplanationJobStatus.QUEUED ? ' (it was queued again: claim it anew)' : ''),
      { id, status: job.status },
    );
  }

  /** Seconds a job of `kind` may run before it counts as lost. */
  timeoutOf(kind: ExplanationJobKind): number {
    const { jobTimeoutS, projectionTimeoutS } = this.options;
    // A projection (features, PCA, UMAP, t-SNE of up to 10,000 samples) takes minutes, not seconds.
    return kind === ExplanationJobKind.PROJECTION
      ? (projectionTimeoutS ?? Math.max(jobTimeoutS, PROJECTION_TIMEOUT_S))
      : jobTimeoutS;
  }

  /**
   * Puts unfinished explanations stored before they travelled on the job queue (no Job row) on
   * it; lost workers are the queue's lease reaper's business now. Run by the server's reaper.
   * @returns the ids queued (`requeued`); `failed` is always empty (kept for the reaper's log)
   */
  async recoverStale(): Promise<{ requeued: string[]; failed: string[] }> {
    return { requeued: await this.queue.adoptOrphans(), failed: [] };
  }
}
