/**
 * The explain worker: claims on-demand explanation jobs from the API over GraphQL
 * (`claimExplanationJob`), downloads the run's stored model (`model.json` + weights, loaded with
 * tf.loadLayersModel from the artifact URL) and the uploaded image over HTTP, computes the top-k
 * prediction, a class activation map and one layer's activations, and posts the result
 * (`completeExplanationJob`) or the error (`failExplanationJob`). Loaded models are kept per run
 * (a few, least recently used first out). Every tensor a job creates is disposed.
 */
import { hostname } from 'node:os';
import { z } from 'zod';
import { first } from '../util/checked';
import * as tf from '@tensorflow/tfjs';
import { decodeImageBytes } from '../data/image-folder';
import { channelStatistics, layerActivations } from '../explain/activations';
import { classActivationMap, type CamMethod } from '../explain/cam';
import { outputActivation } from '../explain/graph';
import { channelGrid, encodeImage } from '../explain/render';
import { ApiError, createGraphqlClient, type GraphqlClient } from '../tracking/graphql-client';
import { loadModelFromApi } from '../tracking/api-model';
import { recordedDatasetInfo } from '../tracking/dataset-info';
import { graphql } from '../tracking/gql';
import type { ClaimJobMutation } from '../tracking/gql/graphql';

/** Parameters of a job, as the API stores them (null: the default). */
export interface ExplainJobParams {
  method: CamMethod;
  classIndex: number | null;
  layer: string | null;
  topK: number;
  activationsLayer: string | null;
}

/** One class of the top-k prediction. */
export interface PredictedClass {
  classIndex: number;
  className: string;
  probability: number;
}

/** What a worker posts for a job (the `result` of the ExplanationJob). */
export interface ExplanationResult {
  /** Top-k classes by softmax probability, most probable first. */
  predictions: PredictedClass[];
  cam: {
    method: CamMethod;
    layer: string;
    classIndex: number;
    className: string;
    /** The explained class's logit. */
    score: number;
    /** `[h, w]` of `map` (the layer's resolution). */
    mapShape: [number, number];
    /** The raw map after ReLU, rows. */
    map: number[][];
    /** `[H, W]` of `heatmap` (the model input's resolution). */
    heatmapShape: [number, number];
    /** `map` min-max normalised to [0, 1] and resized to the input, rows. */
    heatmap: number[][];
  };
  activations: {
    layer: string;
    /** Shape without the batch axis, e.g. `[h, w, channels]` or `[units]`. */
    shape: number[];
    statistics: { mean: number[]; std: number[]; max: number[]; zeroFraction: number[] };
    /** Channel grid of a 4-D layer (null for other layers): PNG as base64. */
    grid: {
      pngBase64: string;
      width: number;
      height: number;
      columns: number;
      rows: number;
      scale: number;
      caption: string;
    } | null;
  };
  /** The model input `[H, W, C]` the image was decoded to. */
  inputShape: [number, number, number];
  backend: string;
  durationMs: number;
}

/** Nested rows `[h][w]` of a flat array. */
function rows(data: ArrayLike<number>, h: number, w: number): number[][] {
  return Array.from({ length: h }, (_, i) =>
    Array.from({ length: w }, (_, j) => data[i * w + j] as number),
  );
}

/** The model's input `[H, W, C]`; throws for inputs that are not fixed-size images. */
export function modelImageShape(model: tf.LayersModel): [number, number, number] {
  const shape = first(model.inputs, 'a model input').shape;
  const [, h, w, c] = shape;
  if (shape.length !== 4 || !h || !w || !c)
    throw new Error(`the model input [${shape.join(', ')}] is not a fixed-size image batch`);
  if (c !== 1 && c !== 3) throw new Error(`the model input has ${c} channels; only 1 or 3 work`);
  return [h, w, c];
}

/**
 * Decodes an uploaded image to the model's input `[1, H, W, C]` scaled to [0, 1] (what
 * `loadImageForModel` gives for the same image as a file). The caller owns the tensor.
 */
export async function imageTensorForModel(
  model: tf.LayersModel,
  bytes: Uint8Array,
): Promise<tf.Tensor4D> {
  const [h, w, c] = modelImageShape(model);
  const pixels = await decodeImageBytes(bytes, { shape: [h, w, c] });
  return tf.tidy(() => tf.mul<tf.Tensor4D>(tf.tensor4d(pixels, [1, h, w, c], 'float32'), 1 / 255));
}

/** Class probabilities of one image: the output itself after softmax, else its softmax. */
function probabilities(model: tf.LayersModel, image: tf.Tensor4D): Float32Array {
  const activation = outputActivation(model);
  return tf.tidy(() => {
    let out = model.predict(image) as tf.Tensor2D;
    if (out.shape[1] === 1) {
      // A binary model with one output unit: [1 - p, p].
      const p = activation === 'sigmoid' ? out : tf.sigmoid(out);
      out = tf.concat<tf.Tensor2D>([tf.sub(1, p), p], 1);
    } else if (activation !== 'softmax') {
      out = tf.softmax(out);
    }
    return Float32Array.from(out.dataSync());
  });
}

/** The channels of a `[h, w, c]` activation as one PNG grid (viridis), upscaled when small. */
async function activationGrid(
  act: { data: Float32Array; layer: string },
  shape: [number, number, number],
): Promise<NonNullable<ExplanationResult['activations']['grid']>> {
  const g = channelGrid({
    activations: act.data,
    shape,
    colormap: 'viridis',
    layerName: act.layer,
  });
  // Small feature maps are upscaled so a 7x7 tile is still visible on a page.
  const scale = Math.max(1, Math.min(8, Math.floor(256 / Math.max(g.width, g.height))));
  const png = await encodeImage({
    pixels: g.pixels,
    width: g.width,
    height: g.height,
    channels: g.channels,
    scale,
  });
  return {
    pngBase64: png.toString('base64'),
    width: g.width * scale,
    height: g.height * scale,
    columns: g.columns,
    rows: g.rows,
    scale,
    caption: g.caption,
  };
}

