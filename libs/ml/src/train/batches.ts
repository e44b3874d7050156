import * as tf from '@tensorflow/tfjs';
import type { ImageSplit } from '../data/dataset.js';

/** How labels are encoded for the loss. */
export type LabelEncoding = 'one-hot' | 'binary';

/**
 * Builds one batch as tensors from byte images: pixels scaled to [0, 1], labels one-hot
 * (categorical) or as a `[batch, 1]` column of 0/1 (binary).
 * Converting per batch keeps only bytes in memory, not float tensors of the whole split.
 * @returns `xs` of shape `[batch, h, w, c]` and `ys` of shape `[batch, classes]` or `[batch, 1]`
 */
export function makeBatch(
  split: ImageSplit,
  indices: ArrayLike<number>,
  options: { shape: [number, number, number]; numClasses: number; encoding: LabelEncoding },
): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  const [h, w, c] = options.shape;
  const pixels = h * w * c;
  const n = indices.length;
  const x = new Float32Array(n * pixels);
  const labelWidth = options.encoding === 'one-hot' ? options.numClasses : 1;
  const y = new Float32Array(n * labelWidth);
  for (let i = 0; i < n; i++) {
    const src = indices[i] * pixels;
    const dst = i * pixels;
    for (let p = 0; p < pixels; p++) x[dst + p] = split.images[src + p] / 255;
    const label = split.labels[indices[i]];
    if (options.encoding === 'one-hot') y[i * labelWidth + label] = 1;
    else y[i] = label;
  }
  return { xs: tf.tensor4d(x, [n, h, w, c]), ys: tf.tensor2d(y, [n, labelWidth]) };
}

/** Indices `start..end-1` of an order array, as a plain array. */
export function sliceOrder(order: ArrayLike<number>, start: number, end: number): number[] {
  const out: number[] = [];
  for (let i = start; i < end; i++) out.push(order[i]);
  return out;
}
