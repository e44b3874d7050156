/**
 * The methods of an on-demand explanation (`result.methods`): any class-activation map at a
 * layer and the input attributions, each with its deletion/insertion faithfulness, within a
 * time budget and a bound on Score-CAM's cost. Disposes everything it creates.
 */
import type * as tf from '@tensorflow/tfjs';
import { classActivationMap, type CamMethod } from '../explain/cam';
import { faithfulness } from '../explain/faithfulness';
import { defaultCamLayer, resolveLayer } from '../explain/graph';
import { integratedGradients, smoothGrad, vanillaGradients } from '../explain/input-attribution';
import type { SaliencyResult } from '../explain/saliency';
import { first } from '../util/checked';

/** The CAM methods (computed at a layer). */
export const CAM_METHODS = [
  'gradcam',
  'gradcampp',
  'layercam',
  'scorecam',
  'eigencam',
] as const satisfies readonly CamMethod[];

/** The input-attribution methods (pixels; no layer). */
export const INPUT_METHODS = ['saliency', 'smoothgrad', 'integrated-gradients'] as const;

/** Any method a job may ask for. */
export type ExplainMethodName = (typeof CAM_METHODS)[number] | (typeof INPUT_METHODS)[number];

/** Every method name, CAMs first. */
export const EXPLAIN_METHODS: readonly ExplainMethodName[] = [...CAM_METHODS, ...INPUT_METHODS];

/** Bounds of the work of one job. */
export interface MethodBounds {
  /** Methods computed per job at most (more: refused). Default 4, as the API allows. */
  maxMethods: number;
  /** Score-CAM runs one forward pass per channel: skipped above this many (default 2048). */
  scoreCamMaxPasses: number;
  /** Methods not started once this much time went by, ms (default 60,000). */
  budgetMs: number;
  /** Noisy copies of SmoothGrad (default 16, as the explanation pack). */
  smoothGradSamples: number;
  /** Path intervals of integrated gradients (default 32). */
  integratedGradientsSteps: number;
  /** Points of the deletion/insertion curves (default 20). */
  faithfulnessSteps: number;
}

/** Defaults of {@link MethodBounds}. */
export const DEFAULT_METHOD_BOUNDS: MethodBounds = {
  maxMethods: 4,
  scoreCamMaxPasses: 2048,
  budgetMs: 60_000,
  smoothGradSamples: 16,
  integratedGradientsSteps: 32,
  faithfulnessSteps: 20,
};

/** One method's map of the image (an entry of `result.methods`). */
export interface MethodExplanation {
  method: ExplainMethodName;
  classIndex: number;
  className: string;
  /** The CAM layer; null for input attributions. */
  layer: string | null;
  /** `[H, W]`: the model input's resolution. */
  heatmapShape: [number, number];
  /** Rows of values in [0, 1] (min-max normalised), 5 decimals. */
  heatmap: number[][];
  /** Deletion AUC (lower: more faithful) and insertion AUC (higher: more faithful), in [0, 1]. */
  faithfulness: { deletionAuc: number; insertionAuc: number };
}

/** A method asked for but not computed, and why. */
export interface SkippedMethod {
  method: ExplainMethodName;
  reason: string;
}

const round = (v: number, digits: number) => Number(v.toFixed(digits));

/** Nested rows `[h][w]` of a flat array, rounded. */
function roundedRows(data: ArrayLike<number>, h: number, w: number, digits: number): number[][] {
  return Array.from({ length: h }, (_, i) =>
    Array.from({ length: w }, (_, j) => round(data[i * w + j] as number, digits)),
  );
}

/** True for a CAM method. */
export function isCamMethod(m: string): m is CamMethod {
  return (CAM_METHODS as readonly string[]).includes(m);
}