/**
 * Computes one explanation of `image` by `model`: top-k, class activation map, activations of
 * one layer (default: the CAM layer) with a channel grid. Disposes everything it creates.
 * @param classNames display names by class index (indices are used where missing)
 */
export async function computeExplanation(
  model: tf.LayersModel,
  image: tf.Tensor4D,
  params: ExplainJobParams,
  classNames: readonly string[] = [],
): Promise<Omit<ExplanationResult, 'durationMs'>> {
  const name = (k: number) => classNames[k] ?? String(k);
  const probs = probabilities(model, image);
  const numClasses = probs.length;
  if (params.classIndex !== null && (params.classIndex < 0 || params.classIndex >= numClasses))
    throw new Error(
      `classIndex ${params.classIndex} is out of range: the model has ${numClasses} classes`,
    );
  // Indices from probs.keys(): every probs[k] below exists.
  const order = Array.from(probs.keys()).sort((a, b) => probs[b]! - probs[a]! || a - b);
  const predictions = order.slice(0, Math.max(1, Math.min(params.topK, numClasses))).map((k) => ({
    classIndex: k,
    className: name(k),
    probability: probs[k]!,
  }));

  const cam = classActivationMap({
    model,
    images: image,
    layer: params.layer ?? undefined,
    method: params.method,
    classIndex: params.classIndex ?? undefined,
  });
  const [, h, w] = cam.mapShape;
  const [, H, W] = cam.heatmapShape;
  const camLayer = cam.layer!;
  const camClass = first(cam.classIndex, 'the CAM class');

  const actLayer = params.activationsLayer ?? camLayer;
  const act = first(
    layerActivations({ model, images: image, layers: [actLayer] }),
    `activations of layer ${actLayer}`,
  );
  const stats = channelStatistics(act);
  const shape = act.shape.slice(1);
  const grid =
    shape.length === 3 ? await activationGrid(act, shape as [number, number, number]) : null;
  const [, iH, iW, iC] = image.shape;
  return {
    predictions,
    cam: {
      method: params.method,
      layer: camLayer,
      classIndex: camClass,
      className: name(camClass),
      score: first(cam.score, 'a CAM score'),
      mapShape: [h, w],
      map: rows(cam.map, h, w),
      heatmapShape: [H, W],
      heatmap: rows(cam.heatmap, H, W),
    },
    activations: {
      layer: act.layer,
      shape,
      statistics: {
        mean: Array.from(stats.mean),
        std: Array.from(stats.std),
        max: Array.from(stats.max),
        zeroFraction: Array.from(stats.zeroFraction),
      },
      grid,
    },
    inputShape: [iH, iW, iC],
    backend: tf.getBackend(),
  };
}

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
}

interface LoadedModel {
  key: string;
  model: tf.LayersModel;
  classNames: string[];
}

/** A claimed job, as the worker reads it (`params` checked by {@link jobParams}). */
type ClaimedJob = NonNullable<ClaimJobMutation['claimExplanationJob']>;

const CAM_METHODS = [
  'gradcam',
  'gradcampp',
  'layercam',
  'scorecam',
  'eigencam',
] as const satisfies readonly CamMethod[];

/** The job's parameters as the API stored them (JSON): checked before any work. */
const jobParamsSchema = z.object({
  method: z.enum(CAM_METHODS),
  classIndex: z.number().int().nullable(),
  layer: z.string().nullable(),
  topK: z.number().int().positive(),
  activationsLayer: z.string().nullable(),
}) satisfies z.ZodType<ExplainJobParams>;

/** The parameters of a claimed job; a shape the worker does not know fails the job, saying why. */
function jobParams(job: ClaimedJob): ExplainJobParams {
  const parsed = jobParamsSchema.safeParse(job.params);
  if (!parsed.success)
    throw new Error(
      `job ${job.id} has parameters this worker does not understand: ${parsed.error.message}`,
    );
  return parsed.data;
}

const CLAIM = graphql(`
  mutation ClaimJob($w: String!) {
    claimExplanationJob(workerId: $w) {
      id
      runId
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

  constructor(private readonly options: ExplainWorkerOptions) {
    this.workerId = options.workerId ?? `${hostname()}-${process.pid}`;
    this.client =
      options.client ?? createGraphqlClient({ apiUrl: options.apiUrl, apiKey: options.apiKey });
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
    const { claimExplanationJob: job } = await this.client.request(CLAIM, { w: this.workerId });
    if (!job) return { outcome: 'idle' };
    const started = Date.now();
    try {
      const result = await this.process(job);
      await this.client.request(COMPLETE, {
        id: job.id,
        t: job.claimToken,
        r: { ...result, durationMs: Date.now() - started },
      });
      this.options.log?.(
        `[explain-worker] job ${job.id} (run ${job.runId}, ${result.cam.method}) done in ${Date.now() - started} ms`,
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

  private async process(job: ClaimedJob): Promise<Omit<ExplanationResult, 'durationMs'>> {
    const params = jobParams(job);
    const loaded = await this.model(job.runId);
    const res = await this.client.http(`/explain-jobs/${encodeURIComponent(job.id)}/image`, {
      method: 'GET',
    });
    if (!res.ok) throw new Error(`downloading the image of job ${job.id}: HTTP ${res.status}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const image = await imageTensorForModel(loaded.model, bytes);
    try {
      return await computeExplanation(loaded.model, image, params, loaded.classNames);
    } finally {
      image.dispose();
    }
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
