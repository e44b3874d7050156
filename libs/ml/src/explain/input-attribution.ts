/**
 * Input-space saliency: vanilla gradients, SmoothGrad, integrated gradients and occlusion
 * sensitivity. Each returns the signed `attribution` `[batch, H, W, C]`, a `map` `[batch, H, W]`
 * (max over channels of |attribution| for the gradient methods, the ReLU of the probability drop
 * for occlusion) and its normalised `heatmap`.
 */
import * as tf from '@tensorflow/tfjs';
import { first } from '../util/checked';
import { createRng } from '../util/rng';
import { forwardWalk } from './graph';
import {
  checkImages,
  classIndices,
  classProbabilities,
  makeResult,
  oneHotFloat,
  perSampleScore,
  type ClassTarget,
  type SaliencyMethod,
  type SaliencyResult,
} from './saliency';

/** Options shared by the input-space methods. */
export interface InputAttributionOptions {
  /** The model (nested models allowed). */
  model: tf.LayersModel;
  /** Input batch `[batch, H, W, C]`. */
  images: tf.Tensor4D;
  /** Class to explain: one for all, one per sample, or the predicted class (default). */
  classIndex?: ClassTarget;
  /** Images per gradient or forward computation for the methods that expand the batch (default 64). */
  batchSize?: number;
}

/** Classes `[batch]` and logits `[batch]` for the images, from one forward pass. Caller owns them. */
function targets(
  model: tf.LayersModel,
  images: tf.Tensor4D,
  target: ClassTarget,
): { classes: tf.Tensor1D; scores: tf.Tensor1D } {
  return tf.tidy(() => {
    const logits = forwardWalk({ model, input: images, logits: true }) as tf.Tensor2D;
    const classes = classIndices(target, logits);
    return { classes, scores: perSampleScore(logits, classes) };
  });
}

/**
 * Gradient of each sample's class logit w.r.t. its input, `[batch, H, W, C]`, in one backward
 * pass (the sum of per-sample logits; samples do not interact). The caller owns the result.
 */
export function logitInputGradients(options: {
  /** the model */
  model: tf.LayersModel;
  /** `[batch, H, W, C]` */
  images: tf.Tensor4D;
  /** class per sample, int32 `[batch]` */
  classes: tf.Tensor1D;
}): tf.Tensor4D {
  const { model, images, classes } = options;
  return tf.grad((x: tf.Tensor) =>
    tf.sum(perSampleScore(forwardWalk({ model, input: x, logits: true }) as tf.Tensor2D, classes)),
  )(images) as tf.Tensor4D;
}

// Gradients of many images (rows of `inputs`), in chunks; `classOf(row)` gives each row's class.
function chunkedGradients(
  model: tf.LayersModel,
  inputs: tf.Tensor4D,
  classOf: Int32Array,
  batchSize: number,
): tf.Tensor4D {
  const n = inputs.shape[0];
  const parts: tf.Tensor4D[] = [];
  for (let s = 0; s < n; s += batchSize) {
    const e = Math.min(n, s + batchSize);
    parts.push(
      tf.tidy(() =>
        logitInputGradients({
          model,
          images: inputs.slice([s, 0, 0, 0], [e - s, -1, -1, -1]),
          classes: tf.tensor1d(classOf.subarray(s, e), 'int32'),
        }),
      ),
    );
  }
  const all = parts.length === 1 ? first(parts, 'a batch of attributions') : tf.concat(parts, 0);
  if (parts.length > 1) tf.dispose(parts);
  return all;
}

/**
 * Packs an attribution into a SaliencyResult and disposes every tensor passed in. The map
 * defaults to max_c |attribution|; occlusion passes its own (the positive score drops).
 */
function finish(
  method: SaliencyMethod,
  attribution: tf.Tensor4D,
  classes: tf.Tensor1D,
  scores: tf.Tensor1D,
  map: tf.Tensor3D = tf.tidy(() => tf.max<tf.Tensor3D>(tf.abs(attribution), 3)),
): SaliencyResult {
  const [, H, W] = attribution.shape;
  const result = makeResult({
    method,
    layer: null,
    classes,
    scores,
    map,
    size: [H, W],
    attribution,
  });
  tf.dispose([map, attribution, classes, scores]);
  return result;
}

/** Vanilla gradients (Simonyan et al. 2014): d(class logit)/d(input); map = max_c |gradient|. */
export function vanillaGradients(options: InputAttributionOptions): SaliencyResult {
  const { model, images } = options;
  checkImages(model, images);
  const { classes, scores } = targets(model, images, options.classIndex);
  const grads = logitInputGradients({ model, images, classes });
  return finish('gradients', grads, classes, scores);
}

