/**
 * The projector's files for a model and a split: penultimate features, PCA, UMAP on the top PCA
 * components, t-SNE on a seeded stratified subset; bounded in time (a method not started, or
 * still running, when the budget is spent is listed as skipped) and in bytes.
 */
import type * as tf from '@tensorflow/tfjs';
import { predictSplit } from '../../evaluation/predict-split';
import type { PackFile } from '../pack/types';
import {
  PROJECTOR_ARTIFACT,
  PROJECTOR_METHODS,
  predictionsFrom,
  quantizeLayout,
  toBase64,
  type ProjectorIndex,
  type ProjectorLayout,
  type ProjectorMethod,
} from './artifact';
import { extractFeatures } from './features';
import { pca } from './pca';
import { stratifiedSubset, tsne } from './tsne';
import { umap } from './umap';

/** Options of the projector (all optional). */
export interface ProjectorComputeOptions {
  /** Methods to compute (default all three). */
  methods?: readonly ProjectorMethod[];
  /** Time budget in seconds (default 60). */
  maxSeconds?: number;
  /** Byte budget of the artifact (default 2 MiB). */
  maxBytes?: number;
  /** Samples projected at most; a larger split gets a seeded stratified subset (default 10,000). */
  maxPoints?: number;
  /** PCA components fed to UMAP and t-SNE (default 50). */
  pcaComponents?: number;
  /** Points of the t-SNE (exact, O(n²)): a seeded stratified subset (default 2,000). */
  tsnePoints?: number;
  /** t-SNE steps (default 400). */
  tsneIterations?: number;
  /** t-SNE perplexity (default 30). */
  perplexity?: number;
  /** UMAP neighbours (default 15). */
  umapNeighbors?: number;
  /** UMAP minimum distance (default 0.1). */
  umapMinDist?: number;
  /** UMAP epochs (default 200). */
  umapEpochs?: number;
  /** Multiplier of the pixel bytes, as the model was trained (default 1/255). */
  scale?: number;
}

/** The defaults of {@link ProjectorComputeOptions}. */
export const DEFAULT_PROJECTOR_OPTIONS = {
  methods: PROJECTOR_METHODS,
  maxSeconds: 60,
  maxBytes: 2 * 1024 * 1024,
  maxPoints: 10_000,
  pcaComponents: 50,
  tsnePoints: 2_000,
  tsneIterations: 400,
  perplexity: 30,
  umapNeighbors: 15,
  umapMinDist: 0.1,
  umapEpochs: 200,
} as const;

/** What {@link computeProjectorFiles} projects. */
export interface ProjectorInput {
  model: tf.LayersModel;
  /** Pixel bytes `[count, H, W, C]`. */
  images: Uint8Array;
  labels: ArrayLike<number>;
  count: number;
  shape: [number, number, number];
  classNames: readonly string[];
  /** Row-major `[count, columns]` probabilities (default: predicted here). */
  probabilities?: Float32Array;
  seed: number;
  options?: ProjectorComputeOptions;
}

/** The artifact files and the index they hold. */
export interface ProjectorFiles {
  files: PackFile[];
  index: ProjectorIndex;
}

class OverBudget extends Error {}

const round3 = (v: number): number => Number(v.toFixed(3));

type Resolved = Required<Omit<ProjectorComputeOptions, 'scale'>> & { scale?: number };

/** What the methods share: the PCA scores, the clock and what was left out. */
interface MethodContext {
  o: Resolved;
  seed: number;
  n: number;
  /** PCA scores `[n, k]`. */
  scores: Float32Array;
  k: number;
  labels: Uint8Array;
  /** Sample indices of the rows when the projector is a subset of the split. */
  chosen: Int32Array | null;
  elapsed(): number;
  timings: Record<string, number>;
  skipped: { what: string; reason: string }[];
}

/**
 * Computes the projector of a split: its files (today one, {@link PROJECTOR_ARTIFACT}) ready to
 * upload, and the index they hold. Every method that finishes is reproducible from the seed.
 * @throws when the artifact does not fit its byte budget, or the model has no penultimate layer
 */
