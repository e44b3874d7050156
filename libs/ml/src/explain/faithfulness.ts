/**
 * How faithful a saliency map is to the model: deletion and insertion curves (Petsiuk et al.
 * 2018, RISE) and average drop / increase in confidence (Chattopadhay et al. 2018), so that
 * saliency methods can be ranked for one model.
 */
import * as tf from '@tensorflow/tfjs';
import { forwardWalk } from './graph';
import { checkImages, classIndices, classProbabilities, type ClassTarget } from './saliency';

/** Options of {@link faithfulness}. */
export interface FaithfulnessOptions {
  /** The model. */
  model: tf.LayersModel;
  /** Images `[batch, H, W, C]`. */
  images: tf.Tensor4D;
  /** Saliency per pixel `[batch, H, W]`, row-major (a method's `heatmap`), higher = more important. */
  saliency: ArrayLike<number>;
  /** Class whose probability is tracked (default: predicted on the clean image). */
  classIndex?: ClassTarget;
  /** Points of the curves after the start (default 20: 5% of the pixels per step). */
  steps?: number;
  /** Value of a removed pixel, and of the insertion start image (default 0). */
  baseline?: number;
  /** Images per forward pass (default 128). */
  batchSize?: number;
}

/** Curves and scores, per image and averaged. */
export interface FaithfulnessResult {
  /** Fraction of pixels removed (deletion) or inserted (insertion) at each point, `[steps + 1]`. */
  fractions: number[];
  /** Class probability along the deletion curve, `[batch, steps + 1]`. */
  deletion: Float32Array;
  /** Class probability along the insertion curve, `[batch, steps + 1]`. */
  insertion: Float32Array;
  /** Area under each deletion curve (trapezoid over fractions; lower = more faithful). */
  deletionAuc: number[];
  /** Area under each insertion curve (higher = more faithful). */
  insertionAuc: number[];
  /** max(0, p(x) - p(x * saliency)) / p(x) per image (lower = more faithful). */
  averageDrop: number[];
  /** Whether p(x * saliency) > p(x), per image. */
  increaseInConfidence: boolean[];
  /** Means over the batch; `score` = insertion AUC - deletion AUC (higher = more faithful). */
  mean: {
    deletionAuc: number;
    insertionAuc: number;
    averageDrop: number;
    increaseInConfidence: number;
    score: number;
  };
}

/** Trapezoid area under `y` sampled at `x`. */
function trapezoid(x: number[], y: ArrayLike<number>, off: number): number {
  let a = 0;
  for (let i = 1; i < x.length; i++)
    a += ((x[i]! - x[i - 1]!) * (y[off + i]! + y[off + i - 1]!)) / 2;
  return a;
}

/**
 * Pixel order by decreasing saliency (ties: lower index first), stable across runs.
 */
export function saliencyOrder(saliency: ArrayLike<number>, offset: number, n: number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => saliency[offset + b]! - saliency[offset + a]! || a - b);
  return order;
}

/** One image's perturbations and its geometry, for {@link perturbedBatch}. */
interface PerturbationInput {
  /** The image `[H, W, C]`. */
  img: ArrayLike<number>;
  /** Saliency of all images `[batch, H, W]`, and where this image's map starts. */
  saliency: ArrayLike<number>;
  offset: number;
  /** Pixels (H x W) and channels. */
  P: number;
  C: number;
  steps: number;
  baseline: number;
}

/**
 * Rows, each an image `[H, W, C]`: deletion points, insertion points, the clean image, the
 * saliency-masked image (`2 * (steps + 1) + 2` rows).
 */
function perturbedBatch(input: PerturbationInput): Float32Array {
  const { img, saliency, offset, P, C, steps, baseline } = input;
  const order = saliencyOrder(saliency, offset, P);
  const rank = new Int32Array(P);
  order.forEach((p, r) => (rank[p] = r));
  const rows = 2 * (steps + 1) + 2;
  const batch = new Float32Array(rows * P * C);
  for (let t = 0; t <= steps; t++) {
    const cut = Math.round((t * P) / steps);
    for (let p = 0; p < P; p++) {
      const salient = rank[p]! < cut;
      for (let c = 0; c < C; c++) {
        const v = img[p * C + c]!; // p < P, c < C: inside the image
        batch[(t * P + p) * C + c] = salient ? baseline : v;
        batch[((steps + 1 + t) * P + p) * C + c] = salient ? v : baseline;
      }
    }
  }
  const clean = 2 * (steps + 1);
  batch.set(img, clean * P * C);
  for (let p = 0; p < P; p++)
    for (let c = 0; c < C; c++)
      batch[((clean + 1) * P + p) * C + c] = img[p * C + c]! * saliency[offset + p]!;
  return batch;
}

