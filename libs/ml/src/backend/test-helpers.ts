import * as tf from '@tensorflow/tfjs';
import { buildModel, makeOptimizer } from '../models/build-model';
import { getPreset } from '../models/presets';
import { createRng } from '../util/rng';

/** Small deterministic PRNG (mulberry32) so both backends see identical inputs. */
export const rng = createRng;

/** Uniform values in [-1, 1) for a shape. */
export function randomValues(shape: number[], seed: number): Float32Array {
  const r = rng(seed);
  const n = shape.reduce((p, q) => p * q, 1);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = r() * 2 - 1;
  return out;
}

/** Largest |a-b| divided by max(1, largest |b|): a scale-aware relative error. */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return Number.isNaN(diff) ? Infinity : diff / scale;
}

/**
 * Forward output and gradients of sum(f(xs) * dy) for a random upstream dy, evaluated on the
 * current backend. Returns plain arrays so results can be compared across backends.
 */
export function forwardAndGrads(
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  shapes: number[][],
  seed: number,
  forwardOnly = false,
): Float32Array[] {
  return tf.tidy(() => {
    const xs = shapes.map((s, i) => tf.tensor(randomValues(s, seed + i), s));
    const y = f(...xs);
    if (forwardOnly) return [Float32Array.from(y.dataSync() as Float32Array)];
    const dy = tf.tensor(randomValues(y.shape, seed + 100), y.shape);
    const grads = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(f(...a), dy)))(xs);
    return [y, ...grads].map((t) => t.dataSync() as Float32Array).map((d) => Float32Array.from(d));
  });
}

/**
 * fmnist-cnn built from its preset (the model production trains, not a copy of it), compiled
 * with its optimizer and loss but no metrics, so `trainOnBatch` returns the loss alone.
 * @param options.dropoutRate overrides the preset's dropout (0 makes a training step deterministic)
 */
export function fmnistCnnFromPreset(options: { dropoutRate?: number } = {}): tf.Sequential {
  const preset = getPreset('fmnist-cnn');
  if (options.dropoutRate !== undefined) {
    const rate = options.dropoutRate;
    preset.layers = preset.layers.map((l) => (l.type === 'dropout' ? { ...l, rate } : l));
  }
  const model = buildModel(preset);
  model.compile({
    optimizer: makeOptimizer(preset.optimizer.type, preset.optimizer.learningRate),
    loss: preset.loss,
  });
  return model;
}