/** Standard normal samples from a seeded uniform generator (Box-Muller). */
function gaussian(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = 1 - rng(); // (0, 1]: log(u) finite
    const r = Math.sqrt(-2 * Math.log(u));
    const t = 2 * Math.PI * rng();
    out[i] = r * Math.cos(t);
    if (i + 1 < n) out[i + 1] = r * Math.sin(t);
  }
  return out;
}

/**
 * SmoothGrad (Smilkov et al. 2017): gradients averaged over `samples` noisy copies of each image,
 * noise N(0, (noiseLevel * (max - min of that image))^2), seeded. The class is the one of the
 * clean image.
 */
export function smoothGrad(
  options: InputAttributionOptions & {
    /** Noisy copies per image (default 25). */
    samples?: number;
    /** Noise standard deviation as a fraction of each image's value range (default 0.15). */
    noiseLevel?: number;
    /** Seed of the noise (default 0). */
    seed?: number;
  },
): SaliencyResult {
  const { model, images } = options;
  checkImages(model, images);
  const samples = options.samples ?? 25;
  const level = options.noiseLevel ?? 0.15;
  const [b, H, W, C] = images.shape;
  const { classes, scores } = targets(model, images, options.classIndex);
  const cls = classes.dataSync();
  const classOf = new Int32Array(b * samples).map((_, r) => cls[Math.floor(r / samples)]!);
  const attribution = tf.tidy(() => {
    const range = tf.sub(tf.max(images, [1, 2, 3], true), tf.min(images, [1, 2, 3], true));
    const sigma = tf.mul(range, level); // [b,1,1,1]
    const noise = tf.tensor(gaussian(b * samples * H * W * C, options.seed ?? 0), [
      b,
      samples,
      H,
      W,
      C,
    ]);
    const noisy = tf
      .add(images.expandDims(1), tf.mul(noise, sigma.expandDims(1)))
      .reshape<tf.Tensor4D>([b * samples, H, W, C]);
    const grads = chunkedGradients(model, noisy, classOf, options.batchSize ?? 64);
    return tf.mean<tf.Tensor4D>(grads.reshape([b, samples, H, W, C]), 1);
  });
  return finish('smoothgrad', attribution, classes, scores);
}

/** Quadrature rule of integrated gradients along the straight path. */
export type IntegrationRule = 'riemann-left' | 'riemann-right' | 'riemann-middle' | 'trapezoid';

/** Points alpha in [0, 1] and weights of a quadrature rule with `steps` intervals. */
export function quadrature(
  rule: IntegrationRule,
  steps: number,
): { alphas: number[]; weights: number[] } {
  if (!Number.isInteger(steps) || steps < 1)
    throw new Error(`steps must be a positive integer, got ${steps}`);
  const alphas: number[] = [];
  const weights: number[] = [];
  if (rule === 'trapezoid') {
    for (let k = 0; k <= steps; k++) {
      alphas.push(k / steps);
      weights.push(k === 0 || k === steps ? 1 / (2 * steps) : 1 / steps);
    }
    return { alphas, weights };
  }
  const offset = rule === 'riemann-left' ? 0 : rule === 'riemann-right' ? 1 : 0.5;
  for (let k = 0; k < steps; k++) {
    alphas.push((k + offset) / steps);
    weights.push(1 / steps);
  }
  return { alphas, weights };
}

/**
 * Integrated gradients (Sundararajan et al. 2017): (x - baseline) times the path integral of
 * the logit's gradient from the baseline to x, by the chosen quadrature. The attributions of an
 * image sum to about logit(x) - logit(baseline).
 */
export function integratedGradients(
  options: InputAttributionOptions & {
    /** Baseline image `[H, W, C]` or a constant (default 0: a black image). */
    baseline?: number | tf.Tensor3D;
    /** Intervals of the path (default 32). */
    steps?: number;
    /** Quadrature (default `trapezoid`). */
    rule?: IntegrationRule;
  },
): SaliencyResult {
  const { model, images } = options;
  checkImages(model, images);
  const [b, H, W, C] = images.shape;
  const { alphas, weights } = quadrature(options.rule ?? 'trapezoid', options.steps ?? 32);
  const m = alphas.length;
  const { classes, scores } = targets(model, images, options.classIndex);
  const cls = classes.dataSync();
  const classOf = new Int32Array(b * m).map((_, r) => cls[Math.floor(r / m)]!);
  const attribution = tf.tidy(() => {
    const base =
      typeof options.baseline === 'object' ? options.baseline : tf.scalar(options.baseline ?? 0);
    const diff = tf.sub(images, base); // [b,H,W,C]
    const a = tf.tensor1d(alphas).reshape([1, m, 1, 1, 1]);
    const path = tf.add(base, tf.mul(diff.expandDims(1), a)).reshape<tf.Tensor4D>([b * m, H, W, C]);
    const grads = chunkedGradients(model, path, classOf, options.batchSize ?? 64);
    const w = tf.tensor1d(weights).reshape([1, m, 1, 1, 1]);
    const avg = tf.sum(tf.mul(grads.reshape([b, m, H, W, C]), w), 1);
    return tf.mul<tf.Tensor4D>(diff, avg);
  });
  return finish('integrated-gradients', attribution, classes, scores);
}