/** Probability of class `cls` for each of `rows` images in `batch`, `batchSize` per forward pass. */
function batchedClassProbability(
  model: tf.LayersModel,
  batch: Float32Array,
  shape: { rows: number; H: number; W: number; C: number },
  cls: number,
  batchSize: number,
): Float32Array {
  const { rows, H, W, C } = shape;
  const P = H * W;
  const probs = new Float32Array(rows);
  for (let r0 = 0; r0 < rows; r0 += batchSize) {
    const n = Math.min(batchSize, rows - r0);
    const p = tf.tidy(() =>
      classProbabilities(
        model,
        tf.tensor4d(batch.subarray(r0 * P * C, (r0 + n) * P * C), [n, H, W, C]),
      ).slice([0, cls], [n, 1]),
    );
    probs.set(p.dataSync(), r0);
    p.dispose();
  }
  return probs;
}

/** Curves per image and the scores derived from them. */
function summarize(
  fractions: number[],
  curves: Pick<
    FaithfulnessResult,
    'deletion' | 'insertion' | 'averageDrop' | 'increaseInConfidence'
  >,
): FaithfulnessResult {
  const { deletion, insertion, averageDrop, increaseInConfidence } = curves;
  const steps = fractions.length - 1;
  const b = averageDrop.length;
  const deletionAuc = Array.from({ length: b }, (_, s) =>
    trapezoid(fractions, deletion, s * (steps + 1)),
  );
  const insertionAuc = Array.from({ length: b }, (_, s) =>
    trapezoid(fractions, insertion, s * (steps + 1)),
  );
  const avg = (xs: number[]) => xs.reduce((a, v) => a + v, 0) / Math.max(1, xs.length);
  return {
    fractions,
    deletion,
    insertion,
    deletionAuc,
    insertionAuc,
    averageDrop,
    increaseInConfidence,
    mean: {
      deletionAuc: avg(deletionAuc),
      insertionAuc: avg(insertionAuc),
      averageDrop: avg(averageDrop),
      increaseInConfidence: avg(increaseInConfidence.map(Number)),
      score: avg(insertionAuc) - avg(deletionAuc),
    },
  };
}

/**
 * Deletion and insertion curves and average drop of saliency maps. At point t of `steps`, the
 * `round(t * pixels / steps)` most salient pixels (all channels) are set to the baseline
 * (deletion) or are the only ones kept from the image, the rest at the baseline (insertion);
 * the class probability is recorded. Average drop masks the image with the saliency itself
 * (expected in [0, 1], as a `heatmap` is).
 */
export function faithfulness(options: FaithfulnessOptions): FaithfulnessResult {
  const { model, images } = options;
  checkImages(model, images);
  const [b, H, W, C] = images.shape;
  const P = H * W;
  if (options.saliency.length !== b * P)
    throw new Error(`saliency has ${options.saliency.length} values, expected ${b} x ${H} x ${W}`);
  const steps = options.steps ?? 20;
  const baseline = options.baseline ?? 0;
  const batchSize = options.batchSize ?? 128;
  const fractions = Array.from({ length: steps + 1 }, (_, t) => t / steps);
  const classes = tf.tidy(() =>
    classIndices(options.classIndex, forwardWalk({ model, input: images }) as tf.Tensor2D),
  );
  const cls = classes.dataSync();
  classes.dispose();
  const deletion = new Float32Array(b * (steps + 1));
  const insertion = new Float32Array(b * (steps + 1));
  const averageDrop: number[] = [];
  const increaseInConfidence: boolean[] = [];
  const pixels = images.dataSync();
  const rows = 2 * (steps + 1) + 2;
  const clean = 2 * (steps + 1);
  for (let s = 0; s < b; s++) {
    const img = pixels.subarray(s * P * C, (s + 1) * P * C);
    const batch = perturbedBatch({
      img,
      saliency: options.saliency,
      offset: s * P,
      P,
      C,
      steps,
      baseline,
    });
    const probs = batchedClassProbability(model, batch, { rows, H, W, C }, cls[s]!, batchSize);
    deletion.set(probs.subarray(0, steps + 1), s * (steps + 1));
    insertion.set(probs.subarray(steps + 1, clean), s * (steps + 1));
    const y = probs[clean]!;
    const o = probs[clean + 1]!;
    averageDrop.push(y > 0 ? Math.max(0, y - o) / y : 0);
    increaseInConfidence.push(o > y);
  }
  return summarize(fractions, { deletion, insertion, averageDrop, increaseInConfidence });
}

/**
 * Ranks saliency methods by faithfulness on the same images: by `mean.score` (insertion AUC
 * minus deletion AUC), then by lower average drop.
 * @param results method name -> {@link faithfulness} result
 * @returns method names, most faithful first, with their mean scores
 */
export function rankByFaithfulness(results: Record<string, FaithfulnessResult>): {
  method: string;
  score: number;
  deletionAuc: number;
  insertionAuc: number;
  averageDrop: number;
}[] {
  return Object.entries(results)
    .map(([method, r]) => ({
      method,
      score: r.mean.score,
      deletionAuc: r.mean.deletionAuc,
      insertionAuc: r.mean.insertionAuc,
      averageDrop: r.mean.averageDrop,
    }))
    .sort((a, b) => b.score - a.score || a.averageDrop - b.averageDrop);
}
