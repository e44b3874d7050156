/**
 * Class activation maps of a convolutional layer: Grad-CAM, Grad-CAM++, Layer-CAM, Score-CAM and
 * Eigen-CAM, for a whole batch at once. The target is the class logit (before softmax), the
 * predicted class unless one is given.
 */
import * as tf from '@tensorflow/tfjs';
import { first } from '../util/checked';
import { defaultCamLayer, forwardWalk, resolveLayer, type LayerInfo } from './graph';
import {
  checkImages,
  classIndices,
  classProbabilities,
  makeResult,
  perSampleScore,
  type ClassTarget,
  type SaliencyResult,
} from './saliency';

/** The class-activation-map methods. */
export type CamMethod = 'gradcam' | 'gradcampp' | 'layercam' | 'scorecam' | 'eigencam';

/** Options of {@link classActivationMap}. */
export interface CamOptions {
  /** The model; its base may be a nested LayersModel (layers addressed as `base/conv2`). */
  model: tf.LayersModel;
  /** Input batch `[batch, H, W, C]`, preprocessed as the model expects. */
  images: tf.Tensor4D;
  /** Layer path or unique name; default: the last layer with a 4-D output ({@link defaultCamLayer}). */
  layer?: string;
  /** Class to explain: one for all samples, one per sample, or the predicted class (default). */
  classIndex?: ClassTarget;
  /** Method (default `gradcam`). */
  method?: CamMethod;
  /** Score-CAM: masked images per forward pass (default 64). */
  batchSize?: number;
}

/** Activations `[batch, h, w, k]` of a layer and the gradients of the target scores w.r.t. them. */
export interface LayerGradients {
  activations: tf.Tensor4D;
  gradients: tf.Tensor4D;
  /** Explained class per sample `[batch]` (int32). */
  classes: tf.Tensor1D;
  /** Class logit per sample `[batch]`. */
  scores: tf.Tensor1D;
}

function camLayer(model: tf.LayersModel, layer: string | undefined): LayerInfo {
  const info = layer === undefined ? defaultCamLayer(model) : resolveLayer(model, layer);
  if (info.outputShape.length !== 4)
    throw new Error(
      `layer "${info.path}" has output shape [${info.outputShape.join(', ')}], not [batch, h, w, channels]`,
    );
  return info;
}

/**
 * One forward and one backward pass for the whole batch: the layer's activations and the
 * gradient of the sum of per-sample class logits w.r.t. them (samples do not interact, so each
 * sample's slice is its own gradient). The gradient is taken w.r.t. a zero tensor added to the
 * layer's output, which works for any layer, also inside nested models or with skip
 * connections around it. The caller owns the returned tensors.
 */
export function layerGradients(options: {
  /** the model */
  model: tf.LayersModel;
  /** `[batch, H, W, C]` */
  images: tf.Tensor4D;
  /** layer path (see listLayers) */
  layer: string;
  /** class to explain (default: predicted) */
  classIndex?: ClassTarget;
}): LayerGradients {
  const { model, images, classIndex } = options;
  const info = resolveLayer(model, options.layer);
  const shape = [images.shape[0], ...info.outputShape.slice(1)];
  if (shape.some((d) => d === null))
    throw new Error(`layer "${info.path}" has an unknown output size`);
  let activations: tf.Tensor | undefined;
  let classes: tf.Tensor1D | undefined;
  let scores: tf.Tensor1D | undefined;
  const gradients = tf.tidy(() => {
    const delta = tf.zeros(shape as number[]);
    return tf.grad((d: tf.Tensor) => {
      const logits = forwardWalk({
        model,
        input: images,
        logits: true,
        after: (path, _layer, outs) => {
          if (path !== info.path || activations) return;
          const [out, ...rest] = outs;
          if (out === undefined) throw new Error(`layer ${path} has no output`);
          activations = tf.keep(out);
          return [tf.add(out, d), ...rest];
        },
      }) as tf.Tensor2D;
      classes = tf.keep(classIndices(classIndex, logits));
      scores = tf.keep(perSampleScore(logits, classes));
      return tf.sum(scores);
    })(delta);
  });
  return {
    activations: activations as tf.Tensor4D,
    gradients: gradients as tf.Tensor4D,
    classes: classes!,
    scores: scores!,
  };
}

// exp(80) ~ 5.5e34 stays finite in float32; the factor only scales a sample's map.
const MAX_EXP_SCORE = 80;