/**
 * Occlusion sensitivity (Zeiler & Fergus 2014): a `window` x `window` patch filled with `fill`
 * slides with `stride`; each pixel gets the mean drop of the class probability over the patches
 * that cover it (0 if none). `attribution` holds that mean drop on every channel; map = ReLU(drop).
 */
export function occlusionSensitivity(
  options: InputAttributionOptions & {
    /** Patch side in pixels (default 4). */
    window?: number;
    /** Step between patches (default: the window, no overlap). */
    stride?: number;
    /** Value written into the patch (default 0). */
    fill?: number;
  },
): SaliencyResult {
  const { model, images } = options;
  checkImages(model, images);
  const [b, H, W, C] = images.shape;
  const win = options.window ?? 4;
  const stride = options.stride ?? win;
  if (win < 1 || stride < 1 || win > H || win > W)
    throw new Error(`occlusion window ${win} / stride ${stride} do not fit a ${H}x${W} image`);
  const batchSize = options.batchSize ?? 64;
  const ys: number[] = [];
  const xs: number[] = [];
  for (let y = 0; y + win <= H; y += stride) ys.push(y);
  for (let x = 0; x + win <= W; x += stride) xs.push(x);
  const patches = ys.flatMap((y) => xs.map((x) => [y, x] as const));
  const { classes, scores } = targets(model, images, options.classIndex);
  const cls = classes.dataSync();
  const base = tf.tidy(() => {
    const p = classProbabilities(model, images);
    return tf.sum(tf.mul(p, oneHotFloat(classes, p.shape[1])), 1);
  });
  const baseP = base.dataSync();
  base.dispose();
  const drop = new Float32Array(b * H * W);
  const count = new Float32Array(H * W);
  for (const [y, x] of patches)
    for (let i = y; i < y + win; i++) for (let j = x; j < x + win; j++) count[i * W + j]!++;
  // One mask per patch, 1 outside it; masked = image * mask + fill * (1 - mask).
  const masks = new Float32Array(patches.length * H * W).fill(1);
  patches.forEach(([y, x], p) => {
    for (let i = y; i < y + win; i++)
      masks.fill(0, p * H * W + i * W + x, p * H * W + i * W + x + win);
  });
  const fill = options.fill ?? 0;
  for (let s = 0; s < b; s++) {
    for (let p0 = 0; p0 < patches.length; p0 += batchSize) {
      const n = Math.min(batchSize, patches.length - p0);
      const probs = tf.tidy(() => {
        const mask = tf.tensor4d(masks.subarray(p0 * H * W, (p0 + n) * H * W), [n, H, W, 1]);
        const x = images.slice([s, 0, 0, 0], [1, H, W, C]);
        const masked = tf.add<tf.Tensor4D>(tf.mul(x, mask), tf.mul(tf.sub(1, mask), fill));
        return classProbabilities(model, masked).slice([0, cls[s]!], [n, 1]);
      });
      const pv = probs.dataSync();
      probs.dispose();
      for (let q = 0; q < n; q++) {
        const [y, x] = patches[p0 + q]!; // p0 + q < patches.length (n patches per pass)
        const d = baseP[s]! - pv[q]!;
        for (let i = y; i < y + win; i++)
          for (let j = x; j < x + win; j++) drop[s * H * W + i * W + j]! += d;
      }
    }
    for (let k = 0; k < H * W; k++) if (count[k]! > 0) drop[s * H * W + k]! /= count[k]!;
  }
  const attribution = tf.tidy(() =>
    tf.tile<tf.Tensor4D>(tf.tensor4d(drop, [b, H, W, 1]), [1, 1, 1, C]),
  );
  const map = tf.tensor3d(
    drop.map((v) => Math.max(0, v)),
    [b, H, W],
  );
  return finish('occlusion', attribution, classes, scores, map);
}