/** One method's saliency of one image (`[1, H, W, C]`). */
export function methodSaliency(options: {
  model: tf.LayersModel;
  image: tf.Tensor4D;
  method: ExplainMethodName;
  layer: string | undefined;
  classIndex: number | undefined;
  bounds: MethodBounds;
}): SaliencyResult {
  const { model, image: images, method, layer, classIndex, bounds } = options;
  if (isCamMethod(method)) return classActivationMap({ model, images, layer, method, classIndex });
  if (method === 'saliency') return vanillaGradients({ model, images, classIndex });
  if (method === 'smoothgrad')
    return smoothGrad({ model, images, classIndex, samples: bounds.smoothGradSamples, seed: 0 });
  return integratedGradients({
    model,
    images,
    classIndex,
    steps: bounds.integratedGradientsSteps,
  });
}

/** Why Score-CAM is too costly at `layer`, or null when it is within the bound. */
function scoreCamTooCostly(
  model: tf.LayersModel,
  layer: string | undefined,
  bounds: MethodBounds,
): string | null {
  const info = layer === undefined ? defaultCamLayer(model) : resolveLayer(model, layer);
  const channels = info.outputShape[3] ?? 0;
  return channels > bounds.scoreCamMaxPasses
    ? `Score-CAM at ${info.path} takes ${channels} forward passes, over the bound of ${bounds.scoreCamMaxPasses}`
    : null;
}

/**
 * Computes each method's heatmap of `image` for one class (given, else each method's predicted
 * class: the same for all) and its faithfulness. Methods past the time budget, and a Score-CAM
 * over its cost bound, are skipped with the reason.
 * @param onResult called with each method's raw result before it is shaped (the CAM of
 *   `result.cam` reuses it)
 * @throws when more than `bounds.maxMethods` methods are asked for
 */
export function explainMethods(options: {
  model: tf.LayersModel;
  image: tf.Tensor4D;
  methods: readonly ExplainMethodName[];
  layer: string | null;
  classIndex: number | null;
  classNames: readonly string[];
  bounds?: Partial<MethodBounds>;
  /** Milliseconds since some origin (tests pass a fake). */
  now?: () => number;
  onResult?: (method: ExplainMethodName, result: SaliencyResult) => void;
}): { methods: MethodExplanation[]; skipped: SkippedMethod[] } {
  const bounds = { ...DEFAULT_METHOD_BOUNDS, ...options.bounds };
  const now = options.now ?? (() => performance.now());
  const { model, image, classNames } = options;
  if (options.methods.length > bounds.maxMethods)
    throw new Error(
      `${options.methods.length} methods asked for; a job computes at most ${bounds.maxMethods}`,
    );
  const layer = options.layer ?? undefined;
  const classIndex = options.classIndex ?? undefined;
  const started = now();
  const methods: MethodExplanation[] = [];
  const skipped: SkippedMethod[] = [];
  for (const method of options.methods) {
    if (now() - started > bounds.budgetMs) {
      skipped.push({ method, reason: `not started: the job's ${bounds.budgetMs} ms were spent` });
      continue;
    }
    const tooCostly = method === 'scorecam' ? scoreCamTooCostly(model, layer, bounds) : null;
    if (tooCostly) {
      skipped.push({ method, reason: tooCostly });
      continue;
    }
    const r = methodSaliency({ model, image, method, layer, classIndex, bounds });
    options.onResult?.(method, r);
    const f = faithfulness({
      model,
      images: image,
      saliency: r.heatmap,
      classIndex: first(r.classIndex, 'the explained class'),
      steps: bounds.faithfulnessSteps,
    });
    const [, H, W] = r.heatmapShape;
    const cls = first(r.classIndex, 'the explained class');
    methods.push({
      method,
      classIndex: cls,
      className: classNames[cls] ?? String(cls),
      layer: isCamMethod(method) ? r.layer : null,
      heatmapShape: [H, W],
      heatmap: roundedRows(r.heatmap, H, W, 5),
      faithfulness: {
        deletionAuc: round(first(f.deletionAuc, 'a deletion AUC'), 6),
        insertionAuc: round(first(f.insertionAuc, 'an insertion AUC'), 6),
      },
    });
  }
  return { methods, skipped };
}