export async function computeProjectorFiles(input: ProjectorInput): Promise<ProjectorFiles> {
  const o: Resolved = { ...DEFAULT_PROJECTOR_OPTIONS, ...input.options };
  const t0 = performance.now();
  const timings: Record<string, number> = {};
  const { count, shape } = input;
  if (count < 1) throw new Error('the projector needs at least one sample');
  const pixels = shape[0] * shape[1] * shape[2];
  const labels = Uint8Array.from({ length: count }, (_, i) => labelAt(input.labels, i));
  const chosen =
    count > o.maxPoints ? stratifiedSubset(labels, { max: o.maxPoints, seed: input.seed }) : null;
  const split = selectRows(input, labels, chosen, pixels);
  const n = split.count;

  let t = performance.now();
  const features = extractFeatures({ model: input.model, split, shape, scale: o.scale });
  timings.features = round3((performance.now() - t) / 1000);
  const probabilities =
    input.probabilities && !chosen
      ? input.probabilities
      : predictSplit(input.model, split, { shape, numClasses: input.classNames.length });
  const preds = predictionsFrom(probabilities, n);
  t = performance.now();
  const reduced = pca(
    features.values,
    { n, d: features.dim },
    { k: o.pcaComponents, seed: input.seed },
  );
  timings.pca = round3((performance.now() - t) / 1000);

  const ctx: MethodContext = {
    o,
    seed: input.seed,
    n,
    scores: reduced.scores,
    k: reduced.k,
    labels: split.labels,
    chosen,
    elapsed: () => (performance.now() - t0) / 1000,
    timings,
    skipped: [],
  };
  const layouts: ProjectorLayout[] = [];
  if (o.methods.includes('pca')) layouts.push(pcaLayout(ctx));
  for (const [method, run] of [
    ['umap', umapLayout],
    ['tsne', tsneLayout],
  ] as const) {
    const l = await attempt(ctx, method, run);
    if (l) layouts.push(l);
  }
  timings.total = round3(ctx.elapsed());
  const index: ProjectorIndex = {
    version: 1,
    createdAt: new Date().toISOString(),
    count: n,
    classNames: [...input.classNames],
    imageShape: shape,
    featureLayer: features.layer.path,
    featureDim: features.dim,
    labels: toBase64(Uint16Array.from(split.labels)),
    predicted: toBase64(preds.predicted),
    confidence: toBase64(preds.confidence),
    layouts,
    timings,
    skipped: ctx.skipped,
    options: { ...o, methods: [...o.methods], seed: input.seed },
  };
  return { files: [projectorFile(index, o.maxBytes)], index };
}

// The artifact file of an index, checked against the byte budget.
function projectorFile(index: ProjectorIndex, maxBytes: number): PackFile {
  const data = new TextEncoder().encode(JSON.stringify(index));
  if (data.length > maxBytes)
    throw new Error(
      `the projector artifact has ${data.length} bytes, over its budget of ${maxBytes}`,
    );
  return {
    name: PROJECTOR_ARTIFACT,
    kind: 'projector',
    mimeType: 'application/json',
    bytes: data.length,
    data,
    metadata: {
      kind: 'projector',
      count: index.count,
      methods: index.layouts.map((l) => l.method),
      tsnePoints: index.layouts.find((l) => l.method === 'tsne')?.points ?? 0,
      seconds: index.timings.total,
    },
  };
}

// Runs one method within the time budget; a method not started or stopped by it is listed as skipped.
async function attempt(
  ctx: MethodContext,
  method: ProjectorMethod,
  run: (ctx: MethodContext, deadline: () => Promise<void>) => Promise<ProjectorLayout>,
): Promise<ProjectorLayout | null> {
  const { o } = ctx;
  if (!o.methods.includes(method)) return null;
  if (ctx.elapsed() > o.maxSeconds) {
    ctx.skipped.push({
      what: method,
      reason: `time budget of ${o.maxSeconds} s spent before it started`,
    });
    return null;
  }
  // Awaited every few steps: lets timers and uploads run, and stops a method past the budget.
  const deadline = async (): Promise<void> => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (ctx.elapsed() > o.maxSeconds) throw new OverBudget();
  };
  const start = performance.now();
  try {
    return await run(ctx, deadline);
  } catch (err) {
    ctx.skipped.push({
      what: method,
      reason:
        err instanceof OverBudget
          ? `time budget of ${o.maxSeconds} s spent while it ran`
          : err instanceof Error
            ? err.message
            : String(err),
    });
    return null;
  } finally {
    ctx.timings[method] = round3((performance.now() - start) / 1000);
  }
}