function gradientCam(method: CamMethod, g: LayerGradients): tf.Tensor3D {
  return tf.tidy(() => {
    const A = g.activations;
    const G = g.gradients;
    if (method === 'gradcam') {
      // Channel weights: gradients averaged over space.
      const w = tf.mean(G, [1, 2], true);
      return tf.relu<tf.Tensor3D>(tf.sum(tf.mul(w, A), 3));
    }
    if (method === 'layercam') {
      return tf.relu<tf.Tensor3D>(tf.sum(tf.mul(tf.relu(G), A), 3));
    }
    // Grad-CAM++ (Chattopadhay et al. 2018, eq. 19) with S = exp(Y): for a piecewise-linear
    // network the 2nd and 3rd derivatives of S are exp(Y) g^2 and exp(Y) g^3, so
    // alpha = g^2 / (2 g^2 + sum_ab A_ab g^3) (exp(Y) cancels) and w = sum_ij alpha relu(exp(Y) g).
    const g2 = tf.square(G);
    const g3 = tf.mul(g2, G);
    const sumA = tf.sum(A, [1, 2], true);
    const denom = tf.add(tf.mul(g2, 2), tf.mul(sumA, g3));
    const nonzero = tf.notEqual(denom, 0);
    const alpha = tf.where(nonzero, tf.div(g2, tf.where(nonzero, denom, tf.onesLike(denom))), 0);
    const expY = tf.exp(tf.minimum(g.scores, MAX_EXP_SCORE)).reshape([-1, 1, 1, 1]);
    const w = tf.sum(tf.mul(alpha, tf.relu(tf.mul(expY, G))), [1, 2], true);
    return tf.relu<tf.Tensor3D>(tf.sum(tf.mul(w, A), 3));
  });
}

function scoreCam(
  model: tf.LayersModel,
  images: tf.Tensor4D,
  acts: tf.Tensor4D,
  classes: tf.Tensor1D,
  batchSize: number,
): tf.Tensor3D {
  const [b, H, W, C] = images.shape;
  const k = acts.shape[3];
  const cls = classes.dataSync();
  const weights = new Float32Array(b * k);
  for (let i = 0; i < b; i++) {
    // Each channel, upsampled to the input and min-max normalised, masks the image.
    const masks = tf.tidy(() => {
      const a = tf.transpose(acts.slice([i, 0, 0, 0], [1, -1, -1, -1]), [3, 1, 2, 0]); // [k,h,w,1]
      const up = tf.image.resizeBilinear(a, [H, W], false, true);
      const min = tf.min(up, [1, 2, 3], true);
      const range = tf.sub(tf.max(up, [1, 2, 3], true), min);
      return tf.where(
        tf.greater(range, 0),
        tf.div(tf.sub(up, min), tf.where(tf.greater(range, 0), range, tf.onesLike(range))),
        tf.zerosLike(up),
      );
    });
    for (let c0 = 0; c0 < k; c0 += batchSize) {
      const n = Math.min(batchSize, k - c0);
      const p = tf.tidy(() => {
        const x = tf.slice(images, [i, 0, 0, 0], [1, H, W, C]);
        const masked = tf.mul<tf.Tensor4D>(x, masks.slice([c0, 0, 0, 0], [n, H, W, 1]));
        const probs = classProbabilities(model, masked);
        return probs.slice([0, cls[i]!], [n, 1]);
      });
      weights.set(p.dataSync(), i * k + c0);
      p.dispose();
    }
    masks.dispose();
  }
  return tf.tidy(() => {
    const w = tf.tensor4d(weights, [b, 1, 1, k]);
    return tf.relu<tf.Tensor3D>(tf.sum(tf.mul(w, acts), 3));
  });
}

/**
 * Eigen-CAM (Muhammad & Yeasin 2020): the projection of each sample's activations `[h*w, k]`
 * (channels centred) on their first principal component, signed so that it correlates
 * positively with the channel sum (the sign of a singular vector is arbitrary), then ReLU.
 */
function eigenCam(acts: tf.Tensor4D): tf.Tensor3D {
  const [b, h, w, k] = acts.shape;
  const data = acts.dataSync();
  const out = new Float32Array(b * h * w);
  const n = h * w;
  for (let s = 0; s < b; s++) {
    const X = new Float64Array(n * k);
    const base = s * n * k;
    for (let c = 0; c < k; c++) {
      let mean = 0;
      for (let p = 0; p < n; p++) mean += data[base + p * k + c]!;
      mean /= n;
      for (let p = 0; p < n; p++) X[p * k + c] = data[base + p * k + c]! - mean;
    }
    const proj = firstComponentProjection(X, n, k);
    let corr = 0;
    for (let p = 0; p < n; p++) {
      let total = 0;
      for (let c = 0; c < k; c++) total += data[base + p * k + c]!;
      corr += proj[p]! * total;
    }
    const sign = corr < 0 ? -1 : 1;
    for (let p = 0; p < n; p++) out[s * n + p] = Math.max(0, sign * proj[p]!);
  }
  return tf.tensor3d(out, [b, h, w]);
}

