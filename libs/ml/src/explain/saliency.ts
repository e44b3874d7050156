/**
 * Shared shapes and helpers of the saliency methods (class activation maps and input gradients).
 */
import * as tf from '@tensorflow/tfjs';
import { first } from '../util/checked';
import { forwardWalk, outputActivation } from './graph';

/** Every saliency method of this folder. */
export type SaliencyMethod =
  | 'gradcam'
  | 'gradcampp'
  | 'layercam'
  | 'scorecam'
  | 'eigencam'
  | 'gradients'
  | 'smoothgrad'
  | 'integrated-gradients'
  | 'occlusion';

/** What every saliency method returns; typed arrays, row-major, batch first. */
export interface SaliencyResult {
  method: SaliencyMethod;
  /** Path of the explained layer (CAM methods); null for input-space methods. */
  layer: string | null;
  /** Explained class of each sample (the predicted one unless given). */
  classIndex: number[];
  /** Target score of each sample: the class logit (before softmax). */
  score: number[];
  /** The raw map after ReLU, before normalisation: `[batch, h, w]` at the layer's resolution. */
  map: Float32Array;
  mapShape: [number, number, number];
  /** `map` min-max normalised to [0, 1] per sample, bilinearly resized to the input: `[batch, H, W]`. */
  heatmap: Float32Array;
  heatmapShape: [number, number, number];
  /** Input-space methods: the signed attribution per input value, `[batch, H, W, C]`. */
  attribution?: Float32Array;
}

/** Class selection shared by the methods: one index for all samples, one per sample, or none (predicted). */
export type ClassTarget = number | number[] | undefined;

/**
 * Per-sample class index as an int32 tensor `[batch]`: the given ones, or the argmax of `scores`.
 * @throws when a given index is outside `[0, classes)` or the list length is not the batch size
 */
export function classIndices(target: ClassTarget, scores: tf.Tensor2D): tf.Tensor1D {
  const [batch, classes] = scores.shape;
  if (target === undefined) {
    // A fresh tensor, detached from `scores`: inside tf.grad the argmax would otherwise sit on
    // the gradient path, and the one-hot mask built from it (Equal) has no gradient.
    const predicted = tf.argMax(scores, 1);
    const detached = tf.tensor1d(predicted.dataSync() as Int32Array, 'int32');
    predicted.dispose();
    return detached;
  }
  const list = typeof target === 'number' ? new Array<number>(batch).fill(target) : target;
  if (list.length !== batch)
    throw new Error(`${list.length} class indices given for a batch of ${batch}`);
  for (const k of list)
    if (!Number.isInteger(k) || k < 0 || k >= classes)
      throw new Error(`class index ${k} is out of range: the model has ${classes} classes`);
  return tf.tensor1d(list, 'int32');
}

/**
 * Sum over the batch of each sample's class logit: one scalar, so that one gradient computation
 * covers the whole batch (samples do not interact in inference mode).
 */
export function targetScore(logits: tf.Tensor2D, classes: tf.Tensor1D): tf.Scalar {
  return tf.sum(perSampleScore(logits, classes));
}

/**
 * One-hot rows `[batch, depth]` as float32. Not `tf.oneHot(..., 'float32')`: the WASM backend
 * (4.22) ignores that dtype and writes int32 bits, i.e. 1.4e-45 instead of 1.
 */
export function oneHotFloat(classes: tf.Tensor1D, depth: number): tf.Tensor2D {
  return tf.tidy<tf.Tensor2D>(() =>
    tf.cast(
      tf.equal(tf.range(0, depth, 1, 'int32').expandDims(0), classes.expandDims(1)),
      'float32',
    ),
  );
}

/** Each sample's class logit, `[batch]`. */
export function perSampleScore(logits: tf.Tensor2D, classes: tf.Tensor1D): tf.Tensor1D {
  return tf.sum(tf.mul(logits, oneHotFloat(classes, logits.shape[1])), 1);
}

/**
 * Class probabilities `[batch, classes]` of a model for a batch: its output when that is a
 * softmax or sigmoid, the softmax of its output otherwise. The caller owns the tensor.
 */
export function classProbabilities(model: tf.LayersModel, images: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const out = forwardWalk({ model, input: images }) as tf.Tensor2D;
    const act = outputActivation(model);
    return act === 'softmax' || act === 'sigmoid' ? out : tf.softmax(out);
  });
}

/**
 * Min-max normalises each sample of `maps` `[batch, h, w]` to [0, 1] (an all-equal map becomes
 * zeros) and resizes it bilinearly (half-pixel centres, as PyTorch's and OpenCV's) to `[H, W]`.
 * The caller owns the result.
 */
export function normaliseAndResize(maps: tf.Tensor3D, size: [number, number]): tf.Tensor3D {
  return tf.tidy(() => {
    const min = tf.min(maps, [1, 2], true);
    const range = tf.sub(tf.max(maps, [1, 2], true), min);
    const safe = tf.where(tf.greater(range, 0), range, tf.onesLike(range));
    const norm = tf.where(
      tf.greater(range, 0),
      tf.div(tf.sub(maps, min), safe),
      tf.zerosLike(maps),
    );
    const [h, w] = [maps.shape[1], maps.shape[2]];
    if (h === size[0] && w === size[1]) return norm as tf.Tensor3D;
    const resized = tf.image.resizeBilinear(norm.expandDims<tf.Tensor4D>(3), size, false, true);
    return resized.squeeze<tf.Tensor3D>([3]);
  });
}

/** Downloads a tensor into a new Float32Array (the tensor is not disposed). */
export function toFloat32(t: tf.Tensor): Float32Array {
  return Float32Array.from(t.dataSync() as Float32Array);
}

/** Checks that `images` is a 4-D batch matching the model's input shape. */
export function checkImages(
  model: tf.LayersModel,
  images: tf.Tensor,
): asserts images is tf.Tensor4D {
  const want = first(model.inputs, 'a model input').shape.slice(1);
  const got = images.shape.slice(1);
  if (images.rank !== 4 || want.some((d, i) => d !== null && d !== got[i]))
    throw new Error(
      `images of shape [${images.shape.join(', ')}] do not match the model input [batch, ${want.join(', ')}]`,
    );
}

/** Assembles a result from tensors (which the caller still owns). */
export function makeResult(options: {
  method: SaliencyMethod;
  layer: string | null;
  classes: tf.Tensor1D;
  scores: tf.Tensor1D;
  /** `[batch, h, w]`, after ReLU */
  map: tf.Tensor3D;
  /** input size `[H, W]` */
  size: [number, number];
  /** input-space attribution `[batch, H, W, C]` */
  attribution?: tf.Tensor4D;
}): SaliencyResult {
  const heat = normaliseAndResize(options.map, options.size);
  const [b, h, w] = options.map.shape;
  const result: SaliencyResult = {
    method: options.method,
    layer: options.layer,
    classIndex: Array.from(options.classes.dataSync()),
    score: Array.from(options.scores.dataSync()),
    map: toFloat32(options.map),
    mapShape: [b, h, w],
    heatmap: toFloat32(heat),
    heatmapShape: [b, options.size[0], options.size[1]],
  };
  heat.dispose();
  if (options.attribution) result.attribution = toFloat32(options.attribution);
  return result;
}
