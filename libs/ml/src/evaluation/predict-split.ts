import * as tf from '@tensorflow/tfjs';
import type { ImageSplit } from '../data/dataset';
import { makeBatch } from '../train/batches';

/**
 * Class probabilities of every image of a split, row-major `[count, numClasses]`, predicted in
 * batches (each batch's tensors are disposed before the next, so memory stays flat).
 */
export function predictSplit(
  model: tf.LayersModel,
  split: ImageSplit,
  options: { shape: [number, number, number]; numClasses: number; batchSize?: number },
): Float32Array {
  const batchSize = options.batchSize ?? 256;
  let width = -1;
  let out = new Float32Array(0);
  for (let start = 0; start < split.count; start += batchSize) {
    const idx: number[] = [];
    for (let i = start; i < Math.min(split.count, start + batchSize); i++) idx.push(i);
    const p = tf.tidy(() => {
      const { xs } = makeBatch(split, idx, {
        shape: options.shape,
        numClasses: options.numClasses,
        encoding: 'one-hot',
      });
      // One call per batch: predict's own default (32) would split it into several passes per layer.
      return model.predict(xs, { batchSize }) as tf.Tensor2D;
    });
    try {
      if (width < 0) {
        width = p.shape[1];
        out = new Float32Array(split.count * width);
      }
      out.set(p.dataSync(), start * width);
    } finally {
      p.dispose();
    }
  }
  return out;
}