/**
 * `X v1` for the first right singular vector v1 of `X` `[n, k]`, i.e. `sigma1 u1`, by power
 * iteration on the smaller Gram matrix (`X X^T` when n <= k, else `X^T X`).
 */
export function firstComponentProjection(X: Float64Array, n: number, k: number): Float64Array {
  const useRows = n <= k;
  const m = useRows ? n : k;
  const M = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = i; j < m; j++) {
      let s = 0;
      if (useRows) for (let c = 0; c < k; c++) s += X[i * k + c]! * X[j * k + c]!;
      else for (let p = 0; p < n; p++) s += X[p * k + i]! * X[p * k + j]!;
      M[i * m + j] = M[j * m + i] = s;
    }
  let v = new Float64Array(m).fill(1 / Math.sqrt(m));
  let lambda = 0;
  for (let it = 0; it < 500; it++) {
    const next = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += M[i * m + j]! * v[j]!;
      next[i] = s;
    }
    const norm = Math.hypot(...next);
    if (norm === 0) return new Float64Array(n);
    let change = 0;
    for (let i = 0; i < m; i++) {
      next[i]! /= norm;
      change = Math.max(change, Math.abs(next[i]! - v[i]!));
    }
    v = next;
    lambda = norm;
    if (change < 1e-12) break;
  }
  const proj = new Float64Array(n);
  if (useRows) {
    const sigma = Math.sqrt(lambda);
    for (let p = 0; p < n; p++) proj[p] = sigma * v[p]!;
  } else {
    for (let p = 0; p < n; p++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += X[p * k + c]! * v[c]!;
      proj[p] = s;
    }
  }
  return proj;
}

/**
 * A class activation map of one convolutional layer for a batch of images.
 *
 * - `gradcam` (Selvaraju et al.): channel weights = gradients of the class logit averaged over
 *   space; map = ReLU(sum_k w_k A_k).
 * - `gradcampp` (Chattopadhay et al.): pixel-weighted gradients, closed form with exp(score).
 * - `layercam` (Jiang et al.): map = ReLU(sum_k ReLU(g_k) * A_k), element-wise.
 * - `scorecam` (Wang et al.): weights = class probability of the image masked by each upsampled,
 *   normalised channel (batched forward passes, no gradients).
 * - `eigencam`: first principal component of the activations (class-agnostic).
 *
 * The gradient methods make one forward and one backward pass for the whole batch.
 * @returns `map` `[batch, h, w]` at the layer's resolution and `heatmap` `[batch, H, W]`
 * @throws for an unknown layer or one whose output is not 4-D, or images of the wrong shape
 */
export function classActivationMap(options: CamOptions): SaliencyResult {
  const { model, images } = options;
  checkImages(model, images);
  const method = options.method ?? 'gradcam';
  const info = camLayer(model, options.layer);
  const size: [number, number] = [images.shape[1], images.shape[2]];
  if (method === 'gradcam' || method === 'gradcampp' || method === 'layercam') {
    const g = layerGradients({
      model,
      images,
      layer: info.path,
      classIndex: options.classIndex,
    });
    const map = gradientCam(method, g);
    const result = makeResult({
      method,
      layer: info.path,
      classes: g.classes,
      scores: g.scores,
      map,
      size,
    });
    tf.dispose([map, g.activations, g.gradients, g.classes, g.scores]);
    return result;
  }
  // Score-CAM and Eigen-CAM need only the forward pass.
  let acts: tf.Tensor4D | undefined;
  const { classes, scores } = tf.tidy(() => {
    const logits = forwardWalk({
      model,
      input: images,
      logits: true,
      after: (path, _layer, outs) => {
        if (path === info.path && !acts)
          acts = tf.keep(first(outs, `an output of layer ${path}`)) as tf.Tensor4D;
      },
    }) as tf.Tensor2D;
    const classes = classIndices(options.classIndex, logits);
    return { classes, scores: perSampleScore(logits, classes) };
  });
  const map =
    method === 'scorecam'
      ? scoreCam(model, images, acts!, classes, options.batchSize ?? 64)
      : eigenCam(acts!);
  const result = makeResult({ method, layer: info.path, classes, scores, map, size });
  tf.dispose([map, acts!, classes, scores]);
  return result;
}

/** Grad-CAM: {@link classActivationMap} with `method: 'gradcam'`. */
export function gradCam(options: Omit<CamOptions, 'method'>): SaliencyResult {
  return classActivationMap({ ...options, method: 'gradcam' });
}
