import * as tf from '@tensorflow/tfjs';
import type { ImageSplit } from '../data/dataset';

/** How labels are encoded for the loss. */
export type LabelEncoding = 'one-hot' | 'binary';

/** Options of {@link makeBatch} and {@link batchTensors}. */
export interface BatchOptions {
  /** Image shape `[height, width, channels]`. */
  shape: [number, number, number];
  numClasses: number;
  encoding: LabelEncoding;
  /** Multiplier of the pixel bytes (default: divide by 255, giving [0, 1]). */
  rescale?: number;
}

/**
 * Builds one batch as tensors from byte images: pixels scaled to [0, 1] (or by `rescale`), labels
 * one-hot (categorical) or as a `[batch, 1]` column of 0/1 (binary).
 * Converting per batch keeps only bytes in memory, not float tensors of the whole split.
 * @returns `xs` of shape `[batch, h, w, c]` and `ys` of shape `[batch, classes]` or `[batch, 1]`
 */
export function makeBatch(
  split: ImageSplit,
  indices: ArrayLike<number>,
  options: BatchOptions,
): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  const [h, w, c] = options.shape;
  const pixels = h * w * c;
  const n = indices.length;
  const x = new Float32Array(n * pixels);
  const labels = new Uint8Array(n);
  const scale = options.rescale;
  const { images } = split;
  for (let i = 0; i < n; i++) {
    const index = indices[i]!; // i < indices.length
    const src = index * pixels;
    const dst = i * pixels;
    // Hot loop: indices are the caller's sample numbers (< count), so the reads are in range.
    // `/ 255` (not `* (1 / 255)`) when no rescale is given keeps results bit-identical to before.
    if (scale === undefined) for (let p = 0; p < pixels; p++) x[dst + p] = images[src + p]! / 255;
    else for (let p = 0; p < pixels; p++) x[dst + p] = images[src + p]! * scale;
    labels[i] = split.labels[index]!;
  }
  return { xs: tf.tensor4d(x, [n, h, w, c]), ys: encodeLabels(labels, n, options) };
}

/**
 * Tensors of a whole batch (every sample of `batch`, in order), from its bytes or from
 * already-scaled float pixels (an augmented batch).
 * @param pixels floats `[batch.count, h, w, c]` used instead of the scaled bytes
 */
export function batchTensors(
  batch: ImageSplit,
  options: BatchOptions & { pixels?: Float32Array },
): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  if (!options.pixels) {
    return makeBatch(batch, identity(batch.count), options);
  }
  const [h, w, c] = options.shape;
  if (options.pixels.length !== batch.count * h * w * c) {
    throw new RangeError(
      `${options.pixels.length} pixels for ${batch.count} images of [${h}, ${w}, ${c}]`,
    );
  }
  return {
    xs: tf.tensor4d(options.pixels, [batch.count, h, w, c]),
    ys: encodeLabels(batch.labels, batch.count, options),
  };
}

function identity(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

function encodeLabels(labels: ArrayLike<number>, n: number, options: BatchOptions): tf.Tensor2D {
  const labelWidth = options.encoding === 'one-hot' ? options.numClasses : 1;
  const y = new Float32Array(n * labelWidth);
  for (let i = 0; i < n; i++) {
    const label = labels[i]!; // n <= labels.length
    if (options.encoding === 'one-hot') y[i * labelWidth + label] = 1;
    else y[i] = label;
  }
  return tf.tensor2d(y, [n, labelWidth]);
}

/** Indices `start..end-1` of an order array, as a plain array. */
export function sliceOrder(order: ArrayLike<number>, start: number, end: number): number[] {
  const out: number[] = [];
  for (let i = start; i < end; i++) {
    const v = order[i];
    if (v === undefined) throw new RangeError(`index ${i} is past the order (${order.length})`);
    out.push(v);
  }
  return out;
}
