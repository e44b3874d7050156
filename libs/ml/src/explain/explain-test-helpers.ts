import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

/** Pearson correlation of two equally long sequences (NaN when one is constant). */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Runs `fn` and checks it leaves no tensor behind. */
export function noLeak<T>(fn: () => T): T {
  const before = tf.memory().numTensors;
  const out = fn();
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

/** Element-wise closeness with an absolute tolerance scaled by max(1, max |expected|). */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol = 1e-5,
): void {
  expect(actual.length).toBe(expected.length);
  let scale = 1;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  let worst = 0;
  for (let i = 0; i < expected.length; i++)
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst / scale).toBeLessThanOrEqual(tol);
}

// A 1-conv-layer model with hand-set weights on a 4x4 grayscale input:
//   conv (2 filters 3x3, valid, ReLU) -> [2, 2, 2] -> flatten (h, w, c order) -> dense 2 (softmax).
export const X = [
  [1, 2, 0, 1],
  [0, 1, 3, 1],
  [2, 0, 1, 0],
  [1, 1, 0, 2],
];
export const F0 = [
  [1, 0, -1],
  [1, 0, -1],
  [1, 0, -1],
]; // left minus right
export const F1 = [
  [1, 1, 1],
  [0, 0, 0],
  [-1, -1, -1],
]; // top minus bottom
export const CONV_BIAS = [2, 0.5];
// Dense kernel [8, 2]; row (i * 2 + j) * 2 + k reads channel k at position (i, j).
export const V = [
  [1, 0],
  [-1, 1],
  [2, 0],
  [0, 1],
  [0, 0],
  [1, 1],
  [-1, 0],
  [0.5, 1],
];

export function tinyModel(): tf.LayersModel {
  const m = tf.sequential();
  m.add(
    tf.layers.conv2d({
      inputShape: [4, 4, 1],
      filters: 2,
      kernelSize: 3,
      activation: 'relu',
      name: 'conv',
    }),
  );
  m.add(tf.layers.flatten({ name: 'flat' }));
  m.add(tf.layers.dense({ units: 2, activation: 'softmax', name: 'out' }));
  const kernel = new Float32Array(3 * 3 * 1 * 2); // [kh, kw, in, out]
  for (let a = 0; a < 3; a++)
    for (let b = 0; b < 3; b++) {
      kernel[(a * 3 + b) * 2 + 0] = F0[a]![b]!;
      kernel[(a * 3 + b) * 2 + 1] = F1[a]![b]!;
    }
  m.setWeights([
    tf.tensor4d(kernel, [3, 3, 1, 2]),
    tf.tensor1d(CONV_BIAS),
    tf.tensor2d(V),
    tf.tensor1d([0, 0]),
  ]);
  return m;
}

/** Logits of {@link tinyModel} for a 4x4 image, by plain arithmetic (conv, ReLU, dense). */
export function tinyLogits(img: number[][]): number[] {
  const logits = [0, 0];
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 2; j++)
      [F0, F1].forEach((f, k) => {
        let z = CONV_BIAS[k]!;
        for (let a = 0; a < 3; a++)
          for (let b = 0; b < 3; b++) z += img[i + a]![j + b]! * f[a]![b]!;
        const act = Math.max(0, z);
        for (let c = 0; c < 2; c++) logits[c]! += act * V[(i * 2 + j) * 2 + k]![c]!;
      });
  return logits;
}