// Sample indices of rows (base64 uint32), only when the rows are a subset of the split.
function rowIndices(ctx: MethodContext, rows: Int32Array | null): string | undefined {
  if (!rows && !ctx.chosen) return undefined;
  const all = rows ?? Int32Array.from({ length: ctx.n }, (_, i) => i);
  return toBase64(Uint32Array.from(all, (r) => (ctx.chosen ? ctx.chosen[r]! : r)));
}

function pcaLayout(ctx: MethodContext): ProjectorLayout {
  const { n, k, scores } = ctx;
  const xy = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    xy[2 * i] = scores[i * k]!;
    xy[2 * i + 1] = k > 1 ? scores[i * k + 1]! : 0;
  }
  return layout('pca', xy, rowIndices(ctx, null), ctx.timings.pca ?? 0, { components: k });
}

async function umapLayout(
  ctx: MethodContext,
  deadline: () => Promise<void>,
): Promise<ProjectorLayout> {
  const s = performance.now();
  const { o } = ctx;
  const params = {
    seed: ctx.seed,
    nNeighbors: o.umapNeighbors,
    minDist: o.umapMinDist,
    nEpochs: o.umapEpochs,
  };
  const xy = await umap(ctx.scores, { n: ctx.n, d: ctx.k }, { ...params, onProgress: deadline });
  return layout('umap', xy, rowIndices(ctx, null), (performance.now() - s) / 1000, {
    ...params,
    components: ctx.k,
  });
}

async function tsneLayout(
  ctx: MethodContext,
  deadline: () => Promise<void>,
): Promise<ProjectorLayout> {
  const s = performance.now();
  const { o, k } = ctx;
  const sub = stratifiedSubset(ctx.labels, { max: o.tsnePoints, seed: ctx.seed });
  const rows = new Float32Array(sub.length * k);
  sub.forEach((r, i) => rows.set(ctx.scores.subarray(r * k, (r + 1) * k), i * k));
  const params = { seed: ctx.seed, perplexity: o.perplexity, iterations: o.tsneIterations };
  const xy = await tsne(rows, { n: sub.length, d: k }, { ...params, onProgress: deadline });
  const subset = sub.length < ctx.n ? sub : null;
  return layout('tsne', xy, rowIndices(ctx, subset), (performance.now() - s) / 1000, {
    ...params,
    components: k,
  });
}

function labelAt(labels: ArrayLike<number>, i: number): number {
  return labels[i] ?? 0;
}

// The split to project: every sample, or the chosen subset's rows.
function selectRows(
  input: ProjectorInput,
  labels: Uint8Array,
  chosen: Int32Array | null,
  pixels: number,
): { images: Uint8Array; labels: Uint8Array; count: number } {
  if (!chosen)
    return { images: input.images.subarray(0, input.count * pixels), labels, count: input.count };
  const images = new Uint8Array(chosen.length * pixels);
  chosen.forEach((src, i) =>
    images.set(input.images.subarray(src * pixels, (src + 1) * pixels), i * pixels),
  );
  return {
    images,
    labels: Uint8Array.from(chosen, (src) => labels[src]!),
    count: chosen.length,
  };
}

function layout(
  method: ProjectorMethod,
  xy: Float32Array,
  indices: string | undefined,
  seconds: number,
  params: Record<string, number>,
): ProjectorLayout {
  const q = quantizeLayout(xy);
  return {
    method,
    points: xy.length / 2,
    ...(indices ? { indices } : {}),
    coords: toBase64(q.coords),
    bounds: q.bounds,
    seconds: round3(seconds),
    params,
  };
}
